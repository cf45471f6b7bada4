//! Numbers and dates compared across a bead, after locale-aware reading (1,5 = 1.5;
//! 1 000 = 1,000 = 1.000), with the same quantity written differently reconciled; a number
//! reported when it stands in the translation with a value a slip away from the pivot's.

use super::{Check, Finding, Severity, Statement, join, quantities};
use crate::text::Lang;
use crate::text::anchors;
use serde_json::json;

/// Findings from comparing a bead's two texts: identical text, numbers, dates.
pub fn compare(
    ptext: &str,
    ltext: &str,
    pivot: Lang,
    l: Lang,
) -> Vec<(Check, Severity, serde_json::Value)> {
    let mut out = Vec::new();
    if let Some(c) = number_change((ptext, pivot), (ltext, l)) {
        out.push((
            Check::NumberMismatch,
            Severity::Error,
            json!({"pivot_numbers": c.pivot_numbers, "numbers": c.numbers,
                "missing": c.missing, "extra": c.extra}),
        ));
    }
    let pd = anchors::dates(ptext, pivot);
    let ld = anchors::dates(ltext, l);
    if !pd.is_empty() && !ld.is_empty() {
        let (missing, extra) = multiset_difference(&pd, &ld);
        if !missing.is_empty() || !extra.is_empty() {
            let fmt = |d: &[(u8, u8)]| {
                d.iter()
                    .map(|(day, m)| format!("{day:02}-{m:02}"))
                    .collect::<Vec<_>>()
            };
            out.push((
                Check::DateMismatch,
                Severity::Error,
                json!({"pivot_dates": fmt(&pd), "dates": fmt(&ld)}),
            ));
        }
    }
    out
}

/// The numbers of a bead's two texts where one of the pivot's stands changed in the
/// translation.
struct NumberChange {
    pivot_numbers: Vec<String>,
    numbers: Vec<String>,
    /// The pivot's numbers the translation lacks, and the translation's the pivot lacks,
    /// once the same quantities written differently are set aside.
    missing: Vec<String>,
    extra: Vec<String>,
}

/// The numbers of `ptext` and `ltext` compared, if a number changed.
fn number_change((ptext, pivot): (&str, Lang), (ltext, l): (&str, Lang)) -> Option<NumberChange> {
    let pn = anchors::numbers(ptext);
    let ln = anchors::numbers(ltext);
    let (mut missing, mut extra) = multiset_difference(&pn, &ln);
    reconcile(&mut missing, &mut extra);
    quantities::explain_notations(&mut missing, &mut extra, (ptext, pivot), (ltext, l));
    // A number changed when a number of the pivot stands in the translation with another
    // value of the same order — the same quantity, written wrong. A number on one side only,
    // or two unrelated ones, is more often spelled out, rounded away or paraphrased.
    let changed = missing
        .iter()
        .any(|m| extra.iter().any(|e| same_quantity_changed(m, e)))
        || cut_group(&missing, &extra, ltext);
    changed.then_some(NumberChange {
        pivot_numbers: pn,
        numbers: ln,
        missing,
        extra,
    })
}

/// A number changed across the boundary of two neighbouring beads, neither of which
/// changed a number on its own: a translator who moves a sentence into a neighbouring
/// paragraph takes its numbers along, so one bead has a number the pivot's lacks and the
/// other lacks one of the pivot's — compared together, a changed number. Two beads' texts
/// hold more unrelated numbers than one bead's, so only a clean exchange counts: one
/// number missing, one extra. Reported on the paragraph of `l` that holds the extra
/// number, against the pivot paragraph that holds the missing one.
pub fn across_boundary(
    s: &Statement,
    l: Lang,
    (p0, l0): (&[usize], &[usize]),
    (p1, l1): (&[usize], &[usize]),
) -> Option<Finding> {
    let pp: Vec<usize> = p0.iter().chain(p1).copied().collect();
    let lp: Vec<usize> = l0.iter().chain(l1).copied().collect();
    let c = number_change(
        (&join(s.doc(s.pivot), &pp), s.pivot),
        (&join(s.doc(l), &lp), l),
    )
    .filter(|c| c.missing.len() == 1 && c.extra.len() == 1)?;
    // The paragraphs of `ps` in `lang` whose numbers hold `n`; all of them if none does.
    let holding = |lang: Lang, ps: Vec<usize>, n: &String| {
        let holds = |p: &usize| anchors::numbers(&join(s.doc(lang), &[*p])).contains(n);
        let some: Vec<usize> = ps.iter().copied().filter(holds).collect();
        if some.is_empty() { ps } else { some }
    };
    Some(s.finding(
        l,
        holding(l, lp, &c.extra[0]),
        holding(s.pivot, pp, &c.missing[0]),
        Check::NumberMismatch,
        Severity::Error,
        json!({"pivot_numbers": c.pivot_numbers, "numbers": c.numbers,
            "missing": c.missing, "extra": c.extra, "across_paragraphs": true}),
    ))
}

