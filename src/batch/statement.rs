//! One statement aligned in memory, with no files and no output folder: for a program that
//! holds the versions' text (a crawler; the Python package). It goes through a run's steps
//! by the same code — paragraphs normalized, page chrome marked, the models learned (from
//! the statement itself, as a run learns from its sample, unless models are given),
//! aligned at the paragraph and sentence levels, checked — and hands on what a run writes
//! to units.jsonl and qa.jsonl.

use super::{Level, features_of, learn::sentences_of, mark_chrome};
use crate::align::saved::{ModelError, SavedModel};
use crate::align::sentence::{SentenceAlignment, SentenceModels, Sentences, StatementSentences};
use crate::align::{CorpusModel, DocAlignment, cost::Params};
use crate::aligned::{AlignedStatement, SentenceLevel};
use crate::corpus::Document;
use crate::qa::Finding;
use crate::text::chrome::ChromeFilter;
use crate::text::langcheck::LangChecker;
use crate::text::sentences::SentenceMode;
use crate::text::{ByLang, Lang, LineBreaks};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The models a statement is aligned with: learned from a corpus (`paralign learn`, a
/// model file) or from the statement itself.
#[derive(Clone, Debug)]
pub struct Models {
    pub paragraphs: CorpusModel,
    /// The sentence models, when learned at the sentence level.
    pub sentences: Option<SentenceModels>,
    /// The languages they were learned for.
    pub langs: Vec<Lang>,
}

impl Models {
    /// The models of a model file, checked as `align --model` checks them.
    pub fn read(path: &Path) -> Result<Models, ModelError> {
        let saved = SavedModel::read(path)?;
        let paragraphs = saved.paragraph_model(path, &saved.langs, saved.pivot)?;
        Ok(Models {
            paragraphs,
            sentences: saved.sentences,
            langs: saved.langs,
        })
    }

    /// The models as a model file holds them.
    pub fn to_saved(&self) -> SavedModel {
        SavedModel::new(&self.paragraphs, &self.langs, self.sentences.clone())
    }
}

/// How a statement is aligned.
#[derive(Clone, Debug)]
pub struct StatementOptions {
    /// The statement's name: the `doc` of its units and findings, the `id` of each version.
    pub name: String,
    /// The languages of a run (`--langs`): the bead of a unit names each, `x` where the
    /// statement has no version. None: the languages of the versions given.
    pub langs: Option<Vec<Lang>>,
    pub pivot: Lang,
    pub level: Level,
    pub sentences: SentenceMode,
    /// Mark page chrome (language switchers, share links…) and leave it out of the units,
    /// as a run does; false for text known to be clean.
    pub chrome: bool,
    /// Run the QA checks.
    pub qa: bool,
    /// Paragraphs a version may have, at most (`--max-paragraphs`).
    pub max_paragraphs: usize,
}

impl StatementOptions {
    pub fn new(name: impl Into<String>) -> StatementOptions {
        StatementOptions {
            name: name.into(),
            langs: None,
            pivot: Lang::En,
            level: Level::Paragraph,
            sentences: SentenceMode::Split,
            chrome: true,
            qa: false,
            max_paragraphs: crate::corpus::DEFAULT_MAX_PARAGRAPHS,
        }
    }
}

/// Why a statement cannot be aligned.
#[derive(Debug, thiserror::Error)]
pub enum StatementError {
    /// A version that cannot be aligned: empty, an empty paragraph, too many paragraphs.
    #[error("{lang}: {reason}")]
    Version {
        lang: Lang,
        /// The paragraph at fault, when one is.
        paragraph: Option<usize>,
        reason: String,
    },
    #[error("{0}")]
    BadOption(String),
    /// Models that do not fit the statement or the level.
    #[error("the model {0}")]
    Model(String),
}

/// A statement aligned, as a run hands it to QA and export.
#[derive(Debug)]
pub struct AlignedOne {
    pub statement: AlignedStatement,
    pub level: Level,
    /// The languages of the units' beads.
    pub langs: Vec<Lang>,
    /// With `qa`, the findings.
    pub findings: Option<Vec<Finding>>,
}

impl AlignedOne {
    /// The units, as the lines of units.jsonl.
    pub fn units_jsonl(&self) -> Vec<u8> {
        let (mut out, mut line) = (Vec::new(), Vec::new());
        crate::export::jsonl::write_units(
            &self.statement.at(self.level),
            &self.langs,
            &mut line,
            &mut out,
        )
        .expect("writing to memory does not fail");
        out
    }

    /// The findings, as the lines of qa.jsonl (none without `qa`).
    pub fn findings_jsonl(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for f in self.findings.iter().flatten() {
            serde_json::to_writer(&mut out, f).expect("a finding serializes");
            out.push(b'\n');
        }
        out
    }
}

/// The built-in page chrome patterns, compiled once for all statements.
fn chrome_filter() -> &'static ChromeFilter {
    static CHROME: OnceLock<ChromeFilter> = OnceLock::new();
    CHROME.get_or_init(ChromeFilter::default)
}

