//! Dynamic programming over beads, in a band around the diagonal that widens until the best
//! path no longer touches its edge. Time and memory are O(length × band), so a
//! 10,000-paragraph document costs little more than ten 1,000-paragraph ones.

use std::ops::Range;

/// The bead shapes searched, as (paragraphs of side a, paragraphs of side b).
pub const MOVES: [(usize, usize); 8] = [
    (1, 1),
    (1, 0),
    (0, 1),
    (1, 2),
    (2, 1),
    (2, 2),
    (1, 3),
    (3, 1),
];

/// A bead: paragraphs `a` of one side matched with paragraphs `b` of the other; either may
/// be empty (an unaligned paragraph).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bead {
    pub a: Range<usize>,
    pub b: Range<usize>,
}

impl Bead {
    pub fn shape(&self) -> (usize, usize) {
        (self.a.len(), self.b.len())
    }

    /// The same bead seen from the other side.
    pub fn flipped(&self) -> Bead {
        Bead {
            a: self.b.clone(),
            b: self.a.clone(),
        }
    }

    /// The bead moved `da` paragraphs on in side a and `db` in side b (an empty side too:
    /// it marks where the bead falls).
    pub fn shifted(&self, da: usize, db: usize) -> Bead {
        Bead {
            a: self.a.start + da..self.a.end + da,
            b: self.b.start + db..self.b.end + db,
        }
    }
}

/// Initial half-width of the band; it doubles while the path runs along an edge.
const INITIAL_HALF_WIDTH: usize = 3;
/// How close to the band's edge the path may come before the band is widened.
const EDGE_MARGIN: usize = 2;

/// Minimum-cost monotone path of beads covering `n` paragraphs of side a and `m` of side b,
/// each bead with its cost. `cost(i, j, di, dj, budget)` is the cost of the bead
/// a[i-di..i] × b[j-dj..j]; when it is at least `budget` it may return infinity instead,
/// so that a bead that cannot improve on the cell's best so far need not be scored in full.
///
/// The search makes the shapes of [`MOVES`]; a bead of a [`WIDE`] shape is made where a
/// run of the path's beads holds exactly its paragraphs and costs more than it does (see
/// `join_wide`).
pub fn best_path<F>(n: usize, m: usize, mut cost: F) -> Vec<(Bead, f64)>
where
    F: FnMut(usize, usize, usize, usize, f64) -> f64,
{
    let full = n.max(m) + 1;
    let mut half = INITIAL_HALF_WIDTH;
    loop {
        let band = Band::new(n, m, half);
        let path = search(&band, &mut cost);
        let widest = half >= full;
        if widest || !band.touches_edge(&path) {
            return join_wide(path, &mut cost);
        }
        half *= 2;
    }
}

/// Shapes the search leaves out, as rare as they are dear to search: three paragraphs of
/// one side translated as two of the other. Searched in every cell, they cost a tenth more
/// time at the paragraph level.
pub const WIDE: [(usize, usize); 2] = [(2, 3), (3, 2)];

/// The path with each run of two or three consecutive beads that together hold a [`WIDE`]
/// shape's paragraphs (a 2-1 and a 1-1, a 2-2 and a 1-0, ...) made one bead, where that
/// bead costs less than the run.
fn join_wide<F>(path: Vec<(Bead, f64)>, cost: &mut F) -> Vec<(Bead, f64)>
where
    F: FnMut(usize, usize, usize, usize, f64) -> f64,
{
    let mut out = Vec::with_capacity(path.len());
    let mut k = 0;
    while k < path.len() {
        let joined = (2..=3).filter(|w| k + w <= path.len()).find_map(|w| {
            let run = &path[k..k + w];
            let bead = Bead {
                a: run[0].0.a.start..run[w - 1].0.a.end,
                b: run[0].0.b.start..run[w - 1].0.b.end,
            };
            if !WIDE.contains(&bead.shape()) {
                return None;
            }
            let apart: f64 = run.iter().map(|(_, c)| c).sum();
            let c = cost(bead.a.end, bead.b.end, bead.a.len(), bead.b.len(), apart);
            (c < apart).then_some((w, bead, c))
        });
        match joined {
            Some((w, bead, c)) => {
                out.push((bead, c));
                k += w;
            }
            None => {
                out.push(path[k].clone());
                k += 1;
            }
        }
    }
    out
}

/// For each row i (0..=n), the columns j the search may visit.
#[derive(Clone, Debug)]
pub(crate) struct Band {
    pub(crate) n: usize,
    pub(crate) m: usize,
    pub(crate) rows: Vec<Range<usize>>,
}

impl Band {
    /// The band of half-width `half` around the diagonal of an n × m matrix.
    pub(crate) fn new(n: usize, m: usize, half: usize) -> Band {
        // Row i reaches the next row's centre, so consecutive rows overlap and every cell of
        // the band can be reached however steep the diagonal is.
        let centre = |i: usize| (i * m).checked_div(n).unwrap_or(0);
        let rows = (0..=n)
            .map(|i| {
                if n == 0 {
                    return 0..m + 1;
                }
                let lo = centre(i).saturating_sub(half);
                let next = ((i + 1) * m).div_ceil(n);
                let hi = (next.max(centre(i)) + half + 1).min(m + 1);
                lo..hi
            })
            .collect();
        Band { n, m, rows }
    }

    pub(crate) fn contains(&self, i: usize, j: usize) -> bool {
        self.rows[i].contains(&j)
    }

