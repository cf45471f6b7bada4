//! Pairing: which documents are language versions of the same statement.
//!
//! By file stem (or record id) where stems match across languages; by content otherwise.
//! Content pairing compares documents on what survives translation — numbers, dates, names
//! and cognates (Cyrillic transliterated), and length — through an inverted index, so the
//! cost grows with the number of documents times the candidates each has, not with its
//! square. The assignment is one-to-one, greedy by score, and a pair must clear a
//! confidence threshold: a document without a counterpart stays alone.

use super::Document;
use crate::align::features;
use crate::text::{ByLang, Lang, scoring_text};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::str::FromStr;

/// How language versions are found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PairBy {
    /// Versions share the file stem (or record id).
    Stem,
    /// Versions are found by their content.
    Content,
    /// By stem where stems match across languages, by content for the rest.
    Auto,
}

impl FromStr for PairBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "stem" => Ok(PairBy::Stem),
            "content" => Ok(PairBy::Content),
            "auto" => Ok(PairBy::Auto),
            _ => Err(format!(
                "unknown pairing '{s}' (expected stem, content or auto)"
            )),
        }
    }
}

/// One statement: the index in the document list of each language's version.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub versions: ByLang<Option<usize>>,
    /// How sure the pairing is, in [0, 1]: 1 for versions paired by stem, the lowest pair
    /// score for versions paired by content.
    pub score: f64,
}

/// Below this score two documents are not taken for versions of one statement.
pub const MIN_SCORE: f64 = 0.02;
/// A pair must score this many times better than either document's best alternative:
/// scores vary with the languages and the documents, but a true pair stands out.
pub const MARGIN: f64 = 1.2;
/// Features of a document looked up in the inverted index: its rarest.
const PROBES: usize = 32;
/// Documents scored in full per document, the best by the probes.
const SHORTLIST: usize = 24;
/// Candidates kept per document.
const CANDIDATES: usize = 8;
/// Features found in more documents than this share of a language are too common to index.
const MAX_DF_SHARE: f64 = 0.05;
/// Weight of the numbers' and date's own cosine against that of all anchors: a statement's
/// numbers and date tell it from others on the same subject, which share its names.
const NUMBERS_WEIGHT: f64 = 1.0;
/// Spread of log length ratios between versions of one statement.
const LENGTH_SPREAD: f64 = 0.35;

/// Group documents into statements. `docs` may come in any order; the statements come
/// sorted by their first version's position in `docs`.
pub fn pair(docs: &[Document], pivot: Lang, by: PairBy) -> Vec<Statement> {
    let mut statements = Vec::new();
    let mut rest: Vec<usize> = Vec::new();
    if by == PairBy::Content {
        rest = (0..docs.len()).collect();
    } else {
        let mut by_id: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
        for (k, d) in docs.iter().enumerate() {
            by_id.entry(d.id.as_str()).or_default().push(k);
        }
        for group in by_id.into_values() {
            let mut versions: ByLang<Option<usize>> = ByLang::default();
            let mut extra = Vec::new();
            for k in group {
                match &mut versions[docs[k].lang] {
                    slot @ None => *slot = Some(k),
                    Some(_) => extra.push(k),
                }
            }
            let langs = versions.langs().count();
            if by == PairBy::Auto && langs < 2 {
                rest.extend(versions.values().flatten());
            } else {
                statements.push(Statement {
                    versions,
                    score: 1.0,
                });
            }
            // The same id twice in one language is reported before pairing; any left stand alone.
            for k in extra {
                let mut versions = ByLang::default();
                versions[docs[k].lang] = Some(k);
                statements.push(Statement {
                    versions,
                    score: 0.0,
                });
            }
        }
    }
    statements.extend(pair_by_content(docs, &rest, pivot));
    statements.sort_by_key(|s| s.versions.values().flatten().min().copied());
    statements
}

/// A document's signature: IDF-weighted anchors, and its length.
struct Signature {
    /// (feature, weight), sorted by feature.
    features: Vec<(u64, f32)>,
    norm: f32,
    /// The numbers and the date among the features, and their norm: the most specific
    /// evidence, counted again on its own.
    numbers: Vec<(u64, f32)>,
    numbers_norm: f32,
    chars: f64,
    paragraphs: f64,
}

