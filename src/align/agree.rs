//! What the other versions agree on. A pair's DP weighs two versions alone; every other
//! version is a witness: composing the pair's alignments with a third version, x → w → y,
//! links each of x's paragraphs to y's. Where every witness (at least [`MIN_WITNESSES`])
//! says the same, and the pair's own ladder differs, the witnesses win:
//!
//! - a merge they all cut the same way into smaller beads, each with paragraphs on both
//!   sides, is split into them. A pair's DP can join two paragraphs of each side where
//!   they are two translations side by side: the joined word bags also match across, and
//!   the length of the whole fits better than each half's;
//! - a paragraph left unaligned that they all link into the next or the previous bead
//!   joins it. A short piece of a merge (a headline, a one-sentence question) carries too
//!   little length and word evidence for the DP to join it.
//!
//! On news12 and news10, the beads that agreement changes are mostly wrong and what it
//! makes of them mostly right (see the commit that added each rule).

use super::PairLadder;
use super::dp::Bead;
use super::merge::UnionFind;
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
            let witnesses = index.witnesses(ladder);
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
    unanimous(
        witnesses
            .iter()
            .map(|&w| parts_through(index, (x, y), w, b)),
    )
    .filter(|parts| parts.len() > 1)
}

/// The answer every witness gives, if each gives one and all give the same.
fn unanimous<T: PartialEq>(mut answers: impl Iterator<Item = Option<T>>) -> Option<T> {
    let first = answers.next()??;
    answers.all(|a| a.as_ref() == Some(&first)).then_some(first)
}

