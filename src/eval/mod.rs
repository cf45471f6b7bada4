//! The metric of the sentence-alignment literature, as `../shared/tools/score.py` computes
//! it: a predicted bead is a strict hit when it equals a gold bead and a lax hit when it
//! shares a paragraph on both sides with one; recall swaps the roles of gold and prediction.

pub mod docpairs;
pub mod qa;
pub mod sentences;

use crate::text::Lang;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::export::ladder::{self, LadderBead};

/// Why gold or predictions could not be read: every scorer here reports through this.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: {reason}", path.display())]
    Format {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    /// Inputs that can be read but cannot be what was meant: scoring them would print a
    /// table of zeros.
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Ladder(#[from] ladder::BadLine),
}

/// What every scorer prints: a table for people, JSON for scripts.
pub trait Scoreboard {
    fn table(&self) -> String;
    fn json(&self) -> serde_json::Value;
}

/// Strict and lax hit counts: (strict tp, strict fp, lax tp, lax fp) of `test` against `gold`.
fn hits(gold: &[LadderBead], test: &[LadderBead]) -> [u64; 4] {
    let gold_set: HashSet<&LadderBead> = gold.iter().collect();
    let mut src_to_tgt: HashMap<usize, HashSet<usize>> = HashMap::new();
    for (a, b) in gold {
        for &x in a {
            src_to_tgt.entry(x).or_default().extend(b.iter().copied());
        }
    }
    let mut out = [0u64; 4];
    let test_set: HashSet<&LadderBead> = test.iter().collect();
    for bead in test_set {
        if gold_set.contains(bead) {
            out[0] += 1;
            out[2] += 1;
            continue;
        }
        out[1] += 1;
        let (a, b) = bead;
        let lax = a.iter().any(|x| {
            src_to_tgt
                .get(x)
                .is_some_and(|t| b.iter().any(|y| t.contains(y)))
        });
        if lax {
            out[2] += 1;
        } else {
            out[3] += 1;
        }
    }
    out
}

/// Counts behind the scores of one pair (or of all pairs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Precision side: hits of prediction against gold.
    pub precision: [u64; 4],
    /// Recall side: hits of gold against prediction.
    pub recall: [u64; 4],
}

impl Counts {
    pub fn add(&mut self, gold: &[LadderBead], test: &[LadderBead]) {
        let p = hits(gold, test);
        let r = hits(test, gold);
        for i in 0..4 {
            self.precision[i] += p[i];
            self.recall[i] += r[i];
        }
    }

    fn merge(&mut self, other: &Counts) {
        for i in 0..4 {
            self.precision[i] += other.precision[i];
            self.recall[i] += other.recall[i];
        }
    }

    pub fn scores(&self) -> Scores {
        let ratio = |a: u64, b: u64| {
            if a + b > 0 {
                a as f64 / (a + b) as f64
            } else {
                0.0
            }
        };
        let f = |p: f64, r: f64| {
            if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            }
        };
        let (p, r) = (&self.precision, &self.recall);
        let strict_p = ratio(p[0], p[1]);
        let strict_r = ratio(r[0], r[1]);
        let lax_p = ratio(p[2], p[3]);
        let lax_r = ratio(r[2], r[3]);
        Scores {
            strict_p,
            strict_r,
            strict_f1: f(strict_p, strict_r),
            lax_p,
            lax_r,
            lax_f1: f(lax_p, lax_r),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Scores {
    pub strict_p: f64,
    pub strict_r: f64,
    pub strict_f1: f64,
    pub lax_p: f64,
    pub lax_r: f64,
    pub lax_f1: f64,
}

/// Scores per pair, in name order, and over all pairs.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub pairs: BTreeMap<String, Counts>,
}

impl Scoreboard for Report {
    fn table(&self) -> String {
        Report::table(self)
    }

    fn json(&self) -> serde_json::Value {
        Report::json(self)
    }
}

impl Report {
    pub fn all(&self) -> Counts {
        let mut total = Counts::default();
        for c in self.pairs.values() {
            total.merge(c);
        }
        total
    }

    /// The table score.py prints.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:8} {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6}",
            "pair", "P", "R", "F1", "laxP", "laxR", "laxF1"
        );
        let rows = self
            .pairs
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .chain(std::iter::once(("ALL", self.all())));
        for (name, counts) in rows {
            let s = counts.scores();
            let _ = writeln!(
                out,
                "{:8} {:6.3} {:6.3} {:6.3} | {:6.3} {:6.3} {:6.3}",
                name, s.strict_p, s.strict_r, s.strict_f1, s.lax_p, s.lax_r, s.lax_f1
            );
        }
        out
    }

    pub fn json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for (k, v) in &self.pairs {
            map.insert(
                k.clone(),
                serde_json::to_value(v.scores()).expect("plain numbers"),
            );
        }
        map.insert(
            "ALL".into(),
            serde_json::to_value(self.all().scores()).expect("plain numbers"),
        );
        serde_json::Value::Object(map)
    }
}

