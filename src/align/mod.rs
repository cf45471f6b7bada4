//! Alignment: features and anchors, the cost model, the learned lexicon, dynamic programming
//! and the N-way merge.
//!
//! A corpus is aligned in two passes. The first aligns every language with the pivot on
//! length and anchors alone; its 1-1 beads teach each language's length model and lexicon.
//! The second pass aligns every language with the pivot again, with everything; the other
//! pairs are derived through the pivot and refined where it gives no 1-1 answer; all pairs'
//! beads are merged into N-way units.

mod agree;
pub mod cost;
pub mod dp;
pub mod features;
pub mod index;
pub mod lexicon;
pub mod merge;
pub mod saved;
pub mod sentence;

use crate::text::{ByLang, Lang};
use cost::{CountModel, LengthModel, PairModel, PairScorer, Params};
use dp::Bead;
use features::ParaFeatures;
use index::FeatureIndex;
use lexicon::Lexicon;
use merge::{Group, Links};
use rayon::prelude::*;
use rustc_hash::FxHashSet;

/// The features of every present version of one statement.
#[derive(Clone, Debug, Default)]
pub struct DocFeatures {
    pub versions: ByLang<Option<Vec<ParaFeatures>>>,
}

impl DocFeatures {
    /// Features of each present version, from its paragraphs (output text) and which of them
    /// are page chrome.
    pub fn new(versions: ByLang<Option<(&[String], &[bool])>>) -> DocFeatures {
        DocFeatures {
            versions: versions.map(|l, version| {
                let (paras, chrome) = version?;
                let features = paras.iter().enumerate().map(|(k, p)| {
                    let mut f = features::extract(&crate::text::scoring_text(p), l);
                    f.chrome = chrome.get(k).copied().unwrap_or(false);
                    f
                });
                Some(features.collect())
            }),
        }
    }

    /// Features of versions with no page chrome.
    pub fn from_texts(texts: &ByLang<Option<Vec<String>>>) -> DocFeatures {
        DocFeatures::new(ByLang::from_fn(|l| {
            texts[l].as_ref().map(|t| (t.as_slice(), &[][..]))
        }))
    }

    fn get(&self, l: Lang) -> Option<&[ParaFeatures]> {
        self.versions[l].as_deref()
    }

    /// The statement's own pivot: the chosen one where present, else the first present.
    fn pivot(&self, pivot: Lang) -> Option<Lang> {
        if self.get(pivot).is_some() {
            return Some(pivot);
        }
        Lang::ALL.into_iter().find(|&l| self.get(l).is_some())
    }
}

/// What is learned from the corpus: each language's length model and lexicon against the
/// pivot.
#[derive(Clone, Debug)]
pub struct CorpusModel {
    pub pivot: Lang,
    pub length: ByLang<LengthModel>,
    /// Each language's sentence counts against the pivot's.
    pub counts: ByLang<CountModel>,
    pub lexicon: ByLang<Option<Lexicon>>,
    pub params: Params,
    /// Each pivot word some lexicon translates to, with a bit for each such language.
    pivot_known: rustc_hash::FxHashMap<u64, u8>,
}

impl CorpusModel {
    /// A model with length ratios from total lengths and no lexicon.
    fn initial(docs: &[DocFeatures], pivot: Lang, params: Params) -> CorpusModel {
        let mut length = ByLang::from_fn(|_| LengthModel::from_totals(1, 1));
        for l in Lang::ALL {
            let (mut la, mut lb) = (0u64, 0u64);
            for d in docs {
                if let (Some(p), Some(o)) = (d.get(pivot), d.get(l)) {
                    la += p.iter().map(|f| f.chars as u64).sum::<u64>();
                    lb += o.iter().map(|f| f.chars as u64).sum::<u64>();
                }
            }
            length[l] = LengthModel::from_totals(la, lb);
        }
        CorpusModel {
            pivot,
            length,
            counts: ByLang::default(),
            lexicon: Default::default(),
            params,
            pivot_known: Default::default(),
        }
    }

    /// Learn the model of a corpus: a first pass on length and anchors, then each
    /// language's length model and lexicon from that pass's 1-1 beads.
    pub fn learn(docs: &[DocFeatures], pivot: Lang, params: Params) -> CorpusModel {
        let model = CorpusModel::initial(docs, pivot, params);
        // More rounds were measured and do not help: the first pass's 1-1 beads are right
        // often enough for the lexicon's Dice threshold to filter out the wrong ones.
        model.relearn(docs)
    }

