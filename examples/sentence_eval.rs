//! Evaluate the sentence level (`paralign::align::sentence`) on the shared data, scored by
//! `../shared/tools/score.py`:
//!
//! ```text
//! sentence_eval textberg DE FR GOLD OUT [SET LADDER]...
//!     One document, one sentence a line, one unit. With SET LADDER pairs (news sets and
//!     paralign's paragraph ladders of them), a de-fr model learned from those sets' units
//!     is the prior. Writes OUT/dev/de-fr.txt and the gold in score.py's layout in
//!     OUT-gold/dev/de-fr.txt.
//! sentence_eval news SET LADDER OUT [LANGS]
//!     The sentences of each pair's paragraph beads (SET/sentences/<lang>/<doc>.txt,
//!     paralign's ladders in LADDER), a bead that is not 1-1 joined with its neighbours into
//!     one unit; one model per pair over all documents. Writes OUT/<doc>/<l1>-<l2>.txt.
//! ```
//!
//! Both print the strict and lax figures of score.py (when python3 is there).

use paralign::align::sentence::SentenceModel;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A bead as sentence indices of each side.
type Beads = Vec<(Vec<usize>, Vec<usize>)>;

const ORDER: [&str; 5] = ["en", "ru", "de", "es", "fr"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("textberg") if args.len() >= 5 && args.len() % 2 == 1 => textberg(&args[1..]),
        Some("news") if args.len() >= 4 => news(&args[1..]),
        _ => Err(
            "usage: sentence_eval textberg DE FR GOLD OUT [SET LADDER]... | \
                  news SET LADDER OUT [LANGS]"
                .into(),
        ),
    };
    if let Err(e) = result {
        eprintln!("sentence_eval: {e}");
        std::process::exit(1);
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// Beads of a ladder or gold file (`[1,2]:[3]` a line).
fn read_beads(path: &Path) -> Result<Beads> {
    let nums = |s: &str| -> Vec<usize> {
        s.trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .collect()
    };
    Ok(read(path)?
        .lines()
        .filter_map(|l| l.trim().split_once(':'))
        .map(|(a, b)| (nums(a), nums(b)))
        .filter(|(a, b)| !a.is_empty() || !b.is_empty())
        .collect())
}

fn write_beads(path: &Path, beads: &Beads) -> Result<()> {
    let list = |v: &[usize]| {
        v.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let text: String = beads
        .iter()
        .map(|(a, b)| format!("[{}]:[{}]\n", list(a), list(b)))
        .collect();
    std::fs::create_dir_all(path.parent().ok_or("no parent")?)?;
    Ok(std::fs::write(path, text)?)
}

/// The beads `align` gives a unit, as indices of the document's sentences.
fn to_indices(beads: &[(paralign::align::dp::Bead, f64)], ia: &[usize], ib: &[usize]) -> Beads {
    beads
        .iter()
        .map(|(b, _)| {
            let a = b.a.clone().map(|i| ia[i]).collect();
            (a, b.b.clone().map(|j| ib[j]).collect())
        })
        .collect()
}

/// Print score.py's last line (ALL) for a gold and a prediction folder.
fn score(label: &str, gold: &Path, pred: &Path) {
    let score_py = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/score.py");
    let out = std::process::Command::new("python3")
        .arg(&score_py)
        .arg(gold)
        .arg(pred)
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            let all = text.lines().last().unwrap_or("").replace("ALL", "");
            println!("{label:<10} strict P R F1 | lax P R F1: {}", all.trim());
        }
        _ => eprintln!("{label}: cannot run {}", score_py.display()),
    }
}

fn textberg(args: &[String]) -> Result<()> {
    let (de, fr, gold, out) = (&args[0], &args[1], &args[2], PathBuf::from(&args[3]));
    let sets: Vec<(PathBuf, PathBuf)> = args[4..]
        .chunks(2)
        .map(|c| (PathBuf::from(&c[0]), PathBuf::from(&c[1])))
        .collect();
    let t0 = Instant::now();
    let prior = if sets.is_empty() {
        None
    } else {
        let mut units = Vec::new();
        for (set, ladder) in &sets {
            units.extend(pair_units(set, ladder, "de", "fr")?);
        }
        let model = SentenceModel::learn(&borrowed(&units), &vec![false; units.len()], None);
        eprintln!(
            "prior: {} de-fr units learnt in {:.1}s",
            units.len(),
            t0.elapsed().as_secs_f64()
        );
        Some(model)
    };
    let (a, b) = (read(Path::new(de))?, read(Path::new(fr))?);
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let t1 = Instant::now();
    let model = SentenceModel::learn(&[(a.clone(), b.clone())], &[false], prior.as_ref());
    let beads = model.align(&a, &b);
    eprintln!(
        "textberg: {} × {} sentences learnt and aligned in {:.1}s; the model is {} KB as JSON",
        a.len(),
        b.len(),
        t1.elapsed().as_secs_f64(),
        json_kb(&model)
    );
    let ia: Vec<usize> = (0..a.len()).collect();
    let ib: Vec<usize> = (0..b.len()).collect();
    write_beads(&out.join("dev/de-fr.txt"), &to_indices(&beads, &ia, &ib))?;
    let gold_dir = PathBuf::from(format!("{}-gold", out.display()));
    write_beads(
        &gold_dir.join("dev/de-fr.txt"),
        &read_beads(Path::new(gold))?,
    )?;
    score("textberg", &gold_dir, &out);
    Ok(())
}

