//! The resume manifest: `manifest/run.json` says which run the outputs belong to, and
//! `manifest/batch-00001.json`, written last for each batch and atomically, lists the batch's
//! files with a checksum of each, where its parts of the corpus-wide files it appends to
//! lie (with their checksums), and the batch's statistics. A run started again with the same
//! command keeps the batches intact from the first on and does the rest; `paralign merge`
//! joins the outputs of shards through the same records.

use super::config::RunConfig;
use super::stats::Stats;
use crate::export::files::{growing, write_atomic};
use crate::export::{Appended, ExportError, batch_name};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One finished batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchRecord {
    pub batch: usize,
    /// Relative path → checksum of the file (XXH3-128).
    pub files: BTreeMap<String, String>,
    /// Relative path of a corpus-wide file → this batch's part of it.
    pub appended: BTreeMap<String, Appended>,
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
    let mut sum = crate::export::files::Checksum::default();
    std::io::copy(&mut std::fs::File::open(path)?, &mut sum)?;
    Ok(sum.finish())
}

/// What an output folder's `manifest/run.json` says.
#[derive(Debug)]
pub enum Found {
    /// No run.json: not a paralign output (or an empty one).
    None,
    Run(Box<RunConfig>),
    /// A run.json this version cannot read (another version's, or damaged).
    Unreadable,
}

impl Found {
    pub fn run(self) -> Option<RunConfig> {
        match self {
            Found::Run(c) => Some(*c),
            _ => None,
        }
    }
}

pub fn read_config(root: &Path) -> Found {
    match std::fs::read_to_string(run_path(root)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Found::None,
        Err(_) => Found::Unreadable,
        Ok(text) => {
            serde_json::from_str(&text).map_or(Found::Unreadable, |c| Found::Run(Box::new(c)))
        }
    }
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

/// Record a finished batch: its files and parts with their checksums, and its statistics.
pub fn record(
    root: &Path,
    batch: usize,
    files: &[(PathBuf, String)],
    appended: &[(PathBuf, Appended)],
    stats: Stats,
) -> Result<BatchRecord, ExportError> {
    let rec = BatchRecord {
        batch,
        files: files
            .iter()
            .map(|(rel, sum)| (key(rel), sum.clone()))
            .collect(),
        appended: appended
            .iter()
            .map(|(rel, a)| (key(rel), a.clone()))
            .collect(),
        stats,
    };
    write_record(root, &rec)?;
    Ok(rec)
}

/// A record's key for a file: its path relative to the root, with forward slashes.
fn key(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

pub fn write_record(root: &Path, rec: &BatchRecord) -> Result<(), ExportError> {
    write_json(&batch_path(root, rec.batch), rec)
}

/// The record of a finished batch whose files and parts are all there and intact.
pub fn finished(root: &Path, batch: usize) -> Option<BatchRecord> {
    let (rec, _) = with_parts(root, batch)?;
    rec.files
        .iter()
        .all(|(rel, sum)| checksum(&root.join(rel)).is_ok_and(|s| &s == sum))
        .then_some(rec)
}

/// A batch's record with its parts of the appended files (in the record's order), each read
/// once and checked. The batch's own files are not checked here: `merge` checks each as it
/// copies it, so that it reads it once. The parts are a batch's share of the Moses files, so
/// memory stays bounded by the batch.
pub fn with_parts(root: &Path, batch: usize) -> Option<(BatchRecord, Vec<Vec<u8>>)> {
    let text = std::fs::read_to_string(batch_path(root, batch)).ok()?;
    let rec: BatchRecord = serde_json::from_str(&text).ok()?;
    if rec.batch != batch {
        return None;
    }
    let parts = rec
        .appended
        .iter()
        .map(|(rel, part)| read_part(root, rel, part).ok().filter(|b| hash_is(b, part)))
        .collect::<Option<Vec<_>>>()?;
    Some((rec, parts))
}

fn hash_is(bytes: &[u8], part: &Appended) -> bool {
    crate::export::files::checksum_of(bytes) == part.xxh3
}

/// A batch's part of an appended file, from the file under its growing name while the run
/// appends to it, else under its final name.
pub fn read_part(root: &Path, rel: &str, part: &Appended) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let path = root.join(rel);
    let grown = growing(&path);
    let mut f = std::fs::File::open(if grown.exists() { &grown } else { &path })?;
    if part.start.saturating_add(part.len) > f.metadata()?.len() {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    f.seek(SeekFrom::Start(part.start))?;
    let mut bytes = vec![0; part.len as usize];
    f.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// Make ready to resume: the batches of `mine` (in order) kept are the longest run of
/// finished ones from the first, as each batch appends to the corpus-wide files after the
/// one before. The appended files are cut back to the end of the last kept batch, under
/// their growing names, and the records of later batches are removed.
pub fn resume(root: &Path, mine: &[usize], appended_files: &[PathBuf]) -> Vec<BatchRecord> {
    // A complete run's files carry their final names: grow them again.
    for rel in appended_files {
        let path = root.join(rel);
        if path.exists() && !growing(&path).exists() {
            let _ = std::fs::rename(&path, growing(&path));
        }
    }
    // Kept while each batch's parts follow the last kept batch's, end to end: what another
    // run left (with other shards, say) is not taken for this one's.
    let mut ends: BTreeMap<String, u64> = BTreeMap::new();
    let kept: Vec<BatchRecord> = mine
        .iter()
        .map_while(|&b| {
            let rec = finished(root, b)?;
            let follows = rec
                .appended
                .iter()
                .all(|(rel, part)| part.start == ends.get(rel).copied().unwrap_or(0));
            if !follows {
                return None;
            }
            for (rel, part) in &rec.appended {
                ends.insert(rel.clone(), part.start + part.len);
            }
            Some(rec)
        })
        .collect();
    for &b in &mine[kept.len()..] {
        let _ = std::fs::remove_file(batch_path(root, b));
    }
    for rel in appended_files {
        let end = ends.get(&key(rel)).copied().unwrap_or(0);
        let grown = growing(&root.join(rel));
        if let Ok(f) = std::fs::OpenOptions::new().write(true).open(&grown) {
            let _ = f.set_len(end);
        }
    }
    kept
}

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

/// Does `dir` hold anything but what paralign writes (and its lock file)?
pub fn holds_foreign_files(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        !(name == "manifest"
            || name == super::lock::LOCK_FILE
            || OUTPUT_DIRS.contains(&name.as_ref())
            || OUTPUT_FILES.contains(&name.as_ref()))
    })
}

/// What a run writes in its output folder besides the manifest.
const OUTPUT_DIRS: [&str; 9] = [
    "ladder",
    "ladder-sentences",
    "sentences",
    "units",
    "tmx",
    "moses",
    "docpairs",
    "qa",
    "report",
];
const OUTPUT_FILES: [&str; 5] = [
    "docpairs.tsv",
    "qa.jsonl",
    "qa.tsv",
    "report.html",
    "summary.json",
];
