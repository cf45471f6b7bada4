//! QA findings: `qa/batch-00001.jsonl`, one finding a line, and `qa/batch-00001.tsv` with the
//! same findings for spreadsheets (evidence as compact JSON; fields TSV-escaped; the
//! sentence columns empty at the paragraph level); `finish`
//! joins them into `qa.jsonl` and `qa.tsv`.

use super::escape::tsv_field;
use super::{Batch, ExportError, Exporter, Output};

/// The header of qa.tsv.
pub const TSV_HEADER: &str =
    "doc\tlang\tparas\tpivot_paras\tcheck\tseverity\tevidence\tsentences\tpivot_sentences";

pub struct QaJsonl;

impl Exporter for QaJsonl {
    fn write(&self, batch: &Batch, out: &Output) -> Result<(), ExportError> {
        let Some(findings) = batch.findings else {
            return Ok(());
        };
        out.write(&out.batch_file("qa", "jsonl"), |w| {
            for f in findings {
                serde_json::to_writer(&mut *w, f)?;
                writeln!(w)?;
            }
            Ok(())
        })
    }
}

pub struct QaTsv;

impl Exporter for QaTsv {
    fn write(&self, batch: &Batch, out: &Output) -> Result<(), ExportError> {
        let Some(findings) = batch.findings else {
            return Ok(());
        };
        let list = |v: &[usize]| {
            v.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        out.write(&out.batch_file("qa", "tsv"), |w| {
            for f in findings {
                writeln!(
                    w,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    tsv_field(&f.doc),
                    f.lang,
                    list(&f.paras),
                    list(&f.pivot_paras),
                    f.check.name(),
                    f.severity.name(),
                    tsv_field(&f.evidence.to_string()),
                    list(&f.sentences),
                    list(&f.pivot_sentences)
                )?;
            }
            Ok(())
        })
    }
}
