//! N-way merge: the pairwise links of every language with the pivot become units (connected
//! components over the pivot's paragraphs), and the alignment of every pair of languages is
//! derived from the same links, so the five versions stay mutually consistent.
//!
//! Paragraphs are nodes; a link joins a paragraph with a *connector*: a pivot paragraph, or,
//! where the pivot lacks a passage that other versions have, a paragraph of a secondary pivot.
//! Two paragraphs of languages X and Y are in one bead of pair X-Y when they reach each other
//! through connectors using only links of X and Y. Beads and units are closed into intervals
//! so that every bead covers consecutive paragraphs and the ladder stays monotone.

use super::dp::Bead;
use crate::text::{ByLang, Lang};
use std::ops::Range;

/// Paragraph counts of the versions of one statement, and the links between paragraphs.
#[derive(Clone, Debug)]
pub struct Links {
    /// Paragraph count per language; None where the version is absent.
    counts: ByLang<Option<usize>>,
    offsets: ByLang<usize>,
    total: usize,
    /// (paragraph node, connector node)
    edges: Vec<(usize, usize)>,
}

/// A group of paragraphs, one range per language (empty where it has none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub paras: ByLang<Range<usize>>,
}

impl Links {
    pub fn new(counts: ByLang<Option<usize>>) -> Links {
        let mut total = 0;
        let offsets = counts.map(|_, n| {
            let offset = total;
            total += n.unwrap_or(0);
            offset
        });
        Links {
            counts,
            offsets,
            total,
            edges: Vec::new(),
        }
    }

    pub fn count(&self, lang: Lang) -> Option<usize> {
        self.counts[lang]
    }

    fn node(&self, lang: Lang, para: usize) -> usize {
        debug_assert!(para < self.counts[lang].unwrap_or(0));
        self.offsets[lang] + para
    }

    fn lang_of(&self, node: usize) -> Lang {
        *Lang::ALL
            .iter()
            .rev()
            .find(|&&l| self.counts[l].is_some() && self.offsets[l] <= node)
            .expect("node belongs to a present language")
    }

    /// Link the paragraphs of `bead.b` (language `lang`) with the connector paragraphs of
    /// `bead.a` (language `connector`). Beads with an empty side add nothing.
    pub fn add_bead(&mut self, connector: Lang, lang: Lang, bead: &Bead) {
        for p in bead.a.clone() {
            for q in bead.b.clone() {
                let e = (self.node(lang, q), self.node(connector, p));
                self.edges.push(e);
            }
        }
    }

    /// Units: groups over all languages.
    pub fn units(&self) -> Vec<Group> {
        let langs: Vec<Lang> = self.counts.langs().collect();
        self.groups(&langs, |_| true)
    }

    /// The beads of pair (x, y), x on side a.
    pub fn pair(&self, x: Lang, y: Lang) -> Vec<Bead> {
        let uses = |n: usize| {
            let l = self.lang_of(n);
            l == x || l == y
        };
        self.groups(&[x, y], uses)
            .into_iter()
            .map(|g| Bead {
                a: g.paras[x].clone(),
                b: g.paras[y].clone(),
            })
            .collect()
    }

    /// Components of the links whose paragraph end satisfies `keep`, restricted to `langs`,
    /// closed into intervals and put in an order that is monotone in every language.
    fn groups(&self, langs: &[Lang], keep: impl Fn(usize) -> bool) -> Vec<Group> {
        let mut uf = UnionFind::new(self.total);
        for &(p, c) in &self.edges {
            if keep(p) {
                uf.union(p, c);
            }
        }
        loop {
            self.close_intervals(&mut uf, langs);
            match self.order(&mut uf, langs) {
                Ok(groups) => return groups,
                // Crossing components were merged: close and order again.
                Err(()) => continue,
            }
        }
    }

