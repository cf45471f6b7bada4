//! The cost of a bead: how unlikely its length ratio is (Gale–Church, with the ratio and
//! variance learned per language pair), how little its anchors and lexicon words overlap,
//! and how rare its shape is.

use super::features::ParaFeatures;
use super::index::Side;
use std::cell::OnceCell;

/// Length model of a language pair. Side b has about `ratio` characters per character of
/// side a; the log of the observed over the expected length is roughly normal with variance
/// `var_per_char / mean length + var_floor`. Gale and Church's variance shrinks without bound
/// as paragraphs grow, but translators' habits do not average out: long paragraphs still
/// differ by several per cent, hence the floor.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LengthModel {
    pub ratio: f64,
    pub var_per_char: f64,
    pub var_floor: f64,
}

/// Share of translations whose length follows no model: a paragraph that lost half its
/// sentences, or gained a translator's note, is still the translation of its source. The
/// length cost saturates at -ln of this instead of growing without bound.
const LENGTH_OUTLIERS: f64 = 0.003;

impl LengthModel {
    /// Before anything is learned: the ratio of total lengths and a loose variance.
    pub fn from_totals(la: u64, lb: u64) -> LengthModel {
        let ratio = if la == 0 || lb == 0 {
            1.0
        } else {
            lb as f64 / la as f64
        };
        LengthModel {
            ratio,
            var_per_char: 1.0,
            var_floor: 0.01,
        }
    }

    /// Estimate from (la, lb) of beads believed correct. Robust to a fair share of wrong
    /// beads: spreads are medians of absolute deviations, in a short and a long half.
    pub fn estimate(lengths: &[(u32, u32)]) -> Option<LengthModel> {
        let usable: Vec<(f64, f64)> = lengths
            .iter()
            .filter(|(a, b)| *a > 0 && *b > 0)
            .map(|&(a, b)| (a as f64, b as f64))
            .collect();
        if usable.len() < 20 {
            return None;
        }
        let total_a: f64 = usable.iter().map(|p| p.0).sum();
        let total_b: f64 = usable.iter().map(|p| p.1).sum();
        let ratio = total_b / total_a;
        // (1 / mean length, |log ratio|), sorted by length.
        let mut obs: Vec<(f64, f64)> = usable
            .iter()
            .map(|&(a, b)| (2.0 / (a + b / ratio), (b / (ratio * a)).ln().abs()))
            .collect();
        obs.sort_by(|x, y| y.0.total_cmp(&x.0));
        let half = obs.len() / 2;
        // Robust variance of each half, at that half's median inverse length.
        let robust = |part: &[(f64, f64)]| {
            let mut x: Vec<f64> = part.iter().map(|o| o.0).collect();
            let mut d: Vec<f64> = part.iter().map(|o| o.1).collect();
            x.sort_by(f64::total_cmp);
            d.sort_by(f64::total_cmp);
            let sd = d[d.len() / 2] * 1.4826;
            (x[x.len() / 2], sd * sd)
        };
        let (x1, v1) = robust(&obs[..half]);
        let (x2, v2) = robust(&obs[half..]);
        // v = var_per_char · x + var_floor through both points, kept positive.
        let slope = if (x1 - x2).abs() > 1e-12 {
            ((v1 - v2) / (x1 - x2)).max(0.0)
        } else {
            0.0
        };
        let floor = (v2 - slope * x2).max(0.002);
        Some(LengthModel {
            ratio,
            var_per_char: slope,
            var_floor: floor,
        })
    }

    /// The model of pair (x, y) derived from the models of (pivot, x) and (pivot, y): the
    /// log ratios add, and so do their variances.
    pub fn compose(px: &LengthModel, py: &LengthModel) -> LengthModel {
        LengthModel {
            ratio: py.ratio / px.ratio,
            var_per_char: px.var_per_char + py.var_per_char,
            var_floor: px.var_floor + py.var_floor,
        }
    }

    /// -ln P(deviation at least this large), under a normal distribution mixed with a
    /// small share of outliers.
    pub fn cost(&self, la: u32, lb: u32) -> f64 {
        let ln = |x: u32| (x as f64).ln();
        self.cost_from_logs(la, lb, ln(la), ln(lb), self.ratio.ln())
    }

    /// The same cost from the lengths' logarithms, which the DP's scorer keeps per run of
    /// paragraphs, with the tail looked up in a table: the DP asks for it for every bead it
    /// considers.
    fn cost_from_logs(&self, la: u32, lb: u32, ln_la: f64, ln_lb: f64, ln_ratio: f64) -> f64 {
        if la == 0 || lb == 0 {
            return 0.0;
        }
        let mean = (la as f64 + lb as f64 / self.ratio) / 2.0;
        let var = self.var_per_char / mean + self.var_floor;
        let delta = (ln_lb - ln_la - ln_ratio).abs() / var.sqrt();
        TailTable::get().cost(delta)
    }
}

/// What the scorer knows of a pair: its lengths and its sentence counts.
#[derive(Clone, Copy, Debug)]
pub struct PairModel {
    pub length: LengthModel,
    pub counts: CountModel,
}

