//! `ladder/<doc>/<l1>-<l2>.txt`: one bead a line, `[i,j]:[k]`, 0-based paragraph indices —
//! the format of the shared gold sets. Written and read here (`eval` reads ladders). A run
//! at the sentence level also writes `ladder-sentences/` (sentence indices, counted
//! through the document) and `sentences/`, the sentences those indices count.

use super::{Batch, ExportError, Exporter, Output};
use crate::align::DocAlignment;
use crate::aligned::SentenceLevel;
use std::path::{Path, PathBuf};

/// A bead as written in a ladder file: paragraph indices of each side.
pub type LadderBead = (Vec<usize>, Vec<usize>);

/// A line of a ladder file that is not a bead.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: bad bead line {text:?}", path.display())]
pub struct BadLine {
    pub path: PathBuf,
    pub line: usize,
    pub text: String,
}

/// One bead as a ladder line: `[i,j]:[k]`.
pub fn format_bead(
    a: impl IntoIterator<Item = usize>,
    b: impl IntoIterator<Item = usize>,
) -> String {
    let side = |xs: Vec<String>| format!("[{}]", xs.join(","));
    format!(
        "{}:{}",
        side(a.into_iter().map(|x| x.to_string()).collect()),
        side(b.into_iter().map(|x| x.to_string()).collect())
    )
}

/// Parse a ladder file's text (`path` names it in errors); beads with both sides empty are
/// dropped.
pub fn parse(text: &str, path: &Path) -> Result<Vec<LadderBead>, BadLine> {
    let mut out = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let bad = || BadLine {
            path: path.to_path_buf(),
            line: k + 1,
            text: line.to_string(),
        };
        let (a, b) = line.split_once(':').ok_or_else(bad)?;
        let a = parse_side(a.trim()).ok_or_else(bad)?;
        let b = parse_side(b.trim()).ok_or_else(bad)?;
        if !a.is_empty() || !b.is_empty() {
            out.push((a, b));
        }
    }
    Ok(out)
}

fn parse_side(s: &str) -> Option<Vec<usize>> {
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    inner
        .split(',')
        .map(|x| x.trim())
        .filter(|x| !x.is_empty())
        .map(|x| x.parse().ok())
        .collect()
}

pub struct Ladder;

impl Exporter for Ladder {
    fn write(&self, batch: &Batch, out: &Output) -> Result<(), ExportError> {
        for st in &batch.corpus.statements {
            write_ladders(out, "ladder", &st.name, &st.alignment)?;
            if let Some(s) = &st.sentences {
                write_ladders(out, "ladder-sentences", &st.name, &s.alignment)?;
                write_sentences(out, &st.name, s)?;
            }
        }
        Ok(())
    }
}

/// `<folder>/<doc>/<l1>-<l2>.txt` for every pair of the alignment.
fn write_ladders(
    out: &Output,
    folder: &str,
    doc: &str,
    alignment: &DocAlignment,
) -> Result<(), ExportError> {
    for pair in &alignment.pairs {
        let (x, y, beads) = (pair.x, pair.y, &pair.beads);
        let path = Path::new(folder).join(doc).join(format!("{x}-{y}.txt"));
        out.write(&path, |w| {
            for b in beads {
                writeln!(w, "{}", format_bead(b.a.clone(), b.b.clone()))?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// `sentences/<doc>/<lang>.txt`: each version's sentences, one a line, paragraphs apart by
/// a blank line, so that the sentence ladders' indices can be read (the k-th line that is
/// not blank is sentence k).
fn write_sentences(out: &Output, doc: &str, level: &SentenceLevel) -> Result<(), ExportError> {
    for (l, d) in level.docs.iter() {
        let Some(d) = d else { continue };
        let of = &level.paragraph_of[l];
        out.write(
            &Path::new("sentences").join(doc).join(format!("{l}.txt")),
            |w| {
                for (k, sentence) in d.paragraphs.iter().enumerate() {
                    if k > 0 && of[k] != of[k - 1] {
                        w.write_all(b"\n")?;
                    }
                    w.write_all(super::moses::breaks_to_spaces(sentence).as_bytes())?;
                    w.write_all(b"\n")?;
                }
                Ok(())
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        let beads = parse("[0]:[0]\n[1,2]:[1]\n[]:[2]\n[]:[]\n", Path::new("t")).unwrap();
        assert_eq!(beads.len(), 3);
        assert_eq!(
            format_bead(beads[1].0.clone(), beads[1].1.clone()),
            "[1,2]:[1]"
        );
        assert_eq!(format_bead([], [2]), "[]:[2]");
        let e = parse("[0]:[0]\n0:1", Path::new("x")).unwrap_err();
        assert_eq!(e.to_string(), "x:2: bad bead line \"0:1\"");
    }
}