/// A number changed in paragraph `p` of version `l`, which the pivot lacks: judged
/// against the other versions that have it, at least two, all of which tell the same
/// changed number (so that the odd one out is `l`, not one of them).
pub fn against_others(s: &Statement, l: Lang, p: usize) -> Option<Finding> {
    let ltext = join(s.doc(l), &[p]);
    let mut seen: Option<NumberChange> = None;
    let mut refs = Vec::new();
    for &d in s.others.iter().filter(|&&d| d != l) {
        let dtext = s.counterpart_text(l, p, d);
        if dtext.is_empty() {
            continue;
        }
        let change = number_change((&dtext, d), (&ltext, l))?;
        // Every other version tells the same change.
        if seen
            .as_ref()
            .is_some_and(|c| (&c.missing, &c.extra) != (&change.missing, &change.extra))
        {
            return None;
        }
        seen = Some(change);
        refs.push(d.code());
    }
    let c = seen.filter(|_| refs.len() >= 2)?;
    Some(s.finding(
        l,
        vec![p],
        Vec::new(),
        Check::NumberMismatch,
        Severity::Error,
        json!({"compared_with": refs, "missing": c.missing, "extra": c.extra,
            "numbers": c.numbers}),
    ))
}

/// Remove from `a` and `b` the numbers that are the same quantity written differently:
/// 200 / 200000 (with "thousand" in words), '90 / 1990, 23:30 / 23.30.
fn reconcile(a: &mut Vec<String>, b: &mut Vec<String>) {
    fn same(x: &str, y: &str, other: &[String]) -> bool {
        let (Ok(vx), Ok(vy)) = (x.parse::<f64>(), y.parse::<f64>()) else {
            return false;
        };
        // Scale words: 1.5 million / 1 500 000.
        if vx > 0.0
            && [1e3, 1e6, 1e9].iter().any(|k| {
                (vx * k - vy).abs() < 1e-6 * vy.max(1.0) || (vy * k - vx).abs() < 1e-6 * vx.max(1.0)
            })
        {
            return true;
        }
        // Two-digit years.
        let years = |short: &str, long: &str| {
            short.len() == 2
                && long.len() == 4
                && long.ends_with(short)
                && (long.starts_with("19") || long.starts_with("20"))
        };
        if years(x, y) || years(y, x) {
            return true;
        }
        // A time read as a decimal on one side (18.05, 19.30), two numbers on the other
        // (18:05, 7:30 p.m.).
        if let Some((int, frac)) = x.split_once('.') {
            return y
                .parse::<u32>()
                .is_ok_and(|h| int.parse::<u32>().is_ok_and(|i| h == i || h + 12 == i))
                && other.iter().any(|n| same_digits(n, frac));
        }
        false
    }
    // "5 mil 352" on one side, 5352 on the other.
    join_thousands(a, b);
    join_thousands(b, a);
    let mut i = 0;
    while i < a.len() {
        let hit = (0..b.len()).find(|&j| same(&a[i], &b[j], b) || same(&b[j], &a[i], a));
        match hit {
            Some(j) => {
                let (x, y) = (a.remove(i), b.remove(j));
                // The other half of a split decimal goes too.
                for (dec, side) in [(&x, &mut *b), (&y, &mut *a)] {
                    if let Some((_, frac)) = dec.split_once('.')
                        && let Some(k) = side.iter().position(|n| same_digits(n, frac))
                    {
                        side.remove(k);
                    }
                }
            }
            None => i += 1,
        }
    }
}