    /// Align with this model and learn each language's length model and lexicon from the
    /// 1-1 beads; the languages are independent of each other.
    fn relearn(&self, docs: &[DocFeatures]) -> CorpusModel {
        let pivot = self.pivot;
        let others: Vec<Lang> = Lang::ALL.into_iter().filter(|&l| l != pivot).collect();
        // Per statement, the path of each language present with the pivot.
        let paths: Vec<ByLang<Option<Vec<Bead>>>> = docs
            .par_iter()
            .map(|d| {
                let index = FeatureIndex::new(d, self);
                ByLang::from_fn(|l| {
                    let (p, o) = (d.get(pivot)?, d.get(l)?);
                    (l != pivot).then(|| self.align(pivot, l, p, o, &index))
                })
            })
            .collect();
        let learned: Vec<(Lang, Option<LengthModel>, Option<CountModel>, Lexicon)> = others
            .par_iter()
            .map(|&l| {
                let mut lengths = Vec::new();
                let mut counts = Vec::new();
                let mut unrelated = Vec::new();
                let mut word_pairs: Vec<(&[u64], &[u64])> = Vec::new();
                for (d, path) in docs.iter().zip(&paths) {
                    let (Some(p), Some(o), Some(path)) = (d.get(pivot), d.get(l), &path[l]) else {
                        continue;
                    };
                    let mut last: Option<usize> = None;
                    for b in path.iter().filter(|b| b.shape() == (1, 1)) {
                        let (fp, fo) = (&p[b.a.start], &o[b.b.start]);
                        lengths.push((fp.chars, fo.chars));
                        counts.push((fp.sentences, fo.sentences));
                        word_pairs.push((&fp.words, &fo.words));
                        // Unrelated: the previous bead's pivot paragraph with this one's.
                        if let Some(k) = last {
                            unrelated.push((p[k].sentences, fo.sentences));
                        }
                        last = Some(b.a.start);
                    }
                }
                let length = LengthModel::estimate(&lengths);
                let count = CountModel::estimate(&counts, &unrelated);
                (l, length, count, Lexicon::learn(word_pairs.iter().copied()))
            })
            .collect();
        let mut length = self.length;
        let mut counts = self.counts;
        let mut lexicons: ByLang<Option<Lexicon>> = ByLang::default();
        for (l, learned_length, learned_counts, lexicon) in learned {
            if let Some(m) = learned_length {
                length[l] = m;
            }
            if let Some(m) = learned_counts {
                counts[l] = m;
            }
            lexicons[l] = Some(lexicon);
        }
        CorpusModel::from_parts(pivot, length, counts, lexicons, self.params)
    }

    /// A model of these length models and lexicons (learned, or read from a model file).
    pub fn from_parts(
        pivot: Lang,
        length: ByLang<LengthModel>,
        counts: ByLang<CountModel>,
        lexicon: ByLang<Option<Lexicon>>,
        params: Params,
    ) -> CorpusModel {
        let mut pivot_known: rustc_hash::FxHashMap<u64, u8> = Default::default();
        for (l, lexicon) in lexicon.present() {
            for (_, t) in lexicon.entries() {
                *pivot_known.entry(t).or_default() |= l.bit();
            }
        }
        CorpusModel {
            pivot,
            length,
            counts,
            lexicon,
            params,
            pivot_known,
        }
    }

    /// A checksum of everything learned: runs with the same fingerprint align alike.
    pub fn fingerprint(&self) -> String {
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        h.update(self.pivot.code().as_bytes());
        for l in Lang::ALL {
            let m = self.length[l];
            for x in [m.ratio, m.var_per_char, m.var_floor]
                .into_iter()
                .chain(self.counts[l].cost)
            {
                h.update(&x.to_le_bytes());
            }
            for (w, t) in self.lexicon[l].iter().flat_map(|x| x.entries()) {
                h.update(&w.to_le_bytes());
                h.update(&t.to_le_bytes());
            }
        }
        format!("{:032x}", h.digest128())
    }

    /// The languages whose lexicon translates some word to pivot word `w`, a bit each.
    fn known_mask(&self, w: u64) -> u8 {
        self.pivot_known.get(&w).copied().unwrap_or(0)
    }

    /// Length model of pair (x, y), either of which may be the pivot.
    fn length_model(&self, x: Lang, y: Lang) -> LengthModel {
        if x == self.pivot {
            self.length[y]
        } else {
            LengthModel::compose(&self.length[x], &self.length[y])
        }
    }

    /// Sentence count model of pair (x, y), either of which may be the pivot.
    fn count_model(&self, x: Lang, y: Lang) -> CountModel {
        if x == self.pivot {
            self.counts[y]
        } else {
            CountModel::compose(&self.counts[x], &self.counts[y])
        }
    }