fn lang_checker() -> &'static LangChecker {
    static CHECKER: OnceLock<LangChecker> = OnceLock::new();
    CHECKER.get_or_init(LangChecker::default)
}

/// A paragraph as a file's paragraph is read: NFC, whitespace folded (or, for sentences
/// given a line each, each line so and the lines kept).
fn normalized(paragraph: &str, breaks: LineBreaks) -> String {
    match breaks {
        LineBreaks::Fold => crate::text::output_text(paragraph),
        // A paragraph's lines, blank ones dropped: what splitting keeps of each part.
        LineBreaks::Keep => crate::text::split_paragraphs_at_most(paragraph, usize::MAX, breaks)
            .unwrap_or_default()
            .join("\n"),
    }
}

/// A statement's sentence level: its versions' sentences `split` aligned with `models`
/// inside the paragraph alignment `paragraphs`; and the paragraph alignment as the
/// sentences mend it, which stands for the paragraph level's.
pub(super) fn sentence_level(
    models: &SentenceModels,
    docs: &ByLang<Option<Document>>,
    split: ByLang<Option<Sentences>>,
    paragraphs: &DocAlignment,
    pivot: Lang,
) -> (DocAlignment, SentenceLevel) {
    let statement = StatementSentences {
        sentences: &split,
        paragraphs,
    };
    let SentenceAlignment {
        alignment,
        paragraphs,
        paragraph_unit,
    } = models.align_statement(&statement, pivot);
    let level = SentenceLevel::new(docs, split, alignment, paragraph_unit);
    (paragraphs, level)
}

