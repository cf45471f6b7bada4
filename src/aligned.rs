//! What alignment hands on to QA and to export: each statement's versions, read, with
//! their alignment (units, and the beads of every pair), and a batch of such statements.

use crate::align::DocAlignment;
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
}

impl AlignedStatement {
    /// Languages present, in canonical order.
    pub fn langs(&self) -> impl Iterator<Item = Lang> + '_ {
        self.docs.langs()
    }

    pub fn doc(&self, l: Lang) -> Option<&Document> {
        self.docs[l].as_ref()
    }

    /// The paragraphs of `range` in language `l` that are text, not page chrome. On the
    /// stack: every exporter asks this of every bead, and a bead holds at most a few.
    pub fn text_paras(&self, l: Lang, range: std::ops::Range<usize>) -> TextParas {
        match self.doc(l) {
            Some(d) => range.filter(|&p| !d.chrome[p]).collect(),
            None => TextParas::new(),
        }
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
