//! Batch: run the stages over a corpus — read, check, learn, align, export — in parallel
//! with rayon, with a progress bar on a terminal, and account for everything skipped.

pub mod summary;

use crate::align::{CorpusModel, DocFeatures, cost::Params};
use crate::corpus::{self, Document, InputError};
use crate::export::{self, AlignedCorpus, AlignedStatement, Exporter};
use crate::text::Lang;
use crate::text::langcheck::LangChecker;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;
use summary::{Flagged, Summary};

/// What `paralign align` is asked to do.
#[derive(Clone, Debug)]
pub struct AlignOptions {
    pub corpus: PathBuf,
    /// Output folder; `alignments/<corpus name>` when None.
    pub out: Option<PathBuf>,
    pub langs: Vec<Lang>,
    pub pivot: Lang,
    /// Worker threads; all cores when None.
    pub threads: Option<usize>,
    /// Draw a progress bar (only ever on a terminal).
    pub progress: bool,
    pub max_file_bytes: u64,
}

impl AlignOptions {
    pub fn new(corpus: impl Into<PathBuf>) -> AlignOptions {
        AlignOptions {
            corpus: corpus.into(),
            out: None,
            langs: Lang::ALL.to_vec(),
            pivot: Lang::En,
            threads: None,
            progress: true,
            max_file_bytes: corpus::DEFAULT_MAX_FILE_BYTES,
        }
    }
}

/// The versions of one statement that could be read, the errors of those that could not,
/// and the versions whose language is not their folder's.
type ReadStatement = ([Option<Document>; 5], Vec<InputError>, Vec<Flagged>);

/// The outcome of a run that got as far as writing its outputs.
#[derive(Debug)]
pub struct RunReport {
    pub out: PathBuf,
    pub summary: Summary,
}

impl RunReport {
    /// Did the run leave anything out (files that could not be read)?
    pub fn skipped_anything(&self) -> bool {
        !self.summary.skipped_files.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Corpus(#[from] corpus::CorpusError),
    #[error(transparent)]
    Export(#[from] export::ExportError),
    #[error("cannot start {0} worker threads: {1}")]
    Threads(usize, rayon::ThreadPoolBuildError),
    #[error("the pivot language {0} is not among the chosen languages")]
    PivotNotChosen(Lang),
}

/// The formats written by every run.
fn exporters() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(export::ladder::Ladder),
        Box::new(export::jsonl::UnitsJsonl),
        Box::new(export::tmx::Tmx),
        Box::new(export::moses::Moses),
    ]
}

/// Align a corpus folder and write every output. Files that cannot be read are reported in
/// the summary and left out; the run goes on.
pub fn run_align(opts: &AlignOptions) -> Result<RunReport, RunError> {
    if !opts.langs.contains(&opts.pivot) {
        return Err(RunError::PivotNotChosen(opts.pivot));
    }
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        builder = builder.num_threads(n);
    }
    let pool = builder
        .build()
        .map_err(|e| RunError::Threads(opts.threads.unwrap_or(0), e))?;
    pool.install(|| run_in_pool(opts))
}

fn run_in_pool(opts: &AlignOptions) -> Result<RunReport, RunError> {
    let started = Instant::now();
    let corpus = corpus::discover(&opts.corpus, &opts.langs)?;
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("alignments").join(&corpus.name));
    let bar = progress_bar(opts.progress, corpus.statements.len() as u64);

    // Read and check every version.
    bar.set_message("reading");
    let checker = LangChecker::default();
    let read: Vec<ReadStatement> = corpus
        .statements
        .par_iter()
        .map(|st| {
            let mut docs: [Option<Document>; 5] = Default::default();
            let mut errors = Vec::new();
            let mut flagged = Vec::new();
            for l in &corpus.langs {
                let Some(path) = &st.files[l.index()] else {
                    continue;
                };
                match corpus::read_document(path, *l, opts.max_file_bytes) {
                    Ok(doc) => {
                        // Aligned all the same (its beads are real), but reported.
                        if let Some(found) = checker.mismatch(*l, &doc.paragraphs) {
                            flagged.push(Flagged {
                                path: path.clone(),
                                folder: *l,
                                detected: found,
                            });
                        }
                        docs[l.index()] = Some(doc);
                    }
                    Err(e) => errors.push(e),
                }
            }
            (docs, errors, flagged)
        })
        .collect();

    let mut skipped_files = Vec::new();
    let mut flagged_files = Vec::new();
    let mut versions = Vec::with_capacity(read.len());
    for (docs, errors, flagged) in read {
        skipped_files.extend(errors);
        flagged_files.extend(flagged);
        versions.push(docs);
    }

    // Learn from the whole corpus, then align statement by statement.
    bar.set_message("learning");
    let features: Vec<DocFeatures> = versions
        .par_iter()
        .map(|docs| {
            let texts: [Option<Vec<String>>; 5] =
                std::array::from_fn(|i| docs[i].as_ref().map(|d| d.paragraphs.clone()));
            DocFeatures::from_texts(&texts)
        })
        .collect();
    let model = CorpusModel::learn(&features, opts.pivot, Params::default());

    bar.set_message("aligning");
    let alignments: Vec<_> = features
        .par_iter()
        .map(|f| {
            let a = model.align_doc(f);
            bar.inc(1);
            a
        })
        .collect();

    let statements: Vec<AlignedStatement> = corpus
        .statements
        .iter()
        .zip(versions)
        .zip(alignments)
        .filter(|((_, docs), _)| docs.iter().any(|d| d.is_some()))
        .map(|((st, docs), alignment)| AlignedStatement {
            stem: st.stem.clone(),
            docs,
            alignment,
        })
        .collect();
    // The corpus's languages are those that have at least one version.
    let langs: Vec<Lang> = corpus
        .langs
        .iter()
        .copied()
        .filter(|l| statements.iter().any(|s| s.doc(*l).is_some()))
        .collect();
    let aligned = AlignedCorpus {
        name: corpus.name.clone(),
        langs,
        pivot: opts.pivot,
        statements,
    };

    bar.set_message("writing");
    for e in exporters() {
        e.write(&aligned, &out)?;
    }
    bar.finish_and_clear();

    let summary = Summary::new(
        &aligned,
        &model,
        corpus.skipped_folders,
        skipped_files,
        flagged_files,
        started.elapsed(),
    );
    // Written last: its presence says the outputs beside it are complete.
    summary.write(&out)?;
    Ok(RunReport { out, summary })
}

fn progress_bar(wanted: bool, total: u64) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:>9} [{bar:30}] {pos}/{len} documents, {per_sec}, ETA {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar
}
