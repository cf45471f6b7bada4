//! What one hostile input may cost: for each kind of input an archive may hold at the size
//! limit (`--max-file-size`, 32 MB), a corpus of that one file beside a normal statement is
//! aligned in a process of its own, and its peak memory, time and report size are set
//! beside a run of the normal statement alone. Fails when an input costs more than 1 GB
//! beyond that run's peak, or writes a report of more than 100 KB or 50 lines on stderr.
//!
//! `cargo bench --bench hostile` (all kinds) or `cargo bench --bench hostile -- KIND…`.
//! The inputs are generated into target/bench-data/hostile/ (about 350 MB).

mod common;

use common::Rng;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const CHILD: &str = "PARALIGN_HOSTILE_CHILD";
const SIZE: usize = paralign::corpus::DEFAULT_MAX_FILE_BYTES as usize;
const BEYOND_MB: f64 = 1024.0;
const REPORT_BYTES: u64 = 100_000;
const STDERR_LINES: usize = 50;

/// How the bytes of an input are made.
type Make = fn(&mut Rng) -> Vec<u8>;

/// The kinds of input: a name, the file name, and how its bytes are made.
const KINDS: &[(&str, &str, Make)] = &[
    ("one-letter-paragraphs", "x.txt", |_| fill(b"a\n\n")),
    ("one-paragraph-of-unique-words", "x.txt", |r| {
        words(r, b' ', usize::MAX)
    }),
    ("paragraphs-of-unique-words", "x.txt", |r| {
        words(r, b' ', SIZE / 49_000)
    }),
    ("numbers", "x.txt", |r| {
        let mut b = Vec::with_capacity(SIZE);
        while b.len() < SIZE - 11 {
            let _ = write!(Bytes(&mut b), "{} ", r.next() % 1_000_000_000);
        }
        b
    }),
    ("one-word", "x.txt", |_| vec![b'a'; SIZE]),
    ("junk-lines", "x.jsonl", |_| fill(b"junk {\n")),
    ("tiny-records", "x.jsonl", |_| {
        let mut b = Vec::with_capacity(SIZE);
        let mut k = 0;
        while b.len() < SIZE - 64 {
            let _ = writeln!(Bytes(&mut b), r#"{{"id":{k},"lang":"en","text":"a"}}"#);
            k += 1;
        }
        b
    }),
    ("binary", "x.txt", |r| {
        (0..SIZE).map(|_| (r.next() % 256) as u8).collect()
    }),
    ("nested-elements", "x.html", |_| {
        let mut b = b"<html><body>".to_vec();
        b.extend(fill(b"<div>"));
        b.truncate(SIZE);
        b
    }),
    ("many-elements", "x.html", |_| {
        let mut b = b"<html><body>".to_vec();
        b.extend(fill(b"<p>a</p>"));
        b.truncate(SIZE);
        b
    }),
    ("elements-under-the-limit", "x.html", |_| {
        let mut b = b"<html><body>".to_vec();
        // Ten elements a paragraph, just under both limits (elements and paragraphs).
        let el = b"<div><p><span>Some</span><b>text</b><i>of</i><span>a</span><em>page,</em>\
            <span>and</span><span>more</span><a>of it.</a></p></div>";
        for _ in 0..(SIZE / el.len()).min(49_000) {
            b.extend_from_slice(el);
        }
        b
    }),
];

struct Bytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// `unit` repeated to the size limit.
fn fill(unit: &[u8]) -> Vec<u8> {
    unit.iter().copied().cycle().take(SIZE).collect()
}

/// Random 8-letter words to the size limit, a blank line after every `per` bytes.
fn words(r: &mut Rng, sep: u8, per: usize) -> Vec<u8> {
    let mut b = Vec::with_capacity(SIZE);
    let mut in_para = 0;
    while b.len() + 11 < SIZE {
        for _ in 0..8 {
            b.push(b'a' + (r.next() % 26) as u8);
        }
        b.push(sep);
        in_para += 9;
        if in_para >= per {
            b.extend_from_slice(b"\n\n");
            in_para = 0;
        }
    }
    b
}

fn corpus(dir: &Path, file: &str, bytes: Option<&[u8]>) {
    for l in ["en", "ru"] {
        std::fs::create_dir_all(dir.join(l)).unwrap();
    }
    std::fs::write(
        dir.join("en/note.txt"),
        "One paragraph.\n\nAnother paragraph.",
    )
    .unwrap();
    std::fs::write(dir.join("ru/note.txt"), "Один абзац.\n\nДругой абзац.").unwrap();
    if let Some(bytes) = bytes {
        let stem = file.split('.').next().unwrap();
        std::fs::write(dir.join("en").join(file), bytes).unwrap();
        std::fs::write(dir.join("ru").join(format!("{stem}.txt")), "Один абзац.").unwrap();
    }
}

fn main() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/hostile");
    if let Some(dir) = std::env::var_os(CHILD) {
        child(Path::new(&dir));
        return;
    }
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let baseline = data.join("baseline");
    corpus(&baseline, "", None);
    let (_, base_mb, _, _) = run(&baseline);
    println!("baseline (one normal statement): peak {base_mb:.0} MB");
    println!(
        "| input ({} MB) | seconds | peak MB | beyond baseline MB | summary.json bytes | stderr lines | exit |",
        SIZE >> 20
    );
    println!("|---|---|---|---|---|---|---|");
    let mut failed = Vec::new();
    for (k, (name, file, make)) in KINDS.iter().enumerate() {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == name) {
            continue;
        }
        let dir = data.join(name);
        if !dir.join("en").join(file).exists() {
            let _ = std::fs::remove_dir_all(&dir);
            corpus(&dir, file, Some(&make(&mut Rng(k as u64 + 1))));
        }
        let (secs, mb, (report, lines), code) = run(&dir);
        let beyond = mb - base_mb;
        println!("| {name} | {secs:.2} | {mb:.0} | {beyond:.0} | {report} | {lines} | {code} |");
        if beyond > BEYOND_MB || report > REPORT_BYTES || lines > STDERR_LINES {
            failed.push(*name);
        }
    }
    if !failed.is_empty() {
        eprintln!("over the bounds: {}", failed.join(", "));
        std::process::exit(1);
    }
}

/// Align `dir` in a child process: seconds, peak MB, (summary.json bytes, stderr lines),
/// exit code.
fn run(dir: &Path) -> (f64, f64, (u64, usize), i32) {
    let started = Instant::now();
    let out = Command::new(std::env::current_exe().unwrap())
        .env(CHILD, dir)
        .output()
        .unwrap();
    let secs = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mb: f64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("peak_mb "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(f64::NAN);
    let report =
        std::fs::metadata(dir.with_extension("out").join("summary.json")).map_or(0, |m| m.len());
    let lines = out.stderr.split(|&b| b == b'\n').count() - 1;
    (secs, mb, (report, lines), out.status.code().unwrap_or(-1))
}

/// The child: the command line's run, in this process, so that its peak is this process's.
fn child(dir: &Path) {
    let out = dir.with_extension("out");
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(env!("CARGO_BIN_EXE_paralign"))
        .arg("align")
        .arg(dir)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .status();
    // The peak of the command, read from its rusage: the child's children.
    let peak = max_rss_of_children_mb();
    println!("peak_mb {peak:.1}");
    std::process::exit(status.ok().and_then(|s| s.code()).unwrap_or(-1));
}

/// The largest resident set of the processes this one waited for, in MB.
fn max_rss_of_children_mb() -> f64 {
    // SAFETY: getrusage fills the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}