    fn scorer<'a>(
        &'a self,
        x: Lang,
        y: Lang,
        a: &'a [ParaFeatures],
        b: &'a [ParaFeatures],
        index: &FeatureIndex,
    ) -> PairScorer<'a> {
        PairScorer::new(
            a,
            b,
            index.side(x, y),
            index.side(y, x),
            index.len(),
            PairModel {
                length: self.length_model(x, y),
                counts: self.count_model(x, y),
            },
            self.params,
        )
    }

    /// Align two versions of a statement numbered in `index`, x on side a.
    fn align(
        &self,
        x: Lang,
        y: Lang,
        a: &[ParaFeatures],
        b: &[ParaFeatures],
        index: &FeatureIndex,
    ) -> Vec<Bead> {
        let mut scorer = self.scorer(x, y, a, b, index);
        dp::best_path(a.len(), b.len(), |i, j, di, dj, budget| {
            scorer.cost(i, j, di, dj, budget)
        })
        .into_iter()
        .map(|(b, _)| b)
        .collect()
    }

    /// Align every version of a statement with its pivot, derive every other pair through
    /// the pivot, and merge all pairs' beads into units.
    pub fn align_doc(&self, doc: &DocFeatures) -> DocAlignment {
        let counts: ByLang<Option<usize>> =
            doc.versions.as_ref().map(|_, v| v.as_ref().map(Vec::len));
        let present: Vec<Lang> = counts.langs().collect();
        let mut job = Aligning {
            model: self,
            doc,
            index: FeatureIndex::new(doc, self),
            confidence: counts.map(|_, n| vec![1.0; n.unwrap_or(0)]),
        };
        let pivot = doc.pivot(self.pivot);
        let mut through_pivot = Links::new(counts);
        let with_pivot = match pivot {
            Some(pivot) => job.with_pivot(pivot, &present, &mut through_pivot),
            None => ByLang::default(),
        };
        // Each paragraph's confidence in the one pivot bead that holds it, before the other
        // pairs lower it.
        let via_pivot = job.confidence.clone();
        let mut pairs = Vec::new();
        for (x, y) in crate::text::lang::pairs(&present) {
            let (beads, confidence) = if Some(x) == pivot {
                with_pivot[y].clone()
            } else if Some(y) == pivot {
                let (beads, confidence) = &with_pivot[x];
                (
                    beads.iter().map(Bead::flipped).collect(),
                    confidence.clone(),
                )
            } else {
                job.derived_pair(x, y, &through_pivot, &via_pivot)
            };
            pairs.push(PairLadder {
                x,
                y,
                beads,
                confidence,
            });
        }
        agree::split_agreed_merges(&mut pairs);
        agree::join_agreed_orphans(&mut pairs, |l, p| {
            doc.get(l)
                .is_some_and(|v| v.get(p).is_some_and(|f| f.chrome))
        });
        let mut all = Links::new(counts);
        for ladder in &pairs {
            for b in &ladder.beads {
                all.add_bead(ladder.x, ladder.y, b);
            }
        }
        let units = all
            .units()
            .into_iter()
            .map(|Group { paras }| {
                let confidence = paras
                    .iter()
                    .flat_map(|(l, r)| {
                        let confidence = &job.confidence[l];
                        r.clone().map(move |p| confidence[p])
                    })
                    .fold(1.0, f64::min);
                Unit { paras, confidence }
            })
            .collect();
        DocAlignment { units, pairs }
    }
}

/// One statement being aligned: its features numbered, and how sure each paragraph is so
/// far.
struct Aligning<'a> {
    model: &'a CorpusModel,
    doc: &'a DocFeatures,
    index: FeatureIndex,
    /// A paragraph is as sure as the least sure bead that holds it.
    confidence: ByLang<Vec<f64>>,
}

