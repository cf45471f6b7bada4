//! Facts about text that survive translation: numbers read locale-aware (1,000 = 1 000 =
//! 1.000; 20,5 = 20.5), dates (a day next to a month name of any of the five languages),
//! and a fold of words towards a script- and spelling-independent skeleton (Cyrillic
//! transliterated), so that names and cognates match across languages. Used to align, to
//! pair documents by content, to check translations and to mark them in the report.

use super::Lang;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The numbers of a text in canonical form ("1,000" and "1 000" → "1000"; "20,5" → "20.5").
pub fn numbers(text: &str) -> Vec<String> {
    number_spans(text).into_iter().map(|(_, n)| n).collect()
}

/// The numbers of a text with their byte ranges, in canonical form.
pub fn number_spans(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let (mut canon, mut seps) = (String::new(), Vec::new());
    let mut i = 0;
    while i < text.len() {
        if text.as_bytes()[i].is_ascii_digit() {
            let next = read_number(text, i, &mut canon, &mut seps);
            out.push((i..next, canon.clone()));
            i = next;
        } else {
            i += 1;
        }
    }
    out
}

/// The dates of a text as (day, month): a day number next to a month name of `lang`
/// ("12 August", "12. August", "12 de agosto", "August 12").
pub fn dates(text: &str, lang: Lang) -> Vec<(u8, u8)> {
    // Tokens: words and numbers, in order; "de" and punctuation between them are skipped.
    let mut tokens: Vec<(bool, String, String)> = Vec::new(); // (is_number, lower, original)
    let mut current = String::new();
    let mut is_num = false;
    let flush = |cur: &mut String, num: bool, tokens: &mut Vec<(bool, String, String)>| {
        if !cur.is_empty() {
            tokens.push((num, cur.to_lowercase(), cur.clone()));
            cur.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !is_num {
                flush(&mut current, is_num, &mut tokens);
            }
            is_num = true;
            current.push(c);
        } else if c.is_alphabetic() {
            if is_num {
                flush(&mut current, is_num, &mut tokens);
            }
            is_num = false;
            current.push(c);
        } else {
            flush(&mut current, is_num, &mut tokens);
        }
    }
    flush(&mut current, is_num, &mut tokens);
    tokens.retain(|t| t.0 || t.1 != "de");
    let mut out = Vec::new();
    for (k, (num, _, digits)) in tokens.iter().enumerate() {
        if !num || digits.len() > 2 {
            continue;
        }
        let Ok(day) = digits.parse::<u8>() else {
            continue;
        };
        if !(1..=31).contains(&day) {
            continue;
        }
        let month_at = |i: usize| tokens.get(i).and_then(|t| month(&t.1, &t.2, lang));
        if let Some(m) = month_at(k + 1).or_else(|| k.checked_sub(1).and_then(month_at)) {
            out.push((day, m));
        }
    }
    out
}

/// Read the number starting at byte `start` of `text` (an ASCII digit) into `out`, in
/// canonical form; returns the index after it. `seps` is scratch space: numbers are in most
/// paragraphs, and each one's digit groups are not worth a string each.
///
/// Group and decimal separators differ by locale (1,000 / 1 000 / 1.000; 20,5 / 20.5). A
/// separator followed by exactly three digits groups thousands, unless two kinds of
/// separator appear (then the last one is the decimal mark); otherwise it is a decimal mark.
pub fn read_number(
    text: &str,
    start: usize,
    out: &mut String,
    seps: &mut Vec<(char, usize)>,
) -> usize {
    out.clear();
    seps.clear();
    let bytes = text.as_bytes();
    let mut i = start;
    // The digits are collected in `out`; each separator with the digit count before it.
    let mut group_start = 0;
    loop {
        while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            out.push(b as char);
            i += 1;
        }
        let Some(Separator {
            c,
            after,
            digits_after,
            spacey,
        }) = separator(text, i)
        else {
            break;
        };
        // A space only groups thousands: "25 000", not "in 2012 25 people".
        if spacey && (digits_after != 3 || out.len() - group_start > 3) {
            break;
        }
        seps.push((c, out.len()));
        group_start = out.len();
        i = after;
    }
    canonical_number(out, seps);
    i
}

/// A separator within a number: the character at byte `i`, followed by digits.
struct Separator {
    c: char,
    /// The byte after it, and how many digits follow there.
    after: usize,
    digits_after: usize,
    /// A space or apostrophe, which only ever groups thousands.
    spacey: bool,
}

