//! `paralign merge OUT DIR…`: join the outputs of the shards of one run — every batch's files
//! are copied into OUT and its parts of the corpus-wide files appended, batches in order,
//! then the corpus-wide files are completed as a single machine would have completed them,
//! so OUT is byte-identical to an unsharded run.

use super::RunError;
use super::config::RunConfig;
use super::manifest;
use super::stages::{Stage, StageClock};
use super::stats::Stats;
use super::summary::Summary;
use crate::export;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `merge` did.
#[derive(Debug)]
pub struct MergeReport {
    pub summary: Summary,
    /// Batches of the run that no shard had finished.
    pub missing: Vec<usize>,
}

pub fn merge(out: &Path, shards: &[PathBuf]) -> Result<MergeReport, RunError> {
    let started = Instant::now();
    let config = shards_config(out, shards)?;
    let _lock = super::lock::lock(out)?;
    // Merging into another run's output folder: its files go first.
    match manifest::read_config(out) {
        manifest::Found::Run(c) if c.same_run(&config) => {}
        manifest::Found::None => {}
        _ => manifest::clear(out),
    }
    // The corpus-wide files grow batch by batch, as on a single machine.
    for rel in export::appended_files(&config.langs, &config.formats) {
        let grown = export::files::growing(&out.join(rel));
        let created = grown
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::File::create(&grown));
        created.map_err(|source| export::ExportError {
            path: grown.clone(),
            source,
        })?;
    }
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for b in 1..=config.batches {
        match merge_batch(out, shards, b)? {
            Some(stats) => found.push((b, stats)),
            None => missing.push(b),
        }
    }
    manifest::write_config(out, &config)?;
    let batches: Vec<usize> = found.iter().map(|(b, _)| *b).collect();
    let clock = StageClock::default();
    clock.time(Stage::Finish, || {
        export::finish(out, &batches, &config.langs, &config.formats, config.qa)
    })?;
    let stats: Vec<_> = found.into_iter().map(|(_, s)| s).collect();
    let summary = Summary::new(&config, &stats, started.elapsed(), clock.seconds());
    summary.write(out)?;
    Ok(MergeReport { summary, missing })
}

/// The run the shards are of, checked: every shard of the same run, none of them the
/// output folder, and the output folder new, empty or a paralign output.
fn shards_config(out: &Path, shards: &[PathBuf]) -> Result<RunConfig, RunError> {
    let mut config: Option<RunConfig> = None;
    for dir in shards {
        let c = manifest::read_config(dir).run().ok_or_else(|| {
            RunError::Merge(format!(
                "{}: no manifest/run.json: not a paralign output",
                dir.display()
            ))
        })?;
        match &config {
            None => config = Some(c),
            Some(first) if !first.same_run(&c) => {
                return Err(RunError::Merge(format!(
                    "{}: from another run than {} (corpus, options or model differ)",
                    dir.display(),
                    shards[0].display()
                )));
            }
            Some(_) => {}
        }
    }
    let mut config = config.ok_or_else(|| RunError::Merge("no shard given".into()))?;
    // The merged folder holds the whole run.
    config.shard = None;
    // The merged Moses files start empty: a shard merged into itself would lose its own.
    let same = |d: &Path| match (d.canonicalize(), out.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if let Some(d) = shards.iter().find(|d| same(d)) {
        return Err(RunError::Merge(format!(
            "{}: the output folder cannot be one of the shards; merge into a new folder",
            d.display()
        )));
    }
    // The merged folder must come out as the single run's: nothing else may be in it.
    if manifest::read_config(out).run().is_none() && manifest::holds_foreign_files(out) {
        return Err(RunError::BadOutput {
            out: out.to_path_buf(),
            reason: "not empty, and not a paralign output folder: merge into a new or empty folder"
                .into(),
        });
    }
    Ok(config)
}

/// Batch `b` from the first shard whose record, parts and files of it are intact (each file
/// checked as it is copied; the copies take their names once all are good), its parts
/// appended to the corpus-wide files and its record written; its statistics, or None when
/// no shard has it intact.
fn merge_batch(out: &Path, shards: &[PathBuf], b: usize) -> Result<Option<Stats>, RunError> {
    let mut taken = None;
    for dir in shards {
        let Some((rec, parts)) = manifest::with_parts(dir, b) else {
            continue;
        };
        if let Some(copies) = copy_files(dir, out, &rec)? {
            taken = Some((rec, parts, copies));
            break;
        }
    }
    let Some((mut rec, parts, copies)) = taken else {
        return Ok(None);
    };
    for (to, copy) in copies {
        copy.persist(&to).map_err(|e| export::ExportError {
            path: to.clone(),
            source: e.error,
        })?;
    }
    // Its parts of the corpus-wide files, where they fall in the merged files.
    let output = export::Output::new(out, b);
    for ((rel, part), bytes) in rec.appended.iter_mut().zip(parts) {
        *part = output.append(Path::new(rel.as_str()), &bytes)?;
    }
    manifest::write_record(out, &rec)?;
    Ok(Some(rec.stats))
}

/// Copies of a batch's files from shard `dir`, each beside its place in `out`, not yet in
/// place; None when one of them is missing or damaged in the shard.
fn copy_files(
    dir: &Path,
    out: &Path,
    rec: &manifest::BatchRecord,
) -> Result<Option<Vec<(PathBuf, tempfile::TempPath)>>, RunError> {
    let mut copies = Vec::with_capacity(rec.files.len());
    for (k, (rel, sum)) in rec.files.iter().enumerate() {
        let to = out.join(rel);
        if let Some(copy) = export::files::copy_checked(&dir.join(rel), &to, sum)? {
            copies.push((to, copy));
            continue;
        }
        // Not taken from this shard: its copies go, and so do the folders of OUT that they
        // leave empty (a folder holding anything stays; OUT itself stays).
        drop(copies);
        for rel in rec.files.keys().take(k + 1) {
            let file = out.join(rel);
            for d in file.ancestors().skip(1).take_while(|d| *d != out) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
            }
        }
        return Ok(None);
    }
    Ok(Some(copies))
}
