//! The QA report in a real browser: headless Chromium loads report.html for news12 (the demo
//! corpus when the shared data is absent), runs its script, and the DOM it leaves is checked;
//! a screenshot is saved to target/qa-report.png.
//!
//! Needs Debian's chromium, so it is ignored by a plain `cargo test`; `.ci/run` installs it
//! and runs the ignored tests.

mod common;

use common::{repo, run};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in ["/usr/bin", "/usr/local/bin", "/snap/bin"] {
            let p = Path::new(dir).join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!("no headless browser found (Debian package chromium)");
}

fn headless(browser: &Path, profile: &Path) -> Command {
    let mut c = Command::new(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=5000",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

#[test]
#[ignore = "needs Chromium (Debian package chromium)"]
fn the_report_opens_in_a_browser() {
    let browser = chromium();
    let shared = repo().join("../shared/data/news12");
    let corpus = if shared.exists() {
        shared
    } else {
        repo().join("corpora/demo")
    };
    let out = run(&corpus, |o| o.qa = true);
    let report = out.path().join("report.html");
    let size = std::fs::metadata(&report).unwrap().len();
    eprintln!("{}: report.html is {size} bytes", corpus.display());
    assert!(size < 5_000_000, "report.html is {size} bytes");
    let findings = std::fs::read_to_string(out.path().join("qa.jsonl"))
        .unwrap()
        .lines()
        .count();
    assert!(findings > 0);

    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", report.display());
    let dom = headless(&browser, profile.path())
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    // The script ran: it counted the findings it shows.
    assert!(
        dom.contains(&format!("<span id=\"visible-count\">{findings}</span>")),
        "visible count not filled in"
    );
    assert_eq!(dom.matches("<li class=\"finding").count(), findings);
    // Cells with findings are highlighted, and a changed number is marked.
    assert!(dom.contains("class=\"cell lit"));
    assert!(dom.contains("<mark class=\"num\">"));

    // A screenshot of the demo corpus's report, only units with findings shown.
    let demo = run(&repo().join("corpora/demo"), |o| o.qa = true);
    let shot = repo().join("target/qa-report.png");
    // target/ need not exist: CARGO_TARGET_DIR may put the build elsewhere.
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let status = headless(&browser, profile.path())
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1400,1600")
        .arg(format!(
            "file://{}#flagged",
            demo.path().join("report.html").display()
        ))
        .status()
        .expect("chromium runs");
    assert!(status.success());
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
}

/// A sentence the Russian version dropped from a paragraph it has
/// (`tests/fixtures/sentence-omission`, aligned beside the demo corpus so that there is
/// text to learn from): at the sentence level the report names the sentence and marks it
/// in the pivot's text.
#[test]
#[ignore = "needs Chromium (Debian package chromium)"]
fn the_report_marks_a_sentence_a_version_lacks() {
    let browser = chromium();
    let corpus = tempfile::tempdir().unwrap();
    for l in ["en", "ru"] {
        common::copy_dir(&repo().join("corpora/demo").join(l), &corpus.path().join(l));
        common::copy_dir(
            &repo().join("tests/fixtures/sentence-omission").join(l),
            &corpus.path().join(l),
        );
    }
    let out = run(corpus.path(), |o| {
        o.qa = true;
        o.langs = vec![paralign::Lang::En, paralign::Lang::Ru];
        o.level = paralign::aligned::Level::Sentence;
    });
    let qa = std::fs::read_to_string(out.path().join("qa.jsonl")).unwrap();
    let omission = qa
        .lines()
        .find(|l| l.contains("harbour-statement") && l.contains("pivot_sentences"))
        .expect("a sentence-level omission");
    assert!(omission.contains("\"pivot_sentences\":[5]"), "{omission}");

    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", out.path().join("report.html").display());
    let dom = headless(&browser, profile.path())
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(dom.status.success());
    let dom = String::from_utf8_lossy(&dom.stdout);
    // The missing sentence, marked inside the English paragraph, says where it is missing;
    // the finding names it.
    assert!(
        dom.contains(
            "<span class=\"sent missing\" data-sentence=\"5\" data-missing-in=\"ru\">From next week, the road will be open day and night.</span>"
        ),
        "the missing sentence is not marked"
    );
    assert!(dom.contains("a sentence of pivot paragraph [2] missing (sentences [5])"));
    // Its neighbours, which the Russian has, are not marked.
    assert!(!dom.contains("data-sentence=\"6\""));
}
