//! Numbers one version writes in another notation than the other: a time of day on the
//! 12-hour clock in one ("6pm") and the 24-hour clock in the other ("18:00"), a small
//! cardinal in words in one ("four finalists") and in digits in the other ("4 Finalisten").
//! Read as digits alone each leaves numbers on one side that a nearby number on the other
//! then passes for a changed one.
//!
//! The notations only explain away numbers the digits left unmatched; they never add a
//! finding of their own, so that a language whose number words the tables lack (the
//! compounds, the inflected forms) costs recall, not precision.

use crate::text::Lang;
use crate::text::anchors;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A time of day on the 12-hour clock: 6pm, 6 p.m., 6:30 PM, 11am.
static TWELVE_HOUR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s?([ap])\.?\s?m\b\.?").expect("regex")
});
/// A time of day on the 24-hour clock with its minutes: 18:00, 18h00, 18 h 30, 18H00.
static CLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([01]?\d|2[0-3])(?::|\s?[hH]\s?)([0-5]\d)\b").expect("regex"));
/// The German clock with a point, which only "Uhr" tells from a decimal: 18.30 Uhr.
static CLOCK_UHR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([01]?\d|2[0-3])\.([0-5]\d)\s?Uhr\b").expect("regex"));

/// Remove from `missing` (the pivot's numbers the translation lacks, canonical) and `extra`
/// (the translation's the pivot lacks) those that the other text holds in another
/// notation: the same time of day on either clock, a cardinal in words.
pub fn explain_notations(
    missing: &mut Vec<String>,
    extra: &mut Vec<String>,
    (ptext, pivot): (&str, Lang),
    (ltext, l): (&str, Lang),
) {
    let remove = |side: &mut Vec<String>, n: &str| {
        if let Some(k) = side.iter().position(|x| x == n) {
            side.remove(k);
        }
    };
    let mut lt = times(ltext);
    for (time, pnums) in times(ptext) {
        let Some(k) = lt.iter().position(|(t, _)| *t == time) else {
            continue;
        };
        let (_, lnums) = lt.remove(k);
        for n in &pnums {
            remove(missing, n);
        }
        for n in &lnums {
            remove(extra, n);
        }
    }
    for v in words(ptext, pivot) {
        remove(extra, &v.to_string());
    }
    for v in words(ltext, l) {
        remove(missing, &v.to_string());
    }
}

