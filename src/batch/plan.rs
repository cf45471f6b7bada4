//! The plan of a run: which statements there are, which batch each belongs to, which batches
//! this machine's shard takes, and which statements the model is learned from — all decided
//! from the file listing and stable hashes, so every machine of a sharded run agrees without
//! talking to the others.
//!
//! Plain-text and HTML versions are grouped by file stem without being read: they are read
//! in their batch, so memory is bounded by the batch. Documents that must be read to be
//! paired — JSON Lines records, and every document when pairing by content — are read here.

use super::stages::{Stage, StageClock};
use crate::corpus::pairing::{self, PairBy};
use crate::corpus::{self, Document, Format, InputError, InputFile, ReadOutcome};
use crate::text::{ByLang, Lang};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A version of a statement: a file to read in its batch, or a document already read.
#[derive(Debug, Clone)]
pub enum Source {
    File(InputFile),
    Loaded(Box<Document>),
}

impl Source {
    pub fn lang(&self) -> Lang {
        match self {
            Source::File(f) => f.lang,
            Source::Loaded(d) => d.lang,
        }
    }

    pub fn id(&self) -> String {
        match self {
            Source::File(f) => f
                .path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            Source::Loaded(d) => d.id.clone(),
        }
    }
}

/// One statement of the plan.
#[derive(Debug, Clone)]
pub struct PlannedStatement {
    pub name: String,
    pub pairing_score: f64,
    pub versions: ByLang<Option<Source>>,
}

/// A shard of a run: the K-th of N (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (k, n) = s.split_once('/').ok_or("expected K/N, e.g. 2/8")?;
        let k: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("bad shard number {k:?}"))?;
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("bad shard count {n:?}"))?;
        if n == 0 || k == 0 || k > n {
            return Err(format!("shard {k}/{n}: K must be between 1 and N"));
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    /// Does this shard take batch `b` (1-based)?
    pub fn takes(&self, batch: usize) -> bool {
        (batch - 1) % self.n == self.k - 1
    }
}

/// The hash of a statement's name that orders the plan: the same on every machine and in
/// every run.
pub fn stable_hash(name: &str) -> u64 {
    crate::hash::fnv1a(0, name.as_bytes())
}

/// The plan: statements in batch order (batch 1 first, each batch sorted by name).
#[derive(Debug)]
pub struct Plan {
    pub statements: Vec<PlannedStatement>,
    /// (first statement, end) of each batch, in `statements`.
    pub batches: Vec<std::ops::Range<usize>>,
    /// Statements the model is learned from, by index.
    pub sample: Vec<usize>,
    /// Languages with at least one version, in canonical order.
    pub langs: Vec<Lang>,
    /// What could not be read while planning (JSON Lines records, pages read to pair).
    pub skipped: Vec<InputError>,
    pub warnings: Vec<InputError>,
}

impl Plan {
    /// The statements of batch `b` (batches are numbered from 1, as in file names).
    pub fn batch(&self, b: usize) -> &[PlannedStatement] {
        &self.statements[self.batches[b - 1].clone()]
    }

    /// The batches `shard` takes (all when None), numbered from 1, in order.
    pub fn batches_of(&self, shard: Option<Shard>) -> Vec<usize> {
        (1..=self.batches.len())
            .filter(|&b| shard.is_none_or(|s| s.takes(b)))
            .collect()
    }

    /// How many statements batches `batches` hold.
    pub fn statements_in(&self, batches: &[usize]) -> usize {
        batches.iter().map(|&b| self.batch(b).len()).sum()
    }
}

