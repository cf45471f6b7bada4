//! The five languages paralign knows, in the order pairs are written (en, ru, de, es, fr).

use std::fmt;
use std::str::FromStr;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ru,
    De,
    Es,
    Fr,
}

impl Lang {
    /// All languages in canonical pair order.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Ru, Lang::De, Lang::Es, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::De => "de",
            Lang::Es => "es",
            Lang::Fr => "fr",
        }
    }

    /// Position in the canonical order; used as an array index.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The whatlang code for this language.
    pub fn whatlang(self) -> whatlang::Lang {
        match self {
            Lang::En => whatlang::Lang::Eng,
            Lang::Ru => whatlang::Lang::Rus,
            Lang::De => whatlang::Lang::Deu,
            Lang::Es => whatlang::Lang::Spa,
            Lang::Fr => whatlang::Lang::Fra,
        }
    }

    pub fn from_whatlang(l: whatlang::Lang) -> Option<Lang> {
        Lang::ALL.into_iter().find(|x| x.whatlang() == l)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown language '{0}' (expected one of en, ru, de, es, fr)")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownLang(s.to_string()))
    }
}

/// The pairs (l1, l2) of `langs`, l1 before l2 in canonical order.
pub fn pairs(langs: &[Lang]) -> Vec<(Lang, Lang)> {
    let mut sorted = langs.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut out = Vec::new();
    for (i, &a) in sorted.iter().enumerate() {
        for &b in &sorted[i + 1..] {
            out.push((a, b));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_follow_the_shared_order() {
        let p: Vec<String> = pairs(&Lang::ALL)
            .iter()
            .map(|(a, b)| format!("{a}-{b}"))
            .collect();
        assert_eq!(
            p,
            [
                "en-ru", "en-de", "en-es", "en-fr", "ru-de", "ru-es", "ru-fr", "de-es", "de-fr",
                "es-fr"
            ]
        );
    }

    #[test]
    fn parses_codes() {
        assert_eq!("DE".parse::<Lang>().unwrap(), Lang::De);
        assert!("it".parse::<Lang>().is_err());
    }
}
