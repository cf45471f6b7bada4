//! The resume manifest: `manifest/run.json` says which run the outputs belong to, and
//! `manifest/batch-00001.json`, written last for each batch and atomically, lists the batch's
//! files with a checksum of each and the batch's statistics. A run started again with the
//! same command skips the batches whose files are all there and intact; `paralign merge`
//! joins the outputs of shards through the same records.

use super::summary::Stats;
use crate::export::{ExportError, batch_name, write_atomic};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What identifies a run: outputs of runs that differ in any of it cannot be mixed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    /// The paralign version that wrote the run: another version's batches are not resumed.
    pub version: String,
    pub corpus: String,
    pub langs: Vec<crate::text::Lang>,
    pub pivot: crate::text::Lang,
    pub pair_by: crate::corpus::pairing::PairBy,
    pub batch_size: usize,
    pub batches: usize,
    pub statements: usize,
    pub qa: bool,
    /// Checksum of the --boilerplate file, if any.
    pub boilerplate: Option<String>,
    /// Checksum of the learned model, so a changed corpus is not taken for the same run.
    pub model: String,
    /// What the model learned, per language.
    pub models: BTreeMap<crate::text::Lang, super::summary::LangModelSummary>,
    pub formats: Vec<String>,
    /// What planning skipped or warned about (the same on every machine).
    pub skipped: Vec<crate::corpus::InputError>,
    pub warnings: Vec<crate::corpus::InputError>,
    pub skipped_folders: Vec<crate::corpus::SkippedFolder>,
}

impl RunConfig {
    /// Is `other` the same run? Paths of skipped input count by file name, so the corpus
    /// may be named differently (relative here, absolute there) on each machine.
    pub fn same_run(&self, other: &RunConfig) -> bool {
        fn names(paths: impl Iterator<Item = (PathBuf, Option<usize>, String)>) -> Vec<String> {
            paths
                .map(|(p, line, reason)| {
                    let name = p.file_name().unwrap_or_default().to_string_lossy();
                    format!("{name}:{line:?}:{reason}")
                })
                .collect()
        }
        let skipped = |c: &RunConfig| {
            let errors = c.skipped.iter().chain(&c.warnings);
            let folders = c.skipped_folders.iter();
            (
                names(errors.map(|e| (e.path.clone(), e.line, e.reason.clone()))),
                names(folders.map(|f| (f.path.clone(), None, f.reason.clone()))),
            )
        };
        let bare = |c: &RunConfig| RunConfig {
            skipped: Vec::new(),
            warnings: Vec::new(),
            skipped_folders: Vec::new(),
            ..c.clone()
        };
        bare(self) == bare(other) && skipped(self) == skipped(other)
    }
}

/// One finished batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchRecord {
    pub batch: usize,
    /// Relative path → BLAKE3 of the file.
    pub files: BTreeMap<String, String>,
    pub stats: Stats,
}

fn run_path(root: &Path) -> PathBuf {
    root.join("manifest").join("run.json")
}

fn batch_path(root: &Path, batch: usize) -> PathBuf {
    root.join("manifest")
        .join(format!("{}.json", batch_name(batch)))
}

pub fn checksum(path: &Path) -> std::io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(std::fs::File::open(path)?)?;
    Ok(hasher.finalize().to_hex().to_string())
}

pub fn read_config(root: &Path) -> Option<RunConfig> {
    let text = std::fs::read_to_string(run_path(root)).ok()?;
    serde_json::from_str(&text).ok()
}

pub fn write_config(root: &Path, config: &RunConfig) -> Result<(), ExportError> {
    write_json(&run_path(root), config)
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), ExportError> {
    write_atomic(path, |w| {
        serde_json::to_writer_pretty(&mut *w, value)?;
        writeln!(w)
    })
}

/// Record a finished batch: checksum its files, then write its record.
pub fn record(
    root: &Path,
    batch: usize,
    files: &[(PathBuf, String)],
    stats: Stats,
) -> Result<BatchRecord, ExportError> {
    let sums = files
        .iter()
        .map(|(rel, sum)| (rel.to_string_lossy().replace('\\', "/"), sum.clone()))
        .collect();
    let rec = BatchRecord {
        batch,
        files: sums,
        stats,
    };
    write_json(&batch_path(root, batch), &rec)?;
    Ok(rec)
}

/// The record of a finished batch whose files are all there and intact.
pub fn finished(root: &Path, batch: usize) -> Option<BatchRecord> {
    let text = std::fs::read_to_string(batch_path(root, batch)).ok()?;
    let rec: BatchRecord = serde_json::from_str(&text).ok()?;
    let intact = rec.batch == batch
        && rec
            .files
            .iter()
            .all(|(rel, sum)| checksum(&root.join(rel)).is_ok_and(|s| &s == sum));
    intact.then_some(rec)
}

/// Forget the records of another run's batches.
/// Forget another run's outputs: its manifest first (so nothing of it is taken as
/// finished), then the files and folders paralign writes — only those, whatever else the
/// folder holds.
pub fn clear(root: &Path) {
    let _ = std::fs::remove_dir_all(root.join("manifest"));
    for dir in OUTPUT_DIRS {
        let _ = std::fs::remove_dir_all(root.join(dir));
    }
    for file in OUTPUT_FILES {
        let _ = std::fs::remove_file(root.join(file));
    }
}

/// What a run writes in its output folder besides the manifest.
const OUTPUT_DIRS: [&str; 7] = [
    "ladder", "units", "tmx", "moses", "docpairs", "qa", "report",
];
const OUTPUT_FILES: [&str; 5] = [
    "docpairs.tsv",
    "qa.jsonl",
    "qa.tsv",
    "report.html",
    "summary.json",
];

/// The relative path of a batch's record.
pub fn batch_record_path(batch: usize) -> PathBuf {
    Path::new("manifest").join(format!("{}.json", batch_name(batch)))
}
