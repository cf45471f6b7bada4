//! What a paragraph offers for alignment without any model: its length, its words (for the
//! learned lexicon) and its anchors — numbers, dates, names and cognates (Cyrillic
//! transliterated), question marks, quotes and brackets.
//!
//! Everything is hashed to `u64` ids so features of all documents can be compared and counted
//! without a shared interner.

use crate::text::anchors::{fold, folded, month, month_named, numbers, read_number};
use crate::text::{Lang, is_letter};
use unicode_normalization::char::is_combining_mark;

/// Length of a cognate key: long enough to tell words apart, short enough to survive
/// inflection and spelling differences (parliament / parlament / парламент).
const COGNATE_PREFIX: usize = 4;
/// Words are truncated to this many characters before the lexicon sees them: a cheap
/// language-independent stemmer that merges most inflected forms.
const STEM_CHARS: usize = 6;

/// The kinds of feature, mixed into the hash so equal strings of different kinds differ.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Kind {
    Word = 1,
    Number = 2,
    Month = 3,
    Cognate = 4,
    Punct = 5,
    Tagged = 6,
}

/// A feature's id: stable across runs and platforms, which the byte-identical outputs rely on.
fn hash(kind: Kind, s: &str) -> u64 {
    hash_bytes(kind, s.as_bytes())
}

fn hash_bytes(kind: Kind, s: &[u8]) -> u64 {
    crate::hash::fnv1a(kind as u64, s)
}

/// A feature id for a tagged string outside the paragraph features (e.g. a document's
/// date), distinct from every paragraph feature.
pub fn tag_hash(tag: &str, value: &str) -> u64 {
    hash(Kind::Tagged, &format!("{tag}\u{1f}{value}"))
}

/// The number anchors of a text (the same ids `extract` gives its numbers).
pub fn number_anchors(text: &str) -> Vec<u64> {
    numbers(text)
        .iter()
        .map(|n| hash(Kind::Number, n))
        .collect()
}

/// Features of one paragraph.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParaFeatures {
    /// Characters of the scoring text.
    pub chars: u32,
    /// Stemmed word ids, in text order (repeats kept); the lexicon maps them.
    pub words: Vec<u64>,
    /// Anchor ids, sorted (repeats kept).
    pub anchors: Vec<u64>,
    /// Page chrome: aligned only with chrome, never merged into a bead with text.
    pub chrome: bool,
    /// Sentences, found cheaply (see `sentence_breaks`).
    pub sentences: u16,
}

/// Extract the features of a paragraph's scoring text written in `lang`.
pub fn extract(text: &str, lang: Lang) -> ParaFeatures {
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        scratch.words.clear();
        scratch.anchors.clear();
        extract_into(text, lang, &mut scratch);
        scratch.anchors.sort_unstable();
        let chars = text.chars().count() as u32;
        let mut sentences = 1u16;
        sentence_breaks(text, |_| sentences = sentences.saturating_add(1));
        let features = ParaFeatures {
            chars,
            words: scratch.words.clone(),
            anchors: scratch.anchors.clone(),
            chrome: false,
            sentences,
        };
        // A huge paragraph's scratch is not kept for the thread's life.
        if scratch.words.capacity() > 1 << 16 {
            *scratch = Scratch::default();
        }
        features
    })
}

/// Where sentences of `text` end before its end, as byte offsets, each passed to
/// `on_break`: a sentence ends at a stop, question or exclamation mark or an ellipsis
/// (closing quotes or brackets after it) followed by space and a capital, an opening quote
/// maybe between. Cheap, and as a translation keeps them: an abbreviation before a name
/// ends a "sentence" in the translation too.
fn sentence_breaks(text: &str, mut on_break: impl FnMut(usize)) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let end = match b[i] {
            b'.' | b'!' | b'?' => 1,
            0xE2 if b[i..].starts_with("…".as_bytes()) => 3,
            _ => 0,
        };
        if end == 0 {
            i += 1;
            continue;
        }
        let mut rest = text[i + end..].chars().peekable();
        // Closing marks, with French spacing before them (« Non. »), then space.
        let mut spaced = false;
        while let Some(c) = rest.next_if(|c| {
            c.is_whitespace() || matches!(c, '.' | '!' | '?' | '"' | '»' | '”' | '’' | ')' | '\'')
        }) {
            spaced |= c.is_whitespace();
        }
        while rest
            .next_if(|c| {
                matches!(
                    c,
                    '"' | '«' | '„' | '“' | '‘' | '(' | '¿' | '¡' | '-' | '–' | '—'
                )
            })
            .is_some()
        {
            rest.next_if(|c| c.is_whitespace());
        }
        if spaced && rest.next().is_some_and(char::is_uppercase) {
            on_break(i + end);
        }
        i += end;
    }
}