/// How a pair's sentence counts differ in a translation, against how they differ between
/// paragraphs that are not translations of each other. Translators mostly keep a
/// paragraph's sentences, sometimes split or join one, rarely more; whether that tells
/// beads apart depends on the text: paragraphs of one to ten sentences differ in count
/// when unrelated, a book's one-sentence lines hardly do. The cost of a bead's counts
/// differing by d (side a's less side b's, clamped to ±3) is the log-likelihood ratio of
/// d, unrelated against translated, less the ratio's least value, so never negative: a
/// merge whose parts' sentences add up to the other side's is cheaper than a bead that
/// leaves sentences over, where counts vary.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CountModel {
    /// P(d) in beads believed right, and between neighbouring unrelated paragraphs, d
    /// from -3 to 3; all zero before anything is learned.
    pub translated: [f64; 7],
    pub unrelated: [f64; 7],
    /// The cost of each difference.
    pub cost: [f64; 7],
}

/// The widest difference of sentence counts told apart.
const COUNT_SPREAD: i64 = 3;

impl CountModel {
    /// Estimate from (a, b) sentence counts of beads believed correct, and of pairs of
    /// paragraphs believed unrelated; None with too few.
    pub fn estimate(translated: &[(u16, u16)], unrelated: &[(u16, u16)]) -> Option<CountModel> {
        if translated.len() < 20 || unrelated.len() < 20 {
            return None;
        }
        let distribution = |pairs: &[(u16, u16)]| {
            let mut seen = [0f64; 7];
            for &(a, b) in pairs {
                seen[Self::index(a as u32, b as u32)] += 1.0;
            }
            // Add-one smoothing: a difference not seen in the sample is rare, not
            // impossible.
            let total: f64 = seen.iter().sum::<f64>() + 7.0;
            seen.map(|n| (n + 1.0) / total)
        };
        Some(Self::from_probabilities(
            distribution(translated),
            distribution(unrelated),
        ))
    }

    fn from_probabilities(translated: [f64; 7], unrelated: [f64; 7]) -> CountModel {
        let llr: [f64; 7] = std::array::from_fn(|k| (unrelated[k] / translated[k]).ln());
        let least = llr.iter().copied().fold(f64::INFINITY, f64::min);
        CountModel {
            translated,
            unrelated,
            cost: llr.map(|x| x - least),
        }
    }

    /// The model of pair (x, y) from those of (pivot, x) and (pivot, y): x's count differs
    /// from y's by what each differs from the pivot's, independently (a convolution).
    pub fn compose(px: &CountModel, py: &CountModel) -> CountModel {
        if px.translated == [0.0; 7] || py.translated == [0.0; 7] {
            return CountModel::default();
        }
        let convolve = |qx: &[f64; 7], qy: &[f64; 7]| {
            let mut p = [0f64; 7];
            // d_x = pivot - x, d_y = pivot - y, so x - y = d_y - d_x.
            for (ix, wx) in qx.iter().enumerate() {
                for (iy, wy) in qy.iter().enumerate() {
                    let d = (iy as i64 - ix as i64).clamp(-COUNT_SPREAD, COUNT_SPREAD);
                    p[(d + COUNT_SPREAD) as usize] += wx * wy;
                }
            }
            p
        };
        Self::from_probabilities(
            convolve(&px.translated, &py.translated),
            convolve(&px.unrelated, &py.unrelated),
        )
    }

    fn index(a: u32, b: u32) -> usize {
        ((a as i64 - b as i64).clamp(-COUNT_SPREAD, COUNT_SPREAD) + COUNT_SPREAD) as usize
    }

    /// The cost of a bead of `a` sentences on side a and `b` on side b.
    #[inline]
    pub fn cost(&self, a: u32, b: u32) -> f64 {
        self.cost[Self::index(a, b)]
    }
}

/// -ln P(|deviation| >= delta standard deviations) under the normal distribution mixed
/// with the outliers.
fn tail_cost(delta: f64) -> f64 {
    let tail = ln_erfc(delta / std::f64::consts::SQRT_2).exp();
    -((1.0 - LENGTH_OUTLIERS) * tail + LENGTH_OUTLIERS).ln()
}

/// `tail_cost` at steps of 1/STEPS standard deviations, interpolated linearly (error below
/// 1e-5); beyond the table the outliers alone remain.
struct TailTable {
    values: Vec<f64>,
}

impl TailTable {
    const STEPS: f64 = 256.0;
    const END: f64 = 16.0;

    fn get() -> &'static TailTable {
        static TABLE: std::sync::OnceLock<TailTable> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| TailTable {
            values: (0..=(Self::END * Self::STEPS) as usize + 1)
                .map(|k| tail_cost(k as f64 / Self::STEPS))
                .collect(),
        })
    }

    fn cost(&self, delta: f64) -> f64 {
        let x = delta * Self::STEPS;
        let k = x as usize;
        if k + 1 >= self.values.len() {
            return -LENGTH_OUTLIERS.ln();
        }
        let f = x - k as f64;
        self.values[k] + f * (self.values[k + 1] - self.values[k])
    }
}

/// ln(erfc(x)) for x ≥ 0, without underflow for large x (Numerical Recipes' erfcc, whose
/// relative error is below 1.2e-7).
fn ln_erfc(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.5 * x);
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    t.ln() + poly
}

/// Lexical evidence that two runs of total weights `ta` and `tb` with common weight `c`
/// translate each other, as a cost, given the similarity of unrelated paragraphs
/// (`background`) and the evidence's weight.
///
/// The matched feature weight `c` of two unrelated texts is about `e`, the background
/// similarity times their mean weight. Treating weights as counts, the evidence for a real
/// match is the Poisson deviance of `c` from `e`: it grows with the amount of matched text,
/// so two 1-1 beads carry about as much evidence as the 2-2 bead made of them and the shape
/// costs decide between them. It falls as `c` grows.
fn lexical_cost(weight: f64, background: f64, c: f32, ta: f32, tb: f32) -> f64 {
    let c = c as f64;
    let e = chance_overlap(background, ta, tb);
    let deviance = if c > 0.0 { c * (c / e).ln() - c + e } else { e };
    let evidence = if c >= e { deviance } else { -deviance };
    -weight * evidence
}

