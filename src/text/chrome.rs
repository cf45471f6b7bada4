//! Page chrome: what scrapes of statement sites carry besides the statement — the language
//! switcher, "Additional materials", share and print links, photo credits — and the date line.
//!
//! Chrome paragraphs stay in the ladder (indices always refer to the input paragraphs) but
//! form beads of their own and stay out of the parallel corpora. Built-in patterns cover the
//! five languages; a plain-text file adds more (`--boilerplate FILE`).

use regex::{Regex, RegexSet, RegexSetBuilder};
use std::path::Path;

/// Built-in chrome patterns, each matched case-insensitively against a whole paragraph.
const BUILT_IN: &[&str] = &[
    // The language switcher: "de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1", perhaps after a bullet.
    r"^[\s•·*|-]*([a-z]{2}-[a-z]{2}\d*[\s|,/•·]*){2,}$",
    // Section headings of the page around the statement.
    r"^(additional|related) materials?$",
    r"^advanced settings$",
    r"^дополнительные материалы$",
    r"^расширенные настройки$",
    r"^(zusätzliche|weitere) materialien$",
    r"^erweiterte einstellungen$",
    r"^materiales adicionales$",
    r"^configuración avanzada$",
    r"^documents complémentaires$",
    r"^paramètres avancés$",
    // Print links.
    r"^(print|print version|printer-friendly version|версия для печати|распечатать|druckversion|drucken|versión para imprimir|imprimir|version imprimable|imprimer)$",
    // Share links: "Share this page: Facebook · X · Telegram", the verb with the page or
    // the article as its object where the language puts it (German: "Seite teilen").
    r"^(share( (this )?(page|article|story|post))?|поделиться( (страницей|статьёй|статьей|ссылкой|новостью))?|((diese[nrs]? |die |den )?(seite|artikel|beitrag|meldung) )?teilen|compartir( (esta |la |este |el )?(página|artículo|noticia))?|partager( (cette |la |cet |l'|l’)?\s*(page|article))?)(\s*:[^.!?]{0,80})?$",
    // Photo credits: "Photo: press service".
    r"^(photo|photos|photo credit|фото|фотография|foto|fotos|bild|imagen|crédit photo|crédits photo)\s*:[^.!?]{0,80}$",
    // Navigation left in the text.
    r"^(back to top|наверх|nach oben|volver arriba|haut de page|read more|подробнее|mehr lesen|leer más|lire la suite)$",
];

/// Recognises chrome paragraphs.
#[derive(Clone, Debug)]
pub struct ChromeFilter {
    patterns: RegexSet,
    count: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ChromeError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: bad pattern: {source}", path.display())]
    Pattern {
        path: std::path::PathBuf,
        line: usize,
        source: Box<regex::Error>,
    },
}

impl Default for ChromeFilter {
    fn default() -> Self {
        ChromeFilter::new(&[]).expect("built-in patterns compile")
    }
}

impl ChromeFilter {
    /// The built-in patterns plus `extra`, each a regular expression that must match a
    /// whole paragraph (case-insensitive).
    pub fn new(extra: &[String]) -> Result<ChromeFilter, regex::Error> {
        let all: Vec<String> = BUILT_IN
            .iter()
            .map(|p| p.to_string())
            .chain(extra.iter().map(|p| format!("^(?:{p})$")))
            .collect();
        let patterns = RegexSetBuilder::new(&all).case_insensitive(true).build()?;
        Ok(ChromeFilter {
            count: all.len(),
            patterns,
        })
    }

