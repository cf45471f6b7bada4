//! `paralign._paralign`: the Python package's native module over the paralign library.
//! Arguments are checked here, with the GIL held, into the library's types; the library
//! then runs with the GIL released, so that Python threads align in parallel; its answers
//! come back as the JSON records a run writes (units.jsonl, qa.jsonl, summary.json),
//! parsed by Python's `json`, so that users of the files and of the package see the same
//! fields.

use clap::ValueEnum;
use paralign::align::saved::ModelError;
use paralign::aligned::Level;
use paralign::batch::statement::{self, Models, StatementError, StatementOptions};
use paralign::batch::{AlignOptions, RunControl, RunError};
use paralign::text::sentences::SentenceMode;
use paralign::text::{ByLang, Lang, LineBreaks};
use pyo3::exceptions::{PyKeyboardInterrupt, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where an error is: a file and its line, or a version and its paragraph.
#[derive(Default)]
struct Place<'a> {
    path: Option<&'a Path>,
    line: Option<usize>,
    lang: Option<Lang>,
    paragraph: Option<usize>,
}

/// An exception of `paralign._errors` (defined in Python, so that `ArgumentError` can be
/// a `ValueError` too), carrying where the fault is.
fn error(py: Python<'_>, class: &str, message: impl Into<String>, at: Place) -> PyErr {
    let raised = || -> PyResult<PyErr> {
        let cls = py.import("paralign._errors")?.getattr(class)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("path", at.path.map(|p| p.display().to_string()))?;
        kwargs.set_item("line", at.line)?;
        kwargs.set_item("lang", at.lang.map(Lang::code))?;
        kwargs.set_item("paragraph", at.paragraph)?;
        Ok(PyErr::from_value(
            cls.call((message.into(),), Some(&kwargs))?,
        ))
    };
    raised().unwrap_or_else(|e| e)
}

fn argument_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    error(py, "ArgumentError", message, Place::default())
}

/// A panic of the library (a bug) as an exception, not the end of the interpreter.
fn panicked(py: Python<'_>, panic: Box<dyn std::any::Any + Send>) -> PyErr {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    error(
        py,
        "ParalignError",
        format!("internal error (a bug in paralign): {what}"),
        Place::default(),
    )
}

fn model_error(py: Python<'_>, e: &ModelError) -> PyErr {
    let path = match e {
        ModelError::Io { path, .. }
        | ModelError::Format { path, .. }
        | ModelError::Unusable { path, .. } => path,
    };
    let at = Place {
        path: Some(path),
        ..Place::default()
    };
    error(py, "ModelError", e.to_string(), at)
}

fn run_error(py: Python<'_>, e: RunError, corpus: &Path) -> PyErr {
    use paralign::corpus::CorpusError;
    use paralign::text::chrome::ChromeError;
    let message = e.to_string();
    fn at(path: &Path, line: Option<usize>) -> Place<'_> {
        Place {
            path: Some(path),
            line,
            ..Place::default()
        }
    }
    match &e {
        RunError::Corpus(CorpusError::Io { path, .. } | CorpusError::NoLanguages { path, .. }) => {
            error(py, "CorpusError", message, at(path, None))
        }
        RunError::NothingToAlign(_) => error(py, "CorpusError", message, at(corpus, None)),
        RunError::Export(x) => error(py, "OutputError", message, at(&x.path, None)),
        RunError::BadOutput { out, .. } | RunError::Busy(out) => {
            error(py, "OutputError", message, at(out, None))
        }
        RunError::Boilerplate(ChromeError::Io { path, .. }) => {
            error(py, "ArgumentError", message, at(path, None))
        }
        RunError::Boilerplate(ChromeError::Pattern { path, line, .. }) => {
            error(py, "ArgumentError", message, at(path, Some(*line)))
        }
        RunError::Model(m) => model_error(py, m),
        RunError::Threads(..) | RunError::PivotNotChosen(_) | RunError::BadOption(_) => {
            argument_error(py, message)
        }
        RunError::Interrupted => PyKeyboardInterrupt::new_err(message),
        RunError::Merge(_) => error(py, "ParalignError", message, Place::default()),
    }
}

fn lang(py: Python<'_>, code: &str) -> PyResult<Lang> {
    code.parse().map_err(|_| {
        argument_error(
            py,
            format!("unknown language code {code:?}: one of en, ru, de, es, fr"),
        )
    })
}

