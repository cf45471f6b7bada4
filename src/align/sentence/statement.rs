//! The sentence level of a statement: each version cut into sentences, the sentences
//! aligned pair by pair inside the paragraph units, and merged N-way into sentence units
//! the way paragraphs are.
//!
//! A paragraph unit is the natural place to align sentences: the search is small and the
//! context right. Where the paragraph level could not give every version exactly one
//! paragraph (an omission, a merge, a split), the unit is joined with its neighbours into
//! one region, so that the sentence level can mend what the paragraph level got wrong; a
//! neighbour whose sentences pair off as they are (as many each, lengths plausible) is not
//! in doubt and stays alone.

use super::SentenceModel;
use super::tokens::{self, RawSentence};
use crate::align::dp::Bead;
use crate::align::merge::{Group, Links};
use crate::align::{DocAlignment, PairLadder, Unit};
use crate::text::lang::pairs;
use crate::text::sentences::SentenceMode;
use crate::text::{ByLang, Lang};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A version cut into sentences.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sentences {
    /// Each sentence's text, in order through the document.
    pub text: Vec<String>,
    /// The paragraph each sentence lies in.
    pub paragraph_of: Vec<usize>,
    /// The first sentence of each paragraph, and the sentence count last.
    first: Vec<usize>,
    /// Which paragraphs are page chrome (none if empty): their sentences are aligned with
    /// no text, as the paragraph level aligns chrome.
    chrome: Vec<bool>,
}

impl Sentences {
    /// Cut each paragraph into sentences; a paragraph always holds at least one.
    pub fn split(paragraphs: &[String], lang: Lang, mode: SentenceMode) -> Sentences {
        let mut s = Sentences::default();
        for (p, para) in paragraphs.iter().enumerate() {
            s.first.push(s.text.len());
            let ranges = mode.sentences(para, lang);
            if ranges.is_empty() {
                s.text.push(para.clone());
                s.paragraph_of.push(p);
            }
            for r in ranges {
                s.text.push(para[r].to_string());
                s.paragraph_of.push(p);
            }
        }
        s.first.push(s.text.len());
        s
    }

    /// The same sentences, paragraphs `chrome` marked as page chrome.
    pub fn with_chrome(mut self, chrome: &[bool]) -> Sentences {
        self.chrome = chrome.to_vec();
        self
    }

    /// Is sentence `k` page chrome?
    fn is_chrome(&self, k: usize) -> bool {
        self.chrome
            .get(self.paragraph_of[k])
            .copied()
            .unwrap_or(false)
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// How many paragraphs the sentences were cut from.
    pub fn paragraphs(&self) -> usize {
        self.first.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The sentences of paragraphs `paras`.
    fn of(&self, paras: &Range<usize>) -> Range<usize> {
        self.first[paras.start]..self.first[paras.end]
    }

    fn texts(&self, r: Range<usize>) -> Vec<&str> {
        self.text[r].iter().map(String::as_str).collect()
    }
}

/// Sentences of a pair's first language its model learns from, at least (whole statements,
/// in the sample's order): on news12 and news10, 500 sentences teach the models as well as
/// 1,000 or 4,000 (strict F1 0.997 both), and learning costs in proportion.
const LEARN_SENTENCES: usize = 500;

/// How many beads on each side of the sentences the connector lacks (one version's) must
/// be free of doubt for them to stay unaligned as composed: with one, a passage the
/// connector misaligned around it (news12 023) kept its lone sentences and lost its
/// realignment.
const ISOLATED: usize = 5;

/// The confidence from which a bead that composing two connector pairs gives is kept
/// without aligning the pair directly.
const SURE_COMPOSED: f64 = 0.99;

/// The sentence models of every pair of languages, learned from a run's sample.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SentenceModels {
    /// (x, y, the model with x on side a), x before y in canonical order.
    pairs: Vec<(Lang, Lang, SentenceModel)>,
}

/// A statement's sentences, as the learner and the aligner take them: each version's
/// sentences and the paragraph alignment they lie in.
pub struct StatementSentences<'a> {
    pub sentences: &'a ByLang<Option<Sentences>>,
    pub paragraphs: &'a DocAlignment,
}