/// Align the versions of one statement, each given as its paragraphs (indices in the
/// units are indices in these lists), with `models` or with models learned from the
/// statement itself.
pub fn align_statement(
    versions: ByLang<Option<Vec<String>>>,
    opts: &StatementOptions,
    models: Option<&Models>,
) -> Result<AlignedOne, StatementError> {
    let given: Vec<Lang> = versions.langs().collect();
    let langs = match &opts.langs {
        None => given.clone(),
        Some(langs) => {
            let mut langs = langs.clone();
            langs.sort();
            langs.dedup();
            if let Some(l) = given.iter().find(|l| !langs.contains(l)) {
                return Err(StatementError::BadOption(format!(
                    "a version in {l}, which is not among the languages {}",
                    codes(&langs)
                )));
            }
            langs
        }
    };
    if given.len() < 2 {
        return Err(StatementError::BadOption(format!(
            "alignment needs versions in two languages at least; given: {}",
            if given.is_empty() {
                "none".into()
            } else {
                codes(&given)
            }
        )));
    }
    if let Some(m) = models {
        check_models(m, &langs, opts)?;
    }
    let breaks = match opts.sentences {
        SentenceMode::Lines => LineBreaks::Keep,
        SentenceMode::Split => LineBreaks::Fold,
    };
    let (mut versions, mut docs) = (versions, ByLang::<Option<Document>>::default());
    for l in given {
        if let Some(paragraphs) = versions[l].take() {
            docs[l] = Some(document(l, paragraphs, opts, breaks)?);
        }
    }
    let features = features_of(&docs);
    let learned;
    let models = match models {
        Some(m) => m,
        None => {
            // As a run learns from its sample: here the sample is the statement.
            let paragraphs = CorpusModel::learn(
                std::slice::from_ref(&features),
                opts.pivot,
                Params::default(),
            );
            learned = Models {
                paragraphs,
                sentences: None,
                langs: langs.clone(),
            };
            &learned
        }
    };
    let alignment = models.paragraphs.align_doc(&features);
    // At the sentence level, the paragraphs are as the sentences mend them.
    let sentences = (opts.level == Level::Sentence).then(|| {
        let split = sentences_of(&docs, opts.sentences);
        let statement = StatementSentences {
            sentences: &split,
            paragraphs: &alignment,
        };
        let own;
        let sentence_models = match &models.sentences {
            Some(s) => s,
            None => {
                own = SentenceModels::learn(std::slice::from_ref(&statement), None);
                &own
            }
        };
        sentence_level(sentence_models, &docs, split, &alignment, opts.pivot)
    });
    let (alignment, sentences) = match sentences {
        Some((mended, level)) => (mended, Some(level)),
        None => (alignment, None),
    };
    let statement = AlignedStatement {
        name: opts.name.clone(),
        pairing_score: 1.0,
        docs,
        alignment,
        sentences,
    };
    let findings = opts.qa.then(|| {
        crate::qa::check_statement(&statement, opts.pivot, &models.paragraphs, lang_checker())
    });
    Ok(AlignedOne {
        statement,
        level: opts.level,
        langs,
        findings,
    })
}

/// Do `models` fit a statement in `langs` aligned with `opts`? As `align --model` checks.
fn check_models(m: &Models, langs: &[Lang], opts: &StatementOptions) -> Result<(), StatementError> {
    if m.paragraphs.pivot != opts.pivot {
        return Err(StatementError::Model(format!(
            "was learned with pivot {}, not {}",
            m.paragraphs.pivot, opts.pivot
        )));
    }
    let missing: Vec<Lang> = langs
        .iter()
        .copied()
        .filter(|l| !m.langs.contains(l))
        .collect();
    if !missing.is_empty() {
        return Err(StatementError::Model(format!(
            "was learned for {}, not for {}",
            codes(&m.langs),
            codes(&missing)
        )));
    }
    if opts.level == Level::Sentence && m.sentences.is_none() {
        return Err(StatementError::Model(
            "holds no sentence models; learn it at the sentence level".into(),
        ));
    }
    Ok(())
}

/// A version as a run reads it: its paragraphs normalized, chrome marked, the date taken
/// from its date line.
fn document(
    lang: Lang,
    paragraphs: Vec<String>,
    opts: &StatementOptions,
    breaks: LineBreaks,
) -> Result<Document, StatementError> {
    let bad = |paragraph, reason: String| StatementError::Version {
        lang,
        paragraph,
        reason,
    };
    if paragraphs.is_empty() {
        return Err(bad(None, "an empty version: no paragraph".into()));
    }
    if paragraphs.len() > opts.max_paragraphs {
        return Err(bad(
            None,
            format!(
                "{} paragraphs, over the limit of {}",
                paragraphs.len(),
                opts.max_paragraphs
            ),
        ));
    }
    let bytes = paragraphs.iter().map(|p| p.len() as u64).sum();
    let mut out = Vec::with_capacity(paragraphs.len());
    for (k, p) in paragraphs.iter().enumerate() {
        let p = normalized(p, breaks);
        // Dropped, it would shift the indices of those after it.
        if p.is_empty() {
            return Err(bad(Some(k), format!("paragraph {k} is empty")));
        }
        out.push(p);
    }
    if out.iter().all(|p| crate::text::scoring_text(p).is_empty()) {
        return Err(bad(None, "no text to align".into()));
    }
    let mut doc = Document {
        lang,
        id: opts.name.clone(),
        path: PathBuf::from(&opts.name),
        line: None,
        chrome: vec![false; out.len()],
        paragraphs: out,
        meta: Default::default(),
        bytes,
    };
    if opts.chrome {
        mark_chrome(&mut doc, chrome_filter());
    } else if let Some(date) = doc
        .paragraphs
        .iter()
        .take(3)
        .find_map(|p| crate::text::chrome::date_line(p))
    {
        doc.meta.date = Some(date);
    }
    Ok(doc)
}

