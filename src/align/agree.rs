//! Merges that every other version splits. A pair's DP can join two paragraphs of each
//! side into one bead where they are two translations side by side: the joined word bags
//! also match across, and the length of the whole fits better than each half. The other
//! versions are independent witnesses: composing the pair's alignments with a third
//! version, x → w → y, links each of x's paragraphs to y's. Where every witness (at least
//! [`MIN_WITNESSES`]) cuts a bead the same way into smaller beads, each with paragraphs on
//! both sides, the bead is split into them. On news12 and news10 such beads were all wrong
//! but one, and their parts right.

use super::PairLadder;
use super::dp::Bead;
use crate::text::Lang;
use std::ops::Range;

/// The fewest witnesses that must agree: one alone is one more alignment against the
/// pair's own.
const MIN_WITNESSES: usize = 2;

/// Split, in every pair's ladder, each bead of more than one paragraph on a side that all
/// the other versions cut into the same smaller beads. Each part keeps the bead's
/// confidence. Every ladder is read as it was before any is changed.
pub(super) fn split_agreed_merges(pairs: &mut [PairLadder]) {
    let index = Index::new(pairs);
    let splits: Vec<Vec<(usize, Vec<Bead>)>> = pairs
        .iter()
        .map(|ladder| {
            let witnesses: Vec<Lang> = index
                .langs
                .iter()
                .copied()
                .filter(|&w| w != ladder.x && w != ladder.y)
                .collect();
            if witnesses.len() < MIN_WITNESSES {
                return Vec::new();
            }
            ladder
                .beads
                .iter()
                .enumerate()
                .filter(|(_, b)| b.a.len() > 1 || b.b.len() > 1)
                .filter_map(|(k, b)| {
                    agreed_parts(&index, (ladder.x, ladder.y), b, &witnesses).map(|p| (k, p))
                })
                .collect()
        })
        .collect();
    for (ladder, splits) in pairs.iter_mut().zip(splits) {
        for (k, parts) in splits.into_iter().rev() {
            let c = ladder.confidence[k];
            let n = parts.len();
            ladder.beads.splice(k..k + 1, parts);
            ladder
                .confidence
                .splice(k..k + 1, std::iter::repeat_n(c, n));
        }
    }
}

/// The parts of bead `b` of pair (x, y) that every witness gives, if they agree and cut it.
fn agreed_parts(
    index: &Index,
    (x, y): (Lang, Lang),
    b: &Bead,
    witnesses: &[Lang],
) -> Option<Vec<Bead>> {
    let mut agreed: Option<Vec<Bead>> = None;
    for &w in witnesses {
        let parts = parts_through(index, (x, y), w, b)?;
        match &agreed {
            None => agreed = Some(parts),
            Some(a) if *a == parts => {}
            Some(_) => return None,
        }
    }
    agreed.filter(|parts| parts.len() > 1)
}

/// Bead `b` of pair (x, y) cut as the composition x → w → y links its paragraphs: the
/// groups its links connect, in order; None if w lacks a ladder with x or y, or a group
/// is not a bead of paragraphs on both sides.
fn parts_through(index: &Index, (x, y): (Lang, Lang), w: Lang, b: &Bead) -> Option<Vec<Bead>> {
    let (n, m) = (b.a.len(), b.b.len());
    // Union-find over the bead's paragraphs: x's first, then y's.
    let mut parent: Vec<usize> = (0..n + m).collect();
    fn root(parent: &mut [usize], mut v: usize) -> usize {
        while parent[v] != v {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        v
    }
    for (i, p) in b.a.clone().enumerate() {
        for q in index.linked(x, w, p)? {
            for r in index.linked(w, y, q)? {
                if b.b.contains(&r) {
                    let (u, v) = (root(&mut parent, i), root(&mut parent, n + r - b.b.start));
                    parent[u] = v;
                }
            }
        }
    }
    // Each group's paragraphs of each side, which must be runs.
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut group_of = vec![usize::MAX; n + m];
    for v in 0..n + m {
        let r = root(&mut parent, v);
        if group_of[r] == usize::MAX {
            group_of[r] = groups.len();
            groups.push((Vec::new(), Vec::new()));
        }
        let g = &mut groups[group_of[r]];
        if v < n {
            g.0.push(b.a.start + v);
        } else {
            g.1.push(b.b.start + v - n);
        }
    }
    let run = |v: &[usize]| -> Option<Range<usize>> {
        let (&first, &last) = (v.first()?, v.last()?);
        (last - first + 1 == v.len()).then_some(first..last + 1)
    };
    let mut parts: Vec<Bead> = groups
        .iter()
        .map(|(a, c)| {
            Some(Bead {
                a: run(a)?,
                b: run(c)?,
            })
        })
        .collect::<Option<_>>()?;
    parts.sort_by_key(|p| p.a.start);
    // Monotone on side b too: each part starts where the one before ends.
    let monotone = parts.windows(2).all(|w| w[0].b.end == w[1].b.start);
    monotone.then_some(parts)
}

/// For every ladder and side, the bead that holds each paragraph.
struct Index<'a> {
    pairs: &'a [PairLadder],
    langs: Vec<Lang>,
    /// Per ladder: bead index of each paragraph of x, and of y.
    bead_of: Vec<[Vec<usize>; 2]>,
}

