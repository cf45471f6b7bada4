//! Untranslated text: a paragraph, a sentence or a heading in another of the five languages
//! than its file's, confirmed by finding it word for word in that language's version where
//! the statement has one; date lines and lists of names are not text in a language.

use super::{Check, Finding, Severity, Statement, round};
use crate::text::Lang;
use crate::text::langcheck::LangChecker;
use serde_json::json;

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

/// Paragraphs (or a sentence of one) in another of the five languages, most often a copy of
/// another version's paragraph.
pub fn untranslated(s: &Statement, checker: &LangChecker) -> Vec<Finding> {
    let mut out = Vec::new();
    for &l in &s.langs {
        let doc = s.doc(l);
        for (p, text) in doc.paragraphs.iter().enumerate() {
            // Date lines read the same in several languages; so do lists of names.
            if doc.chrome[p] || crate::text::chrome::date_line(text).is_some() {
                continue;
            }
            out.extend(untranslated_paragraph(s, checker, l, p, text));
        }
    }
    out
}

fn untranslated_paragraph(
    s: &Statement,
    checker: &LangChecker,
    l: Lang,
    p: usize,
    text: &str,
) -> Option<Finding> {
    let chars = text.chars().count();
    let finding = |severity, evidence| {
        s.finding(
            l,
            vec![p],
            s.counterpart(l, p),
            Check::Untranslated,
            severity,
            evidence,
        )
    };
    if chars < MIN_IDENTICAL_CHARS || distinct_words(text) < MIN_WORDS {
        // A short heading: untranslated when it is another version's heading, word for
        // word, and reads as that version's language.
        let d = short_copy(s, checker, l, p, text)?;
        return Some(finding(
            Severity::Warning,
            json!({"detected": d, "overlap": 1.0}),
        ));
    }
    let detected = checker.detect_any(text);
    let reliable = detected
        .filter(|d| d.1 && chars >= MIN_LANG_CHECK_CHARS)
        .map(|d| d.0);
    // The best copy of this paragraph among the other versions' counterparts.
    let copy = s
        .langs
        .iter()
        .filter(|&&d| d != l)
        .map(|&d| (d, overlap(text, &s.counterpart_text(l, p, d))))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let copied_from = copy.filter(|c| c.1 >= COPY_OVERLAP);
    let foreign = match (copied_from, detected) {
        // Identical text in two versions: the one not written in the detected language is
        // the untranslated one.
        (Some((d, _)), Some((lang, _))) => (lang == d && lang != l).then_some(lang),
        (None, _) => reliable.filter(|&d| {
            d != l
                && (unconfirmable(s, l, p, d)
                    || copy.is_some_and(|c| c.0 == d && c.1 >= PARTIAL_COPY_OVERLAP))
        }),
        _ => None,
    };
    if let Some(found) = foreign {
        let overlap = copy.map_or(0.0, |c| round(c.1));
        return Some(finding(
            Severity::Error,
            json!({"detected": found, "overlap": overlap}),
        ));
    }
    let (found, sentence) = untranslated_sentence(s, checker, l, p, text)?;
    Some(finding(
        Severity::Warning,
        json!({"detected": found, "partial": true, "sentence": sentence}),
    ))
}

/// A sentence of paragraph `p` of `l` left in another language: detected as such, and
/// found in that language's version (its aligned paragraphs) where the statement has one.
fn untranslated_sentence(
    s: &Statement,
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
        let found = overlap(sentence, &s.counterpart_text(l, p, d));
        // A long sentence reliably in d and found in d's version; a short one only when
        // d's version has every word of it.
        let confirmed = if n >= MIN_SENTENCE_WORDS && reliable {
            s.st.doc(d).is_none() || found >= COPY_OVERLAP
        } else {
            found >= 1.0 && n >= 3
        };
        if confirmed {
            return Some((d, sentence.to_string()));
        }
    }
    None
}

/// Can text of paragraph `p` of `l` detected as `d` not be looked for in d's version: the
/// statement has no d version, or d has nothing aligned with the paragraph (the d version
/// lacks it too)?
fn unconfirmable(s: &Statement, l: Lang, p: usize, d: Lang) -> bool {
    s.st.doc(d).is_none() || s.counterpart_text(l, p, d).trim().is_empty()
}

/// A short paragraph that is, word for word, its counterpart in another version and reads
/// as that version's language.
fn short_copy(s: &Statement, checker: &LangChecker, l: Lang, p: usize, text: &str) -> Option<Lang> {
    if distinct_words(text) < 2 {
        return None;
    }
    let (d, _) = checker.detect_any(text)?;
    if d == l || s.st.doc(d).is_none() {
        return None;
    }
    let theirs = s.counterpart_text(l, p, d);
    (words(&theirs) == words(text)).then_some(d)
}

/// Sentences: split after sentence-final punctuation followed by a space and a capital.
pub fn split_sentences(text: &str) -> Vec<&str> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_copies() {
        assert_eq!(split_sentences("One. Two! «Three» Four? Five").len(), 4);
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
}
