//! Dynamic programming over sentence beads with a first-order shape prior: the cells are
//! (i, j, state), the state being what the last bead left (a match, a 1-0 or a 0-1), so
//! that a run of insertions is cheap to extend and dear to open. The bead evidence is
//! computed once per cell of a band (the paragraph engine's `Band`) into a `Table`; the
//! Viterbi path, the forward algorithm (the unit's marginal likelihood) and forward-backward
//! (expected transitions, bead posteriors) all run on the table.

use crate::align::dp::{Band, Bead};
use rayon::prelude::*;

/// The bead shapes searched, as (sentences of side a, sentences of side b).
pub(super) const MOVES: [(usize, usize); 13] = [
    (1, 1),
    (1, 0),
    (0, 1),
    (1, 2),
    (2, 1),
    (2, 2),
    (1, 3),
    (3, 1),
    (2, 3),
    (3, 2),
    (1, 4),
    (4, 1),
    (3, 3),
];
pub(super) const NM: usize = MOVES.len();

/// States: 0 after a match (or at the start), 1 after a 1-0, 2 after a 0-1.
pub(super) const STATES: usize = 3;

/// -ln P(shape | state before), by state and move.
pub(super) type Trans = [[f64; NM]; STATES];

/// The state a bead of shape `m` leaves.
pub(super) fn next_state(m: (usize, usize)) -> usize {
    match m {
        (1, 0) => 1,
        (0, 1) => 2,
        _ => 0,
    }
}

/// Does move k's evidence depend on the diagonal tension λ (several sentences each side)?
pub(super) fn diagonal(k: usize) -> bool {
    MOVES[k].0 > 1 && MOVES[k].1 > 1
}

/// The cells of a band, stored row after row.
pub(super) struct Cells {
    pub band: Band,
    offsets: Vec<usize>,
    total: usize,
}

impl Cells {
    pub(super) fn new(band: Band) -> Cells {
        let mut offsets = Vec::with_capacity(band.rows.len());
        let mut total = 0;
        for r in &band.rows {
            offsets.push(total);
            total += r.len();
        }
        Cells {
            band,
            offsets,
            total,
        }
    }

    pub(super) fn at(&self, i: usize, j: usize) -> Option<usize> {
        let r = self.band.rows.get(i)?;
        r.contains(&j).then(|| self.offsets[i] + j - r.start)
    }

    /// Where move k ending at (i, j) starts, when the cell and the start are both in the
    /// band.
    fn start(&self, i: usize, j: usize, k: usize) -> Option<usize> {
        let (di, dj) = MOVES[k];
        if di > i || dj > j || (i, j) == (0, 0) {
            return None;
        }
        self.at(i - di, j - dj)
    }

    fn each(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        let rows = self.band.rows.iter().enumerate();
        rows.flat_map(move |(i, r)| {
            r.clone()
                .map(move |j| (i, j, self.offsets[i] + j - r.start))
        })
    }
}

/// Tables of fewer cells are filled on the calling thread.
const PARALLEL_CELLS: usize = 4096;

/// The evidence cost of every move ending in every cell of a band (infinite where the move
/// starts outside it).
pub(super) struct Table {
    pub cells: Cells,
    costs: Vec<[f64; NM]>,
}

impl Table {
    /// The table of `band`, moves `which` scored by `cost(i, j, k)`, and those of them
    /// `old` has copied from it.
    pub(super) fn new<F>(
        band: Band,
        old: Option<&Table>,
        which: fn(usize) -> bool,
        cost: F,
    ) -> Table
    where
        F: Fn(usize, usize, usize) -> f64 + Sync,
    {
        let cells = Cells::new(band);
        let mut t = Table {
            costs: vec![[f64::INFINITY; NM]; cells.total],
            cells,
        };
        t.fill(old, which, cost);
        t
    }

    /// Score moves `which` again (the λ-dependent ones when λ changes).
    pub(super) fn refill<F>(&mut self, which: fn(usize) -> bool, cost: F)
    where
        F: Fn(usize, usize, usize) -> f64 + Sync,
    {
        self.fill(None, which, cost);
    }

