//! `summary.json`: what a run read, aligned, flagged and skipped.

use crate::align::CorpusModel;
use crate::corpus::{InputError, SkippedFolder};
use crate::export::{AlignedCorpus, ExportError, write_atomic};
use crate::text::Lang;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A document whose text is not in its folder's language. It is aligned all the same — its
/// paragraphs still have counterparts — but reported, so nobody takes it for a translation.
#[derive(Clone, Debug, Serialize)]
pub struct Flagged {
    pub path: PathBuf,
    pub folder: Lang,
    pub detected: Lang,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub corpus: String,
    pub pivot: Lang,
    pub documents: usize,
    pub paragraphs: BTreeMap<Lang, usize>,
    pub versions: BTreeMap<Lang, usize>,
    /// Bead shapes over all pairs, e.g. "1-1", "2-1".
    pub beads: BTreeMap<String, usize>,
    pub units: usize,
    /// Learned per language against the pivot: length ratio and variance, lexicon size.
    pub models: BTreeMap<Lang, LangModelSummary>,
    pub skipped_folders: Vec<SkippedFolder>,
    pub skipped_files: Vec<InputError>,
    pub flagged_files: Vec<Flagged>,
    pub wall_seconds: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct LangModelSummary {
    pub length_ratio: f64,
    pub length_variance_per_char: f64,
    pub length_variance_floor: f64,
    pub lexicon_entries: usize,
}

impl Summary {
    pub fn new(
        corpus: &AlignedCorpus,
        model: &CorpusModel,
        skipped_folders: Vec<SkippedFolder>,
        skipped_files: Vec<InputError>,
        flagged_files: Vec<Flagged>,
        wall: Duration,
    ) -> Summary {
        let mut paragraphs = BTreeMap::new();
        let mut versions = BTreeMap::new();
        let mut beads: BTreeMap<String, usize> = BTreeMap::new();
        let mut units = 0;
        for st in &corpus.statements {
            let langs: Vec<Lang> = st.langs().collect();
            for &l in &langs {
                let doc = st.doc(l).expect("present");
                *paragraphs.entry(l).or_default() += doc.paragraphs.len();
                *versions.entry(l).or_default() += 1;
            }
            for (_, _, pair) in &st.alignment.pairs {
                for b in pair {
                    let (a, b) = b.shape();
                    *beads.entry(format!("{a}-{b}")).or_default() += 1;
                }
            }
            units += st.alignment.units.len();
        }
        let models = corpus
            .langs
            .iter()
            .filter(|&&l| l != model.pivot)
            .map(|&l| {
                let m = model.length[l.index()];
                (
                    l,
                    LangModelSummary {
                        length_ratio: m.ratio,
                        length_variance_per_char: m.var_per_char,
                        length_variance_floor: m.var_floor,
                        lexicon_entries: model.lexicon[l.index()].as_ref().map_or(0, |x| x.len()),
                    },
                )
            })
            .collect();
        Summary {
            corpus: corpus.name.clone(),
            pivot: corpus.pivot,
            documents: corpus.statements.len(),
            paragraphs,
            versions,
            beads,
            units,
            models,
            skipped_folders,
            skipped_files,
            flagged_files,
            wall_seconds: wall.as_secs_f64(),
        }
    }

    pub fn write(&self, out: &Path) -> Result<(), ExportError> {
        write_atomic(&out.join("summary.json"), |w| {
            serde_json::to_writer_pretty(&mut *w, self)?;
            writeln!(w)
        })
    }
}
