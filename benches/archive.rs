//! Archive benchmark (release mode): align a synthetic archive of statements in five
//! languages end to end and report statements/s, MB/s of input text, peak memory and the
//! time per stage.
//!
//!   cargo bench --bench archive                 # 100,000 statements (about 2.4 GB)
//!   cargo bench --bench archive -- N            # N statements
//!
//! Environment:
//!   PARALIGN_BENCH_FORMATS   formats to write, a comma list (default units,tmx,moses,docpairs;
//!                            `ladder` writes about ten small files per statement)
//!   PARALIGN_BENCH_THREADS   worker threads (default: all cores)
//!   PARALIGN_BENCH_LEVEL     paragraph (the default) or sentence: the level of the corpora
//!   PARALIGN_BENCH_KEEP      keep the output folder (about six times the input: 15 GB for
//!                            the default 100,000 statements); it is removed by default
//!   PARALIGN_BENCH_COLD      drop the archive from the page cache first (Linux), so the
//!                            run reads it from disk as a first run over an archive does;
//!                            otherwise whatever earlier runs left cached is read from memory
//!
//! The archive is generated from ../shared/data/news12 into target/bench-data/archive-N,
//! once (a `.complete` marker, written last, says it is whole): statement k is news12
//! document k mod 99 under the stem `{k:06}-{news12 stem}` in every language, its digits
//! permuted by a permutation of its own (the same in all its versions), a paragraph dropped
//! from a tenth of the versions, and one non-English version missing from 2% of the
//! statements. Same seed, same archive.
//!
//! The alignment runs in a child process of its own, so peak memory (VmHWM) is that run's
//! alone, into target/bench-data/archive-N-out (removed first, so nothing is resumed, and
//! after its size is taken unless PARALIGN_BENCH_KEEP is set). Stage times are
//! thread-seconds summed over the workers.

mod common;

use clap::ValueEnum;
use common::{LANGS, Rng, peak_rss_mb, perturb, stolen_seconds};
use paralign::export::Format;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const DEFAULT_STATEMENTS: usize = 100_000;
const DEFAULT_FORMATS: &str = "units,tmx,moses,docpairs";
const SEED: u64 = 2026;
/// Set in the child that measures.
const CHILD: &str = "PARALIGN_BENCH_CHILD";

fn main() {
    // cargo passes --bench; ignore flags.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let n: usize = args.first().map_or(DEFAULT_STATEMENTS, |n| {
        n.parse()
            .ok()
            .filter(|&n| n > 0)
            .unwrap_or_else(|| fail(&format!("N must be a positive number, not {n:?}")))
    });
    let formats = formats();
    let threads = threads();
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let dir = data.join(format!("archive-{n}"));
    let out = data.join(format!("archive-{n}-out"));

    if std::env::var_os(CHILD).is_some() {
        let archive = read_marker(&dir).unwrap_or_else(|| fail("the archive is not generated"));
        measure(&dir, &out, archive, formats, threads);
        return;
    }
    generate(&common::news12(), &dir, n);
    if std::env::var_os("PARALIGN_BENCH_COLD").is_some() {
        let evicted = common::evict(&dir);
        println!("cold: {} files dropped from the page cache", group(evicted));
    }
    let status = Command::new(std::env::current_exe().expect("this benchmark's path"))
        .args(&args)
        .env(CHILD, "1")
        .status()
        .expect("run the benchmark child");
    if !status.success() {
        fail(&format!("the measuring child failed ({status})"));
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("archive bench: {msg}");
    std::process::exit(1);
}

fn formats() -> Vec<Format> {
    let list = std::env::var("PARALIGN_BENCH_FORMATS").unwrap_or_else(|_| DEFAULT_FORMATS.into());
    list.split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|f| {
            Format::from_str(f, true)
                .unwrap_or_else(|e| fail(&format!("PARALIGN_BENCH_FORMATS: {e}")))
        })
        .collect()
}

fn level() -> paralign::aligned::Level {
    match std::env::var("PARALIGN_BENCH_LEVEL") {
        Err(_) => paralign::aligned::Level::Paragraph,
        Ok(l) => paralign::aligned::Level::from_str(&l, true)
            .unwrap_or_else(|e| fail(&format!("PARALIGN_BENCH_LEVEL: {e}"))),
    }
}

