//! `ladder/<doc>/<l1>-<l2>.txt`: one bead a line, `[i,j]:[k]`, 0-based paragraph indices —
//! the format of the shared gold sets.

use super::{Batch, ExportError, Exporter, Output};
use crate::eval::format_bead;

pub struct Ladder;

impl Exporter for Ladder {
    fn write(&self, batch: &Batch, out: &Output) -> Result<(), ExportError> {
        let corpus = batch.corpus;
        for st in &corpus.statements {
            for pair in &st.alignment.pairs {
                let (x, y, beads) = (pair.x, pair.y, &pair.beads);
                let path = std::path::Path::new("ladder")
                    .join(&st.name)
                    .join(format!("{x}-{y}.txt"));
                out.write(&path, |w| {
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
