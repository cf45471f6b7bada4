//! Export: each output format is one small type behind the [`Exporter`] trait, writing the
//! files of one batch (`units/batch-00001.jsonl`, …) through an [`Output`] that records them
//! for the resume manifest. Every file is written under a temporary name in its final folder
//! and renamed when complete, so an interrupted run never leaves a truncated file that looks
//! finished. Moses files, the bulk of the output, are written once: each batch appends to
//! the corpus-wide file under a `.partial` name, and [`finish`] renames it; [`finish`]
//! joins the other corpus-wide files from the batches' parts.

pub mod docpairs;
pub mod drop_behind;
pub mod escape;
pub mod files;
pub mod findings;
pub mod jsonl;
pub mod ladder;
pub mod moses;
pub mod report;
pub mod tmx;

use crate::aligned::AlignedCorpus;
use crate::qa::Finding;
use crate::text::Lang;
use files::{checksum_of, concat_atomic, growing, write_atomic, write_atomic_hashed};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Decimals of a unit's confidence in the units and the TMX.
pub const CONFIDENCE_DECIMALS: i32 = 4;

/// What the exporters write: a batch of aligned statements, and the QA findings on them
/// when QA was asked for.
#[derive(Clone, Copy, Debug)]
pub struct Batch<'a> {
    pub corpus: &'a AlignedCorpus,
    pub findings: Option<&'a [Finding]>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct ExportError {
    pub path: PathBuf,
    pub source: io::Error,
}

/// An output format: writes its files of one batch.
pub trait Exporter: Sync {
    fn write(&self, batch: &Batch, out: &Output) -> Result<(), ExportError>;
}

/// The formats of the corpora, as `--formats` names them.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `ladder/<doc>/<l1>-<l2>.txt`: the beads of each pair.
    Ladder,
    /// `units/batch-NNNNN.jsonl`: N-way units as JSON Lines.
    Units,
    /// `tmx/batch-NNNNN.tmx`: a translation memory.
    Tmx,
    /// `moses/<l1>-<l2>.<l>`: line-aligned text of each pair.
    Moses,
    /// `docpairs.tsv`: which files were taken for versions of one statement.
    Docpairs,
}

impl Format {
    /// Every format, in the order they are written.
    pub const ALL: [Format; 5] = [
        Format::Ladder,
        Format::Units,
        Format::Tmx,
        Format::Moses,
        Format::Docpairs,
    ];

    /// The writer of this format.
    pub fn exporter(self) -> &'static dyn Exporter {
        match self {
            Format::Ladder => &ladder::Ladder,
            Format::Units => &jsonl::UnitsJsonl,
            Format::Tmx => &tmx::Tmx,
            Format::Moses => &moses::Moses,
            Format::Docpairs => &docpairs::DocPairs,
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use clap::ValueEnum;
        let value = self.to_possible_value().expect("every format has a name");
        f.write_str(value.get_name())
    }
}

/// The writers of the QA findings (`qa.jsonl`, `qa.tsv`, `report.html`), with `--qa`.
pub const QA_EXPORTERS: [&dyn Exporter; 3] =
    [&findings::QaJsonl, &findings::QaTsv, &report::Report];

/// Where one batch's files go, and which were written.
#[derive(Debug)]
pub struct Output {
    pub root: PathBuf,
    /// 1-based batch number.
    pub batch: usize,
    /// Each file written, with the checksum of its bytes.
    written: std::sync::Mutex<Vec<(PathBuf, String)>>,
    /// Each corpus-wide file appended to, with where this batch's part lies.
    appended: std::sync::Mutex<Vec<(PathBuf, Appended)>>,
}

/// One batch's part of a corpus-wide file that batches append to in order: bytes
/// `start..start + len`, and their checksum.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Appended {
    pub start: u64,
    pub len: u64,
    pub xxh3: String,
}

impl Output {
    pub fn new(root: &Path, batch: usize) -> Output {
        Output {
            root: root.to_path_buf(),
            batch,
            written: Default::default(),
            appended: Default::default(),
        }
    }