/// At most `lexical_cost` of the same arguments, without its logarithm: a common weight
/// below the background's costs something, so never less than nothing; above it, the
/// logarithm is replaced by a bound from above.
fn lexical_cost_floor(weight: f64, background: f64, c: f32, ta: f32, tb: f32) -> f64 {
    let c = c as f64;
    let e = chance_overlap(background, ta, tb);
    if c <= e {
        return 0.0;
    }
    -weight * (c * ln_ceiling(c / e) - c + e)
}

/// The common weight `e` two unrelated runs of total weights `ta` and `tb` have by chance.
fn chance_overlap(background: f64, ta: f32, tb: f32) -> f64 {
    (background * (ta + tb) as f64 / 2.0).max(1e-3)
}

/// A bound from above on ln(x) for a normal positive x, within 0.007 of it: x = 2^k·(1 + t)
/// with t in [0, 1), and ln(1 + t) <= t(6 + t)/(6 + 4t) there (Topsøe's inequality). A
/// division, where the logarithm is a libm call several times as slow.
fn ln_ceiling(x: f64) -> f64 {
    debug_assert!(x.is_normal() && x > 0.0);
    let bits = x.to_bits();
    let k = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let t = f64::from_bits((bits & ((1 << 52) - 1)) | (1023 << 52)) - 1.0;
    k as f64 * std::f64::consts::LN_2 + t * (6.0 + t) / (6.0 + 4.0 * t)
}

/// Weights of the cost's parts, in nats (natural-log units of evidence).
#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// Weight of the length cost.
    pub length: f64,
    /// Weight of the lexical evidence (see [`PairScorer`]).
    pub lexical: f64,
    /// Weight of the sentence counts' cost: half, as the length cost already charges
    /// much of what a sentence more or less costs.
    pub sentences: f64,
    /// Cost of leaving one paragraph unaligned.
    pub skip: f64,
    /// Cost of a bead of two paragraphs on one side (1-2, 2-1).
    pub merge: f64,
    /// Cost of 2-2 beads.
    pub two_two: f64,
    /// Cost of 1-3 and 3-1 beads.
    pub three: f64,
    /// Cost of 2-3 and 3-2 beads (made only where a run of the best path's beads holds
    /// one, see `dp::join_wide`): twice a 2-2's. At 12, 4 a paragraph more as the shapes
    /// above, it joins runs that belong apart (news12 0.9846, news10 0.9849, below the
    /// 0.9852 of both without the shape); 16 and 20 give 0.9853 and 0.9865.
    pub three_two: f64,
    /// Cost of a paragraph in a merge whose words the other side does not match at all.
    pub unexplained: f64,
    /// Coverage of a merged paragraph's features by the other side that counts as fully
    /// explained.
    pub explained: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            length: 1.0,
            lexical: 0.5,
            sentences: 0.5,
            skip: 4.0,
            merge: 4.0,
            two_two: 8.0,
            three: 8.0,
            three_two: 16.0,
            unexplained: 3.0,
            explained: 0.15,
        }
    }
}

impl Params {
    fn unexplained_cost(&self, coverage: f64) -> f64 {
        self.unexplained * (1.0 - (coverage / self.explained).min(1.0))
    }

    fn shape_cost(&self, di: usize, dj: usize) -> f64 {
        match (di, dj) {
            (1, 1) => 0.0,
            (1, 2) | (2, 1) => self.merge,
            (2, 2) => self.two_two,
            (2, 3) | (3, 2) => self.three_two,
            _ => self.three,
        }
    }
}

/// A sparse weighted feature vector, sorted by feature id (ids dense per document pair).
#[derive(Clone, Debug, Default)]
pub struct SparseVec {
    items: Vec<(u32, f32)>,
    total: f32,
}

impl SparseVec {
    /// From (id, weight) items sorted by id, each id once.
    #[cfg(test)]
    fn from_items(items: impl Iterator<Item = (u32, f32)>) -> SparseVec {
        SparseVec::from_vec(items.collect())
    }

    /// From (id, weight) items sorted by id, each id once.
    fn from_vec(items: Vec<(u32, f32)>) -> SparseVec {
        debug_assert!(items.windows(2).all(|w| w[0].0 < w[1].0));
        let total = items.iter().map(|x| x.1).sum();
        SparseVec { items, total }
    }

