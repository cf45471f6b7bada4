//! Fuzzing the readers (plain text, HTML, JSON Lines) and the parsers of paralign's own
//! files (ladders, docpairs.tsv): arbitrary bytes and structured hostile inputs, for a time
//! budget, with each reader's invariants checked on every input.
//!
//! - `PARALIGN_FUZZ_SECONDS` (default 2) is the budget of each target; `.ci/run` gives more.
//! - `PARALIGN_FUZZ_SEED` replays a run (each run prints its seed).
//! - Every file in `tests/fuzz-corpus/<target>/` is checked first, every time: inputs that
//!   once broke a reader, and hostile inputs written by hand. A failing input found by the
//!   fuzzer is shrunk and saved there as `found-<hash>`, to be committed with the fix.

mod common;

use paralign::corpus::{self, Format, InputFile, Limits};
use paralign::text::Lang;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn budget() -> Duration {
    let secs = std::env::var("PARALIGN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(2.0);
    Duration::from_secs_f64(secs)
}

fn corpus_dir(target: &str) -> PathBuf {
    common::repo().join("tests/fuzz-corpus").join(target)
}

/// Check every saved input of `target`, then fuzz `strategy` until the budget is spent.
fn fuzz<S>(target: &str, strategy: S, check: impl Fn(&[u8]) -> Result<(), String>)
where
    S: Strategy<Value = Vec<u8>>,
{
    let dir = corpus_dir(target);
    let mut saved: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    saved.sort();
    for path in &saved {
        let bytes = std::fs::read(path).unwrap();
        if let Err(e) = check(&bytes) {
            panic!("{}: {e}", path.display());
        }
    }
    let seed: u64 = std::env::var("PARALIGN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!(
        "fuzz {target}: {} saved inputs; seed {seed} (PARALIGN_FUZZ_SEED={seed} replays it)",
        saved.len()
    );
    let started = Instant::now();
    let mut cases = 0u64;
    let mut round = 0u64;
    while started.elapsed() < budget() {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..16].copy_from_slice(&round.to_le_bytes());
        let config = Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &key));
        let result = runner.run(&strategy, |bytes| {
            check(&bytes).map_err(TestCaseError::fail)
        });
        if let Err(proptest::test_runner::TestError::Fail(why, bytes)) = result {
            let name = format!("found-{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(&name), &bytes).unwrap();
            panic!("{target}: {why}; the input is saved as tests/fuzz-corpus/{target}/{name}");
        }
        cases += 64;
        round += 1;
    }
    eprintln!("fuzz {target}: {cases} cases in {:.1?}", started.elapsed());
}

/// Bytes of any kind, and text of the kinds that break readers.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        "[ -~]{0,40}".prop_map(String::into_bytes),
        Just(b"\r".to_vec()),
        Just(b"\n\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\0".to_vec()),
        Just("\u{feff}".as_bytes().to_vec()),
        Just(vec![0xff, 0xfe]),
        Just(vec![0xfe, 0xff]),
        Just(vec![0xc3]),
        Just("\u{2028}\u{2029}\u{85}".as_bytes().to_vec()),
        Just("\u{1b}[31m".as_bytes().to_vec()),
        Just("Заявление «МИД» 1 000,5 — ".as_bytes().to_vec()),
        Just("e\u{301}\u{ad}\u{200b}".as_bytes().to_vec()),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// Tag soup: nested, unclosed and stray tags, comments, scripts hiding tags, entities,
/// charset declarations, furniture and main content.
fn hostile_html() -> impl Strategy<Value = Vec<u8>> {
    let tag = prop_oneof![
        Just("div"),
        Just("span"),
        Just("p"),
        Just("b"),
        Just("table"),
        Just("td"),
        Just("li"),
        Just("main"),
        Just("article"),
        Just("nav"),
        Just("script"),
        Just("style"),
        Just("br"),
        Just("template"),
        Just("svg"),
        Just("h1"),
    ];
    let piece = prop_oneof![
        (tag.clone(), 1..2000usize).prop_map(|(t, n)| format!("<{t}>").repeat(n)),
        (tag.clone(), 1..2000usize).prop_map(|(t, n)| format!("</{t}>").repeat(n)),
        tag.clone()
            .prop_map(|t| format!("<{t} class=\"share nav\" hidden>")),
        tag.prop_map(|t| format!("</{t}>")),
        "[ -~]{0,30}",
        Just("Текст абзаца, 3 марта 2026 года. ".to_string()),
        Just("<!-- <div><div> -->".to_string()),
        Just("<script>var s = '<div><div><p>';</script>".to_string()),
        Just("&amp;&lt;&#x1F600;&#0;&nbsp;&bogus;".to_string()),
        Just("<meta charset=\"windows-1251\">".to_string()),
        Just(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-16\">".to_string()
        ),
        Just("<!DOCTYPE html>".to_string()),
        Just("<".to_string()),
        Just("</".to_string()),
        Just("<p/>".to_string()),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat().into_bytes())
}

