//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The paralign command line, built for this test run.
pub fn paralign() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("paralign").unwrap()
}

/// Copy folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// `../shared/<rel>`, the shared evaluation data beside the repository. Tests that read it
/// are `#[ignore = "needs ../shared …"]`: `cargo test -- --include-ignored` (as `.ci/run`
/// runs them) fails here, naming the path, when it is missing.
pub fn shared(rel: &str) -> PathBuf {
    let path = repo().join("..").join("shared").join(rel);
    assert!(
        path.exists(),
        "cannot find {} (the shared data beside the repository)",
        path.display()
    );
    path
}

/// Every file under `dir` with its contents, by relative path.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// Strict F1 over all pairs of `ladder` against `gold`, by the project's metric.
pub fn strict_f1(gold: &Path, ladder: &Path) -> f64 {
    paralign::eval::evaluate(gold, ladder, None)
        .unwrap()
        .all()
        .scores()
        .strict_f1
}

/// Run `paralign align` on `corpus` into a fresh temporary folder, options set by `configure`.
pub fn run(
    corpus: &Path,
    configure: impl FnOnce(&mut paralign::AlignOptions),
) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let mut opts = paralign::AlignOptions::new(corpus);
    opts.out = Some(out.path().to_path_buf());
    opts.progress = false;
    configure(&mut opts);
    paralign::run_align(&opts).unwrap();
    out
}

/// Score `out/qa.jsonl` against the injected defects in `corpus/qa` and require each kind
/// the QA issue names to be found: precision ≥ 0.75, recall ≥ 0.9.
pub fn assert_defects_found(corpus: &Path, out: &Path) {
    let report = paralign::eval::qa::evaluate(&corpus.join("qa"), &out.join("qa.jsonl")).unwrap();
    eprint!("{report}");
    for kind in ["number_changed", "untranslated", "omitted"] {
        let (p, r) = report.precision_recall(kind);
        assert!(
            r >= 0.9 && p >= 0.75,
            "{kind}: precision {p:.3}, recall {r:.3}"
        );
    }
}
