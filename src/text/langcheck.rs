//! Is a document written in the language of its folder? Function words confirm the
//! expected language in the common case at almost no cost; otherwise whatlang, restricted
//! to the five languages, decides on the document's text as a whole.

use super::{ByLang, Lang};
use whatlang::Detector;

/// How much text is enough to tell the five languages apart; reading more only costs time.
const SAMPLE_BYTES: usize = 1_000;

pub struct LangChecker {
    detector: Detector,
}

impl Default for LangChecker {
    fn default() -> Self {
        let allow = Lang::ALL.iter().map(|l| l.whatlang()).collect();
        LangChecker {
            detector: Detector::with_allowlist(allow),
        }
    }
}

impl LangChecker {
    /// The language detected for these paragraphs, when whatlang is confident.
    pub fn detect(&self, paragraphs: &[String]) -> Option<Lang> {
        self.detect_sample(&sample(paragraphs))
    }

    fn detect_sample(&self, sample: &str) -> Option<Lang> {
        let info = self.detector.detect(sample)?;
        if !info.is_reliable() && info.confidence() < 0.5 {
            return None;
        }
        Lang::from_whatlang(info.lang())
    }

    /// The most likely of the five languages for any text, and whether whatlang deems the
    /// guess reliable.
    pub fn detect_any(&self, text: &str) -> Option<(Lang, bool)> {
        let info = self.detector.detect(text)?;
        Some((Lang::from_whatlang(info.lang())?, info.is_reliable()))
    }

    /// The detected language when it is confidently *not* `expected`.
    pub fn mismatch(&self, expected: Lang, paragraphs: &[String]) -> Option<Lang> {
        let sample = sample(paragraphs);
        if function_words_confirm(&sample, expected) {
            return None;
        }
        self.detect_sample(&sample).filter(|&d| d != expected)
    }
}

/// The longest paragraphs, in text order, up to SAMPLE_BYTES: body text, not a menu in
/// another language.
fn sample(paragraphs: &[String]) -> String {
    let mut by_length: Vec<usize> = (0..paragraphs.len()).collect();
    by_length.sort_by_key(|&k| std::cmp::Reverse(paragraphs[k].len()));
    let mut taken = Vec::new();
    let mut bytes = 0;
    for k in by_length {
        if bytes >= SAMPLE_BYTES {
            break;
        }
        bytes += paragraphs[k].len();
        taken.push(k);
    }
    taken.sort_unstable();
    let mut sample = String::new();
    for k in taken {
        sample.push_str(&paragraphs[k]);
        sample.push('\n');
    }
    sample
}

/// Frequent function words of each language, none in two lists: in running text a good
/// share of the words are these, and they say which language it is.
const FUNCTION_WORDS: ByLang<&[&str]> = ByLang::new([
    // en
    &[
        "the", "of", "and", "to", "is", "that", "for", "on", "with", "as", "by", "it", "be", "are",
        "this", "from", "at", "which", "has", "have", "will", "not", "or", "were", "their", "its",
        "been", "would", "they", "he", "said", "we",
    ],
    // ru
    &[
        "и",
        "в",
        "не",
        "на",
        "что",
        "с",
        "по",
        "к",
        "за",
        "из",
        "о",
        "от",
        "для",
        "это",
        "как",
        "а",
        "то",
        "все",
        "он",
        "его",
        "но",
        "до",
        "так",
        "же",
        "при",
        "был",
        "она",
        "их",
        "также",
        "после",
        "было",
        "только",
        "уже",
        "который",
        "года",
    ],
    // de
    &[
        "der", "die", "und", "das", "den", "von", "zu", "mit", "sich", "auf", "für", "ist", "im",
        "dem", "nicht", "ein", "eine", "als", "auch", "werden", "aus", "er", "hat", "dass", "sie",
        "nach", "wird", "bei", "einer", "um", "am", "sind", "noch", "wie", "einem", "über",
        "einen", "zum", "haben", "oder", "aber", "zur",
    ],
    // es
    &[
        "el", "y", "los", "del", "las", "por", "un", "para", "con", "una", "su", "al", "lo",
        "como", "más", "pero", "sus", "ya", "este", "porque", "esta", "entre", "cuando", "muy",
        "sin", "sobre", "también", "fue", "ha", "han", "hay", "está",
    ],
    // fr
    &[
        "le", "et", "les", "du", "une", "est", "pour", "dans", "qui", "pas", "au", "sur", "plus",
        "ne", "ce", "il", "avec", "sont", "aux", "ont", "cette", "été", "elle", "nous", "mais",
        "ou", "leur", "être", "était", "ces",
    ],
]);

