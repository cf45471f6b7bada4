//! `tmx/batch-00001.tmx`: TMX 1.4b, one translation unit per N-way unit that has text (not page
//! chrome) in at least two languages, with a `tuv` for each; the statement and confidence
//! are `x-doc` and `x-score` properties of the unit, each version's url and date `x-url` and
//! `x-date` properties of its `tuv`.

use super::{AlignedCorpus, ExportError, Exporter, Output, jsonl::round, segment, xml_safe};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io::Write;

pub struct Tmx;

impl Exporter for Tmx {
    fn name(&self) -> &'static str {
        "tmx"
    }

    fn write(&self, corpus: &AlignedCorpus, out: &Output) -> Result<(), ExportError> {
        out.write(&out.batch_file("tmx", "tmx"), |w| {
            let mut xml = Writer::new_with_indent(w, b' ', 2);
            xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
            xml.get_mut()
                .write_all(b"\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">")?;
            xml.create_element("tmx")
                .with_attribute(("version", "1.4"))
                .write_inner_content(|xml| {
                    xml.create_element("header")
                        .with_attributes([
                            ("creationtool", "paralign"),
                            ("creationtoolversion", env!("CARGO_PKG_VERSION")),
                            ("segtype", "paragraph"),
                            ("o-tmf", "paralign"),
                            ("adminlang", "en"),
                            ("srclang", corpus.pivot.code()),
                            ("datatype", "plaintext"),
                        ])
                        .write_empty()?;
                    xml.create_element("body").write_inner_content(|xml| {
                        for st in &corpus.statements {
                            for unit in &st.alignment.units {
                                let sides: Vec<_> = corpus
                                    .langs
                                    .iter()
                                    .filter_map(|&l| {
                                        let doc = st.doc(l)?;
                                        let paras = st.text_paras(l, unit.paras[l.index()].clone());
                                        (!paras.is_empty()).then(|| (l, doc, segment(doc, &paras)))
                                    })
                                    .collect();
                                if sides.len() < 2 {
                                    continue;
                                }
                                xml.create_element("tu").write_inner_content(|xml| {
                                    prop(xml, "x-doc", &st.name)?;
                                    prop(xml, "x-score", &round(unit.confidence).to_string())?;
                                    for (l, doc, text) in &sides {
                                        xml.create_element("tuv")
                                            .with_attribute(("xml:lang", l.code()))
                                            .write_inner_content(|xml| {
                                                if let Some(url) = &doc.meta.url {
                                                    prop(xml, "x-url", url)?;
                                                }
                                                if let Some(date) = &doc.meta.date {
                                                    prop(xml, "x-date", date)?;
                                                }
                                                xml.create_element("seg").write_text_content(
                                                    BytesText::new(&xml_safe(text)),
                                                )?;
                                                Ok(())
                                            })?;
                                    }
                                    Ok(())
                                })?;
                            }
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
            xml.get_mut().write_all(b"\n")?;
            Ok(())
        })
    }
}

fn prop<W: Write>(xml: &mut Writer<W>, kind: &str, value: &str) -> std::io::Result<()> {
    xml.create_element("prop")
        .with_attribute(("type", kind))
        .write_text_content(BytesText::new(&xml_safe(value)))?;
    Ok(())
}
