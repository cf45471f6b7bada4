//! Export: each output format is one small type behind the [`Exporter`] trait, writing the
//! files of one batch (`units/batch-00001.jsonl`, …) through an [`Output`] that records them
//! for the resume manifest. Every file is written under a temporary name in its final folder
//! and renamed when complete, so an interrupted run never leaves a truncated file that looks
//! finished. Moses files, the bulk of the output, are written once: each batch appends to
//! the corpus-wide file under a `.partial` name, and [`finish`] renames it; [`finish`]
//! joins the other corpus-wide files from the batches' parts.

pub mod docpairs;
pub mod drop_behind;
pub mod findings;
pub mod jsonl;
pub mod ladder;
pub mod moses;
pub mod report;
pub mod tmx;

use crate::aligned::AlignedCorpus;
use crate::qa::Finding;
use crate::text::Lang;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

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

/// Where a corpus-wide file grows while a run appends to it: renamed to `path` when the
/// run is complete, so that a file under its final name is always whole.
pub fn growing(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
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

/// Write `path` through a temporary file in the same folder, renamed into place once `fill`
/// has written everything.
pub fn write_atomic<F>(path: &Path, fill: F) -> Result<(), ExportError>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    write_atomic_hashed(path, fill).map(|_| ())
}

/// A temporary file in `dir` (created if need be), readable by others once renamed: not
/// the 0600 of a temporary file.
fn temporary_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".paralign-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(dir)
}

/// The checksum the manifest records of a file or part: XXH3-128 in hex. It guards against
/// truncated and damaged files, not against forgery, and hashes 15 GB of output in a
/// second and a half where BLAKE3 took six.
pub fn checksum_of(bytes: &[u8]) -> String {
    hex128(xxhash_rust::xxh3::xxh3_128(bytes))
}

fn hex128(h: u128) -> String {
    format!("{h:032x}")
}

/// A checksum computed piece by piece: the same as [`checksum_of`] of the pieces joined.
#[derive(Default)]
pub struct Checksum(xxhash_rust::xxh3::Xxh3Default);

impl Checksum {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(&self) -> String {
        hex128(self.0.digest128())
    }
}

impl Write for Checksum {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A writer that hashes what passes through it (as the manifest records).
struct Hashing<W> {
    inner: W,
    hasher: Checksum,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// [`write_atomic`], returning the checksum of the bytes written: no need to read them back.
pub fn write_atomic_hashed<F>(path: &Path, fill: F) -> Result<String, ExportError>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let err = |source| ExportError {
        path: path.to_path_buf(),
        source,
    };
    let (tmp, sum) = temporary_hashed(path, fill).map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(sum)
}

/// What `fill` writes, in a temporary file beside `path` (not yet in its place), handed to
/// the disk and dropped from the cache as it goes, with the checksum of its bytes.
fn temporary_hashed<F>(path: &Path, fill: F) -> io::Result<(tempfile::NamedTempFile, String)>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let tmp = temporary_in(path.parent().unwrap_or(Path::new(".")))?;
    let sum = {
        // Buffered before hashing: large slices hash faster than many small ones.
        let mut w = BufWriter::with_capacity(
            1 << 16,
            Hashing {
                inner: drop_behind::DropBehind::new(tmp.as_file()),
                hasher: Checksum::default(),
            },
        );
        fill(&mut w)?;
        w.flush()?;
        let hashing = w.into_inner().map_err(|e| e.into_error())?;
        hashing.inner.finish();
        hashing.hasher.finish()
    };
    Ok((tmp, sum))
}

/// A TSV field: backslash, tab, newline and carriage return escaped as \\, \t, \n, \r, and
/// every other character that some reader takes for the end of a line or that a terminal
/// obeys — other controls, U+0085, U+2028, U+2029 — as \uXXXX: a field is one line for
/// `cut`, spreadsheets and Python's `splitlines` alike.
pub fn tsv_field(text: &str) -> std::borrow::Cow<'_, str> {
    let special = |c: char| c == '\\' || c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.contains(special) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if special(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            _ => out.push(c),
        }
    }
    out.into()
}

/// Append `text` to `buf` as XML character data: the five markup characters and carriage
/// return as references, as `quick_xml::escape::escape` writes them, and the characters XML
/// 1.0 forbids even escaped (C0 controls but tab, newline and carriage return; U+FFFE,
/// U+FFFF) as U+FFFD. One pass, straight into `buf`: TMX writes all its text through here.
pub fn push_xml_text(buf: &mut String, text: &str) {
    // Bytes that may need replacing: the markup characters, C0 controls, and 0xEF, the lead
    // byte of U+FFFE and U+FFFF. Tab and newline are looked at and kept.
    // Compared one by one and joined with `|`, not `matches!`: the compiler vectorizes that.
    let suspect = |b: u8| {
        (b < 0x20)
            | (b == b'<')
            | (b == b'>')
            | (b == b'&')
            | (b == b'\'')
            | (b == b'"')
            | (b == 0xef)
    };
    let bytes = text.as_bytes();
    // Clean text is copied in runs; `run` is where the current one started.
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        // Blocks of 16 bytes with no suspect are skipped in a pass the compiler vectorizes.
        while let Some(block) = bytes.get(i..i + 16) {
            if block.iter().fold(0u8, |seen, &b| seen | suspect(b) as u8) != 0 {
                break;
            }
            i += 16;
        }
        let end = (i + 16).min(bytes.len());
        while i < end {
            let b = bytes[i];
            let (replacement, len) = match b {
                b'<' => ("&lt;", 1),
                b'>' => ("&gt;", 1),
                b'&' => ("&amp;", 1),
                b'\'' => ("&apos;", 1),
                b'"' => ("&quot;", 1),
                b'\r' => ("&#13;", 1),
                b'\t' | b'\n' => ("", 0),
                0..0x20 => ("\u{fffd}", 1),
                // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
                0xef if matches!(bytes.get(i + 1..i + 3), Some([0xbf, 0xbe | 0xbf])) => {
                    ("\u{fffd}", 3)
                }
                _ => ("", 0),
            };
            if len == 0 {
                i += 1;
                continue;
            }
            buf.push_str(&text[run..i]);
            buf.push_str(replacement);
            i += len;
            run = i;
        }
    }
    buf.push_str(&text[run..]);
}

