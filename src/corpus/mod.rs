//! Corpus: find the documents of a corpus folder and read them — plain text, HTML pages as
//! scraped, JSON Lines records — then pair the language versions of each statement
//! ([`pairing`]).
//!
//! Layout: `CORPUS/<lang>/<doc>.txt`, `<doc>.html`, or `*.jsonl` (one record a line).

pub mod html;
pub mod jsonl;
pub mod pairing;

use crate::text::{self, Lang};
use rayon::prelude::*;
use std::fmt;
use std::path::{Path, PathBuf};

/// Files larger than this are refused unless the limit is raised: a statement is kilobytes,
/// and a multi-gigabyte file in a corpus folder is almost certainly not one.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 << 20;

/// How a file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// UTF-8 text, paragraphs separated by blank lines.
    Text,
    /// An HTML page: the main text's paragraphs.
    Html,
    /// JSON Lines: one statement a line.
    Jsonl,
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            "jsonl" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// A file of one language folder.
#[derive(Clone, Debug)]
pub struct InputFile {
    pub lang: Lang,
    pub path: PathBuf,
    pub format: Format,
}

/// A folder in the corpus that is not one of the chosen languages.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// Files by language (canonical order), then by path.
    pub files: Vec<InputFile>,
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

fn sorted_entries(dir: &Path) -> Result<Vec<std::fs::DirEntry>, CorpusError> {
    let io = |source| CorpusError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    // Each name taken once: `file_name` allocates.
    entries.sort_by_cached_key(|e| e.file_name());
    Ok(entries)
}

/// Find the files of a corpus. Folders that are not among `langs` are recorded as skipped.
pub fn discover(root: &Path, langs: &[Lang]) -> Result<Corpus, CorpusError> {
    let mut skipped_folders = Vec::new();
    let mut found = Vec::new();
    for entry in sorted_entries(root)? {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        match name.parse::<Lang>() {
            Ok(l) if langs.contains(&l) => found.push((l, path)),
            Ok(_) => skipped_folders.push(SkippedFolder {
                path,
                reason: "language not chosen with --langs".into(),
            }),
            Err(_) => skipped_folders.push(SkippedFolder {
                path,
                reason: "not a language folder (en, ru, de, es, fr)".into(),
            }),
        }
    }
    if found.is_empty() {
        return Err(CorpusError::NoLanguages {
            path: root.to_path_buf(),
            langs: langs
                .iter()
                .map(|l| l.code())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    found.sort();
    // The language folders are listed side by side: in an archive they hold 100,000 files
    // each.
    let listed: Vec<Result<Vec<InputFile>, CorpusError>> = found
        .par_iter()
        .map(|(lang, dir)| {
            let mut files = Vec::new();
            for f in sorted_entries(dir)? {
                let path = f.path();
                // The entry's type comes with the folder listing on most file systems; a
                // stat per file took seconds on an archive. Links are followed, as before.
                let is_file = f
                    .file_type()
                    .is_ok_and(|t| t.is_file() || (t.is_symlink() && path.is_file()));
                if let (true, Some(format)) = (is_file, Format::of(&path)) {
                    files.push(InputFile {
                        lang: *lang,
                        path,
                        format,
                    });
                }
            }
            Ok(files)
        })
        .collect();
    // The first folder that cannot be listed, in folder order, whatever the threads did.
    let mut files: Vec<InputFile> = Vec::new();
    for folder in listed {
        files.extend(folder?);
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
        files,
        skipped_folders,
    })
}

/// What a page or record says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Meta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One language version of a statement, read.
#[derive(Clone, Debug)]
pub struct Document {
    pub lang: Lang,
    /// The file stem, or the record's id.
    pub id: String,
    pub path: PathBuf,
    /// The line of a JSON Lines record.
    pub line: Option<usize>,
    /// Output text of each paragraph.
    pub paragraphs: Vec<String>,
    /// Which paragraphs are page chrome (set by the text stage).
    pub chrome: Vec<bool>,
    pub meta: Meta,
    pub bytes: u64,
}

impl Document {
    /// Where the document was read from: `path` or `path:line`.
    pub fn origin(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{l}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }
}

/// Input that could not be read as a document: a file, or one record of a file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InputError {
    pub path: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path.display(), self.reason),
            None => write!(f, "{}: {}", self.path.display(), self.reason),
        }
    }
}