impl Aligning<'_> {
    fn note(&mut self, x: Lang, y: Lang, b: &Bead, c: f64) {
        for p in b.a.clone() {
            self.confidence[x][p] = self.confidence[x][p].min(c);
        }
        for p in b.b.clone() {
            self.confidence[y][p] = self.confidence[y][p].min(c);
        }
    }

    /// Every other present language aligned with the pivot: its beads (the pivot on side
    /// a) with their confidences; the beads are linked in `links`.
    fn with_pivot(
        &mut self,
        pivot: Lang,
        present: &[Lang],
        links: &mut Links,
    ) -> ByLang<(Vec<Bead>, Vec<f64>)> {
        let (model, doc) = (self.model, self.doc);
        let mut out: ByLang<(Vec<Bead>, Vec<f64>)> = ByLang::default();
        let pv = doc.get(pivot).expect("pivot present");
        for &l in present.iter().filter(|&&l| l != pivot) {
            let other = doc.get(l).expect("present");
            let mut scorer = model.scorer(pivot, l, pv, other, &self.index);
            let path = dp::best_path(pv.len(), other.len(), |i, j, di, dj, budget| {
                scorer.cost(i, j, di, dj, budget)
            });
            let (beads, conf) = &mut out[l];
            for (b, cost) in path {
                links.add_bead(pivot, l, &b);
                let c = bead_confidence(&mut scorer, &b, cost, &model.params);
                self.note(pivot, l, &b, c);
                conf.push(c);
                beads.push(b);
            }
        }
        out
    }

    /// The beads of a pair without the pivot, with their confidences: derived through the
    /// pivot's links, and refined where the pivot gives no 1-1 answer.
    fn derived_pair(
        &mut self,
        x: Lang,
        y: Lang,
        through_pivot: &Links,
        via_pivot: &ByLang<Vec<f64>>,
    ) -> (Vec<Bead>, Vec<f64>) {
        let model = self.model;
        let derived = through_pivot.pair(x, y);
        // Each bead with its confidence when scored directly, None when derived.
        let (beads, scored): (Vec<Bead>, Vec<Option<f64>>) =
            if derived.iter().all(|b| b.shape() == (1, 1)) {
                // Nothing to refine, so nothing to score.
                let n = derived.len();
                (derived, vec![None; n])
            } else {
                let (a, b) = (
                    self.doc.get(x).expect("present"),
                    self.doc.get(y).expect("present"),
                );
                let mut scorer = model.scorer(x, y, a, b, &self.index);
                refine(derived, &mut scorer)
                    .into_iter()
                    .map(|(b, direct)| {
                        let c = direct
                            .map(|cost| bead_confidence(&mut scorer, &b, cost, &model.params));
                        (b, c)
                    })
                    .unzip()
            };
        // A bead derived through the pivot is as sure as the pivot beads it joins.
        let through = |l: Lang, r: &std::ops::Range<usize>| {
            r.clone().map(|p| via_pivot[l][p]).fold(1.0, f64::min)
        };
        let conf: Vec<f64> = beads
            .iter()
            .zip(&scored)
            .map(|(b, c)| c.unwrap_or_else(|| through(x, &b.a).min(through(y, &b.b))))
            .collect();
        for (b, &c) in beads.iter().zip(&conf) {
            self.note(x, y, b, c);
        }
        (beads, conf)
    }
}

/// Refine a pair's beads derived through the pivot. Where the pivot gives no 1-1 answer —
/// it merged passages both versions keep apart, or lacks a passage both have — the two
/// versions are aligned with each other directly, over the run of such beads and one bead
/// of context on each side.
/// Each bead comes with its cost when it was aligned directly.
fn refine(derived: Vec<Bead>, scorer: &mut PairScorer) -> Vec<(Bead, Option<f64>)> {
    let composed: FxHashSet<Bead> = derived.iter().cloned().collect();
    let doubtful: Vec<bool> = derived.iter().map(|b| b.shape() != (1, 1)).collect();
    refine_runs(derived, &doubtful, |ra, rb| {
        let (a0, b0) = (ra.start, rb.start);
        dp::best_path(ra.len(), rb.len(), |i, j, di, dj, budget| {
            let (i, j) = (i + a0, j + b0);
            let bead = Bead {
                a: if di == 0 { 0..0 } else { i - di..i },
                b: if dj == 0 { 0..0 } else { j - dj..j },
            };
            if composed.contains(&bead) {
                scorer.cost(i, j, di, dj, budget + COMPOSED) - COMPOSED
            } else {
                scorer.cost(i, j, di, dj, budget)
            }
        })
    })
}

/// What a bead that composing the two pivot pairs gives saves when a pair is aligned
/// directly: two alignments with the pivot agree on it, and the pair's own evidence is the
/// weaker (a quarter of leaving a paragraph unaligned; on news12 and news10 alike, 1 and 2
/// both mend a third of the non-pivot pairs' errors and 4 overrides the pair's evidence).
const COMPOSED: f64 = 1.0;

