//! Is a document written in the language of its folder? whatlang, restricted to the five
//! languages, decides on the document's text as a whole.

use super::Lang;
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
        // The longest paragraphs, in text order: body text, not a menu in another language.
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
        let info = self.detector.detect(&sample)?;
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
        self.detect(paragraphs).filter(|&d| d != expected)
    }
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
}