/// Where a paragraph's features are collected, kept per thread.
#[derive(Default)]
struct Scratch {
    words: Vec<u64>,
    anchors: Vec<u64>,
    /// A number being read, and its separators (see `read_number`).
    number: String,
    seps: Vec<(char, usize)>,
}

thread_local! {
    /// A paragraph's words and anchors are collected here, then copied out at their size,
    /// so that each vector is allocated once instead of growing word by word.
    static SCRATCH: std::cell::RefCell<Scratch> = Default::default();
}

/// Push the word ids and anchors of `text`, in text order.
fn extract_into(text: &str, lang: Lang, scratch: &mut Scratch) {
    let Scratch {
        words,
        anchors,
        number,
        seps,
    } = scratch;
    let mut i = 0;
    while let Some(c) = char_at(text, i) {
        if c.is_ascii_digit() {
            i = read_number(text, i, number, seps);
            anchors.push(hash(Kind::Number, number));
        } else if is_letter(c) {
            let start = i;
            i = word_end(text, i + c.len_utf8());
            let ids = word_ids(&text[start..i], lang);
            anchors.extend(ids.month());
            words.extend(ids.word());
            anchors.extend(ids.cognate());
        } else {
            if let Some(p) = punct_class(c) {
                anchors.push(hash(Kind::Punct, p));
            }
            i += c.len_utf8();
        }
    }
}

/// Where the word that goes on at byte `i` of `text` (a char boundary) ends: at the first
/// char that is neither a letter nor, outside ASCII, a combining mark. ASCII letters and
/// Cyrillic's first block are read on bytes without decoding, as most words are nothing
/// else: a lead byte D0 or D1 starts a char of U+0400..=U+047F, every one a letter.
fn word_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        match bytes.get(i) {
            Some(b) if b.is_ascii_alphabetic() => i += 1,
            Some(0xd0 | 0xd1) => i += 2,
            Some(b) if b.is_ascii() => return i,
            Some(_) => match text[i..].chars().next() {
                Some(c) if is_letter(c) || is_combining_mark(c) => i += c.len_utf8(),
                _ => return i,
            },
            None => return i,
        }
    }
}

/// The char starting at byte `i` of `text`, if any; ASCII without decoding.
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(b as char),
        Some(_) => text[i..].chars().next(),
        None => None,
    }
}

/// What one word contributes to a paragraph's features. Small, as the word cache holds
/// hundreds of thousands: `present` says which of `word` and `cognate` are there, and
/// `month` is 0 for none.
#[derive(Clone, Copy)]
struct WordIds {
    word: u64,
    cognate: u64,
    present: u8,
    month: u8,
}

const HAS_WORD: u8 = 1;
const HAS_COGNATE: u8 = 2;

impl WordIds {
    fn month(&self) -> Option<u64> {
        // The month's number in decimal, as `to_string` would write it, without allocating.
        let m = self.month;
        let digits: &[u8] = if m < 10 {
            &[b'0' + m]
        } else {
            &[b'1', b'0' + m - 10]
        };
        (m > 0).then(|| hash_bytes(Kind::Month, digits))
    }

    fn word(&self) -> Option<u64> {
        (self.present & HAS_WORD != 0).then_some(self.word)
    }

    fn cognate(&self) -> Option<u64> {
        (self.present & HAS_COGNATE != 0).then_some(self.cognate)
    }
}

/// Words cached per thread and language, up to this many: words repeat, and lowercasing
/// and folding them is most of the cost of extraction.
const WORD_CACHE: usize = 1 << 18;

thread_local! {
    /// Keyed by a 64-bit hash of the word as written (XXH3, which reads 8 bytes at a time
    /// where FNV reads one): no string to store or compare, and two words of one language
    /// colliding in 64 bits is too rare to matter.
    static WORDS: std::cell::RefCell<crate::text::ByLang<rustc_hash::FxHashMap<u64, WordIds>>> =
        Default::default();
}

fn word_ids(word: &str, lang: Lang) -> WordIds {
    // Plain ASCII words are quicker to work out than to look up in a large cache.
    if word.is_ascii() && word.len() <= ASCII_WORD_MAX {
        return word_ids_ascii(word.as_bytes(), lang);
    }
    let key = xxhash_rust::xxh3::xxh3_64(word.as_bytes());
    WORDS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let cache = &mut cache[lang];
        if let Some(&ids) = cache.get(&key) {
            return ids;
        }
        if cache.len() >= WORD_CACHE {
            cache.clear();
        }
        let ids = word_ids_uncached(word, lang);
        cache.insert(key, ids);
        ids
    })
}

/// Longest ASCII word worked out on the stack.
const ASCII_WORD_MAX: usize = 32;

