//! Property tests of the alignment invariants: whatever the paragraphs, every paragraph of
//! every version appears in exactly one bead of each pair, beads are monotone and cover
//! consecutive paragraphs, and units partition all paragraphs.

use paralign::align::dp::{self, Bead};
use paralign::align::sentence::{SentenceAlignment, SentenceModels, Sentences, StatementSentences};
use paralign::align::{CorpusModel, DocAlignment, DocFeatures, Unit, cost::Params};
use paralign::text::sentences::SentenceMode;
use paralign::text::{ByLang, Lang};
use proptest::prelude::*;

/// Check a ladder over n × m paragraphs: monotone, contiguous, each paragraph once.
/// Units cover items 0..n of language `l` in order, each once.
fn check_partition(units: &[Unit], l: Lang, n: usize) -> Result<(), TestCaseError> {
    let mut next = 0;
    for r in units.iter().map(|u| &u.paras[l]).filter(|r| !r.is_empty()) {
        prop_assert_eq!(r.start, next);
        next = r.end;
    }
    prop_assert_eq!(next, n);
    Ok(())
}

fn check_ladder(beads: &[Bead], n: usize, m: usize) -> Result<(), TestCaseError> {
    let (mut next_a, mut next_b) = (0, 0);
    for b in beads {
        prop_assert!(!(b.a.is_empty() && b.b.is_empty()), "empty bead");
        if !b.a.is_empty() {
            prop_assert_eq!(
                b.a.start,
                next_a,
                "side a not monotone/contiguous: {:?}",
                beads
            );
            next_a = b.a.end;
        }
        if !b.b.is_empty() {
            prop_assert_eq!(
                b.b.start,
                next_b,
                "side b not monotone/contiguous: {:?}",
                beads
            );
            next_b = b.b.end;
        }
    }
    prop_assert_eq!(next_a, n, "side a not fully covered");
    prop_assert_eq!(next_b, m, "side b not fully covered");
    Ok(())
}

const WORDS: &[&str] = &[
    "minister",
    "talks",
    "2026",
    "1,500",
    "agreement",
    "Moscow",
    "UN",
    "«quote»",
    "?",
    "Министр",
    "переговоры",
    "ООН",
    "Abkommen",
    "acuerdo",
    "accord",
    "Oslo",
    "20,5",
    "the",
    "und",
    "de",
    "и",
];

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..25).prop_map(|w| w.join(" "))
}

fn version() -> impl Strategy<Value = Option<Vec<String>>> {
    prop::option::weighted(0.85, prop::collection::vec(paragraph(), 0..30))
}

