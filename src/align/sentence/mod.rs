//! Sentence alignment inside aligned units (a paragraph bead, or a whole document): the
//! research recipe of issue 22 (`research/SENTENCE_LEVEL.md` on branch
//! `research/textberg`), every part learned from the text being aligned.
//!
//! Each bead is scored as a log-likelihood ratio against "these sentences are unrelated"
//! (Moore 2002's generative view), so that every part is in nats and needs no hand-set
//! weight:
//!
//! ```text
//! cost(bead) = -ln P(shape | the previous bead's state)                 learned (EM)
//!              - ½ [ln P(T|S)/P(T) + ln P(S|T)/P(S)]                    lexical, Model 1 mixture
//!              - ½ [ln N(ln|T|; ln|S|+μ, σ²)/Q(|T|) + the reverse]      length
//!              - PMI(final punctuation of S, final punctuation of T)    learned
//! ```
//!
//! - `tokens`: words (lowercased, cut to 6 letters), numbers (digits only), every
//!   punctuation character; identity and cognate keys; each side's vocabulary.
//! - `model1`: P(t | S) as a mixture per token class (word, number, punctuation) of the
//!   background unigram, a Model 1 table learned by EM on the previous pass's 1-1 beads,
//!   identity, cognates and a prior model's table; weights by deleted interpolation.
//! - `length`: the length evidence (the paragraph engine's `LengthModel::estimate`).
//! - `scorer`: a bead's evidence; inside n:m beads a diagonal prior of tension λ aligns
//!   target sentences to nearby source sentences.
//! - `dp`: shapes 1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3, 3-1, 2-3, 3-2, 1-4, 4-1, 3-3 with a
//!   first-order prior over (match, after 1-0, after 0-1); Viterbi, forward,
//!   forward-backward. Long units are searched in a band around a length-only guide path
//!   (the engine's `Band`), summed over near the best path.
//! - `model`: `SentenceModel`, learned by passes until a pass changes at most 1% of the
//!   beads; λ is chosen once per pair, on the first learning pass. Aligning weighs words only where
//!   lengths leave doubt: a unit's 1-1 beads that lengths and punctuation alone make
//!   all but certain are anchors, and only the stretches between them are searched whole.
//!
//! Where the paragraph level gave one paragraph of each version and both have as many
//! sentences with plausible lengths, the sentences pair off 1-1 without weighing words
//! (`SentenceModel::plainly_diagonal`): most units of a statement archive are of that kind.
//! So do units joined around a merge or an omission whose sentences, as many each, all have
//! plausible lengths.

mod dp;
mod length;
mod model;
mod model1;
mod scorer;
mod statement;
mod tokens;

pub use statement::{SentenceAlignment, SentenceModels, Sentences, StatementSentences};

use crate::align::dp::Bead;
use dp::{NM, Trans};
use length::{LenModel, Marginal};
use model::Unit;
use model1::Direction;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tokens::{RawSentence, Types, Vocabulary};

/// The largest length deviation, in standard deviations, of a pair of sentences that
/// [`SentenceModel::plainly_diagonal`] lets pass.
const DIAGONAL_Z: f64 = 2.5;

/// What is learned about one language pair's sentences. Side a is the first of each
/// unit's pair of sides.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SentenceModel {
    vocab: [Vocabulary; 2],
    /// P(b | a) and P(a | b).
    dirs: [Direction; 2],
    len: LenModel,
    marginals: [Marginal; 2],
    /// -ln P(shape), by move.
    shape_cost: [f64; NM],
    trans: Trans,
    /// PMI of the final punctuation of a bead's two sides, sorted by the pair of keys.
    end_pmi: Vec<(u64, u64, f64)>,
    /// Diagonal tension inside n:m beads.
    lambda: f64,
}

impl SentenceModel {
    /// Learn a language pair's model from all its units, each (sentences of side a,
    /// sentences of side b): align, learn from the beads, align again, until a pass changes
    /// at most 1% of the beads (at most 8 alignments). A unit marked `single` (one paragraph of each
    /// side) that plainly pairs off is taken as 1-1 beads, as [`align`](Self::align)'s
    /// callers take it. `prior`, a model learned elsewhere for the same pair and sides,
    /// lends its lexicon as an external table.
    ///
    /// Deterministic: the same units give the same model whatever the thread count.
    pub fn learn(
        units: &[(Vec<&str>, Vec<&str>)],
        single: &[bool],
        prior: Option<&SentenceModel>,
    ) -> SentenceModel {
        let raw: Vec<(Vec<RawSentence>, Vec<RawSentence>)> = units
            .par_iter()
            .map(|(a, b)| {
                let read = |s: &[&str]| s.iter().map(|x| tokens::read(x)).collect();
                (read(a), read(b))
            })
            .collect();
        let side = |k: usize| -> Vec<&[RawSentence]> {
            raw.iter()
                .map(|u| if k == 0 { &u.0[..] } else { &u.1[..] })
                .collect()
        };
        let (va, sa) = Vocabulary::build(&side(0));
        let (vb, sb) = Vocabulary::build(&side(1));
        let units: Vec<Unit> = sa.into_iter().zip(sb).collect();
        model::learn(
            &units,
            single,
            SentenceModel::initial([va, vb], &units, prior),
        )
    }

