//! The lexical model of one direction, P(T | S): a mixture, per class of the target token,
//! of the background unigram p(t) and of components that explain t from the source
//! sentence's types — an IBM Model 1 translation table learned by EM, identity (the same
//! number, punctuation or folded word), cognates (the same folded prefix) and optionally an
//! external table (a prior model's lexicon).
//!
//! EM runs on arrays: every co-occurring (source type, target type) cell of the training
//! pairs is numbered once. The mixture weights are estimated by deleted interpolation, on
//! held-out folds scored with a lexicon trained without them: in-sample EM lets the
//! lexicon explain everything it memorised and leaves almost no weight to the background.

use super::tokens::{CLASSES, Types};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

pub(super) const COMPONENTS: usize = 5;
pub(super) const BACKGROUND: usize = 0;
pub(super) const LEXICON: usize = 1;
pub(super) const IDENTITY: usize = 2;
pub(super) const COGNATE: usize = 3;
pub(super) const EXTERNAL: usize = 4;

/// EM iterations of each training.
const EM_ITERATIONS: usize = 5;
/// Folds of the deleted interpolation.
pub(super) const FOLDS: usize = 5;
/// Translation probabilities below this are dropped from the table: the rest of a row
/// changes no bead of news12 or news10, and every unit reads the rows of its words.
const MIN_PROB: f64 = 1e-3;

/// A row of a translation table: target types with t(t | s), sorted by type.
pub(super) type Row = Vec<(u32, f32)>;

/// Mixture weights, per class of the target token.
pub(super) type Alpha = [[f64; COMPONENTS]; CLASSES];

/// One training pair: the tokens of a source and of a target sentence.
pub(super) type Pair = (Vec<u32>, Vec<u32>);

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Direction {
    pub alpha: Alpha,
    /// t(t | s), a row per source type (empty when nothing was learned).
    pub lexicon: Vec<Row>,
    /// A prior model's table, in this model's types.
    pub external: Option<Vec<Row>>,
}

impl Direction {
    /// Before anything is learned: identity and cognates with a share each (only a start),
    /// the external table with half the background's.
    pub(super) fn initial(external: Option<Vec<Row>>) -> Direction {
        let mut a = [1.0, 0.0, 0.1, 0.1, 0.0];
        let s: f64 = a.iter().sum();
        for x in a.iter_mut() {
            *x /= s;
        }
        if external.is_some() {
            a[EXTERNAL] = a[BACKGROUND] * 0.5;
            a[BACKGROUND] *= 0.5;
        }
        Direction {
            alpha: [a; CLASSES],
            lexicon: Vec::new(),
            external,
        }
    }

    fn on(&self, k: usize) -> bool {
        self.alpha.iter().any(|a| a[k] > 0.0)
    }

    fn row(&self, k: usize, s: u32) -> &[(u32, f32)] {
        let table = match k {
            LEXICON => Some(&self.lexicon),
            _ => self.external.as_ref(),
        };
        table
            .and_then(|t| t.get(s as usize))
            .map_or(&[], Vec::as_slice)
    }

    /// Every component's share of the unit's target types that source type `s` explains:
    /// `f(local target, component, value)`, component by component.
    pub(super) fn explain(
        &self,
        s: u32,
        src: &Types,
        targets: &Targets,
        mut f: impl FnMut(u32, usize, f64),
    ) {
        for k in [LEXICON, IDENTITY, COGNATE, EXTERNAL] {
            if !self.on(k) {
                continue;
            }
            match k {
                LEXICON | EXTERNAL => targets.each_in_row(self.row(k, s), |l, p| f(l, k, p)),
                _ => {
                    let key = if k == IDENTITY {
                        src.identity(s)
                    } else {
                        src.cognate(s)
                    };
                    if let Some((share, group)) = targets.group(key, k == COGNATE) {
                        for g in group {
                            f(g.local, k, share);
                        }
                    }
                }
            }
        }
    }