fn threads() -> Option<usize> {
    let t = std::env::var("PARALIGN_BENCH_THREADS").ok()?;
    match t.trim().parse() {
        Ok(n) if n > 0 => Some(n),
        _ => fail(&format!(
            "PARALIGN_BENCH_THREADS must be a positive number, not {t:?}"
        )),
    }
}

/// What was generated: language versions (files) and their bytes.
#[derive(Clone, Copy)]
struct Archive {
    files: u64,
    bytes: u64,
}

/// The archive's totals from its `.complete` marker, if it is whole.
fn read_marker(dir: &Path) -> Option<Archive> {
    let text = std::fs::read_to_string(dir.join(".complete")).ok()?;
    let mut words = text.split_whitespace().map(|w| w.parse::<u64>().ok());
    Some(Archive {
        files: words.next()??,
        bytes: words.next()??,
    })
}

/// Write the archive of `n` statements into `dir` unless it is there already.
fn generate(source: &Path, dir: &Path, n: usize) {
    if let Some(a) = read_marker(dir) {
        println!(
            "archive: {} (already generated: {} files, {:.1} MB)",
            dir.display(),
            group(a.files),
            a.bytes as f64 / 1e6
        );
        return;
    }
    let start = Instant::now();
    let stems: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(source.join("en"))
            .unwrap_or_else(|e| fail(&format!("{}: {e}", source.join("en").display())))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|f| f.strip_suffix(".txt").map(str::to_string))
            .collect();
        v.sort();
        v
    };
    if stems.is_empty() {
        fail(&format!("no .txt files in {}", source.join("en").display()));
    }
    let texts: Vec<Vec<String>> = stems
        .iter()
        .map(|s| {
            LANGS
                .iter()
                .map(|l| {
                    let path = source.join(l).join(format!("{s}.txt"));
                    std::fs::read_to_string(&path)
                        .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())))
                })
                .collect()
        })
        .collect();
    let _ = std::fs::remove_dir_all(dir);
    for l in LANGS {
        std::fs::create_dir_all(dir.join(l)).unwrap();
    }

    use rayon::prelude::*;
    let (files, bytes) = (0..n)
        .into_par_iter()
        .map(|k| {
            // A generator of the statement's own, so the archive does not depend on the
            // order the threads take the statements in.
            let mut rng = Rng(Rng((SEED << 32) + k as u64).next());
            let perm = rng.digit_permutation();
            let missing = (rng.below(50) == 0).then(|| 1 + rng.below(LANGS.len() - 1));
            let doc = k % texts.len();
            let (mut files, mut bytes) = (0u64, 0u64);
            for (li, l) in LANGS.iter().enumerate() {
                let drop = (rng.below(10) == 0).then(|| rng.below(1000));
                if missing == Some(li) {
                    continue;
                }
                let text = perturb(&texts[doc][li], &perm, drop);
                let path = dir.join(l).join(format!("{k:06}-{}.txt", stems[doc]));
                std::fs::write(&path, &text)
                    .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
                files += 1;
                bytes += text.len() as u64;
            }
            (files, bytes)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    std::fs::write(dir.join(".complete"), format!("{files} {bytes}\n")).unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "archive: {} (generated in {secs:.1} s: {} files, {:.1} MB)",
        dir.display(),
        group(files),
        bytes as f64 / 1e6
    );
}

