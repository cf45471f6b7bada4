//! The sentence level end to end: `--level sentence` and `--sentences lines`, the
//! sentence ladders and the sentences they count, sentence units in every corpus format,
//! and models kept with `learn` / `--save-model` and used with `--model`.

mod common;

use common::{copy_dir, paralign, repo, tree};
use predicates::prelude::*;
use std::fs;
use std::path::Path;

fn align_sentences(corpus: &Path, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    paralign()
        .args(["align", "-q", "--level", "sentence", "--out"])
        .arg(out.path())
        .arg(corpus)
        .args(extra)
        .assert()
        .success();
    out
}

/// A ladder file's beads as (side a, side b) index lists.
fn ladder(path: &Path) -> Vec<(Vec<usize>, Vec<usize>)> {
    let text = fs::read_to_string(path).unwrap();
    paralign::export::ladder::parse(&text, path)
        .unwrap()
        .into_iter()
        .collect()
}

/// The sentences of `sentences/<doc>/<lang>.txt`: the lines that are not blank, and the
/// paragraph each lies in.
fn sentences(path: &Path) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut para = 0;
    let mut blank = false;
    for line in fs::read_to_string(path).unwrap().lines() {
        if line.is_empty() {
            blank = true;
            continue;
        }
        if blank && !out.is_empty() {
            para += 1;
        }
        blank = false;
        out.push((para, line.to_string()));
    }
    out
}

#[test]
fn every_sentence_is_in_one_bead_of_every_pair_in_order() {
    let demo = repo().join("corpora/demo");
    let out = align_sentences(&demo, &[]);
    let o = out.path();
    let mut statements = 0;
    for doc in fs::read_dir(o.join("ladder-sentences")).unwrap() {
        let doc = doc.unwrap().path();
        let name = doc.file_name().unwrap().to_owned();
        statements += 1;
        for pair in fs::read_dir(&doc).unwrap() {
            let pair = pair.unwrap().path();
            let stem = pair.file_stem().unwrap().to_string_lossy().to_string();
            let (x, y) = stem.split_once('-').unwrap();
            let count = |l: &str| {
                sentences(&o.join("sentences").join(&name).join(format!("{l}.txt"))).len()
            };
            let beads = ladder(&pair);
            for (side, n) in [(0, count(x)), (1, count(y))] {
                let seen: Vec<usize> = beads
                    .iter()
                    .flat_map(|b| if side == 0 { b.0.clone() } else { b.1.clone() })
                    .collect();
                assert_eq!(seen, (0..n).collect::<Vec<_>>(), "{}", pair.display());
            }
        }
    }
    assert_eq!(statements, 10);
}

#[test]
fn sentences_follow_their_paragraphs() {
    let demo = repo().join("corpora/demo");
    let out = align_sentences(&demo, &[]);
    let doc = "2026-02-12-press-conference-oslo";
    let paragraphs: Vec<String> = paralign::text::split_paragraphs(
        &fs::read_to_string(demo.join("en").join(format!("{doc}.txt"))).unwrap(),
    );
    let split = sentences(&out.path().join("sentences").join(doc).join("en.txt"));
    // Each paragraph is its sentences joined by a space, in order, none across two.
    for (p, text) in paragraphs.iter().enumerate() {
        let joined: Vec<&str> = split
            .iter()
            .filter(|(q, _)| *q == p)
            .map(|(_, s)| s.as_str())
            .collect();
        assert_eq!(&joined.join(" "), text, "paragraph {p}");
    }
    assert!(
        split.len() > paragraphs.len(),
        "some paragraph has two sentences"
    );
}