/// JSON Lines: good records, records with fields of every type, bad bytes, junk lines.
fn hostile_jsonl() -> impl Strategy<Value = Vec<u8>> {
    let value = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        ".{0,20}".prop_map(serde_json::Value::from),
        Just(serde_json::json!(["a", 1])),
        Just(serde_json::json!({"x": 1})),
        Just(serde_json::Value::from("en")),
        Just(serde_json::Value::from("Один.\n\nДва.\r\rTrois.")),
    ];
    let field = prop_oneof![
        Just("id"),
        Just("lang"),
        Just("text"),
        Just("title"),
        Just("date"),
        Just("url"),
        Just("other"),
    ];
    let record = proptest::collection::vec((field, value), 0..7).prop_map(|fields| {
        let map: serde_json::Map<String, serde_json::Value> = fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        serde_json::Value::Object(map).to_string().into_bytes()
    });
    let line = prop_oneof![
        4 => record,
        1 => hostile_bytes(),
        1 => Just(br#"{"id":"a","lang":"en","text":"ok"}"#.to_vec()),
    ];
    proptest::collection::vec(line, 0..30).prop_map(|lines| lines.join(&b"\n"[..]))
}

/// What any document read must be: paragraphs of text, each on one line, NFC, trimmed.
fn check_docs(outcome: &corpus::ReadOutcome) -> Result<(), String> {
    for d in &outcome.docs {
        if d.paragraphs.is_empty() {
            return Err(format!("{}: a document without paragraphs", d.id));
        }
        if d.chrome.len() != d.paragraphs.len() {
            return Err("chrome flags and paragraphs differ in number".into());
        }
        for p in &d.paragraphs {
            if p.is_empty() || p.trim() != p {
                return Err(format!("paragraph {p:?} is empty or not trimmed"));
            }
            if p.contains(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}']) {
                return Err(format!("paragraph {p:?} holds a line break"));
            }
            if !unicode_normalization::is_nfc(p) {
                return Err(format!("paragraph {p:?} is not NFC"));
            }
        }
    }
    for e in outcome.errors.iter().chain(&outcome.warnings) {
        if e.reason.is_empty() || e.line == Some(0) {
            return Err(format!("a report says too little: {e:?}"));
        }
    }
    if outcome.docs.is_empty() && outcome.errors.is_empty() {
        return Err("no document and no reason".into());
    }
    Ok(())
}

fn read(format: Format, bytes: &[u8]) -> corpus::ReadOutcome {
    let file = InputFile {
        lang: Lang::Ru,
        path: PathBuf::from("ru/fuzz"),
        format,
    };
    let limits = Limits {
        file_bytes: u64::MAX,
        paragraphs: 1000,
        records: 20,
    };
    let read = corpus::ReadOptions {
        limits,
        line_breaks: Default::default(),
    };
    corpus::parse(&file, bytes.to_vec(), &read)
}

#[test]
fn fuzz_the_text_reader() {
    fuzz("text", hostile_bytes(), |bytes| {
        let o = read(Format::Text, bytes);
        check_docs(&o)?;
        if o.docs.len() + o.errors.len() != 1 {
            return Err("a text file is one document or one error".into());
        }
        Ok(())
    });
}

#[test]
fn fuzz_the_html_reader() {
    let any_html = prop_oneof![hostile_html(), hostile_bytes()];
    fuzz("html", any_html, |bytes| {
        let o = read(Format::Html, bytes);
        check_docs(&o)?;
        if o.docs.len() + o.errors.len() != 1 {
            return Err("a page is one document or one error".into());
        }
        Ok(())
    });
}

#[test]
fn fuzz_the_json_lines_reader() {
    fuzz("jsonl", hostile_jsonl(), |bytes| {
        let o = read(Format::Jsonl, bytes);
        check_docs(&o)?;
        if o.errors.len() > corpus::jsonl::REPORTED_PER_FILE + 2 || o.docs.len() > 20 {
            return Err(format!("{} reports for one file", o.errors.len()));
        }
        let lines: Vec<usize> = o.docs.iter().map(|d| d.line.unwrap_or(0)).collect();
        if lines.windows(2).any(|w| w[0] >= w[1]) || lines.contains(&0) {
            return Err(format!("records' lines {lines:?}"));
        }
        if o.docs
            .iter()
            .any(|d| d.id.trim().is_empty() || d.lang != Lang::Ru)
        {
            return Err("a record without an id, or of another language".into());
        }
        Ok(())
    });
}

