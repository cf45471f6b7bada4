//! `summary.json`: what a run read, aligned, flagged and skipped.

use crate::align::CorpusModel;
use crate::corpus::pairing::PairBy;
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

/// What reading the corpus left out or warned about.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    pub skipped_folders: Vec<SkippedFolder>,
    /// Files and records that could not be read, duplicates among them.
    pub skipped: Vec<InputError>,
    /// Input read all the same: recovered markup.
    pub warnings: Vec<InputError>,
    pub flagged_files: Vec<Flagged>,
}

/// How the versions were paired.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PairingSummary {
    pub by: String,
    /// Statements with at least two versions.
    pub statements: usize,
    /// Of those, paired by matching stems (score 1) and by content.
    pub by_stem: usize,
    pub by_content: usize,
    /// Documents left without any counterpart.
    pub unpaired: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub corpus: String,
    pub pivot: Lang,
    /// Statements (one or more language versions each).
    pub documents: usize,
    pub pairing: PairingSummary,
    pub paragraphs: BTreeMap<Lang, usize>,
    /// Paragraphs recognised as page chrome, per language: in the ladders, not the corpora.
    pub chrome_paragraphs: BTreeMap<Lang, usize>,
    pub versions: BTreeMap<Lang, usize>,
    /// Bead shapes over all pairs, e.g. "1-1", "2-1".
    pub beads: BTreeMap<String, usize>,
    pub units: usize,
    /// Learned per language against the pivot: length ratio and variance, lexicon size.
    pub models: BTreeMap<Lang, LangModelSummary>,
    pub skipped_folders: Vec<SkippedFolder>,
    /// Files and records left out, each with the reason.
    pub skipped: Vec<InputError>,
    pub warnings: Vec<InputError>,
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
        pair_by: PairBy,
        inputs: Inputs,
        wall: Duration,
    ) -> Summary {
        let mut pairing = PairingSummary {
            by: format!("{pair_by:?}").to_lowercase(),
            ..Default::default()
        };
        let mut chrome_paragraphs = BTreeMap::new();
        let mut paragraphs = BTreeMap::new();
        let mut versions = BTreeMap::new();
        let mut beads: BTreeMap<String, usize> = BTreeMap::new();
        let mut units = 0;
        for st in &corpus.statements {
            let langs: Vec<Lang> = st.langs().collect();
            for &l in &langs {
                let doc = st.doc(l).expect("present");
                *paragraphs.entry(l).or_default() += doc.paragraphs.len();
                *chrome_paragraphs.entry(l).or_default() +=
                    doc.chrome.iter().filter(|&&c| c).count();
                *versions.entry(l).or_default() += 1;
            }
            if langs.len() >= 2 {
                pairing.statements += 1;
                if st.pairing_score >= 1.0 {
                    pairing.by_stem += 1;
                } else {
                    pairing.by_content += 1;
                }
            } else {
                pairing.unpaired += 1;
            }
            for pair in &st.alignment.pairs {
                for b in &pair.beads {
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
            pairing,
            paragraphs,
            chrome_paragraphs,
            versions,
            beads,
            units,
            models,
            skipped_folders: inputs.skipped_folders,
            skipped: inputs.skipped,
            warnings: inputs.warnings,
            flagged_files: inputs.flagged_files,
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
