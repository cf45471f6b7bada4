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

    /// Position in the canonical order.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The language's bit in a set of languages held in a byte.
    pub fn bit(self) -> u8 {
        1 << self as u8
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

/// One value per language, indexed by [`Lang`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ByLang<T>([T; 5]);

impl<T> ByLang<T> {
    /// The values of en, ru, de, es and fr, in that order.
    pub const fn new(values: [T; 5]) -> ByLang<T> {
        ByLang(values)
    }

    /// Each language's value, from `f`, in canonical order.
    pub fn from_fn(mut f: impl FnMut(Lang) -> T) -> ByLang<T> {
        ByLang(std::array::from_fn(|i| f(Lang::ALL[i])))
    }

    /// Each language with its value, in canonical order.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &T)> {
        Lang::ALL.into_iter().zip(&self.0)
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (Lang, &mut T)> {
        Lang::ALL.into_iter().zip(&mut self.0)
    }

    /// The values, in canonical order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }

    pub fn map<U>(self, mut f: impl FnMut(Lang, T) -> U) -> ByLang<U> {
        let mut langs = Lang::ALL.into_iter();
        ByLang(self.0.map(|v| f(langs.next().expect("five languages"), v)))
    }

    pub fn as_ref(&self) -> ByLang<&T> {
        ByLang::from_fn(|l| &self[l])
    }
}

impl<T> ByLang<Option<T>> {
    /// The languages that have a value, with it, in canonical order.
    pub fn present(&self) -> impl Iterator<Item = (Lang, &T)> {
        self.iter().filter_map(|(l, v)| Some((l, v.as_ref()?)))
    }

    /// The languages that have a value, in canonical order.
    pub fn langs(&self) -> impl Iterator<Item = Lang> + '_ {
        self.present().map(|(l, _)| l)
    }
}

impl<T> std::ops::Index<Lang> for ByLang<T> {
    type Output = T;
    fn index(&self, l: Lang) -> &T {
        &self.0[l as usize]
    }
}

impl<T> std::ops::IndexMut<Lang> for ByLang<T> {
    fn index_mut(&mut self, l: Lang) -> &mut T {
        &mut self.0[l as usize]
    }
}

impl<T> std::ops::Index<&Lang> for ByLang<T> {
    type Output = T;
    fn index(&self, l: &Lang) -> &T {
        &self[*l]
    }
}

impl<T> std::ops::IndexMut<&Lang> for ByLang<T> {
    fn index_mut(&mut self, l: &Lang) -> &mut T {
        &mut self[*l]
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