impl<'a> Index<'a> {
    fn new(pairs: &'a [PairLadder]) -> Index<'a> {
        let mut langs: Vec<Lang> = pairs.iter().flat_map(|p| [p.x, p.y]).collect();
        langs.sort();
        langs.dedup();
        let bead_of = pairs
            .iter()
            .map(|p| {
                let side = |range: fn(&Bead) -> &Range<usize>| {
                    let len = p.beads.iter().map(|b| range(b).end).max().unwrap_or(0);
                    let mut of = vec![usize::MAX; len];
                    for (k, b) in p.beads.iter().enumerate() {
                        for q in range(b).clone() {
                            of[q] = k;
                        }
                    }
                    of
                };
                [side(|b| &b.a), side(|b| &b.b)]
            })
            .collect();
        Index {
            pairs,
            langs,
            bead_of,
        }
    }

    /// The paragraphs of `to` that paragraph `p` of `from` shares a bead with; None
    /// without a ladder of the two.
    fn linked(&self, from: Lang, to: Lang, p: usize) -> Option<Range<usize>> {
        let (k, ladder) = self
            .pairs
            .iter()
            .enumerate()
            .find(|(_, l)| (l.x, l.y) == (from, to) || (l.x, l.y) == (to, from))?;
        let forward = ladder.x == from;
        let bead = *self.bead_of[k][usize::from(!forward)].get(p)?;
        let bead = ladder.beads.get(bead)?;
        Some(if forward {
            bead.b.clone()
        } else {
            bead.a.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(a: Range<usize>, b: Range<usize>) -> Bead {
        Bead { a, b }
    }

    fn ladder(x: Lang, y: Lang, beads: Vec<Bead>) -> PairLadder {
        let confidence = vec![0.5; beads.len()];
        PairLadder {
            x,
            y,
            beads,
            confidence,
        }
    }

    fn diagonal(n: usize) -> Vec<Bead> {
        (0..n).map(|k| bead(k..k + 1, k..k + 1)).collect()
    }

    /// en-de joins paragraphs 1 and 2 of each; four versions.
    fn joined(witness_fr: Vec<Bead>) -> Vec<PairLadder> {
        use Lang::*;
        let merged = vec![bead(0..1, 0..1), bead(1..3, 1..3), bead(3..4, 3..4)];
        vec![
            ladder(En, De, merged),
            ladder(En, Es, diagonal(4)),
            ladder(En, Fr, witness_fr),
            ladder(De, Es, diagonal(4)),
            ladder(De, Fr, diagonal(4)),
            ladder(Es, Fr, diagonal(4)),
        ]
    }

    #[test]
    fn a_merge_every_witness_splits_is_split() {
        let mut pairs = joined(diagonal(4));
        split_agreed_merges(&mut pairs);
        assert_eq!(pairs[0].beads, diagonal(4));
        assert_eq!(pairs[0].confidence, vec![0.5; 4]);
        // The other ladders had nothing to split.
        assert!(pairs[1..].iter().all(|p| p.beads == diagonal(4)));
    }

    #[test]
    fn a_merge_one_witness_keeps_is_kept() {
        // en-fr joins them too: through fr, en 1-2 go with de 1-2 as a whole.
        let fr = vec![bead(0..1, 0..1), bead(1..3, 1..3), bead(3..4, 3..4)];
        let mut pairs = joined(fr.clone());
        let before = pairs[0].beads.clone();
        split_agreed_merges(&mut pairs);
        assert_eq!(pairs[0].beads, before);
        // en-fr's own merge: witness es splits it, witness de (through en-de's) does not.
        assert_eq!(pairs[2].beads, fr);
    }

    #[test]
    fn a_cut_leaving_a_paragraph_alone_is_not_taken() {
        use Lang::*;
        // en-de joins en 1-2 with de 1; the witnesses pair en 1 with their 1 and leave
        // en 2 without a counterpart.
        let merged = vec![bead(0..1, 0..1), bead(1..3, 1..2), bead(3..4, 2..3)];
        let with_gap = || {
            vec![
                bead(0..1, 0..1),
                bead(1..2, 1..2),
                bead(2..3, 2..2),
                bead(3..4, 2..3),
            ]
        };
        let mut pairs = vec![
            ladder(En, De, merged.clone()),
            ladder(En, Es, with_gap()),
            ladder(En, Fr, with_gap()),
            ladder(De, Es, diagonal(3)),
            ladder(De, Fr, diagonal(3)),
            ladder(Es, Fr, diagonal(3)),
        ];
        split_agreed_merges(&mut pairs);
        assert_eq!(pairs[0].beads, merged);
    }

    #[test]
    fn three_versions_give_one_witness_and_change_nothing() {
        use Lang::*;
        let mut pairs = vec![
            ladder(En, De, vec![bead(0..2, 0..2)]),
            ladder(En, Fr, diagonal(2)),
            ladder(De, Fr, diagonal(2)),
        ];
        split_agreed_merges(&mut pairs);
        assert_eq!(pairs[0].beads, vec![bead(0..2, 0..2)]);
    }
}
