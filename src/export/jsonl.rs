//! `units/batch-00001.jsonl`: one N-way unit a line — document, bead shape, confidence, and for each
//! language that has text in it the version's id, url and date, and its paragraphs' indices
//! and text. Page chrome is left out; a unit of chrome alone is not written. At the sentence
//! level a unit holds sentences: it says which paragraph unit it lies in, and each side
//! its sentences' indices besides their paragraphs'.

use super::{Batch, ExportError, Exporter, Output};
use crate::aligned::{View, paragraphs_of, rounded};
use crate::text::Lang;
use serde::Serialize;
use std::fmt::Write as _;

pub struct UnitsJsonl;

#[derive(Serialize)]
struct UnitLine<'a> {
    doc: &'a str,
    /// Position of the unit in its document.
    unit: usize,
    /// At the sentence level, the paragraph unit the unit lies in.
    #[serde(skip_serializing_if = "Option::is_none")]
    para_unit: Option<usize>,
    /// Paragraphs per language in the corpus's language order, `x` where the document has
    /// no version in that language: "1-2-1-1-0".
    bead: &'a str,
    confidence: f64,
    langs: Langs<'a>,
}

/// Each language with text in the unit, in the corpus's language order, as an object keyed
/// by language code.
struct Langs<'a>(Vec<(Lang, Side<'a>)>);

impl Serialize for Langs<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(l, side)| (l, side)))
    }
}

#[derive(Serialize)]
struct Side<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    /// The paragraphs (at the sentence level, those its sentences lie in).
    paras: crate::aligned::TextParas,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentences: Option<crate::aligned::TextParas>,
    text: Vec<&'a str>,
}

impl Exporter for UnitsJsonl {
    fn write(&self, batch: &Batch, out: &Output) -> Result<(), ExportError> {
        let corpus = batch.corpus;
        out.write(&out.batch_file("units", "jsonl"), |w| {
            // One line serialized at a time into `line`, then written whole.
            let mut line = Vec::new();
            for st in &corpus.statements {
                write_units(&st.at(corpus.level), &corpus.langs, &mut line, w)?;
            }
            Ok(())
        })
    }
}

/// The unit lines of one statement at a level, `langs` being the corpus's languages (a bead
/// names each, `x` where the statement lacks it). Shared with callers that align a
/// statement in memory, so that they hand on what units.jsonl holds. `line` is scratch.
pub fn write_units(
    st: &View,
    langs: &[Lang],
    line: &mut Vec<u8>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut shape = String::new();
    for (k, unit) in st.alignment.units.iter().enumerate() {
        let mut sides = Vec::with_capacity(langs.len());
        shape.clear();
        for &l in langs {
            if !shape.is_empty() {
                shape.push('-');
            }
            let Some(doc) = st.doc(l) else {
                shape.push('x');
                continue;
            };
            let segments = st.text_paras(l, unit.paras[l].clone());
            let _ = write!(shape, "{}", segments.len());
            if segments.is_empty() {
                continue;
            }
            let text = segments
                .iter()
                .map(|&p| doc.paragraphs[p].as_str())
                .collect();
            let (paras, sentences) = match st.paragraph_of {
                None => (segments, None),
                Some(of) => (paragraphs_of(&of[l], &segments), Some(segments)),
            };
            sides.push((
                l,
                Side {
                    id: &doc.id,
                    url: doc.meta.url.as_deref(),
                    date: doc.meta.date.as_deref(),
                    paras,
                    sentences,
                    text,
                },
            ));
        }
        if sides.is_empty() {
            continue;
        }
        let unit_line = UnitLine {
            doc: st.name,
            unit: k,
            para_unit: st.paragraph_unit.map(|u| u[k]),
            bead: &shape,
            confidence: rounded(unit.confidence, super::CONFIDENCE_DECIMALS),
            langs: Langs(sides),
        };
        line.clear();
        serde_json::to_writer(&mut *line, &unit_line)?;
        line.push(b'\n');
        w.write_all(line)?;
    }
    Ok(())
}
