//! Export: each output format is one small type behind the [`Exporter`] trait. Every file is
//! written under a temporary name in its final folder and renamed when complete, so an
//! interrupted run never leaves a truncated file that looks finished.

pub mod docpairs;
pub mod findings;
pub mod jsonl;
pub mod ladder;
pub mod moses;
pub mod report;
pub mod tmx;

use crate::align::DocAlignment;
use crate::corpus::Document;
use crate::text::Lang;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// One statement with its versions and their alignment.
#[derive(Debug)]
pub struct AlignedStatement {
    /// The pivot version's id (or the first version's), safe as a file name.
    pub name: String,
    /// How sure the pairing of the versions is (1 for versions paired by stem).
    pub pairing_score: f64,
    pub docs: [Option<Document>; 5],
    pub alignment: DocAlignment,
}

impl AlignedStatement {
    /// Languages present, in canonical order.
    pub fn langs(&self) -> impl Iterator<Item = Lang> + '_ {
        Lang::ALL
            .into_iter()
            .filter(|l| self.docs[l.index()].is_some())
    }

    pub fn doc(&self, l: Lang) -> Option<&Document> {
        self.docs[l.index()].as_ref()
    }

    /// The paragraphs of `range` in language `l` that are text, not page chrome.
    pub fn text_paras(&self, l: Lang, range: std::ops::Range<usize>) -> Vec<usize> {
        match self.doc(l) {
            Some(d) => range.filter(|&p| !d.chrome[p]).collect(),
            None => Vec::new(),
        }
    }
}

/// Everything the exporters see.
#[derive(Debug)]
pub struct AlignedCorpus {
    pub name: String,
    /// Languages with at least one version, in canonical order.
    pub langs: Vec<Lang>,
    pub pivot: Lang,
    pub statements: Vec<AlignedStatement>,
    /// QA findings, when QA was asked for.
    pub findings: Option<Vec<crate::qa::Finding>>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct ExportError {
    pub path: PathBuf,
    pub source: io::Error,
}

pub trait Exporter: Sync {
    /// The format's name.
    fn name(&self) -> &'static str;
    /// Write the format's files under `out`.
    fn write(&self, corpus: &AlignedCorpus, out: &Path) -> Result<(), ExportError>;
}

/// Write `path` through a temporary file in the same folder, renamed into place once `fill`
/// has written everything.
pub fn write_atomic<F>(path: &Path, fill: F) -> Result<(), ExportError>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let err = |source| ExportError {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".paralign-").suffix(".tmp");
    // Outputs are for others to read: not the 0600 of a temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let tmp = builder.tempfile_in(dir).map_err(err)?;
    {
        let mut w = BufWriter::new(tmp.as_file());
        fill(&mut w).map_err(err)?;
        w.flush().map_err(err)?;
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// The text of paragraphs `paras` of a document as one segment, joined by a space.
pub fn segment(doc: &Document, paras: &[usize]) -> String {
    let texts: Vec<&str> = paras.iter().map(|&p| doc.paragraphs[p].as_str()).collect();
    texts.join(" ")
}

/// A TSV field: backslash, tab, newline and carriage return escaped as \\, \t, \n, \r.
pub fn tsv_field(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['\\', '\t', '\n', '\r']) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ => out.push(c),
        }
    }
    out.into()
}

/// Text that XML 1.0 can carry: characters it forbids even when escaped (C0 controls but
/// tab, newline and carriage return; U+FFFE, U+FFFF) become U+FFFD.
pub fn xml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if text.chars().any(bad) {
        text.chars()
            .map(|c| if bad(c) { '\u{fffd}' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}
