//! Alignment quality on the project's own demo corpus, and — when the shared data sits
//! beside the repository — agreement of `paralign eval` with the reference `score.py`.

mod common;

use common::{assert_defects_found, repo, run, shared, strict_f1};
use std::process::Command;

fn align(corpus: &std::path::Path) -> tempfile::TempDir {
    run(corpus, |_| {})
}

#[test]
fn demo_corpus_strict_f1_is_at_least_097() {
    let corpus = repo().join("corpora/demo");
    let out = align(&corpus);
    let f1 = strict_f1(&corpus.join("gold"), &out.path().join("ladder"));
    eprintln!("demo strict F1 (all pairs): {f1:.3}");
    assert!(f1 >= 0.97, "demo strict F1 {f1:.3} < 0.97");
}

#[test]
#[ignore = "needs ../shared/tools/score.py and python3"]
fn eval_agrees_with_score_py_to_the_third_decimal() {
    let score_py = shared("tools/score.py");
    let corpus = repo().join("corpora/demo");
    let out = align(&corpus);
    let gold = corpus.join("gold");
    let pred = out.path().join("ladder");
    let py = Command::new("python3")
        .arg(&score_py)
        .arg(&gold)
        .arg(&pred)
        .arg("--json")
        .output()
        .expect("python3 runs");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let reference: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
    let ours = paralign::eval::evaluate(&gold, &pred, None).unwrap().json();
    let rows = reference.as_object().unwrap();
    assert!(rows.contains_key("ALL") && rows.len() > 5);
    for (pair, scores) in rows {
        for (k, v) in scores.as_object().unwrap() {
            let a = v.as_f64().unwrap();
            let b = ours[pair][k].as_f64().unwrap();
            assert!((a - b).abs() < 5e-4, "{pair} {k}: score.py {a} vs ours {b}");
        }
    }
}

#[test]
#[ignore = "needs ../shared/data/news12"]
fn news12_strict_f1_is_at_least_097() {
    let corpus = shared("data/news12");
    let out = align(&corpus);
    let f1 = strict_f1(&corpus.join("gold"), &out.path().join("ladder"));
    eprintln!("news12 strict F1 (all pairs): {f1:.3}");
    assert!(f1 >= 0.97, "news12 strict F1 {f1:.3} < 0.97");
}

/// Sentence boundaries of `text::sentences::split` against the set's one-sentence-a-line
/// version: recall at least 0.97 (`examples/split_eval.rs` prints the same table).
fn sentence_boundary_recall_is_at_least_097(set: &str) {
    use paralign::eval::Scoreboard;
    let scores = paralign::eval::sentences::evaluate(&shared(set)).unwrap();
    eprint!("{set}\n{}", scores.table());
    let recall = scores.all().recall();
    assert!(
        recall >= 0.97,
        "{set}: sentence boundary recall {recall:.4} < 0.97"
    );
}

#[test]
#[ignore = "needs ../shared/data/news12"]
fn news12_sentence_boundary_recall_is_at_least_097() {
    sentence_boundary_recall_is_at_least_097("data/news12");
}

#[test]
#[ignore = "needs ../shared/data/news10"]
fn news10_sentence_boundary_recall_is_at_least_097() {
    sentence_boundary_recall_is_at_least_097("data/news10");
}

#[test]
#[ignore = "needs ../shared/data/udhr"]
fn udhr_strict_f1_is_at_least_097() {
    let corpus = shared("data/udhr");
    let out = align(&corpus);
    let f1 = strict_f1(&corpus.join("gold"), &out.path().join("ladder"));
    eprintln!("udhr strict F1 (all pairs): {f1:.3}");
    assert!(f1 >= 0.97, "udhr strict F1 {f1:.3} < 0.97");
}

#[test]
#[ignore = "needs ../shared/spec/tmx14.dtd and xmllint (Debian libxml2-utils)"]
fn tmx_is_valid_against_the_dtd() {
    let dtd = shared("spec/tmx14.dtd");
    assert!(
        Command::new("xmllint").arg("--version").output().is_ok(),
        "xmllint not found (Debian package libxml2-utils)"
    );
    for corpus in [
        repo().join("corpora/demo"),
        repo().join("tests/fixtures/tiny"),
    ] {
        let out = align(&corpus);
        let res = Command::new("xmllint")
            .args(["--noout", "--nonet", "--dtdvalid"])
            .arg(&dtd)
            .arg(out.path().join("tmx/batch-00001.tmx"))
            .output()
            .unwrap();
        assert!(
            res.status.success(),
            "{}: {}",
            corpus.display(),
            String::from_utf8_lossy(&res.stderr)
        );
    }
}

#[test]
#[ignore = "needs ../shared/data/news12-renamed"]
fn news12_renamed_is_paired_by_content() {
    let corpus = shared("data/news12-renamed");
    let out = run(&corpus, |o| {
        o.pair_by = paralign::corpus::pairing::PairBy::Content
    });
    let gold_pairs = corpus.join("docpairs.tsv");
    let report = paralign::eval::docpairs::evaluate(
        &gold_pairs,
        &out.path().join("docpairs.tsv"),
        paralign::Lang::En,
    )
    .unwrap();
    let (p, r) = report.all();
    eprintln!("news12-renamed pairing: precision {p:.4}, recall {r:.4}");
    assert!(p >= 0.99 && r >= 0.99, "pairing P {p:.4} R {r:.4}");
    let renamed =
        paralign::eval::rename_gold(&corpus.join("gold"), &gold_pairs, paralign::Lang::En).unwrap();
    let f1 = strict_f1(renamed.path(), &out.path().join("ladder"));
    eprintln!("news12-renamed strict F1 through the pairing: {f1:.3}");
    assert!(f1 >= 0.97, "strict F1 {f1:.3}");
}

#[test]
#[ignore = "needs ../shared/data/news12"]
fn news12_defects_are_found() {
    let corpus = shared("data/news12");
    let out = run(&corpus, |o| o.qa = true);
    assert_defects_found(&corpus, out.path());
}