    /// The sum of two vectors: one linear merge of their sorted items.
    fn plus(&self, other: &SparseVec) -> SparseVec {
        let (a, b) = (&self.items, &other.items);
        let mut items = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => {
                    items.push(a[i]);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    items.push(b[j]);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    items.push((a[i].0, a[i].1 + b[j].1));
                    i += 1;
                    j += 1;
                }
            }
        }
        items.extend_from_slice(&a[i..]);
        items.extend_from_slice(&b[j..]);
        SparseVec {
            items,
            total: self.total + other.total,
        }
    }

    /// The weight of this vector that a dense vector matches.
    fn common_dense(&self, dense: &[f32]) -> f32 {
        // Four running sums, not one: the DP spends most of its time here, and a single
        // chain of float additions waits on each add before the next.
        let mut acc = [0.0f32; 4];
        let chunks = self.items.chunks_exact(4);
        let rest = chunks.remainder();
        for c in chunks {
            for (a, &(id, w)) in acc.iter_mut().zip(c) {
                *a += dense[id as usize].min(w);
            }
        }
        for (a, &(id, w)) in acc.iter_mut().zip(rest) {
            *a += dense[id as usize].min(w);
        }
        (acc[0] + acc[1]) + (acc[2] + acc[3])
    }

    fn scatter(&self, dense: &mut [f32]) {
        for &(id, w) in &self.items {
            dense[id as usize] = w;
        }
    }

    fn clear(&self, dense: &mut [f32]) {
        for &(id, _) in &self.items {
            dense[id as usize] = 0.0;
        }
    }

    fn common(&self, other: &SparseVec) -> f32 {
        let (a, b) = (&self.items, &other.items);
        let (mut i, mut j) = (0, 0);
        let mut common = 0.0f32;
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += a[i].1.min(b[j].1);
                    i += 1;
                    j += 1;
                }
            }
        }
        common
    }

    /// Weighted Dice coefficient: the share of both vectors' weight that the other matches.
    pub fn dice(&self, other: &SparseVec) -> f64 {
        let denom = self.total + other.total;
        if denom <= 0.0 {
            return 0.0;
        }
        (2.0 * self.common(other) / denom) as f64
    }
}

/// Longest run of paragraphs one side of a bead may hold.
pub const MAX_SPAN: usize = 3;

/// One side's paragraph vectors, the vectors of their runs of 2 and 3 (built on first use:
/// a refinement window needs few of them), and the runs' lengths.
struct SideVectors {
    singles: Vec<SparseVec>,
    /// `runs[k-2][i]`: the vector of the k paragraphs ending at paragraph i.
    runs: [Vec<OnceCell<SparseVec>>; MAX_SPAN - 1],
    /// `chars[k-1][i]` and its logarithm: the length of the k paragraphs ending at i.
    chars: [Vec<(u32, f64)>; MAX_SPAN],
    /// `sentences[k-1][i]`: the sentences of the k paragraphs ending at i.
    sentences: [Vec<u32>; MAX_SPAN],
}

impl SideVectors {
    fn new(singles: Vec<SparseVec>, paras: &[ParaFeatures]) -> SideVectors {
        let n = singles.len();
        let chars = std::array::from_fn(|k| {
            (0..n)
                .map(|i| {
                    let len: u32 = paras[i.saturating_sub(k)..=i].iter().map(|f| f.chars).sum();
                    (len, (len as f64).ln())
                })
                .collect()
        });
        let sentences = std::array::from_fn(|k| {
            (0..n)
                .map(|i| {
                    paras[i.saturating_sub(k)..=i]
                        .iter()
                        .map(|f| f.sentences as u32)
                        .sum()
                })
                .collect()
        });
        SideVectors {
            singles,
            sentences,
            runs: std::array::from_fn(|_| (0..n).map(|_| OnceCell::new()).collect()),
            chars,
        }
    }

    /// The vector of the `k` paragraphs ending at paragraph `i`.
    fn run(&self, k: usize, i: usize) -> &SparseVec {
        if k == 1 {
            return &self.singles[i];
        }
        // The run of k ending at i is the run of k-1 ending at i-1, plus paragraph i.
        self.runs[k - 2][i].get_or_init(|| self.run(k - 1, i - 1).plus(&self.singles[i]))
    }

    /// The weight of that run, summed as `run` sums it.
    fn total(&self, k: usize, i: usize) -> f32 {
        (i + 1 - k..=i)
            .map(|x| self.singles[x].total)
            .fold(0.0, |t, w| t + w)
    }
}

/// Costs of the beads between two documents.
pub struct PairScorer<'a> {
    a: &'a [ParaFeatures],
    b: &'a [ParaFeatures],
    va: SideVectors,
    vb: SideVectors,
    model: LengthModel,
    counts: CountModel,
    ln_ratio: f64,
    params: Params,
    /// Whether either side has a paragraph of page chrome.
    has_chrome: bool,
    /// Mean similarity (weighted Dice) of unrelated paragraphs of these two documents.
    background: f64,
    /// The row the DP is scoring, and a stamp for its memos.
    row: usize,
    generation: u32,
    /// The side-a vectors of the row, dense by feature id, so that each bead of the row
    /// costs one pass over its side-b vector: the runs ending at the row (1, 2 and 3
    /// paragraphs), then the single paragraphs two and three back. Each lane is filled when
    /// first needed, and `lane_row` says for which row.
    lanes: [Vec<f32>; 5],
    lane_row: [Option<usize>; 5],
    /// Common weight of single paragraphs `a[x]` and `b[y]` (memo `single_common(x)`, slot y,
    /// stamped x + 1): the exact lexical evidence of 1-1 beads and bounds on every other
    /// bead's. Coverages of the row, each computed once however many beads share it: of
    /// side b's paragraph y by the row's run of di (`cover_b(di)`, slot y), and of side a's
    /// paragraph `back` before the row's last by b[j-dj..j] (`cover_a(back, dj)`, slot j-1).
    memos: RowMemos,
}