impl StatementSentences<'_> {
    /// The regions where x's and y's sentences are aligned: runs of paragraph units, a
    /// unit that does not hold exactly one paragraph of each (or none of either) joined
    /// with its neighbours, so that the sentence level can mend where the paragraph level
    /// cut. A neighbour that `settled` says pairs off as it is stays alone: its paragraph
    /// boundaries are not in doubt. Per pair, so that a paragraph a third version lacks
    /// does not widen the search of the two that have it.
    fn regions(&self, x: Lang, y: Lang, settled: impl Fn(&Region) -> bool) -> Vec<Region> {
        let units = &self.paragraphs.units;
        let count = |u: &Unit, l: Lang| {
            if self.sentences[l].is_some() {
                u.paras[l].len()
            } else {
                0
            }
        };
        let simple: Vec<bool> = units
            .iter()
            .map(|u| matches!((count(u, x), count(u, y)), (1, 1) | (0, 0)))
            .collect();
        let mut joined = vec![false; units.len()];
        for k in (0..units.len()).filter(|&k| !simple[k]) {
            joined[k] = true;
            let neighbours = [k.checked_sub(1), Some(k + 1).filter(|&n| n < units.len())];
            for n in neighbours.into_iter().flatten() {
                if !simple[n] || !settled(&self.region(n..n + 1, x, y, true)) {
                    joined[n] = true;
                }
            }
        }
        let mut regions = Vec::new();
        let mut k = 0;
        while k < units.len() {
            let start = k;
            k += 1;
            while joined[start] && k < units.len() && joined[k] {
                k += 1;
            }
            let region = self.region(start..k, x, y, !joined[start]);
            if !region.x.is_empty() || !region.y.is_empty() {
                regions.push(region);
            }
        }
        regions
    }

    /// The sentences of x and y in paragraph units `units`: the span of their paragraphs
    /// (units are monotone in every language); `simple` if it is one unit of one paragraph
    /// of each.
    fn region(&self, units: Range<usize>, x: Lang, y: Lang, simple: bool) -> Region {
        let us = &self.paragraphs.units[units.clone()];
        let span = |l: Lang| {
            let Some(s) = &self.sentences[l] else {
                return 0..0;
            };
            let mut used = us.iter().map(|u| &u.paras[l]).filter(|r| !r.is_empty());
            match (used.next(), used.next_back()) {
                (Some(f), Some(e)) => s.of(&(f.start..e.end)),
                (Some(f), None) => s.of(f),
                _ => 0..0,
            }
        };
        Region {
            single: simple,
            confidence: us.iter().map(|u| u.confidence).fold(1.0, f64::min),
            x: span(x),
            y: span(y),
        }
    }
}

/// Paragraph units whose sentences are aligned together, for one pair of languages.
struct Region {
    /// The sentences of the pair's first language, and of its second.
    x: Range<usize>,
    y: Range<usize>,
    /// A single paragraph unit of one paragraph of each version (or of none), rather than
    /// units joined.
    single: bool,
    /// The least sure of its paragraph units.
    confidence: f64,
}

/// A statement's sentence alignment.
pub struct SentenceAlignment {
    pub alignment: DocAlignment,
    /// The paragraph alignment the sentences give (see `mended`): the paragraph level's,
    /// mended where it was in doubt.
    pub paragraphs: DocAlignment,
    /// For each sentence unit, the paragraph unit its first sentence lies in.
    pub paragraph_unit: Vec<usize>,
}

impl SentenceModels {
    /// Learn every pair's model from the regions of `statements` where both versions have
    /// sentences; `prior`, models learned elsewhere, lend their lexicons.
    pub fn learn(statements: &[StatementSentences], prior: Option<&SentenceModels>) -> Self {
        let langs: Vec<Lang> = Lang::ALL
            .into_iter()
            .filter(|&l| statements.iter().any(|s| s.sentences[l].is_some()))
            .collect();
        let pairs = pairs(&langs)
            .into_par_iter()
            .filter_map(|(x, y)| {
                let mut units = Vec::new();
                let mut single = Vec::new();
                for st in learning_sample(statements, x, y).0 {
                    let (Some(sx), Some(sy)) = (&st.sentences[x], &st.sentences[y]) else {
                        continue;
                    };
                    for r in st.regions(x, y, |_| false) {
                        if !r.x.is_empty() && !r.y.is_empty() {
                            single.push(r.single);
                            units.push((sx.texts(r.x), sy.texts(r.y)));
                        }
                    }
                }
                if units.is_empty() {
                    return None;
                }
                let prior = prior.and_then(|p| p.get(x, y));
                Some((x, y, SentenceModel::learn(&units, &single, prior)))
            })
            .collect();
        SentenceModels { pairs }
    }

    /// Do `statements` hold what the model of every pair of `langs` learns from:
    /// `LEARN_SENTENCES` of the pair's first language wherever both versions are present?
    pub fn enough(statements: &[StatementSentences], langs: &[Lang]) -> bool {
        pairs(langs)
            .into_iter()
            .all(|(x, y)| learning_sample(statements, x, y).1)
    }