/// Group the corpus's files into statements and cut them into batches of about
/// `--batch-size`. Statements are ordered by the stable hash of their names (a random but
/// fixed shuffle, so every batch is a fair sample of the corpus) and cut into batches; the
/// first `--sample` in that order teach the model.
pub fn plan(
    files: &[InputFile],
    opts: &super::AlignOptions,
    mark: &(dyn Fn(&mut Document) + Sync),
) -> Plan {
    let (sources, skipped, warnings) = sources(files, opts, mark);
    // Pair: by stem from the listing; by content over the documents read.
    let mut names = std::collections::HashSet::new();
    let statements: Vec<PlannedStatement> = group(sources, opts.pivot, opts.pair_by)
        .into_iter()
        .map(|(versions, pairing_score)| PlannedStatement {
            name: statement_name(&versions, opts.pivot, &mut names),
            pairing_score,
            versions,
        })
        .collect();
    let (statements, batches, sample) = cut(statements, opts.batch_size, opts.sample);
    let langs = Lang::ALL
        .into_iter()
        .filter(|l| statements.iter().any(|s| s.versions[l].is_some()))
        .collect();
    Plan {
        statements,
        batches,
        sample,
        langs,
        skipped,
        warnings,
    }
}

/// The versions of statements in `files`: files to read in their batch, and documents read
/// now — JSON Lines records, and the files that must be read to be paired (under `auto`,
/// those whose stem no other language has); with what could not be read, and warnings.
fn sources(
    files: &[InputFile],
    opts: &super::AlignOptions,
    mark: &(dyn Fn(&mut Document) + Sync),
) -> (Vec<Source>, Vec<InputError>, Vec<InputError>) {
    // Each stem's languages, a bit each.
    let mut stem_langs: rustc_hash::FxHashMap<&std::ffi::OsStr, u8> = Default::default();
    for f in files.iter().filter(|f| f.format != Format::Jsonl) {
        *stem_langs
            .entry(f.path.file_stem().unwrap_or_default())
            .or_default() |= f.lang.bit();
    }
    let alone = |f: &InputFile| {
        let stem = f.path.file_stem().unwrap_or_default();
        stem_langs
            .get(stem)
            .is_some_and(|langs| langs.count_ones() < 2)
    };
    let read_now = |f: &InputFile| {
        opts.pair_by == PairBy::Content
            || f.format == Format::Jsonl
            || (opts.pair_by == PairBy::Auto && alone(f))
    };
    let outcomes: Vec<ReadOutcome> = files
        .par_iter()
        .filter(|f| read_now(f))
        .map(|f| {
            let mut o = corpus::read_file(f, &opts.read_options());
            for d in &mut o.docs {
                mark(d);
            }
            o
        })
        .collect();
    let mut sources: Vec<Source> = Vec::new();
    let (mut skipped, mut warnings) = (Vec::new(), Vec::new());
    for o in outcomes {
        sources.extend(o.docs.into_iter().map(|d| Source::Loaded(Box::new(d))));
        skipped.extend(o.errors);
        warnings.extend(o.warnings);
    }
    let later = files.iter().filter(|f| !read_now(f)).cloned();
    sources.extend(later.map(Source::File));
    skipped.extend(drop_duplicates(&mut sources));
    (sources, skipped, warnings)
}

/// The statements in hash order, cut into batches of `batch_size` each sorted by name; and
/// the sample: the first `sample_size` in hash order, wherever sorting put them.
fn cut(
    mut statements: Vec<PlannedStatement>,
    batch_size: usize,
    sample_size: usize,
) -> (
    Vec<PlannedStatement>,
    Vec<std::ops::Range<usize>>,
    Vec<usize>,
) {
    statements.sort_by_cached_key(|s| (stable_hash(&s.name), s.name.clone()));
    let sample_names: std::collections::HashSet<String> = statements
        .iter()
        .take(sample_size)
        .map(|s| s.name.clone())
        .collect();
    let batch_size = batch_size.max(1);
    let mut batches = Vec::new();
    let mut start = 0;
    while start < statements.len() {
        let end = (start + batch_size).min(statements.len());
        // Each batch's outputs come sorted by statement name.
        statements[start..end].sort_by(|a, b| a.name.cmp(&b.name));
        batches.push(start..end);
        start = end;
    }
    let sample = (0..statements.len())
        .filter(|&i| sample_names.contains(&statements[i].name))
        .collect();
    (statements, batches, sample)
}