/// The anchors of all a document's paragraphs, and its date (from its date line or its
/// metadata) as one more, rarer, feature.
fn anchors(doc: &Document) -> (Vec<u64>, Vec<u64>) {
    let mut ids = Vec::new();
    let mut numbers = Vec::new();
    for p in &doc.paragraphs {
        let text = scoring_text(p);
        ids.extend(features::extract(&text, doc.lang).anchors);
        numbers.extend(features::number_anchors(&text));
    }
    if let Some(date) = &doc.meta.date {
        let day = date.get(..10).unwrap_or(date);
        let tag = features::tag_hash("date", day);
        ids.extend([tag; 2]);
        numbers.extend([tag; 2]);
    }
    ids.sort_unstable();
    numbers.sort_unstable();
    (ids, numbers)
}

/// Cosine of two sorted weighted vectors.
fn cosine(a: &[(u64, f32)], na: f32, b: &[(u64, f32)], nb: f32) -> f64 {
    if na <= 0.0 || nb <= 0.0 {
        return 0.0;
    }
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    (dot / (na * nb)) as f64
}

/// Pair the documents `pool` by content: every language with the pivot, then what is left
/// among the other languages, each time through the first language that has documents left.
fn pair_by_content(docs: &[Document], pool: &[usize], pivot: Lang) -> Vec<Statement> {
    if pool.is_empty() {
        return Vec::new();
    }
    let signatures = signatures(docs, pool);
    let mut open: ByLang<Vec<usize>> = ByLang::default();
    for (slot, &k) in pool.iter().enumerate() {
        open[docs[k].lang].push(slot);
    }
    let mut statements: Vec<Statement> = Vec::new();
    let mut hub = Some(pivot).filter(|p| !open[p].is_empty());
    while let Some(h) = hub.or_else(|| Lang::ALL.into_iter().find(|l| !open[l].is_empty())) {
        hub = None;
        statements.extend(through_hub(h, &mut open, pool, &signatures));
    }
    statements
}

/// The statements of hub language `h`'s open documents, each other language's open
/// documents matched with them one to one; what is matched is no longer open.
fn through_hub(
    h: Lang,
    open: &mut ByLang<Vec<usize>>,
    pool: &[usize],
    signatures: &[Signature],
) -> Vec<Statement> {
    let hubs = std::mem::take(&mut open[h]);
    let mut rows: Vec<Statement> = hubs
        .iter()
        .map(|&slot| {
            let mut versions = ByLang::default();
            versions[h] = Some(pool[slot]);
            Statement {
                versions,
                score: 1.0,
            }
        })
        .collect();
    let mut scores_seen = vec![false; hubs.len()];
    for l in Lang::ALL.into_iter().filter(|&l| l != h) {
        let others = &open[l];
        if others.is_empty() {
            continue;
        }
        let matched = match_one_to_one(signatures, &hubs, others);
        let mut taken = vec![false; others.len()];
        for (hi, oi, score) in matched {
            rows[hi].versions[l] = Some(pool[others[oi]]);
            rows[hi].score = if scores_seen[hi] {
                rows[hi].score.min(score)
            } else {
                score
            };
            scores_seen[hi] = true;
            taken[oi] = true;
        }
        let left: Vec<usize> = others
            .iter()
            .zip(taken)
            .filter(|(_, t)| !t)
            .map(|(&s, _)| s)
            .collect();
        open[l] = left;
    }
    for (row, seen) in rows.iter_mut().zip(scores_seen) {
        if !seen {
            row.score = 0.0;
        }
    }
    rows
}

/// The signature of each document of `pool`, its anchors weighted by their rarity among
/// the documents of its language: a feature common in one language's documents (a month
/// name, a frequent cognate) says little about which of them is which.
fn signatures(docs: &[Document], pool: &[usize]) -> Vec<Signature> {
    let raw: Vec<(Vec<u64>, Vec<u64>)> = pool.par_iter().map(|&k| anchors(&docs[k])).collect();
    let mut df: HashMap<(Lang, u64), u32> = HashMap::default();
    let mut per_lang: ByLang<usize> = ByLang::default();
    for (slot, (ids, _)) in raw.iter().enumerate() {
        let lang = docs[pool[slot]].lang;
        per_lang[lang] += 1;
        let mut u = ids.clone();
        u.dedup();
        for id in u {
            *df.entry((lang, id)).or_default() += 1;
        }
    }
    raw.iter()
        .enumerate()
        .map(|(slot, (ids, numbers))| {
            let doc = &docs[pool[slot]];
            let n = per_lang[doc.lang] as f32;
            let weigh = |ids: &[u64]| -> (Vec<(u64, f32)>, f32) {
                let mut out: Vec<(u64, f32)> = Vec::new();
                for run in ids.chunk_by(|a, b| a == b) {
                    let id = run[0];
                    let df = df.get(&(doc.lang, id)).copied().unwrap_or(1) as f32;
                    let idf = ((n + 1.0) / (df + 0.5)).ln().max(0.0);
                    // Repeats count, but less than new features.
                    out.push((id, idf * (1.0 + (run.len() as f32).ln())));
                }
                let norm = out.iter().map(|f| f.1 * f.1).sum::<f32>().sqrt();
                (out, norm)
            };
            let (features, norm) = weigh(ids);
            let (numbers, numbers_norm) = weigh(numbers);
            Signature {
                features,
                norm,
                numbers,
                numbers_norm,
                chars: doc
                    .paragraphs
                    .iter()
                    .map(|p| p.chars().count())
                    .sum::<usize>() as f64,
                paragraphs: doc.paragraphs.len() as f64,
            }
        })
        .collect()
}

