//! `ladder/<doc>/<l1>-<l2>.txt`: one bead a line, `[i,j]:[k]`, 0-based paragraph indices —
//! the format of the shared gold sets.

use super::{AlignedCorpus, ExportError, Exporter, write_atomic};
use crate::eval::format_bead;
use std::path::Path;

pub struct Ladder;

impl Exporter for Ladder {
    fn name(&self) -> &'static str {
        "ladder"
    }

    fn write(&self, corpus: &AlignedCorpus, out: &Path) -> Result<(), ExportError> {
        for st in &corpus.statements {
            for pair in &st.alignment.pairs {
                let (x, y, beads) = (pair.x, pair.y, &pair.beads);
                let path = out
                    .join("ladder")
                    .join(&st.name)
                    .join(format!("{x}-{y}.txt"));
                write_atomic(&path, |w| {
                    for b in beads {
                        writeln!(w, "{}", format_bead(b.a.clone(), b.b.clone()))?;
                    }
                    Ok(())
                })?;
            }
        }
        Ok(())
    }
}
