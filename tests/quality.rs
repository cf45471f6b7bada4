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
fn eval_agrees_with_score_py_to_the_third_decimal() {
    let Some(score_py) = shared("tools/score.py") else {
        return;
    };
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
fn news12_strict_f1_is_at_least_097() {
    let Some(corpus) = shared("data/news12") else {
        return;
    };
    let out = align(&corpus);
    let f1 = strict_f1(&corpus.join("gold"), &out.path().join("ladder"));
    eprintln!("news12 strict F1 (all pairs): {f1:.3}");
    assert!(f1 >= 0.97, "news12 strict F1 {f1:.3} < 0.97");
}

#[test]
fn udhr_strict_f1_is_at_least_097() {
    let Some(corpus) = shared("data/udhr") else {
        return;
    };
    let out = align(&corpus);
    let f1 = strict_f1(&corpus.join("gold"), &out.path().join("ladder"));
    eprintln!("udhr strict F1 (all pairs): {f1:.3}");
    assert!(f1 >= 0.97, "udhr strict F1 {f1:.3} < 0.97");
}

#[test]
fn tmx_is_valid_against_the_dtd() {
    let Some(dtd) = shared("spec/tmx14.dtd") else {
        return;
    };
    if Command::new("xmllint").arg("--version").output().is_err() {
        let msg = "xmllint not found (Debian package libxml2-utils)";
        if std::env::var_os("PARALIGN_REQUIRE_SHARED").is_some() {
            panic!("{msg}; PARALIGN_REQUIRE_SHARED is set");
        }
        eprintln!("SKIPPED: {msg}");
        return;
    }
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
fn news12_renamed_is_paired_by_content() {
    let Some(corpus) = shared("data/news12-renamed") else {
        return;
    };
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
fn news12_defects_are_found() {
    let Some(corpus) = shared("data/news12") else {
        return;
    };
    let out = run(&corpus, |o| o.qa = true);
    assert_defects_found(&corpus, out.path());
}
