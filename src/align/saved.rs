//! A learned model kept on disk (`paralign learn`, `align --save-model`) and used again
//! (`align --model`): the paragraph level's length models and lexicons, and the sentence
//! models when they were learned. Binary (postcard, after a magic line), with a format
//! number checked when it is read: an archive's model is tens of megabytes, and read as
//! JSON it took most of the time of aligning one statement with it.

use super::CorpusModel;
use super::cost::{CountModel, LengthModel, Params};
use super::lexicon::Lexicon;
use super::sentence::SentenceModels;
use crate::text::{ByLang, Lang};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The format of model files this build reads and writes; a change that old files cannot
/// be read by raises it.
pub const MODEL_FORMAT: u32 = 3;

/// The first bytes of a model file: a line of text, so that a reader (or `head`) can
/// tell what the binary file is.
pub const MAGIC: &[u8] = b"paralign model\n";

/// What a run learned, as it is saved.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedModel {
    /// The model file format (see [`MODEL_FORMAT`]).
    pub paralign_model: u32,
    /// The paralign version that wrote it.
    pub written_by: String,
    pub pivot: Lang,
    /// The languages it was learned for.
    pub langs: Vec<Lang>,
    /// Per language other than the pivot: its length model against the pivot.
    pub length: BTreeMap<Lang, LengthModel>,
    /// Per language other than the pivot: its sentence counts against the pivot's.
    pub counts: BTreeMap<Lang, CountModel>,
    /// Per language other than the pivot: its lexicon, (word, pivot word) ids.
    pub lexicon: BTreeMap<Lang, Vec<(u64, u64)>>,
    /// The sentence models, when the run aligned sentences.
    pub sentences: Option<SentenceModels>,
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{}: cannot read the model: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a paralign model: {reason}", path.display())]
    Format { path: PathBuf, reason: String },
    #[error("{}: {reason}", path.display())]
    Unusable { path: PathBuf, reason: String },
}

impl SavedModel {
    pub fn new(model: &CorpusModel, langs: &[Lang], sentences: Option<SentenceModels>) -> Self {
        let others = || langs.iter().copied().filter(|&l| l != model.pivot);
        SavedModel {
            paralign_model: MODEL_FORMAT,
            written_by: env!("CARGO_PKG_VERSION").to_string(),
            pivot: model.pivot,
            langs: langs.to_vec(),
            length: others().map(|l| (l, model.length[l])).collect(),
            counts: others().map(|l| (l, model.counts[l])).collect(),
            lexicon: others()
                .map(|l| {
                    (
                        l,
                        model.lexicon[l]
                            .as_ref()
                            .map_or_else(Vec::new, Lexicon::entries),
                    )
                })
                .collect(),
            sentences,
        }
    }

    /// The model as the bytes of its file: [`MAGIC`], then the model in postcard.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        postcard::to_io(self, &mut bytes).expect("a model serializes");
        bytes
    }

    /// Read a model file, checking its format.
    pub fn read(path: &Path) -> Result<SavedModel, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let not_a_model = |reason: String| ModelError::Format {
            path: path.to_path_buf(),
            reason,
        };
        let other_format = |format: u32, by: Option<&str>| ModelError::Unusable {
            path: path.to_path_buf(),
            reason: format!(
                "a model of format {format} (written by paralign {}); this paralign reads format {MODEL_FORMAT}: learn it again with `paralign learn`",
                by.unwrap_or("?")
            ),
        };
        // The fields a JSON model (formats 1 and 2) began with, so that such a file says
        // which format it is rather than that it is not this one.
        #[derive(Deserialize)]
        struct Head {
            paralign_model: Option<u32>,
            written_by: Option<String>,
        }
        let Some(body) = bytes.strip_prefix(MAGIC) else {
            // Formats 1 and 2 were JSON.
            return Err(match serde_json::from_slice::<Head>(&bytes) {
                Ok(Head {
                    paralign_model: Some(format),
                    written_by,
                }) if format != MODEL_FORMAT => other_format(format, written_by.as_deref()),
                _ => not_a_model("it does not begin with a paralign model's first line".into()),
            });
        };
        // Every postcard format begins as this one: its number, then who wrote it.
        let ((format, by), _) = postcard::take_from_bytes::<(u32, String)>(body)
            .map_err(|e| not_a_model(e.to_string()))?;
        if format != MODEL_FORMAT {
            return Err(other_format(format, Some(&by)));
        }
        postcard::from_bytes(body).map_err(|e| not_a_model(format!("{e} (a damaged file?)")))
    }

    /// The paragraph model, for a run over `langs` with `pivot`; an error naming what
    /// does not fit.
    pub fn paragraph_model(
        &self,
        path: &Path,
        langs: &[Lang],
        pivot: Lang,
    ) -> Result<CorpusModel, ModelError> {
        let unusable = |reason: String| ModelError::Unusable {
            path: path.to_path_buf(),
            reason,
        };
        if pivot != self.pivot {
            return Err(unusable(format!(
                "the model was learned with pivot {}, not {pivot}",
                self.pivot
            )));
        }
        let missing: Vec<String> = langs
            .iter()
            .filter(|l| !self.langs.contains(l))
            .map(|l| l.to_string())
            .collect();
        if !missing.is_empty() {
            return Err(unusable(format!(
                "the model was learned for {}, not for {}",
                codes(&self.langs),
                missing.join(",")
            )));
        }
        let length = ByLang::from_fn(|l| {
            self.length
                .get(&l)
                .copied()
                .unwrap_or_else(|| LengthModel::from_totals(1, 1))
        });
        let counts = ByLang::from_fn(|l| self.counts.get(&l).copied().unwrap_or_default());
        let lexicon = ByLang::from_fn(|l| self.lexicon.get(&l).map(|e| Lexicon::from_entries(e)));
        Ok(CorpusModel::from_parts(
            self.pivot,
            length,
            counts,
            lexicon,
            Params::default(),
        ))
    }
}

fn codes(langs: &[Lang]) -> String {
    langs.iter().map(|l| l.code()).collect::<Vec<_>>().join(",")
}
