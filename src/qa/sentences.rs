//! Checks at the sentence level: a pivot sentence a version lacks inside a paragraph it
//! has (an omission that names the sentences), and numbers and dates compared sentence
//! pair by sentence pair, so that a finding says which sentence differs.

use super::{Check, Finding, Severity, Statement, numbers};
use crate::aligned::{SentenceLevel, paragraphs_of};
use crate::text::Lang;
use serde_json::json;
use std::collections::BTreeMap;

/// The sentence-level findings of a statement.
pub fn check(s: &Statement, level: &SentenceLevel) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(pivot_doc) = level.docs[s.pivot].as_ref() else {
        return out;
    };
    let text = |l: Lang, k: usize| {
        level.docs[l]
            .as_ref()
            .map_or("", |d| d.paragraphs[k].as_str())
    };
    let paras = |l: Lang, sentences: &[usize]| -> Vec<usize> {
        paragraphs_of(&level.paragraph_of[l], sentences).to_vec()
    };
    for &l in &s.others {
        let Some(ldoc) = level.docs[l].as_ref() else {
            continue;
        };
        // Pivot sentences missing in l, by pivot paragraph.
        let mut missing: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (bead, _) in level.alignment.oriented(s.pivot, l) {
            let ps: Vec<usize> = bead.a.clone().filter(|&k| !pivot_doc.chrome[k]).collect();
            let ls: Vec<usize> = bead.b.clone().filter(|&k| !ldoc.chrome[k]).collect();
            match (ps.is_empty(), ls.is_empty()) {
                (false, true) if bead.b.is_empty() => {
                    for k in ps {
                        missing
                            .entry(level.paragraph_of[s.pivot][k])
                            .or_default()
                            .push(k);
                    }
                }
                (false, false) => {
                    let join = |l: Lang, ks: &[usize]| {
                        ks.iter().map(|&k| text(l, k)).collect::<Vec<_>>().join(" ")
                    };
                    let (pt, lt) = (join(s.pivot, &ps), join(l, &ls));
                    for (check, severity, evidence) in numbers::compare(&pt, &lt, s.pivot, l) {
                        let mut f = s.finding(
                            l,
                            paras(l, &ls),
                            paras(s.pivot, &ps),
                            check,
                            severity,
                            evidence,
                        );
                        f.sentences = ls.clone();
                        f.pivot_sentences = ps.clone();
                        out.push(f);
                    }
                }
                _ => {}
            }
        }
        for (p, ks) in missing {
            // Only inside a paragraph the version has: a whole paragraph missing is the
            // paragraph level's omission.
            let lp = s.counterparts(l, p);
            if lp.is_empty() {
                continue;
            }
            let mut f = s.finding(
                l,
                lp,
                vec![p],
                Check::Omission,
                Severity::Warning,
                json!({"partial": true, "missing_sentences": ks.len()}),
            );
            f.pivot_sentences = ks;
            out.push(f);
        }
    }
    out
}
