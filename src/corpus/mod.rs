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
/// a page as scraped at most a few megabytes. Aligning a file costs up to about 16 times
/// its size in memory (a single paragraph of unique words, measured by `cargo bench
/// --bench hostile`), so this bounds what one hostile file may cost to half a gigabyte.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 32 << 20;

/// Documents with more paragraphs than this are refused unless the limit is raised: a
/// statement has hundreds, a book tens of thousands; millions are junk, and would cost
/// gigabytes to align.
pub const DEFAULT_MAX_PARAGRAPHS: usize = 50_000;

/// JSON Lines records read from one file, at most: records are held from planning to the
/// end of the run, a few hundred bytes each besides their text, and an archive's export
/// has a file per language of at most tens of thousands of statements.
pub const DEFAULT_MAX_RECORDS: usize = 100_000;

/// What one file or record may cost: over a limit, it is skipped (the records of a JSON
/// Lines file past the limit, with one report).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub file_bytes: u64,
    pub paragraphs: usize,
    pub records: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: DEFAULT_MAX_FILE_BYTES,
            paragraphs: DEFAULT_MAX_PARAGRAPHS,
            records: DEFAULT_MAX_RECORDS,
        }
    }
}

/// How the files of a corpus are read: what one may cost, and what becomes of the line
/// breaks inside a paragraph.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    pub limits: Limits,
    pub line_breaks: text::LineBreaks,
}

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
    /// Folders that are not among the chosen languages.
    pub skipped_folders: Vec<SkippedFolder>,
    /// Input that cannot be read: language folders that cannot be listed or are files,
    /// links not followed, broken or looping.
    pub skipped: Vec<InputError>,
    /// A checksum of every input file's place (language and name), size and time of last
    /// change: a corpus changed, renamed or another one of the same name has another.
    pub fingerprint: String,
}

/// How a corpus folder is listed.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    /// Read what links point to outside the corpus folder too.
    pub follow_links: bool,
    /// A folder of the corpus not to list (the run's output folder).
    pub exclude: Option<PathBuf>,
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

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<std::fs::DirEntry>> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    // Each name taken once: `file_name` allocates.
    entries.sort_by_cached_key(|e| e.file_name());
    Ok(entries)
}

/// Where a link leads, if it may be read: inside `root` (canonical), or anywhere when links
/// are followed. Err is why not.
fn link_target(path: &Path, root: &Path, follow: bool) -> Result<PathBuf, String> {
    let target = path.canonicalize().map_err(|e| {
        if e.raw_os_error() == Some(40) {
            "a link that loops: not followed".to_string()
        } else if e.kind() == std::io::ErrorKind::NotFound {
            "a broken link: what it points to does not exist".to_string()
        } else {
            format!("a link that cannot be followed: {e}")
        }
    })?;
    if follow || target.starts_with(root) {
        Ok(target)
    } else {
        Err(format!(
            "a link to {} outside the corpus folder: not followed (--follow-links follows it)",
            target.display()
        ))
    }
}

/// A file's size and time of last change, for the corpus's fingerprint.
fn stamp(meta: &std::fs::Metadata) -> (u64, u128) {
    let time = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (meta.len(), time)
}

/// One language folder listed: its files, each with its stamp, and what in it cannot be
/// read.
type Listed = (Vec<(InputFile, (u64, u128))>, Vec<InputError>);

fn list_language(lang: Lang, dir: &Path, root: &Path, follow: bool) -> Listed {
    let skip = |path: PathBuf, reason: String| InputError {
        path,
        line: None,
        reason,
    };
    let entries = match sorted_entries(dir) {
        Ok(e) => e,
        Err(e) => {
            return (
                Vec::new(),
                vec![skip(
                    dir.to_path_buf(),
                    format!("cannot list the language folder: {e}"),
                )],
            );
        }
    };
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for f in entries {
        let path = f.path();
        let Some(format) = Format::of(&path) else {
            continue;
        };
        // The entry's type comes with the folder listing on most file systems.
        let Ok(kind) = f.file_type() else { continue };
        let meta = if kind.is_symlink() {
            match link_target(&path, root, follow) {
                Ok(target) => std::fs::metadata(target),
                Err(reason) => {
                    skipped.push(skip(path, reason));
                    continue;
                }
            }
        } else {
            f.metadata()
        };
        match meta {
            Ok(m) if m.is_file() => files.push((InputFile { lang, path, format }, stamp(&m))),
            Ok(_) => {}
            Err(e) => skipped.push(skip(path, format!("cannot read: {e}"))),
        }
    }
    (files, skipped)
}