/// Do two digit strings say the same minutes: "05" / "5", "3" / "30"?
fn same_digits(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim_start_matches('0').trim_end_matches('0').to_string();
    a.bytes().all(|c| c.is_ascii_digit()) && norm(a) == norm(b)
}

/// Could `b` be `a` miswritten: small numbers close in value (9 / 11), or digits one edit
/// apart (172 / 173, 2 / 12, 1997 / 1979)? A number and the same to fewer decimal places
/// are a rounding (337.8 / 338), not a change.
fn same_quantity_changed(a: &str, b: &str) -> bool {
    let (Ok(va), Ok(vb)) = (a.parse::<f64>(), b.parse::<f64>()) else {
        return false;
    };
    let (lo, hi) = (va.min(vb), va.max(vb));
    // Decimals to as many places (337.8 / 337.9) are not one rounded from the other.
    let places = |x: &str| x.split_once('.').map_or(0, |(_, f)| f.len());
    if places(a) != places(b)
        && (hi - lo) < 1.0
        && (va.trunc() == vb.trunc() || va.round() == vb.round())
    {
        return false;
    }
    if lo > 0.0 && hi < 100.0 && hi / lo <= 1.5 {
        return true;
    }
    if scaled_and_changed((a, va), (b, vb)) || scaled_and_changed((b, vb), (a, va)) {
        return true;
    }
    let da: Vec<char> = a.chars().filter(char::is_ascii_digit).collect();
    let db: Vec<char> = b.chars().filter(char::is_ascii_digit).collect();
    let transposed = da.len() == db.len() && {
        let diff: Vec<usize> = (0..da.len()).filter(|&i| da[i] != db[i]).collect();
        diff.len() == 2
            && diff[1] == diff[0] + 1
            && da[diff[0]] == db[diff[1]]
            && da[diff[1]] == db[diff[0]]
    };
    transposed || edit_distance(&da, &db) <= 1
}

/// Does the translation `text` hold a pivot number cut at a thousands group that lost or
/// gained digits: 31,059 written "31 61", read as 31 and 61 (a space groups thousands only
/// before three digits)? The group before the space is the pivot's, digit for digit, and
/// the group after it, of one, two or four digits, is not the pivot's last group.
fn cut_group(missing: &[String], extra: &[String], text: &str) -> bool {
    // A whole number's thousands and its last group.
    fn split(m: &str) -> Option<(&str, &str)> {
        let digits = m.len();
        (digits >= 4 && m.bytes().all(|b| b.is_ascii_digit())).then(|| m.split_at(digits - 3))
    }
    let cuts: Vec<(&str, &str)> = missing
        .iter()
        .filter_map(|m| split(m))
        .filter(|(lead, _)| extra.iter().any(|e| e == lead))
        .collect();
    if cuts.is_empty() {
        return false;
    }
    // Two numbers the reader read apart, with one space-like separator between them.
    let spans = anchors::number_spans(text);
    spans.windows(2).any(|w| {
        let ((r1, lead), (r2, g)) = (&w[0], &w[1]);
        let between = &text[r1.end..r2.start];
        let spacey = matches!(
            between,
            " " | "\u{a0}" | "\u{202f}" | "\u{2009}" | "'" | "’"
        );
        spacey
            && matches!(g.len(), 1 | 2 | 4)
            && g.bytes().all(|b| b.is_ascii_digit())
            && extra.contains(g)
            && cuts.iter().any(|&(l, last)| {
                l == lead && g.trim_start_matches('0') != last.trim_start_matches('0')
            })
    })
}

