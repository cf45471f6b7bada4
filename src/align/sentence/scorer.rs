//! The evidence of a bead, as a log-likelihood ratio against "these sentences are
//! unrelated" (nats): lexical (the two directions' Model 1 mixtures, averaged), length and
//! the final punctuation's PMI. A 1-0 or 0-1 bead has none: its sentences' unigram
//! probabilities cancel out of the ratio.

use super::SentenceModel;
use super::model1::{BACKGROUND, COMPONENTS, Direction, Targets};
use super::tokens::{Sentence, Types};
use std::ops::Range;

/// The most sentences a bead has on one side.
pub(super) const MAX_SPAN: usize = 4;

/// One direction's explained mass: per source sentence, per target token it may share a
/// bead with, Σ_{s ∈ sentence} Σ_k α_k c_k(t | s).
struct Explained {
    /// Per source sentence: the first target position covered, and the values.
    rows: Vec<(usize, Vec<f32>)>,
    /// Tokens per source sentence.
    src_n: Vec<usize>,
    /// Target sentence → its first token's position; one past the end last.
    off: Vec<usize>,
    /// Per target position: 1 / p(t) and the background weight of t's class.
    inv_p: Vec<f64>,
    alpha0: Vec<f64>,
    /// Per source sentence r and target sentence l of `reach[r]`: the lexical evidence
    /// of l given r alone, which every bead with r alone on its source side adds up.
    single: Vec<Vec<f64>>,
    reach: Vec<Range<usize>>,
}

impl Explained {
    /// `reach[r]`: the target sentences source sentence `r` may share a bead with.
    fn new(
        dir: &Direction,
        (src, tgt): (&[Sentence], &[Sentence]),
        (src_types, tgt_types): (&Types, &Types),
        reach: &[Range<usize>],
    ) -> Explained {
        let mut off = Vec::with_capacity(tgt.len() + 1);
        let mut flat: Vec<u32> = Vec::new();
        for s in tgt {
            off.push(flat.len());
            flat.extend(&s.toks);
        }
        off.push(flat.len());
        let targets = Targets::new(flat.iter().copied(), tgt_types);
        let (sources, explains) = explains(dir, src, (src_types, tgt_types), &targets);
        // Per target position, its type's local number.
        let local: Vec<u32> = flat
            .iter()
            .map(|&t| targets.local(t).unwrap_or(0))
            .collect();
        let mut acc = vec![0.0f64; targets.len()];
        // The sentence's source types, found once, reused for every sentence.
        let mut types: Vec<usize> = Vec::new();
        let rows = src
            .iter()
            .zip(reach)
            .map(|(s, r)| {
                types.clear();
                types.extend(s.toks.iter().map(|t| sources.binary_search(t).unwrap_or(0)));
                for &(l, w) in types.iter().flat_map(|&k| explains.of(k)) {
                    acc[l as usize] += w;
                }
                let (lo, hi) = (off[r.start], off[r.end.max(r.start)]);
                let values = local[lo..hi].iter().map(|&l| acc[l as usize] as f32);
                let row = (lo, values.collect());
                for &(l, _) in types.iter().flat_map(|&k| explains.of(k)) {
                    acc[l as usize] = 0.0;
                }
                row
            })
            .collect();
        let class = |t: u32| tgt_types.class(t) as usize;
        let mut e = Explained {
            rows,
            src_n: src.iter().map(|s| s.toks.len()).collect(),
            off,
            inv_p: flat.iter().map(|&t| 1.0 / tgt_types.p(t)).collect(),
            alpha0: flat
                .iter()
                .map(|&t| dir.alpha[class(t)][BACKGROUND])
                .collect(),
            single: Vec::new(),
            reach: reach.to_vec(),
        };
        e.single = (0..src.len())
            .map(|r| e.reach[r].clone().map(|l| e.sum_lr(r, l)).collect())
            .collect();
        e
    }

    /// ln P(T | S) / P(T) for S = source sentence r, T = target sentence l.
    fn sum_lr(&self, r: usize, l: usize) -> f64 {
        let ls = self.src_n[r].max(1) as f64;
        let mut lr = LnSum::new();
        for pos in self.off[l]..self.off[l + 1] {
            let x = self.at(r, pos) / ls;
            lr.add(x * self.inv_p[pos] + self.alpha0[pos]);
        }
        lr.total()
    }

