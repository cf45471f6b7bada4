//! Translation QA: findings on aligned units that a reviewer should look at — a paragraph a
//! version lacks or adds, a paragraph left untranslated, numbers or dates that differ, a
//! translation much longer or shorter than the pair's ratio, a unit the aligner is unsure of.
//!
//! Every version is compared with the pivot through the pivot pair's beads. One file per
//! family of checks: [`beads`] (a bead's two texts: numbers and dates, length, confidence),
//! [`coverage`] (paragraphs without counterpart: omissions and additions), [`language`]
//! (untranslated text), [`sentences`] (at the sentence level: sentences a version lacks
//! inside a paragraph it has, numbers and dates sentence pair by sentence pair); [`numbers`]
//! compares numbers and dates.

pub mod beads;
pub mod coverage;
pub mod language;
pub mod numbers;
pub mod quantities;
pub mod sentences;

use crate::align::CorpusModel;
use crate::align::dp::Bead;
use crate::aligned::{AlignedCorpus, AlignedStatement, TextParas};
use crate::corpus::Document;
use crate::text::Lang;
use crate::text::langcheck::LangChecker;
use crate::text::scoring_text;
use serde::Serialize;

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
    /// At the sentence level, the sentences of the finding in the language's file and the
    /// pivot's (indices counted through the document, as in `sentences/`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pivot_sentences: Vec<usize>,
    pub check: Check,
    pub severity: Severity,
    /// What was seen, e.g. the numbers on each side.
    pub evidence: serde_json::Value,
}

/// Decimals of the figures in a finding's evidence.
const EVIDENCE_DECIMALS: i32 = 3;

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

/// The checks of one statement, each family in turn; findings sorted by language and place,
/// each reported once.
pub fn check_statement(
    st: &AlignedStatement,
    corpus_pivot: Lang,
    model: &CorpusModel,
    checker: &LangChecker,
) -> Vec<Finding> {
    let Some(s) = Statement::new(st, corpus_pivot) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut gaps = coverage::Gaps::new(&s);
    let sentence_level = st.sentences.is_some();
    for &l in &s.others {
        // The bead just before, if it had text on both sides and no number reported in it
        // (at the sentence level the sentence pairs already cross paragraph boundaries).
        let mut last: Option<(TextParas, TextParas)> = None;
        for (bead, confidence) in s.pivot_beads(l) {
            let pp = st.text_paras(s.pivot, bead.a.clone());
            let lp = st.text_paras(l, bead.b.clone());
            match (pp.is_empty(), lp.is_empty()) {
                (false, true) if bead.b.is_empty() => gaps.missing(l, &pp),
                (true, false) if bead.a.is_empty() => {
                    out.extend(lp.iter().filter_map(|&p| numbers::against_others(&s, l, p)));
                    gaps.unmatched(l, &lp)
                }
                (false, false) => {
                    let found = beads::check(&s, model, l, &pp, &lp, confidence);
                    let mut reported = found.iter().any(|f| f.check == Check::NumberMismatch);
                    out.extend(found);
                    if let Some((p0, l0)) = last.take().filter(|_| !reported) {
                        let across = numbers::across_boundary(&s, l, (&p0, &l0), (&pp, &lp));
                        // A bead's numbers are reported once: not across its next boundary too.
                        reported = across.is_some();
                        out.extend(across);
                    }
                    last = (!reported && !sentence_level).then_some((pp, lp));
                    continue;
                }
                _ => {}
            }
            last = None;
        }
    }
    if let Some(level) = &st.sentences {
        out.extend(sentences::check(&s, level));
    }
    numbers::attribute_to_pivot(&mut out, s.pivot, s.others.len());
    out.extend(gaps.findings(&s));
    out.extend(language::untranslated(&s, checker));
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
            && a.sentences == b.sentences
            && a.pivot_sentences == b.pivot_sentences
            && a.pivot_paras == b.pivot_paras
            && a.check == b.check
    });
    out
}

/// A statement as the checks see it: its pivot (the corpus's, or its first version's) and
/// the other versions.
pub struct Statement<'a> {
    pub st: &'a AlignedStatement,
    pub pivot: Lang,
    pub langs: Vec<Lang>,
    pub others: Vec<Lang>,
}

impl<'a> Statement<'a> {
    fn new(st: &'a AlignedStatement, corpus_pivot: Lang) -> Option<Statement<'a>> {
        let langs: Vec<Lang> = st.langs().collect();
        let pivot = *langs
            .iter()
            .find(|&&l| l == corpus_pivot)
            .or(langs.first())?;
        let others = langs.iter().copied().filter(|&l| l != pivot).collect();
        Some(Statement {
            st,
            pivot,
            langs,
            others,
        })
    }

    fn doc(&self, l: Lang) -> &'a Document {
        self.st.doc(l).expect("a version of the statement")
    }

    /// A finding about this statement.
    fn finding(
        &self,
        lang: Lang,
        paras: Vec<usize>,
        pivot_paras: Vec<usize>,
        check: Check,
        severity: Severity,
        evidence: serde_json::Value,
    ) -> Finding {
        Finding {
            doc: self.st.name.clone(),
            lang,
            paras,
            pivot_paras,
            sentences: Vec::new(),
            pivot_sentences: Vec::new(),
            check,
            severity,
            evidence,
        }
    }

    /// The pivot pair's beads of language `l`, with the pivot on side a, and their
    /// confidences.
    fn pivot_beads(&self, l: Lang) -> Vec<(Bead, f64)> {
        self.st.alignment.oriented(self.pivot, l)
    }

    /// The pivot paragraphs aligned with paragraph `p` of language `l` (`p` itself for the
    /// pivot).
    fn counterpart(&self, l: Lang, p: usize) -> Vec<usize> {
        if l == self.pivot {
            return vec![p];
        }
        self.pivot_beads(l)
            .into_iter()
            .find(|(b, _)| b.b.contains(&p))
            .map_or(Vec::new(), |(b, _)| b.a.collect())
    }

    /// The paragraphs of language `l` aligned with pivot paragraph `p`.
    fn counterparts(&self, l: Lang, p: usize) -> Vec<usize> {
        self.pivot_beads(l)
            .into_iter()
            .find(|(b, _)| b.a.contains(&p))
            .map_or(Vec::new(), |(b, _)| b.b.collect())
    }

    /// The text of the paragraphs of version `d` aligned with paragraph `p` of version `l`.
    fn counterpart_text(&self, l: Lang, p: usize, d: Lang) -> String {
        let (Some(_), Some(dd)) = (self.st.doc(l), self.st.doc(d)) else {
            return String::new();
        };
        let paras: Vec<usize> = self
            .st
            .alignment
            .oriented(l, d)
            .into_iter()
            .find(|(b, _)| b.a.contains(&p))
            .map(|(b, _)| b.b.collect())
            .unwrap_or_default();
        join(dd, &paras)
    }
}

/// The scoring text of paragraphs `paras`, joined by a space.
fn join(doc: &Document, paras: &[usize]) -> String {
    let texts: Vec<std::borrow::Cow<str>> = paras
        .iter()
        .map(|&p| scoring_text(&doc.paragraphs[p]))
        .collect();
    texts.join(" ")
}

/// A figure of the evidence, rounded.
fn round(x: f64) -> f64 {
    crate::aligned::rounded(x, EVIDENCE_DECIMALS)
}