    /// Σ over the source tokens of the fixed components' share of target type `t`.
    fn fixed(&self, src_toks: &[u32], t: u32, src: &Types, tgt: &Types) -> [f64; COMPONENTS] {
        let mut out = [0.0; COMPONENTS];
        let (id, cog) = (tgt.identity(t), tgt.cognate(t));
        let (on_id, on_cog, on_ext) = (self.on(IDENTITY), self.on(COGNATE), self.on(EXTERNAL));
        for &s in src_toks {
            if on_id && id != 0 && src.identity(s) == id {
                out[IDENTITY] += 1.0 / tgt.sharing(id, false) as f64;
            }
            if on_cog && cog != 0 && src.cognate(s) == cog {
                out[COGNATE] += 1.0 / tgt.sharing(cog, true) as f64;
            }
            if on_ext {
                let row = self.row(EXTERNAL, s);
                if let Ok(ix) = row.binary_search_by_key(&t, |x| x.0) {
                    out[EXTERNAL] += row[ix].1 as f64;
                }
            }
        }
        out
    }

    /// Learn the table from `pairs` and, when `held_out`, the weights by deleted
    /// interpolation (`fold_of` says each pair's held-out fold); otherwise the weights
    /// stay as they were. The weights start equal over the components present.
    pub(super) fn train(
        &mut self,
        pairs: &[Pair],
        fold_of: &[usize],
        (src, tgt): (&Types, &Types),
        held_out: bool,
    ) {
        let previous = self.alpha;
        let n_present = 3 + self.external.is_some() as usize;
        let mut start = [0.0; COMPONENTS];
        for k in [BACKGROUND, IDENTITY, COGNATE] {
            start[k] = 1.0 / n_present as f64;
        }
        if self.external.is_some() {
            start[EXTERNAL] = 1.0 / n_present as f64;
        }
        self.alpha = [start; CLASSES];
        self.lexicon = Vec::new();
        if pairs.is_empty() {
            return;
        }
        let em = Em::new(self, pairs, src, tgt);
        // The lexicon takes half the background's share to start.
        for a in self.alpha.iter_mut() {
            a[LEXICON] = a[BACKGROUND] * 0.5;
            a[BACKGROUND] *= 0.5;
        }
        let start = self.alpha;
        let all: Vec<usize> = (0..pairs.len()).collect();
        let mut probs = em.uniform(&all);
        em.run(&mut self.alpha, &all, &mut probs);
        self.lexicon = em.rows(&probs);
        if !held_out {
            self.alpha = previous;
        } else if pairs.len() >= 2 * FOLDS {
            self.alpha = em.held_out_alpha(start, fold_of, self.alpha);
        }
    }
}

/// Each class's weights from its expected counts (kept where it has none).
fn normalize(alpha: &mut Alpha, acount: &Alpha) {
    for (a, acc) in alpha.iter_mut().zip(acount) {
        let sum: f64 = acc.iter().sum();
        if sum > 0.0 {
            for (x, c) in a.iter_mut().zip(acc) {
                *x = c / sum;
            }
        }
    }
}

/// The distinct target types of a unit, numbered locally, with their identity and cognate
/// groups.
pub(super) struct Targets {
    types: Vec<u32>,
    /// Every type's local number, u32::MAX for those the unit lacks (and past the end: the
    /// table can be longer than the vocabulary): a table row is read entry by entry, and
    /// a lookup costs less than merging two sorted lists.
    local_of: Vec<u32>,
    /// The unit's types by identity and by cognate key, sorted by key: a group is a run of
    /// equal keys. Flat, so that a unit's search allocates nothing per type.
    identity: Vec<Keyed>,
    cognate: Vec<Keyed>,
}

