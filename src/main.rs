//! The paralign command line: parse arguments, call the library, print errors in one place
//! and map outcomes to exit codes ([`paralign::exit_code`]).

use clap::{Parser, Subcommand};
use paralign::eval::{EvalError, Scoreboard};
use paralign::exit_code::{DONE, INPUT_SKIPPED, INTERRUPTED, NOTHING_DONE, exit};
use paralign::text::printable;
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
    /// Align a corpus folder and write QA findings (qa.jsonl, qa.tsv, report.html) too.
    Qa(AlignArgs),
    /// Score ladders against gold: strict and lax precision, recall and F1 per pair.
    Eval(EvalArgs),
    /// Score a predicted docpairs.tsv against a gold one: precision and recall per pivot pair.
    EvalPairs(EvalPairsArgs),
    /// Score qa.jsonl against injected defects (GOLD_QA_DIR/<doc>.jsonl).
    EvalQa(EvalQaArgs),
    /// Join the outputs of the shards of one run (`align --shard K/N`) into one corpus.
    Merge(MergeArgs),
    /// Learn a corpus's models and save them (`-o MODEL`) for `align --model`: the
    /// paragraph level's length models and lexicons, and with `--level sentence` the
    /// sentence models. Takes align's options; nothing is aligned.
    Learn(AlignArgs),
}

#[derive(clap::Args, Clone)]
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
    /// How the language versions of a statement are found: stem (shared file stem or
    /// record id), content, or auto (stem where stems match, content for the rest).
    #[arg(long, default_value = "auto")]
    pair_by: paralign::corpus::pairing::PairBy,
    /// More page-chrome patterns: one regular expression a line, matched against whole
    /// paragraphs (case-insensitive); `#` starts a comment line.
    #[arg(long, value_name = "FILE")]
    boilerplate: Option<PathBuf>,
    /// Worker threads [default: all cores].
    #[arg(short = 'j', long, value_parser = clap::value_parser!(u16).range(1..=paralign::batch::MAX_THREADS as i64))]
    jobs: Option<u16>,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
    /// Also run the QA checks: qa.jsonl, qa.tsv, report.html.
    #[arg(long)]
    qa: bool,
    /// Refuse input files larger than this many bytes.
    #[arg(long, default_value_t = paralign::corpus::DEFAULT_MAX_FILE_BYTES)]
    max_file_size: u64,
    /// Refuse documents of more paragraphs than this.
    #[arg(long, default_value_t = paralign::corpus::DEFAULT_MAX_PARAGRAPHS, value_parser = at_least_one)]
    max_paragraphs: usize,
    /// Read at most this many records of a JSON Lines file; the rest are skipped.
    #[arg(long, default_value_t = paralign::corpus::DEFAULT_MAX_RECORDS, value_parser = at_least_one)]
    max_records: usize,
    /// Read what links in the corpus point to outside the corpus folder (by default such
    /// links are skipped and reported).
    #[arg(long)]
    follow_links: bool,
    /// Statements per batch: memory is bounded by the batch, outputs are sharded by it.
    #[arg(long, default_value_t = paralign::batch::DEFAULT_BATCH_SIZE, value_parser = at_least_one)]
    batch_size: usize,
    /// Statements the length models and lexicon are learned from, at most.
    #[arg(long, default_value_t = paralign::batch::DEFAULT_SAMPLE, value_parser = at_least_one)]
    sample: usize,
    /// Only shard K of N (every N-th batch, from the K-th): for N machines with no
    /// coordinator; `paralign merge` joins their outputs.
    #[arg(long, value_name = "K/N")]
    shard: Option<paralign::batch::plan::Shard>,
    /// Output formats, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "ladder,units,tmx,moses,docpairs"
    )]
    formats: Vec<paralign::export::Format>,
    /// What the corpora pair: paragraphs, or the sentences aligned inside them (the ladders
    /// of both levels are written).
    #[arg(long, value_enum, default_value_t)]
    level: paralign::aligned::Level,
    /// How paragraphs are cut into sentences: split (by the rules of each language), or
    /// lines (each line of a paragraph is a sentence: input already split).
    #[arg(long, value_enum, default_value_t)]
    sentences: paralign::text::sentences::SentenceMode,
    /// Align with a saved model (`paralign learn`, `--save-model`) instead of learning one
    /// from this corpus: a small batch or a single statement aligned with what an archive
    /// taught.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// With --model: learn from this corpus all the same, the saved sentence models
    /// lending their lexicons.
    #[arg(long, requires = "model")]
    relearn: bool,
    /// Save the models the run aligns with to FILE.
    #[arg(long, value_name = "FILE")]
    save_model: Option<PathBuf>,
}