    fn fill<F>(&mut self, old: Option<&Table>, which: fn(usize) -> bool, cost: F)
    where
        F: Fn(usize, usize, usize) -> f64 + Sync,
    {
        let cells = &self.cells;
        let fill_row = |i: usize, row: &mut [[f64; NM]]| {
            for (j, c) in cells.band.rows[i].clone().zip(row) {
                for (k, slot) in c.iter_mut().enumerate().filter(|(k, _)| which(*k)) {
                    *slot = match (cells.start(i, j, k), old) {
                        (None, _) => f64::INFINITY,
                        (Some(_), Some(o)) if o.cells.start(i, j, k).is_some() => o.cost(i, j, k),
                        (Some(_), _) => cost(i, j, k),
                    };
                }
            }
        };
        // The table's rows, each a slice of `costs`.
        let mut rows: Vec<&mut [[f64; NM]]> = Vec::with_capacity(cells.band.rows.len());
        let mut rest = &mut self.costs[..];
        for r in &cells.band.rows {
            let (row, tail) = rest.split_at_mut(r.len());
            rows.push(row);
            rest = tail;
        }
        // Most units are a few sentences: threads would cost more than they share.
        if cells.total < PARALLEL_CELLS {
            for (i, row) in rows.into_iter().enumerate() {
                fill_row(i, row);
            }
        } else {
            rows.into_par_iter()
                .enumerate()
                .with_min_len(16)
                .for_each(|(i, row)| fill_row(i, row));
        }
    }

    /// The cost of move k ending at (i, j); infinite when it is not in the table.
    pub(super) fn cost(&self, i: usize, j: usize, k: usize) -> f64 {
        self.cells
            .at(i, j)
            .map_or(f64::INFINITY, |c| self.costs[c][k])
    }
}

/// The minimum-cost path through the table.
pub(super) fn viterbi(t: &Table, trans: &Trans) -> Vec<Bead> {
    let cells = &t.cells;
    let mut best = vec![f64::INFINITY; cells.total * STATES];
    let mut back = vec![(u8::MAX, 0u8); cells.total * STATES];
    best[0] = 0.0;
    for (i, j, c) in cells.each() {
        for (k, &mv) in MOVES.iter().enumerate() {
            let Some(start) = cells.start(i, j, k) else {
                continue;
            };
            let ev = t.costs[c][k];
            let s2 = next_state(mv);
            for s in 0..STATES {
                let prev = best[start * STATES + s];
                if prev == f64::INFINITY {
                    continue;
                }
                let cost = prev + ev + trans[s][k];
                if cost < best[c * STATES + s2] {
                    best[c * STATES + s2] = cost;
                    back[c * STATES + s2] = (k as u8, s as u8);
                }
            }
        }
    }
    let (n, m) = (cells.band.n, cells.band.m);
    let end = cells.at(n, m).expect("the band holds the last cell");
    let mut s = (0..STATES)
        .min_by(|&x, &y| best[end * STATES + x].total_cmp(&best[end * STATES + y]))
        .unwrap_or(0);
    backtrace(n, m, |i, j| {
        let c = cells.at(i, j).expect("the path stays in the band");
        let (k, prev) = back[c * STATES + s];
        assert!(k != u8::MAX, "band search reached the end without a path");
        s = prev as usize;
        k as usize
    })
}

/// The path that ends at (n, m), from the move `step(i, j)` that reached each cell on it,
/// followed back to (0, 0).
fn backtrace(n: usize, m: usize, mut step: impl FnMut(usize, usize) -> usize) -> Vec<Bead> {
    let (mut i, mut j) = (n, m);
    let mut path = Vec::new();
    while i > 0 || j > 0 {
        let (di, dj) = MOVES[step(i, j)];
        path.push(Bead {
            a: i - di..i,
            b: j - dj..j,
        });
        i -= di;
        j -= dj;
    }
    path.reverse();
    path
}

/// ln(e^a + e^b).
fn lse(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let mx = a.max(b);
    mx + ((a - mx).exp() + (b - mx).exp()).ln()
}

/// A term this far (in nats) below the largest of a sum adds less than half an ulp to it
/// (e^-40 < 2^-53; the largest adds 1), so its exponential need not be taken.
pub(super) const NEGLIGIBLE: f64 = -40.0;

/// The shape prior as factors, e^-trans, by state and move.
type Factors = [[f64; NM]; STATES];

/// The shape prior `trans` as [`Factors`].
fn trans_factors(trans: &Trans) -> Factors {
    trans.map(|row| row.map(|t| (-t).exp()))
}

/// Each move's term of a cell's sum, `terms[k]` (ln; NEG_INFINITY where the move is not
/// taken), scaled by the largest: (largest, e^(term - largest) per move, 0 where
/// negligible). One exponential a move, where a term per state and move took one each
/// (those were most of the sentence level's forward-backward).
fn scaled(terms: &[f64; NM]) -> (f64, [f64; NM]) {
    let mx = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut w = [0.0; NM];
    if mx == f64::NEG_INFINITY {
        return (mx, w);
    }
    for (w, &x) in w.iter_mut().zip(terms) {
        if x - mx > NEGLIGIBLE {
            *w = (x - mx).exp();
        }
    }
    (mx, w)
}