/// Align the archive (in the child) and print what it cost.
fn measure(dir: &Path, out: &Path, archive: Archive, formats: Vec<Format>, threads: Option<usize>) {
    if out.exists() {
        std::fs::remove_dir_all(out)
            .unwrap_or_else(|e| fail(&format!("remove {}: {e}", out.display())));
    }
    let mut opts = paralign::AlignOptions::new(dir);
    opts.out = Some(out.to_path_buf());
    opts.progress = false;
    opts.formats = formats;
    opts.threads = threads;
    opts.level = level();
    println!("level          {}", opts.level);
    let stolen_before = stolen_seconds();
    let keep = std::env::var_os("PARALIGN_BENCH_KEEP").is_some();
    let report = paralign::run_align(&opts).unwrap_or_else(|e| {
        // A failed run's output (gigabytes, perhaps what filled the disk) goes as a finished
        // run's does, unless asked to keep it.
        if !keep {
            let _ = std::fs::remove_dir_all(out);
        }
        fail(&format!("alignment failed: {e}"))
    });
    let stolen = stolen_seconds()
        .zip(stolen_before)
        .map(|(after, before)| after - before);
    let peak = peak_rss_mb();
    let s = &report.summary;
    let wall = s.wall_seconds;
    let mb = archive.bytes as f64 / 1e6;
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let versions: usize = s.stats.versions.values().sum();
    let paragraphs: usize = s.stats.paragraphs.values().sum();
    let p = &s.stats.pairing;

    println!();
    row("statements", group(s.stats.documents as u64));
    row(
        "versions",
        format!(
            "{} (of {} files)",
            group(versions as u64),
            group(archive.files)
        ),
    );
    row(
        "pairing",
        format!(
            "{} by stem, {} by content, {} unpaired",
            group(p.by_stem as u64),
            group(p.by_content as u64),
            group(p.unpaired as u64)
        ),
    );
    row("paragraphs", group(paragraphs as u64));
    row("input", format!("{mb:.1} MB"));
    row("wall", format!("{wall:.2} s"));
    row(
        "statements/s",
        format!("{:.1}", s.stats.documents as f64 / wall),
    );
    row("MB/s", format!("{:.2}", mb / wall));
    row("peak RSS", format!("{peak:.0} MB"));
    row("threads", threads.to_string());
    if let Some(stolen) = stolen {
        // Time the machine's cores were wanted but ran other guests: the run's wall clock
        // depends on it, the work done does not.
        row(
            "cpu stolen",
            format!("{stolen:.1} s (by the hypervisor, all cores)"),
        );
    }
    let names: Vec<String> = opts
        .formats
        .iter()
        .map(|f| format!("{f:?}").to_lowercase())
        .collect();
    row("formats", names.join(","));
    row(
        "output",
        format!(
            "{:.1} MB{}",
            dir_bytes(out) as f64 / 1e6,
            if keep {
                format!(" in {}", out.display())
            } else {
                " (removed; PARALIGN_BENCH_KEEP=1 keeps it)".into()
            }
        ),
    );
    if !keep {
        let _ = std::fs::remove_dir_all(out);
    }
    if !s.stats.skipped.is_empty() {
        row(
            "skipped",
            format!("{} files or records", s.stats.skipped.len()),
        );
    }
    if !s.stats.flagged_files.is_empty() {
        row(
            "flagged",
            format!(
                "{} files not in their folder's language",
                s.stats.flagged_files.len()
            ),
        );
    }

    let t = &s.stage_seconds;
    let stages = [
        ("plan", t.plan),
        ("learn", t.learn),
        ("read", t.read),
        ("normalize", t.normalize),
        ("language check", t.langcheck),
        ("align", t.align),
        ("qa", t.qa),
        ("write", t.write),
        ("finish", t.finish),
    ];
    let sum: f64 = stages.iter().map(|(_, s)| s).sum();
    println!();
    println!("{:<16} {:>10} {:>7}", "stage", "thread-s", "share");
    for (name, secs) in stages {
        println!(
            "{name:<16} {secs:>10.2} {:>6.1}%",
            100.0 * secs / sum.max(f64::MIN_POSITIVE)
        );
    }
    println!(
        "{:<16} {sum:>10.2} {:>6.1}%  ({:.0}% of wall × {threads} threads)",
        "sum",
        100.0,
        100.0 * sum / (wall * threads as f64)
    );
}

fn row(name: &str, value: impl std::fmt::Display) {
    println!("{name:<14} {value}");
}

/// 1234567 → "1,234,567".
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes of the files under `path`, recursively.
fn dir_bytes(path: &Path) -> u64 {
    let mut bytes = 0;
    common::for_each_file(path, &mut |e| bytes += e.metadata().map_or(0, |m| m.len()));
    bytes
}
