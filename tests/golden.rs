//! Golden files: the exact bytes of every format for a small fixture corpus whose text
//! carries markup, quotes, ampersands, tabs, a BOM and CRLF line ends.
//! Run with UPDATE_GOLDEN=1 to rewrite them after an intended change, and review the diff.

mod common;

use common::{repo, tree};
use std::fs;

#[test]
fn formats_match_the_golden_files() {
    let out = tempfile::tempdir().unwrap();
    let mut opts = paralign::AlignOptions::new(repo().join("tests/fixtures/tiny"));
    opts.out = Some(out.path().to_path_buf());
    opts.progress = false;
    let report = paralign::run_align(&opts).unwrap();
    assert!(!report.skipped_anything());

    let mut produced = tree(out.path());
    let summary = produced.remove("summary.json").expect("summary written");
    let lock = produced.remove(paralign::batch::lock::LOCK_FILE);
    // The corpus's fingerprint holds its files' times of last change, which a checkout sets.
    let run = produced
        .get_mut("manifest/run.json")
        .expect("run.json written");
    let fingerprint = regex::Regex::new(r#""input": "[0-9a-f]{32}""#).unwrap();
    let text = String::from_utf8(run.clone()).unwrap();
    assert!(
        fingerprint.is_match(&text),
        "run.json has the corpus's fingerprint"
    );
    *run = fingerprint
        .replace(&text, r#""input": "(fingerprint of the checkout)""#)
        .into_owned()
        .into_bytes();
    assert_eq!(
        lock.as_deref(),
        Some(&[][..]),
        "the lock file is left, empty"
    );
    let golden_dir = repo().join("tests/golden/tiny");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let _ = fs::remove_dir_all(&golden_dir);
        for (rel, bytes) in &produced {
            let path = golden_dir.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
    }
    let golden = tree(&golden_dir);
    assert_eq!(
        produced.keys().collect::<Vec<_>>(),
        golden.keys().collect::<Vec<_>>(),
        "the set of output files changed"
    );
    for (rel, bytes) in &produced {
        assert!(
            bytes == &golden[rel],
            "{rel} differs from tests/golden/tiny/{rel}:\n{}",
            String::from_utf8_lossy(bytes)
        );
    }

    // The summary, but for its wall time.
    let s: serde_json::Value = serde_json::from_slice(&summary).unwrap();
    assert_eq!(s["documents"], 2);
    assert_eq!(s["paragraphs"]["en"], 8);
    assert_eq!(s["versions"]["de"], 1);
    let wall = s["wall_seconds"].as_f64().unwrap();
    assert!(wall > 0.0 && wall < 60.0, "wall_seconds {wall}");
    assert!(s["stage_seconds"]["align"].as_f64().unwrap() > 0.0);
}

#[test]
fn untrusted_text_is_escaped_in_every_format() {
    let out = tempfile::tempdir().unwrap();
    let mut opts = paralign::AlignOptions::new(repo().join("tests/fixtures/tiny"));
    opts.out = Some(out.path().to_path_buf());
    opts.progress = false;
    paralign::run_align(&opts).unwrap();
    let o = out.path();

    // TMX escapes markup, and unescaping a segment gives back the original text.
    let tmx = fs::read_to_string(o.join("tmx/batch-00001.tmx")).unwrap();
    assert!(!tmx.contains("<b>"));
    let segs: Vec<String> = tmx
        .split("<seg>")
        .skip(1)
        .map(|s| s.split("</seg>").next().unwrap())
        .map(|s| quick_xml::escape::unescape(s).unwrap().into_owned())
        .collect();
    assert!(
        segs.iter()
            .any(|s| s == "Statement on the <b>\"Harbour & Rail\"</b> agreement"),
        "{segs:?}"
    );

    // Every JSON line parses and keeps the text.
    let units = fs::read_to_string(o.join("units/batch-00001.jsonl")).unwrap();
    let mut found = false;
    for line in units.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(t) = v["langs"]["en"]["text"][0].as_str() {
            found |= t == "Statement on the <b>\"Harbour & Rail\"</b> agreement";
        }
    }
    assert!(found);

    // Moses lines carry no tabs (the input had one) and the pair stays line-aligned.
    let en = fs::read_to_string(o.join("moses/en-ru.en")).unwrap();
    assert!(!en.contains('\t'));
    assert!(en.contains("\"constructive\" and long."));
}
