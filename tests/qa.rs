//! Translation QA on the demo corpus, whose injected defects are in corpora/demo/qa: the
//! findings, the TSV, and the report page.

mod common;

use common::{assert_defects_found, repo, run};
use std::fs;

fn qa(corpus: &std::path::Path) -> tempfile::TempDir {
    run(corpus, |o| o.qa = true)
}

/// The paragraphs of a demo statement's version.
fn demo_paras(stem: &str, lang: &str) -> Vec<String> {
    let path = repo().join(format!("corpora/demo/{lang}/{stem}.txt"));
    let text = fs::read_to_string(path).unwrap();
    text.split("\n\n").map(str::to_string).collect()
}

/// A corpus of one statement, `stem`, with these versions' paragraphs, in `dir/corpus`.
fn write_statement(
    dir: &std::path::Path,
    stem: &str,
    versions: &[(&str, Vec<String>)],
) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    for (lang, paras) in versions {
        fs::create_dir_all(corpus.join(lang)).unwrap();
        fs::write(
            corpus.join(format!("{lang}/{stem}.txt")),
            paras.join("\n\n"),
        )
        .unwrap();
    }
    corpus
}

/// QA of the statement `stem` of `versions`, written in `dir`: the output folder, qa.jsonl,
/// and its number_mismatch findings.
fn number_findings(
    dir: &std::path::Path,
    stem: &str,
    versions: &[(&str, Vec<String>)],
) -> (tempfile::TempDir, String, Vec<serde_json::Value>) {
    let out = qa(&write_statement(dir, stem, versions));
    let lines = fs::read_to_string(out.path().join("qa.jsonl")).unwrap();
    let numbers = lines
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["check"] == "number_mismatch")
        .collect();
    (out, lines, numbers)
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

/// A German paragraph left in English where the English version lacks that paragraph too:
/// no English counterpart can confirm the copy, and the language detector, sure of a long
/// paragraph, is enough.
#[test]
fn untranslated_text_whose_language_version_lacks_it_is_found() {
    let stem = "2026-02-12-press-conference-oslo";
    let (mut en, mut de) = (demo_paras(stem, "en"), demo_paras(stem, "de"));
    // A long paragraph, past the date line and the headline.
    let k = (4..en.len()).find(|&k| en[k].len() > 300).unwrap();
    de[k] = en.remove(k);
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_statement(dir.path(), stem, &[("en", en), ("de", de)]);
    let out = run(&corpus, |o| {
        o.qa = true;
        o.langs = vec![paralign::text::Lang::En, paralign::text::Lang::De];
    });
    let lines = fs::read_to_string(out.path().join("qa.jsonl")).unwrap();
    let found = lines.lines().any(|l| {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        v["check"] == "untranslated" && v["lang"] == "de" && v["paras"] == serde_json::json!([k])
    });
    assert!(found, "{lines}");
}

/// A number changed in a paragraph the pivot lacks: the other versions that have it agree
/// on the number, so the odd one out is reported, and only it.
#[test]
fn a_number_changed_where_the_pivot_lacks_the_paragraph_is_found() {
    let stem = "2026-03-04-comment-un-vote";
    // Paragraph 4 gives the vote's figures in every version.
    let k = 4;
    let mut versions: Vec<(&str, Vec<String>)> = ["en", "de", "es", "fr"]
        .map(|l| (l, demo_paras(stem, l)))
        .into();
    for (lang, p) in &versions {
        assert!(p[k].contains("193"), "{lang}: {}", p[k]);
    }
    versions[0].1.remove(k);
    versions[2].1[k] = versions[2].1[k].replace("193", "194");
    let dir = tempfile::tempdir().unwrap();
    let (out, lines, numbers) = number_findings(dir.path(), stem, &versions);
    let numbers: Vec<&serde_json::Value> = numbers
        .iter()
        .filter(|v| v["pivot_paras"] == serde_json::json!([]))
        .collect();
    // (The demo statement's own injected change, in a paragraph the pivot has, is found
    // against the pivot as ever.)
    assert_eq!(numbers.len(), 1, "{lines}");
    let f = &numbers[0];
    assert_eq!(
        (&f["lang"], &f["paras"], &f["pivot_paras"]),
        (
            &"es".into(),
            &serde_json::json!([k]),
            &serde_json::json!([])
        ),
        "{lines}"
    );
    assert_eq!(f["evidence"]["missing"], serde_json::json!(["193"]));
    assert_eq!(f["evidence"]["extra"], serde_json::json!(["194"]));
    assert_eq!(
        f["evidence"]["compared_with"],
        serde_json::json!(["de", "fr"])
    );
    // The report says what it was compared with and marks the number where it stands.
    let html = fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(html.contains("de, fr 193 · here 194"), "{html}");
    assert!(html.contains("<mark class=\"num\">194</mark>"));
}

