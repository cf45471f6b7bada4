//! Hostile pages, records and command lines: none may stop an archive run or quietly damage
//! its corpora. Each test is named for what it guards, and its comment gives the item of the
//! robustness issue it pins (1–14).

mod common;

use common::{copy_dir, paralign, repo, tree};
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// A corpus folder named `name` in a fresh temporary folder, with the tiny fixture's
/// statements (note: en ru de fr; talks: en ru).
fn tiny(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join(name);
    copy_dir(&repo().join("tests/fixtures/tiny"), &corpus);
    (dir, corpus)
}

/// `paralign align CORPUS --out OUT -q` with more arguments.
fn align(corpus: &Path, out: &Path, more: &[&str]) -> assert_cmd::assert::Assert {
    paralign()
        .arg("align")
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .args(more)
        .assert()
}

fn summary(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(out.join("summary.json")).unwrap()).unwrap()
}

fn lines(path: &Path) -> usize {
    fs::read_to_string(path).unwrap().lines().count()
}

fn units_text(out: &Path) -> String {
    let mut s = String::new();
    for e in fs::read_dir(out.join("units")).unwrap() {
        s.push_str(&fs::read_to_string(e.unwrap().path()).unwrap());
    }
    s
}

/// A page of `depth` nested `tag` elements around one sentence.
fn nested(tag: &str, depth: usize) -> String {
    format!(
        "<!DOCTYPE html><html><body>{}<p>Deep inside there is one sentence.</p>{}</body></html>",
        format!("<{tag}>").repeat(depth),
        format!("</{tag}>").repeat(depth)
    )
}

