//! Batch: run the stages over a corpus — plan, learn, then read, align, check and export
//! batch by batch — in parallel with rayon, with a progress bar on a terminal. Memory is
//! bounded by the batch and the model's sample, not by the corpus. Each finished batch is
//! recorded in the manifest, so a killed run started again skips what is done; `--shard K/N`
//! takes every N-th batch, and [`merge`] joins shards' outputs.

pub mod config;
mod learn;
pub mod lock;
pub mod manifest;
pub mod merge;
pub mod plan;
pub mod stages;
pub mod statement;
pub mod stats;
pub mod summary;

use crate::align::sentence::SentenceModels;
use crate::align::{CorpusModel, DocFeatures};
use crate::aligned::{AlignedCorpus, AlignedStatement, Level};
use crate::corpus::pairing::PairBy;
use crate::corpus::{self, Document};
use crate::export::{self, Batch, Exporter, Format, Output};
use crate::qa::Finding;
use crate::text::chrome::{ChromeError, ChromeFilter, date_line};
use crate::text::langcheck::LangChecker;
use crate::text::sentences::SentenceMode;
use crate::text::{ByLang, Lang};
use config::RunConfig;
use indicatif::{ProgressBar, ProgressStyle};
use plan::{Plan, Shard};
use rayon::prelude::*;
use stages::{Stage, StageClock};
use stats::{Flagged, Stats};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;
use summary::Summary;

/// Statements per batch unless told otherwise.
pub const DEFAULT_BATCH_SIZE: usize = 500;
/// Statements the model learns from, at most: enough for length ratios and a lexicon.
pub const DEFAULT_SAMPLE: usize = 2000;
/// Worker threads, at most: more than any machine has cores, fewer than a system lets a
/// process start.
pub const MAX_THREADS: usize = 1024;

/// What `paralign align` is asked to do.
#[derive(Clone, Debug)]
pub struct AlignOptions {
    pub corpus: PathBuf,
    /// Output folder; `alignments/<corpus name>` when None.
    pub out: Option<PathBuf>,
    pub langs: Vec<Lang>,
    pub pivot: Lang,
    /// How the language versions of a statement are found.
    pub pair_by: PairBy,
    /// More page-chrome patterns, one regular expression a line.
    pub boilerplate: Option<PathBuf>,
    /// Run the QA checks and write qa.jsonl, qa.tsv and the report.
    pub qa: bool,
    /// The level of the corpora: paragraph or sentence pairs.
    pub level: Level,
    /// How paragraphs are cut into sentences (at the sentence level).
    pub sentences: SentenceMode,
    /// A saved model to align with instead of learning one.
    pub model: Option<PathBuf>,
    /// With `model`: learn from this corpus all the same, the saved sentence models lending
    /// their lexicons.
    pub relearn: bool,
    /// Where to save the models the run aligns with.
    pub save_model: Option<PathBuf>,
    /// The formats to write.
    pub formats: Vec<Format>,
    pub batch_size: usize,
    /// Statements the model learns from.
    pub sample: usize,
    /// Only this shard's batches.
    pub shard: Option<Shard>,
    /// Worker threads; all cores when None.
    pub threads: Option<usize>,
    /// Draw a progress bar (only ever on a terminal).
    pub progress: bool,
    /// What one file or record may cost.
    pub limits: corpus::Limits,
    /// Read what links in the corpus point to outside it.
    pub follow_links: bool,
    /// For a caller that embeds the library: follows the run's progress and can stop it.
    pub control: Option<Arc<RunControl>>,
}

/// How a program that embeds the library follows a run and stops it (the command line has
/// its progress bar and Ctrl-C): statements done of those to do, and a flag that stops the
/// run as Ctrl-C does, finished batches kept.
#[derive(Debug, Default)]
pub struct RunControl {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
}

impl RunControl {
    /// Statements done and to do, resumed ones counted done (0 of 0 until planned).
    pub fn progress(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// Stop the run at the next statement; it returns [`RunError::Interrupted`].
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }
}

