//! The command line, end to end: outputs, exit codes, bad input, determinism.

mod common;

use common::{copy_dir, paralign, repo, tree};
use predicates::prelude::*;
use std::fs;

#[test]
fn aligns_the_demo_corpus_into_every_format() {
    let out = tempfile::tempdir().unwrap();
    paralign()
        .args(["align", "corpora/demo", "--quiet", "--out"])
        .arg(out.path())
        .current_dir(repo())
        .assert()
        .success();
    let o = out.path();
    for f in [
        "summary.json",
        "units/batch-00001.jsonl",
        "tmx/batch-00001.tmx",
        "moses/en-ru.en",
        "moses/es-fr.fr",
    ] {
        assert!(o.join(f).is_file(), "{f} missing");
    }
    // All ten pairs of a statement with five versions; six of one without es.
    let full = o.join("ladder/2026-02-12-press-conference-oslo");
    assert_eq!(fs::read_dir(&full).unwrap().count(), 10);
    let partial = o.join("ladder/2026-04-09-briefing-spokesperson");
    assert_eq!(fs::read_dir(&partial).unwrap().count(), 6);
    assert!(!partial.join("en-es.txt").exists());

    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(o.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["documents"], 10);
    assert_eq!(summary["skipped"].as_array().unwrap().len(), 0);
    // gold/ and qa/ are not language folders: reported, not read.
    assert_eq!(summary["skipped_folders"].as_array().unwrap().len(), 2);

    // Moses files of a pair have the same number of lines, none empty.
    let en = fs::read_to_string(o.join("moses/en-ru.en")).unwrap();
    let ru = fs::read_to_string(o.join("moses/en-ru.ru")).unwrap();
    assert_eq!(en.lines().count(), ru.lines().count());
    assert!(
        en.lines()
            .chain(ru.lines())
            .all(|l| !l.trim().is_empty() && !l.contains('\t'))
    );

    // No temporary files left behind.
    assert!(tree(o).keys().all(|k| !k.contains(".paralign-")));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    for (dir, jobs) in [(&one, "1"), (&two, "2")] {
        paralign()
            .args(["align", "corpora/demo", "-q", "-j", jobs, "--out"])
            .arg(dir.path())
            .current_dir(repo())
            .assert()
            .success();
    }
    let mut a = tree(one.path());
    let mut b = tree(two.path());
    // The summary holds the wall time; everything else must match byte for byte.
    a.remove("summary.json");
    b.remove("summary.json");
    assert!(a.len() > 100);
    assert!(a == b, "outputs differ between -j 1 and -j 2");
}

#[test]
fn bad_files_are_reported_and_the_rest_goes_on() {
    let corpus = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/tiny"), corpus.path());
    let c = corpus.path();
    fs::write(c.join("de/broken.txt"), b"Guten Tag\n\n\xc3\x28 kaputt").unwrap();
    fs::write(c.join("fr/binary.txt"), b"\x7fELF\x00\x01\x02").unwrap();
    fs::write(c.join("ru/empty.txt"), b" \n\n\n").unwrap();
    fs::write(c.join("en/big.txt"), "word ".repeat(1000)).unwrap();
    fs::create_dir(c.join("it")).unwrap();
    let out = tempfile::tempdir().unwrap();
    paralign()
        .args(["align", "-q", "--max-file-size", "4000"])
        .arg(c)
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "broken.txt: not valid UTF-8 at byte offset 11",
        ))
        .stderr(predicate::str::contains(
            "binary.txt: binary content (NUL byte at byte offset 4)",
        ))
        .stderr(predicate::str::contains("empty.txt: empty"))
        .stderr(predicate::str::contains("big.txt: too large: 5000 bytes"))
        .stderr(predicate::str::contains("it: not a language folder"));
    // The good documents were aligned all the same.
    assert!(out.path().join("ladder/note/en-ru.txt").is_file());
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["skipped"].as_array().unwrap().len(), 4);
}

#[test]
fn the_closing_line_counts_in_words_that_agree() {
    let out = tempfile::tempdir().unwrap();
    paralign()
        .args(["align", "corpora/demo", "--out"])
        .arg(out.path())
        .current_dir(repo())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "paralign: aligned 10 statements in 1 batch in ",
        ));
}

#[test]
fn a_missing_corpus_is_an_error() {
    paralign()
        .args(["align", "no/such/corpus", "-q"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no/such/corpus"));
}

#[test]
fn a_usage_error_fails_with_1_not_the_skipped_code_2() {
    paralign()
        .args(["align", "tests/fixtures/tiny", "--shard", "5/4"])
        .current_dir(repo())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--shard"));
    paralign().arg("--version").assert().code(0);
}

#[test]
fn a_changed_command_starts_afresh_without_stale_batch_files() {
    let out = tempfile::tempdir().unwrap();
    let run = |batch_size: &str| {
        paralign()
            .args(["align", "corpora/demo", "-q", "--batch-size", batch_size])
            .arg("--out")
            .arg(out.path())
            .current_dir(repo())
            .assert()
            .success();
        fs::read_dir(out.path().join("units")).unwrap().count()
    };
    assert_eq!(run("2"), 5);
    assert_eq!(
        run("5"),
        2,
        "the 2-statement batches' files were left behind"
    );
}

#[test]
fn pivot_must_be_chosen() {
    paralign()
        .args([
            "align",
            "tests/fixtures/tiny",
            "-q",
            "--langs",
            "ru,de",
            "--pivot",
            "en",
        ])
        .current_dir(repo())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("pivot"));
}

#[test]
fn eval_prints_the_score_table() {
    let out = tempfile::tempdir().unwrap();
    paralign()
        .args(["align", "corpora/demo", "-q", "--out"])
        .arg(out.path())
        .current_dir(repo())
        .assert()
        .success();
    paralign()
        .args(["eval", "corpora/demo/gold"])
        .arg(out.path().join("ladder"))
        .current_dir(repo())
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"(?m)^ALL(\s+(0\.9\d\d|1\.000)){3}").unwrap())
        .stdout(predicate::str::contains("en-ru"));
}

#[test]
fn a_second_process_on_one_output_folder_is_refused() {
    let out = tempfile::tempdir().unwrap();
    // This test holds the folder's lock as a running paralign would.
    let held = paralign::batch::lock::lock(out.path()).unwrap();
    let run = || {
        let mut c = paralign();
        c.args(["align", "corpora/demo", "-q", "--formats", "units", "--out"])
            .arg(out.path())
            .current_dir(repo());
        c
    };
    run().assert().code(1).stderr(predicate::str::contains(
        "another paralign process is writing to this folder",
    ));
    assert!(!out.path().join("units").exists(), "it wrote nonetheless");
    drop(held);
    run().assert().success();
    assert!(out.path().join("units/batch-00001.jsonl").is_file());
}