    /// Make every component cover consecutive paragraphs in each language.
    fn close_intervals(&self, uf: &mut UnionFind, langs: &[Lang]) {
        loop {
            let mut changed = false;
            for &l in langs {
                let n = self.counts[l].unwrap_or(0);
                // last[root] = latest paragraph of this language seen in the component.
                let mut last: rustc_hash::FxHashMap<usize, usize> = Default::default();
                for p in 0..n {
                    let node = self.node(l, p);
                    let root = uf.find(node);
                    if let Some(&prev) = last.get(&root)
                        && prev + 1 < p
                    {
                        for q in prev + 1..p {
                            let other = self.node(l, q);
                            if uf.find(other) != root {
                                uf.union(other, node);
                                changed = true;
                            }
                        }
                    }
                    last.insert(uf.find(node), p);
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// Walk the languages in step, emitting a component once it is next in every language it
    /// has paragraphs in. When no component is next everywhere (components cross), the
    /// components at the heads are merged and Err is returned.
    fn order(&self, uf: &mut UnionFind, langs: &[Lang]) -> Result<Vec<Group>, ()> {
        let mut ranges: rustc_hash::FxHashMap<usize, ByLang<Range<usize>>> = Default::default();
        for &l in langs {
            for p in 0..self.counts[l].unwrap_or(0) {
                let root = uf.find(self.node(l, p));
                let r = &mut ranges.entry(root).or_default()[l];
                if r.start == r.end {
                    *r = p..p + 1;
                } else {
                    r.end = p + 1;
                }
            }
        }
        let mut head: ByLang<usize> = ByLang::default();
        let mut out = Vec::with_capacity(ranges.len());
        loop {
            let heads: Vec<usize> = langs
                .iter()
                .filter(|&&l| head[l] < self.counts[l].unwrap_or(0))
                .map(|&l| uf.find(self.node(l, head[l])))
                .collect();
            if heads.is_empty() {
                return Ok(out);
            }
            let ready = heads.iter().copied().find(|root| {
                let r = &ranges[root];
                langs
                    .iter()
                    .all(|l| r[l].is_empty() || r[l].start == head[l])
            });
            match ready {
                Some(root) => {
                    let r = ranges[&root].clone();
                    for &l in langs {
                        if !r[l].is_empty() {
                            head[l] = r[l].end;
                        }
                    }
                    out.push(Group { paras: r });
                }
                None => {
                    for w in heads.windows(2) {
                        uf.union(w[0], w[1]);
                    }
                    return Err(());
                }
            }
        }
    }
}

/// Disjoint sets over 0..n: the components of links.
pub(super) struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    pub(super) fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    pub(super) fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// The smaller root wins, so components do not depend on the order of unions.
    pub(super) fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(a: Range<usize>, b: Range<usize>) -> Bead {
        Bead { a, b }
    }

    #[test]
    fn composes_through_the_pivot() {
        // en 0..3; ru merges en 1+2; de splits en 1.
        let mut links = Links::new(ByLang::new([Some(3), Some(2), Some(4), None, None]));
        for b in [bead(0..1, 0..1), bead(1..3, 1..2)] {
            links.add_bead(Lang::En, Lang::Ru, &b);
        }
        for b in [bead(0..1, 0..1), bead(1..2, 1..3), bead(2..3, 3..4)] {
            links.add_bead(Lang::En, Lang::De, &b);
        }
        assert_eq!(
            links.pair(Lang::En, Lang::Ru),
            vec![bead(0..1, 0..1), bead(1..3, 1..2)]
        );
        assert_eq!(
            links.pair(Lang::Ru, Lang::De),
            vec![bead(0..1, 0..1), bead(1..2, 1..4)]
        );
        let units = links.units();
        assert_eq!(units.len(), 2);
        assert_eq!(units[1].paras[Lang::De], 1..4);
    }

    #[test]
    fn unlinked_paragraphs_stay_alone_and_in_order() {
        let mut links = Links::new(ByLang::new([Some(3), Some(3), None, None, None]));
        links.add_bead(Lang::En, Lang::Ru, &bead(0..1, 0..1));
        links.add_bead(Lang::En, Lang::Ru, &bead(2..3, 2..3));
        assert_eq!(
            links.pair(Lang::En, Lang::Ru),
            vec![
                bead(0..1, 0..1),
                bead(1..2, 0..0),
                bead(0..0, 1..2),
                bead(2..3, 2..3)
            ]
        );
    }
}
