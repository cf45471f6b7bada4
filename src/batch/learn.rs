//! What a run aligns with: the models learned from the plan's sample — the paragraph
//! level's length models and lexicons, and at the sentence level the sentence models — or
//! read from a model file (`--model`); and `paralign learn`, which only learns and saves.

use super::stages::StageClock;
use super::{AlignOptions, Level, RunError, features_of, plan, plan::Plan};
use crate::align::saved::SavedModel;
use crate::align::sentence::{SentenceModels, Sentences, StatementSentences};
use crate::align::{CorpusModel, DocAlignment, DocFeatures, cost::Params};
use crate::corpus::Document;
use crate::text::sentences::SentenceMode;
use crate::text::{ByLang, Lang};
use rayon::prelude::*;

/// What a run learns from its sample: the paragraph model, and at the sentence level the
/// sentence models.
/// A statement's versions, as read.
type Versions = ByLang<Option<Document>>;

pub(super) struct Learned {
    pub paragraphs: CorpusModel,
    pub sentences: Option<SentenceModels>,
}

/// Learn the models from the plan's sample of statements; the sentence models start from
/// `prior`'s, when given.
fn learn_from_sample(
    plan: &Plan,
    opts: &AlignOptions,
    mark: &(dyn Fn(&mut Document) + Sync),
    prior: Option<&SentenceModels>,
) -> Learned {
    let sentence_level = opts.level == Level::Sentence;
    // The sample's documents are kept only when the sentence level learns from them too.
    let (features, docs): (Vec<DocFeatures>, Vec<Option<Versions>>) = plan
        .sample
        .par_iter()
        .map(|&i| {
            // Timed as a whole, as learning.
            let unclocked = StageClock::default();
            let (docs, _) = plan::load(&plan.statements[i], &opts.read_options(), mark, &unclocked);
            (features_of(&docs), sentence_level.then_some(docs))
        })
        .unzip();
    let paragraphs = CorpusModel::learn(&features, opts.pivot, Params::default());
    let sentences = sentence_level.then(|| {
        // Statements are cut into sentences and aligned in the sample's order, a chunk at a
        // time, only until every pair has what its model learns from.
        let langs: Vec<Lang> = Lang::ALL
            .into_iter()
            .filter(|&l| docs.iter().flatten().any(|d| d[l].is_some()))
            .collect();
        let mut split: Vec<(ByLang<Option<Sentences>>, DocAlignment)> = Vec::new();
        for (docs, features) in docs.chunks(LEARN_CHUNK).zip(features.chunks(LEARN_CHUNK)) {
            split.par_extend(docs.par_iter().zip(features).map(|(docs, f)| {
                let docs = docs.as_ref().expect("kept at the sentence level");
                (sentences_of(docs, opts.sentences), paragraphs.align_doc(f))
            }));
            if SentenceModels::enough(&statements_of(&split), &langs) {
                break;
            }
        }
        SentenceModels::learn(&statements_of(&split), prior)
    });
    Learned {
        paragraphs,
        sentences,
    }
}

/// Statements cut into sentences at a time while learning the sentence models.
const LEARN_CHUNK: usize = 32;

fn statements_of(
    split: &[(ByLang<Option<Sentences>>, DocAlignment)],
) -> Vec<StatementSentences<'_>> {
    split
        .iter()
        .map(|(sentences, paragraphs)| StatementSentences {
            sentences,
            paragraphs,
        })
        .collect()
}

/// Each version of a statement cut into sentences.
pub(super) fn sentences_of(
    docs: &ByLang<Option<Document>>,
    mode: SentenceMode,
) -> ByLang<Option<Sentences>> {
    docs.as_ref().map(|_, d| {
        d.as_ref()
            .map(|d| Sentences::split(&d.paragraphs, d.lang, mode).with_chrome(&d.chrome))
    })
}

/// The models a run aligns with: read from `--model` (and, with `--relearn`, learned
/// from the sample all the same, the saved sentence models lending their lexicons), or
/// learned from the sample. Saved to `--save-model` when asked.
pub(super) fn learn(
    plan: &Plan,
    opts: &AlignOptions,
    mark: &(dyn Fn(&mut Document) + Sync),
) -> Result<Learned, RunError> {
    let learned = match &opts.model {
        None => learn_from_sample(plan, opts, mark, None),
        Some(path) => {
            let saved = SavedModel::read(path)?;
            if opts.relearn {
                learn_from_sample(plan, opts, mark, saved.sentences.as_ref())
            } else {
                let paragraphs = saved.paragraph_model(path, &plan.langs, opts.pivot)?;
                let sentences = match (opts.level, saved.sentences) {
                    (Level::Paragraph, _) => None,
                    (Level::Sentence, Some(s)) => Some(s),
                    (Level::Sentence, None) => {
                        return Err(RunError::BadOption(format!(
                            "{}: the model holds no sentence models; learn it with --level sentence, or add --relearn",
                            path.display()
                        )));
                    }
                };
                Learned {
                    paragraphs,
                    sentences,
                }
            }
        }
    };
    if let Some(path) = &opts.save_model {
        let saved = SavedModel::new(&learned.paragraphs, &plan.langs, learned.sentences.clone());
        // Whole or not at all, and readable by others, as every output.
        crate::export::files::write_atomic(path, |w| w.write_all(&saved.to_bytes()))?;
    }
    Ok(learned)
}