#[derive(clap::Args)]
struct MergeArgs {
    /// Where the merged corpus goes.
    out: PathBuf,
    /// The output folders of the shards.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
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
    /// Rename gold documents through this docpairs.tsv (doc → pivot version's stem), to
    /// score a corpus whose files were named differently from its gold.
    #[arg(long, value_name = "TSV")]
    rename: Option<PathBuf>,
    /// The pivot whose stems name the predicted ladders (with --rename).
    #[arg(long, default_value = "en")]
    pivot: Lang,
    /// Print JSON instead of the table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct EvalQaArgs {
    /// Folder of injected defects, one <doc>.jsonl per document.
    gold: PathBuf,
    /// qa.jsonl, as `paralign qa` writes it.
    qa: PathBuf,
    /// Print JSON instead of the table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct EvalPairsArgs {
    /// Gold docpairs.tsv (header doc en ru de es fr).
    gold: PathBuf,
    /// Predicted docpairs.tsv, as `paralign align` writes it.
    pred: PathBuf,
    /// The pivot of the pairs scored.
    #[arg(long, default_value = "en")]
    pivot: Lang,
    /// Print JSON instead of the table.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    // `paralign` alone (as `cargo run` calls it) aligns the demo corpus.
    let parsed = if std::env::args_os().len() <= 1 {
        Cli::try_parse_from(["paralign", "align"])
    } else {
        Cli::try_parse()
    };
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Exit code 2 means "done, some input skipped"; a usage error is a failure.
            return if e.use_stderr() {
                exit(NOTHING_DONE)
            } else {
                exit(DONE)
            };
        }
    };
    match cli.command {
        Command::Align(args) => align(args, false),
        Command::Qa(args) => align(args, true),
        Command::Eval(args) => eval(args),
        Command::EvalPairs(args) => eval_pairs(args),
        Command::EvalQa(args) => eval_qa(args),
        Command::Merge(args) => merge(args),
        Command::Learn(args) => learn(args),
    }
}

fn options(args: &AlignArgs, qa: bool) -> AlignOptions {
    let args = args.clone();
    AlignOptions {
        corpus: args.corpus,
        out: args.out,
        langs: args.langs,
        pivot: args.pivot,
        pair_by: args.pair_by,
        boilerplate: args.boilerplate,
        qa: qa || args.qa,
        level: args.level,
        sentences: args.sentences,
        formats: args.formats,
        batch_size: args.batch_size,
        sample: args.sample,
        shard: args.shard,
        threads: args.jobs.map(usize::from),
        progress: !args.quiet,
        limits: paralign::corpus::Limits {
            file_bytes: args.max_file_size,
            paragraphs: args.max_paragraphs,
            records: args.max_records,
        },
        follow_links: args.follow_links,
        model: args.model,
        relearn: args.relearn,
        save_model: args.save_model,
        control: None,
    }
}

/// `paralign learn`: the models of a corpus, saved to `-o`.
fn learn(args: AlignArgs) -> ExitCode {
    let mut opts = options(&args, false);
    opts.save_model = args.out.or(args.save_model);
    opts.out = None;
    match paralign::batch::run_learn(&opts) {
        Ok(n) => {
            if !args.quiet {
                let path = opts
                    .save_model
                    .as_deref()
                    .unwrap_or(std::path::Path::new(""));
                eprintln!(
                    "paralign: learned from {} into {}",
                    count(n, "statement", "statements"),
                    path.display()
                );
            }
            exit(DONE)
        }
        Err(e) => {
            print_error(&e);
            exit(NOTHING_DONE)
        }
    }
}

