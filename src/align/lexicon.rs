//! A translation lexicon learned from the corpus being aligned: words that keep turning up
//! in the two halves of confident 1-1 beads are taken for translations of each other. No
//! dictionary or model is needed, and the lexicon fits the domain of the corpus.

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// A word must occur in at least this many beads before its translation is trusted.
const MIN_COUNT: u32 = 2;
/// Minimum Dice association between a word and its translation.
const MIN_DICE: f64 = 0.3;

/// Maps word ids of one language to word ids of the pivot.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    to_pivot: HashMap<u64, u64>,
    pivot_words: HashSet<u64>,
}

impl Lexicon {
    /// Learn from beads given as (pivot words, other-language words) of each side.
    pub fn learn<'a, I>(beads: I) -> Lexicon
    where
        I: IntoIterator<Item = (&'a [u64], &'a [u64])> + Clone,
    {
        // Pass 1: how many beads each word occurs in.
        let mut pivot_count: HashMap<u64, u32> = HashMap::default();
        let mut other_count: HashMap<u64, u32> = HashMap::default();
        for (p, o) in beads.clone() {
            for w in unique(p) {
                *pivot_count.entry(w).or_default() += 1;
            }
            for w in unique(o) {
                *other_count.entry(w).or_default() += 1;
            }
        }
        // Pass 2: co-occurrence, only of words frequent enough to matter, numbered densely:
        // for each other-language word, the pivot words of the beads it occurs in are
        // counted in an array, a word at a time (in parallel), rather than every pair of
        // words in one hash map far larger than the cache.
        let pivot = Dense::of(pivot_count);
        let other = Dense::of(other_count);
        let mut bead_pivots: Vec<Vec<u32>> = Vec::new();
        let mut beads_of: Vec<Vec<u32>> = vec![Vec::new(); other.words.len()];
        for (k, (p, o)) in beads.into_iter().enumerate() {
            bead_pivots.push(
                unique(p)
                    .filter_map(|w| pivot.ids.get(&w).copied())
                    .collect(),
            );
            for w in unique(o) {
                if let Some(&id) = other.ids.get(&w) {
                    beads_of[id as usize].push(k as u32);
                }
            }
        }
        let best: Vec<Option<(u64, u64)>> = (0..other.words.len())
            .into_par_iter()
            .map_init(
                || (vec![0u32; pivot.words.len()], Vec::new()),
                |(counts, touched), id| {
                    for &k in &beads_of[id] {
                        for &t in &bead_pivots[k as usize] {
                            if counts[t as usize] == 0 {
                                touched.push(t);
                            }
                            counts[t as usize] += 1;
                        }
                    }
                    let w = other.words[id];
                    best_associated(other.count[&w], &pivot, counts, touched).map(|t| (w, t))
                },
            )
            .collect();
        let to_pivot: HashMap<u64, u64> = best.into_iter().flatten().collect();
        let pivot_words = to_pivot.values().copied().collect();
        Lexicon {
            to_pivot,
            pivot_words,
        }
    }

    /// A lexicon of (word, pivot word) entries, as [`Lexicon::entries`] gives them.
    pub fn from_entries(entries: &[(u64, u64)]) -> Lexicon {
        let to_pivot: HashMap<u64, u64> = entries.iter().copied().collect();
        let pivot_words = to_pivot.values().copied().collect();
        Lexicon {
            to_pivot,
            pivot_words,
        }
    }

    /// The pivot word a word of the other language translates to.
    pub fn translate(&self, w: u64) -> Option<u64> {
        self.to_pivot.get(&w).copied()
    }

    /// Is this pivot word the translation of some word?
    pub fn knows_pivot(&self, t: u64) -> bool {
        self.pivot_words.contains(&t)
    }

    /// The entries, sorted: (word, pivot word).
    pub fn entries(&self) -> Vec<(u64, u64)> {
        let mut v: Vec<(u64, u64)> = self.to_pivot.iter().map(|(&w, &t)| (w, t)).collect();
        v.sort_unstable();
        v
    }

    pub fn len(&self) -> usize {
        self.to_pivot.len()
    }

    pub fn is_empty(&self) -> bool {
        self.to_pivot.is_empty()
    }
}

fn unique(words: &[u64]) -> impl Iterator<Item = u64> {
    let mut v = words.to_vec();
    v.sort_unstable();
    v.dedup();
    v.into_iter()
}

/// The words of one side seen often enough to matter, numbered densely in their order.
struct Dense {
    /// Beads each word occurs in.
    count: HashMap<u64, u32>,
    ids: HashMap<u64, u32>,
    words: Vec<u64>,
}

impl Dense {
    fn of(count: HashMap<u64, u32>) -> Dense {
        let mut words: Vec<u64> = count
            .iter()
            .filter(|&(_, &c)| c >= MIN_COUNT)
            .map(|(&w, _)| w)
            .collect();
        words.sort_unstable();
        let ids = words
            .iter()
            .enumerate()
            .map(|(k, &w)| (w, k as u32))
            .collect();
        Dense { count, ids, words }
    }
}

/// The pivot word best associated (Dice) with a word of `w_count` beads, from its
/// co-occurrence counts with the pivot words `touched`; the counts are reset. Ties go to the
/// smaller word, so the result does not depend on the order of counting.
fn best_associated(
    w_count: u32,
    pivot: &Dense,
    counts: &mut [u32],
    touched: &mut Vec<u32>,
) -> Option<u64> {
    let mut best: Option<(f64, u64)> = None;
    for &t in touched.iter() {
        let c = std::mem::take(&mut counts[t as usize]);
        if c < MIN_COUNT {
            continue;
        }
        let tw = pivot.words[t as usize];
        let dice = 2.0 * c as f64 / (w_count + pivot.count[&tw]) as f64;
        if dice < MIN_DICE {
            continue;
        }
        if best.is_none_or(|(d, bt)| dice > d || (dice == d && tw < bt)) {
            best = Some((dice, tw));
        }
    }
    touched.clear();
    best.map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_consistent_cooccurrence() {
        // pivot words 1..=4, other words 11..=14; 11 always with 1, 12 with 2, ...
        let beads: Vec<(Vec<u64>, Vec<u64>)> = (0..20)
            .map(|k| {
                let a = 1 + (k % 4);
                let b = 1 + ((k / 4) % 4);
                (vec![a, b], vec![a + 10, b + 10])
            })
            .collect();
        let lex = Lexicon::learn(beads.iter().map(|(p, o)| (p.as_slice(), o.as_slice())));
        for w in 1..=4 {
            assert_eq!(lex.translate(w + 10), Some(w));
            assert!(lex.knows_pivot(w));
        }
        assert_eq!(lex.translate(99), None);
    }
}
