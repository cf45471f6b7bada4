//! A statement's features numbered once. Every anchor and every word in the pivot's word
//! space (pivot words as they are, other languages' words through their lexicon) gets a
//! small dense id, and each paragraph becomes a sorted list of (id, count). The pairs of the
//! statement then count and weigh features in arrays, with no hashing of their own.

use super::CorpusModel;
use super::DocFeatures;
use crate::text::{ByLang, Lang};
use rustc_hash::FxHashMap as HashMap;

/// A paragraph's features: (dense id, occurrences), sorted by id.
pub type ParaIds = Vec<(u32, u32)>;

/// Which languages a feature may be compared with when it stands on the pivot's side: an
/// anchor always, a pivot word only where that language's lexicon translates some word to
/// it (a pivot word nothing translates to could only ever count against a bead).
const ALL_LANGS: u8 = 0b1_1111;

#[derive(Debug)]
pub struct FeatureIndex {
    /// Per language, per paragraph.
    versions: ByLang<Option<Vec<ParaIds>>>,
    /// Per id: the languages it is compared with on the pivot's side, a bit per language.
    pivot_mask: Vec<u8>,
    /// The model's pivot: the one side whose words are filtered by `pivot_mask`.
    pivot: Lang,
}

impl FeatureIndex {
    /// Number the features of every present version of `doc` under `model`.
    pub fn new(doc: &DocFeatures, model: &CorpusModel) -> FeatureIndex {
        let occurrences: usize = doc
            .versions
            .values()
            .flatten()
            .flatten()
            .map(|f| f.anchors.len() + f.words.len())
            .sum();
        let mut ids: HashMap<u64, u32> =
            HashMap::with_capacity_and_hasher(occurrences / 2, Default::default());
        let mut pivot_mask: Vec<u8> = Vec::new();
        let mut versions: ByLang<Option<Vec<ParaIds>>> = Default::default();
        let mut scratch: Vec<u32> = Vec::new();
        let mut tally = Tally::default();
        for l in Lang::ALL {
            let Some(paras) = &doc.versions[l] else {
                continue;
            };
            let mut intern = |key: u64, mask: &dyn Fn() -> u8| -> u32 {
                *ids.entry(key).or_insert_with(|| {
                    pivot_mask.push(mask());
                    (pivot_mask.len() - 1) as u32
                })
            };
            let numbered = paras
                .iter()
                .map(|f| {
                    scratch.clear();
                    for &a in &f.anchors {
                        scratch.push(intern(a, &|| ALL_LANGS));
                    }
                    if l == model.pivot {
                        for &w in &f.words {
                            scratch.push(intern(w, &|| model.known_mask(w)));
                        }
                    } else if let Some(lex) = &model.lexicon[l] {
                        for t in f.words.iter().filter_map(|&w| lex.translate(w)) {
                            scratch.push(intern(t, &|| model.known_mask(t)));
                        }
                    }
                    tally.counted(&scratch)
                })
                .collect();
            versions[l] = Some(numbered);
        }
        FeatureIndex {
            versions,
            pivot_mask,
            pivot: model.pivot,
        }
    }

    /// Number of distinct features.
    pub fn len(&self) -> usize {
        self.pivot_mask.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pivot_mask.is_empty()
    }

    /// Version `l`'s paragraphs as they are compared with version `other`.
    pub fn side(&self, l: Lang, other: Lang) -> Side<'_> {
        Side {
            paras: self.versions[l].as_deref().unwrap_or_default(),
            filter: (l == self.pivot).then(|| (self.pivot_mask.as_slice(), other.bit())),
        }
    }
}

/// One side of a pair: its paragraphs' features, filtered when it is the pivot.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    paras: &'a [ParaIds],
    filter: Option<(&'a [u8], u8)>,
}

impl<'a> Side<'a> {
    pub fn len(&self) -> usize {
        self.paras.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paras.is_empty()
    }

    /// How many features paragraph `k` has before filtering: at least as many as count.
    pub fn unfiltered_len(&self, k: usize) -> usize {
        self.paras[k].len()
    }

    /// The features of paragraph `k` that count, as (id, occurrences), sorted by id.
    pub fn features(&self, k: usize) -> impl Iterator<Item = (u32, u32)> + 'a {
        let filter = self.filter;
        self.paras[k]
            .iter()
            .copied()
            .filter(move |&(id, _)| filter.is_none_or(|(mask, bit)| mask[id as usize] & bit != 0))
    }
}

/// Counts a paragraph's dense ids in arrays over the statement's ids, and reads them back
/// in id order from a bitset: no sort, which was a third of numbering a statement.
#[derive(Default)]
struct Tally {
    /// Occurrences of each id in the paragraph being counted; all zero between paragraphs.
    counts: Vec<u32>,
    /// A bit per id present in that paragraph; all zero between paragraphs.
    present: Vec<u64>,
}

impl Tally {
    /// Sorted (id, occurrences) of `ids`.
    fn counted(&mut self, ids: &[u32]) -> ParaIds {
        let len = ids.iter().max().map_or(0, |&m| m as usize + 1);
        if self.counts.len() < len {
            self.counts.resize(len, 0);
            self.present.resize(len.div_ceil(64), 0);
        }
        let (mut lo, mut hi) = (usize::MAX, 0);
        let mut distinct = 0;
        for &id in ids {
            let (word, bit) = (id as usize / 64, 1u64 << (id % 64));
            if self.present[word] & bit == 0 {
                self.present[word] |= bit;
                distinct += 1;
                lo = lo.min(word);
                hi = hi.max(word);
            }
            self.counts[id as usize] += 1;
        }
        let mut out: ParaIds = Vec::with_capacity(distinct);
        for word in lo..hi.saturating_add(1).min(self.present.len()) {
            let mut bits = std::mem::take(&mut self.present[word]);
            while bits != 0 {
                let id = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                out.push((id as u32, std::mem::take(&mut self.counts[id])));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The tally gives what sorting and counting runs gives, paragraph after paragraph
        /// with one tally (its arrays must be left clean).
        #[test]
        fn tally_counts_as_sorting_does(paras in prop::collection::vec(
            prop::collection::vec(0u32..300, 0..80), 1..6)) {
            let mut tally = Tally::default();
            for ids in paras {
                let mut sorted = ids.clone();
                sorted.sort_unstable();
                let mut expected: ParaIds = Vec::new();
                for id in sorted {
                    match expected.last_mut() {
                        Some((last, n)) if *last == id => *n += 1,
                        _ => expected.push((id, 1)),
                    }
                }
                prop_assert_eq!(tally.counted(&ids), expected);
            }
        }
    }
}