/// Do the function words of `sample` say, beyond doubt, that it is in `expected`? One word
/// in ten or more is one of its, and three times as many as of any other language's. When they do
/// not, the full detector decides.
fn function_words_confirm(sample: &str, expected: Lang) -> bool {
    static LOOKUP: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, Lang>> =
        std::sync::OnceLock::new();
    let lookup = LOOKUP.get_or_init(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for (l, list) in FUNCTION_WORDS.iter() {
            for &w in *list {
                m.insert(w, l);
            }
        }
        m
    });
    // Lowercasing never makes a word fewer characters: a word longer than every function
    // word is none, and need not be lowercased to tell.
    static LONGEST: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let longest = *LONGEST.get_or_init(|| {
        FUNCTION_WORDS
            .values()
            .flat_map(|list| list.iter())
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    });
    let mut counts: ByLang<usize> = ByLang::default();
    let mut words = 0usize;
    let mut lower = String::new();
    for word in sample
        .split(|c: char| !super::is_letter(c))
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if word.len() > longest && word.chars().count() > longest {
            continue;
        }
        let key = if word
            .bytes()
            .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
        {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            lower.as_str()
        } else {
            word
        };
        if let Some(&l) = lookup.get(key) {
            counts[l] += 1;
        }
    }
    let own = counts[expected];
    let others = counts
        .iter()
        .filter(|&(l, _)| l != expected)
        .map(|(_, &n)| n)
        .max()
        .unwrap_or(0);
    own >= 10 && own * 10 >= words && own >= 3 * others
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_five_apart() {
        let c = LangChecker::default();
        let samples = [
            (
                Lang::En,
                "The ministers discussed the situation in the region and agreed to continue consultations.",
            ),
            (
                Lang::Ru,
                "Министры обсудили ситуацию в регионе и договорились продолжить консультации.",
            ),
            (
                Lang::De,
                "Die Minister erörterten die Lage in der Region und vereinbarten, die Konsultationen fortzusetzen.",
            ),
            (
                Lang::Es,
                "Los ministros examinaron la situación en la región y acordaron continuar las consultas.",
            ),
            (
                Lang::Fr,
                "Les ministres ont examiné la situation dans la région et sont convenus de poursuivre les consultations.",
            ),
        ];
        for (lang, text) in samples {
            assert_eq!(c.detect(&[text.to_string()]), Some(lang), "{text}");
            assert_eq!(c.mismatch(lang, &[text.to_string()]), None);
        }
        assert_eq!(
            c.mismatch(Lang::De, &[samples[0].1.to_string()]),
            Some(Lang::En)
        );
    }

    #[test]
    fn function_words_confirm_only_their_language() {
        let en = "The minister said that the talks on the future of the region will continue \
                  in the spring, and that the government has not yet decided which of the \
                  proposals it will support at the meeting with the representatives of the \
                  European Union.";
        let de = "Der Minister sagte, dass die Gespräche über die Zukunft der Region im \
                  Frühjahr fortgesetzt werden und die Regierung noch nicht entschieden hat, \
                  welchen der Vorschläge sie bei dem Treffen mit den Vertretern der \
                  Europäischen Union unterstützen wird.";
        assert!(function_words_confirm(en, Lang::En));
        assert!(!function_words_confirm(en, Lang::De));
        assert!(function_words_confirm(de, Lang::De));
        assert!(!function_words_confirm(de, Lang::En));
        // Too few words to be sure: left to the detector.
        assert!(!function_words_confirm("The minister said that.", Lang::En));
    }
}
