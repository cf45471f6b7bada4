//! Sentence boundaries against a set's one-sentence-a-line version.
//!
//! `<set>/<lang>/<doc>.txt` holds paragraphs (read as `align` reads them) and
//! `<set>/sentences/<lang>/<doc>.txt` the same paragraphs one sentence a line. A boundary is
//! the place between two sentences of one paragraph, counted in characters that are not
//! whitespace, so that spacing differences do not count. Recall is the share of gold
//! boundaries found, precision the share of found boundaries that are gold (the sources'
//! segments sometimes hold two sentences: some found ones that are not gold are right).

use super::{EvalError, Scoreboard};
use crate::text::{self, Lang, sentences};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Boundary counts of one language, or of all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub found: usize,
    /// Found boundaries that are gold.
    pub hits: usize,
}

impl Counts {
    pub fn recall(&self) -> f64 {
        ratio(self.hits, self.gold)
    }

    pub fn precision(&self) -> f64 {
        ratio(self.hits, self.found)
    }

    fn merge(&mut self, other: &Counts) {
        self.gold += other.gold;
        self.found += other.found;
        self.hits += other.hits;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// A boundary found but not gold, or gold but not found, with the text around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    pub doc: String,
    pub lang: Lang,
    /// True for a found boundary that is not gold; false for a gold one not found.
    pub found: bool,
    pub before: String,
    pub after: String,
}

/// Counts per language and the boundaries missed.
#[derive(Debug, Default)]
pub struct SentenceScores {
    pub by_lang: BTreeMap<Lang, Counts>,
    pub misses: Vec<Miss>,
}

impl SentenceScores {
    pub fn all(&self) -> Counts {
        let mut all = Counts::default();
        for c in self.by_lang.values() {
            all.merge(c);
        }
        all
    }
}

impl Scoreboard for SentenceScores {
    fn table(&self) -> String {
        let mut out = String::from("lang   gold  found   hits  recall  precision\n");
        let rows = self.by_lang.iter().map(|(l, c)| (l.code(), *c));
        for (name, c) in rows.chain([("ALL", self.all())]) {
            let _ = writeln!(
                out,
                "{name:<4} {:>6} {:>6} {:>6}  {:.4}  {:.4}",
                c.gold,
                c.found,
                c.hits,
                c.recall(),
                c.precision()
            );
        }
        out
    }

    fn json(&self) -> serde_json::Value {
        let row = |c: Counts| {
            serde_json::json!({
                "gold": c.gold, "found": c.found, "hits": c.hits,
                "recall": c.recall(), "precision": c.precision(),
            })
        };
        let mut map = serde_json::Map::new();
        for (l, c) in &self.by_lang {
            map.insert(l.code().to_string(), row(*c));
        }
        map.insert("ALL".to_string(), row(self.all()));
        serde_json::Value::Object(map)
    }
}

/// Score [`sentences::split`] on every language folder of `set` that has a `sentences/`
/// counterpart.
pub fn evaluate(set: &Path) -> Result<SentenceScores, EvalError> {
    let mut scores = SentenceScores::default();
    for lang in Lang::ALL {
        let dir = set.join(lang.code());
        if !dir.is_dir() {
            continue;
        }
        let counts = scores.by_lang.entry(lang).or_default();
        for path in txt_files(&dir)? {
            let name = path.file_name().expect("a file").to_owned();
            let gold_path = set.join("sentences").join(lang.code()).join(&name);
            let doc = path
                .file_stem()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            let paragraphs =
                text::read_paragraphs(&read(&path)?, usize::MAX, text::LineBreaks::Fold)
                    .map_err(|e| input(&path, e.to_string()))?;
            let gold = gold_paragraphs(&String::from_utf8_lossy(&read(&gold_path)?));
            if gold.len() != paragraphs.len() {
                return Err(input(
                    &gold_path,
                    format!(
                        "{} paragraphs, {} in {}",
                        gold.len(),
                        paragraphs.len(),
                        path.display()
                    ),
                ));
            }
            for (p, lines) in paragraphs.iter().zip(&gold) {
                let g = gold_boundaries(lines);
                if non_space(p) != non_space(&lines.concat()) {
                    return Err(input(&gold_path, format!("a paragraph differs: {p}")));
                }
                let found: BTreeSet<usize> = sentences::split(p, lang)
                    .iter()
                    .skip(1)
                    .map(|r| non_space(&p[..r.start]))
                    .collect();
                counts.gold += g.len();
                counts.found += found.len();
                counts.hits += found.intersection(&g).count();
                let mut misses: Vec<(usize, bool)> = found
                    .difference(&g)
                    .map(|&n| (n, true))
                    .chain(g.difference(&found).map(|&n| (n, false)))
                    .collect();
                misses.sort_unstable();
                for (n, is_found) in misses {
                    let at = byte_at(p, n);
                    scores.misses.push(Miss {
                        doc: doc.clone(),
                        lang,
                        found: is_found,
                        before: p[p.floor_char_boundary(at.saturating_sub(70))..at].to_string(),
                        after: p[at..p.ceil_char_boundary(at + 50)].to_string(),
                    });
                }
            }
        }
    }
    if scores.by_lang.is_empty() {
        return Err(EvalError::Input(format!(
            "{}: no language folder (en, ru, de, es, fr)",
            set.display()
        )));
    }
    Ok(scores)
}

fn txt_files(dir: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let io = |source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io)? {
        let p = e.map_err(io)?.path();
        if p.extension().is_some_and(|x| x == "txt") {
            files.push(p);
        }
    }
    files.sort();
    Ok(files)
}

fn read(path: &Path) -> Result<Vec<u8>, EvalError> {
    std::fs::read(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn input(path: &Path, reason: String) -> EvalError {
    EvalError::Input(format!("{}: {reason}", path.display()))
}

/// The paragraphs of a one-sentence-a-line file: runs of non-blank lines, each line as
/// output text (NFC, whitespace folded), as the paragraph reader makes it.
fn gold_paragraphs(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(text::output_text(line));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The boundaries between the lines of one paragraph, in non-whitespace characters.
fn gold_boundaries(lines: &[String]) -> BTreeSet<usize> {
    let mut at = 0;
    let mut out = BTreeSet::new();
    for line in &lines[..lines.len().saturating_sub(1)] {
        at += non_space(line);
        out.insert(at);
    }
    out
}

fn non_space(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// The byte offset of the character after the first `n` non-whitespace characters.
fn byte_at(s: &str, n: usize) -> usize {
    let mut seen = 0;
    for (i, c) in s.char_indices() {
        if seen == n && !c.is_whitespace() {
            return i;
        }
        seen += usize::from(!c.is_whitespace());
    }
    s.len()
}
