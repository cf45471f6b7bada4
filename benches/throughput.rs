//! Throughput benchmark (release mode): align a corpus end to end and report documents/s,
//! MB/s of input text and peak memory.
//!
//!   cargo bench --bench throughput                      # news12, then news12 × 50
//!   cargo bench --bench throughput -- CORPUS [REPEAT]   # one corpus, repeated REPEAT times
//!
//! Each measurement runs in a child process of its own, so peak memory (VmHWM) is that
//! run's alone. A repeated corpus is the original copied REPEAT times under new stems in
//! target/bench-data; its documents are real, so the work per document is unchanged.

mod common;

use common::peak_rss_mb;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() {
    // cargo passes --bench; ignore flags.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.is_empty() {
        let news12 = common::news12();
        println!("{}", header());
        for repeat in ["1", "50"] {
            let status = Command::new(std::env::current_exe().unwrap())
                .arg(&news12)
                .arg(repeat)
                .env("PARALIGN_BENCH_CHILD", "1")
                .status()
                .expect("run the benchmark child");
            assert!(status.success());
        }
        return;
    }
    let corpus = PathBuf::from(&args[0]);
    let repeat: usize = args
        .get(1)
        .map_or(1, |r| r.parse().expect("REPEAT is a number"));
    if std::env::var_os("PARALIGN_BENCH_CHILD").is_none() {
        println!("{}", header());
    }
    let input = if repeat > 1 {
        repeated(&corpus, repeat)
    } else {
        corpus.clone()
    };
    let bytes = text_bytes(&input);
    let out = tempfile::tempdir().unwrap();
    let mut opts = paralign::AlignOptions::new(&input);
    opts.out = Some(out.path().to_path_buf());
    opts.progress = false;
    let start = Instant::now();
    let report = paralign::run_align(&opts).expect("alignment runs");
    let secs = start.elapsed().as_secs_f64();
    let s = &report.summary;
    let paras: usize = s.stats.paragraphs.values().sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "{:<22} {:>7} {:>8} {:>8.1} {:>8.2} {:>8.1} {:>7.2} {:>8.0}",
        format!(
            "{}×{}",
            corpus.file_name().unwrap().to_string_lossy(),
            repeat
        ),
        s.stats.documents,
        paras,
        mb,
        secs,
        s.stats.documents as f64 / secs,
        mb / secs,
        peak_rss_mb()
    );
}

fn header() -> String {
    format!(
        "{:<22} {:>7} {:>8} {:>8} {:>8} {:>8} {:>7} {:>8}\n(threads: {})",
        "corpus",
        "docs",
        "paras",
        "MB",
        "seconds",
        "docs/s",
        "MB/s",
        "peak MB",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    )
}

/// Copy the language folders of `corpus` `times` times, stems suffixed, into target/.
fn repeated(corpus: &Path, times: usize) -> PathBuf {
    let name = corpus.file_name().unwrap().to_string_lossy();
    let dest = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(format!("{name}-x{times}"));
    let marker = dest.join(".complete");
    if marker.exists() {
        return dest;
    }
    let _ = std::fs::remove_dir_all(&dest);
    for lang in ["en", "ru", "de", "es", "fr"] {
        let Ok(entries) = std::fs::read_dir(corpus.join(lang)) else {
            continue;
        };
        let files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        std::fs::create_dir_all(dest.join(lang)).unwrap();
        for f in &files {
            let stem = f.file_stem().unwrap().to_string_lossy();
            for k in 0..times {
                std::fs::copy(f, dest.join(lang).join(format!("{stem}-r{k:03}.txt"))).unwrap();
            }
        }
    }
    std::fs::write(marker, b"").unwrap();
    dest
}

fn text_bytes(corpus: &Path) -> u64 {
    ["en", "ru", "de", "es", "fr"]
        .iter()
        .filter_map(|l| std::fs::read_dir(corpus.join(l)).ok())
        .flatten()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}
