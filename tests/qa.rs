//! Translation QA on the demo corpus, whose injected defects are in corpora/demo/qa: the
//! findings, the TSV, and the report page.

mod common;

use common::{assert_defects_found, repo, run};
use std::fs;

fn qa(corpus: &std::path::Path) -> tempfile::TempDir {
    run(corpus, |o| o.qa = true)
}

#[test]
fn demo_defects_are_found() {
    let corpus = repo().join("corpora/demo");
    let out = qa(&corpus);
    assert_defects_found(&corpus, out.path());
    // The English-only paragraph of the interview is an addition of the pivot.
    let lines = fs::read_to_string(out.path().join("qa.jsonl")).unwrap();
    assert!(lines.lines().any(|l| {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        v["check"] == "addition"
            && v["lang"] == "en"
            && v["doc"] == "2026-06-25-interview-newspaper"
    }));
}

#[test]
fn findings_come_as_tsv_too() {
    let out = qa(&repo().join("corpora/demo"));
    let jsonl = fs::read_to_string(out.path().join("qa.jsonl")).unwrap();
    let tsv = fs::read_to_string(out.path().join("qa.tsv")).unwrap();
    let mut rows = tsv.lines();
    assert_eq!(
        rows.next().unwrap(),
        "doc\tlang\tparas\tpivot_paras\tcheck\tseverity\tevidence\tsentences\tpivot_sentences"
    );
    assert_eq!(rows.count(), jsonl.lines().count());
    assert!(tsv.lines().all(|l| l.split('\t').count() == 9));
    assert!(tsv.contains("\tes\t3\t3\tnumber_mismatch\terror\t"));
}

#[test]
fn the_report_is_self_contained_and_escaped() {
    let out = qa(&repo().join("corpora/demo"));
    let html = fs::read_to_string(out.path().join("report.html")).unwrap();
    // No network: no external scripts, styles, images or fonts.
    for needle in ["<script src", "<link", "<img", "@import", "url("] {
        assert!(!html.contains(needle), "{needle}");
    }
    // The changed number is marked where it stands.
    assert!(html.contains("<mark class=\"num\">84</mark>"));
    assert!(html.contains("<mark class=\"num\">48</mark>"));
    assert!(html.contains("data-check=\"omission\""));
    // Untrusted text comes out escaped.
    let tiny = qa(&repo().join("tests/fixtures/tiny"));
    let page = fs::read_to_string(tiny.path().join("report.html")).unwrap();
    assert!(!page.contains("<b>"));
    assert!(page.contains("&lt;b&gt;&quot;Harbour &amp; Rail&quot;&lt;/b&gt;"));
}