#[test]
fn corpora_at_the_sentence_level_hold_sentence_pairs() {
    let demo = repo().join("corpora/demo");
    let out = align_sentences(&demo, &[]);
    let o = out.path();
    let units = fs::read_to_string(o.join("units/batch-00001.jsonl")).unwrap();
    let mut sentence_units = 0;
    for line in units.lines() {
        let u: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(u["para_unit"].is_u64(), "{line}");
        for (_, side) in u["langs"].as_object().unwrap() {
            let texts = side["text"].as_array().unwrap();
            assert_eq!(side["sentences"].as_array().unwrap().len(), texts.len());
        }
        sentence_units += 1;
    }
    let tmx = fs::read_to_string(o.join("tmx/batch-00001.tmx")).unwrap();
    assert!(tmx.contains("segtype=\"sentence\""));
    assert!(tmx.contains("<prop type=\"x-para-unit\">"));
    // More sentence pairs than paragraph pairs, and as many Moses lines on both sides.
    let para = tempfile::tempdir().unwrap();
    paralign()
        .args(["align", "-q", "--out"])
        .arg(para.path())
        .arg(&demo)
        .assert()
        .success();
    let lines = |dir: &Path, f: &str| {
        fs::read_to_string(dir.join("moses").join(f))
            .unwrap()
            .lines()
            .count()
    };
    assert!(lines(o, "en-ru.en") > lines(para.path(), "en-ru.en"));
    assert_eq!(lines(o, "en-ru.en"), lines(o, "en-ru.ru"));
    assert!(
        sentence_units
            > fs::read_to_string(para.path().join("units/batch-00001.jsonl"))
                .unwrap()
                .lines()
                .count()
    );
    // The paragraph ladders are written at both levels, the same files; at the sentence
    // level they are as the sentences mend them, and score no worse against the gold.
    let names = |dir: &Path| tree(dir).into_keys().collect::<Vec<_>>();
    assert_eq!(names(&o.join("ladder")), names(&para.path().join("ladder")));
    let f1 = |dir: &Path| {
        let out = paralign()
            .args(["eval", "--json"])
            .arg(demo.join("gold"))
            .arg(dir.join("ladder"))
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["ALL"]["strict_f1"].as_f64().unwrap()
    };
    let (sentence, paragraph) = (f1(o), f1(para.path()));
    assert!(sentence >= paragraph, "{sentence} < {paragraph}");
    assert!(sentence > 0.99, "{sentence}");
}

#[test]
fn lines_mode_takes_each_line_for_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path();
    for (l, text) in [
        (
            "en",
            "One line. Still the first line.\nThe second line\n\nA new paragraph.\n",
        ),
        (
            "de",
            "Eine Zeile. Noch die erste Zeile.\nDie zweite Zeile\n\nEin neuer Absatz.\n",
        ),
    ] {
        fs::create_dir_all(c.join(l)).unwrap();
        fs::write(c.join(l).join("s.txt"), text).unwrap();
    }
    let out = align_sentences(c, &["--langs", "en,de", "--sentences", "lines"]);
    let en = sentences(&out.path().join("sentences/s/en.txt"));
    assert_eq!(
        en,
        [
            (0, "One line. Still the first line.".to_string()),
            (0, "The second line".to_string()),
            (1, "A new paragraph.".to_string())
        ]
    );
    let beads = ladder(&out.path().join("ladder-sentences/s/en-de.txt"));
    assert_eq!(
        beads,
        [(vec![0], vec![0]), (vec![1], vec![1]), (vec![2], vec![2])]
    );
    // Split by the rules instead, the first line is two sentences and the second a third.
    let out = align_sentences(c, &["--langs", "en,de"]);
    assert_eq!(sentences(&out.path().join("sentences/s/en.txt")).len(), 4);
}

/// A scrape's stray control bytes on a line (or a paragraph) of their own are no sentence:
/// were they one, `sentences/` would write it as a blank line and every later sentence's
/// line would stop matching its index in the ladders.
#[test]
fn control_characters_alone_are_no_sentence_and_no_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path();
    for (l, first, third, next) in [
        (
            "en",
            "First line here.",
            "Third line here.",
            "Next paragraph.",
        ),
        (
            "de",
            "Erste Zeile hier.",
            "Dritte Zeile hier.",
            "Nächster Absatz.",
        ),
    ] {
        let text = format!("{first}\n\u{1}\n{third}\n\n\u{1}\u{2}\n\n{next}");
        let record = serde_json::json!({"id": "s1", "lang": l, "text": text});
        fs::create_dir_all(c.join(l)).unwrap();
        fs::write(c.join(l).join("a.jsonl"), format!("{record}\n")).unwrap();
    }
    for mode in ["lines", "split"] {
        let out = align_sentences(c, &["--langs", "en,de", "--sentences", mode]);
        let en = sentences(&out.path().join("sentences/s1/en.txt"));
        let beads = ladder(&out.path().join("ladder-sentences/s1/en-de.txt"));
        // Every line of the file is a sentence with text, and the ladder counts them all.
        assert!(
            en.iter().all(|(_, s)| !s.trim().is_empty()),
            "{mode}: {en:?}"
        );
        let counted: usize = beads.iter().map(|(a, _)| a.len()).sum();
        assert_eq!(counted, en.len(), "{mode}");
        assert_eq!(
            en.last().map(|(p, _)| *p),
            Some(1),
            "{mode}: two paragraphs"
        );
        if mode == "lines" {
            let text: Vec<&str> = en.iter().map(|(_, s)| s.as_str()).collect();
            assert_eq!(
                text,
                ["First line here.", "Third line here.", "Next paragraph."]
            );
            assert_eq!(
                beads,
                [(vec![0], vec![0]), (vec![1], vec![1]), (vec![2], vec![2])]
            );
        }
    }
}

