//! The statistics of a batch, or of several added up: kept in each batch's manifest record,
//! so that a resumed or merged run sums the same numbers.

use crate::aligned::AlignedCorpus;
use crate::corpus::InputError;
use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A document whose text is not in its folder's language. It is aligned all the same — its
/// paragraphs still have counterparts — but reported, so nobody takes it for a translation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flagged {
    pub path: PathBuf,
    pub folder: Lang,
    pub detected: Lang,
}

/// How the versions were paired.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PairingCounts {
    /// Statements with at least two versions.
    pub statements: usize,
    /// Of those, paired by matching stems (score 1) and by content.
    pub by_stem: usize,
    pub by_content: usize,
    /// Documents left without any counterpart.
    pub unpaired: usize,
}

/// The statistics of a batch, or of several added up.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Statements (one or more language versions each).
    pub documents: usize,
    pub pairing: PairingCounts,
    pub paragraphs: BTreeMap<Lang, usize>,
    /// Paragraphs recognised as page chrome, per language: in the ladders, not the corpora.
    pub chrome_paragraphs: BTreeMap<Lang, usize>,
    pub versions: BTreeMap<Lang, usize>,
    /// Bead shapes over all pairs, e.g. "1-1", "2-1".
    pub beads: BTreeMap<String, usize>,
    pub units: usize,
    pub findings: usize,
    /// Files and records left out, each with the reason.
    pub skipped: Vec<InputError>,
    /// Input read all the same: recovered markup.
    pub warnings: Vec<InputError>,
    pub flagged_files: Vec<Flagged>,
}

impl Stats {
    /// Count an aligned batch.
    pub fn of(corpus: &AlignedCorpus, findings: Option<&[crate::qa::Finding]>) -> Stats {
        let mut s = Stats {
            documents: corpus.statements.len(),
            findings: findings.map_or(0, |f| f.len()),
            ..Default::default()
        };
        let mut shapes: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for st in &corpus.statements {
            let langs: Vec<Lang> = st.langs().collect();
            for &l in &langs {
                let doc = st.doc(l).expect("present");
                *s.paragraphs.entry(l).or_default() += doc.paragraphs.len();
                *s.chrome_paragraphs.entry(l).or_default() +=
                    doc.chrome.iter().filter(|&&c| c).count();
                *s.versions.entry(l).or_default() += 1;
            }
            if langs.len() >= 2 {
                s.pairing.statements += 1;
                if st.pairing_score >= 1.0 {
                    s.pairing.by_stem += 1;
                } else {
                    s.pairing.by_content += 1;
                }
            } else {
                s.pairing.unpaired += 1;
            }
            for pair in &st.alignment.pairs {
                for b in &pair.beads {
                    *shapes.entry(b.shape()).or_default() += 1;
                }
            }
            s.units += st.alignment.units.len();
        }
        // Named once per shape, not per bead: a batch has a hundred thousand beads.
        s.beads = shapes
            .into_iter()
            .map(|((a, b), n)| (format!("{a}-{b}"), n))
            .collect();
        s
    }

    pub fn add(&mut self, other: &Stats) {
        fn sum<K: Ord + Clone>(a: &mut BTreeMap<K, usize>, b: &BTreeMap<K, usize>) {
            for (k, v) in b {
                *a.entry(k.clone()).or_default() += v;
            }
        }
        self.documents += other.documents;
        self.pairing.statements += other.pairing.statements;
        self.pairing.by_stem += other.pairing.by_stem;
        self.pairing.by_content += other.pairing.by_content;
        self.pairing.unpaired += other.pairing.unpaired;
        sum(&mut self.paragraphs, &other.paragraphs);
        sum(&mut self.chrome_paragraphs, &other.chrome_paragraphs);
        sum(&mut self.versions, &other.versions);
        sum(&mut self.beads, &other.beads);
        self.units += other.units;
        self.findings += other.findings;
        self.skipped.extend(other.skipped.iter().cloned());
        self.warnings.extend(other.warnings.iter().cloned());
        self.flagged_files
            .extend(other.flagged_files.iter().cloned());
    }
}