thread_local! {
    /// Lanes of scorers dropped on this thread, all zero. A lane is a float per feature of
    /// the statement and a run makes a scorer per pair of every statement: reused lanes are
    /// cleared where they hold values (few), instead of zeroed whole.
    static SPARE_LANES: std::cell::RefCell<Vec<Vec<f32>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Lanes a thread keeps for reuse, at most.
const SPARE_LANES_KEPT: usize = 16;

/// An all-zero lane of at least `ids` floats.
fn take_lane(ids: usize) -> Vec<f32> {
    match SPARE_LANES.with(|spare| spare.borrow_mut().pop()) {
        Some(mut lane) => {
            debug_assert!(lane.iter().all(|&x| x == 0.0));
            if lane.len() < ids {
                lane.resize(ids, 0.0);
            }
            lane
        }
        None => vec![0.0; ids],
    }
}

impl Drop for PairScorer<'_> {
    /// Each lane holds exactly its row's vector (see `fill_lane`): cleared, it is all zero
    /// again and kept for the thread's next scorer.
    fn drop(&mut self) {
        for k in 0..self.lanes.len() {
            let mut lane = std::mem::take(&mut self.lanes[k]);
            if let Some(v) = self.lane_row[k].and_then(|i| self.lane_vector(k, i)) {
                v.clear(&mut lane);
            }
            SPARE_LANES.with(|spare| {
                let mut spare = spare.borrow_mut();
                if spare.len() < SPARE_LANES_KEPT {
                    spare.push(lane);
                }
            });
        }
    }
}

/// Memos of values by slot (a paragraph of side b), each value valid while its stamp is
/// the caller's; all of a scorer's memos in one allocation, as a run makes hundreds of
/// thousands of scorers.
struct RowMemos {
    slots: Vec<(u32, f32)>,
    per_memo: usize,
}

/// How many memos a scorer keeps: single commons of four rows, then coverages.
const MEMOS: usize = MAX_SPAN + 1 + MAX_SPAN + MAX_SPAN * MAX_SPAN;

/// The memo of single commons of side a's paragraph x.
const fn single_common_memo(x: usize) -> usize {
    x % (MAX_SPAN + 1)
}

/// The memo of side b's coverages by the row's run of `di`.
const fn cover_b_memo(di: usize) -> usize {
    MAX_SPAN + 1 + di - 1
}

/// The memo of coverages of side a's paragraph `back` before the row's last, by `dj`.
const fn cover_a_memo(back: usize, dj: usize) -> usize {
    MAX_SPAN + 1 + MAX_SPAN + back * MAX_SPAN + dj - 1
}

impl RowMemos {
    fn new(per_memo: usize) -> RowMemos {
        RowMemos {
            slots: vec![(0, 0.0); MEMOS * per_memo],
            per_memo,
        }
    }

    fn is_fresh(&self, memo: usize, stamp: u32, slot: usize) -> bool {
        self.slots[memo * self.per_memo + slot].0 == stamp
    }

    fn get(&mut self, memo: usize, stamp: u32, slot: usize, compute: impl FnOnce() -> f32) -> f32 {
        let s = &mut self.slots[memo * self.per_memo + slot];
        if s.0 != stamp {
            *s = (stamp, compute());
        }
        s.1
    }
}

/// Lane of the single paragraph `back` paragraphs before the row's last one.
const fn single_lane(back: usize) -> usize {
    match back {
        0 => 0,
        _ => 2 + back,
    }
}

/// Prior mean similarity of unrelated paragraphs, and its weight in paragraphs, for
/// documents too short to measure it.
const BACKGROUND_PRIOR: f64 = 0.04;
const BACKGROUND_PRIOR_WEIGHT: f64 = 5.0;
const BACKGROUND_MIN: f64 = 0.005;

