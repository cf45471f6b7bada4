//! Checks on a bead's two texts, a version's against the pivot's: numbers and dates that
//! differ, a translation short of part of its source, a length far from the pair's ratio,
//! a bead the aligner is unsure of.

use super::{Check, Finding, Severity, Statement, join, numbers, round};
use crate::align::CorpusModel;
use crate::align::cost::LengthModel;
use crate::text::Lang;
use serde_json::json;

/// A translation shorter than this share of its expected length, with fewer sentences than
/// its source, has lost part of it.
const PARTIAL_OMISSION_RATIO: f64 = 0.65;
/// A translation of several pivot paragraphs shorter than this share of their expected
/// length is missing one of them rather than merging them.
const MERGED_OMISSION_RATIO: f64 = 0.8;
/// Standard deviations of the learned length model beyond which a bead is reported.
const LENGTH_OUTLIER_SD: f64 = 4.0;
const LOW_CONFIDENCE: f64 = 0.5;

/// The findings of the bead of pivot paragraphs `pp` and paragraphs `lp` of language `l`.
pub fn check(
    s: &Statement,
    model: &CorpusModel,
    l: Lang,
    pp: &[usize],
    lp: &[usize],
    confidence: f64,
) -> Vec<Finding> {
    let ptext = join(s.doc(s.pivot), pp);
    let ltext = join(s.doc(l), lp);
    let finding = |check, severity, evidence| {
        s.finding(l, lp.to_vec(), pp.to_vec(), check, severity, evidence)
    };
    // At the sentence level, numbers are compared and missing parts found sentence by
    // sentence (`super::sentences`).
    let sentence_level = s.st.sentences.is_some();
    let mut out: Vec<Finding> = if sentence_level {
        Vec::new()
    } else {
        numbers::compare(&ptext, &ltext, s.pivot, l)
            .into_iter()
            .map(|(check, sev, ev)| finding(check, sev, ev))
            .collect()
    };
    let m = length_model(model, s.pivot, l);
    let (plen, llen) = (ptext.chars().count() as f64, ltext.chars().count() as f64);
    let ratio = llen / (m.ratio * plen).max(1.0);
    let (ps, ls) = (sentences(&ptext), sentences(&ltext));
    // Short of sentences, or several pivot paragraphs for a translation too short to hold
    // them all: part of the pivot is missing.
    let short = !sentence_level
        && ((ratio < PARTIAL_OMISSION_RATIO && ls < ps && ps >= 2)
            || (pp.len() >= 2 && ratio < MERGED_OMISSION_RATIO));
    if short {
        out.push(finding(
            Check::Omission,
            Severity::Warning,
            json!({"partial": true, "length_ratio": round(ratio), "sentences": [ps, ls]}),
        ));
    } else if plen >= 40.0 && llen >= 1.0 {
        let mean = (plen + llen / m.ratio) / 2.0;
        let sd = (m.var_per_char / mean + m.var_floor).sqrt();
        let dev = (llen / (m.ratio * plen)).ln() / sd;
        if dev.abs() > LENGTH_OUTLIER_SD {
            out.push(finding(
                Check::LengthRatio,
                Severity::Info,
                json!({"length_ratio": round(ratio), "expected": round(m.ratio), "sd": round(dev)}),
            ));
        }
    }
    if confidence < LOW_CONFIDENCE {
        out.push(finding(
            Check::LowConfidence,
            Severity::Warning,
            json!({"confidence": round(confidence)}),
        ));
    }
    out
}

/// The length model of the pair (pivot, l), through the corpus's pivot where the statement
/// has another.
fn length_model(model: &CorpusModel, pivot: Lang, l: Lang) -> LengthModel {
    if pivot == model.pivot {
        model.length[l]
    } else {
        LengthModel::compose(&model.length[pivot], &model.length[l])
    }
}

/// Sentences, roughly: as [`super::language::split_sentences`] splits them, and at least
/// one.
fn sentences(text: &str) -> usize {
    super::language::split_sentences(text).len().max(1)
}
