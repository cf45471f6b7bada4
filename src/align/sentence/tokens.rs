//! Sentences as the sentence model sees them: tokens of three classes (words, numbers,
//! punctuation), each with a type key and the keys that tie it to tokens of the other
//! language (identity, cognate); and each side's vocabulary of types with their counts.

use crate::text::anchors::fold_into;
use crate::text::is_letter;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::iter::Peekable;
use std::str::CharIndices;
use unicode_normalization::char::is_combining_mark;

/// Token classes: the mixture weights of the lexical model are learned per class.
pub(super) const WORD: u8 = 0;
pub(super) const NUMBER: u8 = 1;
pub(super) const PUNCT: u8 = 2;
pub(super) const CLASSES: usize = 3;

/// Words are cut to this many characters: a cheap language-independent stemmer, the
/// paragraph engine's.
const STEM_CHARS: usize = 6;
/// Letters of the folded word that make its cognate key, as in the paragraph engine.
const COGNATE_PREFIX: usize = 4;
/// Words shorter than this are no identity anchors.
const IDENTITY_MIN_CHARS: usize = 2;

/// Seeds of the stable hash, one for each kind of key.
const TYPE_SEED: u64 = 0x5e47_0001;
const IDENTITY_SEED: u64 = 0x5e47_0002;
const COGNATE_SEED: u64 = 0x5e47_0003;

/// A token: its type and the keys it shares with tokens of the other language (0: none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Token {
    pub key: u64,
    pub class: u8,
    /// The same number, the same punctuation, the same folded word.
    pub identity: u64,
    /// The same first letters of the folded word.
    pub cognate: u64,
}

/// A sentence read: its length in non-space characters and its tokens.
#[derive(Clone, Debug)]
pub(super) struct RawSentence {
    pub len: f64,
    pub tokens: Vec<Token>,
    /// Page chrome: in a bead of its own, never with text.
    pub chrome: bool,
}

/// A sentence with its tokens as type indices of a vocabulary.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Sentence {
    /// Non-space characters, at least 1.
    pub len: f64,
    pub toks: Vec<u32>,
    /// The type key of the final token when it is punctuation, else 0.
    pub end: u64,
    /// Page chrome: in a bead of its own, never with text.
    pub chrome: bool,
}

fn key(seed: u64, s: &str) -> u64 {
    key_of(seed, &[s.as_bytes()])
}

/// The key of the bytes of `parts` one after the other (a tag and a text, unjoined).
fn key_of(seed: u64, parts: &[&[u8]]) -> u64 {
    // 0 means "no key".
    crate::hash::fnv1a_parts(seed, parts).max(1)
}