    fn get(&self, x: Lang, y: Lang) -> Option<&SentenceModel> {
        self.pairs
            .iter()
            .find(|(a, b, _)| (*a, *b) == (x, y))
            .map(|(_, _, m)| m)
    }

    /// Do x's sentences of lengths `a` and y's of lengths `b` pair off 1-1 down the
    /// diagonal: one each, or as many each with plausible lengths
    /// ([`SentenceModel::plainly_diagonal`])?
    fn plainly_diagonal(&self, x: Lang, y: Lang, a: &[f64], b: &[f64]) -> bool {
        self.by_lengths(x, y, a, b, SentenceModel::plain_lengths)
            .unwrap_or(a.len() == 1 && b.len() == 1)
    }

    /// Do x's and y's sentences of a region pair off as they are, as many each, every pair
    /// of plausible lengths (a lone pair too)? For a single paragraph unit, the paragraph
    /// boundaries around it are then not in doubt.
    fn settled(&self, x: Lang, y: Lang, lengths: &ByLang<Vec<f64>>, r: &Region) -> bool {
        self.settled_ranges(lengths, (x, &r.x), (y, &r.y))
    }

    /// [`settled`](Self::settled) of x's sentences `rx` and y's `ry`.
    fn settled_ranges(
        &self,
        lengths: &ByLang<Vec<f64>>,
        (x, rx): (Lang, &Range<usize>),
        (y, ry): (Lang, &Range<usize>),
    ) -> bool {
        let (a, b) = (&lengths[x][rx.clone()], &lengths[y][ry.clone()]);
        self.by_lengths(x, y, a, b, SentenceModel::settled_lengths)
            .unwrap_or(false)
    }

    /// Do x's sentences `rx` and y's `ry` pair off 1-1 by their lengths alone? In a
    /// `single` paragraph unit, as many each with plausible lengths (one each always,
    /// [`plainly_diagonal`](Self::plainly_diagonal)); in units joined or a run to align
    /// again, as many each with every pair's lengths plausible, a lone pair's too. Page
    /// chrome is never paired with text: sentences that hold some are searched.
    fn pair_off(
        &self,
        read: &Reader,
        (x, rx): (Lang, &Range<usize>),
        (y, ry): (Lang, &Range<usize>),
        single: bool,
    ) -> bool {
        let by_lengths = if single {
            let (a, b) = (&read.lengths[x][rx.clone()], &read.lengths[y][ry.clone()]);
            self.plainly_diagonal(x, y, a, b)
        } else {
            self.settled_ranges(&read.lengths, (x, rx), (y, ry))
        };
        by_lengths && !read.chrome(x, rx) && !read.chrome(y, ry)
    }

    /// `test` of x's sentence lengths `a` and y's `b` under the pair's model, whichever
    /// way round it was learned; None without one.
    fn by_lengths(
        &self,
        x: Lang,
        y: Lang,
        a: &[f64],
        b: &[f64],
        test: fn(&SentenceModel, &[f64], &[f64]) -> bool,
    ) -> Option<bool> {
        match (self.get(x, y), self.get(y, x)) {
            (Some(m), _) => Some(test(m, a, b)),
            (None, Some(m)) => Some(test(m, b, a)),
            (None, None) => None,
        }
    }

    /// The languages whose pairs the models hold.
    pub fn langs(&self) -> Vec<Lang> {
        let mut langs: Vec<Lang> = self.pairs.iter().flat_map(|(x, y, _)| [*x, *y]).collect();
        langs.sort();
        langs.dedup();
        langs
    }

    /// Align x's sentences `a` with y's `b` (either order of x and y): beads with x on
    /// side a, each with its confidence. Without a model for the pair, the sentences are
    /// left unaligned.
    fn align(&self, x: Lang, y: Lang, a: &[RawSentence], b: &[RawSentence]) -> Vec<(Bead, f64)> {
        if let Some(m) = self.get(x, y) {
            return m.align_read(a, b);
        }
        if let Some(m) = self.get(y, x) {
            return m
                .align_read(b, a)
                .into_iter()
                .map(|(bd, c)| (bd.flipped(), c))
                .collect();
        }
        let unaligned_a = (0..a.len()).map(|i| {
            (
                Bead {
                    a: i..i + 1,
                    b: 0..0,
                },
                1.0,
            )
        });
        let unaligned_b = (0..b.len()).map(|j| {
            (
                Bead {
                    a: a.len()..a.len(),
                    b: j..j + 1,
                },
                1.0,
            )
        });
        unaligned_a.chain(unaligned_b).collect()
    }

