//! Alignment: features and anchors, the cost model, the learned lexicon, dynamic programming
//! and the N-way merge.
//!
//! A corpus is aligned in two passes. The first aligns every language with the pivot on
//! length and anchors alone; its 1-1 beads teach each language's length model and lexicon.
//! The second pass aligns again with everything, and the pairwise alignments are merged into
//! N-way units from which every pair's beads are derived.

pub mod cost;
pub mod dp;
pub mod features;
pub mod lexicon;
pub mod merge;

use crate::text::Lang;
use cost::{LengthModel, PairScorer, Params, WordMap};
use dp::Bead;
use features::ParaFeatures;
use lexicon::Lexicon;
use merge::{Group, Links};
use rayon::prelude::*;

/// The features of every present version of one statement.
#[derive(Clone, Debug, Default)]
pub struct DocFeatures {
    pub versions: [Option<Vec<ParaFeatures>>; 5],
}

impl DocFeatures {
    pub fn from_texts(texts: &[Option<Vec<String>>; 5]) -> DocFeatures {
        let mut versions: [Option<Vec<ParaFeatures>>; 5] = Default::default();
        for l in Lang::ALL {
            versions[l.index()] = texts[l.index()].as_ref().map(|paras| {
                paras
                    .iter()
                    .map(|p| features::extract(&crate::text::scoring_text(p), l))
                    .collect()
            });
        }
        DocFeatures { versions }
    }

    fn get(&self, l: Lang) -> Option<&[ParaFeatures]> {
        self.versions[l.index()].as_deref()
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
    pub length: [LengthModel; 5],
    pub lexicon: [Option<Lexicon>; 5],
    pub params: Params,
}

impl CorpusModel {
    /// A model with length ratios from total lengths and no lexicon.
    fn initial(docs: &[DocFeatures], pivot: Lang, params: Params) -> CorpusModel {
        let mut length = [LengthModel::from_totals(1, 1); 5];
        for l in Lang::ALL {
            let (mut la, mut lb) = (0u64, 0u64);
            for d in docs {
                if let (Some(p), Some(o)) = (d.get(pivot), d.get(l)) {
                    la += p.iter().map(|f| f.chars as u64).sum::<u64>();
                    lb += o.iter().map(|f| f.chars as u64).sum::<u64>();
                }
            }
            length[l.index()] = LengthModel::from_totals(la, lb);
        }
        CorpusModel {
            pivot,
            length,
            lexicon: Default::default(),
            params,
        }
    }

    /// Learn the model of a corpus: a first pass on length and anchors, then each
    /// language's length model and lexicon from that pass's 1-1 beads.
    pub fn learn(docs: &[DocFeatures], pivot: Lang, params: Params) -> CorpusModel {
        let initial = CorpusModel::initial(docs, pivot, params);
        let mut model = initial.clone();
        for l in Lang::ALL.into_iter().filter(|&l| l != pivot) {
            let beads: Vec<(&[ParaFeatures], &[ParaFeatures], Vec<Bead>)> = docs
                .par_iter()
                .filter_map(|d| {
                    let (p, o) = (d.get(pivot)?, d.get(l)?);
                    Some((p, o, initial.align(pivot, l, p, o)))
                })
                .collect();
            let mut lengths = Vec::new();
            let mut word_pairs: Vec<(&[u64], &[u64])> = Vec::new();
            for (p, o, path) in &beads {
                for b in path.iter().filter(|b| b.shape() == (1, 1)) {
                    let (fp, fo) = (&p[b.a.start], &o[b.b.start]);
                    lengths.push((fp.chars, fo.chars));
                    word_pairs.push((&fp.words, &fo.words));
                }
            }
            if let Some(m) = LengthModel::estimate(&lengths) {
                model.length[l.index()] = m;
            }
            model.lexicon[l.index()] = Some(Lexicon::learn(word_pairs.iter().copied()));
        }
        model
    }

    /// How language `l`'s words enter the shared space when `l` is side `x` of a pair whose
    /// other side is `other`.
    fn word_map(&self, l: Lang, other: Lang) -> WordMap<'_> {
        if l == self.pivot {
            match &self.lexicon[other.index()] {
                Some(lex) => WordMap::Pivot(lex),
                None => WordMap::None,
            }
        } else {
            match &self.lexicon[l.index()] {
                Some(lex) => WordMap::Other(lex),
                None => WordMap::None,
            }
        }
    }

    /// Length model of pair (x, y), either of which may be the pivot.
    fn length_model(&self, x: Lang, y: Lang) -> LengthModel {
        if x == self.pivot {
            self.length[y.index()]
        } else {
            LengthModel::compose(&self.length[x.index()], &self.length[y.index()])
        }
    }

