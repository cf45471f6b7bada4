//! Pairing benchmark (release mode): pair 20,000 documents per language by content.
//!
//!   cargo bench --bench pairing                 # 20,000 statements' worth per language
//!   cargo bench --bench pairing -- N            # N documents per language
//!
//! The corpus is generated from ../shared/data/news12 into target/bench-data: statement k is
//! news12 document k mod 99 with its digits permuted by a permutation of its own (the same
//! in all its versions, so versions share numbers and dates that copies of the same source
//! do not), a paragraph dropped at random from some versions, and a random file name in
//! every language. A tenth of each language's documents are distractors with no
//! counterpart. Prints read and pairing time, peak memory, and pairing precision and recall
//! over the four pivot pairs against the generated gold.

mod common;

use common::{LANGS, Rng, peak_rss_mb, perturb};
use paralign::Lang;
use paralign::corpus::{self, pairing};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let per_lang: usize = args
        .first()
        .map_or(20_000, |n| n.parse().expect("N is a number"));
    let source = common::news12();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(format!("pairing-{per_lang}"));
    let gold = generate(&source, &dir, per_lang);

    let start = Instant::now();
    let found = corpus::discover(&dir, &Lang::ALL, &Default::default()).unwrap();
    let docs: Vec<corpus::Document> = {
        use rayon::prelude::*;
        found
            .files
            .par_iter()
            .flat_map(|f| corpus::read_file(f, &corpus::ReadOptions::default()).docs)
            .collect()
    };
    let read = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let statements = pairing::pair(&docs, Lang::En, pairing::PairBy::Content);
    let pair_secs = start.elapsed().as_secs_f64();

    let mut predicted = HashSet::new();
    for st in &statements {
        let Some(en) = st.versions[Lang::En] else {
            continue;
        };
        for (l, _) in st.versions.present().filter(|&(l, _)| l != Lang::En) {
            if let Some(o) = st.versions[l] {
                predicted.insert((docs[en].id.clone(), docs[o].id.clone()));
            }
        }
    }
    let tp = predicted.intersection(&gold).count();
    println!(
        "documents per language: {per_lang} ({} read), threads: {}",
        docs.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "read {read:.2} s, pairing {pair_secs:.2} s, peak memory {:.0} MB",
        peak_rss_mb()
    );
    println!(
        "pivot pairs: precision {:.4}, recall {:.4} ({tp} of {} predicted, {} gold)",
        tp as f64 / predicted.len().max(1) as f64,
        tp as f64 / gold.len().max(1) as f64,
        predicted.len(),
        gold.len()
    );
}

/// Write the corpus unless it is there; return the gold (en stem, other stem) pairs.
fn generate(source: &Path, dir: &Path, per_lang: usize) -> HashSet<(String, String)> {
    let docs: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(source.join("en"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let texts: Vec<Vec<String>> = docs
        .iter()
        .map(|d| {
            LANGS
                .iter()
                .map(|l| std::fs::read_to_string(source.join(l).join(d)).unwrap())
                .collect()
        })
        .collect();
    let marker = dir.join(".complete");
    let mut rng = Rng(2026);
    let statements = per_lang * 9 / 10;
    let mut gold = HashSet::new();
    let write = !marker.exists();
    if write {
        let _ = std::fs::remove_dir_all(dir);
        for l in LANGS {
            std::fs::create_dir_all(dir.join(l)).unwrap();
        }
    }
    for k in 0..statements {
        let perm = rng.digit_permutation();
        let src = &texts[k % texts.len()];
        let stems: Vec<String> = (0..5).map(|_| rng.stem()).collect();
        for (li, l) in LANGS.iter().enumerate() {
            let drop = (rng.below(4) == 0).then(|| rng.below(1000));
            if write {
                std::fs::write(
                    dir.join(l).join(format!("{}.txt", stems[li])),
                    perturb(&src[li], &perm, drop),
                )
                .unwrap();
            }
            if li > 0 {
                gold.insert((stems[0].clone(), stems[li].clone()));
            }
        }
    }
    for (li, l) in LANGS.iter().enumerate() {
        for _ in statements..per_lang {
            let perm = rng.digit_permutation();
            let src = &texts[rng.below(texts.len())];
            let stem = rng.stem();
            if write {
                std::fs::write(
                    dir.join(l).join(format!("{stem}.txt")),
                    perturb(&src[li], &perm, None),
                )
                .unwrap();
            }
        }
    }
    if write {
        std::fs::write(marker, b"").unwrap();
    }
    gold
}