/// Group sources into statements: by id where ids match across languages (or always, for
/// `stem`), by content for the documents read, the rest alone.
fn group(sources: Vec<Source>, pivot: Lang, pair_by: PairBy) -> Vec<(ByLang<Option<Source>>, f64)> {
    let mut out = Vec::new();
    let mut for_content: Vec<Document> = Vec::new();
    if pair_by == PairBy::Content {
        for s in sources {
            match s {
                Source::Loaded(d) => for_content.push(*d),
                Source::File(_) => unreachable!("pairing by content reads every file"),
            }
        }
    } else {
        let mut by_id: BTreeMap<String, Vec<Source>> = BTreeMap::new();
        for s in sources {
            by_id.entry(s.id()).or_default().push(s);
        }
        for (_, group) in by_id {
            let langs = group
                .iter()
                .map(|s| s.lang())
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            let loaded = group.iter().all(|s| matches!(s, Source::Loaded(_)));
            if pair_by == PairBy::Auto && langs < 2 && loaded {
                for s in group {
                    if let Source::Loaded(d) = s {
                        for_content.push(*d);
                    }
                }
                continue;
            }
            let mut versions: ByLang<Option<Source>> = Default::default();
            for s in group {
                let l = s.lang();
                if versions[l].is_none() {
                    versions[l] = Some(s);
                }
            }
            out.push((versions, if langs >= 2 { 1.0 } else { 0.0 }));
        }
    }
    for st in pairing::pair(&for_content, pivot, PairBy::Content) {
        let versions = st
            .versions
            .map(|_, v| v.map(|k| Source::Loaded(Box::new(for_content[k].clone()))));
        out.push((versions, st.score));
    }
    out
}

/// Two versions with the same id in one language cannot both be a version of one statement:
/// the later is reported and left out.
fn drop_duplicates(sources: &mut Vec<Source>) -> Vec<InputError> {
    // The first source of each (language, id); where it is, is written out only for a
    // duplicate.
    let mut first: rustc_hash::FxHashMap<(Lang, String), usize> = Default::default();
    let firsts: Vec<usize> = sources
        .iter()
        .enumerate()
        .map(|(k, s)| *first.entry((s.lang(), s.id())).or_insert(k))
        .collect();
    let errors = firsts
        .iter()
        .enumerate()
        .filter(|&(k, &f)| f != k)
        .map(|(k, &f)| {
            let s = &sources[k];
            let (path, line) = match s {
                Source::File(f) => (f.path.clone(), None),
                Source::Loaded(d) => (d.path.clone(), d.line),
            };
            InputError {
                path,
                line,
                reason: format!(
                    "duplicate id {:?} in {} (first at {})",
                    s.id(),
                    s.lang(),
                    origin(&sources[f]).display()
                ),
            }
        })
        .collect();
    let mut k = 0;
    sources.retain(|_| {
        k += 1;
        firsts[k - 1] == k - 1
    });
    errors
}

/// The longest statement name, in bytes: a folder of that name, with a `~k` to tell it from
/// another, is a safe file name everywhere.
pub const MAX_NAME_BYTES: usize = 120;

/// A statement is named by its pivot version's id, or its first version's; the name is made
/// safe as a file name, short enough for one, and unique.
fn statement_name(
    versions: &ByLang<Option<Source>>,
    pivot: Lang,
    taken: &mut std::collections::HashSet<String>,
) -> String {
    let source = versions[pivot]
        .as_ref()
        .or_else(|| versions.values().flatten().next())
        .expect("a statement has a version");
    let mut base: String = source
        .id()
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
    // A file name has at most 255 bytes on most file systems, and ids may be URLs: a long
    // one is cut, and a hash of the whole id keeps it apart from others cut alike.
    if base.len() > MAX_NAME_BYTES {
        let mut cut = MAX_NAME_BYTES - 17;
        while !base.is_char_boundary(cut) {
            cut -= 1;
        }
        let hash = xxhash_rust::xxh3::xxh3_64(source.id().as_bytes());
        base = format!("{}~{hash:016x}", &base[..cut]);
    }
    let mut name = base.clone();
    let mut k = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}~{k}");
        k += 1;
    }
    name
}

