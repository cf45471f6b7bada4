//! Batch: run the stages over a corpus — read, check, learn, align, export — in parallel
//! with rayon, with a progress bar on a terminal, and account for everything skipped.

pub mod summary;

use crate::align::{CorpusModel, DocFeatures, cost::Params};
use crate::corpus::pairing::{self, PairBy};
use crate::corpus::{self, Document, InputError, ReadOutcome};
use crate::export::{self, AlignedCorpus, AlignedStatement, Exporter};
use crate::text::Lang;
use crate::text::chrome::{ChromeError, ChromeFilter, date_line};
use crate::text::langcheck::LangChecker;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;
use summary::{Flagged, Inputs, Summary};

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
    /// Run the QA checks and write qa.jsonl, qa.tsv and report.html.
    pub qa: bool,
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
            pair_by: PairBy::Auto,
            boilerplate: None,
            qa: false,
            threads: None,
            progress: true,
            max_file_bytes: corpus::DEFAULT_MAX_FILE_BYTES,
        }
    }
}

/// The outcome of a run that got as far as writing its outputs.
#[derive(Debug)]
pub struct RunReport {
    pub out: PathBuf,
    pub summary: Summary,
}

impl RunReport {
    /// Did the run leave anything out (files or records that could not be read)?
    pub fn skipped_anything(&self) -> bool {
        !self.summary.skipped.is_empty()
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
        Box::new(export::docpairs::DocPairs),
        Box::new(export::findings::QaJsonl),
        Box::new(export::findings::QaTsv),
        Box::new(export::report::Report),
    ]
}

/// Align a corpus folder and write every output. Input that cannot be read is reported in
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
    let chrome = match &opts.boilerplate {
        Some(path) => ChromeFilter::with_file(path)?,
        None => ChromeFilter::default(),
    };
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("alignments").join(&corpus.name));
    let bar = progress_bar(opts.progress, corpus.files.len() as u64);

    // Read every file and mark page chrome and date lines.
    bar.set_message("reading");
    let outcomes: Vec<ReadOutcome> = corpus
        .files
        .par_iter()
        .map(|f| {
            let mut outcome = corpus::read_file(f, opts.max_file_bytes);
            for doc in &mut outcome.docs {
                mark_chrome(doc, &chrome);
            }
            bar.inc(1);
            outcome
        })
        .collect();
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();
    for o in outcomes {
        docs.extend(o.docs);
        skipped.extend(o.errors);
        warnings.extend(o.warnings);
    }
    skipped.extend(drop_duplicates(&mut docs));
    let checker = LangChecker::default();
    let flagged_files: Vec<Flagged> = docs
        .par_iter()
        .filter_map(|d| {
            let found = checker.mismatch(d.lang, &d.paragraphs)?;
            // Aligned all the same (its beads are real), but reported.
            Some(Flagged {
                path: PathBuf::from(d.origin()),
                folder: d.lang,
                detected: found,
            })
        })
        .collect();

    // Pair the versions of each statement.
    bar.set_message("pairing");
    let paired = pairing::pair(&docs, opts.pivot, opts.pair_by);
    let mut slots: Vec<Option<Document>> = docs.into_iter().map(Some).collect();
    let mut names = std::collections::HashSet::new();
    let mut statements: Vec<(String, f64, [Option<Document>; 5])> = paired
        .into_iter()
        .map(|st| {
            let versions: [Option<Document>; 5] =
                std::array::from_fn(|i| st.versions[i].and_then(|k| slots[k].take()));
            let name = statement_name(&versions, opts.pivot, &mut names);
            (name, st.score, versions)
        })
        .collect();
    statements.sort_by(|a, b| a.0.cmp(&b.0));

    // Learn from the whole corpus, then align statement by statement.
    bar.set_message("learning");
    let features: Vec<DocFeatures> = statements
        .par_iter()
        .map(|(_, _, versions)| {
            DocFeatures::new(std::array::from_fn(|i| {
                versions[i]
                    .as_ref()
                    .map(|d| (d.paragraphs.as_slice(), d.chrome.as_slice()))
            }))
        })
        .collect();
    let model = CorpusModel::learn(&features, opts.pivot, Params::default());

    bar.set_message("aligning");
    bar.set_position(0);
    bar.set_length(features.len() as u64);
    let alignments: Vec<_> = features
        .par_iter()
        .map(|f| {
            let a = model.align_doc(f);
            bar.inc(1);
            a
        })
        .collect();

    let statements: Vec<AlignedStatement> = statements
        .into_iter()
        .zip(alignments)
        .map(
            |((name, pairing_score, docs), alignment)| AlignedStatement {
                name,
                pairing_score,
                docs,
                alignment,
            },
        )
        .collect();
    // The corpus's languages are those that have at least one version.
    let langs: Vec<Lang> = corpus
        .langs
        .iter()
        .copied()
        .filter(|l| statements.iter().any(|s| s.doc(*l).is_some()))
        .collect();
    let mut aligned = AlignedCorpus {
        name: corpus.name.clone(),
        langs,
        pivot: opts.pivot,
        statements,
        findings: None,
    };
    if opts.qa {
        bar.set_message("checking");
        aligned.findings = Some(crate::qa::check_corpus(&aligned, &model));
    }

    bar.set_message("writing");
    for e in exporters() {
        e.write(&aligned, &out)?;
    }
    bar.finish_and_clear();

    let summary = Summary::new(
        &aligned,
        &model,
        opts.pair_by,
        Inputs {
            skipped_folders: corpus.skipped_folders,
            skipped,
            warnings,
            flagged_files,
        },
        started.elapsed(),
    );
    // Written last: its presence says the outputs beside it are complete.
    summary.write(&out)?;
    Ok(RunReport { out, summary })
}

/// Mark a document's page chrome, and take its date from its date line when it has no other.
fn mark_chrome(doc: &mut Document, chrome: &ChromeFilter) {
    doc.chrome = doc.paragraphs.iter().map(|p| chrome.is_chrome(p)).collect();
    if doc.meta.date.is_none() {
        doc.meta.date = doc.paragraphs.iter().take(3).find_map(|p| date_line(p));
    }
}

/// Two documents with the same id in one language cannot both be a version of one
/// statement: the later is reported and left out.
fn drop_duplicates(docs: &mut Vec<Document>) -> Vec<InputError> {
    let mut first: std::collections::HashMap<(Lang, String), String> = Default::default();
    let mut errors = Vec::new();
    docs.retain(|d| match first.get(&(d.lang, d.id.clone())) {
        Some(earlier) => {
            errors.push(InputError {
                path: d.path.clone(),
                line: d.line,
                reason: format!("duplicate id {:?} in {} (first at {earlier})", d.id, d.lang),
            });
            false
        }
        None => {
            first.insert((d.lang, d.id.clone()), d.origin());
            true
        }
    });
    errors
}

/// A statement is named by its pivot version's id, or its first version's; the name is made
/// safe as a file name and unique.
fn statement_name(
    versions: &[Option<Document>; 5],
    pivot: Lang,
    taken: &mut std::collections::HashSet<String>,
) -> String {
    let doc = versions[pivot.index()]
        .as_ref()
        .or_else(|| versions.iter().flatten().next())
        .expect("a statement has a version");
    let mut base: String = doc
        .id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if base.trim_matches('.').is_empty() {
        base = format!("_{base}");
    }
    let mut name = base.clone();
    let mut k = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}~{k}");
        k += 1;
    }
    name
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