/// Score every `GOLD/<doc>/<pair>.txt` against `PRED/<doc>/<pair>.txt`; a missing prediction
/// counts as empty. `pairs` restricts the pairs scored.
pub fn evaluate(gold: &Path, pred: &Path, pairs: Option<&[String]>) -> Result<Report, EvalError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| EvalError::Io { path, source }
    };
    let read = |path: &Path| -> Result<Vec<LadderBead>, EvalError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(ladder::parse(&text, path)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(io(path)(e)),
        }
    };
    let pairs = pairs.map(canonical_pairs).transpose()?;
    if !pred.is_dir() {
        return Err(EvalError::Input(format!(
            "{}: not a folder of predicted ladders (the ladder/ folder of an output)",
            pred.display()
        )));
    }
    let mut report = Report::default();
    let mut docs: Vec<_> = std::fs::read_dir(gold)
        .map_err(io(gold))?
        .collect::<Result<_, _>>()
        .map_err(io(gold))?;
    docs.sort_by_key(|e| e.file_name());
    let (mut gold_ladders, mut predicted) = (0, 0);
    for doc in docs {
        let dir = doc.path();
        if !dir.is_dir() {
            continue;
        }
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map_err(io(&dir))?
            .collect::<Result<_, _>>()
            .map_err(io(&dir))?;
        files.sort_by_key(|e| e.file_name());
        for f in files {
            let name = f.file_name().to_string_lossy().into_owned();
            let Some(pair) = name.strip_suffix(".txt") else {
                continue;
            };
            if pairs
                .as_ref()
                .is_some_and(|ps| !ps.iter().any(|p| p == pair))
            {
                continue;
            }
            let g = read(&f.path())?;
            let predicted_path = pred.join(doc.file_name()).join(&name);
            gold_ladders += 1;
            predicted += predicted_path.is_file() as usize;
            let t = read(&predicted_path)?;
            report
                .pairs
                .entry(pair.to_string())
                .or_default()
                .add(&g, &t);
        }
    }
    if gold_ladders == 0 {
        return Err(EvalError::Input(format!(
            "{}: no gold ladder (<doc>/<l1>-<l2>.txt){}",
            gold.display(),
            pairs.map_or(String::new(), |p| format!(" for the pairs {}", p.join(",")))
        )));
    }
    if predicted == 0 {
        let hint = if pred.join("ladder").is_dir() {
            format!(" (did you mean {}?)", pred.join("ladder").display())
        } else {
            String::new()
        };
        return Err(EvalError::Input(format!(
            "{}: no predicted ladder for any of the {gold_ladders} gold ladders{hint}",
            pred.display()
        )));
    }
    Ok(report)
}

/// Pairs as given (`en-ru`, `ru-en`), checked and written as ladders name them, the
/// languages in canonical order.
fn canonical_pairs(pairs: &[String]) -> Result<Vec<String>, EvalError> {
    pairs
        .iter()
        .map(|p| {
            let bad = |why: String| EvalError::Input(format!("--pairs {p}: {why}"));
            let (a, b) = p
                .split_once('-')
                .ok_or_else(|| bad("a pair is two languages, e.g. en-ru".into()))?;
            let a: Lang = a.parse().map_err(|e| bad(format!("{e}")))?;
            let b: Lang = b.parse().map_err(|e| bad(format!("{e}")))?;
            if a == b {
                return Err(bad("a pair is two different languages".into()));
            }
            let (x, y) = if a < b { (a, b) } else { (b, a) };
            Ok(format!("{x}-{y}"))
        })
        .collect()
}

/// A copy of gold ladders `GOLD/<doc>/…` renamed through a gold docpairs.tsv to
/// `<pivot version's stem>/…` (the first present version's where the pivot is missing) —
/// the names `paralign align` gives statements whose files are named per language.
pub fn rename_gold(
    gold: &Path,
    docpairs: &Path,
    pivot: Lang,
) -> Result<tempfile::TempDir, EvalError> {
    let rows = docpairs::read(docpairs)?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| EvalError::Io { path, source }
    };
    let dir = tempfile::tempdir().map_err(io(gold))?;
    for row in rows {
        let name = row.stems[pivot]
            .clone()
            .or_else(|| row.stems.values().flatten().next().cloned())
            .unwrap_or_else(|| row.doc.clone());
        let from = gold.join(&row.doc);
        if !from.is_dir() {
            continue;
        }
        let to = dir.path().join(name);
        std::fs::create_dir_all(&to).map_err(io(&to))?;
        for f in std::fs::read_dir(&from).map_err(io(&from))? {
            let f = f.map_err(io(&from))?;
            std::fs::copy(f.path(), to.join(f.file_name())).map_err(io(&f.path()))?;
        }
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ladder(s: &str) -> Vec<LadderBead> {
        ladder::parse(s, Path::new("test")).unwrap()
    }

    #[test]
    fn strict_and_lax_hits() {
        let gold = ladder("[0]:[0]\n[1,2]:[1]\n[]:[2]");
        let test = ladder("[0]:[0]\n[1]:[1]\n[2]:[]\n[]:[2]");
        let mut c = Counts::default();
        c.add(&gold, &test);
        // precision: [0]:[0] and []:[2] strict; [1]:[1] lax; [2]:[] neither
        assert_eq!(c.precision, [2, 2, 3, 1]);
        // recall: [0]:[0] and []:[2] strict; [1,2]:[1] lax (1 → 1 in test)
        assert_eq!(c.recall, [2, 1, 3, 0]);
        let s = c.scores();
        assert!((s.strict_p - 0.5).abs() < 1e-12);
        assert!((s.strict_r - 2.0 / 3.0).abs() < 1e-12);
    }
}