/// ln(scale · sum), NEG_INFINITY for an empty sum.
fn ln_scaled(scale: f64, sum: f64) -> f64 {
    if sum > 0.0 {
        scale + sum.ln()
    } else {
        f64::NEG_INFINITY
    }
}

/// Forward sums over the paths inside `cells` (a band within the table's): ln of the sum
/// of exp(-cost) of the paths from the start to each (cell, state). Each cell's states
/// are also kept as factors of their largest, so that a move into the next cell weighs
/// them with one exponential. `factors`: the shape prior's ([`trans_factors`]).
fn forward(t: &Table, cells: &Cells, factors: &Factors) -> Vec<f64> {
    let mut fw = vec![f64::NEG_INFINITY; cells.total * STATES];
    // Per cell: the largest of its states' ln sums, and each state's share of it.
    let mut top = vec![f64::NEG_INFINITY; cells.total];
    let mut share = vec![[0.0; STATES]; cells.total];
    fw[0] = 0.0;
    top[0] = 0.0;
    share[0] = [1.0, 0.0, 0.0];
    for (i, j, c) in cells.each() {
        if (i, j) == (0, 0) {
            continue;
        }
        let mut terms = [f64::NEG_INFINITY; NM];
        let mut starts = [0usize; NM];
        for k in 0..NM {
            if let Some(start) = cells.start(i, j, k) {
                terms[k] = top[start] - t.cost(i, j, k);
                starts[k] = start;
            }
        }
        let (mx, w) = scaled(&terms);
        let mut sums = [0.0; STATES];
        for (k, &mv) in MOVES.iter().enumerate() {
            if w[k] == 0.0 {
                continue;
            }
            let from = &share[starts[k]];
            let through: f64 = (0..STATES).map(|s| from[s] * factors[s][k]).sum();
            sums[next_state(mv)] += w[k] * through;
        }
        let largest = sums.iter().copied().fold(0.0, f64::max);
        for s in 0..STATES {
            fw[c * STATES + s] = ln_scaled(mx, sums[s]);
        }
        if largest > 0.0 {
            top[c] = ln_scaled(mx, largest);
            share[c] = sums.map(|x| x / largest);
        }
    }
    fw
}

/// ln of the sum over all paths inside `cells` of exp(-cost): the unit's likelihood ratio
/// against every sentence unaligned and unrelated.
pub(super) fn log_z(t: &Table, cells: &Cells, trans: &Trans) -> f64 {
    let fw = forward(t, cells, &trans_factors(trans));
    let end = cells.at(cells.band.n, cells.band.m).expect("last cell");
    (0..STATES).fold(f64::NEG_INFINITY, |acc, s| lse(acc, fw[end * STATES + s]))
}

/// Forward and backward sums over the paths inside a band: the posterior of every bead.
pub(super) struct Posteriors<'a> {
    table: &'a Table,
    cells: Cells,
    trans: &'a Trans,
    fw: Vec<f64>,
    bw: Vec<f64>,
    z: f64,
}