fn separator(text: &str, i: usize) -> Option<Separator> {
    let c = text[i..].chars().next()?;
    let is_sep = matches!(
        c,
        '.' | ',' | '\'' | '’' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'
    );
    let after = i + c.len_utf8();
    let digits_after = text.as_bytes()[after..]
        .iter()
        .take_while(|d| d.is_ascii_digit())
        .count();
    (is_sep && digits_after > 0).then(|| Separator {
        c,
        after,
        digits_after,
        spacey: c.is_whitespace() || matches!(c, '\'' | '’'),
    })
}

/// Turn the digits of a number, read with separators `seps` (each with the digit count
/// before it), into its canonical form in place: the decimal mark a point, no leading zeros
/// before it, no trailing zeros after it.
fn canonical_number(digits: &mut String, seps: &[(char, usize)]) {
    let kinds = |c: char| {
        if c.is_whitespace() || c == '\'' || c == '’' {
            ' '
        } else {
            c
        }
    };
    // Where the decimal mark goes, as a digit count before it.
    let decimal_at = match seps.last() {
        None => None,
        Some(&(last, at)) => {
            let last = kinds(last);
            let mixed = seps.iter().any(|&(s, _)| kinds(s) != last);
            let repeated = seps.iter().filter(|&&(s, _)| kinds(s) == last).count() > 1;
            if mixed && last != ' ' {
                Some(at)
            } else if repeated || last == ' ' || digits.len() - at == 3 {
                None
            } else {
                Some(at)
            }
        }
    };
    let point = decimal_at.unwrap_or(digits.len());
    let frac_end = point + digits[point..].trim_end_matches('0').len();
    digits.truncate(frac_end);
    if frac_end > point {
        digits.insert(point, '.');
    }
    let zeros = digits[..point].bytes().take_while(|&b| b == b'0').count();
    if zeros == point {
        digits.replace_range(..point, "0");
    } else {
        digits.replace_range(..zeros, "");
    }
}

/// The month (1–12) a word names in any of the five languages.
pub fn month_in_any_language(word: &str) -> Option<u8> {
    let lower = word.to_lowercase();
    Lang::ALL.into_iter().find_map(|l| month(&lower, word, l))
}

/// The month (1–12) a word names, for date anchors.
pub fn month(lower: &str, original: &str, lang: Lang) -> Option<u8> {
    let table = month_names(lang);
    if lang == Lang::Ru {
        // Russian months inflect (марта, мае); "ма" alone is too short to be a prefix.
        let is_may = matches!(lower, "май" | "мая" | "мае" | "маем");
        return table
            .iter()
            .find(|(stem, n)| {
                if *n == 5 {
                    is_may
                } else {
                    lower.starts_with(stem)
                }
            })
            .map(|&(_, n)| n)
            .filter(|_| lower.chars().count() <= 9);
    }
    month_named(lower.as_bytes(), original.as_bytes().first().copied(), lang)
}

/// The month a word names by its whole name in a language that does not inflect them, from
/// its lowercase bytes and its first byte as written (strings need not be made of an ASCII
/// word for it). None for Russian, whose names inflect: `month` reads them.
pub fn month_named(lower: &[u8], first: Option<u8>, lang: Lang) -> Option<u8> {
    if lang == Lang::Ru {
        return None;
    }
    let n = month_names(lang)
        .iter()
        .find(|(name, _)| name.as_bytes() == lower)?
        .1;
    // English "may" is a verb far more often than a month.
    if lang == Lang::En && n == 5 && first != Some(b'M') {
        return None;
    }
    Some(n)
}

/// The month names of a language, lowercase, with their numbers (Russian: stems).
pub fn month_names(lang: Lang) -> &'static [(&'static str, u8)] {
    match lang {
        Lang::En => &[
            ("january", 1),
            ("february", 2),
            ("march", 3),
            ("april", 4),
            ("may", 5),
            ("june", 6),
            ("july", 7),
            ("august", 8),
            ("september", 9),
            ("october", 10),
            ("november", 11),
            ("december", 12),
        ],
        Lang::Ru => &[
            ("январ", 1),
            ("феврал", 2),
            ("март", 3),
            ("апрел", 4),
            ("ма", 5),
            ("июн", 6),
            ("июл", 7),
            ("август", 8),
            ("сентябр", 9),
            ("октябр", 10),
            ("ноябр", 11),
            ("декабр", 12),
        ],
        Lang::De => &[
            ("januar", 1),
            ("jänner", 1),
            ("februar", 2),
            ("märz", 3),
            ("april", 4),
            ("mai", 5),
            ("juni", 6),
            ("juli", 7),
            ("august", 8),
            ("september", 9),
            ("oktober", 10),
            ("november", 11),
            ("dezember", 12),
        ],
        Lang::Es => &[
            ("enero", 1),
            ("febrero", 2),
            ("marzo", 3),
            ("abril", 4),
            ("mayo", 5),
            ("junio", 6),
            ("julio", 7),
            ("agosto", 8),
            ("septiembre", 9),
            ("setiembre", 9),
            ("octubre", 10),
            ("noviembre", 11),
            ("diciembre", 12),
        ],
        Lang::Fr => &[
            ("janvier", 1),
            ("février", 2),
            ("mars", 3),
            ("avril", 4),
            ("mai", 5),
            ("juin", 6),
            ("juillet", 7),
            ("août", 8),
            ("septembre", 9),
            ("octobre", 10),
            ("novembre", 11),
            ("décembre", 12),
        ],
    }
}