fn json_kb(model: &SentenceModel) -> usize {
    serde_json::to_vec(model).map_or(0, |v| v.len() / 1024)
}

/// A document's sentences, by paragraph (paragraphs apart by a blank line).
fn read_sentence_doc(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.split("\n\n")
        .map(|p| {
            p.lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Paragraph beads widened where the paragraph level is unsure: a bead that is not 1-1
/// joins its neighbours into one unit (as the engine's `refine` does for derived pairs),
/// so the sentence level can repair an omission or a merge the paragraph level got wrong.
fn widen(beads: Beads) -> Beads {
    let simple: Vec<bool> = beads
        .iter()
        .map(|(a, b)| a.len() == 1 && b.len() == 1)
        .collect();
    let in_region = |k: usize| {
        !simple[k] || (k > 0 && !simple[k - 1]) || (k + 1 < simple.len() && !simple[k + 1])
    };
    let mut out: Beads = Vec::new();
    let mut k = 0;
    while k < beads.len() {
        if !in_region(k) {
            out.push(beads[k].clone());
            k += 1;
            continue;
        }
        let (mut a, mut b) = (Vec::new(), Vec::new());
        while k < beads.len() && in_region(k) {
            a.extend(beads[k].0.iter().copied());
            b.extend(beads[k].1.iter().copied());
            k += 1;
        }
        a.sort_unstable();
        b.sort_unstable();
        out.push((a, b));
    }
    out
}

/// One unit of a document: its sentences on each side with their indices in the document.
struct Unit {
    doc: String,
    a: Vec<String>,
    b: Vec<String>,
    ia: Vec<usize>,
    ib: Vec<usize>,
}

/// The units of pair (x, y) over a set's documents: the sentences of each widened
/// paragraph bead of paralign's ladder.
fn pair_units(set: &Path, ladder: &Path, x: &str, y: &str) -> Result<Vec<Unit>> {
    let mut docs: Vec<String> = std::fs::read_dir(set.join("gold-sentences"))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    docs.sort();
    let mut units = Vec::new();
    for d in docs {
        let sents =
            |l: &str| read_sentence_doc(&set.join("sentences").join(l).join(format!("{d}.txt")));
        let (pa, pb) = (sents(x), sents(y));
        if pa.is_empty() || pb.is_empty() {
            continue;
        }
        let offsets = |p: &[Vec<String>]| {
            let mut o = vec![0];
            for x in p {
                o.push(o[o.len() - 1] + x.len());
            }
            o
        };
        let (oa, ob) = (offsets(&pa), offsets(&pb));
        for (ra, rb) in widen(read_beads(&ladder.join(&d).join(format!("{x}-{y}.txt")))?) {
            let texts = |p: &[Vec<String>], r: &[usize]| -> Vec<String> {
                r.iter().flat_map(|&k| p[k].iter().cloned()).collect()
            };
            let idx = |o: &[usize], r: &[usize]| -> Vec<usize> {
                r.iter().flat_map(|&k| o[k]..o[k + 1]).collect()
            };
            units.push(Unit {
                doc: d.clone(),
                a: texts(&pa, &ra),
                b: texts(&pb, &rb),
                ia: idx(&oa, &ra),
                ib: idx(&ob, &rb),
            });
        }
    }
    Ok(units)
}

fn borrowed(units: &[Unit]) -> Vec<(Vec<&str>, Vec<&str>)> {
    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    units.iter().map(|u| (strs(&u.a), strs(&u.b))).collect()
}

fn news(args: &[String]) -> Result<()> {
    let (set, ladder, out) = (
        Path::new(&args[0]),
        Path::new(&args[1]),
        Path::new(&args[2]),
    );
    let langs: Vec<&str> = args
        .get(3)
        .map_or("en,ru,de,es,fr", String::as_str)
        .split(',')
        .collect();
    let t0 = Instant::now();
    let (mut learning, mut aligning) = (0.0, 0.0);
    for (k, &x) in ORDER.iter().enumerate() {
        for &y in &ORDER[k + 1..] {
            if !langs.contains(&x) || !langs.contains(&y) {
                continue;
            }
            let t = Instant::now();
            let units = pair_units(set, ladder, x, y)?;
            let texts = borrowed(&units);
            let tl = Instant::now();
            let model = SentenceModel::learn(&texts, &vec![false; texts.len()], None);
            learning += tl.elapsed().as_secs_f64();
            let ta = Instant::now();
            let mut per_doc: std::collections::BTreeMap<&str, Beads> = Default::default();
            for (u, (a, b)) in units.iter().zip(&texts) {
                let beads = to_indices(&model.align(a, b), &u.ia, &u.ib);
                per_doc.entry(&u.doc).or_default().extend(beads);
            }
            aligning += ta.elapsed().as_secs_f64();
            for (doc, beads) in &per_doc {
                write_beads(&out.join(doc).join(format!("{x}-{y}.txt")), beads)?;
            }
            eprintln!(
                "{x}-{y}: {} units learnt and aligned in {:.1}s; the model is {} KB as JSON",
                units.len(),
                t.elapsed().as_secs_f64(),
                json_kb(&model)
            );
        }
    }
    eprintln!(
        "all pairs: {:.1}s (learning {learning:.2}s, aligning {aligning:.2}s)",
        t0.elapsed().as_secs_f64()
    );
    let name = set
        .file_name()
        .map_or("news".into(), |n| n.to_string_lossy());
    score(&name, &set.join("gold-sentences"), out);
    Ok(())
}