    fn scorer<'a>(
        &'a self,
        x: Lang,
        y: Lang,
        a: &'a [ParaFeatures],
        b: &'a [ParaFeatures],
    ) -> PairScorer<'a> {
        PairScorer::new(
            a,
            b,
            self.word_map(x, y),
            self.word_map(y, x),
            self.length_model(x, y),
            self.params,
        )
    }

    /// Align two versions, x on side a.
    pub fn align(&self, x: Lang, y: Lang, a: &[ParaFeatures], b: &[ParaFeatures]) -> Vec<Bead> {
        let scorer = self.scorer(x, y, a, b);
        dp::best_path(a.len(), b.len(), |i, j, di, dj| scorer.cost(i, j, di, dj))
    }

    /// Align every version of a statement with its pivot and merge into units.
    pub fn align_doc(&self, doc: &DocFeatures) -> DocAlignment {
        let counts: [Option<usize>; 5] =
            std::array::from_fn(|i| doc.versions[i].as_ref().map(|v| v.len()));
        let mut links = Links::new(counts);
        let mut confidence: [Vec<f64>; 5] =
            std::array::from_fn(|i| vec![1.0; counts[i].unwrap_or(0)]);
        let Some(pivot) = doc.pivot(self.pivot) else {
            return self.finish(doc, None, links, confidence);
        };
        let pv = doc.get(pivot).expect("pivot present");
        for l in Lang::ALL.into_iter().filter(|&l| l != pivot) {
            let Some(other) = doc.get(l) else { continue };
            let scorer = self.scorer(pivot, l, pv, other);
            let path = dp::best_path(pv.len(), other.len(), |i, j, di, dj| {
                scorer.cost(i, j, di, dj)
            });
            for b in &path {
                links.add_bead(pivot, l, b);
                let c = bead_confidence(&scorer, b, &self.params);
                for p in b.a.clone() {
                    let slot = &mut confidence[pivot.index()][p];
                    *slot = slot.min(c);
                }
                for p in b.b.clone() {
                    let slot = &mut confidence[l.index()][p];
                    *slot = slot.min(c);
                }
            }
        }
        self.link_orphans(doc, pivot, &mut links, &mut confidence);
        self.finish(doc, Some(pivot), links, confidence)
    }

    /// Units from the links, and every pair's beads: derived from the links, then refined
    /// inside beads that hold several paragraphs on both sides — where the pivot merged
    /// passages that both other versions keep apart — and with paragraphs that have no
    /// counterpart in the pair standing alone.
    fn finish(
        &self,
        doc: &DocFeatures,
        pivot: Option<Lang>,
        links: Links,
        confidence: [Vec<f64>; 5],
    ) -> DocAlignment {
        let units = links
            .units()
            .into_iter()
            .map(|Group { paras }| {
                let confidence = Lang::ALL
                    .iter()
                    .flat_map(|l| paras[l.index()].clone().map(|p| confidence[l.index()][p]))
                    .fold(1.0, f64::min);
                Unit { paras, confidence }
            })
            .collect();
        let present: Vec<Lang> = Lang::ALL
            .into_iter()
            .filter(|&l| doc.get(l).is_some())
            .collect();
        let mut pairs = Vec::new();
        for (x, y) in crate::text::lang::pairs(&present) {
            let derived = links.pair(x, y);
            let through_pivot = Some(x) != pivot && Some(y) != pivot;
            let needs_refining = |b: &Bead| {
                through_pivot && !b.a.is_empty() && !b.b.is_empty() && b.a.len() + b.b.len() > 2
            };
            let scorer = derived.iter().any(needs_refining).then(|| {
                self.scorer(
                    x,
                    y,
                    doc.get(x).expect("present"),
                    doc.get(y).expect("present"),
                )
            });
            let mut beads = Vec::with_capacity(derived.len());
            for b in derived {
                if let (Some(scorer), true) = (&scorer, needs_refining(&b)) {
                    let (a0, b0) = (b.a.start, b.b.start);
                    let sub = dp::best_path(b.a.len(), b.b.len(), |i, j, di, dj| {
                        scorer.cost(i + a0, j + b0, di, dj)
                    });
                    beads.extend(sub.into_iter().map(|s| Bead {
                        a: s.a.start + a0..s.a.end + a0,
                        b: s.b.start + b0..s.b.end + b0,
                    }));
                } else if b.a.is_empty() || b.b.is_empty() {
                    // Several paragraphs without a counterpart are each unaligned.
                    beads.extend(b.a.clone().map(|p| Bead {
                        a: p..p + 1,
                        b: 0..0,
                    }));
                    beads.extend(b.b.clone().map(|p| Bead {
                        a: 0..0,
                        b: p..p + 1,
                    }));
                } else {
                    beads.push(b);
                }
            }
            pairs.push((x, y, beads));
        }
        DocAlignment { units, pairs }
    }

    /// Passages the pivot lacks but several other versions have: align those versions'
    /// unlinked paragraphs with each other, through the first of them as a secondary pivot.
    fn link_orphans(
        &self,
        doc: &DocFeatures,
        pivot: Lang,
        links: &mut Links,
        confidence: &mut [Vec<f64>; 5],
    ) {
        // Runs of unlinked paragraphs per language, keyed by the gap they sit in: the number
        // of linked paragraphs before them.
        let mut runs: Vec<(usize, Lang, std::ops::Range<usize>)> = Vec::new();
        for l in Lang::ALL
            .into_iter()
            .filter(|&l| l != pivot && doc.get(l).is_some())
        {
            let linked = links.linked(l);
            let mut gap = 0;
            let mut p = 0;
            while p < linked.len() {
                if linked[p] {
                    gap = p + 1;
                    p += 1;
                    continue;
                }
                let start = p;
                while p < linked.len() && !linked[p] {
                    p += 1;
                }
                runs.push((gap_key(links, l, gap), l, start..p));
            }
        }
        runs.sort_by_key(|(g, l, _)| (*g, *l));
        for group in runs.chunk_by(|x, y| x.0 == y.0) {
            if group.len() < 2 {
                continue;
            }
            let (_, sec, ref sec_run) = group[0];
            let sp = &doc.get(sec).expect("present")[sec_run.clone()];
            for (_, l, run) in &group[1..] {
                let other = &doc.get(*l).expect("present")[run.clone()];
                let scorer = self.scorer(sec, *l, sp, other);
                let path = dp::best_path(sp.len(), other.len(), |i, j, di, dj| {
                    scorer.cost(i, j, di, dj)
                });
                for b in &path {
                    if b.a.is_empty() || b.b.is_empty() {
                        continue;
                    }
                    let c = bead_confidence(&scorer, b, &self.params);
                    let shifted = Bead {
                        a: b.a.start + sec_run.start..b.a.end + sec_run.start,
                        b: b.b.start + run.start..b.b.end + run.start,
                    };
                    links.add_bead(sec, *l, &shifted);
                    for p in shifted.a.clone() {
                        confidence[sec.index()][p] = confidence[sec.index()][p].min(c);
                    }
                    for p in shifted.b.clone() {
                        confidence[l.index()][p] = confidence[l.index()][p].min(c);
                    }
                }
            }
        }
    }
}

