//! Corpus: find the documents of a corpus folder, read them, and group the language versions
//! of each statement.
//!
//! Layout: `CORPUS/<lang>/<doc>.txt`; versions of one statement share the file stem.

use crate::text::{self, Lang, TextError};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Files larger than this are refused unless the limit is raised: a statement is kilobytes,
/// and a multi-gigabyte file in a corpus folder is almost certainly not one.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 << 20;

/// The language versions of one statement.
#[derive(Clone, Debug)]
pub struct Statement {
    pub stem: String,
    pub files: [Option<PathBuf>; 5],
}

/// A folder in the corpus that is not one of the chosen languages.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SkippedFolder {
    pub path: PathBuf,
    pub reason: String,
}

/// What was found in a corpus folder.
#[derive(Clone, Debug)]
pub struct Corpus {
    pub root: PathBuf,
    /// The corpus folder's name: the default output folder is `alignments/<name>`.
    pub name: String,
    pub langs: Vec<Lang>,
    pub statements: Vec<Statement>,
    pub skipped_folders: Vec<SkippedFolder>,
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{}: cannot read the corpus folder: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: no folder for any of the languages {}", path.display(), langs)]
    NoLanguages { path: PathBuf, langs: String },
}

/// Find the statements of a corpus. Language folders not in `langs` are recorded as skipped.
pub fn discover(root: &Path, langs: &[Lang]) -> Result<Corpus, CorpusError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CorpusError::Io { path, source }
    };
    let mut by_stem: BTreeMap<String, [Option<PathBuf>; 5]> = BTreeMap::new();
    let mut skipped_folders = Vec::new();
    let mut found_any = false;
    let mut entries: Vec<_> = std::fs::read_dir(root)
        .map_err(io(root))?
        .collect::<Result<_, _>>()
        .map_err(io(root))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let lang = match name.parse::<Lang>() {
            Ok(l) if langs.contains(&l) => l,
            Ok(_) => {
                skipped_folders.push(SkippedFolder {
                    path,
                    reason: "language not chosen with --langs".into(),
                });
                continue;
            }
            Err(_) => {
                skipped_folders.push(SkippedFolder {
                    path,
                    reason: "not a language folder (en, ru, de, es, fr)".into(),
                });
                continue;
            }
        };
        found_any = true;
        let mut files: Vec<_> = std::fs::read_dir(&path)
            .map_err(io(&path))?
            .collect::<Result<_, _>>()
            .map_err(io(&path))?;
        files.sort_by_key(|e| e.file_name());
        for f in files {
            let fp = f.path();
            if fp.extension().is_some_and(|e| e == "txt") && fp.is_file() {
                let stem = fp
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                by_stem.entry(stem).or_default()[lang.index()] = Some(fp);
            }
        }
    }
    if !found_any {
        return Err(CorpusError::NoLanguages {
            path: root.to_path_buf(),
            langs: langs
                .iter()
                .map(|l| l.code())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "corpus".into());
    Ok(Corpus {
        root: root.to_path_buf(),
        name,
        langs: langs.to_vec(),
        statements: by_stem
            .into_iter()
            .map(|(stem, files)| Statement { stem, files })
            .collect(),
        skipped_folders,
    })
}

/// One language version of a statement, read.
#[derive(Clone, Debug)]
pub struct Document {
    pub lang: Lang,
    pub path: PathBuf,
    /// Output text of each paragraph.
    pub paragraphs: Vec<String>,
    pub bytes: u64,
}

/// A file that could not be read as a document.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputError {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for InputError {}

/// Read one document, refusing files over `max_bytes`.
pub fn read_document(path: &Path, lang: Lang, max_bytes: u64) -> Result<Document, InputError> {
    let err = |reason: String| InputError {
        path: path.to_path_buf(),
        reason,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| err(format!("cannot read: {e}")))?
        .len();
    if size > max_bytes {
        return Err(err(format!(
            "too large: {size} bytes, over the limit of {max_bytes} (--max-file-size)"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let paragraphs = text::read_paragraphs(&bytes).map_err(|e: TextError| err(e.to_string()))?;
    Ok(Document {
        lang,
        path: path.to_path_buf(),
        paragraphs,
        bytes: bytes.len() as u64,
    })
}