/// Fold a lowercased word towards a script- and spelling-independent skeleton, so that names
/// and cognates match across languages: Cyrillic transliterated, diacritics dropped, letters
/// that spell the same sound merged, doubled letters single.
pub fn fold(lower: &str) -> String {
    let mut out = String::new();
    fold_into(lower, &mut out);
    out
}

/// [`fold`] into `out`, cleared first: for callers that fold word after word.
pub fn fold_into(lower: &str, out: &mut String) {
    out.clear();
    if lower.is_ascii() {
        out.extend(folded(lower));
        return;
    }
    let mut latin = String::with_capacity(lower.len());
    // Each character decomposed on its own rather than the word normalized (NFD): NFD's
    // reordering moves only combining marks, and they are all dropped.
    for c in lower.chars() {
        decompose_canonical(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            match translit(d) {
                Some(s) => latin.push_str(s),
                None => latin.push(d),
            }
        });
    }
    out.extend(folded(&latin));
}

/// The letters of latin-script `text` folded: letters that spell the same sound merged
/// (sch, ph, c/q/k, y/j/i, w/v, ß/s), h dropped, a letter repeated written once.
pub fn folded(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut rest = text;
    let mut prev = '\0';
    std::iter::from_fn(move || {
        loop {
            let c = rest.chars().next()?;
            // German and English spell one sound with several letters.
            let (m, len) = if rest.starts_with("sch") {
                ('s', 3)
            } else if rest.starts_with("ph") {
                ('f', 2)
            } else {
                let m = match c {
                    'c' | 'q' => 'k',
                    'y' | 'j' => 'i',
                    'w' => 'v',
                    'ß' => 's',
                    _ => c,
                };
                (m, c.len_utf8())
            };
            rest = &rest[len..];
            if m == 'h' {
                continue;
            }
            let repeated = m == prev;
            prev = m;
            if !repeated {
                return Some(m);
            }
        }
    })
}

