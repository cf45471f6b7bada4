//! `tmx/batch-00001.tmx`: TMX 1.4b, one translation unit per N-way unit that has text (not page
//! chrome) in at least two languages, with a `tuv` for each; the statement and confidence
//! are `x-doc` and `x-score` properties of the unit, each version's url and date `x-url` and
//! `x-date` properties of its `tuv`. At the sentence level (`segtype="sentence"`) a unit's
//! paragraph unit is its `x-para-unit` property.

use super::escape::push_xml_text;
use super::{Batch, CONFIDENCE_DECIMALS, ExportError, Exporter, Output};
use crate::aligned::rounded;
use crate::aligned::segment;
use quick_xml::escape::escape;
use std::fmt::Write as _;

pub struct Tmx;

impl Exporter for Tmx {
    fn write(&self, batch: &Batch, out: &Output) -> Result<(), ExportError> {
        let corpus = batch.corpus;
        out.write(&out.batch_file("tmx", "tmx"), |w| {
            // Laid out by hand, two spaces an indent level: the layout is fixed, and an
            // element writer would cost more than the escaping of the text.
            write!(
                w,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                 <!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n\
                 <tmx version=\"1.4\">\n  \
                 <header creationtool=\"paralign\" creationtoolversion=\"{}\" \
                 segtype=\"{}\" o-tmf=\"paralign\" adminlang=\"en\" srclang=\"{}\" \
                 datatype=\"plaintext\"/>\n  <body>",
                escape(env!("CARGO_PKG_VERSION")),
                corpus.level,
                escape(corpus.pivot.code()),
            )?;
            let mut tu = String::new();
            for st in &corpus.statements {
                let st = st.at(corpus.level);
                for (k, unit) in st.alignment.units.iter().enumerate() {
                    let sides: Vec<_> = corpus
                        .langs
                        .iter()
                        .filter_map(|&l| {
                            let doc = st.doc(l)?;
                            let paras = st.text_paras(l, unit.paras[l].clone());
                            (!paras.is_empty()).then(|| (l, doc, segment(doc, &paras)))
                        })
                        .collect();
                    if sides.len() < 2 {
                        continue;
                    }
                    tu.clear();
                    tu.push_str("\n    <tu>");
                    prop(&mut tu, 6, "x-doc", st.name);
                    if let Some(u) = st.paragraph_unit {
                        prop(&mut tu, 6, "x-para-unit", &u[k].to_string());
                    }
                    prop(
                        &mut tu,
                        6,
                        "x-score",
                        &rounded(unit.confidence, CONFIDENCE_DECIMALS).to_string(),
                    );
                    for (l, doc, text) in &sides {
                        let _ = write!(tu, "\n      <tuv xml:lang=\"{}\">", escape(l.code()));
                        if let Some(url) = &doc.meta.url {
                            prop(&mut tu, 8, "x-url", url);
                        }
                        if let Some(date) = &doc.meta.date {
                            prop(&mut tu, 8, "x-date", date);
                        }
                        tu.push_str("\n        <seg>");
                        push_xml_text(&mut tu, text);
                        tu.push_str("</seg>\n      </tuv>");
                    }
                    tu.push_str("\n    </tu>");
                    w.write_all(tu.as_bytes())?;
                }
            }
            w.write_all(b"\n  </body>\n</tmx>\n")
        })
    }
}

/// `<prop type="kind">value</prop>` on a line of its own, `indent` spaces in.
fn prop(tu: &mut String, indent: usize, kind: &str, value: &str) {
    let _ = write!(tu, "\n{:indent$}<prop type=\"{}\">", "", escape(kind));
    push_xml_text(tu, value);
    tu.push_str("</prop>");
}