/// What an entry of the corpus folder is.
enum TopEntry {
    /// The folder of a chosen language.
    Language(Lang),
    /// A chosen language's folder that cannot be read: why.
    Unreadable(String),
    /// A folder that is not a chosen language's: why.
    OtherFolder(&'static str),
    /// A file of the corpus folder itself (a README, say).
    Other,
}

fn top_entry(entry: &std::fs::DirEntry, langs: &[Lang], root: &Path, follow: bool) -> TopEntry {
    let path = entry.path();
    let name = entry.file_name().to_string_lossy().into_owned();
    let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
    let is_dir = path.is_dir();
    match name.parse::<Lang>().ok() {
        Some(l) if langs.contains(&l) => {
            let unreadable = if is_link {
                link_target(&path, root, follow)
                    .err()
                    .or_else(|| (!is_dir).then(|| "a link to a file, not a language folder".into()))
            } else if !is_dir {
                Some(format!(
                    "a file, not a folder: the {l} files go in a folder {name}/"
                ))
            } else {
                None
            };
            unreadable.map_or(TopEntry::Language(l), TopEntry::Unreadable)
        }
        Some(_) if is_dir => TopEntry::OtherFolder("language not chosen with --langs"),
        None if is_dir => TopEntry::OtherFolder("not a language folder (en, ru, de, es, fr)"),
        _ => TopEntry::Other,
    }
}

/// A corpus's name: its folder's (`corpora/demo/.` is `demo`).
pub fn folder_name(root: &Path) -> String {
    root.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "corpus".into())
}

/// Find the files of a corpus. Folders that are not among `langs` are recorded as skipped;
/// so is input that cannot be read (a language folder that cannot be listed or is a file,
/// a link that is broken, loops or leads out of the corpus folder).
pub fn discover(root: &Path, langs: &[Lang], listing: &Listing) -> Result<Corpus, CorpusError> {
    let io = |source| CorpusError::Io {
        path: root.to_path_buf(),
        source,
    };
    let canonical = root.canonicalize().map_err(io)?;
    let mut skipped_folders = Vec::new();
    let mut skipped = Vec::new();
    let mut found = Vec::new();
    for entry in sorted_entries(root).map_err(io)? {
        let path = entry.path();
        if listing.exclude.as_deref() == Some(path.as_path()) {
            continue;
        }
        match top_entry(&entry, langs, &canonical, listing.follow_links) {
            TopEntry::Language(l) => found.push((l, path)),
            TopEntry::Unreadable(reason) => skipped.push(InputError {
                path,
                line: None,
                reason,
            }),
            TopEntry::OtherFolder(reason) => skipped_folders.push(SkippedFolder {
                path,
                reason: reason.into(),
            }),
            TopEntry::Other => {}
        }
    }
    if found.is_empty() && skipped.is_empty() {
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
    let listed: Vec<Listed> = found
        .par_iter()
        .map(|(lang, dir)| list_language(*lang, dir, &canonical, listing.follow_links))
        .collect();
    let mut files: Vec<InputFile> = Vec::new();
    let mut print = xxhash_rust::xxh3::Xxh3Default::new();
    for (folder, unreadable) in listed {
        for (file, (size, time)) in folder {
            let name = file.path.file_name().unwrap_or_default();
            print.update(
                format!("{}/{}\0{size}\0{time}\n", file.lang, name.to_string_lossy()).as_bytes(),
            );
            files.push(file);
        }
        skipped.extend(unreadable);
    }
    Ok(Corpus {
        root: root.to_path_buf(),
        name: folder_name(root),
        langs: langs.to_vec(),
        files,
        skipped_folders,
        skipped,
        fingerprint: format!("{:032x}", print.digest128()),
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

/// Read one file, refusing it when it is over the limits.
pub fn read_file(file: &InputFile, read: &ReadOptions) -> ReadOutcome {
    match read_bytes(file, read.limits.file_bytes) {
        Ok(bytes) => parse(file, bytes, read),
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

/// The documents in a file's bytes: decoded, parsed, normalized and split into paragraphs;
/// a document of more than `limits.paragraphs` paragraphs is refused.
pub fn parse(file: &InputFile, bytes: Vec<u8>, read: &ReadOptions) -> ReadOutcome {
    let limits = &read.limits;
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
        Format::Text => match text::read_paragraphs(&bytes, limits.paragraphs, read.line_breaks) {
            Ok(paras) => ReadOutcome {
                docs: vec![single(paras, Meta::default())],
                ..Default::default()
            },
            Err(e) => ReadOutcome::error(path, e.to_string()),
        },
        Format::Html => match html::read(&bytes, limits.paragraphs) {
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
        Format::Jsonl => {
            let (docs, errors) = jsonl::read(&bytes, file.lang, path, read);
            ReadOutcome {
                docs,
                errors,
                warnings: Vec::new(),
            }
        }
    }
}
