//! Where a run's time goes: thread-seconds per stage, summed over the worker threads, so
//! they add up to more than the wall time on several cores. Batches found finished and
//! skipped count nothing.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The stages a statement passes through.
#[derive(Clone, Copy, Debug)]
pub enum Stage {
    /// Finding the files, pairing versions, cutting batches.
    Plan,
    /// Learning the length models and lexicons from the sample.
    Learn,
    /// Reading files' bytes.
    Read,
    /// Decoding, HTML/JSON parsing, normalizing, splitting paragraphs, marking page chrome.
    Normalize,
    /// Checking each version is in its folder's language.
    LangCheck,
    /// Features, dynamic programming, N-way merge.
    Align,
    /// The QA checks (with --qa).
    Qa,
    /// Writing the batch's files and its manifest record.
    Write,
    /// Joining the batches' files into the corpus-wide ones.
    Finish,
}

const STAGES: usize = 9;

/// Nanoseconds per stage, added to from any thread.
#[derive(Debug, Default)]
pub struct StageClock {
    nanos: [AtomicU64; STAGES],
}

impl StageClock {
    /// Run `f`, counting its time to `stage`.
    pub fn time<T>(&self, stage: Stage, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        let spent = start.elapsed().as_nanos() as u64;
        self.nanos[stage as usize].fetch_add(spent, Ordering::Relaxed);
        out
    }

    pub fn seconds(&self) -> StageSeconds {
        let s = |stage: Stage| self.nanos[stage as usize].load(Ordering::Relaxed) as f64 / 1e9;
        StageSeconds {
            plan: s(Stage::Plan),
            learn: s(Stage::Learn),
            read: s(Stage::Read),
            normalize: s(Stage::Normalize),
            langcheck: s(Stage::LangCheck),
            align: s(Stage::Align),
            qa: s(Stage::Qa),
            write: s(Stage::Write),
            finish: s(Stage::Finish),
        }
    }
}

/// Thread-seconds per stage, as `summary.json` reports them.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct StageSeconds {
    pub plan: f64,
    pub learn: f64,
    pub read: f64,
    pub normalize: f64,
    pub langcheck: f64,
    pub align: f64,
    pub qa: f64,
    pub write: f64,
    pub finish: f64,
}