// 1. A page of 10,000–20,000 nested elements overflowed the stack (SIGABRT, exit 134).
#[test]
fn pages_of_deeply_nested_elements_are_read() {
    let (_d, c) = tiny("deep");
    for (tag, depth) in [
        ("span", 20_000),
        ("div", 20_000),
        ("b", 10_000),
        ("table", 10_000),
        ("div", 100_000),
    ] {
        let stem = format!("{tag}{depth}");
        fs::write(c.join(format!("en/{stem}.html")), nested(tag, depth)).unwrap();
        fs::write(
            c.join(format!("ru/{stem}.txt")),
            "Глубоко внутри есть одно предложение.",
        )
        .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    align(&c, out.path(), &[]).success();
    for stem in ["span20000", "div20000", "b10000", "table10000", "div100000"] {
        let ladder = fs::read_to_string(out.path().join(format!("ladder/{stem}/en-ru.txt")))
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert_eq!(ladder.trim(), "[0]:[0]", "{stem}");
    }
    assert!(units_text(out.path()).contains("Deep inside there is one sentence."));
}

// 2. An id longer than a file name may be stopped the run: "File name too long", exit 1.
#[test]
fn ids_longer_than_a_file_name_may_be_are_aligned() {
    let (_d, c) = tiny("long");
    let id = format!(
        "https://www.example.org/en/news/{}-2026-03-04",
        "statement-of-the-ministry-on-the-situation".repeat(8)
    );
    for (lang, text) in [("en", "One statement."), ("ru", "Одно заявление.")] {
        let record = serde_json::json!({"id": id, "lang": lang, "text": text});
        fs::write(
            c.join(format!("{lang}/records.jsonl")),
            format!("{record}\n"),
        )
        .unwrap();
    }
    // A stem as long as a file name may be, which a `~2` would push over.
    let stem = "s".repeat(250);
    fs::write(c.join(format!("en/{stem}.txt")), "Long names.").unwrap();
    fs::write(c.join(format!("ru/{stem}.txt")), "Длинные имена.").unwrap();
    let out = tempfile::tempdir().unwrap();
    align(&c, out.path(), &[]).success();
    let names: Vec<String> = fs::read_dir(out.path().join("ladder"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names.iter().all(|n| n.len() <= 120), "{names:?}");
    let pairs = fs::read_to_string(out.path().join("docpairs.tsv")).unwrap();
    assert!(pairs.contains(&id), "docpairs.tsv keeps the whole id");
}

// 3. `-j 100000` panicked (exit 134); `-j 20000` took minutes.
#[test]
fn absurd_thread_counts_are_refused_and_large_ones_work() {
    let (_d, c) = tiny("threads");
    let out = tempfile::tempdir().unwrap();
    align(&c, out.path(), &["-j", "100000"])
        .code(1)
        .stderr(predicate::str::contains("-j"));
    align(&c, out.path(), &["-j", "0"]).code(1);
    align(&c, out.path(), &["-j", "1024"]).success();
    let lib = paralign::AlignOptions {
        threads: Some(20_000),
        out: Some(out.path().to_path_buf()),
        ..paralign::AlignOptions::new(&c)
    };
    let refused = paralign::run_align(&lib).unwrap_err().to_string();
    assert!(refused.contains("1024"), "{refused}");
}

// 4. A second shard written into another shard's folder truncated its Moses files, exit 0.
#[test]
fn a_shard_is_not_written_into_another_shards_folder() {
    let out = tempfile::tempdir().unwrap();
    let demo = repo().join("corpora/demo");
    align(&demo, out.path(), &["--batch-size", "3", "--shard", "1/2"]).success();
    let before = tree(out.path());
    let moses = lines(&out.path().join("moses/en-ru.en"));
    assert!(moses > 0);
    align(&demo, out.path(), &["--batch-size", "3", "--shard", "2/2"])
        .code(1)
        .stderr(predicate::str::contains("--shard 1/2"));
    align(&demo, out.path(), &["--batch-size", "3"]).code(1);
    let mut after = tree(out.path());
    after.remove("summary.json");
    let mut before = before;
    before.remove("summary.json");
    assert!(before == after, "the first shard's output changed");
    // The same shard again resumes.
    align(&demo, out.path(), &["--batch-size", "3", "--shard", "1/2"]).success();
    assert_eq!(lines(&out.path().join("moses/en-ru.en")), moses);
}

// 5. `--out` inside the corpus: outputs were read back as statements, and a run's identity
// changed each time, so it never resumed.
#[test]
fn an_output_folder_inside_the_corpus_is_never_read_as_input() {
    let (_d, c) = tiny("inside");
    align(&c, &c.join("en"), &["--qa"])
        .code(1)
        .stderr(predicate::str::contains("language folder en"));
    assert!(!c.join("en/qa.jsonl").exists() && !c.join("en/summary.json").exists());
    align(&c, &c, &[]).code(1);
    let out = c.join("out");
    align(&c, &out, &["--qa"]).success();
    let first = summary(&out);
    assert_eq!(first["skipped_folders"].as_array().unwrap().len(), 0);
    paralign()
        .arg("align")
        .arg(&c)
        .arg("--out")
        .arg(&out)
        .arg("--qa")
        .assert()
        .success()
        .stderr(predicate::str::contains("(1 finished batch kept)"));
    assert_eq!(summary(&out)["documents"], first["documents"]);
}

// 6. `--formats moses,moses` wrote every Moses line twice.
#[test]
fn a_format_named_twice_is_written_once() {
    let demo = repo().join("corpora/demo");
    let once = tempfile::tempdir().unwrap();
    let twice = tempfile::tempdir().unwrap();
    align(&demo, once.path(), &["--formats", "moses"]).success();
    align(
        &demo,
        twice.path(),
        &["--formats", "moses,moses,units,moses"],
    )
    .success();
    for pair in ["moses/en-ru.en", "moses/de-fr.fr"] {
        assert_eq!(
            fs::read(once.path().join(pair)).unwrap(),
            fs::read(twice.path().join(pair)).unwrap(),
            "{pair}"
        );
    }
}

// 7. Old Mac line endings (CR alone): the whole document was one paragraph.
#[test]
fn lines_ending_in_cr_alone_are_lines() {
    let (_d, c) = tiny("mac");
    for lang in ["en", "ru", "de", "fr"] {
        let path = c.join(format!("{lang}/note.txt"));
        let text = fs::read_to_string(&path).unwrap().replace('\n', "\r");
        fs::write(&path, text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    align(&c, out.path(), &[]).success();
    let ladder = fs::read_to_string(out.path().join("ladder/note/en-ru.txt")).unwrap();
    assert_eq!(ladder.lines().count(), 5, "{ladder}");
    let en = fs::read_to_string(out.path().join("moses/en-ru.en")).unwrap();
    assert!(
        en.lines().all(|l| l.len() < 200),
        "a whole document in one line"
    );
}

// 8. One bad byte or NUL in a JSON Lines file dropped all its records.
#[test]
fn a_bad_byte_in_a_json_lines_file_costs_its_line_only() {
    let (_d, c) = tiny("bytes");
    let rec = |id: &str, lang: &str, text: &str| {
        serde_json::json!({"id": id, "lang": lang, "text": text}).to_string()
    };
    let mut en = Vec::new();
    en.extend(rec("r1", "en", "First record.").bytes());
    en.push(b'\n');
    en.extend(br#"{"id":"r2","lang":"en","text":"Bad "#);
    en.push(0xff);
    en.extend(br#" byte."}"#);
    en.push(b'\n');
    en.extend(rec("r3", "en", "Third record.").bytes());
    en.push(b'\n');
    en.extend(br#"{"id":"r4","lang":"en","text":"NUL "#);
    en.push(0);
    en.extend(br#" here."}"#);
    en.push(b'\n');
    en.extend(rec("r5", "en", "Fifth record.").bytes());
    fs::write(c.join("en/records.jsonl"), en).unwrap();
    let ru: Vec<String> = ["r1", "r2", "r3", "r4", "r5"]
        .iter()
        .map(|id| rec(id, "ru", "Запись."))
        .collect();
    fs::write(c.join("ru/records.jsonl"), ru.join("\n")).unwrap();
    let out = tempfile::tempdir().unwrap();
    align(&c, out.path(), &[])
        .code(2)
        .stderr(predicate::str::contains(
            "records.jsonl:2: not valid UTF-8 at byte offset",
        ))
        .stderr(predicate::str::contains(
            "records.jsonl:4: binary content (NUL byte at byte offset",
        ));
    for id in ["r1", "r3", "r5"] {
        assert!(
            out.path().join(format!("ladder/{id}/en-ru.txt")).is_file(),
            "{id}"
        );
    }
}

// 9. `merge` took shards run on two corpora of the same name; a renamed statement's old
// batches were kept under the old name.
#[test]
fn shards_of_another_corpus_and_renamed_statements_are_noticed() {
    let (_a, a) = tiny("corpus");
    let (_b, b) = tiny("corpus");
    let note = b.join("en/note.txt");
    let text = fs::read_to_string(&note).unwrap();
    fs::write(&note, text.replace("20.5", "21.5")).unwrap();
    let s1 = tempfile::tempdir().unwrap();
    let s2 = tempfile::tempdir().unwrap();
    align(&a, s1.path(), &["--batch-size", "1", "--shard", "1/2"]).success();
    align(&b, s2.path(), &["--batch-size", "1", "--shard", "2/2"]).success();
    let merged = tempfile::tempdir().unwrap();
    paralign()
        .arg("merge")
        .arg(merged.path().join("m"))
        .arg(s1.path())
        .arg(s2.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("another run"));

    let out = tempfile::tempdir().unwrap();
    align(&a, out.path(), &[]).success();
    for lang in ["en", "ru"] {
        fs::rename(
            a.join(format!("{lang}/talks.txt")),
            a.join(format!("{lang}/talks-renamed.txt")),
        )
        .unwrap();
    }
    align(&a, out.path(), &[]).success();
    assert!(out.path().join("ladder/talks-renamed").is_dir());
    assert!(
        !out.path().join("ladder/talks").exists(),
        "the old name's ladder was kept"
    );
}

// 10. A link to a file outside the corpus put that file into the corpora; broken and
// looping links and a "language folder" that is a file were ignored in silence.
#[cfg(unix)]
#[test]
fn links_out_of_the_corpus_are_not_followed_unless_asked() {
    use std::os::unix::fs::symlink;
    let (d, c) = tiny("links");
    let secret = d.path().join("secret.txt");
    fs::write(&secret, "SECRET outside the corpus.").unwrap();
    fs::write(c.join("ru/secret.txt"), "Секрет.").unwrap();
    symlink(&secret, c.join("en/secret.txt")).unwrap();
    symlink(c.join("en/note.txt"), c.join("en/inside.txt")).unwrap();
    fs::write(c.join("ru/inside.txt"), "Внутри.").unwrap();
    symlink(d.path().join("nowhere.txt"), c.join("en/dangling.txt")).unwrap();
    symlink(c.join("en/loop-b.txt"), c.join("en/loop-a.txt")).unwrap();
    symlink(c.join("en/loop-a.txt"), c.join("en/loop-b.txt")).unwrap();
    fs::write(c.join("es"), "not a folder").unwrap();
    let out = tempfile::tempdir().unwrap();
    align(&c, out.path(), &[])
        .code(2)
        .stderr(predicate::str::contains("secret.txt: a link to"))
        .stderr(predicate::str::contains("outside the corpus folder"))
        .stderr(predicate::str::contains("dangling.txt: a broken link"))
        .stderr(predicate::str::contains("loop-a.txt: a link that loops"))
        .stderr(predicate::str::contains("es: a file, not a folder"));
    assert!(!units_text(out.path()).contains("SECRET"));
    assert!(
        out.path().join("ladder/inside/en-ru.txt").is_file(),
        "a link inside is read"
    );
    let followed = tempfile::tempdir().unwrap();
    align(&c, followed.path(), &["--follow-links"]).code(2);
    assert!(units_text(followed.path()).contains("SECRET"));
}

// 11. A file of 3,000,000 junk lines cost 1.4 GB, 3 million lines on stderr and a
// 392 MB summary.json; 2,000,000 one-letter paragraphs cost 1.2 GB and 18 s.
#[test]
fn a_file_of_junk_costs_a_bounded_report() {
    let (_d, c) = tiny("junk");
    let junk: String = (0..100_000)
        .map(|k| format!("junk line {k} {{\n"))
        .collect();
    fs::write(c.join("en/junk.jsonl"), junk).unwrap();
    let letters: String = (0..200_000).map(|_| "a\n\n").collect();
    fs::write(c.join("en/letters.txt"), letters).unwrap();
    fs::write(c.join("ru/letters.txt"), "а").unwrap();
    let out = tempfile::tempdir().unwrap();
    let assert = align(&c, out.path(), &[])
        .code(2)
        .stderr(predicate::str::contains("and 99990 more bad line(s)"))
        .stderr(predicate::str::contains(
            "letters.txt: too many paragraphs: 200000, over the limit of 50000",
        ));
    let stderr = assert.get_output().stderr.clone();
    assert!(stderr.split(|&b| b == b'\n').count() < 30);
    for f in ["summary.json", "manifest/run.json"] {
        let size = fs::metadata(out.path().join(f)).unwrap().len();
        assert!(size < 20_000, "{f}: {size} bytes");
    }
    assert!(out.path().join("ladder/note/en-ru.txt").is_file());
}

// 12. Wrong exit codes: eval of nothing, or of the wrong folder; a run where nothing could
// be done; an unreadable language folder; meaningless options.
#[test]
fn eval_of_nothing_is_an_error_not_a_table_of_zeros() {
    let out = tempfile::tempdir().unwrap();
    let demo = repo().join("corpora/demo");
    align(&demo, out.path(), &["--qa"]).success();
    let gold = demo.join("gold");
    paralign()
        .arg("eval")
        .arg(&gold)
        .arg("/nonexistent/ladder")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/nonexistent/ladder"));
    paralign()
        .arg("eval")
        .arg(&gold)
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean"));
    paralign()
        .arg("eval")
        .arg(&gold)
        .arg(out.path().join("ladder"))
        .args(["--pairs", "en-xx"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("xx"));
    paralign()
        .arg("eval-qa")
        .arg(demo.join("qa"))
        .arg(out.path().join("units/batch-00001.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a QA finding"));
}

#[test]
fn a_run_that_could_do_nothing_exits_1() {
    let out = tempfile::tempdir().unwrap();
    // Every input unreadable.
    let (_d, c) = tiny("unreadable");
    for e in walk(&c) {
        fs::write(e, b"not \xc3\x28 text").unwrap();
    }
    align(&c, out.path(), &[])
        .code(1)
        .stderr(predicate::str::contains("nothing to align"));
    // Every language folder empty.
    let empty = tempfile::tempdir().unwrap();
    for l in ["en", "ru"] {
        fs::create_dir(empty.path().join(l)).unwrap();
    }
    align(empty.path(), out.path(), &[])
        .code(1)
        .stderr(predicate::str::contains("no .txt, .html or .jsonl file"));
    // One language: nothing to align it with.
    let (_t, t) = tiny("one");
    align(&t, out.path(), &["--langs", "ru", "--pivot", "ru"])
        .code(1)
        .stderr(predicate::str::contains("at least two languages"));
    for bad in [
        ["--batch-size", "0"],
        ["--sample", "0"],
        ["--max-paragraphs", "0"],
    ] {
        align(&t, out.path(), &bad).code(1);
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn an_unreadable_language_folder_is_skipped_and_the_run_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let (d, c) = tiny("locked");
    fs::write(c.join("fr/other.txt"), "Autre.").unwrap();
    // Readable by anyone but the fr folder, which nobody may list.
    for p in [d.path(), c.as_path()] {
        fs::set_permissions(p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    for e in walk(&c) {
        fs::set_permissions(e, fs::Permissions::from_mode(0o644)).unwrap();
    }
    for l in ["en", "ru", "de"] {
        fs::set_permissions(c.join(l), fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::set_permissions(c.join("fr"), fs::Permissions::from_mode(0o000)).unwrap();
    let out = tempfile::tempdir().unwrap();
    fs::set_permissions(out.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let target = out.path().join("o");
    // Root may list any folder: run as nobody then.
    // SAFETY: a plain system call.
    let mut cmd = if unsafe { libc::geteuid() } == 0 {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(assert_cmd::cargo::cargo_bin("paralign"));
        c
    } else {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("paralign"))
    };
    let output = cmd
        .arg("align")
        .arg(&c)
        .arg("--out")
        .arg(&target)
        .arg("-q")
        .output()
        .unwrap();
    fs::set_permissions(c.join("fr"), fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("fr: cannot list the language folder"),
        "{stderr}"
    );
    assert!(target.join("ladder/note/en-ru.txt").is_file());
}

// 13. Unclear messages: UTF-16 called binary, a declared windows-1251 page called not
// UTF-8, `--out` a file, every page without <!DOCTYPE> warned about, a wrong-typed id.
#[test]
fn declared_and_marked_encodings_are_read() {
    let (_d, c) = tiny("encodings");
    let text = "Encodings are declared.\n\nSecond paragraph.";
    let mut le = vec![0xff, 0xfe];
    le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    fs::write(c.join("en/utf16.txt"), le).unwrap();
    let mut be = vec![0xfe, 0xff];
    be.extend(
        "Кодировки объявлены.\n\nВторой абзац."
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes()),
    );
    fs::write(c.join("ru/utf16.txt"), be).unwrap();
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(
        "<html><head><meta charset=\"windows-1251\"><title>Заявление</title></head>\
         <body><p>Министры подписали соглашение.</p></body></html>",
    );
    fs::write(c.join("ru/cp1251.html"), cp1251).unwrap();
    fs::write(
        c.join("en/cp1251.html"),
        "<html><body><p>The ministers signed the agreement.</p></body></html>",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    align(&c, out.path(), &[])
        .success()
        .stderr(predicate::str::contains("malformed").not());
    let units = units_text(out.path());
    assert!(units.contains("Министры подписали соглашение."), "{units}");
    assert!(units.contains("Кодировки объявлены."), "{units}");
    assert!(units.contains("Encodings are declared."), "{units}");
}

#[test]
fn messages_say_what_is_wrong() {
    let (_d, c) = tiny("messages");
    let file = tempfile::NamedTempFile::new().unwrap();
    align(&c, file.path(), &[])
        .code(1)
        .stderr(predicate::str::contains("a file, not a folder"))
        .stderr(predicate::str::contains("os error").not());
    fs::write(
        c.join("en/typed.jsonl"),
        concat!(
            r#"{"id":["a"],"lang":"en","text":"x"}"#,
            "\n",
            r#"{"id":"b","lang":"en","text":3}"#
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    align(&c, out.path(), &[])
        .code(2)
        .stderr(predicate::str::contains(
            "typed.jsonl:1: the field \"id\" must be a string or a number, not an array",
        ))
        .stderr(predicate::str::contains(
            "typed.jsonl:2: record b: the field \"text\" must be a string, not a number",
        ))
        .stderr(predicate::str::contains("untagged").not());
}

// 14. Control characters reached report.html raw; terminal escapes in file names and ids
// reached stderr; U+2028 and U+0085 in ids were not escaped in docpairs.tsv; `merge` into a
// folder of other files kept them.
#[test]
fn text_from_the_web_cannot_reach_a_terminal_or_break_a_line() {
    let (_d, c) = tiny("escapes");
    let rec = |id: &str, lang: &str, text: &str| {
        format!(
            "{}\n",
            serde_json::json!({"id": id, "lang": lang, "text": text})
        )
    };
    let id = "evil\u{1b}]0;pwned\u{7}\u{2028}id\u{85}x";
    fs::write(
        c.join("en/web.jsonl"),
        rec(id, "en", "Bell \u{7} and escape \u{1b}[31m in text."),
    )
    .unwrap();
    fs::write(c.join("ru/web.jsonl"), rec(id, "ru", "Звонок и escape.")).unwrap();
    fs::write(c.join("en/name\u{1b}[2J.txt"), "\u{1}\u{2}").unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = align(&c, out.path(), &["--qa"]).code(2);
    let stderr = &run.get_output().stderr;
    assert!(
        !stderr.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(stderr)
    );
    let report = fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(
        !report
            .chars()
            .any(|ch| ch.is_control() && !"\t\n\r".contains(ch)),
        "a control character in report.html"
    );
    let pairs = fs::read_to_string(out.path().join("docpairs.tsv")).unwrap();
    let rows: Vec<&str> = pairs
        .split([
            '\n', '\r', '\u{85}', '\u{2028}', '\u{2029}', '\u{b}', '\u{c}',
        ])
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(rows.len(), 1 + 3, "{pairs:?}");
    let back = paralign::eval::docpairs::read(&out.path().join("docpairs.tsv")).unwrap();
    assert!(
        back.iter()
            .any(|r| r.stems[paralign::Lang::En].as_deref() == Some(id))
    );
}

#[test]
fn merge_into_a_folder_of_other_files_is_refused() {
    let shard = tempfile::tempdir().unwrap();
    align(
        &repo().join("corpora/demo"),
        shard.path(),
        &["--formats", "units"],
    )
    .success();
    let target = tempfile::tempdir().unwrap();
    fs::write(target.path().join("thesis.tex"), "mine").unwrap();
    paralign()
        .arg("merge")
        .arg(target.path())
        .arg(shard.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a paralign output folder"));
    assert_eq!(
        fs::read_to_string(target.path().join("thesis.tex")).unwrap(),
        "mine"
    );
    assert!(!target.path().join("units").exists());
}