fn langs(py: Python<'_>, codes: Option<Vec<String>>) -> PyResult<Option<Vec<Lang>>> {
    codes
        .map(|c| c.iter().map(|c| lang(py, c)).collect())
        .transpose()
}

/// A value of one of the command line's enumerations, by the name it has there.
fn choice<T: ValueEnum>(py: Python<'_>, what: &str, value: &str) -> PyResult<T> {
    T::from_str(value, true).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        argument_error(py, format!("{what}={value:?}: one of {}", names.join(", ")))
    })
}

/// A version as given: its whole text, or its paragraphs.
enum Given {
    Text(String),
    Paragraphs(Vec<String>),
}

/// The versions of a statement: a mapping of language code to its paragraphs (a list or
/// tuple of str) or its text (a str). Copied out of Python objects, so that splitting and
/// aligning them can be done with the GIL released.
fn versions(py: Python<'_>, given: &Bound<'_, PyAny>) -> PyResult<ByLang<Option<Given>>> {
    let mapping = given.cast::<pyo3::types::PyMapping>().map_err(|_| {
        PyTypeError::new_err(format!(
            "versions: a mapping of language code to paragraphs, not {}",
            type_name(given)
        ))
    })?;
    let mut out: ByLang<Option<Given>> = ByLang::default();
    for item in mapping.items()?.iter() {
        let (key, value): (Bound<PyAny>, Bound<PyAny>) = item.extract()?;
        let code = key.cast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!(
                "versions: a language code is a str, not {}",
                type_name(&key)
            ))
        })?;
        let l = lang(py, &code.to_cow()?)?;
        if out[l].is_some() {
            return Err(argument_error(
                py,
                format!("versions: {l} given twice ({:?})", code.to_cow()?),
            ));
        }
        out[l] = Some(if let Ok(text) = value.cast::<PyString>() {
            Given::Text(text.to_cow()?.into_owned())
        } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
            let mut paragraphs = Vec::new();
            for (k, p) in value.try_iter()?.enumerate() {
                let p = p?;
                let text = p.cast::<PyString>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "versions[{:?}][{k}]: a paragraph is a str, not {}",
                        l.code(),
                        type_name(&p)
                    ))
                })?;
                paragraphs.push(text.to_cow()?.into_owned());
            }
            Given::Paragraphs(paragraphs)
        } else {
            return Err(PyTypeError::new_err(format!(
                "versions[{:?}]: a list of paragraphs (str) or a str, not {}",
                l.code(),
                type_name(&value)
            )));
        });
    }
    Ok(out)
}

/// The versions' paragraphs: a text split at blank lines as a .txt file is read.
fn paragraphs(
    given: ByLang<Option<Given>>,
    breaks: LineBreaks,
    max: usize,
) -> Result<ByLang<Option<Vec<String>>>, StatementError> {
    let (mut given, mut out) = (given, ByLang::default());
    for l in Lang::ALL {
        out[l] = match given[l].take() {
            None => None,
            Some(Given::Paragraphs(p)) => Some(p),
            Some(Given::Text(text)) => Some(
                paralign::text::split_paragraphs_at_most(&text, max, breaks).map_err(|e| {
                    StatementError::Version {
                        lang: l,
                        paragraph: None,
                        reason: e.to_string(),
                    }
                })?,
            ),
        };
    }
    Ok(out)
}

fn type_name(x: &Bound<'_, PyAny>) -> String {
    x.get_type()
        .name()
        .map_or_else(|_| "?".into(), |n| n.to_string())
}

fn statement_error(py: Python<'_>, e: StatementError) -> PyErr {
    match e {
        StatementError::Version {
            lang,
            paragraph,
            reason,
        } => {
            let at = Place {
                lang: Some(lang),
                paragraph,
                ..Place::default()
            };
            let message = format!("versions[{:?}]: {reason}", lang.code());
            error(py, "ArgumentError", message, at)
        }
        e @ StatementError::BadOption(_) => argument_error(py, e.to_string()),
        e @ StatementError::Model(_) => error(py, "ModelError", e.to_string(), Place::default()),
    }
}

/// JSON lines as one JSON array, parsed by Python's `json`.
fn json_lines(py: Python<'_>, lines: &[u8]) -> PyResult<Py<PyAny>> {
    let mut array = Vec::with_capacity(lines.len() + 2);
    array.push(b'[');
    for (k, line) in lines
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if k > 0 {
            array.push(b',');
        }
        array.extend_from_slice(line);
    }
    array.push(b']');
    json(py, &array)
}