/// Read a planned statement's versions.
pub fn load(
    st: &PlannedStatement,
    read: &corpus::ReadOptions,
    mark: &(dyn Fn(&mut Document) + Sync),
    clock: &StageClock,
) -> (ByLang<Option<Document>>, ReadOutcome) {
    let mut errors = ReadOutcome::default();
    let docs = st.versions.as_ref().map(|_, v| match v {
        None => None,
        Some(Source::Loaded(d)) => Some((**d).clone()),
        Some(Source::File(f)) => {
            let mut o = match clock.time(Stage::Read, || {
                corpus::read_bytes(f, read.limits.file_bytes)
            }) {
                Ok(bytes) => clock.time(Stage::Normalize, || corpus::parse(f, bytes, read)),
                Err(refused) => refused,
            };
            errors.errors.append(&mut o.errors);
            errors.warnings.append(&mut o.warnings);
            let mut doc = o.docs.into_iter().next()?;
            clock.time(Stage::Normalize, || mark(&mut doc));
            Some(doc)
        }
    });
    (docs, errors)
}

/// Ask for these statements' files to be read into the page cache, from a thread of its
/// own: a hint, not a read the run depends on (errors are left for the real read).
pub fn prefetch<'a>(
    statements: impl IntoIterator<Item = &'a PlannedStatement>,
) -> std::thread::JoinHandle<()> {
    let paths: Vec<PathBuf> = statements
        .into_iter()
        .flat_map(|st| st.versions.values().flatten())
        .filter_map(|v| match v {
            Source::File(f) => Some(f.path.clone()),
            Source::Loaded(_) => None,
        })
        .collect();
    std::thread::spawn(move || {
        for p in paths {
            if let Ok(f) = std::fs::File::open(&p) {
                will_need(f);
            }
        }
    })
}

/// Have the whole of `file` read into the page cache. On Linux the kernel is asked to read
/// it ahead and this returns at once: all of a batch's reads are then in flight together,
/// and a file already cached costs no copy. Elsewhere it is read and the bytes dropped.
fn will_need(file: std::fs::File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a plain system call on an open descriptor; it reads no memory of ours.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = std::io::copy(&mut &file, &mut std::io::sink());
}

/// The paths of a plan's statements, for reports.
pub fn origin(source: &Source) -> PathBuf {
    match source {
        Source::File(f) => f.path.clone(),
        Source::Loaded(d) => PathBuf::from(d.origin()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_batches_round_robin() {
        let s: Shard = "2/3".parse().unwrap();
        let taken: Vec<usize> = (1..=7).filter(|&b| s.takes(b)).collect();
        assert_eq!(taken, [2, 5]);
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn a_duplicate_id_is_dropped_and_reported_against_the_first() {
        let file = |lang, path: &str| {
            Source::File(InputFile {
                lang,
                path: PathBuf::from(path),
                format: Format::Text,
            })
        };
        let mut sources = vec![
            file(Lang::En, "a/en/x.txt"),
            file(Lang::De, "a/de/x.txt"),
            file(Lang::En, "b/en/x.html"),
            file(Lang::En, "a/en/y.txt"),
            file(Lang::En, "c/en/x.txt"),
        ];
        let errors = drop_duplicates(&mut sources);
        let kept: Vec<String> = sources
            .iter()
            .map(|s| origin(s).display().to_string())
            .collect();
        assert_eq!(kept, ["a/en/x.txt", "a/de/x.txt", "a/en/y.txt"]);
        let reported: Vec<(String, &str)> = errors
            .iter()
            .map(|e| (e.path.display().to_string(), e.reason.as_str()))
            .collect();
        assert_eq!(
            reported,
            [
                (
                    "b/en/x.html".to_string(),
                    "duplicate id \"x\" in en (first at a/en/x.txt)"
                ),
                (
                    "c/en/x.txt".to_string(),
                    "duplicate id \"x\" in en (first at a/en/x.txt)"
                ),
            ]
        );
    }
}