/// One-to-one matching of `hubs` with `others` (slots into `signatures`): candidates from
/// an inverted index over `others`, scored, accepted greedily from the best down.
fn match_one_to_one(
    signatures: &[Signature],
    hubs: &[usize],
    others: &[usize],
) -> Vec<(usize, usize, f64)> {
    // Length ratio between the two languages, from their totals.
    let total = |slots: &[usize]| slots.iter().map(|&s| signatures[s].chars).sum::<f64>();
    let ratio = (total(others) / total(hubs).max(1.0)).max(1e-6);
    let max_df = ((others.len() as f64 * MAX_DF_SHARE) as usize).max(50);
    let mut index: Postings = HashMap::default();
    for (oi, &slot) in others.iter().enumerate() {
        for &(id, w) in &signatures[slot].features {
            index.entry(id).or_default().push((oi as u32, w));
        }
    }
    index.retain(|_, postings| postings.len() <= max_df);
    let candidates: Vec<(usize, usize, f64)> = hubs
        .par_iter()
        .enumerate()
        .map_init(HashMap::<u32, f32>::default, |acc, (hi, &slot)| {
            let scored = candidates(signatures, &signatures[slot], others, &index, ratio, acc);
            scored.into_iter().map(move |(oi, score)| (hi, oi, score))
        })
        .flatten_iter()
        .collect();
    accept(candidates, hubs.len(), others.len())
}

/// Per feature, the documents of the other language that have it, with its weight there.
type Postings = HashMap<u64, Vec<(u32, f32)>>;

/// The best candidates for `sig` among `others`: found through the hub's rarest features
/// only (its numbers, date and names, mostly), then scored on all of them.
fn candidates(
    signatures: &[Signature],
    sig: &Signature,
    others: &[usize],
    index: &Postings,
    ratio: f64,
    acc: &mut HashMap<u32, f32>,
) -> Vec<(usize, f64)> {
    let mut probes: Vec<(&Vec<(u32, f32)>, f32)> = sig
        .features
        .iter()
        .filter_map(|&(id, w)| Some((index.get(&id)?, w)))
        .collect();
    // Rarest in the other language first: short postings, few false candidates.
    probes.sort_unstable_by(|a, b| a.0.len().cmp(&b.0.len()).then(b.1.total_cmp(&a.1)));
    probes.truncate(PROBES);
    acc.clear();
    for (postings, w) in probes {
        for &(oi, wo) in postings {
            *acc.entry(oi).or_default() += w * wo;
        }
    }
    let mut shortlist: Vec<(u32, f32)> = acc.iter().map(|(&k, &v)| (k, v)).collect();
    let by_weight = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if shortlist.len() > SHORTLIST {
        shortlist.select_nth_unstable_by(SHORTLIST, by_weight);
        shortlist.truncate(SHORTLIST);
    }
    shortlist.sort_unstable_by(by_weight);
    let mut top: Vec<(usize, f64)> = shortlist
        .into_iter()
        .map(|(oi, _)| {
            let other = &signatures[others[oi as usize]];
            let all = cosine(&sig.features, sig.norm, &other.features, other.norm);
            let numbers = cosine(
                &sig.numbers,
                sig.numbers_norm,
                &other.numbers,
                other.numbers_norm,
            );
            let content = (all + NUMBERS_WEIGHT * numbers) / (1.0 + NUMBERS_WEIGHT);
            (oi as usize, content * length_agreement(sig, other, ratio))
        })
        .collect();
    top.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(CANDIDATES);
    top.retain(|&(_, score)| score >= MIN_SCORE);
    top
}