/// Slack on a bead's lower bound before it is ruled out: the bound and the exact cost sum
/// the same weights in different orders.
const BOUND_SLACK: f64 = 1e-3;
impl<'a> PairScorer<'a> {
    /// `side_a` and `side_b` hold the features of `a` and `b` numbered in a
    /// [`FeatureIndex`](super::index::FeatureIndex) of `ids` features.
    pub fn new(
        a: &'a [ParaFeatures],
        b: &'a [ParaFeatures],
        side_a: Side,
        side_b: Side,
        ids: usize,
        PairModel {
            length: model,
            counts,
        }: PairModel,
        params: Params,
    ) -> PairScorer<'a> {
        debug_assert_eq!((a.len(), b.len()), (side_a.len(), side_b.len()));
        // Each feature's document frequency over the paragraphs of both documents: a
        // feature found in every paragraph tells nothing about which belong together.
        let mut df = vec![0u32; ids];
        let mut occurrences = 0u64;
        // Each paragraph's features that count, as (id, occurrences), read once.
        let mut counted = |side: Side| -> Vec<Vec<(u32, f32)>> {
            (0..side.len())
                .map(|k| {
                    // Sized for all of them: collected through a filter, the vector would
                    // grow by reallocating, in every scorer.
                    let mut v = Vec::with_capacity(side.unfiltered_len(k));
                    v.extend(side.features(k).map(|(id, count)| {
                        df[id as usize] += 1;
                        occurrences += count as u64;
                        (id, count as f32)
                    }));
                    v
                })
                .collect()
        };
        let (mut items_a, mut items_b) = (counted(side_a), counted(side_b));
        let n = a.len() + b.len();
        let idf: Vec<f32> = (0..=n)
            .map(|d| ((n as f32 + 1.0) / (d as f32 + 0.5)).ln().max(0.0))
            .collect();
        let idf_of = |id: u32| idf[df[id as usize] as usize];
        // Scaled so that the average feature occurrence weighs 1 whatever the documents'
        // length: the evidence then counts matched features, not log-document-lengths.
        let total: f32 = items_a
            .iter()
            .chain(&items_b)
            .flatten()
            .map(|&(id, count)| count * idf_of(id))
            .sum();
        let mean = total / occurrences.max(1) as f32;
        let scale = if mean > 0.0 { 1.0 / mean } else { 1.0 };
        let vectors = |items: &mut Vec<Vec<(u32, f32)>>| -> Vec<SparseVec> {
            items
                .drain(..)
                .map(|mut v| {
                    for (id, w) in v.iter_mut() {
                        *w = *w * idf_of(*id) * scale;
                    }
                    SparseVec::from_vec(v)
                })
                .collect()
        };
        let (vec_a, vec_b) = (vectors(&mut items_a), vectors(&mut items_b));
        let background = background(&vec_a, &vec_b);
        PairScorer {
            a,
            b,
            va: SideVectors::new(vec_a, a),
            vb: SideVectors::new(vec_b, b),
            model,
            counts,
            ln_ratio: model.ratio.ln(),
            params,
            has_chrome: a.iter().chain(b).any(|f| f.chrome),
            background,
            row: usize::MAX,
            generation: 0,
            lanes: std::array::from_fn(|_| take_lane(ids)),
            lane_row: [None; 5],
            memos: RowMemos::new(b.len()),
        }
    }

    /// The vector lane `k` holds for row `i`.
    fn lane_vector(&self, k: usize, i: usize) -> Option<&SparseVec> {
        match k {
            0..MAX_SPAN => (i > k).then(|| self.va.run(k + 1, i - 1)),
            _ => {
                let back = k - 2;
                (i > back).then(|| self.va.run(1, i - 1 - back))
            }
        }
    }

    /// Make the DP's row `i`.
    fn load_row(&mut self, i: usize) {
        if self.row != i {
            self.row = i;
            self.generation += 1;
        }
    }

    /// Make lane `k` hold the current row's vector.
    fn fill_lane(&mut self, k: usize) {
        let i = self.row;
        if self.lane_row[k] == Some(i) {
            return;
        }
        let mut lane = std::mem::take(&mut self.lanes[k]);
        if let Some(v) = self.lane_row[k].and_then(|old| self.lane_vector(k, old)) {
            v.clear(&mut lane);
        }
        if let Some(v) = self.lane_vector(k, i) {
            v.scatter(&mut lane);
        }
        self.lanes[k] = lane;
        self.lane_row[k] = Some(i);
    }

    /// The common weight of `a[x]` and `b[y]`; x is one of the current row's last three.
    fn single_common(&mut self, x: usize, y: usize) -> f32 {
        let lane = single_lane(self.row - 1 - x);
        let stamp = x as u32 + 1;
        let memo = single_common_memo(x);
        if !self.memos.is_fresh(memo, stamp, y) {
            self.fill_lane(lane);
        }
        let (lanes, vb) = (&self.lanes, &self.vb);
        self.memos
            .get(memo, stamp, y, || vb.singles[y].common_dense(&lanes[lane]))
    }

    /// Lexical evidence that two runs of total weights `ta` and `tb` with common weight `c`
    /// translate each other, as a cost (see [`lexical_cost`]).
    fn lexical_cost(&self, c: f32, ta: f32, tb: f32) -> f64 {
        lexical_cost(self.params.lexical, self.background, c, ta, tb)
    }

    fn lexical_cost_floor(&self, c: f32, ta: f32, tb: f32) -> f64 {
        lexical_cost_floor(self.params.lexical, self.background, c, ta, tb)
    }

    /// Paragraph counts of sides a and b.
    pub fn sides(&self) -> (usize, usize) {
        (self.a.len(), self.b.len())
    }

    /// The cost of the sentence counts of a[i-di..i] and b[j-dj..j].
    fn sentence_cost(&self, i: usize, j: usize, di: usize, dj: usize) -> f64 {
        let sa = self.va.sentences[di - 1][i - 1];
        let sb = self.vb.sentences[dj - 1][j - 1];
        self.params.sentences * self.counts.cost(sa, sb)
    }

    fn length_cost(&self, i: usize, j: usize, di: usize, dj: usize) -> f64 {
        let (la, ln_la) = self.va.chars[di - 1][i - 1];
        let (lb, ln_lb) = self.vb.chars[dj - 1][j - 1];
        self.model
            .cost_from_logs(la, lb, ln_la, ln_lb, self.ln_ratio)
    }

    /// Cost of the bead a[i-di..i] × b[j-dj..j], or infinity when it is sure to be at least
    /// `budget`. Fastest when called row by row (in i).
    pub fn cost(&mut self, i: usize, j: usize, di: usize, dj: usize, budget: f64) -> f64 {
        if di == 0 || dj == 0 {
            return self.params.skip * (di + dj) as f64;
        }
        if self.chrome_forbids(i, j, di, dj) {
            return f64::INFINITY;
        }
        self.load_row(i);
        let p = self.params;
        let (ta, tb) = (self.va.total(di, i - 1), self.vb.total(dj, j - 1));
        let shape = p.shape_cost(di, dj);
        if (di, dj) == (1, 1) {
            let c = self.single_common(i - 1, j - 1);
            return shape
                + p.length * self.length_cost(i, j, di, dj)
                + self.sentence_cost(i, j, di, dj)
                + self.lexical_cost(c, ta, tb);
        }
        // A lower bound first, from the single paragraphs' common weights: as
        // min(x + y, z) <= min(x, z) + min(y, z), a run matches at most what its paragraphs
        // match one by one. Most beads the DP considers are ruled out here.
        let pair = self.single_commons(i, j, di, dj);
        let matched: f32 = pair.iter().flatten().sum();
        let most = matched.min(ta).min(tb);
        // Most beads are ruled out by a floor of the lexical cost that takes no logarithm,
        // before the unexplained paragraphs are costed: that cost is never negative, so a
        // bead ruled out without it is ruled out with it too.
        let floor = self.lexical_cost_floor(most, ta, tb);
        if shape + floor - BOUND_SLACK >= budget {
            return f64::INFINITY;
        }
        let unexplained = self.unexplained_at_most(&pair, i, j, di, dj);
        // Then by the floor with the unexplained paragraphs, and the rest by the exact cost.
        if shape + unexplained + floor - BOUND_SLACK >= budget {
            return f64::INFINITY;
        }
        let bound = shape + self.lexical_cost(most, ta, tb) + unexplained;
        // The length cost, never negative, only when the rest leaves the bead a chance.
        if bound - BOUND_SLACK >= budget {
            return f64::INFINITY;
        }
        let base =
            shape + p.length * self.length_cost(i, j, di, dj) + self.sentence_cost(i, j, di, dj);
        if bound + (base - shape) - BOUND_SLACK >= budget {
            return f64::INFINITY;
        }
        self.fill_lane(di - 1);
        let c = self.vb.run(dj, j - 1).common_dense(&self.lanes[di - 1]);
        let cost = base + self.lexical_cost(c, ta, tb);
        self.add_unexplained(cost, &pair, i, j, di, dj)
    }

    /// Page chrome forms beads of its own: alone, or 1-1 with chrome of the other side.
    /// Most pairs have none, and are spared counting it in every bead.
    #[inline]
    fn chrome_forbids(&self, i: usize, j: usize, di: usize, dj: usize) -> bool {
        if !self.has_chrome {
            return false;
        }
        let chrome_a = self.a[i - di..i].iter().filter(|f| f.chrome).count();
        let chrome_b = self.b[j - dj..j].iter().filter(|f| f.chrome).count();
        chrome_a + chrome_b > 0 && (chrome_a, chrome_b, di, dj) != (1, 1, 1, 1)
    }

    /// The common weight of each paragraph of a[i-di..i] with each of b[j-dj..j].
    #[inline]
    fn single_commons(&mut self, i: usize, j: usize, di: usize, dj: usize) -> Commons {
        let mut pair = [[0f32; MAX_SPAN]; MAX_SPAN];
        for (u, x) in (i - di..i).enumerate() {
            for (v, y) in (j - dj..j).enumerate() {
                pair[u][v] = self.single_common(x, y);
            }
        }
        pair
    }

    /// A lower bound of what [`Self::add_unexplained`] adds, from the single paragraphs'
    /// common weights.
    #[inline]
    fn unexplained_at_most(&self, pair: &Commons, i: usize, j: usize, di: usize, dj: usize) -> f64 {
        let p = self.params;
        let mut unexplained = 0.0;
        if di > 1 {
            for (u, x) in (i - di..i).enumerate() {
                let most: f32 = pair[u][..dj].iter().sum();
                unexplained += p.unexplained_cost(coverage(&self.va.singles[x], most));
            }
        }
        if dj > 1 {
            for (v, y) in (j - dj..j).enumerate() {
                let most: f32 = pair[..di].iter().map(|row| row[v]).sum();
                unexplained += p.unexplained_cost(coverage(&self.vb.singles[y], most));
            }
        }
        unexplained
    }

    /// Every paragraph on a side with several must be explained by the other side:
    /// otherwise a short unrelated paragraph (a caption, a share link) rides along with its
    /// neighbour at almost no cost in length or similarity. `cost` plus the cost of those it
    /// does not explain, each against the other side's whole run (added one by one, in
    /// order: the sum is the same to the last bit whatever calls it).
    fn add_unexplained(
        &mut self,
        mut cost: f64,
        pair: &Commons,
        i: usize,
        j: usize,
        di: usize,
        dj: usize,
    ) -> f64 {
        let p = self.params;
        let generation = self.generation;
        if di > 1 {
            for (u, x) in (i - di..i).enumerate() {
                let back = i - 1 - x;
                let common = if dj == 1 {
                    pair[u][0]
                } else {
                    self.fill_lane(single_lane(back));
                    let (lanes, other) = (&self.lanes, self.vb.run(dj, j - 1));
                    self.memos
                        .get(cover_a_memo(back, dj), generation, j - 1, || {
                            other.common_dense(&lanes[single_lane(back)])
                        })
                };
                cost += p.unexplained_cost(coverage(&self.va.singles[x], common));
            }
        }
        if dj > 1 {
            for (v, y) in (j - dj..j).enumerate() {
                let single = &self.vb.singles[y];
                let common = if di == 1 {
                    pair[0][v]
                } else {
                    let lane = &self.lanes[di - 1];
                    let memo = cover_b_memo(di);
                    self.memos
                        .get(memo, generation, y, || single.common_dense(lane))
                };
                cost += p.unexplained_cost(coverage(single, common));
            }
        }
        cost
    }
}