/// The first `n` characters of `s`.
fn prefix(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// Quotes, brackets and dashes of every kind as one.
fn punct_norm(c: char) -> char {
    match c {
        '„' | '“' | '”' | '«' | '»' | '"' | '‚' | '‘' | '’' | '‹' | '›' => '"',
        '(' | '[' | '{' => '(',
        ')' | ']' | '}' => ')',
        '–' | '—' | '-' | '‐' => '-',
        _ => c,
    }
}

/// A sentence's length: its non-space characters (at least one).
pub(super) fn length(text: &str) -> f64 {
    text.chars().filter(|c| !c.is_whitespace()).count().max(1) as f64
}

/// Read a sentence: words (letters and their combining marks), numbers (digits, the
/// separators inside them dropped) and single punctuation characters.
pub(super) fn read(text: &str) -> RawSentence {
    let len = length(text);
    let mut tokens = Vec::new();
    // Reused for every word and number: a sentence's many small strings were a fifth of
    // the reading.
    let (mut lower, mut folded, mut digits) = (String::new(), String::new(), String::new());
    let mut cs = text.char_indices().peekable();
    while let Some((i, c)) = cs.next() {
        if c.is_whitespace() {
            continue;
        }
        if is_letter(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = cs.peek() {
                if !is_letter(d) && !is_combining_mark(d) {
                    break;
                }
                end = j + d.len_utf8();
                cs.next();
            }
            let word = &text[i..end];
            lower.clear();
            if word.is_ascii() {
                lower.extend(word.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                // str's, not char by char: a final sigma lowercases apart.
                lower.push_str(&word.to_lowercase());
            }
            tokens.push(word_token(&lower, &mut folded));
        } else if c.is_ascii_digit() {
            digits.clear();
            digits.push(c);
            read_digits(&mut cs, &mut digits);
            tokens.push(Token {
                key: key(TYPE_SEED + NUMBER as u64, &digits),
                class: NUMBER,
                identity: key_of(IDENTITY_SEED, &[b"#", digits.as_bytes()]),
                cognate: 0,
            });
        } else {
            let mut buf = [0u8; 4];
            let p = punct_norm(c).encode_utf8(&mut buf).as_bytes();
            tokens.push(Token {
                key: key_of(TYPE_SEED + PUNCT as u64, &[p]),
                class: PUNCT,
                identity: key_of(IDENTITY_SEED, &[b"p", p]),
                cognate: 0,
            });
        }
    }
    RawSentence {
        len,
        tokens,
        chrome: false,
    }
}

/// The rest of the number whose first digit was just read, onto `digits`: separators
/// followed by a digit skipped.
fn read_digits(cs: &mut Peekable<CharIndices>, digits: &mut String) {
    while let Some(&(_, c)) = cs.peek() {
        if c.is_ascii_digit() {
            digits.push(c);
            cs.next();
        } else if matches!(c, '.' | ',' | '\'' | '\u{a0}' | '\u{202f}') {
            // A separator only if a digit follows it.
            let mut ahead = cs.clone();
            ahead.next();
            if !ahead.peek().is_some_and(|&(_, d)| d.is_ascii_digit()) {
                break;
            }
            cs.next();
        } else {
            break;
        }
    }
}

/// A lowercased word: its type is its stem; its anchors come from its folded full form
/// (folded into `folded`, a buffer reused from word to word).
fn word_token(lower: &str, folded: &mut String) -> Token {
    fold_into(lower, folded);
    let identity = if lower.chars().nth(IDENTITY_MIN_CHARS - 1).is_some() {
        key_of(IDENTITY_SEED, &[b"w", folded.as_bytes()])
    } else {
        0
    };
    let cognate = if folded.chars().nth(COGNATE_PREFIX - 1).is_some() {
        key(COGNATE_SEED, prefix(folded, COGNATE_PREFIX))
    } else {
        0
    };
    Token {
        key: key(TYPE_SEED + WORD as u64, prefix(lower, STEM_CHARS)),
        class: WORD,
        identity,
        cognate,
    }
}

/// One side's word types, sorted by key, with their counts in the text learned from. A
/// type's anchors are those of its first occurrence (a stem stands for several words).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(super) struct Vocabulary {
    keys: Vec<u64>,
    counts: Vec<u32>,
    class: Vec<u8>,
    identity: Vec<u64>,
    cognate: Vec<u64>,
    /// Σ counts.
    total: f64,
    /// How many types share each identity and each cognate key.
    #[serde(skip)]
    groups: std::sync::OnceLock<Groups>,
}

#[derive(Clone, Debug, Default)]
struct Groups {
    identity: HashMap<u64, u32>,
    cognate: HashMap<u64, u32>,
}

impl Vocabulary {
    /// The vocabulary of a side's sentences, and the sentences as type indices.
    pub(super) fn build(sides: &[&[RawSentence]]) -> (Vocabulary, Vec<Vec<Sentence>>) {
        let mut seen: HashMap<u64, (Token, u32)> = HashMap::default();
        for t in sides.iter().flat_map(|s| s.iter()).flat_map(|s| &s.tokens) {
            seen.entry(t.key).or_insert((*t, 0)).1 += 1;
        }
        let mut types: Vec<(Token, u32)> = seen.into_values().collect();
        types.sort_unstable_by_key(|(t, _)| t.key);
        let vocab = Vocabulary {
            keys: types.iter().map(|(t, _)| t.key).collect(),
            counts: types.iter().map(|&(_, c)| c).collect(),
            class: types.iter().map(|(t, _)| t.class).collect(),
            identity: types.iter().map(|(t, _)| t.identity).collect(),
            cognate: types.iter().map(|(t, _)| t.cognate).collect(),
            total: types.iter().map(|&(_, c)| c as f64).sum(),
            groups: Default::default(),
        };
        let indexed = sides
            .iter()
            .map(|side| {
                let (sents, extra) = vocab.index(side);
                debug_assert!(extra.is_empty());
                sents
            })
            .collect();
        (vocab, indexed)
    }

    pub(super) fn len(&self) -> usize {
        self.keys.len()
    }

    /// The index of the type with key `key`.
    pub(super) fn find(&self, key: u64) -> Option<u32> {
        self.keys.binary_search(&key).ok().map(|i| i as u32)
    }

    pub(super) fn key(&self, t: u32) -> u64 {
        self.keys[t as usize]
    }

    /// Sentences as type indices; types this vocabulary lacks get indices after its own,
    /// in order of first occurrence, and are returned.
    pub(super) fn index(&self, sents: &[RawSentence]) -> (Vec<Sentence>, Vec<Token>) {
        let mut extra: Vec<Token> = Vec::new();
        let mut extra_ix: HashMap<u64, u32> = HashMap::default();
        let n = self.len() as u32;
        let sents = sents
            .iter()
            .map(|s| {
                let toks = s
                    .tokens
                    .iter()
                    .map(|t| {
                        self.find(t.key).unwrap_or_else(|| {
                            *extra_ix.entry(t.key).or_insert_with(|| {
                                extra.push(*t);
                                n + extra.len() as u32 - 1
                            })
                        })
                    })
                    .collect();
                let end = match s.tokens.last() {
                    Some(t) if t.class == PUNCT => t.key,
                    _ => 0,
                };
                Sentence {
                    len: s.len,
                    toks,
                    end,
                    chrome: s.chrome,
                }
            })
            .collect();
        (sents, extra)
    }

    fn groups(&self) -> &Groups {
        self.groups.get_or_init(|| {
            let mut g = Groups::default();
            for (&i, &c) in self.identity.iter().zip(&self.cognate) {
                if i != 0 {
                    *g.identity.entry(i).or_default() += 1;
                }
                if c != 0 {
                    *g.cognate.entry(c).or_default() += 1;
                }
            }
            g
        })
    }
}

/// A vocabulary with the types a unit adds to it (none while learning).
pub(super) struct Types<'a> {
    pub vocab: &'a Vocabulary,
    pub extra: &'a [Token],
    /// How many of the added types share each identity and each cognate key.
    extra_groups: Groups,
}