fn codes(langs: &[Lang]) -> String {
    langs.iter().map(|l| l.code()).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(en: &[&str], ru: &[&str]) -> ByLang<Option<Vec<String>>> {
        let mut v = ByLang::default();
        v[Lang::En] = Some(en.iter().map(|s| s.to_string()).collect());
        v[Lang::Ru] = Some(ru.iter().map(|s| s.to_string()).collect());
        v
    }

    #[test]
    fn every_paragraph_is_in_one_unit_and_chrome_in_none() {
        let v = versions(
            &[
                "Share",
                "The minister  met\nhis counterpart on 3 March.",
                "They spoke about trade.",
            ],
            &[
                "Поделиться",
                "Министр встретился с коллегой 3 марта.",
                "Они говорили о торговле.",
            ],
        );
        let one = align_statement(v, &StatementOptions::new("s"), None).unwrap();
        for l in [Lang::En, Lang::Ru] {
            let mut seen: Vec<usize> = one
                .statement
                .alignment
                .units
                .iter()
                .flat_map(|u| u.paras[l].clone())
                .collect();
            seen.sort();
            assert_eq!(seen, [0, 1, 2]);
        }
        let units = String::from_utf8(one.units_jsonl()).unwrap();
        // Normalized as a file's paragraphs are; the share link left out.
        assert!(units.contains("\"The minister met his counterpart on 3 March.\""));
        assert!(!units.contains("Share") && !units.contains("Поделиться"));
        assert_eq!(units.lines().count(), 2);
    }

    #[test]
    fn an_empty_version_or_paragraph_is_refused_by_name() {
        let empty = align_statement(versions(&["Text."], &[]), &StatementOptions::new("s"), None);
        assert!(matches!(
            empty,
            Err(StatementError::Version {
                lang: Lang::Ru,
                paragraph: None,
                ..
            })
        ));
        let blank = align_statement(
            versions(&["Text.", "More."], &["Текст.", " \t"]),
            &StatementOptions::new("s"),
            None,
        );
        assert!(matches!(
            blank,
            Err(StatementError::Version {
                paragraph: Some(1),
                ..
            })
        ));
        let mut alone = versions(&["Text."], &["Текст."]);
        alone[Lang::Ru] = None;
        let alone = align_statement(alone, &StatementOptions::new("s"), None);
        assert!(matches!(alone, Err(StatementError::BadOption(_))));
    }

    #[test]
    fn models_of_another_pivot_or_level_are_refused() {
        let v = || versions(&["Text one.", "Two."], &["Текст один.", "Два."]);
        let learned = align_statement(v(), &StatementOptions::new("s"), None).unwrap();
        let models = Models {
            paragraphs: CorpusModel::learn(
                &[features_of(&learned.statement.docs)],
                Lang::En,
                Params::default(),
            ),
            sentences: None,
            langs: vec![Lang::En, Lang::Ru],
        };
        let mut opts = StatementOptions::new("s");
        opts.pivot = Lang::Ru;
        let pivot = align_statement(v(), &opts, Some(&models));
        assert!(matches!(pivot, Err(StatementError::Model(m)) if m.contains("pivot")));
        opts.pivot = Lang::En;
        opts.level = Level::Sentence;
        let level = align_statement(v(), &opts, Some(&models));
        assert!(matches!(level, Err(StatementError::Model(m)) if m.contains("sentence")));
        opts.level = Level::Paragraph;
        assert!(align_statement(v(), &opts, Some(&models)).is_ok());
    }
}