    /// Append `bytes` to the corpus-wide file `rel` (relative to the root; it grows under
    /// its [`growing`] name) and record, and return, where they lie. Batches append in
    /// batch order.
    pub fn append(&self, rel: &Path, bytes: &[u8]) -> Result<Appended, ExportError> {
        let path = growing(&self.root.join(rel));
        let err = |source| ExportError {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(err)?;
        let start = f.metadata().map_err(err)?.len();
        // The earlier batches' parts are on disk by now, or nearly (see `drop_behind`).
        drop_behind::release(&f, 0, start);
        f.write_all(bytes).map_err(err)?;
        drop_behind::start(&f, start, bytes.len() as u64);
        let part = Appended {
            start,
            len: bytes.len() as u64,
            xxh3: checksum_of(bytes),
        };
        self.appended
            .lock()
            .expect("not poisoned")
            .push((rel.to_path_buf(), part.clone()));
        Ok(part)
    }

    /// The files appended to, relative to the root, with this batch's part of each, sorted.
    pub fn appended(&self) -> Vec<(PathBuf, Appended)> {
        sorted(&self.appended)
    }

    /// `dir/batch-00001.ext`, relative to the output root.
    pub fn batch_file(&self, dir: &str, ext: &str) -> PathBuf {
        Path::new(dir).join(format!("{}.{ext}", batch_name(self.batch)))
    }

    /// Write `rel` (relative to the root) atomically and record it.
    pub fn write<F>(&self, rel: &Path, fill: F) -> Result<(), ExportError>
    where
        F: FnOnce(&mut dyn Write) -> io::Result<()>,
    {
        let sum = write_atomic_hashed(&self.root.join(rel), fill)?;
        self.written
            .lock()
            .expect("not poisoned")
            .push((rel.to_path_buf(), sum));
        Ok(())
    }

    /// The files written, relative to the root, with their checksums, sorted.
    pub fn files(&self) -> Vec<(PathBuf, String)> {
        sorted(&self.written)
    }
}

/// A sorted copy of what the exporters recorded (they run in parallel, in any order).
fn sorted<T: Clone + Ord>(list: &std::sync::Mutex<Vec<T>>) -> Vec<T> {
    let mut v = list.lock().expect("not poisoned").clone();
    v.sort();
    v
}

/// "batch-00001".
pub fn batch_name(batch: usize) -> String {
    format!("batch-{batch:05}")
}

/// The corpus-wide files batches append to, relative to the output root.
pub fn appended_files(langs: &[Lang], formats: &[Format]) -> Vec<PathBuf> {
    if !formats.contains(&Format::Moses) {
        return Vec::new();
    }
    crate::text::lang::pairs(langs)
        .into_iter()
        .flat_map(|(x, y)| [x, y].map(|l| Path::new("moses").join(format!("{x}-{y}.{l}"))))
        .collect()
}

/// Complete the corpus-wide files: `moses/<l1>-<l2>.<l>`, which the batches appended to,
/// take their final names; `docpairs.tsv`, `qa.jsonl` and `qa.tsv` join the batches' parts
/// in order; `report.html` is the batch's page when there is one batch, else an index of
/// the batches' pages.
pub fn finish(
    root: &Path,
    batches: &[usize],
    langs: &[Lang],
    formats: &[Format],
    qa: bool,
) -> Result<(), ExportError> {
    // Paths relative to the root.
    let concat = |target: &Path, parts: Vec<PathBuf>, header: Option<&str>| {
        let parts: Vec<PathBuf> = parts.iter().map(|p| root.join(p)).collect();
        concat_atomic(&root.join(target), &parts, header)
    };
    let parts = |dir: &str, ext: &str| -> Vec<PathBuf> {
        batches
            .iter()
            .map(|&b| Path::new(dir).join(format!("{}.{ext}", batch_name(b))))
            .collect()
    };
    // The batches appended to these in order: they only take their final names.
    for rel in appended_files(langs, formats) {
        let path = root.join(rel);
        let grown = growing(&path);
        let err = |source| ExportError {
            path: grown.clone(),
            source,
        };
        if grown.exists() {
            std::fs::rename(&grown, &path).map_err(err)?;
        } else if !path.exists() {
            // No batch wrote here (a shard with none): empty, as a merge would leave it.
            write_atomic(&path, |_| Ok(()))?;
        }
    }
    if formats.contains(&Format::Docpairs) {
        concat(
            Path::new("docpairs.tsv"),
            parts("docpairs", "tsv"),
            Some(docpairs::HEADER),
        )?;
    }
    if qa {
        concat(Path::new("qa.jsonl"), parts("qa", "jsonl"), None)?;
        concat(
            Path::new("qa.tsv"),
            parts("qa", "tsv"),
            Some(findings::TSV_HEADER),
        )?;
        match batches {
            [one] => concat(
                Path::new("report.html"),
                vec![Path::new("report").join(format!("{}.html", batch_name(*one)))],
                None,
            )?,
            _ => write_atomic(&root.join("report.html"), |w| {
                report::write_index(w, batches)
            })?,
        }
    }
    Ok(())
}