fn align(args: AlignArgs, qa: bool) -> ExitCode {
    let opts = options(&args, qa);
    // Ctrl-C or SIGTERM (a batch system cancelling the job): stop between statements;
    // finished batches stay, the same command resumes.
    let _ = ctrlc::set_handler(paralign::batch::interrupt);
    match run_align(&opts) {
        Ok(report) => {
            let s = &report.summary;
            let out = report.out.display().to_string();
            for f in &s.skipped_folders {
                eprintln!(
                    "paralign: skipped folder {}: {}",
                    printable(&f.path.display().to_string()),
                    f.reason
                );
            }
            let skipped = s.stats.skipped.iter().map(|e| format!("skipped {e}"));
            print_some(skipped, "skipped input", &out);
            let warnings = s.stats.warnings.iter().map(|w| format!("warning: {w}"));
            let flagged = s.stats.flagged_files.iter().map(|f| {
                format!(
                    "warning: {}: text is in {}, not {}",
                    f.path.display(),
                    f.detected,
                    f.folder
                )
            });
            print_some(warnings.chain(flagged), "warnings", &out);
            if !args.quiet {
                let resumed = match report.resumed {
                    0 => String::new(),
                    n => format!(" ({} kept)", count(n, "finished batch", "finished batches")),
                };
                eprintln!(
                    "paralign: aligned {} in {} in {:.2}s into {}{resumed}",
                    count(s.stats.documents, "statement", "statements"),
                    count(s.batches, "batch", "batches"),
                    s.wall_seconds,
                    report.out.display()
                );
            }
            if report.skipped_anything() {
                exit(INPUT_SKIPPED)
            } else {
                exit(DONE)
            }
        }
        Err(e @ paralign::batch::RunError::Interrupted) => {
            eprintln!("paralign: {e}");
            exit(INTERRUPTED)
        }
        Err(e) => {
            print_error(&e);
            exit(NOTHING_DONE)
        }
    }
}

/// The one place errors are printed: each line of the message made safe for a terminal
/// (file names come from the web).
fn print_error(e: &dyn std::fmt::Display) {
    let message = e.to_string();
    let lines: Vec<_> = message.lines().map(printable).collect();
    eprintln!("paralign: error: {}", lines.join("\n"));
}

/// Print the first lines of a report on stderr, then how many more there are: a corpus of
/// junk gets a screenful, and the whole list is in summary.json.
fn print_some(lines: impl Iterator<Item = String>, what: &str, out: &str) {
    const SHOWN: usize = 20;
    let mut more = 0;
    for (k, line) in lines.enumerate() {
        if k < SHOWN {
            eprintln!("paralign: {}", printable(&line));
        } else {
            more += 1;
        }
    }
    if more > 0 {
        eprintln!("paralign: … and {more} more {what}, listed in {out}/summary.json");
    }
}

fn merge(args: MergeArgs) -> ExitCode {
    match paralign::batch::merge::merge(&args.out, &args.shards) {
        Ok(report) if report.missing.is_empty() => exit(DONE),
        Ok(report) => {
            let list: Vec<String> = report.missing.iter().map(|b| b.to_string()).collect();
            eprintln!(
                "paralign: merged, but no shard had finished batch(es) {}: run their shards again",
                list.join(", ")
            );
            exit(INPUT_SKIPPED)
        }
        Err(e) => {
            print_error(&e);
            exit(NOTHING_DONE)
        }
    }
}

fn eval(args: EvalArgs) -> ExitCode {
    let renamed = match &args.rename {
        Some(tsv) => match paralign::eval::rename_gold(&args.gold, tsv, args.pivot) {
            Ok(dir) => Some(dir),
            Err(e) => {
                eprintln!("paralign: error: {e}");
                return exit(NOTHING_DONE);
            }
        },
        None => None,
    };
    let gold = renamed.as_ref().map_or(args.gold.as_path(), |d| d.path());
    print_scores(
        paralign::eval::evaluate(gold, &args.pred, args.pairs.as_deref()),
        args.json,
    )
}

fn eval_pairs(args: EvalPairsArgs) -> ExitCode {
    let report = paralign::eval::docpairs::evaluate(&args.gold, &args.pred, args.pivot);
    print_scores(report, args.json)
}

fn eval_qa(args: EvalQaArgs) -> ExitCode {
    print_scores(
        paralign::eval::qa::evaluate(&args.gold, &args.qa),
        args.json,
    )
}

fn print_scores<S: Scoreboard>(report: Result<S, EvalError>, json: bool) -> ExitCode {
    match report {
        Ok(report) => {
            if json {
                println!("{}", report.json());
            } else {
                print!("{}", report.table());
            }
            exit(DONE)
        }
        Err(e) => {
            print_error(&e);
            exit(NOTHING_DONE)
        }
    }
}

/// A count that must be at least one.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// "1 batch", "2 batches".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