fn json(py: Python<'_>, bytes: &[u8]) -> PyResult<Py<PyAny>> {
    // The library writes only valid UTF-8 JSON.
    let text = std::str::from_utf8(bytes).map_err(|e| argument_error(py, e.to_string()))?;
    Ok(py
        .import("json")?
        .getattr("loads")?
        .call1((text,))?
        .unbind())
}

/// What `align` and `qa` share: the statement aligned, the GIL released meanwhile.
#[allow(clippy::too_many_arguments)]
fn align_one(
    py: Python<'_>,
    given: &Bound<'_, PyAny>,
    level: &str,
    pivot: &str,
    model: Option<&Model>,
    langs_: Option<Vec<String>>,
    sentences: &str,
    chrome: bool,
    doc: String,
    qa: bool,
) -> PyResult<statement::AlignedOne> {
    let mut opts = StatementOptions::new(doc);
    opts.level = choice::<Level>(py, "level", level)?;
    opts.sentences = choice::<SentenceMode>(py, "sentences", sentences)?;
    opts.pivot = lang(py, pivot)?;
    opts.langs = langs(py, langs_)?;
    opts.chrome = chrome;
    opts.qa = qa;
    let breaks = match opts.sentences {
        SentenceMode::Lines => LineBreaks::Keep,
        SentenceMode::Split => LineBreaks::Fold,
    };
    let versions = versions(py, given)?;
    let models = model.map(|m| m.models.clone());
    let aligned = py.detach(|| {
        catch_unwind(AssertUnwindSafe(|| {
            let versions = paragraphs(versions, breaks, opts.max_paragraphs)?;
            statement::align_statement(versions, &opts, models.as_deref())
        }))
    });
    match aligned {
        Ok(Ok(a)) => Ok(a),
        Ok(Err(e)) => Err(statement_error(py, e)),
        Err(panic) => Err(panicked(py, panic)),
    }
}

/// Align the versions of one statement: its units, as units.jsonl's records.
#[pyfunction]
#[pyo3(signature = (versions, *, level="paragraph", pivot="en", model=None, langs=None, sentences="split", chrome=true, doc="statement".to_string()))]
#[allow(clippy::too_many_arguments)]
fn align(
    py: Python<'_>,
    versions: &Bound<'_, PyAny>,
    level: &str,
    pivot: &str,
    model: Option<PyRef<'_, Model>>,
    langs: Option<Vec<String>>,
    sentences: &str,
    chrome: bool,
    doc: String,
) -> PyResult<Py<PyAny>> {
    let aligned = align_one(
        py,
        versions,
        level,
        pivot,
        model.as_deref(),
        langs,
        sentences,
        chrome,
        doc,
        false,
    )?;
    let lines = py.detach(|| aligned.units_jsonl());
    json_lines(py, &lines)
}

/// The QA findings of one statement, as qa.jsonl's records.
#[pyfunction]
#[pyo3(signature = (versions, *, pivot="en", model=None, level="paragraph", langs=None, sentences="split", chrome=true, doc="statement".to_string()))]
#[allow(clippy::too_many_arguments)]
fn qa(
    py: Python<'_>,
    versions: &Bound<'_, PyAny>,
    pivot: &str,
    model: Option<PyRef<'_, Model>>,
    level: &str,
    langs: Option<Vec<String>>,
    sentences: &str,
    chrome: bool,
    doc: String,
) -> PyResult<Py<PyAny>> {
    let aligned = align_one(
        py,
        versions,
        level,
        pivot,
        model.as_deref(),
        langs,
        sentences,
        chrome,
        doc,
        true,
    )?;
    let lines = py.detach(|| aligned.findings_jsonl());
    json_lines(py, &lines)
}

/// A learned model: the paragraph level's length models and lexicons, and the sentence
/// models when learned at the sentence level — what `paralign learn` writes.
#[pyclass(frozen, module = "paralign")]
struct Model {
    models: Arc<Models>,
}