impl AlignOptions {
    /// How the corpus's files are read.
    pub fn read_options(&self) -> corpus::ReadOptions {
        corpus::ReadOptions {
            limits: self.limits,
            line_breaks: match self.sentences {
                SentenceMode::Lines => crate::text::LineBreaks::Keep,
                SentenceMode::Split => crate::text::LineBreaks::Fold,
            },
        }
    }

    pub fn new(corpus: impl Into<PathBuf>) -> AlignOptions {
        AlignOptions {
            corpus: corpus.into(),
            out: None,
            langs: Lang::ALL.to_vec(),
            pivot: Lang::En,
            pair_by: PairBy::Auto,
            boilerplate: None,
            qa: false,
            level: Level::Paragraph,
            sentences: SentenceMode::Split,
            model: None,
            relearn: false,
            save_model: None,
            formats: Format::ALL.to_vec(),
            batch_size: DEFAULT_BATCH_SIZE,
            sample: DEFAULT_SAMPLE,
            shard: None,
            threads: None,
            progress: true,
            limits: corpus::Limits::default(),
            follow_links: false,
            control: None,
        }
    }
}

/// The outcome of a run that got as far as writing its outputs.
#[derive(Debug)]
pub struct RunReport {
    pub out: PathBuf,
    pub summary: Summary,
    /// Batches found finished and skipped.
    pub resumed: usize,
}

impl RunReport {
    /// Did the run leave anything out (files or records that could not be read)?
    pub fn skipped_anything(&self) -> bool {
        !self.summary.stats.skipped.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Corpus(#[from] corpus::CorpusError),
    #[error(transparent)]
    Export(#[from] export::ExportError),
    #[error(transparent)]
    Boilerplate(#[from] ChromeError),
    #[error(transparent)]
    Model(#[from] crate::align::saved::ModelError),
    #[error("cannot start {0} worker threads: {1}")]
    Threads(usize, rayon::ThreadPoolBuildError),
    #[error("the pivot language {0} is not among the chosen languages")]
    PivotNotChosen(Lang),
    #[error("{0}")]
    BadOption(String),
    #[error("nothing to align: {0}")]
    NothingToAlign(String),
    #[error(
        "{}: {reason}; give it another --out", out.display()
    )]
    BadOutput { out: PathBuf, reason: String },
    #[error("interrupted; finished batches are kept and the same command resumes")]
    Interrupted,
    #[error("{0}")]
    Merge(String),
    #[error(
        "{}: another paralign process is writing to this folder; wait for it to end or choose another --out",
        .0.display()
    )]
    Busy(PathBuf),
}

/// Set by Ctrl-C: the run stops between statements and leaves no half-written batch.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Stop at the next statement, as on Ctrl-C.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// The exporters of the chosen formats, and of the QA findings when asked for.
fn exporters(formats: &[Format], qa: bool) -> Vec<&'static dyn Exporter> {
    let qa_exporters = qa.then_some(export::QA_EXPORTERS).into_iter().flatten();
    formats
        .iter()
        .map(|f| f.exporter())
        .chain(qa_exporters)
        .collect()
}

/// A batch read, aligned and checked, with what reading it reported.
struct Checked {
    corpus: AlignedCorpus,
    findings: Option<Vec<Finding>>,
    read: Stats,
}

/// Align a corpus folder and write every output. Input that cannot be read is reported in
/// the summary and left out; the run goes on.
pub fn run_align(opts: &AlignOptions) -> Result<RunReport, RunError> {
    let opts = &checked(opts)?;
    pool(opts)?.install(|| run_in_pool(opts))
}

/// Learn a corpus's models and save them to `opts.save_model`; nothing is aligned. How
/// many statements they were learned from.
pub fn run_learn(opts: &AlignOptions) -> Result<usize, RunError> {
    if opts.save_model.is_none() {
        return Err(RunError::BadOption(
            "learn: name the model file (--out)".into(),
        ));
    }
    learn_models(opts).map(|(_, n)| n)
}