thread_local! {
    /// Each thread's `Targets::local_of`, every entry u32::MAX between units.
    static LOCAL_OF: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Drop for Targets {
    fn drop(&mut self) {
        let mut local_of = std::mem::take(&mut self.local_of);
        for &t in &self.types {
            local_of[t as usize] = u32::MAX;
        }
        LOCAL_OF.with_borrow_mut(|kept| {
            if kept.len() < local_of.len() {
                *kept = local_of;
            }
        });
    }
}

/// A target type of a unit under an identity or cognate key.
#[derive(Clone, Copy)]
struct Keyed {
    key: u64,
    /// The type's local number.
    local: u32,
    /// Each of the key's types' share (one over how many types share it).
    share: f64,
}

impl Targets {
    pub(super) fn new(toks: impl Iterator<Item = u32>, tgt: &Types) -> Targets {
        let mut types: Vec<u32> = toks.collect();
        types.sort_unstable();
        types.dedup();
        let groups = |cognate: bool| {
            let mut g: Vec<Keyed> = types
                .iter()
                .enumerate()
                .filter_map(|(l, &t)| {
                    let key = if cognate {
                        tgt.cognate(t)
                    } else {
                        tgt.identity(t)
                    };
                    (key != 0).then(|| Keyed {
                        key,
                        local: l as u32,
                        share: 1.0 / tgt.sharing(key, cognate) as f64,
                    })
                })
                .collect();
            g.sort_unstable_by_key(|x| (x.key, x.local));
            g
        };
        let (identity, cognate) = (groups(false), groups(true));
        // A vocabulary's worth of u32 per unit was most of a small unit's setting up:
        // the thread's last table is reused, its entries reset on drop.
        let mut local_of = LOCAL_OF.with_borrow_mut(std::mem::take);
        if local_of.len() < tgt.len() {
            local_of.resize(tgt.len(), u32::MAX);
        }
        for (l, &t) in types.iter().enumerate() {
            local_of[t as usize] = l as u32;
        }
        Targets {
            types,
            local_of,
            identity,
            cognate,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.types.len()
    }

    /// The types, by local number.
    pub(super) fn types(&self) -> &[u32] {
        &self.types
    }

    /// The local number of target type `t`.
    pub(super) fn local(&self, t: u32) -> Option<u32> {
        self.local_of
            .get(t as usize)
            .copied()
            .filter(|&l| l != u32::MAX)
    }

    /// The unit's types with identity (or cognate) key `key`: each type's share, and the
    /// group's entries.
    fn group(&self, key: u64, cognate: bool) -> Option<(f64, &[Keyed])> {
        if key == 0 {
            return None;
        }
        let list = if cognate {
            &self.cognate
        } else {
            &self.identity
        };
        let start = list.partition_point(|x| x.key < key);
        let end = start + list[start..].partition_point(|x| x.key == key);
        (end > start).then(|| (list[start].share, &list[start..end]))
    }

    /// `f(local, probability)` for the unit's types in a table row.
    fn each_in_row(&self, row: &[(u32, f32)], mut f: impl FnMut(u32, f64)) {
        for &(t, p) in row {
            if let Some(l) = self.local(t) {
                f(l, p as f64);
            }
        }
    }
}

/// Model 1 EM over a fixed set of training pairs.
struct Em<'a> {
    pairs: &'a [Pair],
    /// Per pair, |T| × |S| cell ids, by target position.
    cells: Vec<Vec<u32>>,
    /// Per pair and target position: the fixed components' Σ_s c_k(t | s).
    fixed: Vec<Vec<[f64; COMPONENTS]>>,
    /// Per target position: class and unigram probability.
    class: Vec<Vec<u8>>,
    p: Vec<Vec<f64>>,
    s_of: Vec<u32>,
    t_of: Vec<u32>,
    /// Source types.
    n_src: usize,
}

impl<'a> Em<'a> {
    fn new(dir: &Direction, pairs: &'a [Pair], src: &Types, tgt: &Types) -> Em<'a> {
        let mut ids: HashMap<(u32, u32), u32> = HashMap::default();
        let (mut s_of, mut t_of) = (Vec::new(), Vec::new());
        let mut cells = Vec::with_capacity(pairs.len());
        for (s, t) in pairs {
            let mut c = Vec::with_capacity(s.len() * t.len());
            for &tt in t {
                for &ss in s {
                    let id = *ids.entry((ss, tt)).or_insert_with(|| {
                        s_of.push(ss);
                        t_of.push(tt);
                        (s_of.len() - 1) as u32
                    });
                    c.push(id);
                }
            }
            cells.push(c);
        }
        let fixed = pairs
            .par_iter()
            .map(|(s, t)| t.iter().map(|&tt| dir.fixed(s, tt, src, tgt)).collect())
            .collect();
        let class = pairs
            .iter()
            .map(|(_, t)| t.iter().map(|&x| tgt.class(x)).collect())
            .collect();
        let p = pairs
            .iter()
            .map(|(_, t)| t.iter().map(|&x| tgt.p(x)).collect())
            .collect();
        Em {
            pairs,
            cells,
            fixed,
            class,
            p,
            s_of,
            t_of,
            n_src: src.len(),
        }
    }

    /// t(t | s) uniform over the targets s co-occurs with in `subset`.
    fn uniform(&self, subset: &[usize]) -> Vec<f64> {
        let mut seen = vec![false; self.s_of.len()];
        for &k in subset {
            for &c in &self.cells[k] {
                seen[c as usize] = true;
            }
        }
        let mut per_s = vec![0.0f64; self.n_src];
        for (c, _) in seen.iter().enumerate().filter(|x| *x.1) {
            per_s[self.s_of[c] as usize] += 1.0;
        }
        seen.iter()
            .enumerate()
            .map(|(c, &on)| {
                if on {
                    1.0 / per_s[self.s_of[c] as usize]
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// The table's rows, one per source type.
    fn rows(&self, probs: &[f64]) -> Vec<Row> {
        let mut rows: Vec<Row> = vec![Vec::new(); self.n_src];
        for (c, &p) in probs.iter().enumerate() {
            if p > MIN_PROB {
                rows[self.s_of[c] as usize].push((self.t_of[c], p as f32));
            }
        }
        for r in rows.iter_mut() {
            r.sort_unstable_by_key(|x| x.0);
        }
        rows
    }

    /// EM iterations over the pairs of `subset`: the weights and the table.
    fn run(&self, alpha: &mut Alpha, subset: &[usize], probs: &mut [f64]) {
        // Each cell's probability beside its expected count: the E-step reads one and
        // adds to the other, and cells are met in no useful order.
        let mut cells: Vec<[f64; 2]> = probs.iter().map(|&p| [p, 0.0]).collect();
        let mut norm = vec![0.0f64; self.n_src];
        let mut buf = Vec::new();
        for _ in 0..EM_ITERATIONS {
            let mut acount = [[0.0f64; COMPONENTS]; CLASSES];
            for &k in subset {
                let ls = self.pairs[k].0.len().max(1) as f64;
                for (q, row) in self.rows_of(k) {
                    buf.clear();
                    buf.extend(row.iter().map(|&c| cells[c as usize][0]));
                    let lex: f64 = buf.iter().sum();
                    let (cl, al) = self.token_alpha(k, q, alpha);
                    let tot = self.token_shares(k, q, &al, lex, &mut acount[cl]);
                    if lex > 0.0 {
                        let f = al[LEXICON] / ls / tot;
                        for (&c, &p) in row.iter().zip(&buf) {
                            cells[c as usize][1] += f * p;
                        }
                    }
                }
            }
            normalize(alpha, &acount);
            norm.fill(0.0);
            for (c, x) in cells.iter().enumerate().filter(|x| x.1[1] > 0.0) {
                norm[self.s_of[c] as usize] += x[1];
            }
            for (c, x) in cells.iter_mut().enumerate() {
                let v = x[1];
                x[0] = if v > 0.0 {
                    v / norm[self.s_of[c] as usize]
                } else {
                    0.0
                };
                x[1] = 0.0;
            }
        }
        for (p, x) in probs.iter_mut().zip(&cells) {
            *p = x[0];
        }
    }

    /// EM iterations over the pairs of `subset` for the weights alone, the table fixed.
    fn run_weights(&self, alpha: &mut Alpha, subset: &[usize], probs: &[f64]) {
        // The table's share of each token does not change: summed once.
        let lex: Vec<Vec<f64>> = subset
            .iter()
            .map(|&k| {
                let rows = self.rows_of(k);
                rows.map(|(_, row)| row.iter().map(|&c| probs[c as usize]).sum())
                    .collect()
            })
            .collect();
        for _ in 0..EM_ITERATIONS {
            let mut acount = [[0.0f64; COMPONENTS]; CLASSES];
            for (&k, lex) in subset.iter().zip(&lex) {
                for (q, &x) in lex.iter().enumerate() {
                    let (cl, al) = self.token_alpha(k, q, alpha);
                    self.token_shares(k, q, &al, x, &mut acount[cl]);
                }
            }
            normalize(alpha, &acount);
        }
    }

    /// Pair k's cells, a row of |S| per target position.
    fn rows_of(&self, k: usize) -> impl Iterator<Item = (usize, &[u32])> {
        let ns = self.pairs[k].0.len();
        (0..self.pairs[k].1.len()).map(move |q| (q, &self.cells[k][q * ns..(q + 1) * ns]))
    }

    /// The class of pair k's target token q and its weights.
    fn token_alpha(&self, k: usize, q: usize, alpha: &Alpha) -> (usize, [f64; COMPONENTS]) {
        let cl = self.class[k][q] as usize;
        (cl, alpha[cl])
    }

    /// The E-step for the weights of pair k's target token q, the table explaining `lex`
    /// of it: the token's expected share of each component, added to `acount`. Returns
    /// the token's probability.
    fn token_shares(
        &self,
        k: usize,
        q: usize,
        al: &[f64; COMPONENTS],
        lex: f64,
        acount: &mut [f64; COMPONENTS],
    ) -> f64 {
        let ls = self.pairs[k].0.len().max(1) as f64;
        let e = &self.fixed[k][q];
        let bg = al[BACKGROUND] * self.p[k][q];
        let mut tot = bg + al[LEXICON] * lex / ls;
        for c in IDENTITY..COMPONENTS {
            tot += al[c] * e[c] / ls;
        }
        acount[BACKGROUND] += bg / tot;
        acount[LEXICON] += al[LEXICON] * lex / ls / tot;
        for c in IDENTITY..COMPONENTS {
            acount[c] += al[c] * e[c] / ls / tot;
        }
        tot
    }

    /// The weights by deleted interpolation: for each fold, a table trained without it
    /// and the weights EM gives the fold with that table fixed; averaged per class,
    /// weighted by the fold's target tokens. `start`: the weights each training starts
    /// from; `fallback`: a class's weights when no fold has a token of it.
    fn held_out_alpha(&self, start: Alpha, fold_of: &[usize], fallback: Alpha) -> Alpha {
        let folds: Vec<(Alpha, [f64; CLASSES])> = (0..FOLDS)
            .into_par_iter()
            .map(|f| {
                let (train, held): (Vec<usize>, Vec<usize>) =
                    (0..self.pairs.len()).partition(|&i| fold_of[i] != f);
                let mut alpha = start;
                let mut probs = self.uniform(&train);
                self.run(&mut alpha, &train, &mut probs);
                self.run_weights(&mut alpha, &held, &probs);
                let mut w = [0.0; CLASSES];
                for &h in &held {
                    for &cl in &self.class[h] {
                        w[cl as usize] += 1.0;
                    }
                }
                (alpha, w)
            })
            .collect();
        let mut acc = [[0.0f64; COMPONENTS]; CLASSES];
        let mut weight = [0.0; CLASSES];
        for (alpha, w) in &folds {
            for cl in 0..CLASSES {
                for c in 0..COMPONENTS {
                    acc[cl][c] += w[cl] * alpha[cl][c];
                }
                weight[cl] += w[cl];
            }
        }
        let mut out = fallback;
        for cl in 0..CLASSES {
            if weight[cl] > 0.0 {
                for c in 0..COMPONENTS {
                    out[cl][c] = acc[cl][c] / weight[cl];
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::{Vocabulary, read};
    use super::*;

    #[test]
    fn em_learns_which_word_translates_which() {
        // Invented pairs: the only consistent explanation of "haus" is "maison", etc.
        let text = [
            ("la maison", "das haus"),
            ("la fleur", "die blume"),
            ("une maison", "ein haus"),
            ("une fleur", "eine blume"),
            ("la maison bleue", "das blaue haus"),
            ("la fleur bleue", "die blaue blume"),
        ];
        let raw_a: Vec<_> = text.iter().map(|p| read(p.0)).collect();
        let raw_b: Vec<_> = text.iter().map(|p| read(p.1)).collect();
        let (va, sa) = Vocabulary::build(&[&raw_a]);
        let (vb, sb) = Vocabulary::build(&[&raw_b]);
        let pairs: Vec<Pair> = sa[0]
            .iter()
            .zip(&sb[0])
            .map(|(a, b)| (a.toks.clone(), b.toks.clone()))
            .collect();
        let (ta, tb) = (Types::new(&va, &[]), Types::new(&vb, &[]));
        let mut dir = Direction::initial(None);
        dir.train(&pairs, &vec![0; pairs.len()], (&ta, &tb), true);
        let best = |word: &str| {
            let s = va.find(read(word).tokens[0].key).unwrap();
            let row = &dir.lexicon[s as usize];
            let &(t, _) = row.iter().max_by(|x, y| x.1.total_cmp(&y.1)).unwrap();
            vb.key(t)
        };
        let key = |w: &str| read(w).tokens[0].key;
        assert_eq!(best("maison"), key("haus"));
        assert_eq!(best("fleur"), key("blume"));
        assert_eq!(best("bleue"), key("blaue"));
        // Too few pairs for held-out folds: the weights are EM's, a distribution per class.
        for a in &dir.alpha {
            assert!((a.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        assert_eq!(dir.alpha[0][EXTERNAL], 0.0);
    }
}