    /// Align a statement's sentences: in every region, each version with the region's
    /// connector (the pivot, or where the pivot has no sentence there the first language
    /// that has); every other pair derived through the connectors and, where that gives
    /// no 1-1 answer, aligned directly; all merged into sentence units.
    pub fn align_statement(&self, st: &StatementSentences, pivot: Lang) -> SentenceAlignment {
        let counts: ByLang<Option<usize>> = st
            .sentences
            .as_ref()
            .map(|_, s| s.as_ref().map(Sentences::len));
        let present: Vec<Lang> = counts.langs().collect();
        let mut read = Reader::new(st.sentences);
        let mut confidence: ByLang<Vec<f64>> = counts.map(|_, n| vec![1.0; n.unwrap_or(0)]);
        let mut through = Links::new(counts);
        // The connector: every version is aligned with it, the other pairs derived.
        let c = std::iter::once(pivot)
            .chain(present.iter().copied())
            .find(|l| present.contains(l))
            .unwrap_or(pivot);
        for &l in present.iter().filter(|&&l| l != c) {
            for region in st.regions(c, l, |r| self.settled(c, l, &read.lengths, r)) {
                if region.x.is_empty() || region.y.is_empty() {
                    continue;
                }
                // Sentences that plainly pair off 1-1 are beads without weighing their
                // words, each as sure as the paragraphs.
                let plain = self
                    .pair_off(&read, (c, &region.x), (l, &region.y), region.single)
                    .then_some(region.confidence);
                let beads = match plain {
                    Some(conf) => diagonal(region.x.len(), conf),
                    None => {
                        let (tc, tl) = read.pair((c, region.x.clone()), (l, region.y.clone()));
                        self.align(c, l, tc, tl)
                    }
                };
                for (b, conf) in beads {
                    let bead = offset(&b, region.x.start, region.y.start);
                    through.add_bead(c, l, &bead);
                    note(&mut confidence, c, l, &bead, conf);
                }
            }
        }
        let mut all = Links::new(counts);
        let mut ladders = Vec::new();
        for (x, y) in pairs(&present) {
            let derived = through.pair(x, y);
            let beads = if x == c || y == c {
                derived
            } else {
                self.refine(st, (x, y), &mut read, derived, &mut confidence)
            };
            for b in &beads {
                all.add_bead(x, y, b);
            }
            ladders.push((x, y, beads));
        }
        let pairs: Vec<PairLadder> = ladders
            .into_iter()
            .map(|(x, y, beads)| {
                let conf = beads
                    .iter()
                    .map(|b| least(&confidence, x, &b.a).min(least(&confidence, y, &b.b)))
                    .collect();
                PairLadder {
                    x,
                    y,
                    beads,
                    confidence: conf,
                }
            })
            .collect();
        let units: Vec<Unit> = all
            .units()
            .into_iter()
            .map(|Group { paras }| {
                let confidence = paras
                    .iter()
                    .map(|(l, r)| least(&confidence, l, r))
                    .fold(1.0, f64::min);
                Unit { paras, confidence }
            })
            .collect();
        let paragraphs = mended(st, &pairs, &units, &confidence);
        let paragraph_unit = paragraph_units(st, &paragraphs, &units);
        SentenceAlignment {
            alignment: DocAlignment { units, pairs },
            paragraphs,
            paragraph_unit,
        }
    }

