//! What alignment hands on to QA and to export: each statement's versions, read, with
//! their alignment (units, and the beads of every pair) at the paragraph level and, when
//! asked, at the sentence level; and a batch of such statements.

use crate::align::DocAlignment;
use crate::align::sentence::Sentences;
use crate::corpus::Document;
use crate::text::{ByLang, Lang};

/// One statement with its versions and their alignment.
#[derive(Debug)]
pub struct AlignedStatement {
    /// The pivot version's id (or the first version's), safe as a file name.
    pub name: String,
    /// How sure the pairing of the versions is (1 for versions paired by stem).
    pub pairing_score: f64,
    pub docs: ByLang<Option<Document>>,
    pub alignment: DocAlignment,
    /// The sentence level, when the run aligns sentences.
    pub sentences: Option<SentenceLevel>,
}

/// The granularity of a run's corpora: what a unit, a TMX `tu` and a Moses line hold.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Paragraph pairs.
    #[default]
    Paragraph,
    /// Sentence pairs, aligned inside the paragraph units.
    Sentence,
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Level::Paragraph => "paragraph",
            Level::Sentence => "sentence",
        })
    }
}

/// A statement's sentences and their alignment. Sentence indices count through each
/// version, paragraph after paragraph, from 0.
#[derive(Debug)]
pub struct SentenceLevel {
    /// Each version as a document whose segments are its sentences: `paragraphs[i]` is
    /// sentence i, page chrome where its paragraph is.
    pub docs: ByLang<Option<Document>>,
    /// The paragraph each sentence lies in, per version.
    pub paragraph_of: ByLang<Vec<usize>>,
    pub alignment: DocAlignment,
    /// For each sentence unit, the paragraph unit it lies in.
    pub paragraph_unit: Vec<usize>,
}

impl SentenceLevel {
    /// The sentence level of versions `docs`, cut into `sentences` and aligned: `alignment`,
    /// each of its units lying in paragraph unit `paragraph_unit[k]`.
    pub fn new(
        docs: &ByLang<Option<Document>>,
        mut sentences: ByLang<Option<Sentences>>,
        alignment: DocAlignment,
        paragraph_unit: Vec<usize>,
    ) -> SentenceLevel {
        let mut paragraph_of = ByLang::default();
        let docs = ByLang::from_fn(|l| {
            let (d, s) = (docs[l].as_ref()?, sentences[l].take()?);
            let chrome = s.paragraph_of.iter().map(|&p| d.chrome[p]).collect();
            paragraph_of[l] = s.paragraph_of;
            Some(Document {
                lang: d.lang,
                id: d.id.clone(),
                path: d.path.clone(),
                line: d.line,
                paragraphs: s.text,
                chrome,
                meta: d.meta.clone(),
                bytes: d.bytes,
            })
        });
        SentenceLevel {
            docs,
            paragraph_of,
            alignment,
            paragraph_unit,
        }
    }
}

/// The paragraphs that sentences `sentences` (in order) lie in, each once, given the
/// paragraph of each sentence of the version.
pub fn paragraphs_of(paragraph_of: &[usize], sentences: &[usize]) -> TextParas {
    let mut paras: TextParas = sentences.iter().map(|&k| paragraph_of[k]).collect();
    paras.dedup();
    paras
}

/// One level of a statement: its versions cut into segments (paragraphs or sentences) and
/// the alignment of those segments. What the corpus formats write.
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    pub name: &'a str,
    pub level: Level,
    pub docs: &'a ByLang<Option<Document>>,
    pub alignment: &'a DocAlignment,
    /// At the sentence level, the paragraph unit of each unit, and the paragraph of each
    /// sentence.
    pub paragraph_unit: Option<&'a [usize]>,
    pub paragraph_of: Option<&'a ByLang<Vec<usize>>>,
}

impl<'a> View<'a> {
    pub fn doc(&self, l: Lang) -> Option<&'a Document> {
        self.docs[l].as_ref()
    }

    /// The segments of `range` in language `l` that are text, not page chrome. On the
    /// stack: every exporter asks this of every bead, and a bead holds at most a few.
    pub fn text_paras(&self, l: Lang, range: std::ops::Range<usize>) -> TextParas {
        match self.doc(l) {
            Some(d) => range.filter(|&p| !d.chrome[p]).collect(),
            None => TextParas::new(),
        }
    }
}

impl AlignedStatement {
    /// The statement at `level`; at the paragraph level when it has no sentence level.
    pub fn at(&self, level: Level) -> View<'_> {
        match (&self.sentences, level) {
            (Some(s), Level::Sentence) => View {
                name: &self.name,
                level,
                docs: &s.docs,
                alignment: &s.alignment,
                paragraph_unit: Some(&s.paragraph_unit),
                paragraph_of: Some(&s.paragraph_of),
            },
            _ => View {
                name: &self.name,
                level: Level::Paragraph,
                docs: &self.docs,
                alignment: &self.alignment,
                paragraph_unit: None,
                paragraph_of: None,
            },
        }
    }

    /// Languages present, in canonical order.
    pub fn langs(&self) -> impl Iterator<Item = Lang> + '_ {
        self.docs.langs()
    }

    pub fn doc(&self, l: Lang) -> Option<&Document> {
        self.docs[l].as_ref()
    }

    /// The paragraphs of `range` in language `l` that are text, not page chrome.
    pub fn text_paras(&self, l: Lang, range: std::ops::Range<usize>) -> TextParas {
        self.at(Level::Paragraph).text_paras(l, range)
    }
}

/// Paragraph numbers of one side of a bead or unit.
pub type TextParas = smallvec::SmallVec<[usize; 4]>;

/// A batch of aligned statements of one corpus.
#[derive(Debug)]
pub struct AlignedCorpus {
    pub name: String,
    /// Languages with at least one version, in canonical order.
    pub langs: Vec<Lang>,
    pub pivot: Lang,
    /// The level the corpus formats (units, TMX, Moses) are written at.
    pub level: Level,
    pub statements: Vec<AlignedStatement>,
}

/// The text of paragraphs `paras` of a document as one segment, joined by a space.
pub fn segment<'a>(doc: &'a Document, paras: &[usize]) -> std::borrow::Cow<'a, str> {
    match paras {
        [p] => doc.paragraphs[*p].as_str().into(),
        _ => {
            let texts: Vec<&str> = paras.iter().map(|&p| doc.paragraphs[p].as_str()).collect();
            texts.join(" ").into()
        }
    }
}

/// A figure for the outputs (a confidence, a ratio) rounded to `decimals` places: it reads
/// cleanly, and the same run writes the same bytes.
pub fn rounded(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}