/// The times of day of a text: each as its hour on the 24-hour clock ("18", or "18:30"
/// with minutes), with the numbers, canonical, that its digits read as.
fn times(text: &str) -> Vec<(String, Vec<String>)> {
    let canonical = |h: u32, m: &str| match m {
        "" | "00" => h.to_string(),
        m => format!("{h}:{m}"),
    };
    let mut found: Vec<(Range<usize>, String)> = Vec::new();
    for c in TWELVE_HOUR.captures_iter(text) {
        let h: u32 = c[1].parse().expect("digits");
        let pm = c[3].eq_ignore_ascii_case("p");
        let h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
        let m = c.get(2).map_or("", |m| m.as_str());
        found.push((c.get(0).expect("match").range(), canonical(h, m)));
    }
    for re in [&*CLOCK, &*CLOCK_UHR] {
        for c in re.captures_iter(text) {
            let r = c.get(0).expect("match").range();
            // "5:30 p.m." was read above.
            if found
                .iter()
                .any(|(t, _)| r.start < t.end && t.start < r.end)
            {
                continue;
            }
            let h: u32 = c[1].parse().expect("digits");
            found.push((r, canonical(h, &c[2])));
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    let numbers = anchors::number_spans(text);
    found
        .into_iter()
        .map(|(r, time)| {
            let covered = numbers
                .iter()
                .filter(|(n, _)| n.start < r.end && r.start < n.end)
                .map(|(_, n)| n.clone())
                .collect();
            (time, covered)
        })
        .collect()
}

/// The cardinals from two to ninety written as words in `lang`, and the decades (the
/// sixties: 60). "One" is left out: it is
/// the article in four of the languages. English compounds count (thirty-nine).
fn words(text: &str, lang: Lang) -> impl Iterator<Item = u32> + '_ {
    let table = table(lang);
    text.split(|c: char| !(c.is_alphabetic() || c == '-'))
        .filter(|w| !w.is_empty())
        .filter_map(move |w| {
            let w = w.to_lowercase();
            let value = |w: &str| table.iter().find(|(x, _)| *x == w).map(|&(_, v)| v);
            value(&w).or_else(|| {
                // thirty-nine
                let (tens, unit) = w.split_once('-')?;
                let (t, u) = (value(tens)?, value(unit)?);
                (t >= 20 && t % 10 == 0 && u < 10).then_some(t + u)
            })
        })
}

/// Each language's number words. Words that are also common words of another meaning
/// are left out (French "neuf", new).
fn table(lang: Lang) -> &'static [(&'static str, u32)] {
    match lang {
        Lang::En => &[
            ("two", 2),
            ("three", 3),
            ("four", 4),
            ("five", 5),
            ("six", 6),
            ("seven", 7),
            ("eight", 8),
            ("nine", 9),
            ("ten", 10),
            ("eleven", 11),
            ("twelve", 12),
            ("thirteen", 13),
            ("fourteen", 14),
            ("fifteen", 15),
            ("sixteen", 16),
            ("seventeen", 17),
            ("eighteen", 18),
            ("nineteen", 19),
            ("twenty", 20),
            ("thirty", 30),
            ("forty", 40),
            ("fifty", 50),
            ("sixty", 60),
            ("seventy", 70),
            ("eighty", 80),
            ("ninety", 90),
            // Decades: the 'sixties, the 60s, die 60er, les années 60.
            ("twenties", 20),
            ("thirties", 30),
            ("forties", 40),
            ("fifties", 50),
            ("sixties", 60),
            ("seventies", 70),
            ("eighties", 80),
            ("nineties", 90),
        ],
        Lang::De => &[
            ("zwei", 2),
            ("drei", 3),
            ("vier", 4),
            ("fünf", 5),
            ("sechs", 6),
            ("sieben", 7),
            ("acht", 8),
            ("neun", 9),
            ("zehn", 10),
            ("elf", 11),
            ("zwölf", 12),
            ("zwanzig", 20),
            ("dreißig", 30),
            ("vierzig", 40),
            ("fünfzig", 50),
            ("sechzig", 60),
            ("siebzig", 70),
            ("achtzig", 80),
            ("neunzig", 90),
            ("zwanziger", 20),
            ("dreißiger", 30),
            ("vierziger", 40),
            ("fünfziger", 50),
            ("sechziger", 60),
            ("siebziger", 70),
            ("achtziger", 80),
            ("neunziger", 90),
        ],
        Lang::Es => &[
            ("dos", 2),
            ("tres", 3),
            ("cuatro", 4),
            ("cinco", 5),
            ("seis", 6),
            ("siete", 7),
            ("ocho", 8),
            ("nueve", 9),
            ("diez", 10),
            ("once", 11),
            ("doce", 12),
            ("veinte", 20),
            ("treinta", 30),
            ("cuarenta", 40),
            ("cincuenta", 50),
            ("sesenta", 60),
            ("setenta", 70),
            ("ochenta", 80),
            ("noventa", 90),
        ],
        Lang::Fr => &[
            ("deux", 2),
            ("trois", 3),
            ("quatre", 4),
            ("cinq", 5),
            ("six", 6),
            ("sept", 7),
            ("huit", 8),
            ("dix", 10),
            ("onze", 11),
            ("douze", 12),
            ("vingt", 20),
            ("trente", 30),
            ("quarante", 40),
            ("cinquante", 50),
            ("soixante", 60),
        ],
        Lang::Ru => &[
            ("два", 2),
            ("две", 2),
            ("двух", 2),
            ("три", 3),
            ("трех", 3),
            ("трёх", 3),
            ("четыре", 4),
            ("четырех", 4),
            ("четырёх", 4),
            ("пять", 5),
            ("пяти", 5),
            ("шесть", 6),
            ("шести", 6),
            ("семь", 7),
            ("семи", 7),
            ("восемь", 8),
            ("восьми", 8),
            ("девять", 9),
            ("девяти", 9),
            ("десять", 10),
            ("десяти", 10),
            ("двадцать", 20),
            ("двадцати", 20),
            ("тридцать", 30),
            ("тридцати", 30),
            ("сорок", 40),
            ("пятьдесят", 50),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The unmatched numbers of the two texts once notations are explained.
    fn left(p: (&str, Lang), l: (&str, Lang)) -> (Vec<String>, Vec<String>) {
        let (mut missing, mut extra) = super::super::numbers::multiset_difference(
            &anchors::numbers(p.0),
            &anchors::numbers(l.0),
        );
        explain_notations(&mut missing, &mut extra, p, l);
        (missing, extra)
    }

    #[test]
    fn times_of_day_match_on_either_clock() {
        let en = ("It began at 11am and ended at 6:30 p.m.", Lang::En);
        let none = (vec![], vec![]);
        assert_eq!(
            left(
                en,
                ("Begonnen um 11:00 Uhr, beendet um 18.30 Uhr.", Lang::De)
            ),
            none
        );
        assert_eq!(
            left(en, ("Commencé à 11H00, fini à 18h30.", Lang::Fr)),
            none
        );
        // Another hour is left for the number check: the digits that differ.
        let (missing, extra) = left(en, ("Commencé à 11H00, fini à 19h30.", Lang::Fr));
        assert_eq!(
            (missing, extra),
            (vec!["6".to_string()], vec!["19".to_string()])
        );
        // A score is not a time.
        assert!(times("won 120:108").is_empty());
    }

    #[test]
    fn small_cardinals_in_words_match_digits() {
        let en = ("four finalists over the last 3 years", Lang::En);
        assert_eq!(
            left(en, ("4 Finalisten in den letzten drei Jahren", Lang::De)),
            (vec![], vec![])
        );
        // A decade in words is its number: the 'sixties / die 60er.
        assert_eq!(
            left(
                ("from the 'sixties onward, for 30 years", Lang::En),
                ("seit den 60er Jahren drei Jahrzehnte lang", Lang::De)
            ),
            (vec!["30".to_string()], vec![])
        );
        // "one" is an article, "neuf" is new: neither is a number.
        assert_eq!(words("un modèle neuf", Lang::Fr).count(), 0);
        assert_eq!(
            words("one of thirty-nine", Lang::En).collect::<Vec<_>>(),
            [39]
        );
    }
}
