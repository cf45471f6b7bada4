//! `summary.json`: what a run read, aligned, flagged and skipped — the sum of its batches'
//! statistics — and how long it took.

use super::config::{LangModelSummary, RunConfig};
use super::stages::StageSeconds;
use super::stats::Stats;
use crate::corpus::SkippedFolder;
use crate::export::ExportError;
use crate::export::files::write_atomic;
use crate::text::Lang;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub corpus: String,
    pub pivot: Lang,
    pub pair_by: crate::corpus::pairing::PairBy,
    /// Batches written (this shard's, for a sharded run) and in the whole run.
    pub batches: usize,
    pub batches_in_run: usize,
    #[serde(flatten)]
    pub stats: Stats,
    /// Learned per language against the pivot: length ratio and variance, lexicon size.
    pub models: BTreeMap<Lang, LangModelSummary>,
    pub skipped_folders: Vec<SkippedFolder>,
    pub wall_seconds: f64,
    /// Thread-seconds per stage in this process (finished batches found on resuming cost
    /// nothing).
    pub stage_seconds: StageSeconds,
}

impl Summary {
    /// Sum the batches of a run (planning's skipped input first).
    pub fn new(
        config: &RunConfig,
        batches: &[Stats],
        wall: Duration,
        stage_seconds: StageSeconds,
    ) -> Summary {
        let mut stats = Stats {
            skipped: config.skipped.clone(),
            warnings: config.warnings.clone(),
            ..Default::default()
        };
        for b in batches {
            stats.add(b);
        }
        Summary {
            corpus: config.corpus.clone(),
            pivot: config.pivot,
            pair_by: config.pair_by,
            batches: batches.len(),
            batches_in_run: config.batches,
            stats,
            models: config.models.clone(),
            skipped_folders: config.skipped_folders.clone(),
            wall_seconds: wall.as_secs_f64(),
            stage_seconds,
        }
    }

    pub fn write(&self, out: &Path) -> Result<(), ExportError> {
        write_atomic(&out.join("summary.json"), |w| {
            serde_json::to_writer_pretty(&mut *w, self)?;
            writeln!(w)
        })
    }
}
