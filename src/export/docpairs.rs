//! `docpairs.tsv`: which documents were taken for versions of one statement. Header
//! `doc en ru de es fr score`; `doc` names the statement's ladder folder; each language
//! column holds its version's file stem or record id (empty where there is none); `score`
//! is the pairing's confidence (1 for versions paired by stem). Fields are TSV-escaped.

use super::escape::tsv_field;
use super::{Batch, ExportError, Exporter, Output};
use crate::text::Lang;

pub struct DocPairs;

/// The header of docpairs.tsv; each batch writes its rows to `docpairs/batch-00001.tsv`.
pub const HEADER: &str = "doc\ten\tru\tde\tes\tfr\tscore";

impl Exporter for DocPairs {
    fn write(&self, batch: &Batch, out: &Output) -> Result<(), ExportError> {
        let corpus = batch.corpus;
        out.write(&out.batch_file("docpairs", "tsv"), |w| {
            for st in &corpus.statements {
                write!(w, "{}", tsv_field(&st.name))?;
                for l in Lang::ALL {
                    let id = st.doc(l).map_or("", |d| d.id.as_str());
                    write!(w, "\t{}", tsv_field(id))?;
                }
                writeln!(w, "\t{:.4}", st.pairing_score)?;
            }
            Ok(())
        })
    }
}
