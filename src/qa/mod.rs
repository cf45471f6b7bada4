//! Translation QA: findings on aligned units that a reviewer should look at — a paragraph a
//! version lacks or adds, a paragraph left untranslated, numbers or dates that differ, a
//! translation much longer or shorter than the pair's ratio, a unit the aligner is unsure of.
//!
//! Every version is compared with the pivot through the pivot pair's beads.

use crate::align::CorpusModel;
use crate::align::dp::Bead;
use crate::align::features;
use crate::aligned::{AlignedCorpus, AlignedStatement};
use crate::text::Lang;
use crate::text::anchors;
use crate::text::langcheck::LangChecker;
use crate::text::scoring_text;
use serde::Serialize;
use serde_json::json;

/// The kinds of finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A pivot paragraph (or part of one) with no counterpart in the language.
    Omission,
    /// A paragraph with no counterpart in the pivot.
    Addition,
    /// Text in another of the five languages than its file's, or identical to the pivot's.
    Untranslated,
    NumberMismatch,
    DateMismatch,
    /// A translation much longer or shorter than the pair's learned ratio.
    LengthRatio,
    /// A unit the aligner is unsure of.
    LowConfidence,
}

impl Check {
    pub const ALL: [Check; 7] = [
        Check::Omission,
        Check::Addition,
        Check::Untranslated,
        Check::NumberMismatch,
        Check::DateMismatch,
        Check::LengthRatio,
        Check::LowConfidence,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Check::Omission => "omission",
            Check::Addition => "addition",
            Check::Untranslated => "untranslated",
            Check::NumberMismatch => "number_mismatch",
            Check::DateMismatch => "date_mismatch",
            Check::LengthRatio => "length_ratio",
            Check::LowConfidence => "low_confidence",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding: where, what, how bad, and the evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub doc: String,
    pub lang: Lang,
    /// Paragraph indices in the language's file.
    pub paras: Vec<usize>,
    /// The pivot paragraphs compared with.
    pub pivot_paras: Vec<usize>,
    pub check: Check,
    pub severity: Severity,
    /// What was seen, e.g. the numbers on each side.
    pub evidence: serde_json::Value,
}

/// Thresholds of the checks.
const MIN_LANG_CHECK_CHARS: usize = 60;
/// Share of a paragraph's words found in another version's counterpart that makes it a copy.
const COPY_OVERLAP: f64 = 0.8;
/// The share that confirms a copy when the language detector already says it is one.
const PARTIAL_COPY_OVERLAP: f64 = 0.7;
/// Words a paragraph needs before it can be called untranslated.
const MIN_WORDS: usize = 5;
/// Words a sentence needs before its language is checked on its own.
const MIN_SENTENCE_WORDS: usize = 5;
const MIN_IDENTICAL_CHARS: usize = 20;
/// A translation shorter than this share of its expected length, with fewer sentences than
/// its source, has lost part of it.
const PARTIAL_OMISSION_RATIO: f64 = 0.65;
/// A translation of several pivot paragraphs shorter than this share of their expected
/// length is missing one of them rather than merging them.
const MERGED_OMISSION_RATIO: f64 = 0.8;
/// Standard deviations of the learned length model beyond which a bead is reported.
const LENGTH_OUTLIER_SD: f64 = 4.0;
const LOW_CONFIDENCE: f64 = 0.5;
/// Share of a missing paragraph's own anchors found in a neighbour that shows it merged.
const MERGED_COVERAGE: f64 = 0.5;

/// Run every check on every statement.
pub fn check_corpus(corpus: &AlignedCorpus, model: &CorpusModel) -> Vec<Finding> {
    use rayon::prelude::*;
    let checker = LangChecker::default();
    corpus
        .statements
        .par_iter()
        .flat_map_iter(|st| check_statement(st, corpus.pivot, model, &checker))
        .collect()
}

/// The pivot pair's beads of language `l`, with the pivot on side a, and their confidences.
fn pivot_beads(st: &AlignedStatement, pivot: Lang, l: Lang) -> Vec<(Bead, f64)> {
    for p in &st.alignment.pairs {
        if p.x == pivot && p.y == l {
            return p
                .beads
                .iter()
                .cloned()
                .zip(p.confidence.iter().copied())
                .collect();
        }
        if p.x == l && p.y == pivot {
            return p
                .beads
                .iter()
                .map(|b| Bead {
                    a: b.b.clone(),
                    b: b.a.clone(),
                })
                .zip(p.confidence.iter().copied())
                .collect();
        }
    }
    Vec::new()
}

/// The checks of one statement.
pub fn check_statement(
    st: &AlignedStatement,
    corpus_pivot: Lang,
    model: &CorpusModel,
    checker: &LangChecker,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let langs: Vec<Lang> = st.langs().collect();
    let Some(&pivot) = langs.iter().find(|&&l| l == corpus_pivot).or(langs.first()) else {
        return out;
    };
    let pdoc = st.doc(pivot).expect("present");
    let finding =
        |lang, paras: Vec<usize>, pivot_paras: Vec<usize>, check, severity, evidence| Finding {
            doc: st.name.clone(),
            lang,
            paras,
            pivot_paras,
            check,
            severity,
            evidence,
        };
    let others: Vec<Lang> = langs.iter().copied().filter(|&l| l != pivot).collect();

    // Paragraphs without counterpart, per language, to tell an omission in one version from
    // an addition in the pivot (a passage no other version has).
    let mut missing_in: Vec<Vec<Lang>> = vec![Vec::new(); pdoc.paragraphs.len()];
    let mut unmatched: Vec<(Lang, usize)> = Vec::new();
    for &l in &others {
        let doc = st.doc(l).expect("present");
        let (model_ratio, var) = length_model(model, pivot, l);
        for (bead, confidence) in pivot_beads(st, pivot, l) {
            let pp = st.text_paras(pivot, bead.a.clone());
            let lp = st.text_paras(l, bead.b.clone());
            match (pp.is_empty(), lp.is_empty()) {
                (false, true) if bead.b.is_empty() => {
                    for &p in &pp {
                        missing_in[p].push(l);
                    }
                }
                (true, false) if bead.a.is_empty() => unmatched.extend(lp.iter().map(|&p| (l, p))),
                (false, false) => {
                    let ptext = join(pdoc, &pp);
                    let ltext = join(doc, &lp);
                    out.extend(compare(&ptext, &ltext, pivot, l).into_iter().map(
                        |(check, sev, ev)| finding(l, lp.to_vec(), pp.to_vec(), check, sev, ev),
                    ));
                    let (plen, llen) = (ptext.chars().count() as f64, ltext.chars().count() as f64);
                    let ratio = llen / (model_ratio * plen).max(1.0);
                    let (ps, ls) = (sentences(&ptext), sentences(&ltext));
                    // Short of sentences, or several pivot paragraphs for a translation too
                    // short to hold them all: part of the pivot is missing.
                    let short = (ratio < PARTIAL_OMISSION_RATIO && ls < ps && ps >= 2)
                        || (pp.len() >= 2 && ratio < MERGED_OMISSION_RATIO);
                    if short {
                        out.push(finding(
                            l,
                            lp.to_vec(),
                            pp.to_vec(),
                            Check::Omission,
                            Severity::Warning,
                            json!({"partial": true, "length_ratio": round(ratio), "sentences": [ps, ls]}),
                        ));
                    } else if plen >= 40.0 && llen >= 1.0 {
                        let mean = (plen + llen / model_ratio) / 2.0;
                        let sd = (var.0 / mean + var.1).sqrt();
                        let dev = (llen / (model_ratio * plen)).ln() / sd;
                        if dev.abs() > LENGTH_OUTLIER_SD {
                            out.push(finding(
                                l,
                                lp.to_vec(),
                                pp.to_vec(),
                                Check::LengthRatio,
                                Severity::Info,
                                json!({"length_ratio": round(ratio), "expected": round(model_ratio), "sd": round(dev)}),
                            ));
                        }
                    }
                    if confidence < LOW_CONFIDENCE {
                        out.push(finding(
                            l,
                            lp.to_vec(),
                            pp.to_vec(),
                            Check::LowConfidence,
                            Severity::Warning,
                            json!({"confidence": round(confidence)}),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    attribute_to_pivot(&mut out, pivot, others.len());
    for (p, langs_missing) in missing_in.iter().enumerate() {
        if langs_missing.is_empty() {
            continue;
        }
        if others.len() >= 2 && langs_missing.len() == others.len() {
            // No other version has it: the pivot added it.
            out.push(finding(
                pivot,
                vec![p],
                vec![],
                Check::Addition,
                Severity::Warning,
                json!({"missing_in": langs_missing}),
            ));
        } else {
            for &l in langs_missing {
                // Its names and numbers in the neighbouring paragraphs, beyond what their own
                // pivot paragraphs explain: the translator merged it into a neighbour.
                let merged = merged_into_neighbour(st, pivot, l, p);
                if merged < MERGED_COVERAGE {
                    out.push(finding(
                        l,
                        vec![],
                        vec![p],
                        Check::Omission,
                        Severity::Error,
                        json!({"found_in_neighbours": round(merged)}),
                    ));
                }
            }
        }
    }
    for (l, p) in unmatched {
        out.push(finding(
            l,
            vec![p],
            vec![],
            Check::Addition,
            Severity::Warning,
            json!({}),
        ));
    }

    // Untranslated: a paragraph in another of the five languages, most often a copy of
    // another version's paragraph.
    for &l in &langs {
        let doc = st.doc(l).expect("present");
        for (p, text) in doc.paragraphs.iter().enumerate() {
            let chars = text.chars().count();
            // Date lines read the same in several languages; so do lists of names.
            if doc.chrome[p] || crate::text::chrome::date_line(text).is_some() {
                continue;
            }
            if chars < MIN_IDENTICAL_CHARS || distinct_words(text) < MIN_WORDS {
                // A short heading: untranslated when it is another version's heading, word
                // for word, and reads as that version's language.
                if let Some(d) = short_copy(st, checker, l, p, text) {
                    out.push(finding(
                        l,
                        vec![p],
                        if l == pivot {
                            vec![p]
                        } else {
                            counterpart(st, pivot, l, p)
                        },
                        Check::Untranslated,
                        Severity::Warning,
                        json!({"detected": d, "overlap": 1.0}),
                    ));
                }
                continue;
            }
            let detected = checker.detect_any(text);
            let reliable = detected
                .filter(|d| d.1 && chars >= MIN_LANG_CHECK_CHARS)
                .map(|d| d.0);
            // The best copy of this paragraph among the other versions' counterparts.
            let copy = langs
                .iter()
                .filter(|&&d| d != l)
                .map(|&d| (d, overlap(text, &counterpart_text(st, l, p, d))))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let copied_from = copy.filter(|c| c.1 >= COPY_OVERLAP);
            let foreign = match (copied_from, detected) {
                // Identical text in two versions: the one not written in the detected
                // language is the untranslated one.
                (Some((d, _)), Some((lang, _))) => (lang == d && lang != l).then_some(lang),
                (None, _) => reliable.filter(|&d| {
                    d != l
                        && (st.doc(d).is_none()
                            || copy.is_some_and(|c| c.0 == d && c.1 >= PARTIAL_COPY_OVERLAP))
                }),
                _ => None,
            };
            let pivot_paras = || {
                if l == pivot {
                    vec![p]
                } else {
                    counterpart(st, pivot, l, p)
                }
            };
            if let Some(found) = foreign {
                let overlap = copy.map_or(0.0, |c| round(c.1));
                out.push(finding(
                    l,
                    vec![p],
                    pivot_paras(),
                    Check::Untranslated,
                    Severity::Error,
                    json!({"detected": found, "overlap": overlap}),
                ));
            } else if let Some((found, sentence)) = untranslated_sentence(st, checker, l, p, text) {
                out.push(finding(
                    l,
                    vec![p],
                    pivot_paras(),
                    Check::Untranslated,
                    Severity::Warning,
                    json!({"detected": found, "partial": true, "sentence": sentence}),
                ));
            }
        }
    }
    out.sort_by(|a, b| {
        (a.lang, a.paras.first(), a.pivot_paras.first(), a.check).cmp(&(
            b.lang,
            b.paras.first(),
            b.pivot_paras.first(),
            b.check,
        ))
    });
    out.dedup_by(|a, b| {
        a.lang == b.lang
            && a.paras == b.paras
            && a.pivot_paras == b.pivot_paras
            && a.check == b.check
    });
    out
}

/// A pivot number that every other version has differently was changed in the pivot, not
/// in each of them: one finding for the pivot replaces theirs.
fn attribute_to_pivot(out: &mut Vec<Finding>, pivot: Lang, others: usize) {
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
        if langs.len() < others {
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

/// The share of pivot paragraph `p`'s anchors (numbers, dates, names and cognates) found in
/// version `l`'s paragraphs next to where `p` should be, and not in the pivot paragraphs those
/// are aligned with.
fn merged_into_neighbour(st: &AlignedStatement, pivot: Lang, l: Lang, p: usize) -> f64 {
    let beads = pivot_beads(st, pivot, l);
    let Some(at) = beads.iter().position(|(b, _)| b.a.contains(&p)) else {
        return 0.0;
    };
    let (pdoc, ldoc) = (st.doc(pivot).expect("present"), st.doc(l).expect("present"));
    let anchors = |text: &str, lang: Lang| -> std::collections::HashSet<u64> {
        features::extract(text, lang).anchors.into_iter().collect()
    };
    let mine = anchors(&scoring_text(&pdoc.paragraphs[p]), pivot);
    if mine.len() < 2 {
        return 0.0;
    }
    let mut theirs = std::collections::HashSet::new();
    let mut explained = std::collections::HashSet::new();
    let neighbours = [at.checked_sub(1), Some(at + 1)];
    for (b, _) in neighbours
        .into_iter()
        .flatten()
        .filter_map(|k| beads.get(k))
    {
        for q in b.b.clone() {
            theirs.extend(anchors(&scoring_text(&ldoc.paragraphs[q]), l));
        }
        for q in b.a.clone() {
            explained.extend(anchors(&scoring_text(&pdoc.paragraphs[q]), pivot));
        }
    }
    let found = mine
        .iter()
        .filter(|a| theirs.contains(a) && !explained.contains(a))
        .count();
    let own = mine.iter().filter(|a| !explained.contains(a)).count();
    if own == 0 {
        return 0.0;
    }
    found as f64 / own as f64
}

/// The pivot paragraphs aligned with paragraph `p` of language `l`.
fn counterpart(st: &AlignedStatement, pivot: Lang, l: Lang, p: usize) -> Vec<usize> {
    pivot_beads(st, pivot, l)
        .into_iter()
        .find(|(b, _)| b.b.contains(&p))
        .map_or(Vec::new(), |(b, _)| b.a.collect())
}

/// A sentence of paragraph `p` of `l` left in another language: detected as such, and
/// found in that language's version (its aligned paragraphs) where the statement has one.
fn untranslated_sentence(
    st: &AlignedStatement,
    checker: &LangChecker,
    l: Lang,
    p: usize,
    text: &str,
) -> Option<(Lang, String)> {
    let parts = split_sentences(text);
    if parts.len() < 2 {
        return None;
    }
    for sentence in parts {
        let n = distinct_words(sentence);
        // A list of names reads the same in every language.
        if n < 2 || mostly_capitalised(sentence) {
            continue;
        }
        let Some((d, reliable)) = checker.detect_any(sentence) else {
            continue;
        };
        if d == l {
            continue;
        }
        let found = overlap(sentence, &counterpart_text(st, l, p, d));
        // A long sentence reliably in d and found in d's version; a short one only when
        // d's version has every word of it.
        let confirmed = if n >= MIN_SENTENCE_WORDS && reliable {
            st.doc(d).is_none() || found >= COPY_OVERLAP
        } else {
            found >= 1.0 && n >= 3
        };
        if confirmed {
            return Some((d, sentence.to_string()));
        }
    }
    None
}

/// A short paragraph that is, word for word, its counterpart in another version and reads
/// as that version's language.
fn short_copy(
    st: &AlignedStatement,
    checker: &LangChecker,
    l: Lang,
    p: usize,
    text: &str,
) -> Option<Lang> {
    if distinct_words(text) < 2 {
        return None;
    }
    let (d, _) = checker.detect_any(text)?;
    if d == l || st.doc(d).is_none() {
        return None;
    }
    let theirs = counterpart_text(st, l, p, d);
    (words(&theirs) == words(text)).then_some(d)
}

/// Sentences: split after sentence-final punctuation followed by a space and a capital.
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for w in chars.windows(3) {
        let (i, c) = w[0];
        if matches!(c, '.' | '!' | '?' | '…')
            && w[1].1 == ' '
            && (w[2].1.is_uppercase() || matches!(w[2].1, '"' | '«' | '„' | '“' | '¿' | '¡'))
        {
            let end = i + c.len_utf8();
            out.push(text[start..end].trim());
            start = w[2].0;
        }
    }
    out.push(text[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// The text of the paragraphs of version `d` aligned with paragraph `p` of version `l`.
fn counterpart_text(st: &AlignedStatement, l: Lang, p: usize, d: Lang) -> String {
    let (Some(dl), Some(dd)) = (st.doc(l), st.doc(d)) else {
        return String::new();
    };
    let _ = dl;
    let paras: Vec<usize> = st
        .alignment
        .pairs
        .iter()
        .find_map(|pair| {
            let beads = &pair.beads;
            if pair.x == l && pair.y == d {
                beads
                    .iter()
                    .find(|b| b.a.contains(&p))
                    .map(|b| b.b.clone().collect())
            } else if pair.x == d && pair.y == l {
                beads
                    .iter()
                    .find(|b| b.b.contains(&p))
                    .map(|b| b.a.clone().collect())
            } else {
                None
            }
        })
        .unwrap_or_default();
    join(dd, &paras)
}

/// Distinct words of three letters or more, lowercased.
fn words(text: &str) -> std::collections::HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| w.to_lowercase())
        .collect()
}

fn distinct_words(text: &str) -> usize {
    words(text).len()
}

/// More than 60% of the words capitalised: names, not prose.
fn mostly_capitalised(text: &str) -> bool {
    let ws = words(text);
    let caps = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && w.chars().next().is_some_and(char::is_uppercase))
        .map(str::to_lowercase)
        .collect::<std::collections::HashSet<_>>()
        .len();
    !ws.is_empty() && caps * 10 > ws.len() * 6
}

/// Share of `text`'s distinct words that `other` has too.
fn overlap(text: &str, other: &str) -> f64 {
    let a = words(text);
    if a.is_empty() {
        return 0.0;
    }
    let b = words(other);
    a.iter().filter(|w| b.contains(*w)).count() as f64 / a.len() as f64
}

fn length_model(model: &CorpusModel, pivot: Lang, l: Lang) -> (f64, (f64, f64)) {
    let m = if pivot == model.pivot {
        model.length[l]
    } else {
        crate::align::cost::LengthModel::compose(&model.length[pivot], &model.length[l])
    };
    (m.ratio, (m.var_per_char, m.var_floor))
}

fn join(doc: &crate::corpus::Document, paras: &[usize]) -> String {
    let texts: Vec<std::borrow::Cow<str>> = paras
        .iter()
        .map(|&p| scoring_text(&doc.paragraphs[p]))
        .collect();
    texts.join(" ")
}

/// Sentences, roughly: sentence-final punctuation followed by a space and a capital.
fn sentences(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut n = 1;
    for i in 0..chars.len().saturating_sub(2) {
        if matches!(chars[i], '.' | '!' | '?' | '…') && chars[i + 1] == ' ' {
            let next = chars[i + 2];
            if next.is_uppercase() || matches!(next, '"' | '«' | '„' | '“' | '¿' | '¡') {
                n += 1;
            }
        }
    }
    n
}

/// Findings from comparing a bead's two texts: identical text, numbers, dates.
fn compare(
    ptext: &str,
    ltext: &str,
    pivot: Lang,
    l: Lang,
) -> Vec<(Check, Severity, serde_json::Value)> {
    let mut out = Vec::new();
    let pn = anchors::numbers(ptext);
    let ln = anchors::numbers(ltext);
    let (mut missing, mut extra) = multiset_difference(&pn, &ln);
    reconcile(&mut missing, &mut extra);
    // A number changed when a number of the pivot stands in the translation with another
    // value of the same order — the same quantity, written wrong. A number on one side only,
    // or two unrelated ones, is more often spelled out, rounded away or paraphrased.
    let changed = missing
        .iter()
        .any(|m| extra.iter().any(|e| same_quantity_changed(m, e)));
    if changed {
        out.push((
            Check::NumberMismatch,
            Severity::Error,
            json!({"pivot_numbers": pn, "numbers": ln, "missing": missing, "extra": extra}),
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
/// apart (172 / 173, 2 / 12, 1997 / 1979)? A decimal and its integer part are a rounding.
fn same_quantity_changed(a: &str, b: &str) -> bool {
    let (Ok(va), Ok(vb)) = (a.parse::<f64>(), b.parse::<f64>()) else {
        return false;
    };
    let (lo, hi) = (va.min(vb), va.max(vb));
    if (a.contains('.') || b.contains('.'))
        && (hi - lo) < 1.0
        && (va.trunc() == vb.trunc() || va.round() == vb.round())
    {
        return false;
    }
    if lo > 0.0 && hi < 100.0 && hi / lo <= 1.5 {
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
fn multiset_difference<T: Ord + Clone>(a: &[T], b: &[T]) -> (Vec<T>, Vec<T>) {
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

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
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
    fn sentences_and_copies() {
        assert_eq!(sentences("One. Two! «Three» Four? Five"), 4);
        assert_eq!(
            split_sentences("Er sagte Ja. We are grateful to all of them. Fin"),
            ["Er sagte Ja.", "We are grateful to all of them.", "Fin"]
        );
        assert_eq!(
            overlap(
                "The Arctic Council remains our forum",
                "the arctic council remains our main forum"
            ),
            1.0
        );
        assert!(mostly_capitalised(
            "Ramone, John Doe, Paul McCartney, Chuck Dukowski"
        ));
        assert!(!mostly_capitalised(
            "Betrunkener Autofahrer schwer verletzt"
        ));
    }

    #[test]
    fn miswritten_numbers() {
        assert!(same_quantity_changed("400", "402"));
        assert!(same_quantity_changed("2", "12"));
        assert!(same_quantity_changed("1997", "1979"));
        assert!(same_quantity_changed("9", "11"));
        assert!(!same_quantity_changed("12", "2008"));
        assert!(!same_quantity_changed("4.5", "4"));
        let (mut a, mut b) = (
            vec!["5352".to_string()],
            vec!["5".to_string(), "352".to_string()],
        );
        reconcile(&mut a, &mut b);
        assert!(a.is_empty() && b.is_empty());
    }
}