#[test]
fn a_saved_model_aligns_as_the_run_that_learned_it() {
    let demo = repo().join("corpora/demo");
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("demo.model");
    paralign()
        .args(["learn", "-q", "--level", "sentence", "-o"])
        .arg(&model)
        .arg(&demo)
        .assert()
        .success();
    let learned = align_sentences(&demo, &[]);
    let with_model = align_sentences(&demo, &["--model", model.to_str().unwrap()]);
    for folder in ["ladder", "ladder-sentences", "units", "tmx"] {
        assert_eq!(
            tree(&learned.path().join(folder)),
            tree(&with_model.path().join(folder)),
            "{folder}"
        );
    }
    // --save-model writes the same model as learn.
    let saved = dir.path().join("saved.model");
    align_sentences(&demo, &["--save-model", saved.to_str().unwrap()]);
    assert_eq!(fs::read(&saved).unwrap(), fs::read(&model).unwrap());
    // A single statement aligned with what the corpus taught.
    let one = dir.path().join("one");
    for l in ["en", "ru", "de", "es", "fr"] {
        fs::create_dir_all(one.join(l)).unwrap();
        let f = "2026-02-12-press-conference-oslo.txt";
        fs::copy(demo.join(l).join(f), one.join(l).join(f)).unwrap();
    }
    let single = align_sentences(&one, &["--model", model.to_str().unwrap()]);
    let doc = "ladder-sentences/2026-02-12-press-conference-oslo";
    assert_eq!(
        tree(&single.path().join(doc)),
        tree(&with_model.path().join(doc))
    );
}

#[test]
fn a_model_that_does_not_fit_is_refused_with_a_reason() {
    let demo = repo().join("corpora/demo");
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.model");
    paralign()
        .args(["learn", "-q", "--langs", "en,ru", "-o"])
        .arg(&model)
        .arg(&demo)
        .assert()
        .success();
    let run = |extra: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        paralign()
            .args(["align", "-q", "--out"])
            .arg(out.path())
            .arg(&demo)
            .args(["--model", model.to_str().unwrap()])
            .args(extra)
            .assert()
            .code(1)
    };
    run(&[]).stderr(predicate::str::contains(
        "learned for en,ru, not for de,es,fr",
    ));
    run(&["--langs", "en,ru", "--pivot", "ru"])
        .stderr(predicate::str::contains("pivot en, not ru"));
    run(&["--langs", "en,ru", "--level", "sentence"])
        .stderr(predicate::str::contains("holds no sentence models"));
    // Another format, or not a model at all. The format number is the byte after the
    // magic line (a varint under 128).
    let bytes = fs::read(&model).unwrap();
    let magic = paralign::align::saved::MAGIC;
    assert!(bytes.starts_with(magic));
    let mut other = bytes.clone();
    other[magic.len()] = 99;
    fs::write(&model, &other).unwrap();
    run(&["--langs", "en,ru"]).stderr(predicate::str::contains("a model of format 99"));
    // A model of the JSON formats before.
    fs::write(
        &model,
        r#"{"paralign_model": 2, "written_by": "0.9.0", "langs": []}"#,
    )
    .unwrap();
    run(&["--langs", "en,ru"]).stderr(predicate::str::contains(
        "a model of format 2 (written by paralign 0.9.0)",
    ));
    fs::write(&model, "{\"x\": 1}").unwrap();
    run(&["--langs", "en,ru"]).stderr(predicate::str::contains("not a paralign model"));
    // Cut short: the whole model is read before anything is aligned.
    fs::write(&model, &bytes[..bytes.len() / 2]).unwrap();
    run(&["--langs", "en,ru"]).stderr(predicate::str::contains("m.model: not a paralign model"));
    fs::write(&model, "not a model").unwrap();
    run(&["--langs", "en,ru"]).stderr(predicate::str::contains("m.model: not a paralign model"));
}