/// Is `x` (a decimal) a thousand, a million or a billion times off `y` with its digits
/// changed: 50.1 (thousand) for 50,000, where a thousands group lost digits? Within 5%,
/// and not `y` rounded to `x`'s significant digits (2.3 for 2,345 is a rounding).
fn scaled_and_changed((x, vx): (&str, f64), (_, vy): (&str, f64)) -> bool {
    if !x.contains('.') || vx <= 0.0 {
        return false;
    }
    let significant = x.trim_start_matches(['0', '.']).replace('.', "").len() as i32;
    [1e3, 1e6, 1e9].iter().any(|k| {
        let scaled = vx * k;
        let ratio = scaled.max(vy) / scaled.min(vy);
        // vy rounded to as many significant digits as x has.
        let unit = 10f64.powi(vy.log10().floor() as i32 + 1 - significant);
        let rounded = (vy / unit).round() * unit;
        ratio > 1.0 + 1e-9 && ratio <= 1.05 && (rounded - scaled).abs() > 1e-6 * scaled
    })
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            row.push(sub.min(prev[j + 1] + 1).min(row[j] + 1));
        }
        prev = row;
    }
    prev[b.len()]
}

/// Remove a number of `x` written as two numbers in `y` around a word for thousand.
fn join_thousands(x: &mut Vec<String>, y: &mut Vec<String>) {
    let mut i = 0;
    while i < x.len() {
        let v: f64 = x[i].parse().unwrap_or(-1.0);
        let value = |n: &String| n.parse::<f64>().unwrap_or(-1.0);
        let parts = (0..y.len())
            .flat_map(|j| (0..y.len()).map(move |k| (j, k)))
            .find(|&(j, k)| {
                j != k
                    && value(&y[j]) >= 1.0
                    && y[k].len() == 3
                    && (value(&y[j]) * 1000.0 + value(&y[k]) - v).abs() < 1e-6
            });
        match parts {
            Some((j, k)) => {
                x.remove(i);
                y.remove(j.max(k));
                y.remove(j.min(k));
            }
            None => i += 1,
        }
    }
}

/// (in a but not b, in b but not a), as multisets.
pub(super) fn multiset_difference<T: Ord + Clone>(a: &[T], b: &[T]) -> (Vec<T>, Vec<T>) {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    let (mut i, mut j) = (0, 0);
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                only_a.push(x.clone());
                i += 1;
            }
            (Some(_), Some(y)) => {
                only_b.push(y.clone());
                j += 1;
            }
            (Some(x), None) => {
                only_a.push(x.clone());
                i += 1;
            }
            (None, Some(y)) => {
                only_b.push(y.clone());
                j += 1;
            }
            (None, None) => break,
        }
    }
    (only_a, only_b)
}