/// The English and French versions of demo statement `stem`.
fn en_fr(stem: &str) -> Vec<(&'static str, Vec<String>)> {
    ["en", "fr"].map(|l| (l, demo_paras(stem, l))).into()
}

/// The one number finding of a statement whose French version moved a sentence across a
/// paragraph boundary and changed its number: on the French paragraph `para`, against the
/// English paragraph `pivot_para`, `missing` for `extra`, found across the boundary.
fn assert_found_across(
    stem: &str,
    versions: &[(&str, Vec<String>)],
    (para, pivot_para): (usize, usize),
    (missing, extra): (&str, &str),
) {
    let dir = tempfile::tempdir().unwrap();
    let (_out, lines, numbers) = number_findings(dir.path(), stem, versions);
    assert_eq!(numbers.len(), 1, "{lines}");
    let f = &numbers[0];
    assert_eq!(
        (&f["lang"], &f["paras"], &f["pivot_paras"]),
        (
            &"fr".into(),
            &serde_json::json!([para]),
            &serde_json::json!([pivot_para])
        ),
        "{lines}"
    );
    assert_eq!(f["evidence"]["missing"], serde_json::json!([missing]));
    assert_eq!(f["evidence"]["extra"], serde_json::json!([extra]));
    assert_eq!(f["evidence"]["across_paragraphs"], true);
}

#[test]
fn a_number_changed_in_a_sentence_moved_to_the_paragraph_before_is_found_once() {
    let stem = "2026-09-23-speech-unga";
    // Paragraph 14 opens with a short sentence that names 2030, in every version.
    let k = 14;
    let mut versions = en_fr(stem);
    let fr = &mut versions[1].1;
    let first = "Il ne reste que quatre ans avant 2030. ";
    assert!(fr[k].starts_with(first), "{}", fr[k]);
    // The French translator ends paragraph 13 with it, its year changed: the paragraphs
    // still pair off 1-1, so neither bead alone shows the change.
    fr[k] = fr[k][first.len()..].to_string();
    fr[k - 1] = format!("{} {}", fr[k - 1], first.trim().replace("2030", "2031"));
    // And writes a year of its own in paragraph 15, a slip from the 2030 that paragraph 14
    // now lacks: that 2030 was reported across the boundary before, not again here.
    let touch = "qui touchent aujourd'hui";
    assert!(fr[k + 1].contains(touch), "{}", fr[k + 1]);
    fr[k + 1] = fr[k + 1].replace(touch, "qui toucheront en 2035");
    assert_found_across(stem, &versions, (k - 1, k), ("2030", "2031"));
}

#[test]
fn a_number_changed_in_a_sentence_moved_to_the_paragraph_after_is_found() {
    let stem = "2026-06-25-interview-newspaper";
    // Paragraph 4 ends with a short sentence that names a date, in French and English.
    let k = 4;
    let mut versions = en_fr(stem);
    let fr = &mut versions[1].1;
    let last = " Le premier d'entre eux se réunira dès le 10 juillet.";
    assert!(fr[k].ends_with(last), "{}", fr[k]);
    // The French translator opens paragraph 5 with it, the day changed.
    fr[k] = fr[k][..fr[k].len() - last.len()].to_string();
    fr[k + 1] = format!("{} {}", last.trim().replace("10", "12"), fr[k + 1]);
    assert_found_across(stem, &versions, (k + 1, k), ("10", "12"));
}