/// Learn a corpus's models as a run does, without aligning (saved to `opts.save_model`
/// when given): the models, and how many statements they were learned from.
pub fn learn_models(opts: &AlignOptions) -> Result<(statement::Models, usize), RunError> {
    let opts = &checked(opts)?;
    pool(opts)?.install(|| {
        let listing = corpus::Listing {
            follow_links: opts.follow_links,
            exclude: None,
        };
        let corpus = corpus::discover(&opts.corpus, &opts.langs, &listing)?;
        let chrome = chrome_filter(opts)?;
        let mark = |doc: &mut Document| mark_chrome(doc, &chrome);
        let plan = plan::plan(&corpus.files, opts, &mark);
        let skipped = [corpus.skipped.as_slice(), &plan.skipped].concat();
        something_to_align(&corpus, &plan, &skipped)?;
        let learned = learn::learn(&plan, opts, &mark)?;
        let models = statement::Models {
            paragraphs: learned.paragraphs,
            sentences: learned.sentences,
            langs: plan.langs.clone(),
        };
        Ok((models, plan.sample.len()))
    })
}

/// The worker threads of a run.
fn pool(opts: &AlignOptions) -> Result<rayon::ThreadPool, RunError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        builder = builder.num_threads(n);
    }
    builder
        .build()
        .map_err(|e| RunError::Threads(opts.threads.unwrap_or(0), e))
}

fn chrome_filter(opts: &AlignOptions) -> Result<ChromeFilter, RunError> {
    Ok(match &opts.boilerplate {
        Some(path) => ChromeFilter::with_file(path)?,
        None => ChromeFilter::default(),
    })
}

/// The options, checked, with the formats each named once, in [`Format::ALL`] order (the order
/// they were given in does not change the outputs, so it does not make another run).
fn checked(opts: &AlignOptions) -> Result<AlignOptions, RunError> {
    let bad = |m: String| Err(RunError::BadOption(m));
    let mut langs = opts.langs.clone();
    langs.sort();
    langs.dedup();
    if !langs.contains(&opts.pivot) {
        return Err(RunError::PivotNotChosen(opts.pivot));
    }
    if langs.len() < 2 {
        return bad(format!(
            "--langs {}: alignment needs at least two languages",
            opts.pivot
        ));
    }
    if let Some(n) = opts.threads
        && !(1..=MAX_THREADS).contains(&n)
    {
        return bad(format!(
            "-j {n}: between 1 and {MAX_THREADS} worker threads"
        ));
    }
    if opts.batch_size == 0 {
        return bad("--batch-size 0: a batch holds at least one statement".into());
    }
    if opts.sample == 0 {
        return bad("--sample 0: the model is learned from at least one statement".into());
    }
    if opts.limits.paragraphs == 0 {
        return bad("--max-paragraphs 0: a document has at least one paragraph".into());
    }
    if opts.limits.records == 0 {
        return bad("--max-records 0: nothing would be read from JSON Lines".into());
    }
    let mut formats = opts.formats.clone();
    formats.sort();
    formats.dedup();
    Ok(AlignOptions {
        langs,
        formats,
        ..opts.clone()
    })
}

/// The output folder against the corpus: not the corpus folder, not inside one of its
/// language folders (its files would be read back as input next time); anywhere else
/// inside the corpus, the folder of the corpus holding it is not listed. Returns that
/// folder.
fn output_inside_corpus(
    corpus: &std::path::Path,
    out: &std::path::Path,
) -> Result<Option<PathBuf>, RunError> {
    if out.exists() && !out.is_dir() {
        return Err(RunError::BadOutput {
            out: out.to_path_buf(),
            reason: "a file, not a folder".into(),
        });
    }
    let (Some(root), Some(target)) = (corpus.canonicalize().ok(), resolved(out)) else {
        return Ok(None);
    };
    let Ok(inside) = target.strip_prefix(&root) else {
        return Ok(None);
    };
    let Some(top) = inside.components().next() else {
        return Err(RunError::BadOutput {
            out: out.to_path_buf(),
            reason: "the corpus folder itself: its outputs would be read as input".into(),
        });
    };
    let top_name = top.as_os_str().to_string_lossy();
    if top_name.parse::<Lang>().is_ok() {
        return Err(RunError::BadOutput {
            out: out.to_path_buf(),
            reason: format!(
                "inside the corpus's language folder {top_name}: its outputs would be read as {top_name} documents"
            ),
        });
    }
    Ok(Some(corpus.join(top.as_os_str())))
}