impl std::error::Error for InputError {}

/// What reading one file gave: its documents, what in it could not be read (a problem that
/// spoils the whole file yields no documents and one error; a JSON Lines file may yield both),
/// and warnings about input that was read all the same (recovered markup).
#[derive(Debug, Default)]
pub struct ReadOutcome {
    pub docs: Vec<Document>,
    pub errors: Vec<InputError>,
    pub warnings: Vec<InputError>,
}

impl ReadOutcome {
    fn error(path: &Path, reason: String) -> ReadOutcome {
        ReadOutcome {
            errors: vec![InputError {
                path: path.to_path_buf(),
                line: None,
                reason,
            }],
            ..Default::default()
        }
    }
}

/// Read one file, refusing it when it is over `max_bytes`.
pub fn read_file(file: &InputFile, max_bytes: u64) -> ReadOutcome {
    match read_bytes(file, max_bytes) {
        Ok(bytes) => parse(file, bytes),
        Err(refused) => refused,
    }
}

/// A file's bytes, or why it cannot be read (over `max_bytes`, or an I/O error).
pub fn read_bytes(file: &InputFile, max_bytes: u64) -> Result<Vec<u8>, ReadOutcome> {
    let path = &file.path;
    let cannot = |e: std::io::Error| ReadOutcome::error(path, format!("cannot read: {e}"));
    // Opened once, and sized from the open file: a path looked up once, not three times.
    let mut f = std::fs::File::open(path).map_err(cannot)?;
    let size = f.metadata().map_err(cannot)?.len();
    if size > max_bytes {
        let msg =
            format!("too large: {size} bytes, over the limit of {max_bytes} (--max-file-size)");
        return Err(ReadOutcome::error(path, msg));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    std::io::Read::read_to_end(&mut f, &mut bytes).map_err(cannot)?;
    Ok(bytes)
}

/// The documents in a file's bytes: decoded, parsed, normalized and split into paragraphs.
pub fn parse(file: &InputFile, bytes: Vec<u8>) -> ReadOutcome {
    let path = &file.path;
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let single = |paragraphs: Vec<String>, meta: Meta| Document {
        lang: file.lang,
        id: stem.clone(),
        path: path.clone(),
        line: None,
        chrome: vec![false; paragraphs.len()],
        paragraphs,
        meta,
        bytes: bytes.len() as u64,
    };
    match file.format {
        Format::Text => match text::read_paragraphs(&bytes) {
            Ok(paras) => ReadOutcome {
                docs: vec![single(paras, Meta::default())],
                ..Default::default()
            },
            Err(e) => ReadOutcome::error(path, e.to_string()),
        },
        Format::Html => match text::decode(&bytes)
            .map_err(|e| e.to_string())
            .and_then(html::extract)
        {
            Ok(page) => ReadOutcome {
                docs: vec![single(page.paragraphs, page.meta)],
                errors: Vec::new(),
                warnings: page
                    .warnings
                    .into_iter()
                    .map(|(line, reason)| InputError {
                        path: path.clone(),
                        line: Some(line),
                        reason,
                    })
                    .collect(),
            },
            Err(reason) => ReadOutcome::error(path, reason),
        },
        Format::Jsonl => match text::decode(&bytes) {
            Ok(t) => {
                let (docs, errors) = jsonl::read(t, file.lang, path);
                ReadOutcome {
                    docs,
                    errors,
                    warnings: Vec::new(),
                }
            }
            Err(e) => ReadOutcome::error(path, e.to_string()),
        },
    }
}