    /// The built-in patterns plus those of a file: one regular expression a line, matched
    /// against whole paragraphs; blank lines and lines starting with `#` are ignored.
    pub fn with_file(path: &Path) -> Result<ChromeFilter, ChromeError> {
        let text = std::fs::read_to_string(path).map_err(|source| ChromeError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut extra = Vec::new();
        for (k, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // Check each line alone so an error names its line.
            Regex::new(line).map_err(|e| ChromeError::Pattern {
                path: path.to_path_buf(),
                line: k + 1,
                source: Box::new(e),
            })?;
            extra.push(line.to_string());
        }
        ChromeFilter::new(&extra).map_err(|e| ChromeError::Pattern {
            path: path.to_path_buf(),
            line: 0,
            source: Box::new(e),
        })
    }

    /// Is this paragraph (output text) page chrome?
    pub fn is_chrome(&self, paragraph: &str) -> bool {
        let p = paragraph.trim();
        // Chrome is short; a long paragraph is the statement, whatever it starts with.
        p.chars().count() <= 120 && self.patterns.is_match(p)
    }

    /// Number of patterns, built-in and added.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// The date of a date line ("20 February 2018 15:51", "12 августа 2012", "3. März 2026",
/// "14 de marzo de 2026"), as YYYY-MM-DD; None when the paragraph is not a date line.
pub fn date_line(paragraph: &str) -> Option<String> {
    static DATE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = DATE.get_or_init(|| {
        Regex::new(
            r"(?i)^\s*(?:\p{L}+,?\s+)?(\d{1,2})\.?\s+(?:de\s+)?(\p{L}+)\.?,?\s+(?:de\s+)?(\d{4})(?:,?\s*\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|h))?)?\s*$",
        )
        .expect("date pattern compiles")
    });
    let caps = re.captures(paragraph)?;
    let day: u32 = caps[1].parse().ok()?;
    let month = super::anchors::month_in_any_language(&caps[2])?;
    let year: u32 = caps[3].parse().ok()?;
    (1..=31)
        .contains(&day)
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_chrome_of_the_five_languages() {
        let f = ChromeFilter::default();
        for p in [
            "• de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1",
            "de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1",
            "Additional materials",
            "Advanced settings",
            "Дополнительные материалы",
            "Zusätzliche Materialien",
            "Configuración avanzada",
            "Paramètres avancés",
            "Print version",
            "Версия для печати",
            "Share this page: Facebook · X · Telegram",
            "Поделиться: ВКонтакте · Telegram",
            "Compartir: Facebook · X · Telegram",
            "Seite teilen: Facebook · X",
            "Diesen Artikel teilen",
            "Partager l’article : Facebook · X",
            "Compartir esta noticia",
            "Поделиться ссылкой: Telegram",
            "Share this article",
            "Foto: Pressedienst",
            "Фото: пресс-служба",
            "Photo: press service",
        ] {
            assert!(f.is_chrome(p), "{p}");
        }
        for p in [
            "Question: How are the two countries cooperating in education?",
            "Share prices fell by 3% on Monday, and the central bank said it would act.",
            "Seite teilen die Minister nicht: sie wollen mehr.",
            "Photo opportunities were few: the ministers met behind closed doors for three hours.",
            "The de-DE1 code appears in the text of this long paragraph about language versions.",
        ] {
            assert!(!f.is_chrome(p), "{p}");
        }
    }

    #[test]
    fn added_patterns_match_whole_paragraphs() {
        let f = ChromeFilter::new(&["subscribe to our newsletter".into()]).unwrap();
        assert!(f.is_chrome("Subscribe to our newsletter"));
        assert!(!f.is_chrome("Please subscribe to our newsletter today"));
    }

    #[test]
    fn reads_date_lines() {
        assert_eq!(
            date_line("20 February 201815:51").as_deref(),
            Some("2018-02-20")
        );
        assert_eq!(
            date_line("12 августа 2012 11:21").as_deref(),
            Some("2012-08-12")
        );
        assert_eq!(
            date_line("12. August 2012 11:21").as_deref(),
            Some("2012-08-12")
        );
        assert_eq!(
            date_line("14 de marzo de 2026 15:30").as_deref(),
            Some("2026-03-14")
        );
        assert_eq!(date_line("3 mars 2026").as_deref(), Some("2026-03-03"));
        assert_eq!(date_line("9 мая 2025").as_deref(), Some("2025-05-09"));
        assert_eq!(date_line("Talks on 12 August 2012 went well"), None);
        assert_eq!(date_line("12 Augustus 2012"), None);
    }
}