/// Text that XML 1.0 can carry: characters it forbids even when escaped (C0 controls but
/// tab, newline and carriage return; U+FFFE, U+FFFF) become U+FFFD. The definition
/// [`push_xml_text`] is checked against.
#[cfg(test)]
fn xml_safe(text: &str) -> String {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    text.chars()
        .map(|c| if bad(c) { '\u{fffd}' } else { c })
        .collect()
}

/// Remove the temporary files a killed run left where a batch with statements `names`
/// writes, and at the top of the output.
pub fn remove_stale_temporaries(root: &Path, names: &[&str]) {
    let mut dirs: Vec<PathBuf> = ["", "manifest", "units", "tmx", "docpairs", "qa", "report"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    dirs.extend(names.iter().map(|n| root.join("ladder").join(n)));
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(".paralign-") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Write `path` as `header` and `parts` one after another, through a temporary file
/// renamed into place (a copy cut short leaves no half file). File to file, so that the
/// kernel copies the bytes (copy_file_range).
pub fn concat_atomic(
    path: &Path,
    parts: &[PathBuf],
    header: Option<&str>,
) -> Result<(), ExportError> {
    let err = |source| ExportError {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = temporary_in(dir).map_err(err)?;
    if let Some(h) = header {
        writeln!(tmp.as_file_mut(), "{h}").map_err(err)?;
    }
    for from in parts {
        let mut f = std::fs::File::open(from).map_err(|source| ExportError {
            path: from.clone(),
            source,
        })?;
        io::copy(&mut f, tmp.as_file_mut()).map_err(err)?;
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Copy `from` into a temporary file beside `to`, checksummed as it is read: the copy, not
/// yet in place, when its checksum is `expected`; None when it is not or `from` cannot be
/// read. An error is a failure to write the copy. Read once, and neither side left in the
/// page cache: `merge` copies a whole corpus this way.
pub fn copy_checked(
    from: &Path,
    to: &Path,
    expected: &str,
) -> Result<Option<tempfile::TempPath>, ExportError> {
    let Ok(mut source) = std::fs::File::open(from) else {
        return Ok(None);
    };
    // A failure to read is the shard's, told apart from a failure to write the copy.
    let mut unreadable = false;
    let mut read = 0u64;
    let (tmp, sum) = temporary_hashed(to, |w| {
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = match io::Read::read(&mut source, &mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    unreadable = true;
                    return Ok(());
                }
            };
            w.write_all(&buf[..n])?;
            read += n as u64;
        }
    })
    .map_err(|source| ExportError {
        path: to.to_path_buf(),
        source,
    })?;
    drop_behind::release(&source, 0, read);
    Ok((!unreadable && sum == expected).then(|| tmp.into_temp_path()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_safe_replaces_exactly_what_xml_forbids() {
        let chars = ('\0'..='\u{3000}').chain(['\u{fffd}', '\u{fffe}', '\u{ffff}', '\u{1f600}']);
        for c in chars {
            let forbidden = (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{fffe}' | '\u{ffff}');
            let expected = if forbidden { '\u{fffd}' } else { c };
            let text = format!("a{c}b");
            assert_eq!(
                xml_safe(&text),
                format!("a{expected}b"),
                "U+{:04X}",
                c as u32
            );
        }
    }

    /// What TMX wrote before `push_xml_text`: quick-xml's escaping of `xml_safe`.
    fn escaped(text: &str) -> String {
        quick_xml::escape::escape(xml_safe(text)).into_owned()
    }

    fn pushed(text: &str) -> String {
        let mut buf = String::from("<seg>");
        push_xml_text(&mut buf, text);
        buf.split_off("<seg>".len())
    }

    #[test]
    fn xml_text_is_escaped_as_quick_xml_escapes_xml_safe_text() {
        let chars = ('\0'..='\u{3000}').chain([
            '\u{f000}',
            '\u{fefe}',
            '\u{ff00}',
            '\u{ffbe}',
            '\u{fffd}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1f600}',
        ]);
        for c in chars {
            // Alone, between letters, at the start of a 16-byte block, and where one ends.
            let texts = [
                c.to_string(),
                format!("a{c}b"),
                format!("{c}{}", "y".repeat(20)),
                format!("{}{c}{c}x", "y".repeat(14)),
            ];
            for text in texts {
                assert_eq!(pushed(&text), escaped(&text), "U+{:04X}", c as u32);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn xml_text_of_any_text_is_what_quick_xml_makes_of_it(
            text in "[a-z\\-<>&'\"\r\n\t\u{0}\u{1}\u{1f}ï\u{fdd0}\u{fffd}\u{fffe}\u{ffff}Я€ ]{0,80}"
        ) {
            proptest::prop_assert_eq!(pushed(&text), escaped(&text));
        }
    }
}