/// The common weights of the paragraphs of two runs, one by one.
type Commons = [[f32; MAX_SPAN]; MAX_SPAN];

/// The share of a paragraph's weight that the other side matches.
#[inline]
fn coverage(v: &SparseVec, common: f32) -> f64 {
    if v.total <= 0.0 {
        0.0
    } else {
        (common / v.total) as f64
    }
}

/// Mean similarity of paragraph pairs half a document away from the diagonal, where
/// translations are not, shrunk towards a prior for short documents.
fn background(a: &[SparseVec], b: &[SparseVec]) -> f64 {
    let (n, m) = (a.len(), b.len());
    let mut sum = 0.0;
    let mut count = 0.0;
    if n >= 2 && m >= 2 {
        for (i, va) in a.iter().enumerate() {
            let j = (i * m / n + m / 2) % m;
            sum += va.dice(&b[j]);
            count += 1.0;
        }
    }
    let mean =
        (sum + BACKGROUND_PRIOR * BACKGROUND_PRIOR_WEIGHT) / (count + BACKGROUND_PRIOR_WEIGHT);
    mean.max(BACKGROUND_MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_cost_grows_with_mismatch() {
        let m = LengthModel::from_totals(100, 120);
        assert!(m.cost(100, 120) < 0.01);
        assert!(m.cost(100, 150) > m.cost(100, 130));
        assert!(m.cost(100, 1000).is_finite());
    }

    #[test]
    fn tabled_tail_matches_the_formula() {
        let table = TailTable::get();
        for k in 0..=2000 {
            let delta = k as f64 / 97.0;
            assert!(
                (table.cost(delta) - tail_cost(delta)).abs() < 1e-4,
                "{delta}"
            );
        }
        assert_eq!(table.cost(1e9), -LENGTH_OUTLIERS.ln());
    }

    #[test]
    fn estimate_recovers_ratio() {
        let lengths: Vec<(u32, u32)> = (1..100).map(|k| (100 + k, 2 * (100 + k))).collect();
        let m = LengthModel::estimate(&lengths).unwrap();
        assert!((m.ratio - 2.0).abs() < 1e-9);
    }

    #[test]
    fn ln_ceiling_is_a_close_bound_from_above() {
        let mut x: f64 = 1e-3;
        while x < 1e6 {
            let (exact, bound) = (x.ln(), ln_ceiling(x));
            assert!(
                bound >= exact - 1e-12 && bound - exact < 0.007,
                "{x}: {bound} {exact}"
            );
            x *= 1.000_37;
        }
    }

    #[test]
    fn the_lexical_floor_never_exceeds_the_cost() {
        for background in [0.005, 0.04, 0.3] {
            for ta in [0.5f32, 3.0, 40.0, 300.0] {
                for tb in [0.5f32, 7.0, 90.0] {
                    for k in 0..=100 {
                        let c = ta.min(tb) * k as f32 / 100.0;
                        let floor = lexical_cost_floor(0.5, background, c, ta, tb);
                        let exact = lexical_cost(0.5, background, c, ta, tb);
                        assert!(floor <= exact + 1e-12, "{background} {ta} {tb} {c}");
                        // Above the background, close enough to rule out what the cost does.
                        if c as f64 > chance_overlap(background, ta, tb) {
                            assert!(floor >= exact - 0.5 * 0.007 * c as f64);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn ln_erfc_matches_known_values() {
        assert!((ln_erfc(0.0) - 0.0).abs() < 1e-6);
        assert!((ln_erfc(1.0) - 0.157_299_207_f64.ln()).abs() < 1e-6);
        // erfc(10) ≈ 2.088e-45
        assert!((ln_erfc(10.0) - 2.088_487_583_762_545e-45_f64.ln()).abs() < 1e-4);
    }

    #[test]
    fn dice_of_identical_and_disjoint() {
        let a = SparseVec::from_items([(1, 1.0), (2, 2.0), (3, 1.0)].into_iter());
        let b = SparseVec::from_items([(4, 1.0), (5, 1.0)].into_iter());
        assert!((a.dice(&a) - 1.0).abs() < 1e-6);
        assert_eq!(a.dice(&b), 0.0);
    }

    #[test]
    fn sentence_counts_cost_what_translations_rarely_do() {
        // Translations mostly keep the count, split or join a sentence now and then;
        // unrelated paragraphs differ by anything.
        let mut translated = vec![(3, 3); 80];
        translated.extend([(3, 4); 10]);
        translated.extend([(2, 1); 8]);
        translated.extend([(5, 2); 2]);
        let unrelated: Vec<(u16, u16)> =
            (1..=6).flat_map(|a| (1..=6).map(move |b| (a, b))).collect();
        let m = CountModel::estimate(&translated, &unrelated).unwrap();
        assert_eq!(m.cost(4, 4), 0.0);
        assert!(m.cost(3, 4) > 1.0 && m.cost(3, 4) < 3.0, "{m:?}");
        // Rarer differences cost more; never seen is rare, not impossible.
        assert!(m.cost(5, 2) > m.cost(3, 4));
        assert!(m.cost(1, 5) > m.cost(3, 4) && m.cost(1, 5).is_finite());
        // Too few beads teach nothing.
        assert_eq!(CountModel::estimate(&translated[..10], &unrelated), None);
        // Composed through the pivot: the same count is still likeliest, and symmetric.
        let c = CountModel::compose(&m, &m);
        assert_eq!(c.cost(2, 2), 0.0);
        assert!(c.cost(2, 3) > 0.0 && c.cost(2, 3) < m.cost(5, 2));
        assert!(
            (c.cost(2, 3) - c.cost(3, 2)).abs() < 1e-9,
            "symmetric: {c:?}"
        );
        // Where counts never differ, unrelated or not (a book's one-sentence lines), they
        // tell nothing and cost nothing.
        let flat = CountModel::estimate(&[(1, 1); 50], &[(1, 1); 50]).unwrap();
        assert!(flat.cost.iter().all(|&c| c.abs() < 1e-9), "{flat:?}");
        // Nothing learned, nothing charged.
        assert_eq!(CountModel::default().cost(1, 9), 0.0);
        assert_eq!(
            CountModel::compose(&m, &CountModel::default()).cost(1, 9),
            0.0
        );
    }
}
