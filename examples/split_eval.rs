//! Sentence boundaries of `paralign::text::sentences::split` against a set's
//! one-sentence-a-line version: recall and precision per language and overall.
//!
//! cargo run --release --example split_eval -- ../shared/data/news12 [--show N] [--json]
//!
//! `--show N` prints N boundaries found but not gold and N gold but not found, spread over
//! the set, with the text around them (`||` marks the place).

use paralign::eval::Scoreboard;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut set = None;
    let mut show = 0usize;
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--show" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => show = n,
                None => return usage("--show takes a number"),
            },
            "--json" => json = true,
            _ if set.is_none() && !a.starts_with('-') => set = Some(PathBuf::from(a)),
            _ => return usage(&format!("unexpected argument {a}")),
        }
    }
    let Some(set) = set else {
        return usage("which set?");
    };
    let scores = match paralign::eval::sentences::evaluate(&set) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("split_eval: {e}");
            return ExitCode::FAILURE;
        }
    };
    if json {
        println!("{}", scores.json());
    } else {
        print!("{}", scores.table());
    }
    for found in [true, false] {
        let misses: Vec<_> = scores.misses.iter().filter(|m| m.found == found).collect();
        if show == 0 || misses.is_empty() {
            continue;
        }
        let what = if found {
            "found, not gold"
        } else {
            "gold, not found"
        };
        println!(
            "\n{what}: {} (every {}th shown)",
            misses.len(),
            (misses.len() / show).max(1)
        );
        for m in misses
            .iter()
            .step_by((misses.len() / show).max(1))
            .take(show)
        {
            println!("{} {} {}||{}", m.lang, m.doc, m.before, m.after);
        }
    }
    ExitCode::SUCCESS
}

fn usage(why: &str) -> ExitCode {
    eprintln!("split_eval: {why}\nusage: split_eval SET [--show N] [--json]");
    ExitCode::from(2)
}
