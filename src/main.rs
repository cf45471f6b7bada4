//! The paralign command line: parse arguments, call the library, print errors in one place
//! and map outcomes to exit codes (0 done, 1 failed, 2 done but input was skipped).

use clap::{Parser, Subcommand};
use paralign::{AlignOptions, Lang, run_align};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "paralign", version, about = "Align the language versions of statements paragraph by paragraph", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Align a corpus folder (CORPUS/<lang>/<doc>.txt) and write parallel corpora.
    Align(AlignArgs),
    /// Score ladders against gold: strict and lax precision, recall and F1 per pair.
    Eval(EvalArgs),
}

#[derive(clap::Args)]
struct AlignArgs {
    /// Corpus folder with one subfolder per language.
    #[arg(default_value = "corpora/demo")]
    corpus: PathBuf,
    /// Output folder [default: alignments/<corpus name>].
    #[arg(short, long)]
    out: Option<PathBuf>,
    /// Languages to align, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "en,ru,de,es,fr")]
    langs: Vec<Lang>,
    /// The language every other is aligned with.
    #[arg(long, default_value = "en")]
    pivot: Lang,
    /// Worker threads [default: all cores].
    #[arg(short = 'j', long)]
    jobs: Option<usize>,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
    /// Refuse input files larger than this many bytes.
    #[arg(long, default_value_t = paralign::corpus::DEFAULT_MAX_FILE_BYTES)]
    max_file_size: u64,
}

#[derive(clap::Args)]
struct EvalArgs {
    /// Gold folder: GOLD/<doc>/<l1>-<l2>.txt.
    gold: PathBuf,
    /// Predicted ladders: PRED/<doc>/<l1>-<l2>.txt (the ladder/ folder of an output).
    pred: PathBuf,
    /// Only these pairs, comma-separated (e.g. en-ru,en-de).
    #[arg(long, value_delimiter = ',')]
    pairs: Option<Vec<String>>,
    /// Print JSON instead of the table.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    // `paralign` alone (as `cargo run` calls it) aligns the demo corpus.
    let cli = if std::env::args_os().len() <= 1 {
        Cli::parse_from(["paralign", "align"])
    } else {
        Cli::parse()
    };
    match cli.command {
        Command::Align(args) => align(args),
        Command::Eval(args) => eval(args),
    }
}

fn align(args: AlignArgs) -> ExitCode {
    let opts = AlignOptions {
        corpus: args.corpus,
        out: args.out,
        langs: args.langs,
        pivot: args.pivot,
        threads: args.jobs,
        progress: !args.quiet,
        max_file_bytes: args.max_file_size,
    };
    match run_align(&opts) {
        Ok(report) => {
            let s = &report.summary;
            for f in &s.skipped_folders {
                eprintln!(
                    "paralign: skipped folder {}: {}",
                    f.path.display(),
                    f.reason
                );
            }
            for e in &s.skipped_files {
                eprintln!("paralign: skipped {e}");
            }
            for f in &s.flagged_files {
                eprintln!(
                    "paralign: warning: {}: text is in {}, not {}",
                    f.path.display(),
                    f.detected,
                    f.folder
                );
            }
            if !args.quiet {
                eprintln!(
                    "paralign: aligned {} documents in {:.2}s into {}",
                    s.documents,
                    s.wall_seconds,
                    report.out.display()
                );
            }
            if report.skipped_anything() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("paralign: error: {e}");
            ExitCode::from(1)
        }
    }
}

fn eval(args: EvalArgs) -> ExitCode {
    match paralign::eval::evaluate(&args.gold, &args.pred, args.pairs.as_deref()) {
        Ok(report) => {
            if args.json {
                println!("{}", report.json());
            } else {
                print!("{}", report.table());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("paralign: error: {e}");
            ExitCode::from(1)
        }
    }
}