#[pymethods]
impl Model {
    /// Learn the models of a corpus folder, as `paralign learn CORPUS` does.
    #[staticmethod]
    #[pyo3(signature = (corpus_dir, *, level="paragraph", pivot="en", langs=None, sentences="split", sample=paralign::batch::DEFAULT_SAMPLE, pair_by="auto", boilerplate=None, jobs=None))]
    #[allow(clippy::too_many_arguments)]
    fn learn(
        py: Python<'_>,
        corpus_dir: PathBuf,
        level: &str,
        pivot: &str,
        langs: Option<Vec<String>>,
        sentences: &str,
        sample: usize,
        pair_by: &str,
        boilerplate: Option<PathBuf>,
        jobs: Option<usize>,
    ) -> PyResult<Model> {
        let mut opts = AlignOptions::new(&corpus_dir);
        opts.level = choice(py, "level", level)?;
        opts.pivot = lang(py, pivot)?;
        if let Some(l) = self::langs(py, langs)? {
            opts.langs = l;
        }
        opts.sentences = choice(py, "sentences", sentences)?;
        opts.sample = sample;
        opts.pair_by = pair_by
            .parse()
            .map_err(|e: String| argument_error(py, format!("pair_by={pair_by:?}: {e}")))?;
        opts.boilerplate = boilerplate;
        opts.threads = jobs;
        opts.progress = false;
        let learned =
            py.detach(|| catch_unwind(AssertUnwindSafe(|| paralign::batch::learn_models(&opts))));
        match learned {
            Ok(Ok((models, _))) => Ok(Model {
                models: Arc::new(models),
            }),
            Ok(Err(e)) => Err(run_error(py, e, &corpus_dir)),
            Err(panic) => Err(panicked(py, panic)),
        }
    }

    /// Read a model file (`paralign learn -o MODEL`, `align --save-model`).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Model> {
        match py.detach(|| Models::read(&path)) {
            Ok(models) => Ok(Model {
                models: Arc::new(models),
            }),
            Err(e) => Err(model_error(py, &e)),
        }
    }

    /// Write the model file, whole or not at all.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let models = self.models.clone();
        let written = py.detach(|| {
            let bytes = models.to_saved().to_bytes();
            paralign::export::files::write_atomic(&path, |w| w.write_all(&bytes))
        });
        written.map_err(|e| {
            let at = Place {
                path: Some(&e.path),
                ..Place::default()
            };
            error(py, "OutputError", e.to_string(), at)
        })
    }

    /// The pivot language the model was learned with.
    #[getter]
    fn pivot(&self) -> &'static str {
        self.models.paragraphs.pivot.code()
    }

    /// The languages it was learned for.
    #[getter]
    fn langs(&self) -> Vec<&'static str> {
        self.models.langs.iter().map(|l| l.code()).collect()
    }

    /// The levels it aligns: "paragraph", and "sentence" when it holds sentence models.
    #[getter]
    fn levels(&self) -> Vec<&'static str> {
        match self.models.sentences {
            Some(_) => vec!["paragraph", "sentence"],
            None => vec!["paragraph"],
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Model(pivot={:?}, langs={:?}, levels={:?})",
            self.pivot(),
            self.langs(),
            self.levels()
        )
    }
}