/// The beads `derived`, each run of beads that are `doubtful` (with one bead of context on
/// each side) aligned again by `realign`, which takes the run's items of each side and
/// returns beads counted from their starts, each with its cost (or confidence); beads
/// kept as derived come with None.
pub(crate) fn refine_runs(
    derived: Vec<Bead>,
    doubtful: &[bool],
    mut realign: impl FnMut(std::ops::Range<usize>, std::ops::Range<usize>) -> Vec<(Bead, f64)>,
) -> Vec<(Bead, Option<f64>)> {
    let in_region = |k: usize| {
        doubtful[k] || (k > 0 && doubtful[k - 1]) || (k + 1 < doubtful.len() && doubtful[k + 1])
    };
    let mut out = Vec::with_capacity(derived.len());
    let mut k = 0;
    while k < derived.len() {
        if !in_region(k) {
            out.push((derived[k].clone(), None));
            k += 1;
            continue;
        }
        let start = k;
        while k < derived.len() && in_region(k) {
            k += 1;
        }
        // The items of one side that the run of beads covers.
        let span = |side: fn(&Bead) -> &std::ops::Range<usize>| {
            let used: Vec<_> = derived[start..k]
                .iter()
                .map(side)
                .filter(|r| !r.is_empty())
                .collect();
            match (used.first(), used.last()) {
                (Some(f), Some(l)) => f.start..l.end,
                _ => 0..0,
            }
        };
        let (ra, rb) = (span(|b| &b.a), span(|b| &b.b));
        let (a0, b0) = (ra.start, rb.start);
        out.extend(realign(ra, rb).into_iter().map(|(s, cost)| {
            let bead = Bead {
                a: if s.a.is_empty() {
                    0..0
                } else {
                    s.a.start + a0..s.a.end + a0
                },
                b: if s.b.is_empty() {
                    0..0
                } else {
                    s.b.start + b0..s.b.end + b0
                },
            };
            (bead, Some(cost))
        }));
    }
    out
}

/// How sure the aligner is of a bead of cost `cost`: the logistic of how much cheaper the
/// bead is than the alternative (leaving its paragraphs unaligned, or, for an unaligned
/// paragraph, pairing it with a neighbour).
fn bead_confidence(scorer: &mut PairScorer, b: &Bead, cost: f64, params: &Params) -> f64 {
    let (di, dj) = b.shape();
    let margin = if di > 0 && dj > 0 {
        params.skip * (di + dj) as f64 - cost
    } else {
        let (n, m) = scorer.sides();
        let (i, j) = (b.a.start, b.b.start);
        let alternatives: Vec<f64> = if di == 1 {
            [j, j + 1]
                .into_iter()
                .filter(|&jj| jj >= 1 && jj <= m)
                .map(|jj| scorer.cost(i + 1, jj, 1, 1, f64::INFINITY))
                .collect()
        } else {
            [i, i + 1]
                .into_iter()
                .filter(|&ii| ii >= 1 && ii <= n)
                .map(|ii| scorer.cost(ii, j + 1, 1, 1, f64::INFINITY))
                .collect()
        };
        let best = alternatives.into_iter().fold(f64::INFINITY, f64::min);
        best - 2.0 * params.skip
    };
    1.0 / (1.0 + (-margin).exp())
}

/// The alignment of one statement: its units and its pairwise ladders.
#[derive(Clone, Debug)]
pub struct DocAlignment {
    pub units: Vec<Unit>,
    /// The beads of every pair of present languages (x before y in canonical order).
    pub pairs: Vec<PairLadder>,
}

/// The alignment of one pair of versions: beads with language `x` on side a.
#[derive(Clone, Debug)]
pub struct PairLadder {
    pub x: Lang,
    pub y: Lang,
    pub beads: Vec<Bead>,
    /// Each bead's confidence, in [0, 1].
    pub confidence: Vec<f64>,
}

/// An N-way unit: the paragraphs of each language that translate each other.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    pub paras: ByLang<std::ops::Range<usize>>,
    /// In [0, 1]: the least confident bead the unit was built from.
    pub confidence: f64,
}

impl DocAlignment {
    /// The beads of pair (x, y), x before y in canonical order, x on side a; empty when a
    /// version is absent.
    pub fn pair(&self, x: Lang, y: Lang) -> &[Bead] {
        self.pairs
            .iter()
            .find(|p| p.x == x && p.y == y)
            .map_or(&[], |p| p.beads.as_slice())
    }

    /// The beads of languages x and y in either order, x on side a, with their confidences;
    /// empty when a version is absent.
    pub fn oriented(&self, x: Lang, y: Lang) -> Vec<(Bead, f64)> {
        let Some(p) = self
            .pairs
            .iter()
            .find(|p| (p.x, p.y) == (x, y) || (p.x, p.y) == (y, x))
        else {
            return Vec::new();
        };
        let flip = p.x != x;
        let beads = p
            .beads
            .iter()
            .map(|b| if flip { b.flipped() } else { b.clone() });
        beads.zip(p.confidence.iter().copied()).collect()
    }
}