impl<'a> Posteriors<'a> {
    pub(super) fn new(table: &'a Table, band: Band, trans: &'a Trans) -> Posteriors<'a> {
        let cells = Cells::new(band);
        let factors = trans_factors(trans);
        let fw = forward(table, &cells, &factors);
        let mut bw = vec![f64::NEG_INFINITY; cells.total * STATES];
        let (n, m) = (cells.band.n, cells.band.m);
        let last = cells.at(n, m).expect("last cell");
        bw[last * STATES..(last + 1) * STATES].fill(0.0);
        let order: Vec<(usize, usize, usize)> = cells.each().collect();
        for &(i, j, c) in order.iter().rev().filter(|x| x.2 != last) {
            // The moves out of (i, j), each one's cost and what follows it; the state
            // before weighs a move by its prior alone.
            let mut terms = [f64::NEG_INFINITY; NM];
            for (k, &(di, dj)) in MOVES.iter().enumerate() {
                if let Some(c2) = cells.at(i + di, j + dj) {
                    let next = bw[c2 * STATES + next_state((di, dj))];
                    terms[k] = next - table.cost(i + di, j + dj, k);
                }
            }
            let (mx, w) = scaled(&terms);
            for s in 0..STATES {
                let sum: f64 = (0..NM).map(|k| w[k] * factors[s][k]).sum();
                bw[c * STATES + s] = ln_scaled(mx, sum);
            }
        }
        let z = bw[0];
        Posteriors {
            table,
            cells,
            trans,
            fw,
            bw,
            z,
        }
    }

    /// The posterior of move k ending at (i, j) after state s.
    fn post(&self, i: usize, j: usize, k: usize, s: usize) -> f64 {
        let (Some(c), Some(start)) = (self.cells.at(i, j), self.cells.start(i, j, k)) else {
            return 0.0;
        };
        let after = self.bw[c * STATES + next_state(MOVES[k])];
        let prev = self.fw[start * STATES + s];
        if prev == f64::NEG_INFINITY || after == f64::NEG_INFINITY {
            return 0.0;
        }
        (prev - self.trans[s][k] - self.table.cost(i, j, k) + after - self.z).exp()
    }

    /// The posterior probability of bead `b`.
    pub(super) fn bead(&self, b: &Bead) -> f64 {
        let Some(k) = MOVES.iter().position(|&m| m == b.shape()) else {
            return 0.0;
        };
        (0..STATES).map(|s| self.post(b.a.end, b.b.end, k, s)).sum()
    }

    /// The expected number of each transition (state before, move): EM's E-step for the
    /// shape prior.
    pub(super) fn expected_transitions(&self) -> Trans {
        let mut out = [[0.0; NM]; STATES];
        for (i, j, _) in self.cells.each() {
            for k in 0..NM {
                for (s, row) in out.iter_mut().enumerate() {
                    let p = self.post(i, j, k, s);
                    if p > 1e-9 {
                        row[k] += p;
                    }
                }
            }
        }
        out
    }
}

/// Moves of the guide path: 1-1, 1-0, 0-1, 1-2, 2-1.
const GUIDE_MOVES: usize = 5;
/// Half-width of the diagonal band the guide path is searched in: wide enough for any
/// drift of a document, narrow enough to bound the memory of a very long one.
const GUIDE_HALF_WIDTH: usize = 512;

/// A path to centre the band on: the best path under a cheap cost (`cost(i, j, k)`, the
/// length evidence and shape prior), with the common moves, in a wide band. The diagonal
/// itself is a poor centre: a document's alignment drifts from it by dozens of sentences,
/// and a band too narrow for the drift holds a path that keeps away from its edges.
pub(super) fn guide(n: usize, m: usize, cost: impl Fn(usize, usize, usize) -> f64) -> Vec<Bead> {
    let cells = Cells::new(Band::new(n, m, GUIDE_HALF_WIDTH));
    let mut best = vec![f64::INFINITY; cells.total];
    let mut back = vec![u8::MAX; cells.total];
    best[0] = 0.0;
    for (i, j, c) in cells.each() {
        for k in 0..GUIDE_MOVES {
            if let Some(start) = cells.start(i, j, k) {
                let x = best[start] + cost(i, j, k);
                if x < best[c] {
                    best[c] = x;
                    back[c] = k as u8;
                }
            }
        }
    }
    backtrace(n, m, |i, j| {
        let k = cells.at(i, j).map_or(u8::MAX, |c| back[c]);
        assert!(k != u8::MAX, "the guide's band holds a path");
        k as usize
    })
}