    /// Refine a pair's beads derived through the connectors where they give no 1-1
    /// answer: each run of such beads, with a bead of context, aligned again with the
    /// pair's own model — inside its region, so that no bead leaves the paragraph units
    /// it was aligned in.
    fn refine(
        &self,
        st: &StatementSentences,
        (x, y): (Lang, Lang),
        read: &mut Reader,
        derived: Vec<Bead>,
        confidence: &mut ByLang<Vec<f64>>,
    ) -> Vec<Bead> {
        let regions = st.regions(x, y, |r| self.settled(x, y, &read.lengths, r));
        // The region of a bead: where its first sentence lies.
        let region_of = |b: &Bead| {
            if b.a.is_empty() {
                regions.iter().position(|r| r.y.contains(&b.b.start))
            } else {
                regions.iter().position(|r| r.x.contains(&b.a.start))
            }
        };
        // Each bead in its region's run: composed through the connector, the sentences
        // both versions have and the connector lacks come all of x's then all of y's, so
        // one region's beads need not be neighbours in `derived`. Ordered by region where
        // that keeps the ladder monotone (a composed bead can reach across regions: then
        // the order stays as composed).
        let mut keyed: Vec<(Option<usize>, Bead)> = Vec::with_capacity(derived.len());
        for b in &derived {
            let key = region_of(b).or_else(|| keyed.last().and_then(|(k, _)| *k));
            keyed.push((key, b.clone()));
        }
        keyed.sort_by_key(|(k, _)| *k);
        let by_region: Vec<Bead> = keyed.into_iter().map(|(_, b)| b).collect();
        let ordered = if monotone(&by_region) {
            by_region
        } else {
            derived
        };
        let mut out = Vec::with_capacity(ordered.len());
        let mut beads = ordered.into_iter().peekable();
        while let Some(first) = beads.next() {
            let region = region_of(&first);
            let mut chunk = vec![first];
            while let Some(b) = beads.next_if(|b| region_of(b) == region) {
                chunk.push(b);
            }
            let doubtful = doubtful(&chunk, |b| {
                least(confidence, x, &b.a).min(least(confidence, y, &b.b))
            });
            // Beads paired off by lengths alone are as sure as the region's paragraphs, as
            // a connector region's are.
            let sure = region.map_or(1.0, |r| regions[r].confidence);
            let refined = crate::align::refine_runs(chunk, &doubtful, |ra, rb| {
                // A run of sentences both versions have and the connector lacks, as often
                // as not.
                if self.pair_off(read, (x, &ra), (y, &rb), false) {
                    return diagonal(ra.len(), sure);
                }
                let (a, b) = read.pair((x, ra), (y, rb));
                self.align(x, y, a, b)
            });
            for (bead, direct) in refined {
                if let Some(c) = direct {
                    note(confidence, x, y, &bead, c);
                }
                out.push(bead);
            }
        }
        out
    }
}

/// A statement's sentences, read into tokens on first use: lengths alone find the
/// sentences that plainly pair off, and most of a statement's never need their words. Each
/// sentence is read at most once, for every pair it is aligned in.
struct Reader<'a> {
    texts: ByLang<&'a [String]>,
    lengths: ByLang<Vec<f64>>,
    /// Each sentence, its tokens empty until `done`.
    read: ByLang<Vec<RawSentence>>,
    done: ByLang<Vec<bool>>,
}