/// `path` made absolute, through its nearest existing folder's canonical path, so that a
/// folder not yet made compares with canonical paths.
fn resolved(path: &std::path::Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut rest = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(c) = base.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return Some(out);
        }
        rest.push(base.components().next_back()?);
        base = base.parent()?;
    }
}

fn run_in_pool(opts: &AlignOptions) -> Result<RunReport, RunError> {
    let started = Instant::now();
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("alignments").join(corpus::folder_name(&opts.corpus)));
    let listing = corpus::Listing {
        follow_links: opts.follow_links,
        exclude: output_inside_corpus(&opts.corpus, &out)?,
    };
    let corpus = corpus::discover(&opts.corpus, &opts.langs, &listing)?;
    let chrome = chrome_filter(opts)?;
    let mark = |doc: &mut Document| mark_chrome(doc, &chrome);
    // Taken before planning: a second process on this folder stops at once.
    let _lock = lock::lock(&out)?;

    // Plan and learn: the same on every machine of a sharded run.
    let clock = StageClock::default();
    let plan = clock.time(Stage::Plan, || plan::plan(&corpus.files, opts, &mark));
    let skipped = [corpus.skipped.as_slice(), &plan.skipped].concat();
    something_to_align(&corpus, &plan, &skipped)?;
    let mine = plan.batches_of(opts.shard);
    // The sample's files and this machine's first batch's are asked of the disk all at once,
    // not read one by one as learning and the first batch come to them.
    let first = mine.first().map_or(&[][..], |&b| plan.batch(b));
    let warm_up = plan::prefetch(
        plan.sample
            .iter()
            .map(|&i| &plan.statements[i])
            .chain(first),
    );
    let learned = clock.time(Stage::Learn, || learn::learn(&plan, opts, &mark))?;
    let _ = warm_up.join();
    let config = run_config(opts, &corpus, &plan, &learned, skipped)?;
    claim_output(&out, &config)?;

    let runner = Runner {
        plan: &plan,
        model: &learned.paragraphs,
        sentence_models: learned.sentences.as_ref(),
        checker: LangChecker::default(),
        opts,
        exporters: &exporters(&opts.formats, opts.qa),
        mark: &mark,
        out: &out,
        corpus: &config.corpus,
        bar: &progress_bar(opts.progress, plan.statements_in(&mine) as u64),
        control: opts.control.as_deref(),
        clock: &clock,
    };
    let (done, resumed) = runner.run(&mine)?;
    runner.bar.finish_and_clear();

    let batches: Vec<usize> = done.iter().map(|(b, _)| *b).collect();
    clock.time(Stage::Finish, || {
        export::finish(&out, &batches, &plan.langs, &opts.formats, opts.qa)
    })?;
    let stats: Vec<Stats> = done.into_iter().map(|(_, s)| s).collect();
    let summary = Summary::new(&config, &stats, started.elapsed(), clock.seconds());
    summary.write(&out)?;
    // Files that could not be read are found only in their batch.
    let s = &summary.stats;
    if s.pairing.statements == 0 && !mine.is_empty() {
        let why = if s.documents == 0 {
            "no document could be read"
        } else {
            "no statement has two versions that could be read"
        };
        return Err(RunError::NothingToAlign(format!(
            "{why}{}",
            listed_skips(&s.skipped)
        )));
    }
    Ok(RunReport {
        out,
        summary,
        resumed,
    })
}