/// The cells within `width` columns of a path, inside `within`.
pub(super) fn around_path(within: &Band, path: &[Bead], width: usize) -> Band {
    let (n, m) = (within.n, within.m);
    let mut lo = vec![usize::MAX; n + 1];
    let mut hi = vec![0; n + 1];
    let mut mark = |i: usize, j0: usize, j1: usize| {
        lo[i] = lo[i].min(j0);
        hi[i] = hi[i].max(j1);
    };
    mark(0, 0, 0);
    for b in path {
        for i in b.a.start..=b.a.end {
            mark(i, b.b.start, b.b.end);
        }
    }
    let rows = (0..=n)
        .map(|i| {
            let r = &within.rows[i];
            let start = lo[i].saturating_sub(width).max(r.start);
            let end = (hi[i] + width + 1).min(m + 1).min(r.end);
            start..end.max(start)
        })
        .collect();
    Band { n, m, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(n: usize, m: usize, cost: impl Fn(usize, usize, usize) -> f64 + Sync) -> Table {
        Table::new(Band::new(n, m, n.max(m) + 1), None, |_| true, cost)
    }

    fn flat() -> Trans {
        [[0.0; NM]; STATES]
    }

    #[test]
    fn viterbi_follows_the_cheap_beads() {
        // 1-1 beads are free, except that a[1..3] matches b[1] as a 2-1.
        let t = table(3, 2, |i, _, k| match (MOVES[k], i) {
            ((2, 1), 3) => -5.0,
            ((1, 1), _) => 0.0,
            _ => 10.0,
        });
        let path: Vec<(usize, usize)> = viterbi(&t, &flat()).iter().map(Bead::shape).collect();
        assert_eq!(path, [(1, 1), (2, 1)]);
    }

    #[test]
    fn posteriors_sum_to_one_and_agree_with_log_z() {
        let t = table(3, 3, |i, j, k| (i * 7 + j * 3 + k) as f64 % 5.0);
        let trans = flat();
        let p = Posteriors::new(&t, Band::new(3, 3, 4), &trans);
        assert!((p.z - log_z(&t, &t.cells, &trans)).abs() < 1e-9);
        // Every path ends in (3, 3): the beads ending there sum to 1.
        let at_end: f64 = (0..NM)
            .flat_map(|k| (0..STATES).map(move |s| (k, s)))
            .map(|(k, s)| p.post(3, 3, k, s))
            .sum();
        assert!((at_end - 1.0).abs() < 1e-9);
        // A path of the only shape 1-1 on a 1 × 1 unit is certain.
        let t1 = table(1, 1, |_, _, k| if k == 0 { 0.0 } else { 50.0 });
        let p1 = Posteriors::new(&t1, Band::new(1, 1, 2), &trans);
        let b = Bead { a: 0..1, b: 0..1 };
        assert!(p1.bead(&b) > 0.99);
        let counts = p1.expected_transitions();
        assert!((counts[0][0] - p1.bead(&b)).abs() < 1e-12);
    }

    #[test]
    fn log_z_sums_the_paths() {
        // 1 × 1: a 1-1 bead (cost 1), or 1-0 then 0-1 / 0-1 then 1-0 (0 each), transitions free.
        let t = table(1, 1, |_, _, k| if k == 0 { 1.0 } else { 0.0 });
        let z = log_z(&t, &t.cells, &flat());
        assert!((z - ((-1.0f64).exp() + 2.0).ln()).abs() < 1e-12);
    }

    #[test]
    fn forward_and_backward_sum_every_path_under_a_shape_prior() {
        // Every path of a 3 × 4 unit enumerated, each move's cost depending on the state
        // before it: the sums over states and moves must be those of the paths.
        let t = table(3, 4, |i, j, k| {
            ((i * 5 + j * 11 + k * 3) % 7) as f64 * 0.9 - 2.0
        });
        let mut trans = flat();
        for (s, row) in trans.iter_mut().enumerate() {
            for (k, x) in row.iter_mut().enumerate() {
                *x = 0.3 + ((s * 13 + k * 5) % 9) as f64 * 0.7;
            }
        }
        fn paths(
            t: &Table,
            trans: &Trans,
            (i, j, s): (usize, usize, usize),
            acc: f64,
            out: &mut Vec<f64>,
        ) {
            if (i, j) == (3, 4) {
                out.push(-acc);
                return;
            }
            for (k, &(di, dj)) in MOVES.iter().enumerate() {
                if i + di <= 3 && j + dj <= 4 {
                    let c = trans[s][k] + t.cost(i + di, j + dj, k);
                    paths(
                        t,
                        trans,
                        (i + di, j + dj, next_state((di, dj))),
                        acc + c,
                        out,
                    );
                }
            }
        }
        let mut all = Vec::new();
        paths(&t, &trans, (0, 0, 0), 0.0, &mut all);
        let mx = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let direct = mx + all.iter().map(|x| (x - mx).exp()).sum::<f64>().ln();
        let z = log_z(&t, &t.cells, &trans);
        assert!((z - direct).abs() < 1e-9, "{z} vs {direct}");
        let p = Posteriors::new(&t, Band::new(3, 4, 5), &trans);
        assert!((p.z - direct).abs() < 1e-9, "{} vs {direct}", p.z);
        let at_end: f64 = (0..NM)
            .flat_map(|k| (0..STATES).map(move |s| (k, s)))
            .map(|(k, s)| p.post(3, 4, k, s))
            .sum();
        assert!((at_end - 1.0).abs() < 1e-9);
    }

    #[test]
    fn band_around_a_path_holds_it() {
        let within = Band::new(6, 6, 7);
        let path = [Bead { a: 0..2, b: 0..1 }, Bead { a: 2..6, b: 1..6 }];
        let b = around_path(&within, &path, 1);
        // Rows 0..=2 meet the first bead's columns 0..=1, one more each side.
        assert_eq!(b.rows[0], 0..3);
        assert_eq!(b.rows[1], 0..3);
        assert_eq!(b.rows[2], 0..7);
        assert!(b.rows.iter().all(|r| !r.is_empty()));
    }
}