#[test]
fn sentence_level_output_is_the_same_whatever_the_threads_and_after_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    copy_dir(&repo().join("corpora/demo"), &demo);
    let one = align_sentences(&demo, &["-j", "1"]);
    let two = align_sentences(&demo, &["-j", "2", "--batch-size", "3"]);
    assert_eq!(
        tree(&one.path().join("ladder-sentences")),
        tree(&two.path().join("ladder-sentences"))
    );
    // Shards of batches of three, merged: the same files as one run of such batches.
    let shards: Vec<tempfile::TempDir> = (1..=2)
        .map(|k| align_sentences(&demo, &["--batch-size", "3", "--shard", &format!("{k}/2")]))
        .collect();
    let merged = dir.path().join("merged");
    paralign()
        .arg("merge")
        .arg(&merged)
        .args(shards.iter().map(|s| s.path()))
        .assert()
        .success();
    for folder in ["ladder-sentences", "sentences", "units", "tmx", "moses"] {
        assert_eq!(
            tree(&merged.join(folder)),
            tree(&two.path().join(folder)),
            "{folder}"
        );
    }
}

#[test]
fn a_sentence_level_run_resumes_to_the_same_output() {
    let demo = repo().join("corpora/demo");
    let out = tempfile::tempdir().unwrap();
    let run = || {
        paralign()
            .args(["align", "--level", "sentence", "--batch-size", "4", "--out"])
            .arg(out.path())
            .arg(&demo)
            .assert()
            .success()
    };
    run();
    let first = tree(out.path());
    // A batch whose record is lost is aligned again, and the rest after it; those before
    // it are kept.
    fs::remove_file(out.path().join("manifest/batch-00002.json")).unwrap();
    run().stderr(predicate::str::contains("(1 finished batch kept)"));
    let again = tree(out.path());
    let outputs = |t: &std::collections::BTreeMap<String, Vec<u8>>| {
        t.iter()
            .filter(|(k, _)| k.as_str() != "summary.json")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert!(first.keys().any(|k| k.starts_with("ladder-sentences/")));
    assert_eq!(outputs(&first), outputs(&again));
}

#[test]
fn sentences_the_pivot_lacks_pair_off_between_the_versions_that_have_them() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_dir(&repo().join("corpora/demo"), &corpus);
    let stem = "2026-06-02-remarks-brics-ministerial";
    // English (the pivot) lacks paragraph 6, which German and French have; English and
    // French lack paragraph 12, which German alone has.
    let (k, j) = (6, 12);
    let drop = |lang: &str, paras: &[usize]| {
        let path = corpus.join(format!("{lang}/{stem}.txt"));
        let text = fs::read_to_string(&path).unwrap();
        let kept: Vec<&str> = text
            .split("\n\n")
            .enumerate()
            .filter(|(p, _)| !paras.contains(p))
            .map(|(_, t)| t)
            .collect();
        fs::write(&path, kept.join("\n\n")).unwrap();
    };
    drop("en", &[k, j]);
    drop("fr", &[j]);
    let out = align_sentences(&corpus, &[]);
    let o = out.path();
    let para_of = |l: &str| -> Vec<usize> {
        sentences(&o.join(format!("sentences/{stem}/{l}.txt")))
            .into_iter()
            .map(|(p, _)| p)
            .collect()
    };
    let (de, fr) = (para_of("de"), para_of("fr"));
    let beads = ladder(&o.join(format!("ladder-sentences/{stem}/de-fr.txt")));
    // Paragraph k's German sentences are each in a bead with French sentences of
    // paragraph k (French kept its paragraph k, so its numbering is German's there).
    let of_k: Vec<_> = beads
        .iter()
        .filter(|b| b.0.iter().any(|&s| de[s] == k))
        .collect();
    assert!(!of_k.is_empty());
    for b in &of_k {
        assert!(!b.1.is_empty() && b.1.iter().all(|&s| fr[s] == k), "{b:?}");
        assert!(b.0.iter().all(|&s| de[s] == k), "{b:?}");
    }
    assert_eq!(
        of_k.iter().map(|b| b.1.len()).sum::<usize>(),
        fr.iter().filter(|&&p| p == k).count()
    );
    // Paragraph j's German sentences have nothing in French.
    let of_j: Vec<_> = beads
        .iter()
        .filter(|b| b.0.iter().any(|&s| de[s] == j))
        .collect();
    assert!(!of_j.is_empty());
    for b in of_j {
        assert!(b.1.is_empty(), "{b:?}");
    }
}
