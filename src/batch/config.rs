//! What identifies a run, recorded in `manifest/run.json` and summed up in `summary.json`:
//! the corpus, the options that shape the output, and what the model learned.

use crate::align::CorpusModel;
use crate::align::sentence::SentenceModels;
use crate::export::files::Checksum;
use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What identifies a run: outputs of runs that differ in any of it cannot be mixed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    /// The paralign version that wrote the run: another version's batches are not resumed.
    pub version: String,
    pub corpus: String,
    pub langs: Vec<crate::text::Lang>,
    pub pivot: crate::text::Lang,
    pub pair_by: crate::corpus::pairing::PairBy,
    pub batch_size: usize,
    pub batches: usize,
    pub statements: usize,
    pub qa: bool,
    /// The level of the corpora; written only when it is not the paragraph.
    #[serde(default, skip_serializing_if = "is_default")]
    pub level: crate::aligned::Level,
    /// How paragraphs are cut into sentences; written only when they are not split.
    #[serde(default, skip_serializing_if = "is_default")]
    pub sentences: crate::text::sentences::SentenceMode,
    /// Checksum of the --boilerplate file, if any.
    pub boilerplate: Option<String>,
    /// Checksum of the learned model, so a changed corpus is not taken for the same run.
    pub model: String,
    /// Checksum of the learned sentence models, at the sentence level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence_model: Option<String>,
    /// What the model learned, per language.
    pub models: BTreeMap<crate::text::Lang, LangModelSummary>,
    pub formats: Vec<crate::export::Format>,
    /// The corpus's fingerprint: its files' places, sizes and times of last change.
    pub input: String,
    /// The shard this folder holds (`--shard K/N`), or None for the whole run. Not part of
    /// what makes a run: the shards of one run are merged.
    pub shard: Option<super::plan::Shard>,
    /// What planning skipped or warned about (the same on every machine).
    pub skipped: Vec<crate::corpus::InputError>,
    pub warnings: Vec<crate::corpus::InputError>,
    pub skipped_folders: Vec<crate::corpus::SkippedFolder>,
}

impl RunConfig {
    /// Is `other` the same run? Paths of skipped input count by file name, so the corpus
    /// may be named differently (relative here, absolute there) on each machine.
    pub fn same_run(&self, other: &RunConfig) -> bool {
        fn names(paths: impl Iterator<Item = (PathBuf, Option<usize>, String)>) -> Vec<String> {
            paths
                .map(|(p, line, reason)| {
                    let name = p.file_name().unwrap_or_default().to_string_lossy();
                    format!("{name}:{line:?}:{reason}")
                })
                .collect()
        }
        let skipped = |c: &RunConfig| {
            let errors = c.skipped.iter().chain(&c.warnings);
            let folders = c.skipped_folders.iter();
            (
                names(errors.map(|e| (e.path.clone(), e.line, e.reason.clone()))),
                names(folders.map(|f| (f.path.clone(), None, f.reason.clone()))),
            )
        };
        let bare = |c: &RunConfig| RunConfig {
            skipped: Vec::new(),
            warnings: Vec::new(),
            skipped_folders: Vec::new(),
            shard: None,
            ..c.clone()
        };
        bare(self) == bare(other) && skipped(self) == skipped(other)
    }
}

fn is_default<T: Default + PartialEq>(x: &T) -> bool {
    *x == T::default()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LangModelSummary {
    pub length_ratio: f64,
    pub length_variance_per_char: f64,
    pub length_variance_floor: f64,
    pub lexicon_entries: usize,
}

/// A checksum of the sentence models, for the run's identity: their values as bytes
/// (postcard), hashed as they are written. Written as JSON, the models' floats cost as much
/// to format as a saved model costs to read.
pub fn sentence_fingerprint(models: &SentenceModels) -> String {
    postcard::to_io(models, Checksum::default())
        .expect("models serialize")
        .finish()
}

/// Per language, what the model learned (also fingerprints the model in the manifest).
pub fn model_summary(model: &CorpusModel, langs: &[Lang]) -> BTreeMap<Lang, LangModelSummary> {
    langs
        .iter()
        .filter(|&&l| l != model.pivot)
        .map(|&l| {
            let m = model.length[l];
            (
                l,
                LangModelSummary {
                    length_ratio: m.ratio,
                    length_variance_per_char: m.var_per_char,
                    length_variance_floor: m.var_floor,
                    lexicon_entries: model.lexicon[l].as_ref().map_or(0, |x| x.len()),
                },
            )
        })
        .collect()
}
