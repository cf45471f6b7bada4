//! `units/batch-00001.jsonl`: one N-way unit a line — document, bead shape, confidence, and for each
//! language that has text in it the version's id, url and date, and its paragraphs' indices
//! and text. Page chrome is left out; a unit of chrome alone is not written.

use super::{AlignedCorpus, ExportError, Exporter, Output};
use crate::text::Lang;
use serde::Serialize;
use std::collections::BTreeMap;

pub struct UnitsJsonl;

#[derive(Serialize)]
struct UnitLine<'a> {
    doc: &'a str,
    /// Position of the unit in its document.
    unit: usize,
    /// Paragraphs per language in the corpus's language order, `x` where the document has
    /// no version in that language: "1-2-1-1-0".
    bead: String,
    confidence: f64,
    langs: BTreeMap<Lang, Side<'a>>,
}

#[derive(Serialize)]
struct Side<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    paras: Vec<usize>,
    text: Vec<&'a str>,
}

impl Exporter for UnitsJsonl {
    fn name(&self) -> &'static str {
        "jsonl"
    }

    fn write(&self, corpus: &AlignedCorpus, out: &Output) -> Result<(), ExportError> {
        out.write(&out.batch_file("units", "jsonl"), |w| {
            for st in &corpus.statements {
                for (k, unit) in st.alignment.units.iter().enumerate() {
                    let mut langs = BTreeMap::new();
                    let mut shape = Vec::new();
                    for &l in &corpus.langs {
                        let Some(doc) = st.doc(l) else {
                            shape.push("x".to_string());
                            continue;
                        };
                        let paras = st.text_paras(l, unit.paras[l.index()].clone());
                        shape.push(paras.len().to_string());
                        if paras.is_empty() {
                            continue;
                        }
                        let text = paras.iter().map(|&p| doc.paragraphs[p].as_str()).collect();
                        langs.insert(
                            l,
                            Side {
                                id: &doc.id,
                                url: doc.meta.url.as_deref(),
                                date: doc.meta.date.as_deref(),
                                paras,
                                text,
                            },
                        );
                    }
                    if langs.is_empty() {
                        continue;
                    }
                    let line = UnitLine {
                        doc: &st.name,
                        unit: k,
                        bead: shape.join("-"),
                        confidence: round(unit.confidence),
                        langs,
                    };
                    serde_json::to_writer(&mut *w, &line)?;
                    writeln!(w)?;
                }
            }
            Ok(())
        })
    }
}

/// Four decimals are plenty for a confidence, and keep the output stable across platforms.
pub(crate) fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
