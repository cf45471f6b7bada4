//! Archive-scale runs: a run killed with SIGKILL and started again ends byte-identical to an
//! uninterrupted run; four shards merged equal the single run.

mod common;

use common::{repo, tree};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The demo corpus copied `times` times under new stems: `times` × 10 statements.
fn archive(dir: &Path, times: usize) {
    let demo = repo().join("corpora/demo");
    for lang in ["en", "ru", "de", "es", "fr"] {
        fs::create_dir_all(dir.join(lang)).unwrap();
        for e in fs::read_dir(demo.join(lang)).unwrap() {
            let p = e.unwrap().path();
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            for k in 0..times {
                fs::copy(&p, dir.join(lang).join(format!("{stem}-{k:03}.txt"))).unwrap();
            }
        }
    }
}

fn paralign() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("paralign"))
}

/// `paralign merge OUT SHARD…`: its exit code and what it printed on stderr.
fn merge<P: AsRef<std::ffi::OsStr>>(out: &Path, shards: &[P]) -> (Option<i32>, String) {
    let o = paralign()
        .arg("merge")
        .arg(out)
        .args(shards)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every output file but the summary, which holds the wall time.
fn outputs(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut t = tree(dir);
    t.remove("summary.json")
        .expect("a finished run writes its summary");
    t
}

#[test]
fn a_killed_run_resumes_to_the_same_output() {
    let corpus = tempfile::tempdir().unwrap();
    archive(corpus.path(), 40);
    let whole = tempfile::tempdir().unwrap();
    let resumed = tempfile::tempdir().unwrap();
    let args = |out: &Path| {
        let mut c = paralign();
        c.args(["align", "-q", "-j", "1", "--batch-size", "10", "--qa"])
            .arg(corpus.path())
            .arg("--out")
            .arg(out);
        c
    };
    assert!(args(whole.path()).status().unwrap().success());

    // Kill the second run once a few batches are recorded.
    let mut child = args(resumed.path()).spawn().unwrap();
    let records = |dir: &Path| {
        fs::read_dir(dir.join("manifest"))
            .map(|d| {
                d.filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .file_name()
                        .to_string_lossy()
                        .starts_with("batch-")
                })
                .count()
            })
            .unwrap_or(0)
    };
    let start = Instant::now();
    while records(resumed.path()) < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no batch finished"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let kept = records(resumed.path());
    assert!(kept < 40, "the run finished before it could be killed");
    assert!(!resumed.path().join("summary.json").exists());

    let status = args(resumed.path()).status().unwrap();
    assert!(status.success());
    assert!(
        outputs(whole.path()) == outputs(resumed.path()),
        "resumed output differs"
    );
}

#[test]
fn four_shards_merged_equal_the_single_run() {
    let corpus = tempfile::tempdir().unwrap();
    archive(corpus.path(), 6);
    let single = tempfile::tempdir().unwrap();
    let shards = tempfile::tempdir().unwrap();
    let run = |out: &Path, shard: Option<&str>| {
        let mut c = paralign();
        c.args(["align", "-q", "--batch-size", "7", "--qa"])
            .arg(corpus.path())
            .arg("--out")
            .arg(out);
        if let Some(s) = shard {
            c.args(["--shard", s]);
        }
        assert!(c.status().unwrap().success());
    };
    run(single.path(), None);
    let dirs: Vec<_> = (1..=4)
        .map(|k| shards.path().join(format!("shard-{k}")))
        .collect();
    for (k, dir) in dirs.iter().enumerate() {
        run(dir, Some(&format!("{}/4", k + 1)));
    }
    // Each shard did only its own batches.
    let batches = |d: &Path| fs::read_dir(d.join("units")).unwrap().count();
    assert_eq!(
        dirs.iter().map(|d| batches(d)).sum::<usize>(),
        batches(single.path())
    );
    assert!(dirs.iter().all(|d| batches(d) < batches(single.path())));

    let merged = shards.path().join("merged");
    assert_eq!(merge(&merged, &dirs).0, Some(0));
    assert!(
        outputs(single.path()) == outputs(&merged),
        "merged output differs from the single run"
    );

    // A shard missing: merge says which batches are not there.
    let partial = shards.path().join("partial");
    let (code, stderr) = merge(&partial, &dirs[..3]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no shard had finished batch"));

    // Merging into one of the shards would empty its Moses files first: refused, untouched.
    let before = outputs(&dirs[0]);
    let (code, stderr) = merge(&dirs[0], &dirs);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("cannot be one of the shards"));
    assert!(outputs(&dirs[0]) == before, "the shard was changed");

    // A damaged Moses line in a shard: the batch it belongs to is not taken from it. Shard 4
    // holds batches 4 and 8; the first byte of its Moses files is batch 4's.
    let moses = dirs[3].join("moses/en-ru.ru");
    let mut bytes = fs::read(&moses).unwrap();
    bytes[0] ^= 0x20;
    fs::write(&moses, bytes).unwrap();
    let (code, stderr) = merge(&shards.path().join("damaged"), &dirs);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("finished batch(es) 4: run"));

    // A damaged batch file in a shard: merge checks each file as it copies it, takes the
    // batch from a shard that has it intact (here the single run's output), and otherwise
    // leaves nothing of it behind.
    let tmx = dirs[3].join("tmx/batch-00008.tmx");
    let mut bytes = fs::read(&tmx).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x20;
    fs::write(&tmx, bytes).unwrap();
    let rescued = shards.path().join("rescued");
    let with_single: Vec<&Path> = dirs
        .iter()
        .map(|d| d.as_path())
        .chain([single.path()])
        .collect();
    assert_eq!(merge(&rescued, &with_single).0, Some(0));
    assert!(
        outputs(single.path()) == outputs(&rescued),
        "merged output differs from the single run"
    );
    let lost = shards.path().join("lost");
    let (code, stderr) = merge(&lost, &dirs);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("finished batch(es) 4, 8: run"));
    let left = tree(&lost);
    assert!(
        left.keys().all(|f| !f.contains("batch-00008")
            && !f.contains("batch-00004")
            && !f.ends_with(".tmp")),
        "a batch no shard had intact left files behind: {:?}",
        left.keys().collect::<Vec<_>>()
    );
    let empty = empty_dirs(&lost);
    assert!(
        empty.is_empty(),
        "a batch no shard had intact left folders behind: {empty:?}"
    );
}

/// The folders under `root` with nothing in them.
fn empty_dirs(root: &Path) -> Vec<std::path::PathBuf> {
    let mut empty = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let entries: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        if entries.is_empty() {
            empty.push(dir);
        }
        todo.extend(entries.into_iter().filter(|p| p.is_dir()));
    }
    empty
}
