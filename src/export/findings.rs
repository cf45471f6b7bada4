//! QA findings: `qa.jsonl`, one finding a line, and `qa.tsv` with the same findings for
//! spreadsheets (evidence as compact JSON; fields TSV-escaped).

use super::{AlignedCorpus, ExportError, Exporter, tsv_field, write_atomic};
use std::path::Path;

pub struct QaJsonl;

impl Exporter for QaJsonl {
    fn name(&self) -> &'static str {
        "qa.jsonl"
    }

    fn write(&self, corpus: &AlignedCorpus, out: &Path) -> Result<(), ExportError> {
        let Some(findings) = &corpus.findings else {
            return Ok(());
        };
        write_atomic(&out.join("qa.jsonl"), |w| {
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
    fn name(&self) -> &'static str {
        "qa.tsv"
    }

    fn write(&self, corpus: &AlignedCorpus, out: &Path) -> Result<(), ExportError> {
        let Some(findings) = &corpus.findings else {
            return Ok(());
        };
        let list = |v: &[usize]| {
            v.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        write_atomic(&out.join("qa.tsv"), |w| {
            writeln!(
                w,
                "doc\tlang\tparas\tpivot_paras\tcheck\tseverity\tevidence"
            )?;
            for f in findings {
                writeln!(
                    w,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    tsv_field(&f.doc),
                    f.lang,
                    list(&f.paras),
                    list(&f.pivot_paras),
                    f.check.name(),
                    f.severity.name(),
                    tsv_field(&f.evidence.to_string())
                )?;
            }
            Ok(())
        })
    }
}