/// Is there anything to align: statements, in two languages at least?
fn something_to_align(
    corpus: &corpus::Corpus,
    plan: &Plan,
    skipped: &[corpus::InputError],
) -> Result<(), RunError> {
    if plan.statements.is_empty() {
        return Err(RunError::NothingToAlign(nothing_read(corpus, skipped)));
    }
    if plan.langs.len() < 2 {
        let only: Vec<&str> = plan.langs.iter().map(|l| l.code()).collect();
        return Err(RunError::NothingToAlign(format!(
            "only the {} folder has documents that could be read{}",
            only.join(""),
            listed_skips(skipped)
        )));
    }
    Ok(())
}

/// What identifies this run.
fn run_config(
    opts: &AlignOptions,
    corpus: &corpus::Corpus,
    plan: &Plan,
    learned: &learn::Learned,
    skipped: Vec<corpus::InputError>,
) -> Result<RunConfig, RunError> {
    let model = &learned.paragraphs;
    let boilerplate = match &opts.boilerplate {
        Some(p) => Some(manifest::checksum(p).map_err(|source| export::ExportError {
            path: p.clone(),
            source,
        })?),
        None => None,
    };
    Ok(RunConfig {
        version: env!("CARGO_PKG_VERSION").to_string(),
        corpus: corpus.name.clone(),
        langs: plan.langs.clone(),
        pivot: opts.pivot,
        pair_by: opts.pair_by,
        batch_size: opts.batch_size,
        batches: plan.batches.len(),
        statements: plan.statements.len(),
        qa: opts.qa,
        level: opts.level,
        sentences: opts.sentences,
        boilerplate,
        model: model.fingerprint(),
        sentence_model: learned.sentences.as_ref().map(config::sentence_fingerprint),
        models: config::model_summary(model, &plan.langs),
        formats: opts.formats.clone(),
        input: corpus.fingerprint.clone(),
        shard: opts.shard,
        skipped,
        warnings: plan.warnings.clone(),
        skipped_folders: corpus.skipped_folders.clone(),
    })
}

/// Make the output folder this run's: the outputs of another run are not resumed but
/// cleared, another shard's output is not written over.
fn claim_output(out: &std::path::Path, config: &RunConfig) -> Result<(), RunError> {
    match manifest::read_config(out) {
        manifest::Found::Run(c) if c.same_run(config) && c.shard != config.shard => {
            return Err(RunError::BadOutput {
                out: out.to_path_buf(),
                reason: format!(
                    "it holds the output of {} of this run: each shard writes a folder of its own, and `paralign merge` joins them",
                    shard_name(c.shard)
                ),
            });
        }
        manifest::Found::Run(c) if c.same_run(config) => {}
        manifest::Found::None => {}
        _ => manifest::clear(out),
    }
    manifest::write_config(out, config)?;
    Ok(())
}

pub(crate) fn features_of(docs: &ByLang<Option<Document>>) -> DocFeatures {
    DocFeatures::new(ByLang::from_fn(|l| {
        docs[l]
            .as_ref()
            .map(|d| (d.paragraphs.as_slice(), d.chrome.as_slice()))
    }))
}

/// What every batch of a run needs.
struct Runner<'a> {
    plan: &'a Plan,
    model: &'a CorpusModel,
    sentence_models: Option<&'a SentenceModels>,
    checker: LangChecker,
    opts: &'a AlignOptions,
    exporters: &'a [&'static dyn Exporter],
    mark: &'a (dyn Fn(&mut Document) + Sync),
    out: &'a std::path::Path,
    corpus: &'a str,
    bar: &'a ProgressBar,
    control: Option<&'a RunControl>,
    clock: &'a StageClock,
}

/// A statement read and aligned, with what reading it reported.
type Done = (AlignedStatement, corpus::ReadOutcome, Vec<Flagged>);