/// `word_ids_uncached` of an ASCII word, without allocating: the same ids.
fn word_ids_ascii(word: &[u8], lang: Lang) -> WordIds {
    let mut buf = [0u8; ASCII_WORD_MAX];
    let lower = &mut buf[..word.len()];
    for (l, &b) in lower.iter_mut().zip(word) {
        *l = b.to_ascii_lowercase();
    }
    let lower = &*lower;
    let mut ids = WordIds {
        word: 0,
        cognate: 0,
        present: 0,
        month: 0,
    };
    if (3..=10).contains(&lower.len()) && ascii_month_start(lower[0], lower[1]) {
        ids.month = month_named(lower, word.first().copied(), lang).unwrap_or(0);
    }
    if lower.len() >= 2 {
        ids.word = hash_bytes(Kind::Word, &lower[..lower.len().min(STEM_CHARS)]);
        ids.present |= HAS_WORD;
    }
    if lower.len() >= COGNATE_PREFIX {
        // `fold` of an ASCII word, up to the first COGNATE_PREFIX letters it gives.
        let ascii = std::str::from_utf8(lower).expect("ASCII");
        let mut out = [0u8; COGNATE_PREFIX];
        let mut n = 0;
        for (slot, c) in out.iter_mut().zip(folded(ascii)) {
            *slot = c as u8;
            n += 1;
        }
        if n == COGNATE_PREFIX {
            ids.cognate = hash_bytes(Kind::Cognate, &out);
            ids.present |= HAS_COGNATE;
        }
    }
    ids
}

/// Can an ASCII word starting with these two lowercase letters name a month in some
/// language? Most words cannot, and are not looked up (a test checks every name).
fn ascii_month_start(a: u8, b: u8) -> bool {
    matches!(
        &[a, b],
        b"ja"
            | b"fe"
            | b"ma"
            | b"ap"
            | b"ab"
            | b"av"
            | b"ju"
            | b"au"
            | b"ag"
            | b"se"
            | b"oc"
            | b"ok"
            | b"no"
            | b"de"
            | b"di"
            | b"en"
    )
}

fn word_ids_uncached(word: &str, lang: Lang) -> WordIds {
    let lower = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        word.to_lowercase()
    };
    let chars = lower.chars().count();
    let mut ids = WordIds {
        word: 0,
        cognate: 0,
        present: 0,
        month: 0,
    };
    if (3..=10).contains(&chars) {
        ids.month = month(&lower, word, lang).unwrap_or(0);
    }
    if chars >= 2 {
        let end = lower
            .char_indices()
            .nth(STEM_CHARS)
            .map_or(lower.len(), |(i, _)| i);
        ids.word = hash(Kind::Word, &lower[..end]);
        ids.present |= HAS_WORD;
    }
    if chars >= COGNATE_PREFIX {
        let folded = fold(&lower);
        if let Some((end, _)) = folded.char_indices().nth(COGNATE_PREFIX - 1) {
            let end = end + folded[end..].chars().next().map_or(0, char::len_utf8);
            ids.cognate = hash(Kind::Cognate, &folded[..end]);
            ids.present |= HAS_COGNATE;
        }
    }
    ids
}

