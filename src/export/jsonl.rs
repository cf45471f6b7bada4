//! `units.jsonl`: one N-way unit a line — document, bead shape, confidence, and for each
//! language that has paragraphs in it their indices and text.

use super::{AlignedCorpus, ExportError, Exporter, write_atomic};
use crate::text::Lang;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

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
    paras: Vec<usize>,
    text: Vec<&'a str>,
}

impl Exporter for UnitsJsonl {
    fn name(&self) -> &'static str {
        "jsonl"
    }

    fn write(&self, corpus: &AlignedCorpus, out: &Path) -> Result<(), ExportError> {
        write_atomic(&out.join("units.jsonl"), |w| {
            for st in &corpus.statements {
                for (k, unit) in st.alignment.units.iter().enumerate() {
                    let shape: Vec<String> = corpus
                        .langs
                        .iter()
                        .map(|l| match st.doc(*l) {
                            Some(_) => unit.paras[l.index()].len().to_string(),
                            None => "x".to_string(),
                        })
                        .collect();
                    let langs = corpus
                        .langs
                        .iter()
                        .filter_map(|&l| {
                            let doc = st.doc(l)?;
                            let r = unit.paras[l.index()].clone();
                            (!r.is_empty()).then(|| {
                                let text = doc.paragraphs[r.clone()]
                                    .iter()
                                    .map(|p| p.as_str())
                                    .collect();
                                (
                                    l,
                                    Side {
                                        paras: r.collect(),
                                        text,
                                    },
                                )
                            })
                        })
                        .collect();
                    let line = UnitLine {
                        doc: &st.stem,
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