impl Runner<'_> {
    /// Stop at the next statement: Ctrl-C, or the caller's cancel.
    fn interrupted(&self) -> bool {
        interrupted() || self.control.is_some_and(RunControl::is_cancelled)
    }

    /// `n` more statements done.
    fn advance(&self, n: u64) {
        self.bar.inc(n);
        if let Some(c) = self.control {
            c.done.fetch_add(n, Ordering::Relaxed);
        }
    }

    /// Align this machine's batches (`mine`, in order) but those an earlier run of the same
    /// command finished: each batch is read, aligned and checked while the one before it is
    /// written. The batches' statistics, and how many were found finished.
    fn run(&self, mine: &[usize]) -> Result<(Vec<(usize, Stats)>, usize), RunError> {
        let appended = export::appended_files(&self.plan.langs, &self.opts.formats);
        let kept = manifest::resume(self.out, mine, &appended);
        let resumed = kept.len();
        let mut done: Vec<(usize, Stats)> = kept.into_iter().map(|r| (r.batch, r.stats)).collect();
        if let Some(c) = self.control {
            c.total
                .store(self.plan.statements_in(mine) as u64, Ordering::Relaxed);
        }
        self.advance(self.plan.statements_in(&mine[..resumed]) as u64);
        // A batch aligned and not yet written: it is written while the next one aligns.
        let mut pending: Option<(usize, Checked)> = None;
        let mut prefetch: Option<std::thread::JoinHandle<()>> = None;
        for (k, &b) in mine.iter().enumerate().skip(resumed) {
            if self.interrupted() {
                // The batch already aligned is kept: writing it takes moments.
                if let Some(p) = pending.take() {
                    self.write(p)?;
                }
                return Err(RunError::Interrupted);
            }
            // The next batch's files are read from disk while this one aligns, so the workers
            // find them in the page cache instead of waiting on the disk.
            if let Some(h) = prefetch.take() {
                let _ = h.join();
            }
            if let Some(&next) = mine.get(k + 1) {
                prefetch = Some(plan::prefetch(self.plan.batch(next)));
            }
            let (written, aligned) = rayon::join(
                || pending.take().map(|p| self.write(p)).transpose(),
                || self.align(self.plan.batch(b)),
            );
            done.extend(written?);
            pending = Some((b, aligned?));
        }
        if let Some(p) = pending {
            done.push(self.write(p)?);
        }
        done.sort_by_key(|(b, _)| *b);
        Ok((done, resumed))
    }

    /// Read, align and check one batch.
    fn align(&self, statements: &[plan::PlannedStatement]) -> Result<Checked, RunError> {
        let done: Vec<Option<Done>> = statements
            .par_iter()
            .map(|st| {
                if self.interrupted() {
                    return None;
                }
                let (docs, read) = plan::load(st, &self.opts.read_options(), self.mark, self.clock);
                let flagged = self.clock.time(Stage::LangCheck, || {
                    docs.values()
                        .flatten()
                        .filter_map(|d| {
                            let found = self.checker.mismatch(d.lang, &d.paragraphs)?;
                            // Aligned all the same (its beads are real), but reported.
                            Some(Flagged {
                                path: PathBuf::from(d.origin()),
                                folder: d.lang,
                                detected: found,
                            })
                        })
                        .collect()
                });
                let alignment = self
                    .clock
                    .time(Stage::Align, || self.model.align_doc(&features_of(&docs)));
                // At the sentence level, the paragraphs are as the sentences mend them.
                let (alignment, sentences) = match self.sentence_models {
                    None => (alignment, None),
                    Some(models) => self.clock.time(Stage::Align, || {
                        let split = learn::sentences_of(&docs, self.opts.sentences);
                        let (mended, level) = statement::sentence_level(
                            models,
                            &docs,
                            split,
                            &alignment,
                            self.opts.pivot,
                        );
                        (mended, Some(level))
                    }),
                };
                self.advance(1);
                let st = AlignedStatement {
                    name: st.name.clone(),
                    pairing_score: st.pairing_score,
                    docs,
                    alignment,
                    sentences,
                };
                Some((st, read, flagged))
            })
            .collect();
        if self.interrupted() || done.iter().any(|d| d.is_none()) {
            return Err(RunError::Interrupted);
        }
        let mut statements = Vec::new();
        let mut stats = Stats::default();
        for (st, read, flagged) in done.into_iter().flatten() {
            stats.skipped.extend(read.errors);
            stats.warnings.extend(read.warnings);
            stats.flagged_files.extend(flagged);
            if st.docs.values().any(|d| d.is_some()) {
                statements.push(st);
            }
        }
        let corpus = AlignedCorpus {
            name: self.corpus.to_string(),
            langs: self.plan.langs.clone(),
            pivot: self.opts.pivot,
            level: self.opts.level,
            statements,
        };
        let findings = self.opts.qa.then(|| {
            self.clock
                .time(Stage::Qa, || crate::qa::check_corpus(&corpus, self.model))
        });
        Ok(Checked {
            corpus,
            findings,
            read: stats,
        })
    }

    /// Write a batch's files, then its manifest record.
    fn write(&self, (batch, checked): (usize, Checked)) -> Result<(usize, Stats), RunError> {
        self.clock
            .time(Stage::Write, || self.write_files(batch, checked))
            .map(|stats| (batch, stats))
    }

    fn write_files(&self, batch: usize, checked: Checked) -> Result<Stats, RunError> {
        let Checked {
            corpus,
            findings,
            read,
        } = checked;
        let output = Output::new(self.out, batch);
        // A run killed mid-batch left temporary files where this batch writes.
        let names: Vec<&str> = corpus.statements.iter().map(|s| s.name.as_str()).collect();
        export::files::remove_stale_temporaries(self.out, &names);
        let batch_of = Batch {
            corpus: &corpus,
            findings: findings.as_deref(),
        };
        self.exporters
            .par_iter()
            .try_for_each(|e| e.write(&batch_of, &output))?;
        let stats = Stats {
            skipped: read.skipped,
            warnings: read.warnings,
            flagged_files: read.flagged_files,
            ..Stats::of(&corpus, findings.as_deref())
        };
        // Written last: the batch counts as done only once all its files are there.
        manifest::record(
            self.out,
            batch,
            &output.files(),
            &output.appended(),
            stats.clone(),
        )?;
        Ok(stats)
    }
}