    /// Do `a` and `b`, as many sentences each, plainly pair off down the diagonal: every
    /// pair's length ratio within `DIAGONAL_Z` (2.5) standard deviations of the learned one?
    /// A merge, a split or an omission inside a unit that kept its sentence count would
    /// need a compensating one whose lengths give it away, so such a unit is aligned 1-1
    /// without weighing its words: most units of a statement archive are of this kind,
    /// and weighing words costs a hundred times more.
    pub fn plainly_diagonal(&self, a: &[&str], b: &[&str]) -> bool {
        let len = |s: &[&str]| s.iter().map(|x| tokens::length(x)).collect::<Vec<_>>();
        self.plain_lengths(&len(a), &len(b))
    }

    /// [`plainly_diagonal`](Self::plainly_diagonal) of sentences of these lengths.
    fn plain_lengths(&self, a: &[f64], b: &[f64]) -> bool {
        self.diagonal_lengths(a, b, true)
    }

    /// As many sentences each side, every pair's length ratio within `DIAGONAL_Z` of the
    /// learned one, a lone pair too.
    fn settled_lengths(&self, a: &[f64], b: &[f64]) -> bool {
        !a.is_empty() && self.diagonal_lengths(a, b, false)
    }

    /// As many sentences each side, every pair's length ratio within `DIAGONAL_Z` of the
    /// learned one; a lone pair passes whatever its lengths if `lone_passes`.
    fn diagonal_lengths(&self, a: &[f64], b: &[f64], lone_passes: bool) -> bool {
        a.len() == b.len()
            && ((lone_passes && a.len() == 1)
                || a.iter()
                    .zip(b)
                    .all(|(&x, &y)| self.len.z(x, y) <= DIAGONAL_Z))
    }

    /// Align one unit: monotone beads covering every sentence of both sides exactly once
    /// (an empty range on one side is an unaligned sentence, placed where it falls), each
    /// with its posterior probability under the model.
    pub fn align(&self, a: &[&str], b: &[&str]) -> Vec<(Bead, f64)> {
        let read = |s: &[&str]| -> Vec<RawSentence> { s.iter().map(|x| tokens::read(x)).collect() };
        self.align_read(&read(a), &read(b))
    }