fn translit(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_decomposes_as_nfd_does() {
        use unicode_normalization::UnicodeNormalization;
        // The word normalized whole (NFD), its combining marks dropped.
        let by_nfd = |lower: &str| -> String {
            let latin: String = lower
                .nfd()
                .filter(|&c| !is_combining_mark(c))
                .flat_map(|c| {
                    translit(c)
                        .map_or_else(|| c.to_string(), str::to_string)
                        .chars()
                        .collect::<Vec<_>>()
                })
                .collect();
            folded(&latin).collect()
        };
        // Latin with diacritics, Greek, Cyrillic and its extensions, letters followed by
        // combining marks (stacked out of canonical order too), Hangul.
        let mut words: Vec<String> = [
            0xc0..0x250,
            0x370..0x400,
            0x400..0x530,
            0x1e00..0x1f00,
            0xac00..0xac40,
        ]
        .into_iter()
        .flatten()
        .filter_map(char::from_u32)
        .map(|c| format!("a{c}b"))
        .collect();
        words.extend(
            [
                "e\u{301}\u{327}",
                "e\u{327}\u{301}",
                "и\u{306}",
                "е\u{308}ж",
                "ǖ\u{323}",
            ]
            .map(String::from),
        );
        for w in &words {
            assert_eq!(fold(w), by_nfd(w), "{w}");
        }
    }

    fn numbers(text: &str) -> Vec<String> {
        number_spans(text).into_iter().map(|(_, n)| n).collect()
    }

    /// The number reader as first written, digit groups as strings (it shares only the
    /// separator test): the oracle of the reader that allocates nothing.
    fn read_number_by_groups(text: &str, start: usize) -> (String, usize) {
        let mut groups: Vec<String> = vec![String::new()];
        let mut seps: Vec<char> = Vec::new();
        let mut i = start;
        while let Some(c) = text[i..].chars().next() {
            if c.is_ascii_digit() {
                groups.last_mut().unwrap().push(c);
                i += 1;
                continue;
            }
            let Some(sep) = separator(text, i) else {
                break;
            };
            if sep.spacey && (sep.digits_after != 3 || groups.last().unwrap().len() > 3) {
                break;
            }
            seps.push(c);
            groups.push(String::new());
            i = sep.after;
        }
        let kinds = |c: char| {
            if c.is_whitespace() || c == '\'' || c == '’' {
                ' '
            } else {
                c
            }
        };
        let decimal_at = match seps.len() {
            0 => None,
            _ => {
                let last = *seps.last().unwrap();
                let mixed = seps.iter().any(|&s| kinds(s) != kinds(last));
                let repeated = seps.iter().filter(|&&s| kinds(s) == kinds(last)).count() > 1;
                if mixed && kinds(last) != ' ' {
                    Some(seps.len())
                } else if repeated || kinds(last) == ' ' || groups.last().unwrap().len() == 3 {
                    None
                } else {
                    Some(seps.len())
                }
            }
        };
        let mut out = String::new();
        for (k, g) in groups.iter().enumerate() {
            if Some(k) == decimal_at {
                out.push('.');
            }
            out.push_str(g);
        }
        let (int, frac) = out.split_once('.').unwrap_or((&out, ""));
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        let frac = frac.trim_end_matches('0');
        let canon = if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        };
        (canon, i)
    }

    /// A digit, then digits, separators and other characters in runs.
    fn number_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = proptest::sample::select(vec![
            "0", "1", "5", "00", "000", "123", "1234", ".", ",", "'", "’", " ", "\u{a0}",
            "\u{202f}", "\u{2009}", "a", "-",
        ]);
        proptest::collection::vec(piece, 1..14).prop_map(|v| format!("1{}", v.concat()))
    }

    #[test]
    fn numbers_are_locale_aware() {
        assert_eq!(
            numbers("1,000 and 1 000 and 1.000 and 1\u{a0}000"),
            ["1000"; 4]
        );
        assert_eq!(numbers("20,5 or 20.5 or 20,50"), ["20.5"; 3]);
        assert_eq!(numbers("1.234.567,89 = 1,234,567.89"), ["1234567.89"; 2]);
        assert_eq!(numbers("in 2012 25 people"), ["2012", "25"]);
        assert_eq!(numbers("12. August 2012 11:21"), ["12", "2012", "11", "21"]);
        assert_eq!(numbers("Jahr 2012, 147 Stimmen"), ["2012", "147"]);
        assert_eq!(numbers("25 000 Menschen"), ["25000"]);
    }

    #[test]
    fn names_fold_across_scripts() {
        assert_eq!(fold("тимошенко"), fold("timoschenko"));
        assert_eq!(fold("тимошенко")[..4], fold("tymoshenko")[..4]);
        assert_eq!(fold("комиссия")[..4], fold("commission")[..4]);
        assert_eq!(fold("ucrania")[..4], fold("украина")[..4]);
    }

    #[test]
    fn months_are_named_in_full_and_english_may_only_capitalized() {
        for l in Lang::ALL {
            for &(name, n) in month_names(l) {
                let capitalized: String = name
                    .chars()
                    .next()
                    .into_iter()
                    .flat_map(char::to_uppercase)
                    .chain(name.chars().skip(1))
                    .collect();
                let named = |first: &str| {
                    month_named(name.as_bytes(), first.as_bytes().first().copied(), l)
                };
                // Russian names inflect: `month` reads them, by their stems.
                let expected = (l != Lang::Ru).then_some(n);
                assert_eq!(named(&capitalized), expected, "{capitalized} in {l:?}");
                let lowercase = if (l, n) == (Lang::En, 5) {
                    None
                } else {
                    expected
                };
                assert_eq!(named(name), lowercase, "{name} in {l:?}");
                // A name cut short names nothing.
                let (last, _) = name.char_indices().last().unwrap();
                assert_eq!(month_named(&name.as_bytes()[..last], Some(b'X'), l), None);
                // No ASCII word names a Russian month, so ASCII words skip `month`.
                if name.is_ascii() {
                    assert_eq!(month(name, &capitalized, Lang::Ru), None, "{name}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_number_reader_reads_as_the_group_reader(text in number_text()) {
            let (mut out, mut seps) = (String::new(), Vec::new());
            let end = read_number(&text, 0, &mut out, &mut seps);
            proptest::prop_assert_eq!((out, end), read_number_by_groups(&text, 0));
        }
    }
}