/// "shard 2/4", or "the whole run".
fn shard_name(shard: Option<Shard>) -> String {
    match shard {
        Some(s) => format!("--shard {}/{}", s.k, s.n),
        None => "the whole run (no --shard)".into(),
    }
}

/// Why nothing could be read, for the error.
fn nothing_read(corpus: &corpus::Corpus, skipped: &[corpus::InputError]) -> String {
    let folders = corpus
        .langs
        .iter()
        .map(|l| format!("{l}/"))
        .collect::<Vec<_>>()
        .join(", ");
    if corpus.files.is_empty() && skipped.is_empty() {
        format!(
            "{}: no .txt, .html or .jsonl file in {folders}",
            corpus.root.display()
        )
    } else {
        format!("no document could be read{}", listed_skips(skipped))
    }
}

/// The first few skipped inputs, for an error that says why nothing was done.
fn listed_skips(skipped: &[corpus::InputError]) -> String {
    const SHOWN: usize = 5;
    let mut s: String = skipped
        .iter()
        .take(SHOWN)
        .map(|e| format!("\n  skipped {}", crate::text::printable(&e.to_string())))
        .collect();
    if skipped.len() > SHOWN {
        s.push_str(&format!("\n  and {} more skipped", skipped.len() - SHOWN));
    }
    s
}

/// Mark a document's page chrome, and take its date from its date line when it has no other.
fn mark_chrome(doc: &mut Document, chrome: &ChromeFilter) {
    doc.chrome = doc.paragraphs.iter().map(|p| chrome.is_chrome(p)).collect();
    if doc.meta.date.is_none() {
        doc.meta.date = doc.paragraphs.iter().take(3).find_map(|p| date_line(p));
    }
}

fn progress_bar(wanted: bool, total: u64) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("[{bar:30}] {pos}/{len} statements, {per_sec}, ETA {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}