    fn at(&self, k: usize, pos: usize) -> f64 {
        let (base, values) = &self.rows[k];
        values[pos - base] as f64
    }

    /// ln P(T | S) / P(T) for S = source sentences i0..i1, T = target sentences j0..j1.
    /// Target sentence l's tokens align to the source sentences with weights ∝ length ×
    /// exp(-λ |centre distance|) when both sides have several sentences (a diagonal prior
    /// at sentence grain; λ = 0 is Model 1's uniform alignment).
    fn lex_lr(&self, lambda: f64, (i0, i1): (usize, usize), (j0, j1): (usize, usize)) -> f64 {
        if i1 - i0 == 1 {
            let base = self.reach[i0].start;
            return self.single[i0][j0 - base..j1 - base].iter().sum();
        }
        let ls = self.src_n[i0..i1].iter().sum::<usize>().max(1) as f64;
        let diag = lambda > 0.0 && i1 - i0 > 1 && j1 - j0 > 1;
        let lt = (self.off[j1] - self.off[j0]).max(1) as f64;
        // The source sentences' spans, relative.
        let mut span = [(0.0f64, 0.0f64); MAX_SPAN];
        let mut before = 0.0;
        for (k, &n) in self.src_n[i0..i1].iter().enumerate() {
            let n = n as f64;
            span[k] = (before / ls, (before + n) / ls);
            before += n;
        }
        let d = i1 - i0;
        // Without the diagonal prior every source sentence weighs alike: Model 1.
        let mut w = [1.0 / ls; MAX_SPAN];
        let mut lr = LnSum::new();
        let mut tbefore = 0.0;
        for l in j0..j1 {
            let (lo, hi) = (self.off[l], self.off[l + 1]);
            let nl = (hi - lo) as f64;
            if diag {
                let y = (tbefore + nl / 2.0) / lt;
                let mut z = 0.0;
                for k in 0..d {
                    w[k] = (-lambda * ((span[k].0 + span[k].1) / 2.0 - y).abs()).exp();
                    z += (span[k].1 - span[k].0) * ls * w[k];
                }
                for x in w.iter_mut().take(d) {
                    *x /= z.max(1e-12);
                }
            }
            // Each source sentence's explained mass of target sentence l's tokens.
            let mut rows: [&[f32]; MAX_SPAN] = [&[]; MAX_SPAN];
            for (k, row) in rows.iter_mut().enumerate().take(d) {
                let (base, values) = &self.rows[i0 + k];
                *row = &values[lo - base..hi - base];
            }
            let (inv_p, alpha0) = (&self.inv_p[lo..hi], &self.alpha0[lo..hi]);
            match d {
                2 => add_weighted::<2>(&mut lr, &w, &rows, inv_p, alpha0),
                3 => add_weighted::<3>(&mut lr, &w, &rows, inv_p, alpha0),
                _ => add_weighted::<4>(&mut lr, &w, &rows, inv_p, alpha0),
            }
            tbefore += nl;
        }
        lr.total()
    }
}

/// Add to `lr` each target token's ratio, its explained mass the `D` source sentences'
/// rows weighted by `w`: the loop of every bead of several source sentences, with the
/// count of rows fixed so that it runs without bounds checks.
#[inline]
fn add_weighted<const D: usize>(
    lr: &mut LnSum,
    w: &[f64; MAX_SPAN],
    rows: &[&[f32]; MAX_SPAN],
    inv_p: &[f64],
    alpha0: &[f64],
) {
    let n = inv_p.len();
    let rows: [&[f32]; D] = std::array::from_fn(|k| &rows[k][..n]);
    for pos in 0..n {
        let mut x = 0.0f64;
        for k in 0..D {
            x += w[k] * rows[k][pos] as f64;
        }
        lr.add(x * inv_p[pos] + alpha0[pos]);
    }
}