/// The gap a run of unlinked paragraphs of `lang` sits in, counted in pivot paragraphs: the
/// gap after the pivot paragraphs linked to the paragraph just before the run.
fn gap_key(links: &Links, lang: Lang, linked_before: usize) -> usize {
    if linked_before == 0 {
        return 0;
    }
    links
        .max_connector(lang, linked_before - 1)
        .map_or(0, |c| c + 1)
}

/// How sure the aligner is of a bead: the logistic of how much cheaper the bead is than the
/// alternative (leaving its paragraphs unaligned, or, for an unaligned paragraph, pairing it
/// with a neighbour).
fn bead_confidence(scorer: &PairScorer, b: &Bead, params: &Params) -> f64 {
    let (di, dj) = b.shape();
    let margin = if di > 0 && dj > 0 {
        params.skip * (di + dj) as f64 - scorer.cost(b.a.end, b.b.end, di, dj)
    } else {
        let (n, m) = scorer.sides();
        let (i, j) = (b.a.start, b.b.start);
        let alternatives: Vec<f64> = if di == 1 {
            [j, j + 1]
                .into_iter()
                .filter(|&jj| jj >= 1 && jj <= m)
                .map(|jj| scorer.cost(i + 1, jj, 1, 1))
                .collect()
        } else {
            [i, i + 1]
                .into_iter()
                .filter(|&ii| ii >= 1 && ii <= n)
                .map(|ii| scorer.cost(ii, j + 1, 1, 1))
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
    pub pairs: Vec<(Lang, Lang, Vec<Bead>)>,
}

/// An N-way unit: the paragraphs of each language that translate each other.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    pub paras: [std::ops::Range<usize>; 5],
    /// In [0, 1]: the least confident bead the unit was built from.
    pub confidence: f64,
}

impl DocAlignment {
    /// The beads of pair (x, y), x on side a; empty when a version is absent.
    pub fn pair(&self, x: Lang, y: Lang) -> &[Bead] {
        self.pairs
            .iter()
            .find(|(a, b, _)| *a == x && *b == y)
            .map_or(&[], |(_, _, beads)| beads.as_slice())
    }
}
