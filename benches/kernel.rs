//! Alignment kernel benchmark (release mode): the align stage alone, on news12 in memory —
//! feature extraction, then `align_doc` of every statement, each repeated — so changes to
//! the cost model and the DP can be timed without reading or writing files.
//!
//!   cargo bench --bench kernel                  # 20 rounds over news12's 99 statements
//!   cargo bench --bench kernel -- N             # N rounds
//!
//! One thread; reports milliseconds per statement and MB/s of input text per thread.

mod common;

use paralign::Lang;
use paralign::align::{CorpusModel, DocFeatures, cost::Params};
use std::time::Instant;

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let root = common::news12();
    let mut stems: Vec<String> = std::fs::read_dir(root.join("en"))
        .expect("news12/en")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".txt").map(str::to_string)
        })
        .collect();
    stems.sort();
    let mut bytes = 0usize;
    let texts: Vec<paralign::text::ByLang<Option<Vec<String>>>> = stems
        .iter()
        .map(|stem| {
            paralign::text::ByLang::from_fn(|l| {
                let raw = std::fs::read(root.join(l.code()).join(format!("{stem}.txt"))).ok()?;
                bytes += raw.len();
                paralign::text::read_paragraphs(&raw, usize::MAX, Default::default()).ok()
            })
        })
        .collect();
    let mb = bytes as f64 / 1e6;

    let t = Instant::now();
    let mut docs = Vec::new();
    for _ in 0..rounds {
        docs = texts.iter().map(DocFeatures::from_texts).collect();
    }
    let features = t.elapsed().as_secs_f64() / rounds as f64;

    // The sentence level's splitter over every paragraph.
    let t = Instant::now();
    let mut sentences = 0;
    for _ in 0..rounds {
        for doc in &texts {
            for (l, paras) in doc.iter() {
                for p in paras.iter().flatten() {
                    sentences += paralign::text::sentences::split(p, l).len();
                }
            }
        }
    }
    let split = t.elapsed().as_secs_f64() / rounds as f64;

    let t = Instant::now();
    let model = CorpusModel::learn(&docs, Lang::En, Params::default());
    let learn = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let mut units = 0;
    for _ in 0..rounds {
        for d in &docs {
            units += model.align_doc(d).units.len();
        }
    }
    let align = t.elapsed().as_secs_f64() / rounds as f64;
    let n = docs.len() as f64;
    println!(
        "statements      {} ({:.1} MB), {rounds} rounds",
        docs.len(),
        mb
    );
    println!(
        "features        {:.3} ms/statement  {:.1} MB/s",
        features * 1e3 / n,
        mb / features
    );
    println!(
        "align_doc       {:.3} ms/statement  {:.1} MB/s",
        align * 1e3 / n,
        mb / align
    );
    println!(
        "split           {:.3} ms/statement  {:.1} MB/s  ({} sentences)",
        split * 1e3 / n,
        mb / split,
        sentences / rounds
    );
    println!("learn (once)    {:.2} s", learn);
    println!("units           {}", units / rounds);
}
