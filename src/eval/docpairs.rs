//! Scoring document pairing: a predicted `docpairs.tsv` against a gold one. For each pair of
//! the pivot with another language, precision and recall of the (pivot version, other
//! version) pairs.

use super::{EvalError, Scoreboard};
use crate::text::{ByLang, Lang};
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

/// One row of a docpairs.tsv: the statement's name and each language's stem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub doc: String,
    pub stems: ByLang<Option<String>>,
}

/// Undo the TSV escaping of `export::tsv_field`.
fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) if hex.len() == 4 => {
                        out.push(c);
                        chars.nth(3);
                    }
                    _ => out.push('u'),
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Read a docpairs.tsv; the header names the columns (`doc`, language codes, more ignored).
pub fn read(path: &Path) -> Result<Vec<Row>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Parse a docpairs.tsv's text (`path` names it in errors).
pub fn parse(text: &str, path: &Path) -> Result<Vec<Row>, EvalError> {
    let mut lines = text.lines();
    let bad = |line: usize, reason: String| EvalError::Format {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let header: Vec<&str> = lines
        .next()
        .ok_or_else(|| bad(1, "empty file".into()))?
        .split('\t')
        .collect();
    if header.first() != Some(&"doc") {
        return Err(bad(1, "the header does not start with \"doc\"".into()));
    }
    let columns: Vec<Option<Lang>> = header.iter().map(|h| h.parse().ok()).collect();
    let mut rows = Vec::new();
    for (k, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < header.len() - usize::from(header.last() == Some(&"score")) {
            return Err(bad(
                k + 2,
                format!("{} fields, the header has {}", fields.len(), header.len()),
            ));
        }
        let mut stems: ByLang<Option<String>> = Default::default();
        for (field, col) in fields.iter().zip(&columns) {
            if let (Some(l), false) = (col, field.is_empty()) {
                stems[l] = Some(unescape(field));
            }
        }
        rows.push(Row {
            doc: unescape(fields[0]),
            stems,
        });
    }
    Ok(rows)
}

/// Precision and recall of the pivot pairs.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// (pair, true positives, predicted, gold)
    pub pairs: BTreeMap<String, (usize, usize, usize)>,
}

impl Report {
    fn totals(&self) -> (usize, usize, usize) {
        self.pairs
            .values()
            .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
    }

    pub fn precision_recall(counts: (usize, usize, usize)) -> (f64, f64) {
        let ratio = |a: usize, b: usize| if b > 0 { a as f64 / b as f64 } else { 0.0 };
        (ratio(counts.0, counts.1), ratio(counts.0, counts.2))
    }

    /// Over all pivot pairs.
    pub fn all(&self) -> (f64, f64) {
        Self::precision_recall(self.totals())
    }

    /// Precision and recall per pair and over all (`ALL`).
    pub fn json(&self) -> serde_json::Value {
        let rows = self
            .pairs
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .chain(std::iter::once(("ALL".to_string(), self.totals())));
        let map = rows
            .map(|(k, c)| {
                let (p, r) = Self::precision_recall(c);
                (k, serde_json::json!({"precision": p, "recall": r, "tp": c.0, "predicted": c.1, "gold": c.2}))
            })
            .collect();
        serde_json::Value::Object(map)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:8} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "pair", "P", "R", "tp", "pred", "gold"
        )?;
        let rows = self
            .pairs
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .chain(std::iter::once(("ALL", self.totals())));
        for (name, c) in rows {
            let (p, r) = Self::precision_recall(c);
            writeln!(f, "{name:8} {p:6.3} {r:6.3} {:6} {:6} {:6}", c.0, c.1, c.2)?;
        }
        Ok(())
    }
}

/// Score `pred` against `gold` over the pairs of `pivot` with each other language.
pub fn evaluate(gold: &Path, pred: &Path, pivot: Lang) -> Result<Report, EvalError> {
    let gold = read(gold)?;
    let pred = read(pred)?;
    let mut report = Report::default();
    for l in Lang::ALL.into_iter().filter(|&l| l != pivot) {
        let set = |rows: &[Row]| -> HashSet<(String, String)> {
            rows.iter()
                .filter_map(|r| Some((r.stems[pivot].clone()?, r.stems[l].clone()?)))
                .collect()
        };
        let (g, p) = (set(&gold), set(&pred));
        if g.is_empty() && p.is_empty() {
            continue;
        }
        let tp = g.intersection(&p).count();
        report
            .pairs
            .insert(format!("{pivot}-{l}"), (tp, p.len(), g.len()));
    }
    Ok(report)
}

impl Scoreboard for Report {
    fn table(&self) -> String {
        self.to_string()
    }

    fn json(&self) -> serde_json::Value {
        Report::json(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_pivot_pairs() {
        let dir = tempfile::tempdir().unwrap();
        let gold = dir.path().join("gold.tsv");
        let pred = dir.path().join("pred.tsv");
        std::fs::write(
            &gold,
            "doc\ten\tru\tde\tes\tfr\nd1\ta\tb\tc\t\t\nd2\tx\ty\tz\t\t\n",
        )
        .unwrap();
        std::fs::write(
            &pred,
            "doc\ten\tru\tde\tes\tfr\tscore\na\ta\tb\tz\t\t\t0.9\nx\tx\ty\t\t\t\t0.8\n",
        )
        .unwrap();
        let r = evaluate(&gold, &pred, Lang::En).unwrap();
        assert_eq!(r.pairs["en-ru"], (2, 2, 2));
        assert_eq!(r.pairs["en-de"], (0, 1, 2));
        let (p, rec) = r.all();
        assert!((p - 2.0 / 3.0).abs() < 1e-12 && (rec - 0.5).abs() < 1e-12);
        assert_eq!(unescape("a\\tb\\\\c"), "a\tb\\c");
    }
}