/// Align a corpus folder into `out_dir` as `paralign align` does: batches, resume, every
/// output; the summary (summary.json's fields, with `out` and `resumed`).
#[pyfunction]
#[pyo3(signature = (corpus_dir, out_dir, *, langs=None, pivot="en", level="paragraph", sentences="split", formats=None, qa=false, batch_size=paralign::batch::DEFAULT_BATCH_SIZE, sample=paralign::batch::DEFAULT_SAMPLE, jobs=None, model=None, relearn=false, save_model=None, pair_by="auto", boilerplate=None, shard=None, follow_links=false, progress=None))]
#[allow(clippy::too_many_arguments)]
fn align_corpus(
    py: Python<'_>,
    corpus_dir: PathBuf,
    out_dir: PathBuf,
    langs: Option<Vec<String>>,
    pivot: &str,
    level: &str,
    sentences: &str,
    formats: Option<Vec<String>>,
    qa: bool,
    batch_size: usize,
    sample: usize,
    jobs: Option<usize>,
    model: Option<&Bound<'_, PyAny>>,
    relearn: bool,
    save_model: Option<PathBuf>,
    pair_by: &str,
    boilerplate: Option<PathBuf>,
    shard: Option<String>,
    follow_links: bool,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let mut opts = AlignOptions::new(&corpus_dir);
    opts.out = Some(out_dir);
    if let Some(l) = self::langs(py, langs)? {
        opts.langs = l;
    }
    opts.pivot = lang(py, pivot)?;
    opts.level = choice(py, "level", level)?;
    opts.sentences = choice(py, "sentences", sentences)?;
    if let Some(f) = formats {
        opts.formats = f
            .iter()
            .map(|f| choice(py, "formats", f))
            .collect::<PyResult<_>>()?;
    }
    opts.qa = qa;
    opts.batch_size = batch_size;
    opts.sample = sample;
    opts.threads = jobs;
    // A Model object is handed to the run as the file it would be read from.
    let mut model_file = None;
    opts.model = match model {
        None => None,
        Some(m) => match m.cast::<Model>() {
            Ok(m) => {
                let file = tempfile::NamedTempFile::new().map_err(|e| {
                    error(
                        py,
                        "OutputError",
                        format!("a temporary model file: {e}"),
                        Place::default(),
                    )
                })?;
                m.get().save(py, file.path().to_path_buf())?;
                let path = file.path().to_path_buf();
                model_file = Some(file);
                Some(path)
            }
            Err(_) => Some(m.extract::<PathBuf>()?),
        },
    };
    opts.relearn = relearn;
    opts.save_model = save_model;
    opts.pair_by = pair_by
        .parse()
        .map_err(|e: String| argument_error(py, format!("pair_by={pair_by:?}: {e}")))?;
    opts.boilerplate = boilerplate;
    opts.shard = shard
        .map(|s| s.parse())
        .transpose()
        .map_err(|e: String| argument_error(py, format!("shard: {e}")))?;
    opts.follow_links = follow_links;
    opts.progress = false;
    let control = Arc::new(RunControl::default());
    opts.control = Some(control.clone());

    let outcome = run_watched(py, &opts, &control, progress.as_ref());
    drop(model_file);
    let report = match outcome? {
        Ok(report) => report,
        Err(e) => return Err(run_error(py, e, &corpus_dir)),
    };
    let summary = serde_json::to_vec(&report.summary)
        .map_err(|e| error(py, "ParalignError", e.to_string(), Place::default()))?;
    let summary = json(py, &summary)?;
    let dict = summary.bind(py).cast::<PyDict>()?;
    dict.set_item("out", report.out.display().to_string())?;
    dict.set_item("resumed", report.resumed)?;
    Ok(summary)
}

/// Run the corpus in a thread of its own while this one, the caller's, checks for Ctrl-C
/// and reports progress every tenth of a second: Python runs its signal handlers only in
/// the main thread, and only when asked. On Ctrl-C (or an exception from `progress`) the
/// run is cancelled — it stops between statements, finished batches kept — and the
/// exception raised once it has stopped, so that the same call resumes.
fn run_watched(
    py: Python<'_>,
    opts: &AlignOptions,
    control: &RunControl,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<Result<paralign::RunReport, RunError>> {
    const TICK: Duration = Duration::from_millis(100);
    std::thread::scope(|s| {
        let run = s.spawn(|| catch_unwind(AssertUnwindSafe(|| paralign::run_align(opts))));
        let mut reported = None;
        let mut raised: Option<PyErr> = None;
        loop {
            let finished = py.detach(|| {
                let start = Instant::now();
                while !run.is_finished() && start.elapsed() < TICK {
                    std::thread::sleep(Duration::from_millis(5));
                }
                run.is_finished()
            });
            if raised.is_none() {
                if let Err(e) = py.check_signals() {
                    control.cancel();
                    raised = Some(e);
                } else if let Some(callback) = progress {
                    let now = control.progress();
                    // Nothing to report until the corpus is planned.
                    if now.1 > 0 && reported != Some(now) {
                        reported = Some(now);
                        if let Err(e) = callback.call1(now) {
                            control.cancel();
                            raised = Some(e);
                        }
                    }
                }
            }
            if finished {
                break;
            }
        }
        // The run's own panics are caught inside it: join fails on none.
        let outcome = py.detach(|| run.join()).unwrap_or_else(Err);
        match (raised, outcome) {
            (Some(e), _) => Err(e),
            (None, Ok(report)) => Ok(report),
            (None, Err(panic)) => Err(panicked(py, panic)),
        }
    })
}

#[pymodule]
fn _paralign(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(align, m)?)?;
    m.add_function(wrap_pyfunction!(qa, m)?)?;
    m.add_function(wrap_pyfunction!(align_corpus, m)?)?;
    m.add_class::<Model>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