/// Arbitrary bead costs: the DP's invariants must hold whatever the cost model says.
fn arbitrary_cost(seed: u64, i: usize, j: usize, di: usize, dj: usize) -> f64 {
    let h = (i as u64 * 31 + j as u64 * 17 + di as u64 * 7 + dj as u64)
        .wrapping_mul(seed | 1)
        .rotate_left(17);
    // Whole numbers: sums are exact, so the pruned search can be compared exactly.
    (h % 1000) as f64
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn band_search_covers_everything_monotonically(
        n in 0usize..60,
        m in 0usize..60,
        seed in any::<u64>(),
    ) {
        let path = dp::best_path(n, m, |i, j, di, dj, _| arbitrary_cost(seed, i, j, di, dj));
        let beads: Vec<_> = path.iter().map(|(b, _)| b.clone()).collect();
        check_ladder(&beads, n, m)?;
        // Each bead comes with its own cost.
        for (b, c) in &path {
            prop_assert_eq!(*c, arbitrary_cost(seed, b.a.end, b.b.end, b.a.len(), b.b.len()));
        }
        // A cost function that gives up on beads over their budget finds the same path.
        let pruned = dp::best_path(n, m, |i, j, di, dj, budget| {
            let c = arbitrary_cost(seed, i, j, di, dj);
            if c >= budget { f64::INFINITY } else { c }
        });
        prop_assert_eq!(pruned, path);
    }

    #[test]
    fn page_chrome_is_never_in_a_bead_with_text(
        versions in prop::collection::vec(version(), 5),
        flags in prop::collection::vec(any::<bool>(), 150),
    ) {
        let texts: ByLang<Option<Vec<String>>> = ByLang::from_fn(|l| versions[l.index()].clone());
        let chrome: ByLang<Vec<bool>> = ByLang::from_fn(|l| {
            let n = texts[l].as_ref().map_or(0, |t| t.len());
            (0..n).map(|k| flags[l.index() * 30 + k]).collect()
        });
        let doc = DocFeatures::new(ByLang::from_fn(|l| {
            texts[l].as_ref().map(|t| (t.as_slice(), chrome[l].as_slice()))
        }));
        let model = CorpusModel::learn(std::slice::from_ref(&doc), Lang::En, Params::default());
        let aligned = model.align_doc(&doc);
        for p in &aligned.pairs {
            for b in &p.beads {
                let ca = b.a.clone().filter(|&k| chrome[p.x][k]).count();
                let cb = b.b.clone().filter(|&k| chrome[p.y][k]).count();
                // Chrome stands alone, or 1-1 with chrome of the other side.
                let alone = b.a.len() + b.b.len() == 1;
                prop_assert!(
                    ca + cb == 0 || alone || (ca, cb, b.a.len(), b.b.len()) == (1, 1, 1, 1),
                    "{}-{} bead {:?} mixes chrome and text", p.x, p.y, b
                );
            }
        }
    }

    #[test]
    fn every_pair_covers_each_paragraph_once(
        versions in prop::collection::vec(version(), 5),
    ) {
        let texts: ByLang<Option<Vec<String>>> = ByLang::from_fn(|l| versions[l.index()].clone());
        let doc = DocFeatures::from_texts(&texts);
        let model = CorpusModel::learn(std::slice::from_ref(&doc), Lang::En, Params::default());
        let aligned = model.align_doc(&doc);
        let present: Vec<Lang> = texts.langs().collect();
        let count = |l: Lang| texts[l].as_ref().unwrap().len();
        prop_assert_eq!(aligned.pairs.len(), present.len() * present.len().saturating_sub(1) / 2);
        for p in &aligned.pairs {
            check_ladder(&p.beads, count(p.x), count(p.y))?;
            prop_assert_eq!(p.beads.len(), p.confidence.len());
        }
        // Units partition every present version's paragraphs, in order.
        for &l in &present {
            check_partition(&aligned.units, l, count(l))?;
        }
        for u in &aligned.units {
            prop_assert!((0.0..=1.0).contains(&u.confidence));
            // Every pair bead lies inside one unit.
        }
        for p in &aligned.pairs {
            let (x, y) = (&p.x, &p.y);
            for b in &p.beads {
                let inside = aligned.units.iter().any(|u| {
                    let (ux, uy) = (&u.paras[*x], &u.paras[*y]);
                    (b.a.is_empty() || (ux.start <= b.a.start && b.a.end <= ux.end))
                        && (b.b.is_empty() || (uy.start <= b.b.start && b.b.end <= uy.end))
                        && (!b.a.is_empty() || !b.b.is_empty())
                });
                prop_assert!(inside, "bead {:?} of {}-{} crosses units", b, x, y);
            }
        }
    }

    #[test]
    fn every_pair_covers_each_sentence_once_inside_its_paragraph_units(
        versions in prop::collection::vec(prop::option::weighted(0.85, prop::collection::vec(sentences(), 0..12)), 5),
    ) {
        let texts: ByLang<Option<Vec<String>>> = ByLang::from_fn(|l| versions[l.index()].clone());
        let no_chrome = texts.as_ref().map(|_, t| t.as_ref().map(|_| Vec::new()));
        let (split, paragraphs, aligned) = align_sentences(&texts, &no_chrome);
        let present: Vec<Lang> = texts.langs().collect();
        let count = |l: Lang| split[l].as_ref().unwrap().len();
        prop_assert_eq!(aligned.alignment.pairs.len(), present.len() * present.len().saturating_sub(1) / 2);
        for p in &aligned.alignment.pairs {
            check_ladder(&p.beads, count(p.x), count(p.y))?;
        }
        // Units partition every version's sentences, in order, each in a paragraph unit.
        prop_assert_eq!(aligned.paragraph_unit.len(), aligned.alignment.units.len());
        for &l in &present {
            check_partition(&aligned.alignment.units, l, count(l))?;
        }
        // A sentence unit lies inside the paragraph units it is aligned in: its own, or the
        // run of units joined with it where the paragraph level was not 1-1 everywhere.
        let simple: Vec<bool> = paragraphs.units.iter()
            .map(|u| present.iter().all(|&l| u.paras[l].len() == 1))
            .collect();
        let joined = |k: usize| !simple[k] || (k > 0 && !simple[k - 1]) || simple.get(k + 1) == Some(&false);
        let unit_of = |l: Lang, sentence: usize| {
            let para = split[l].as_ref().unwrap().paragraph_of[sentence];
            paragraphs.units.iter().position(|u| u.paras[l].contains(&para)).unwrap()
        };
        for u in &aligned.alignment.units {
            let units: Vec<usize> = u.paras.iter().flat_map(|(l, r)| r.clone().map(move |k| unit_of(l, k))).collect();
            let (lo, hi) = (*units.iter().min().unwrap(), *units.iter().max().unwrap());
            prop_assert!(
                lo == hi || (lo..=hi).all(joined),
                "sentence unit {:?} spans paragraph units {}..={} that are not joined", u, lo, hi
            );
        }
        // The paragraphs as the sentences mend them: every pair covers each paragraph once,
        // units partition the paragraphs in order, and each sentence unit lies inside the
        // mended paragraph unit it names.
        let mended = &aligned.paragraphs;
        let paras = |l: Lang| texts[l].as_ref().unwrap().len();
        prop_assert_eq!(mended.pairs.len(), aligned.alignment.pairs.len());
        for p in &mended.pairs {
            check_ladder(&p.beads, paras(p.x), paras(p.y))?;
            prop_assert_eq!(p.beads.len(), p.confidence.len());
        }
        for &l in &present {
            check_partition(&mended.units, l, paras(l))?;
        }
        for (u, &k) in aligned.alignment.units.iter().zip(&aligned.paragraph_unit) {
            for (l, r) in u.paras.iter().filter(|(_, r)| !r.is_empty()) {
                let s = split[l].as_ref().unwrap();
                for sentence in r.clone() {
                    prop_assert!(
                        mended.units[k].paras[l].contains(&s.paragraph_of[sentence]),
                        "sentence unit {:?} is not inside mended paragraph unit {}", u, k
                    );
                }
            }
        }
    }
    #[test]
    fn sentences_of_page_chrome_share_a_bead_with_no_text(
        versions in prop::collection::vec(
            prop::option::weighted(0.85, prop::collection::vec((sentences(), prop::bool::weighted(0.25)), 0..10)),
            5,
        ),
    ) {
        let texts: ByLang<Option<Vec<String>>> = ByLang::from_fn(|l| {
            versions[l.index()].as_ref().map(|v| v.iter().map(|(t, _)| t.clone()).collect())
        });
        let chrome: ByLang<Option<Vec<bool>>> = ByLang::from_fn(|l| {
            versions[l.index()].as_ref().map(|v| v.iter().map(|(_, c)| *c).collect())
        });
        let (split, _, aligned) = align_sentences(&texts, &chrome);
        let is_chrome = |l: Lang, k: usize| {
            let s = split[l].as_ref().unwrap();
            chrome[l].as_ref().unwrap()[s.paragraph_of[k]]
        };
        for p in &aligned.alignment.pairs {
            check_ladder(&p.beads, split[p.x].as_ref().unwrap().len(), split[p.y].as_ref().unwrap().len())?;
            for b in &p.beads {
                let ca = b.a.clone().filter(|&k| is_chrome(p.x, k)).count();
                let cb = b.b.clone().filter(|&k| is_chrome(p.y, k)).count();
                let alone = b.a.len() + b.b.len() == 1;
                prop_assert!(
                    ca + cb == 0 || alone || (ca, cb, b.a.len(), b.b.len()) == (1, 1, 1, 1),
                    "{}-{} bead {:?} holds chrome with text", p.x, p.y, b
                );
            }
        }
    }
}