/// Bead `b` of pair (x, y) cut as the composition x → w → y links its paragraphs: the
/// groups its links connect, in order; None if w lacks a ladder with x or y, or a group
/// is not a bead of paragraphs on both sides.
fn parts_through(index: &Index, (x, y): (Lang, Lang), w: Lang, b: &Bead) -> Option<Vec<Bead>> {
    let (n, m) = (b.a.len(), b.b.len());
    // The bead's paragraphs: x's first, then y's.
    let mut sets = UnionFind::new(n + m);
    for (i, p) in b.a.clone().enumerate() {
        for r in index.through(x, w, y, p)? {
            if b.b.contains(&r) {
                sets.union(i, n + r - b.b.start);
            }
        }
    }
    // Each group's paragraphs of each side, which must be runs.
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut group_of = vec![usize::MAX; n + m];
    for v in 0..n + m {
        let r = sets.find(v);
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

/// Join, in every pair's ladder, each paragraph left unaligned that all the other
/// versions link into a neighbouring bead (the bead before first): all link it to the
/// same paragraphs, and the neighbour holds them. The joined bead is as sure as the less
/// sure of the two. Witnesses read every ladder as it was before any is changed. Page
/// chrome (`chrome(lang, paragraph)`) stands alone, as it does in the DP: it joins nothing
/// and is joined by nothing.
pub(super) fn join_agreed_orphans(pairs: &mut [PairLadder], chrome: impl Fn(Lang, usize) -> bool) {
    let index = Index::new(pairs);
    let joined: Vec<Option<(Vec<Bead>, Vec<f64>)>> = pairs
        .iter()
        .map(|ladder| {
            let witnesses = index.witnesses(ladder);
            if witnesses.len() < MIN_WITNESSES {
                return None;
            }
            let (mut beads, mut confidence) = (ladder.beads.clone(), ladder.confidence.clone());
            let mut changed = false;
            let mut k = 0;
            while k < beads.len() {
                if let Some(nb) = orphan_home(&index, ladder, &witnesses, &beads, k, &chrome) {
                    let lo = k.min(nb);
                    let (first, second) = (&beads[lo], &beads[lo + 1]);
                    let bead = Bead {
                        a: union(&first.a, &second.a),
                        b: union(&first.b, &second.b),
                    };
                    let c = confidence[lo].min(confidence[lo + 1]);
                    beads.splice(lo..lo + 2, [bead]);
                    confidence.splice(lo..lo + 2, [c]);
                    changed = true;
                    k = lo;
                }
                k += 1;
            }
            changed.then_some((beads, confidence))
        })
        .collect();
    for (ladder, joined) in pairs.iter_mut().zip(joined) {
        if let Some((beads, confidence)) = joined {
            ladder.beads = beads;
            ladder.confidence = confidence;
        }
    }
}

/// Two neighbouring runs as one; an empty one (which may stand anywhere) adds nothing.
fn union(r: &Range<usize>, s: &Range<usize>) -> Range<usize> {
    match (r.is_empty(), s.is_empty()) {
        (true, _) => s.clone(),
        (_, true) => r.clone(),
        _ => r.start.min(s.start)..r.end.max(s.end),
    }
}

/// The neighbour of bead k (k - 1 or k + 1) that bead k, one paragraph left unaligned,
/// joins: every witness links the paragraph to the same paragraphs of the other side,
/// all in the neighbour, and the two beads make a bead of runs.
fn orphan_home(
    index: &Index,
    ladder: &PairLadder,
    witnesses: &[Lang],
    beads: &[Bead],
    k: usize,
    chrome: &impl Fn(Lang, usize) -> bool,
) -> Option<usize> {
    let b = &beads[k];
    let holds_chrome = |b: &Bead| {
        b.a.clone().any(|p| chrome(ladder.x, p)) || b.b.clone().any(|p| chrome(ladder.y, p))
    };
    if holds_chrome(b) {
        return None;
    }
    // From x to y, or from y to x.
    let (from, to, p) = match b.shape() {
        (1, 0) => (ladder.x, ladder.y, b.a.start),
        (0, 1) => (ladder.y, ladder.x, b.b.start),
        _ => return None,
    };
    let target = unanimous(witnesses.iter().map(|&w| index.through(from, w, to, p)))
        .filter(|t| !t.is_empty())?;
    let other = |n: &Bead| {
        if from == ladder.x {
            n.b.clone()
        } else {
            n.a.clone()
        }
    };
    let same = |n: &Bead| {
        if from == ladder.x {
            n.a.clone()
        } else {
            n.b.clone()
        }
    };
    let neighbours = [k.checked_sub(1), Some(k + 1).filter(|&n| n < beads.len())];
    let nb = neighbours.into_iter().flatten().find(|&n| {
        let o = other(&beads[n]);
        !o.is_empty() && target.iter().all(|t| o.contains(t)) && !holds_chrome(&beads[n])
    })?;
    // The paragraph and the neighbour's on its side make a run.
    let side = same(&beads[nb]);
    let adjacent = side.is_empty() || side.end == p || side.start == p + 1;
    adjacent.then_some(nb)
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

    /// The versions other than the ladder's two.
    fn witnesses(&self, ladder: &PairLadder) -> Vec<Lang> {
        let own = [ladder.x, ladder.y];
        self.langs
            .iter()
            .copied()
            .filter(|w| !own.contains(w))
            .collect()
    }

    /// The paragraphs of `to` that paragraph `p` of `from` reaches through the witness
    /// `w`'s paragraphs it shares a bead with, sorted, each once; None without ladders of
    /// `w` with both.
    fn through(&self, from: Lang, w: Lang, to: Lang, p: usize) -> Option<Vec<usize>> {
        let mut reached: Vec<usize> = Vec::new();
        for q in self.linked(from, w, p)? {
            reached.extend(self.linked(w, to, q)?);
        }
        reached.sort_unstable();
        reached.dedup();
        Some(reached)
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

    /// en 1 is a headline that en-de left unaligned; es says it goes with es 1, as en 2
    /// does; fr says so too if `fr_joins`, or leaves it unaligned.
    fn orphan(fr_joins: bool) -> Vec<PairLadder> {
        use Lang::*;
        let alone = vec![
            bead(0..1, 0..1),
            bead(1..2, 1..1),
            bead(2..3, 1..2),
            bead(3..4, 2..3),
        ];
        let joined = vec![bead(0..1, 0..1), bead(1..3, 1..2), bead(3..4, 2..3)];
        vec![
            ladder(En, De, alone.clone()),
            ladder(En, Es, joined.clone()),
            ladder(En, Fr, if fr_joins { joined } else { alone }),
            ladder(De, Es, diagonal(3)),
            ladder(De, Fr, diagonal(3)),
            ladder(Es, Fr, diagonal(3)),
        ]
    }

    #[test]
    fn an_orphan_every_witness_places_in_a_neighbour_joins_it() {
        let mut pairs = orphan(true);
        join_agreed_orphans(&mut pairs, |_, _| false);
        assert_eq!(
            pairs[0].beads,
            vec![bead(0..1, 0..1), bead(1..3, 1..2), bead(3..4, 2..3)]
        );
        assert_eq!(pairs[0].confidence, vec![0.5; 3]);
    }

    #[test]
    fn an_orphan_the_witnesses_disagree_on_stays_alone() {
        // fr leaves en 1 unaligned: es alone places it.
        let mut pairs = orphan(false);
        let before = pairs[0].beads.clone();
        join_agreed_orphans(&mut pairs, |_, _| false);
        assert_eq!(pairs[0].beads, before);
        // en-fr's own orphan: witness es places it, witness de leaves it alone.
        assert_eq!(pairs[2].beads, before);
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