impl<'a> Types<'a> {
    pub(super) fn new(vocab: &'a Vocabulary, extra: &'a [Token]) -> Types<'a> {
        let mut extra_groups = Groups::default();
        for x in extra {
            if x.identity != 0 {
                *extra_groups.identity.entry(x.identity).or_default() += 1;
            }
            if x.cognate != 0 {
                *extra_groups.cognate.entry(x.cognate).or_default() += 1;
            }
        }
        Types {
            vocab,
            extra,
            extra_groups,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.vocab.len() + self.extra.len()
    }

    fn extra(&self, t: u32) -> Option<&Token> {
        (t as usize)
            .checked_sub(self.vocab.len())
            .map(|k| &self.extra[k])
    }

    pub(super) fn class(&self, t: u32) -> u8 {
        self.extra(t)
            .map_or_else(|| self.vocab.class[t as usize], |x| x.class)
    }

    pub(super) fn identity(&self, t: u32) -> u64 {
        self.extra(t)
            .map_or_else(|| self.vocab.identity[t as usize], |x| x.identity)
    }

    pub(super) fn cognate(&self, t: u32) -> u64 {
        self.extra(t)
            .map_or_else(|| self.vocab.cognate[t as usize], |x| x.cognate)
    }

    /// Unigram probability, a type not seen counted as half an occurrence.
    pub(super) fn p(&self, t: u32) -> f64 {
        let c = self
            .extra(t)
            .map_or_else(|| self.vocab.counts[t as usize], |_| 0);
        (c as f64).max(0.5) / self.vocab.total.max(1.0)
    }

    /// How many types share identity key `k` (cognate key when `cognate`), the unit's own
    /// new types included.
    pub(super) fn sharing(&self, k: u64, cognate: bool) -> u32 {
        let count = |g: &Groups| {
            let map = if cognate { &g.cognate } else { &g.identity };
            map.get(&k).copied().unwrap_or(0)
        };
        count(self.vocab.groups()) + count(&self.extra_groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_keys() {
        let s = read("Der Rat zahlte 8839,8 Franken (ca. 12%).");
        let classes: Vec<u8> = s.tokens.iter().map(|t| t.class).collect();
        assert_eq!(classes, [0, 0, 0, 1, 0, 2, 0, 2, 1, 2, 2, 2]);
        // Separators inside a number are dropped: 8839,8 and 8839.8 are one type.
        assert_eq!(s.tokens[3].key, read("8839.8").tokens[0].key);
        // Quotes of every kind are one type.
        assert_eq!(read("«").tokens[0].key, read("\"").tokens[0].key);
        // Words are stemmed to 6 letters, but anchored by their full folded form.
        let (a, b) = (
            read("Internationale").tokens[0],
            read("international").tokens[0],
        );
        assert_eq!(a.key, b.key);
        assert_eq!(a.cognate, b.cognate);
        assert_ne!(a.identity, b.identity);
        assert_eq!(s.len, 34.0);
    }

    #[test]
    fn vocabulary_indexes_and_adds_new_types() {
        let a = [read("un deux trois"), read("deux.")];
        let (v, sents) = Vocabulary::build(&[&a]);
        assert_eq!(v.len(), 4);
        assert_eq!(sents[0][1].toks[0], sents[0][0].toks[1]);
        assert_eq!(sents[0][1].end, read(".").tokens[0].key);
        assert_eq!(sents[0][0].end, 0);
        let (s, extra) = v.index(&[read("quatre deux quatre")]);
        assert_eq!(extra.len(), 1);
        assert_eq!(s[0].toks[0], 4);
        assert_eq!(s[0].toks[2], 4);
        let types = Types::new(&v, &extra);
        assert_eq!(types.p(4), 0.5 / 5.0);
        assert_eq!(types.p(s[0].toks[1]), 2.0 / 5.0);
    }
}