/// Question marks, quotes and brackets survive translation more often than not.
fn punct_class(c: char) -> Option<&'static str> {
    match c {
        '?' | '¿' => Some("?"),
        '!' | '¡' => Some("!"),
        '"' | '«' | '»' | '„' | '“' | '”' | '‚' => Some("\""),
        '(' | '[' => Some("("),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_words_get_the_ids_of_the_general_path() {
        let mut words: Vec<String> = [
            "Schach",
            "Philosophie",
            "may",
            "May",
            "MAY",
            "march",
            "Marzo",
            "janvier",
            "Juli",
            "hhhh",
            "ahha",
            "Sch",
            "schhh",
            "cycle",
            "Jewel",
            "PHPHPH",
            "Quiz",
            "aa",
            "a",
            "Septiembre",
            "October",
            "mai",
            "Mai",
            "Dezember",
            "november",
            "agosto",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        // Every short word over a small alphabet that exercises the folds.
        let alphabet = ["s", "c", "h", "p", "q", "y", "j", "w", "a", "M", "e"];
        let mut layer = vec![String::new()];
        for _ in 0..5 {
            layer = layer
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(layer.iter().cloned());
        }
        for w in &words {
            for l in Lang::ALL {
                let (a, b) = (word_ids_ascii(w.as_bytes(), l), word_ids_uncached(w, l));
                assert_eq!(
                    (a.word(), a.cognate(), a.month),
                    (b.word(), b.cognate(), b.month),
                    "{w} {l:?}"
                );
            }
        }
    }

    /// `word_end` by its rule, a char at a time.
    fn word_end_by_chars(text: &str, i: usize) -> usize {
        text[i..]
            .char_indices()
            .find(|&(_, c)| !(is_letter(c) || (!c.is_ascii() && is_combining_mark(c))))
            .map_or(text.len(), |(k, _)| i + k)
    }

    #[test]
    fn cyrillic_lead_bytes_d0_d1_start_only_letters() {
        for c in '\u{400}'..='\u{47f}' {
            assert!(is_letter(c), "U+{:04X}", c as u32);
        }
        for c in '\0'..=char::MAX {
            let mut buf = [0u8; 4];
            let lead = c.encode_utf8(&mut buf).as_bytes()[0];
            assert_eq!(
                matches!(lead, 0xd0 | 0xd1),
                ('\u{400}'..='\u{47f}').contains(&c)
            );
        }
    }

    #[test]
    fn word_end_reads_every_char_as_the_char_rule() {
        // Every char inside a word, at its start and at its end: each lead byte, D2's
        // non-letter and combining marks, and chars of four bytes.
        for c in '\0'..=char::MAX {
            for text in [format!("я{c}x."), format!("{c}я"), format!("a{c}")] {
                for (i, _) in text.char_indices() {
                    assert_eq!(
                        word_end(&text, i),
                        word_end_by_chars(&text, i),
                        "{text:?} at {i}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn word_end_reads_as_the_char_rule(text in "[a-zA-Z0-9 .,'\u{300}-\u{36f}\u{c0}-\u{24f}\u{400}-\u{52f}\u{5d0}-\u{5ea}\u{4e00}-\u{4e10}\u{2000}-\u{2030}]{0,40}") {
            for (i, _) in text.char_indices() {
                proptest::prop_assert_eq!(word_end(&text, i), word_end_by_chars(&text, i), "{:?} at {}", text, i);
            }
        }
    }

    #[test]
    fn month_ids_are_the_hash_of_the_number_written_out() {
        for m in 1..=12u8 {
            let ids = WordIds {
                word: 0,
                cognate: 0,
                present: 0,
                month: m,
            };
            assert_eq!(ids.month(), Some(hash(Kind::Month, &m.to_string())));
        }
    }

    #[test]
    fn every_ascii_month_name_passes_the_quick_test() {
        for l in Lang::ALL {
            for (name, _) in crate::text::anchors::month_names(l)
                .iter()
                .filter(|(n, _)| n.is_ascii())
            {
                let b = name.as_bytes();
                assert!(ascii_month_start(b[0], b[1]), "{name}");
            }
        }
    }

    #[test]
    fn dates_match_across_languages() {
        let en = extract("12 August 2012", Lang::En);
        let ru = extract("12 августа 2012", Lang::Ru);
        let de = extract("12. August 2012", Lang::De);
        let month = hash(Kind::Month, "8");
        for f in [&en, &ru, &de] {
            assert!(f.anchors.contains(&month));
            assert!(f.anchors.contains(&hash(Kind::Number, "2012")));
        }
        assert!(
            !extract("You may go", Lang::En)
                .anchors
                .contains(&hash(Kind::Month, "5"))
        );
        assert!(
            extract("9 мая", Lang::Ru)
                .anchors
                .contains(&hash(Kind::Month, "5"))
        );
        assert!(
            !extract("малый", Lang::Ru)
                .anchors
                .contains(&hash(Kind::Month, "5"))
        );
    }

    fn sentence_ends(text: &str) -> Vec<u32> {
        let mut ends = Vec::new();
        sentence_breaks(text, |at| ends.push(text[..at].chars().count() as u32));
        ends.push(text.chars().count() as u32);
        ends
    }

    fn sentence_count(text: &str) -> usize {
        sentence_ends(text).len()
    }

    #[test]
    fn sentences_are_counted_where_a_capital_follows_a_stop() {
        assert_eq!(sentence_count("One. Two! Three? «Four.» Five…"), 5);
        assert_eq!(sentence_count("Er kam im März. Dann ging er."), 2);
        assert_eq!(sentence_count("Il a dit : « Non. » Puis il est parti."), 2);
        assert_eq!(sentence_count("¿Qué? ¡Nada! Bien."), 3);
        assert_eq!(sentence_count("Он ушёл. Она осталась."), 2);
        // No stop: a heading is one sentence; decimals and e.g. are not ends.
        assert_eq!(sentence_count("Protest legitimised"), 1);
        assert_eq!(sentence_count("It rose 1.5 per cent, e.g. in May."), 1);
        // Ends in characters, the last at the end.
        assert_eq!(sentence_ends("Né. Ça «va»! Oui"), [3, 12, 16]);
        assert_eq!(extract("Né. Ça «va»! Oui", Lang::Fr).sentences, 3);
    }
}