/// A pivot number that most versions have differently (more than have it as the pivot
/// does, the pivot counted) was changed in the pivot, not in each of them: one finding for
/// the pivot replaces theirs.
pub fn attribute_to_pivot(out: &mut Vec<Finding>, pivot: Lang, others: usize) {
    if others < 2 {
        return;
    }
    let numbers = |f: &Finding, key: &str| -> Vec<String> {
        f.evidence[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mismatches: Vec<usize> = (0..out.len())
        .filter(|&k| out[k].check == Check::NumberMismatch)
        .collect();
    let pivot_paras: std::collections::BTreeSet<usize> = mismatches
        .iter()
        .flat_map(|&k| out[k].pivot_paras.iter().copied())
        .collect();
    let mut drop = std::collections::BTreeSet::new();
    let mut add = Vec::new();
    for p in pivot_paras {
        // The findings about pivot paragraph p, one language each (beads may group p with
        // its neighbours differently in each language).
        let ks: Vec<usize> = mismatches
            .iter()
            .copied()
            .filter(|&k| out[k].pivot_paras.contains(&p) && !drop.contains(&k))
            .collect();
        let langs: std::collections::BTreeSet<Lang> = ks.iter().map(|&k| out[k].lang).collect();
        // The versions against the pivot must outnumber those with it, the pivot counted.
        if 2 * langs.len() <= others + 1 {
            continue;
        }
        let shared = |key: &str| -> Vec<String> {
            numbers(&out[ks[0]], key)
                .into_iter()
                .filter(|n| ks.iter().all(|&k| numbers(&out[k], key).contains(n)))
                .collect()
        };
        let (missing, extra) = (shared("missing"), shared("extra"));
        if !missing
            .iter()
            .any(|m| extra.iter().any(|e| same_quantity_changed(m, e)))
        {
            continue;
        }
        let f = &out[ks[0]];
        add.push(Finding {
            doc: f.doc.clone(),
            lang: pivot,
            paras: vec![p],
            pivot_paras: vec![p],
            sentences: Vec::new(),
            pivot_sentences: Vec::new(),
            check: Check::NumberMismatch,
            severity: Severity::Error,
            evidence: json!({"numbers": missing, "other_versions": extra,
                "missing": extra, "extra": missing}),
        });
        // The others' findings go when the pivot's change explains all they saw.
        for &k in &ks {
            if numbers(&out[k], "missing").len() == missing.len() {
                drop.insert(k);
            }
        }
    }
    for k in drop.into_iter().rev() {
        out.remove(k);
    }
    out.extend(add);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_after_locale_normalisation() {
        let f = compare(
            "Sales rose 1,500 tonnes, or 20.5%.",
            "Продажи выросли на 1 500 тонн, или 20,5 %.",
            Lang::En,
            Lang::Ru,
        );
        assert!(f.iter().all(|x| x.0 != Check::NumberMismatch), "{f:?}");
        let f = compare(
            "Sales rose 1,500 tonnes.",
            "Продажи выросли на 1 520 тонн.",
            Lang::En,
            Lang::Ru,
        );
        assert!(f.iter().any(|x| x.0 == Check::NumberMismatch));
        // "three" spelled out: not an error.
        let f = compare(
            "The 3 ministers met.",
            "Die drei Minister trafen sich.",
            Lang::En,
            Lang::De,
        );
        assert!(f.iter().all(|x| x.0 != Check::NumberMismatch));
    }

    #[test]
    fn dates_compare_across_languages() {
        let f = compare(
            "Talks on 12 August ended.",
            "Переговоры 13 августа завершились.",
            Lang::En,
            Lang::Ru,
        );
        assert!(f.iter().any(|x| x.0 == Check::DateMismatch), "{f:?}");
        let f = compare(
            "Talks on August 12 ended.",
            "Les pourparlers du 12 août ont pris fin.",
            Lang::En,
            Lang::Fr,
        );
        assert!(f.iter().all(|x| x.0 != Check::DateMismatch), "{f:?}");
    }

    #[test]
    fn miswritten_numbers() {
        assert!(same_quantity_changed("400", "402"));
        assert!(same_quantity_changed("2", "12"));
        assert!(same_quantity_changed("1997", "1979"));
        assert!(same_quantity_changed("9", "11"));
        assert!(!same_quantity_changed("12", "2008"));
        assert!(!same_quantity_changed("4.5", "4"));
        assert!(!same_quantity_changed("337.8", "338"));
        assert!(same_quantity_changed("337.8", "337.9"));
        // A thousands group cut short; a rounding to fewer digits is not a change.
        assert!(same_quantity_changed("50000", "50.1"));
        assert!(!same_quantity_changed("2345", "2.3"));
        assert!(!same_quantity_changed("1500000", "1.5"));
        // 31,059 written "31 61": a thousands group cut short; the thousands alone, or
        // the same group, are not a cut.
        let strs = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let cut = |m: &[&str], e: &[&str], text| cut_group(&strs(m), &strs(e), text);
        assert!(cut(&["31059"], &["31", "61"], "un français, 31 61, alors"));
        assert!(cut(&["31059"], &["31", "5900"], "31\u{a0}5900 euros"));
        assert!(!cut(&["31059"], &["31"], "31 euros"));
        assert!(!cut(&["31059"], &["31", "59"], "31 59"));
        // A group of its own, or in words: "6 mil 74" is 6,074.
        assert!(!cut(&["31059"], &["31", "61"], "31 euros, 61 personnes"));
        assert!(!cut(&["6074"], &["6", "74"], "6 mil 74 actas"));
        assert!(!cut(&["310.5"], &["3", "61"], "3 61"));
        assert!(!cut(&["31059"], &["31", "61"], "131 610 and 31 or 61"));
        let (mut a, mut b) = (
            vec!["5352".to_string()],
            vec!["5".to_string(), "352".to_string()],
        );
        reconcile(&mut a, &mut b);
        assert!(a.is_empty() && b.is_empty());
    }
}