    /// [`align`](Self::align) sentences already read.
    fn align_read(&self, a: &[RawSentence], b: &[RawSentence]) -> Vec<(Bead, f64)> {
        let (sa, xa) = self.vocab[0].index(a);
        let (sb, xb) = self.vocab[1].index(b);
        let (ta, tb) = (
            Types::new(&self.vocab[0], &xa),
            Types::new(&self.vocab[1], &xb),
        );
        self.align_anchored((&sa, &sb), (&ta, &tb))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two invented languages: concept k is `A[k]` in one and `B[k]` in the other.
    const A: [&str; 12] = [
        "kalo", "mirtu", "sefa", "dovine", "ulap", "tresk", "bano", "quiro", "helm", "zafir",
        "oponu", "gristel",
    ];
    const B: [&str; 12] = [
        "wupe", "norak", "tilm", "ebbas", "fonu", "grack", "siv", "joltem", "parn", "yxe",
        "drumal", "cloop",
    ];

    /// A deterministic stream of numbers.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// A unit of `n` sentence pairs; every fifth sentence of side b is joined to the one
    /// before (a 2-1... seen from b: a 1-2 bead) and the seventh of side a has no
    /// counterpart. Returns the sides and the true beads as (a count, b count).
    fn unit(rng: &mut Rng, n: usize) -> (Vec<String>, Vec<String>, Vec<(usize, usize)>) {
        let (mut a, mut b, mut truth) = (Vec::new(), Vec::new(), Vec::new());
        for k in 0..n {
            let concepts: Vec<usize> = (0..3 + rng.next(10)).map(|_| rng.next(A.len())).collect();
            let num = rng.next(1000);
            let sa = format!(
                "{} {num}.",
                concepts.iter().map(|&c| A[c]).collect::<Vec<_>>().join(" ")
            );
            let sb = format!(
                "{} {num}.",
                concepts
                    .iter()
                    .rev()
                    .map(|&c| B[c])
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            a.push(sa);
            if k % 7 == 6 {
                truth.push((1, 0));
                continue;
            }
            match b.last_mut() {
                Some(last) if k % 5 == 4 && truth.last() == Some(&(1, 1)) => {
                    *last = format!("{last} {sb}");
                    *truth.last_mut().unwrap() = (2, 1);
                }
                _ => {
                    b.push(sb);
                    truth.push((1, 1));
                }
            }
        }
        (a, b, truth)
    }

    /// Units of sentences, and each unit's true bead shapes.
    type Corpus = (Vec<(Vec<String>, Vec<String>)>, Vec<Vec<(usize, usize)>>);

    fn corpus() -> Corpus {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut units, mut truths) = (Vec::new(), Vec::new());
        for n in [12, 30, 5, 18] {
            let (a, b, t) = unit(&mut rng, n);
            units.push((a, b));
            truths.push(t);
        }
        (units, truths)
    }

    fn borrowed(units: &[(Vec<String>, Vec<String>)]) -> Vec<(Vec<&str>, Vec<&str>)> {
        fn s(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        units.iter().map(|(a, b)| (s(a), s(b))).collect()
    }

    #[test]
    fn learns_an_invented_pair_and_finds_its_beads() {
        let (mut units, mut truths) = corpus();
        // Two units of one paragraph each side that plainly pair off, taken as 1-1 beads
        // while learning.
        let mut rng = Rng(7);
        for n in [1, 4] {
            let (a, b, _) = unit(&mut rng, n);
            units.push((a, b));
            truths.push(vec![(1, 1); n]);
        }
        let single: Vec<bool> = (0..units.len()).map(|k| k >= 4).collect();
        let units = borrowed(&units);
        let model = SentenceModel::learn(&units, &single, None);
        for (a, b) in &units[4..] {
            assert!(model.plainly_diagonal(a, b));
        }
        let (mut right, mut total) = (0, 0);
        for ((a, b), truth) in units.iter().zip(&truths) {
            let shapes: Vec<(usize, usize)> =
                model.align(a, b).iter().map(|(x, _)| x.shape()).collect();
            total += truth.len();
            right += shapes.iter().zip(truth).filter(|(x, y)| x == y).count();
            assert_eq!(shapes.len(), truth.len(), "{shapes:?} vs {truth:?}");
        }
        assert!(right * 10 >= total * 9, "{right} of {total}");
    }

    #[test]
    fn learning_is_deterministic_whatever_the_threads() {
        let (units, _) = corpus();
        let units = borrowed(&units);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let model = SentenceModel::learn(&units, &vec![false; units.len()], None);
                let beads: Vec<_> = units.iter().map(|(a, b)| model.align(a, b)).collect();
                (serde_json::to_string(&model).unwrap(), beads)
            })
        };
        let one = run(1);
        assert_eq!(one, run(3));
        assert_eq!(one, run(1));
        // A model read back from JSON aligns alike.
        let model: SentenceModel = serde_json::from_str(&one.0).unwrap();
        let (a, b) = &units[1];
        assert_eq!(model.align(a, b), one.1[1]);
    }

    #[test]
    fn a_model_of_nothing_still_aligns() {
        let model = SentenceModel::learn(&[], &[], None);
        let beads = model.align(&["Ein Satz.", "Noch einer."], &["Une phrase."]);
        let covered = |side: fn(&Bead) -> usize| beads.iter().map(|(x, _)| side(x)).sum::<usize>();
        assert_eq!((covered(|x| x.a.len()), covered(|x| x.b.len())), (2, 1));
        assert!(model.align(&[], &[]).is_empty());
    }

    #[test]
    fn a_prior_lends_its_lexicon() {
        let (units, _) = corpus();
        let units = borrowed(&units);
        let prior = SentenceModel::learn(&units[..2], &[false; 2], None);
        let model = SentenceModel::learn(&units[2..], &[false; 2], Some(&prior));
        let ext = model.dirs[0].external.as_ref().expect("external table");
        assert!(ext.iter().any(|row| !row.is_empty()));
        assert!(model.dirs[0].alpha[0][model1::EXTERNAL] > 0.0);
        let (a, b) = &units[3];
        let beads = model.align(a, b);
        let covered = |side: fn(&Bead) -> usize| beads.iter().map(|(x, _)| side(x)).sum::<usize>();
        assert_eq!(covered(|x| x.a.len()), a.len());
        assert_eq!(covered(|x| x.b.len()), b.len());
    }
}