impl<'a> Reader<'a> {
    fn new(sentences: &'a ByLang<Option<Sentences>>) -> Reader<'a> {
        let texts = sentences
            .as_ref()
            .map(|_, s| s.as_ref().map_or(&[][..], |s| &s.text[..]));
        let lengths: ByLang<Vec<f64>> =
            texts.map(|_, t| t.iter().map(|x| tokens::length(x)).collect());
        let chrome = |l: Lang, k: usize| sentences[l].as_ref().is_some_and(|s| s.is_chrome(k));
        Reader {
            read: lengths.as_ref().map(|l, ls| {
                ls.iter()
                    .enumerate()
                    .map(|(k, &len)| RawSentence {
                        len,
                        tokens: Vec::new(),
                        chrome: chrome(l, k),
                    })
                    .collect()
            }),
            done: texts.map(|_, t| vec![false; t.len()]),
            lengths,
            texts,
        }
    }

    /// Is any of sentences `r` of `l` page chrome?
    fn chrome(&self, l: Lang, r: &Range<usize>) -> bool {
        self.read[l][r.clone()].iter().any(|s| s.chrome)
    }

    /// The sentences `rx` of x and `ry` of y, read.
    fn pair(
        &mut self,
        (x, rx): (Lang, Range<usize>),
        (y, ry): (Lang, Range<usize>),
    ) -> (&[RawSentence], &[RawSentence]) {
        for (l, r) in [(x, rx.clone()), (y, ry.clone())] {
            for i in r {
                if !self.done[l][i] {
                    self.read[l][i] = RawSentence {
                        chrome: self.read[l][i].chrome,
                        ..tokens::read(&self.texts[l][i])
                    };
                    self.done[l][i] = true;
                }
            }
        }
        (&self.read[x][rx], &self.read[y][ry])
    }
}

/// For each sentence unit, the paragraph unit (of `paragraphs`) its first sentence lies in.
fn paragraph_units(
    st: &StatementSentences,
    paragraphs: &DocAlignment,
    units: &[Unit],
) -> Vec<usize> {
    // Each language's paragraph → its paragraph unit.
    let unit_of: ByLang<Vec<usize>> = st.sentences.as_ref().map(|l, s| {
        let Some(s) = s else { return Vec::new() };
        let mut of = vec![0; s.paragraphs()];
        for (k, u) in paragraphs.units.iter().enumerate() {
            for p in u.paras[l].clone() {
                of[p] = k;
            }
        }
        of
    });
    units
        .iter()
        .map(|u| {
            u.paras
                .iter()
                .filter(|(_, r)| !r.is_empty())
                .map(|(l, r)| {
                    let s = st.sentences[l].as_ref().expect("present");
                    unit_of[l][s.paragraph_of[r.start]]
                })
                .min()
                .unwrap_or(0)
        })
        .collect()
}

/// The paragraph alignment the sentences give: in every pair, the paragraphs that the
/// sentence beads link, closed into monotone beads; units over all pairs, as the sentence
/// units are. Where the paragraph level was joined with its neighbours around a merge or
/// an omission, the sentences have the last word; elsewhere they agree with it. A bead, or
/// a unit, is as sure as its least sure sentence.
fn mended(
    st: &StatementSentences,
    pairs: &[PairLadder],
    sentence_units: &[Unit],
    confidence: &ByLang<Vec<f64>>,
) -> DocAlignment {
    let counts: ByLang<Option<usize>> = st
        .sentences
        .as_ref()
        .map(|_, s| s.as_ref().map(Sentences::paragraphs));
    // A sentence range's paragraphs.
    let paras = |l: Lang, r: &Range<usize>| match &st.sentences[l] {
        Some(s) if !r.is_empty() => s.paragraph_of[r.start]..s.paragraph_of[r.end - 1] + 1,
        _ => 0..0,
    };
    // A paragraph range is as sure as its least sure sentence.
    let sure = |l: Lang, r: &Range<usize>| match &st.sentences[l] {
        Some(s) if !r.is_empty() => least(confidence, l, &s.of(r)),
        _ => 1.0,
    };
    let mut all = Links::new(counts);
    let ladders = pairs
        .iter()
        .map(|ladder| {
            let (x, y) = (ladder.x, ladder.y);
            let mut links = Links::new(counts);
            for b in &ladder.beads {
                let bead = Bead {
                    a: paras(x, &b.a),
                    b: paras(y, &b.b),
                };
                links.add_bead(x, y, &bead);
                all.add_bead(x, y, &bead);
            }
            let beads = links.pair(x, y);
            PairLadder {
                x,
                y,
                confidence: beads
                    .iter()
                    .map(|b| sure(x, &b.a).min(sure(y, &b.b)))
                    .collect(),
                beads,
            }
        })
        .collect();
    // Each sentence unit's paragraphs in one unit: merging N ways can join sentences whose
    // paragraphs no pair links (crossings around a cycle of three versions, each pair
    // monotone), and a sentence unit must lie inside the paragraph unit it names.
    for u in sentence_units {
        let used: Vec<(Lang, Range<usize>)> = u
            .paras
            .iter()
            .filter(|(_, r)| !r.is_empty())
            .map(|(l, r)| (l, paras(l, r)))
            .collect();
        // The first language's paragraphs linked with themselves and with every other's.
        if let Some((l0, p0)) = used.first().cloned() {
            for (l, p) in used {
                all.add_bead(
                    l0,
                    l,
                    &Bead {
                        a: p0.clone(),
                        b: p,
                    },
                );
            }
        }
    }
    let units = all
        .units()
        .into_iter()
        .map(|Group { paras }| {
            let confidence = paras.iter().map(|(l, r)| sure(l, r)).fold(1.0, f64::min);
            Unit { paras, confidence }
        })
        .collect();
    DocAlignment {
        units,
        pairs: ladders,
    }
}

/// The statements pair (x, y) learns from: those with both versions, in order, until
/// their sentences of x reach `LEARN_SENTENCES` (whole statements); and whether they do.
fn learning_sample<'s, 'a>(
    statements: &'s [StatementSentences<'a>],
    x: Lang,
    y: Lang,
) -> (Vec<&'s StatementSentences<'a>>, bool) {
    let mut sample = Vec::new();
    let mut sentences = 0;
    let both = statements
        .iter()
        .filter(|s| s.sentences[x].is_some() && s.sentences[y].is_some());
    for st in both {
        if sentences >= LEARN_SENTENCES {
            break;
        }
        sentences += st.sentences[x].as_ref().map_or(0, Sentences::len);
        sample.push(st);
    }
    (sample, sentences >= LEARN_SENTENCES)
}

