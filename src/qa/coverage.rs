//! Paragraphs without counterpart: a pivot paragraph a version lacks is an omission — unless
//! its names and numbers turn up in the neighbouring paragraphs (merged, not lost), or no
//! other version has it either (then the pivot added it); a paragraph the pivot lacks is an
//! addition.

use super::{Check, Finding, Severity, Statement, round};
use crate::align::features;
use crate::text::Lang;
use crate::text::scoring_text;
use serde_json::json;

/// Share of a missing paragraph's own anchors found in a neighbour that shows it merged.
const MERGED_COVERAGE: f64 = 0.5;

/// The paragraphs found without counterpart, bead by bead.
pub struct Gaps {
    /// Per pivot paragraph, the languages that lack it.
    missing_in: Vec<Vec<Lang>>,
    /// Paragraphs of other languages that the pivot lacks.
    unmatched: Vec<(Lang, usize)>,
}

impl Gaps {
    pub fn new(s: &Statement) -> Gaps {
        Gaps {
            missing_in: vec![Vec::new(); s.doc(s.pivot).paragraphs.len()],
            unmatched: Vec::new(),
        }
    }

    /// Language `l` has no counterpart for pivot paragraphs `pp`.
    pub fn missing(&mut self, l: Lang, pp: &[usize]) {
        for &p in pp {
            self.missing_in[p].push(l);
        }
    }

    /// The pivot has no counterpart for paragraphs `lp` of language `l`.
    pub fn unmatched(&mut self, l: Lang, lp: &[usize]) {
        self.unmatched.extend(lp.iter().map(|&p| (l, p)));
    }

    /// Omissions and additions.
    pub fn findings(self, s: &Statement) -> Vec<Finding> {
        let mut out = Vec::new();
        for (p, langs_missing) in self.missing_in.iter().enumerate() {
            if langs_missing.is_empty() {
                continue;
            }
            if s.others.len() >= 2 && langs_missing.len() == s.others.len() {
                // No other version has it: the pivot added it.
                out.push(s.finding(
                    s.pivot,
                    vec![p],
                    vec![],
                    Check::Addition,
                    Severity::Warning,
                    json!({"missing_in": langs_missing}),
                ));
                continue;
            }
            for &l in langs_missing {
                // Its names and numbers in the neighbouring paragraphs, beyond what their own
                // pivot paragraphs explain: the translator merged it into a neighbour.
                let merged = merged_into_neighbour(s, l, p);
                if merged < MERGED_COVERAGE {
                    out.push(s.finding(
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
        for (l, p) in self.unmatched {
            out.push(s.finding(
                l,
                vec![p],
                vec![],
                Check::Addition,
                Severity::Warning,
                json!({}),
            ));
        }
        out
    }
}

/// The share of pivot paragraph `p`'s anchors (numbers, dates, names and cognates) found in
/// version `l`'s paragraphs next to where `p` should be, and not in the pivot paragraphs those
/// are aligned with.
fn merged_into_neighbour(s: &Statement, l: Lang, p: usize) -> f64 {
    let (st, pivot) = (s.st, s.pivot);
    let beads = s.pivot_beads(l);
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