    /// Does the path pass within EDGE_MARGIN of a band edge that is not the matrix's edge?
    fn touches_edge(&self, path: &[(Bead, f64)]) -> bool {
        self.comes_near_edge(path.iter().map(|(b, _)| b), EDGE_MARGIN)
    }

    /// Does a bead of the path end within `margin` of a band edge that is not the matrix's
    /// edge?
    pub(crate) fn comes_near_edge<'a>(
        &self,
        mut path: impl Iterator<Item = &'a Bead>,
        margin: usize,
    ) -> bool {
        path.any(|b| {
            let (i, j) = (b.a.end, b.b.end);
            let r = &self.rows[i];
            (r.start > 0 && j < r.start + margin) || (r.end <= self.m && j + margin >= r.end)
        })
    }
}

fn search<F>(band: &Band, cost: &mut F) -> Vec<(Bead, f64)>
where
    F: FnMut(usize, usize, usize, usize, f64) -> f64,
{
    let n = band.n;
    // Row-major storage of the band: offsets[i] is where row i starts.
    let mut offsets = Vec::with_capacity(n + 2);
    let mut total = 0;
    for r in &band.rows {
        offsets.push(total);
        total += r.len();
    }
    let mut best = vec![f64::INFINITY; total];
    let mut back = vec![u8::MAX; total];
    // The cost of the bead each cell's best path ends with.
    let mut step = vec![0.0; total];
    let at = |i: usize, j: usize| offsets[i] + (j - band.rows[i].start);

    best[at(0, 0)] = 0.0;
    for i in 0..=n {
        for j in band.rows[i].clone() {
            if i == 0 && j == 0 {
                continue;
            }
            let mut cell = f64::INFINITY;
            let mut cell_step = 0.0;
            let mut from = u8::MAX;
            for (k, &(di, dj)) in MOVES.iter().enumerate() {
                if di > i || dj > j || !band.contains(i - di, j - dj) {
                    continue;
                }
                let prev = best[at(i - di, j - dj)];
                if prev == f64::INFINITY {
                    continue;
                }
                let bead = cost(i, j, di, dj, cell - prev);
                let c = prev + bead;
                if c < cell {
                    cell = c;
                    cell_step = bead;
                    from = k as u8;
                }
            }
            let idx = at(i, j);
            best[idx] = cell;
            back[idx] = from;
            step[idx] = cell_step;
        }
    }

    let mut path = Vec::new();
    let (mut i, mut j) = (n, band.m);
    while i > 0 || j > 0 {
        let k = back[at(i, j)];
        assert!(k != u8::MAX, "band search reached the end without a path");
        let (di, dj) = MOVES[k as usize];
        path.push((
            Bead {
                a: i - di..i,
                b: j - dj..j,
            },
            step[at(i, j)],
        ));
        i -= di;
        j -= dj;
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_cheap_diagonal() {
        let path = best_path(
            3,
            3,
            |_, _, di, dj, _| if (di, dj) == (1, 1) { 0.0 } else { 1.0 },
        );
        assert_eq!(path.len(), 3);
        assert!(path.iter().all(|(b, c)| b.shape() == (1, 1) && *c == 0.0));
    }

    #[test]
    fn empty_sides() {
        assert!(best_path(0, 0, |_, _, _, _, _| 0.0).is_empty());
        let p = best_path(0, 2, |_, _, _, _, _| 1.0);
        assert_eq!(
            p,
            vec![
                (Bead { a: 0..0, b: 0..1 }, 1.0),
                (Bead { a: 0..0, b: 1..2 }, 1.0)
            ]
        );
    }

    #[test]
    fn three_paragraphs_translated_as_two_are_one_bead_where_it_is_cheaper() {
        // Side a's 1..4 translate side b's 1..3; the search itself makes 2-1 then 1-1.
        let cost = |cheap_wide: bool| {
            move |i: usize, j: usize, di: usize, dj: usize, _: f64| match (i, j, di, dj) {
                (1, 1, 1, 1) | (5, 4, 1, 1) => 0.0,
                (3, 2, 2, 1) | (4, 3, 1, 1) => 1.0,
                (4, 3, 3, 2) if cheap_wide => 1.5,
                (4, 3, 3, 2) => 2.5,
                _ => 9.0,
            }
        };
        let beads = |p: Vec<(Bead, f64)>| p.into_iter().map(|(b, _)| b).collect::<Vec<_>>();
        let bead = |a: Range<usize>, b: Range<usize>| Bead { a, b };
        assert_eq!(
            beads(best_path(5, 4, cost(true))),
            [bead(0..1, 0..1), bead(1..4, 1..3), bead(4..5, 3..4)]
        );
        // Dearer than the two beads apart: they stay.
        assert_eq!(
            beads(best_path(5, 4, cost(false))),
            [
                bead(0..1, 0..1),
                bead(1..3, 1..2),
                bead(3..4, 2..3),
                bead(4..5, 3..4)
            ]
        );
    }

    #[test]
    fn widens_band_for_a_long_insertion() {
        // 100 paragraphs on side b with no counterpart before the 10 that match.
        let (n, m) = (10, 110);
        let path = best_path(n, m, |i, j, di, dj, _| match (di, dj) {
            (1, 1) if j == i + 100 => 0.0,
            (0, 1) => 0.1,
            (1, 0) => 0.1,
            _ => 50.0,
        });
        let ones: Vec<_> = path
            .iter()
            .map(|(b, _)| b)
            .filter(|b| b.shape() == (1, 1))
            .collect();
        assert_eq!(ones.len(), 10);
        assert!(ones.iter().all(|b| b.b.start == b.a.start + 100));
    }
}