/// Which of a pair's beads derived through the connectors to align again directly: merges
/// and splits the connectors gave with less than near certainty, and sentences left
/// unaligned (one may be a sentence the connector lacks that both versions have) — except
/// a run of one version's unaligned sentences with no other doubt within [`ISOLATED`]
/// beads: every sentence around it is paired through the connector without doubt, so
/// the other version has nothing it could pair with but a sentence the connector already
/// paired, and joining it there would overrule two alignments with the connector (a
/// caption or a "share" line in one version only joined to the next sentence; a paragraph
/// that the connector and the other version both lack). The rest is kept as composed: two
/// alignments with the connector agree on it.
fn doubtful(derived: &[Bead], confidence: impl Fn(&Bead) -> f64) -> Vec<bool> {
    let unaligned = |b: &Bead| b.a.is_empty() || b.b.is_empty();
    let mut out: Vec<bool> = derived
        .iter()
        .map(|b| match b.shape() {
            (1, 1) => false,
            (0, _) | (_, 0) => true,
            _ => confidence(b) < SURE_COMPOSED,
        })
        .collect();
    // A run of unaligned sentences of one side (a lone one, or a passage the other
    // version lacks too) with no other doubt within `ISOLATED` beads stays.
    let side = |b: &Bead| b.a.is_empty();
    let mut kept = Vec::new();
    let mut k = 0;
    while k < derived.len() {
        if !unaligned(&derived[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < derived.len()
            && unaligned(&derived[k])
            && side(&derived[k]) == side(&derived[start])
        {
            k += 1;
        }
        let near = start.saturating_sub(ISOLATED)..(k + ISOLATED).min(derived.len());
        if near.clone().all(|j| (start..k).contains(&j) || !out[j]) {
            kept.push(start..k);
        }
    }
    for run in kept {
        for k in run {
            out[k] = false;
        }
    }
    out
}

/// `n` sentences of each side paired off 1-1, each bead as sure as `confidence`.
fn diagonal(n: usize, confidence: f64) -> Vec<(Bead, f64)> {
    (0..n)
        .map(|k| {
            let bead = Bead {
                a: k..k + 1,
                b: k..k + 1,
            };
            (bead, confidence)
        })
        .collect()
}

/// Does each side of `beads` run in order, each bead's items after the last bead's?
fn monotone(beads: &[Bead]) -> bool {
    let side = |get: fn(&Bead) -> &Range<usize>| {
        let mut end = 0;
        beads.iter().map(get).filter(|r| !r.is_empty()).all(|r| {
            let ok = r.start >= end;
            end = r.end;
            ok
        })
    };
    side(|b| &b.a) && side(|b| &b.b)
}

/// A bead of a region's sentences, counted from the document's first sentence.
fn offset(b: &Bead, a0: usize, b0: usize) -> Bead {
    let shift = |r: &Range<usize>, by: usize| {
        if r.is_empty() {
            0..0
        } else {
            r.start + by..r.end + by
        }
    };
    Bead {
        a: shift(&b.a, a0),
        b: shift(&b.b, b0),
    }
}

/// A sentence is as sure as the least sure bead that holds it.
fn note(confidence: &mut ByLang<Vec<f64>>, x: Lang, y: Lang, b: &Bead, c: f64) {
    for p in b.a.clone() {
        confidence[x][p] = confidence[x][p].min(c);
    }
    for p in b.b.clone() {
        confidence[y][p] = confidence[y][p].min(c);
    }
}

fn least(confidence: &ByLang<Vec<f64>>, l: Lang, r: &Range<usize>) -> f64 {
    r.clone().map(|p| confidence[l][p]).fold(1.0, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_alone_join_a_neighbouring_sentence() {
        let split =
            |p: &str| Sentences::split(&[p.to_string()], Lang::En, SentenceMode::Split).text;
        assert_eq!(
            split("One here. Two here. \u{1}"),
            ["One here.", "Two here. \u{1}"]
        );
        assert_eq!(
            split("\u{1} One here. Two here."),
            ["\u{1} One here.", "Two here."]
        );
        // A paragraph of nothing else stays one sentence: a paragraph holds one at least.
        assert_eq!(split("\u{1}\u{2}"), ["\u{1}\u{2}"]);
    }

    fn unit(en: Range<usize>, de: Range<usize>) -> Unit {
        let mut paras: ByLang<Range<usize>> = ByLang::default();
        paras[Lang::En] = en;
        paras[Lang::De] = de;
        Unit {
            paras,
            confidence: 1.0,
        }
    }

    #[test]
    fn a_unit_not_one_to_one_is_aligned_with_its_neighbours() {
        // Paragraph units 1-1, 1-2, 1-1, 1-1, 0-1, 1-1, 1-1, 1-1 (en-de); two sentences a
        // paragraph.
        let units = vec![
            unit(0..1, 0..1),
            unit(1..2, 1..3),
            unit(2..3, 3..4),
            unit(3..4, 4..5),
            unit(4..4, 5..6),
            unit(4..5, 6..7),
            unit(5..6, 7..8),
            unit(6..7, 8..9),
        ];
        let paragraphs = DocAlignment {
            units,
            pairs: Vec::new(),
        };
        let two_each = |n: usize| {
            let texts: Vec<String> = (0..n).map(|k| format!("One {k}. Two {k}.")).collect();
            Sentences::split(&texts, Lang::En, SentenceMode::Split)
        };
        let mut sentences: ByLang<Option<Sentences>> = ByLang::default();
        sentences[Lang::En] = Some(two_each(7));
        sentences[Lang::De] = Some(two_each(9));
        let st = StatementSentences {
            sentences: &sentences,
            paragraphs: &paragraphs,
        };
        let regions: Vec<(Range<usize>, Range<usize>)> = st
            .regions(Lang::En, Lang::De, |_| false)
            .into_iter()
            .map(|r| (r.x, r.y))
            .collect();
        // Units 0-2 (the 1-2 with a neighbour each side) and 3-5 (the 0-1 with its
        // neighbours) touch, and make one region; units 6 and 7 are alone.
        assert_eq!(
            regions,
            [(0..10, 0..14), (10..12, 14..16), (12..14, 16..18)]
        );
        // Units 2 and 5 pair off as they are (en sentences 4..6 and 8..10): not joined.
        // Unit 2 stays alone between the regions of the 1-2 and of the 0-1; unit 5 too.
        let settled = |r: &Region| r.x == (4..6) || r.x == (8..10);
        let regions: Vec<(Range<usize>, Range<usize>, bool)> = st
            .regions(Lang::En, Lang::De, settled)
            .into_iter()
            .map(|r| (r.x, r.y, r.single))
            .collect();
        assert_eq!(
            regions,
            [
                (0..4, 0..6, false),
                (4..6, 6..8, true),
                (6..8, 8..12, false),
                (8..10, 12..14, true),
                (10..12, 14..16, true),
                (12..14, 16..18, true),
            ]
        );
    }

    #[test]
    fn composed_beads_are_kept_when_sure_and_aligned_again_when_not() {
        let bead = |a: Range<usize>, b: Range<usize>| Bead { a, b };
        let derived = [
            bead(0..1, 0..1),
            bead(1..3, 1..2),
            bead(3..4, 2..4),
            bead(4..5, 0..0),
            bead(0..0, 4..5),
            bead(5..6, 5..6),
        ];
        // The 2-1 is as sure as 0.999, the 1-2 as 0.9.
        let conf = |b: &Bead| if b.a.start == 1 { 0.999 } else { 0.9 };
        assert_eq!(
            doubtful(&derived, conf),
            [false, false, true, true, true, false]
        );
        // A sentence one version has alone, among 1-1 beads: kept unaligned; another doubt
        // within five beads makes it doubtful again.
        let mut ladder: Vec<Bead> = (0..6).map(|k| bead(k..k + 1, k..k + 1)).collect();
        ladder.push(bead(6..7, 0..0));
        ladder.extend((7..13).map(|k| bead(k..k + 1, k - 1..k)));
        let expected: Vec<bool> = vec![false; ladder.len()];
        assert_eq!(doubtful(&ladder, |_| 0.5), expected);
        ladder[10] = bead(0..0, 9..10);
        let flagged: Vec<usize> = doubtful(&ladder, |_| 0.5)
            .iter()
            .enumerate()
            .filter_map(|(k, &d)| d.then_some(k))
            .collect();
        assert_eq!(flagged, [6, 10]);
        // A paragraph of three sentences that the connector and one version lack: kept
        // unaligned. Had both versions the sentences the connector lacks, they would be
        // aligned again.
        let mut ladder: Vec<Bead> = (0..6).map(|k| bead(k..k + 1, k..k + 1)).collect();
        ladder.extend((6..9).map(|k| bead(k..k + 1, 0..0)));
        ladder.extend((9..15).map(|k| bead(k..k + 1, k - 3..k - 2)));
        assert_eq!(doubtful(&ladder, |_| 0.5), vec![false; ladder.len()]);
        ladder.insert(9, bead(0..0, 6..7));
        for b in &mut ladder[10..] {
            b.b = b.b.start + 1..b.b.end + 1;
        }
        let flagged: Vec<usize> = doubtful(&ladder, |_| 0.5)
            .iter()
            .enumerate()
            .filter_map(|(k, &d)| d.then_some(k))
            .collect();
        assert_eq!(flagged, [6, 7, 8, 9]);
    }
}