/// Pairs (hub, other, score) accepted greedily from the best down, each document once, and
/// only where a pair scores `MARGIN` times better than either document's best alternative.
fn accept(
    mut candidates: Vec<(usize, usize, f64)>,
    hubs: usize,
    others: usize,
) -> Vec<(usize, usize, f64)> {
    candidates.sort_unstable_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    // Each document's two best scores, to compare a pair with its best alternative.
    let mut best_hub = vec![(0.0f64, 0.0f64); hubs];
    let mut best_other = vec![(0.0f64, 0.0f64); others];
    let push = |top: &mut (f64, f64), s: f64| {
        if s > top.0 {
            *top = (s, top.0);
        } else if s > top.1 {
            top.1 = s;
        }
    };
    for &(hi, oi, score) in &candidates {
        push(&mut best_hub[hi], score);
        push(&mut best_other[oi], score);
    }
    let alternative = |top: (f64, f64), s: f64| if s >= top.0 { top.1 } else { top.0 };
    let mut hub_taken = vec![false; hubs];
    let mut other_taken = vec![false; others];
    let mut out = Vec::new();
    for (hi, oi, score) in candidates {
        let rival = alternative(best_hub[hi], score).max(alternative(best_other[oi], score));
        if score < MARGIN * rival {
            continue;
        }
        if !hub_taken[hi] && !other_taken[oi] {
            hub_taken[hi] = true;
            other_taken[oi] = true;
            out.push((hi, oi, score));
        }
    }
    out
}

/// How well two documents' lengths agree with the languages' length ratio, in [0.5, 1]:
/// a version that lost paragraphs is still a version, so length can at most halve a score.
fn length_agreement(a: &Signature, b: &Signature, ratio: f64) -> f64 {
    let chars = ((b.chars + 1.0) / (ratio * a.chars + 1.0)).ln();
    let paras = ((b.paragraphs + 1.0) / (a.paragraphs + 1.0)).ln();
    0.5 + 0.5 * (-(chars * chars + paras * paras) / (2.0 * LENGTH_SPREAD * LENGTH_SPREAD)).exp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Meta;

    fn doc(lang: Lang, id: &str, paragraphs: &[&str]) -> Document {
        Document {
            lang,
            id: id.into(),
            path: format!("{lang}/{id}.txt").into(),
            line: None,
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            chrome: vec![false; paragraphs.len()],
            meta: Meta::default(),
            bytes: 0,
        }
    }

    #[test]
    fn pairs_by_stem_and_by_content() {
        let docs = vec![
            doc(
                Lang::En,
                "same",
                &["3 March 2026", "Talks in Oslo on 1,500 tonnes."],
            ),
            doc(
                Lang::En,
                "e1",
                &[
                    "12 August 2012",
                    "Tymoshenko was sentenced to 7 years; 147 deputies voted.",
                ],
            ),
            doc(
                Lang::En,
                "e2",
                &[
                    "9 May 2025",
                    "The ministers of Norway and Chile met 42 students in Santiago.",
                ],
            ),
            doc(
                Lang::Ru,
                "same",
                &["3 марта 2026", "Переговоры в Осло о 1 500 тоннах."],
            ),
            doc(
                Lang::Ru,
                "r1",
                &[
                    "9 мая 2025",
                    "Министры Норвегии и Чили встретились с 42 студентами в Сантьяго.",
                ],
            ),
            doc(
                Lang::Ru,
                "r2",
                &[
                    "12 августа 2012",
                    "Тимошенко приговорили к 7 годам; 147 депутатов проголосовали.",
                ],
            ),
            doc(
                Lang::Ru,
                "r3",
                &["1 января 1999", "Совсем другой текст без общих чисел."],
            ),
        ];
        let st = pair(&docs, Lang::En, PairBy::Auto);
        let find = |en: usize| {
            st.iter()
                .find(|s| s.versions[Lang::En] == Some(en))
                .unwrap()
        };
        assert_eq!(find(0).versions[Lang::Ru], Some(3));
        assert_eq!(find(0).score, 1.0);
        assert_eq!(find(1).versions[Lang::Ru], Some(5));
        assert_eq!(find(2).versions[Lang::Ru], Some(4));
        // The Russian document with no counterpart stays alone.
        assert!(
            st.iter()
                .any(|s| s.versions[Lang::Ru] == Some(6) && s.versions[Lang::En].is_none())
        );
        assert_eq!(st.len(), 4);
        // By stem alone nothing but "same" pairs.
        let by_stem = pair(&docs, Lang::En, PairBy::Stem);
        assert_eq!(by_stem.len(), 6);
    }
}
