//! Scoring QA findings against injected defects (`<set>/qa/<doc>.jsonl`:
//! `{"lang","kind","para","para_lang"}`).
//!
//! A finding matches a `number_changed` or `untranslated` defect when doc, lang and paragraph
//! agree (the finding's `paras` hold the defect's `para`); it matches an `omitted` defect when
//! doc and lang agree and its `pivot_paras` hold the defect's `para` (the pivot paragraph the
//! language lacks). Defects whose `para` is null (the pivot itself lacks the passage) have no
//! pivot paragraph to point at and are not counted. Precision is over the findings of the
//! check that answers each kind: number_mismatch, untranslated, omission.

use super::{EvalError, Scoreboard};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
struct Defect {
    doc: String,
    lang: String,
    kind: String,
    para: usize,
}

#[derive(Debug)]
struct Found {
    doc: String,
    lang: String,
    check: String,
    paras: Vec<usize>,
    pivot_paras: Vec<usize>,
}

/// For each defect kind: (findings matched, findings, defects matched, defects).
#[derive(Debug, Default)]
pub struct QaReport {
    pub kinds: BTreeMap<String, (usize, usize, usize, usize)>,
}

impl QaReport {
    pub fn precision_recall(&self, kind: &str) -> (f64, f64) {
        let (fm, f, dm, d) = self.kinds.get(kind).copied().unwrap_or_default();
        let ratio = |a: usize, b: usize| if b > 0 { a as f64 / b as f64 } else { 0.0 };
        (ratio(fm, f), ratio(dm, d))
    }

    pub fn json(&self) -> serde_json::Value {
        let map = self
            .kinds
            .iter()
            .map(|(k, &(fm, f, dm, d))| {
                let (p, r) = self.precision_recall(k);
                (
                    k.clone(),
                    serde_json::json!({"precision": p, "recall": r, "findings": f,
                        "findings_matched": fm, "defects": d, "defects_matched": dm}),
                )
            })
            .collect();
        serde_json::Value::Object(map)
    }
}

impl fmt::Display for QaReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:16} {:>6} {:>6} {:>9} {:>8}",
            "defect", "P", "R", "findings", "defects"
        )?;
        for (k, &(_, n, _, d)) in &self.kinds {
            let (p, r) = self.precision_recall(k);
            writeln!(f, "{k:16} {p:6.3} {r:6.3} {n:9} {d:8}")?;
        }
        Ok(())
    }
}

/// The check whose findings answer a kind of defect.
fn check_for(kind: &str) -> &'static str {
    match kind {
        "number_changed" => "number_mismatch",
        "untranslated" => "untranslated",
        _ => "omission",
    }
}

/// The lines of a JSON Lines file, each an object with every field of `required`: a file of
/// something else (units, say) is an error, not a table of zeros.
fn read_records(
    path: &Path,
    required: &[&str],
    what: &str,
) -> Result<Vec<(usize, serde_json::Value)>, EvalError> {
    let lines = read_lines(path)?;
    for (line, v) in &lines {
        if let Some(field) = required.iter().find(|f| v.get(**f).is_none()) {
            return Err(EvalError::Format {
                path: path.to_path_buf(),
                line: *line,
                reason: format!("not {what}: it has no field \"{field}\""),
            });
        }
    }
    Ok(lines)
}

fn read_lines(path: &Path) -> Result<Vec<(usize, serde_json::Value)>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v = serde_json::from_str(line).map_err(|e| EvalError::Format {
            path: path.to_path_buf(),
            line: k + 1,
            reason: e.to_string(),
        })?;
        out.push((k + 1, v));
    }
    Ok(out)
}

/// Score the findings of `qa_jsonl` against the defects of `gold_dir/<doc>.jsonl`.
pub fn evaluate(gold_dir: &Path, qa_jsonl: &Path) -> Result<QaReport, EvalError> {
    let defects = read_defects(gold_dir)?;
    let found = read_findings(qa_jsonl)?;
    let matches = |d: &Defect, f: &Found| {
        f.doc == d.doc
            && f.lang == d.lang
            && f.check == check_for(&d.kind)
            && if d.kind == "omitted" {
                f.pivot_paras.contains(&d.para)
            } else {
                f.paras.contains(&d.para)
            }
    };
    let mut report = QaReport::default();
    for kind in ["number_changed", "untranslated", "omitted"] {
        let ds: Vec<&Defect> = defects.iter().filter(|d| d.kind == kind).collect();
        let fs: Vec<&Found> = found
            .iter()
            .filter(|f| f.check == check_for(kind))
            .collect();
        let dm = ds
            .iter()
            .filter(|d| fs.iter().any(|f| matches(d, f)))
            .count();
        let fm = fs
            .iter()
            .filter(|f| ds.iter().any(|d| matches(d, f)))
            .count();
        report
            .kinds
            .insert(kind.to_string(), (fm, fs.len(), dm, ds.len()));
    }
    Ok(report)
}

/// The injected defects of every `<doc>.jsonl` in `gold_dir` (those with a paragraph).
fn read_defects(gold_dir: &Path) -> Result<Vec<Defect>, EvalError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(gold_dir)
        .map_err(|source| EvalError::Io {
            path: gold_dir.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(EvalError::Input(format!(
            "{}: no <doc>.jsonl of injected defects",
            gold_dir.display()
        )));
    }
    let mut defects = Vec::new();
    for path in files {
        let doc = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for (_, v) in read_records(&path, &["kind", "lang"], "an injected defect")? {
            let Some(para) = v["para"].as_u64() else {
                continue;
            };
            defects.push(Defect {
                doc: doc.clone(),
                lang: v["lang"].as_str().unwrap_or_default().to_string(),
                kind: v["kind"].as_str().unwrap_or_default().to_string(),
                para: para as usize,
            });
        }
    }
    Ok(defects)
}

/// The findings of a qa.jsonl.
fn read_findings(qa_jsonl: &Path) -> Result<Vec<Found>, EvalError> {
    let list = |v: &serde_json::Value| -> Vec<usize> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_u64().map(|x| x as usize))
                    .collect()
            })
            .unwrap_or_default()
    };
    let records = read_records(
        qa_jsonl,
        &["doc", "lang", "check", "paras"],
        "a QA finding (qa.jsonl, as `paralign qa` writes it)",
    )?;
    Ok(records
        .into_iter()
        .map(|(_, v)| Found {
            doc: v["doc"].as_str().unwrap_or_default().to_string(),
            lang: v["lang"].as_str().unwrap_or_default().to_string(),
            check: v["check"].as_str().unwrap_or_default().to_string(),
            paras: list(&v["paras"]),
            pivot_paras: list(&v["pivot_paras"]),
        })
        .collect())
}

impl Scoreboard for QaReport {
    fn table(&self) -> String {
        self.to_string()
    }

    fn json(&self) -> serde_json::Value {
        QaReport::json(self)
    }
}