/// A ladder's text: beads as paralign writes them, and lines of anything.
fn hostile_ladder() -> impl Strategy<Value = Vec<u8>> {
    let side = proptest::collection::vec(0usize..1_000_000, 0..4);
    let line = prop_oneof![
        3 => (side.clone(), side).prop_map(|(a, b)| paralign::export::ladder::format_bead(a, b)),
        1 => "[ -~]{0,20}",
        1 => Just("[18446744073709551616]:[]".to_string()),
        1 => Just("[1,,2]:[3]".to_string()),
    ];
    proptest::collection::vec(line, 0..20).prop_map(|l| l.join("\n").into_bytes())
}

#[test]
fn fuzz_the_ladder_parser() {
    let any = prop_oneof![hostile_ladder(), hostile_bytes()];
    fuzz("ladder", any, |bytes| {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Ok(());
        };
        let path = Path::new("ladder/x/en-ru.txt");
        match paralign::export::ladder::parse(text, path) {
            Ok(beads) => {
                // What was read is written back the same way and reads the same.
                let again: String = beads
                    .iter()
                    .map(|(a, b)| {
                        paralign::export::ladder::format_bead(a.clone(), b.clone()) + "\n"
                    })
                    .collect();
                let back =
                    paralign::export::ladder::parse(&again, path).map_err(|e| e.to_string())?;
                if back != beads {
                    return Err("a ladder does not read back as written".into());
                }
                Ok(())
            }
            Err(e) => {
                let m = e.to_string();
                if m.contains("ladder/x/en-ru.txt:") {
                    Ok(())
                } else {
                    Err(format!("an error that names no line: {m}"))
                }
            }
        }
    });
}

/// Rows of ids of every kind, written as paralign writes docpairs.tsv: read back the same.
#[test]
fn fuzz_the_docpairs_parser() {
    let id = prop_oneof![
        ".{0,12}",
        "[\\t\\n\\r\\\\\\u{85}\\u{2028}\\u{2029}\\u{1b}a-z]{1,8}",
        Just("\\u2028".to_string()),
    ];
    let row = (
        id.clone(),
        proptest::collection::vec(proptest::option::of(id), 5),
    );
    let rows = proptest::collection::vec(row, 0..6);
    let written = rows.prop_map(|rows| {
        let mut tsv = String::from("doc\ten\tru\tde\tes\tfr\tscore\n");
        for (doc, stems) in rows {
            let doc = if doc.is_empty() { "d".to_string() } else { doc };
            tsv.push_str(&paralign::export::escape::tsv_field(&doc));
            for s in stems {
                let s = s.filter(|s| !s.is_empty());
                tsv.push('\t');
                tsv.push_str(&paralign::export::escape::tsv_field(
                    s.as_deref().unwrap_or(""),
                ));
            }
            tsv.push_str("\t1.0000\n");
        }
        tsv.into_bytes()
    });
    fuzz("docpairs", prop_oneof![written, hostile_bytes()], |bytes| {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Ok(());
        };
        let rows = match paralign::eval::docpairs::parse(text, Path::new("docpairs.tsv")) {
            Ok(rows) => rows,
            Err(e) if e.to_string().starts_with("docpairs.tsv:") => return Ok(()),
            Err(e) => return Err(format!("an error that names no line: {e}")),
        };
        // As paralign writes it (the header, seven fields a row): every row reads back as
        // one row, its fields as they were.
        let body: Vec<&str> = text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .collect();
        let written = text.starts_with("doc\ten\tru\tde\tes\tfr\tscore\n")
            && body.iter().all(|l| l.split('\t').count() == 7);
        if !written {
            return Ok(());
        }
        if rows.len() != body.len() {
            return Err(format!(
                "{} rows read from {} lines",
                rows.len(),
                body.len()
            ));
        }
        for (row, line) in rows.iter().zip(&body) {
            let first = line.split('\t').next().unwrap_or("");
            if paralign::export::escape::tsv_field(&row.doc) != first {
                return Err(format!("{:?} does not read back as {first:?}", row.doc));
            }
        }
        Ok(())
    });
}