/// A statement's versions `texts` (their paragraphs `chrome` marked page chrome, none where
/// a list is empty) aligned at the sentence level as a run aligns them, with models learned
/// from the statement: the versions cut into sentences, the paragraph alignment, and the
/// sentence alignment.
fn align_sentences(
    texts: &ByLang<Option<Vec<String>>>,
    chrome: &ByLang<Option<Vec<bool>>>,
) -> (ByLang<Option<Sentences>>, DocAlignment, SentenceAlignment) {
    let doc = DocFeatures::new(ByLang::from_fn(|l| {
        Some((
            texts[l].as_ref()?.as_slice(),
            chrome[l].as_ref()?.as_slice(),
        ))
    }));
    let model = CorpusModel::learn(std::slice::from_ref(&doc), Lang::En, Params::default());
    let paragraphs = model.align_doc(&doc);
    let split: ByLang<Option<Sentences>> = ByLang::from_fn(|l| {
        let (t, c) = (texts[l].as_ref()?, chrome[l].as_ref()?);
        Some(Sentences::split(t, l, SentenceMode::Split).with_chrome(c))
    });
    let st = StatementSentences {
        sentences: &split,
        paragraphs: &paragraphs,
    };
    let models = SentenceModels::learn(std::slice::from_ref(&st), None);
    let aligned = models.align_statement(&st, Lang::En);
    (split, paragraphs, aligned)
}

fn sentences() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::collection::vec(prop::sample::select(WORDS), 1..12).prop_map(|w| {
            let mut s = w.join(" ");
            s.push('.');
            let mut c = s.chars();
            c.next()
                .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        }),
        1..5,
    )
    .prop_map(|s| s.join(" "))
}