/// A sum of logarithms taken as the logarithm of running products: one logarithm for many
/// factors, where a bead's evidence has one a target token (logarithms were most of the
/// sentence level's time). The product is flushed before it can leave f64's range: each
/// factor, a token's probability ratio, lies far inside 1e±15.
struct LnSum {
    ln: f64,
    product: f64,
}

impl LnSum {
    fn new() -> LnSum {
        LnSum {
            ln: 0.0,
            product: 1.0,
        }
    }

    #[inline]
    fn add(&mut self, factor: f64) {
        self.product *= factor;
        if !(1e-150..=1e150).contains(&self.product) {
            self.ln += self.product.ln();
            self.product = 1.0;
        }
    }

    fn total(&self) -> f64 {
        self.ln + self.product.ln()
    }
}

/// What each source type explains of a unit's target types, weighted: (local target,
/// α_k c_k(t | s)), component by component; one list for all the types, so that a unit's
/// search allocates nothing per type.
struct Explains {
    entries: Vec<(u32, f64)>,
    /// Where each source type's entries start; their end last.
    starts: Vec<usize>,
}

impl Explains {
    /// The entries of the `k`th source type.
    fn of(&self, k: usize) -> &[(u32, f64)] {
        &self.entries[self.starts[k]..self.starts[k + 1]]
    }
}

/// The source types of `src`, sorted, and what each explains of the unit's target types.
fn explains(
    dir: &Direction,
    src: &[Sentence],
    (src_types, tgt_types): (&Types, &Types),
    targets: &Targets,
) -> (Vec<u32>, Explains) {
    let mut sources: Vec<u32> = src.iter().flat_map(|s| s.toks.iter().copied()).collect();
    sources.sort_unstable();
    sources.dedup();
    let local_alpha: Vec<[f64; COMPONENTS]> = targets
        .types()
        .iter()
        .map(|&t| dir.alpha[tgt_types.class(t) as usize])
        .collect();
    let mut out = Explains {
        entries: Vec::new(),
        starts: Vec::with_capacity(sources.len() + 1),
    };
    for &s in &sources {
        out.starts.push(out.entries.len());
        dir.explain(s, src_types, targets, |l, k, x| {
            out.entries.push((l, local_alpha[l as usize][k] * x))
        });
    }
    out.starts.push(out.entries.len());
    (sources, out)
}

/// The evidence of every bead of one unit.
pub(super) struct Evidence<'a> {
    a: &'a [Sentence],
    b: &'a [Sentence],
    ab: Explained,
    ba: Explained,
    lengths: Lengths<'a>,
    model: &'a SentenceModel,
}

impl<'a> Evidence<'a> {
    /// The evidence of the beads whose cells lie in the band `rows` (row i: the columns j
    /// of the DP's cells (i, j)).
    pub(super) fn new(
        model: &'a SentenceModel,
        (a, b): (&'a [Sentence], &'a [Sentence]),
        types: (&Types, &Types),
        rows: &[Range<usize>],
    ) -> Evidence<'a> {
        let (reach_a, reach_b) = reach(rows, a.len(), b.len());
        let (ab, ba) = (
            Explained::new(&model.dirs[0], (a, b), types, &reach_a),
            Explained::new(&model.dirs[1], (b, a), (types.1, types.0), &reach_b),
        );
        Evidence {
            a,
            b,
            ab,
            ba,
            lengths: Lengths::new(model, (a, b)),
            model,
        }
    }

    /// The cost (minus the evidence) of the bead a[i-di..i] × b[j-dj..j].
    pub(super) fn cost(&self, i: usize, j: usize, (di, dj): (usize, usize), lambda: f64) -> f64 {
        if di == 0 || dj == 0 {
            return 0.0;
        }
        let (i0, j0) = (i - di, j - dj);
        let ab = self.ab.lex_lr(lambda, (i0, i), (j0, j));
        let ba = self.ba.lex_lr(lambda, (j0, j), (i0, i));
        let lex = 0.5 * (ab + ba);
        let len = self.lengths.lr((i, di), (j, dj));
        let end = self.model.end_pmi(self.a[i - 1].end, self.b[j - 1].end);
        -(lex + len + end)
    }
}

/// The length evidence of every bead of a unit: the two directions' densities against each
/// side's marginal, averaged. Each side's runs of up to [`MAX_SPAN`] sentences (their total
/// length, its logarithm and its marginal density) are summed once.
pub(super) struct Lengths<'a> {
    model: &'a SentenceModel,
    /// The length model's constants (`LenModel::constants`).
    constants: (f64, f64),
    /// Per side, per end e and run d (1-based): (total, ln total, marginal ln density).
    runs: [Vec<[(f64, f64, f64); MAX_SPAN]>; 2],
}

impl<'a> Lengths<'a> {
    pub(super) fn new(model: &'a SentenceModel, (a, b): (&[Sentence], &[Sentence])) -> Self {
        let runs = |side: &[Sentence], marginal: &super::length::Marginal| {
            (0..=side.len())
                .map(|e| {
                    let mut run = [(0.0, 0.0, 0.0); MAX_SPAN];
                    let mut total = 0.0;
                    for d in 1..=MAX_SPAN.min(e) {
                        total += side[e - d].len;
                        run[d - 1] = (total, total.ln(), marginal.ln_density(d, total));
                    }
                    run
                })
                .collect()
        };
        let [ma, mb] = &model.marginals;
        Lengths {
            model,
            constants: model.len.constants(),
            runs: [runs(a, ma), runs(b, mb)],
        }
    }

    /// The evidence of the bead a[i-di..i] × b[j-dj..j] (both sides not empty).
    pub(super) fn lr(&self, (i, di): (usize, usize), (j, dj): (usize, usize)) -> f64 {
        let (la, ln_la, ma) = self.runs[0][i][di - 1];
        let (lb, ln_lb, mb) = self.runs[1][j][dj - 1];
        let (d, d2) = self
            .model
            .len
            .ln_densities(self.constants, (la, ln_la), (lb, ln_lb));
        0.5 * ((d - mb) + (d2 - ma))
    }
}

/// For each sentence of side a, the sentences of side b a bead of the band may hold with
/// it; and the same for side b.
fn reach(rows: &[Range<usize>], n: usize, m: usize) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    // (lowest, one past the highest) so far.
    let mut ra = vec![(usize::MAX, 0); n];
    let mut rb = vec![(usize::MAX, 0); m];
    let widen = |x: &mut (usize, usize), r: &Range<usize>| {
        *x = (x.0.min(r.start), x.1.max(r.end));
    };
    for (i, row) in rows.iter().enumerate() {
        if row.is_empty() {
            continue;
        }
        // A bead ending at (i, j) holds sentences i-4..i of side a and j-4..j of side b.
        let cols = row.start.saturating_sub(MAX_SPAN)..(row.end - 1).min(m);
        let sents = i.saturating_sub(MAX_SPAN)..i.min(n);
        for x in &mut ra[sents.clone()] {
            widen(x, &cols);
        }
        for x in &mut rb[cols] {
            widen(x, &sents);
        }
    }
    let ranges = |v: Vec<(usize, usize)>| {
        v.into_iter()
            .map(|(lo, hi)| if lo >= hi { 0..0 } else { lo..hi })
            .collect()
    };
    (ranges(ra), ranges(rb))
}

#[cfg(test)]
mod tests {
    use super::LnSum;

    #[test]
    fn a_sum_of_logarithms_by_products_is_the_sum() {
        // Factors as a bead's tokens give them: ratios from far below 1 to far above,
        // enough of them to leave f64's range if never flushed.
        let factors: Vec<f64> = (0..2000)
            .map(|k| match k % 4 {
                0 => 1e-9 * (1 + k % 7) as f64,
                1 => 3.5e8,
                2 => 0.25,
                _ => 1e12 / (1 + k % 5) as f64,
            })
            .collect();
        let mut sum = LnSum::new();
        for &f in &factors {
            sum.add(f);
        }
        let direct: f64 = factors.iter().map(|f| f.ln()).sum();
        assert!(direct.abs() > 1e3);
        assert!(
            (sum.total() - direct).abs() < 1e-9 * direct.abs(),
            "{} vs {direct}",
            sum.total()
        );
    }
}
