//! What a paragraph offers for alignment without any model: its length, its words (for the
//! learned lexicon) and its anchors — numbers, dates, names and cognates (Cyrillic
//! transliterated), question marks, quotes and brackets.
//!
//! Everything is hashed to `u64` ids so features of all documents can be compared and counted
//! without a shared interner.

use crate::text::{Lang, is_letter};
use unicode_normalization::UnicodeNormalization;
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

/// FNV-1a: stable across runs and platforms, which the byte-identical outputs rely on.
fn hash(kind: Kind, s: &str) -> u64 {
    hash_bytes(kind, s.as_bytes())
}

fn hash_bytes(kind: Kind, s: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (kind as u64);
    for &b in s {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A feature id for a tagged string outside the paragraph features (e.g. a document's
/// date), distinct from every paragraph feature.
pub fn tag_hash(tag: &str, value: &str) -> u64 {
    hash(Kind::Tagged, &format!("{tag}\u{1f}{value}"))
}

/// The numbers of a text in canonical form ("1,000" and "1 000" → "1000"; "20,5" → "20.5").
pub fn numbers(text: &str) -> Vec<String> {
    number_spans(text).into_iter().map(|(_, n)| n).collect()
}

/// The numbers of a text with their byte ranges, in canonical form.
pub fn number_spans(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let (mut canon, mut seps) = (String::new(), Vec::new());
    let mut i = 0;
    while i < text.len() {
        if text.as_bytes()[i].is_ascii_digit() {
            let next = read_number(text, i, &mut canon, &mut seps);
            out.push((i..next, canon.clone()));
            i = next;
        } else {
            i += 1;
        }
    }
    out
}

/// The number anchors of a text (the same ids `extract` gives its numbers).
pub fn number_anchors(text: &str) -> Vec<u64> {
    numbers(text)
        .iter()
        .map(|n| hash(Kind::Number, n))
        .collect()
}

/// The dates of a text as (day, month): a day number next to a month name of `lang`
/// ("12 August", "12. August", "12 de agosto", "August 12").
pub fn dates(text: &str, lang: Lang) -> Vec<(u8, u8)> {
    // Tokens: words and numbers, in order; "de" and punctuation between them are skipped.
    let mut tokens: Vec<(bool, String, String)> = Vec::new(); // (is_number, lower, original)
    let mut current = String::new();
    let mut is_num = false;
    let flush = |cur: &mut String, num: bool, tokens: &mut Vec<(bool, String, String)>| {
        if !cur.is_empty() {
            tokens.push((num, cur.to_lowercase(), cur.clone()));
            cur.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !is_num {
                flush(&mut current, is_num, &mut tokens);
            }
            is_num = true;
            current.push(c);
        } else if c.is_alphabetic() {
            if is_num {
                flush(&mut current, is_num, &mut tokens);
            }
            is_num = false;
            current.push(c);
        } else {
            flush(&mut current, is_num, &mut tokens);
        }
    }
    flush(&mut current, is_num, &mut tokens);
    tokens.retain(|t| t.0 || t.1 != "de");
    let mut out = Vec::new();
    for (k, (num, _, digits)) in tokens.iter().enumerate() {
        if !num || digits.len() > 2 {
            continue;
        }
        let Ok(day) = digits.parse::<u8>() else {
            continue;
        };
        if !(1..=31).contains(&day) {
            continue;
        }
        let month_at = |i: usize| tokens.get(i).and_then(|t| month(&t.1, &t.2, lang));
        if let Some(m) = month_at(k + 1).or_else(|| k.checked_sub(1).and_then(month_at)) {
            out.push((day, m));
        }
    }
    out
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
}

/// Extract the features of a paragraph's scoring text written in `lang`.
pub fn extract(text: &str, lang: Lang) -> ParaFeatures {
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        scratch.words.clear();
        scratch.anchors.clear();
        extract_into(text, lang, &mut scratch);
        scratch.anchors.sort_unstable();
        let features = ParaFeatures {
            chars: text.chars().count() as u32,
            words: scratch.words.clone(),
            anchors: scratch.anchors.clone(),
            chrome: false,
        };
        // A huge paragraph's scratch is not kept for the thread's life.
        if scratch.words.capacity() > 1 << 16 {
            *scratch = Scratch::default();
        }
        features
    })
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
    /// A paragraph's words and anchors are collected here, then copied out at their size:
    /// pushed into new vectors, they were reallocated several times each (2% of a run).
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
        let mut out = [0u8; COGNATE_PREFIX];
        let mut n = 0;
        let mut prev = 0u8;
        let mut rest = lower;
        while let Some(&c) = rest.first() {
            if n == COGNATE_PREFIX {
                break;
            }
            let (m, len) = if rest.starts_with(b"sch") {
                (b's', 3)
            } else if rest.starts_with(b"ph") {
                (b'f', 2)
            } else {
                let m = match c {
                    b'c' | b'q' => b'k',
                    b'y' | b'j' => b'i',
                    b'w' => b'v',
                    _ => c,
                };
                (m, 1)
            };
            rest = &rest[len..];
            if m == b'h' {
                continue;
            }
            if m != prev {
                out[n] = m;
                n += 1;
            }
            prev = m;
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

/// The month names of a language, lowercase, with their numbers (Russian: stems).
fn month_names(lang: Lang) -> &'static [(&'static str, u8)] {
    match lang {
        Lang::En => &[
            ("january", 1),
            ("february", 2),
            ("march", 3),
            ("april", 4),
            ("may", 5),
            ("june", 6),
            ("july", 7),
            ("august", 8),
            ("september", 9),
            ("october", 10),
            ("november", 11),
            ("december", 12),
        ],
        Lang::Ru => &[
            ("январ", 1),
            ("феврал", 2),
            ("март", 3),
            ("апрел", 4),
            ("ма", 5),
            ("июн", 6),
            ("июл", 7),
            ("август", 8),
            ("сентябр", 9),
            ("октябр", 10),
            ("ноябр", 11),
            ("декабр", 12),
        ],
        Lang::De => &[
            ("januar", 1),
            ("jänner", 1),
            ("februar", 2),
            ("märz", 3),
            ("april", 4),
            ("mai", 5),
            ("juni", 6),
            ("juli", 7),
            ("august", 8),
            ("september", 9),
            ("oktober", 10),
            ("november", 11),
            ("dezember", 12),
        ],
        Lang::Es => &[
            ("enero", 1),
            ("febrero", 2),
            ("marzo", 3),
            ("abril", 4),
            ("mayo", 5),
            ("junio", 6),
            ("julio", 7),
            ("agosto", 8),
            ("septiembre", 9),
            ("setiembre", 9),
            ("octubre", 10),
            ("noviembre", 11),
            ("diciembre", 12),
        ],
        Lang::Fr => &[
            ("janvier", 1),
            ("février", 2),
            ("mars", 3),
            ("avril", 4),
            ("mai", 5),
            ("juin", 6),
            ("juillet", 7),
            ("août", 8),
            ("septembre", 9),
            ("octobre", 10),
            ("novembre", 11),
            ("décembre", 12),
        ],
    }
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

/// Read the number starting at byte `start` of `text` (an ASCII digit) into `out`, in
/// canonical form; returns the index after it. `seps` is scratch space: numbers are in most
/// paragraphs, and building each one's digit groups as strings was a sixth of a run's
/// allocations.
///
/// Group and decimal separators differ by locale (1,000 / 1 000 / 1.000; 20,5 / 20.5). A
/// separator followed by exactly three digits groups thousands, unless two kinds of
/// separator appear (then the last one is the decimal mark); otherwise it is a decimal mark.
fn read_number(text: &str, start: usize, out: &mut String, seps: &mut Vec<(char, usize)>) -> usize {
    out.clear();
    seps.clear();
    let bytes = text.as_bytes();
    let mut i = start;
    // The digits are collected in `out`; each separator with the digit count before it.
    let mut group_start = 0;
    loop {
        while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            out.push(b as char);
            i += 1;
        }
        let Some(Separator {
            c,
            after,
            digits_after,
            spacey,
        }) = separator(text, i)
        else {
            break;
        };
        // A space only groups thousands: "25 000", not "in 2012 25 people".
        if spacey && (digits_after != 3 || out.len() - group_start > 3) {
            break;
        }
        seps.push((c, out.len()));
        group_start = out.len();
        i = after;
    }
    canonical_number(out, seps);
    i
}

/// A separator within a number: the character at byte `i`, followed by digits.
struct Separator {
    c: char,
    /// The byte after it, and how many digits follow there.
    after: usize,
    digits_after: usize,
    /// A space or apostrophe, which only ever groups thousands.
    spacey: bool,
}

fn separator(text: &str, i: usize) -> Option<Separator> {
    let c = text[i..].chars().next()?;
    let is_sep = matches!(
        c,
        '.' | ',' | '\'' | '’' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'
    );
    let after = i + c.len_utf8();
    let digits_after = text.as_bytes()[after..]
        .iter()
        .take_while(|d| d.is_ascii_digit())
        .count();
    (is_sep && digits_after > 0).then(|| Separator {
        c,
        after,
        digits_after,
        spacey: c.is_whitespace() || matches!(c, '\'' | '’'),
    })
}

/// Turn the digits of a number, read with separators `seps` (each with the digit count
/// before it), into its canonical form in place: the decimal mark a point, no leading zeros
/// before it, no trailing zeros after it.
fn canonical_number(digits: &mut String, seps: &[(char, usize)]) {
    let kinds = |c: char| {
        if c.is_whitespace() || c == '\'' || c == '’' {
            ' '
        } else {
            c
        }
    };
    // Where the decimal mark goes, as a digit count before it.
    let decimal_at = match seps.last() {
        None => None,
        Some(&(last, at)) => {
            let last = kinds(last);
            let mixed = seps.iter().any(|&(s, _)| kinds(s) != last);
            let repeated = seps.iter().filter(|&&(s, _)| kinds(s) == last).count() > 1;
            if mixed && last != ' ' {
                Some(at)
            } else if repeated || last == ' ' || digits.len() - at == 3 {
                None
            } else {
                Some(at)
            }
        }
    };
    let point = decimal_at.unwrap_or(digits.len());
    let frac_end = point + digits[point..].trim_end_matches('0').len();
    digits.truncate(frac_end);
    if frac_end > point {
        digits.insert(point, '.');
    }
    let zeros = digits[..point].bytes().take_while(|&b| b == b'0').count();
    if zeros == point {
        digits.replace_range(..point, "0");
    } else {
        digits.replace_range(..zeros, "");
    }
}

/// The month (1–12) a word names in any of the five languages.
pub fn month_in_any_language(word: &str) -> Option<u8> {
    let lower = word.to_lowercase();
    Lang::ALL.into_iter().find_map(|l| month(&lower, word, l))
}

/// The month (1–12) a word names, for date anchors.
fn month(lower: &str, original: &str, lang: Lang) -> Option<u8> {
    let table = month_names(lang);
    if lang == Lang::Ru {
        // Russian months inflect (марта, мае); "ма" alone is too short to be a prefix.
        let is_may = matches!(lower, "май" | "мая" | "мае" | "маем");
        return table
            .iter()
            .find(|(stem, n)| {
                if *n == 5 {
                    is_may
                } else {
                    lower.starts_with(stem)
                }
            })
            .map(|&(_, n)| n)
            .filter(|_| lower.chars().count() <= 9);
    }
    month_named(lower.as_bytes(), original.as_bytes().first().copied(), lang)
}

/// The month a word names by its whole name in a language that does not inflect them, from
/// its lowercase bytes and its first byte as written (strings need not be made of an ASCII
/// word for it). None for Russian, whose names inflect: `month` reads them.
fn month_named(lower: &[u8], first: Option<u8>, lang: Lang) -> Option<u8> {
    if lang == Lang::Ru {
        return None;
    }
    let n = month_names(lang)
        .iter()
        .find(|(name, _)| name.as_bytes() == lower)?
        .1;
    // English "may" is a verb far more often than a month.
    if lang == Lang::En && n == 5 && first != Some(b'M') {
        return None;
    }
    Some(n)
}

/// Fold a lowercased word towards a script- and spelling-independent skeleton, so that names
/// and cognates match across languages: Cyrillic transliterated, diacritics dropped, letters
/// that spell the same sound merged, doubled letters single.
pub fn fold(lower: &str) -> String {
    let latin: std::borrow::Cow<str> = if lower.is_ascii() {
        lower.into()
    } else {
        let mut latin = String::with_capacity(lower.len());
        for c in lower.nfd() {
            if is_combining_mark(c) {
                continue;
            }
            match translit(c) {
                Some(s) => latin.push_str(s),
                None => latin.push(c),
            }
        }
        latin.into()
    };
    let mut out = String::with_capacity(latin.len());
    let mut prev = '\0';
    let mut rest: &str = &latin;
    while let Some(c) = rest.chars().next() {
        // German and English spell one sound with several letters.
        let (m, len) = if rest.starts_with("sch") {
            ('s', 3)
        } else if rest.starts_with("ph") {
            ('f', 2)
        } else {
            let m = match c {
                'c' | 'q' => 'k',
                'y' | 'j' => 'i',
                'w' => 'v',
                'ß' => 's',
                _ => c,
            };
            (m, c.len_utf8())
        };
        rest = &rest[len..];
        if m == 'h' {
            continue;
        }
        if m != prev {
            out.push(m);
        }
        prev = m;
    }
    out
}

fn translit(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
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

    fn numbers(text: &str) -> Vec<String> {
        number_spans(text).into_iter().map(|(_, n)| n).collect()
    }

    /// The number reader as first written, digit groups as strings (it shares only the
    /// separator test): the oracle of the reader that allocates nothing.
    fn read_number_by_groups(text: &str, start: usize) -> (String, usize) {
        let mut groups: Vec<String> = vec![String::new()];
        let mut seps: Vec<char> = Vec::new();
        let mut i = start;
        while let Some(c) = text[i..].chars().next() {
            if c.is_ascii_digit() {
                groups.last_mut().unwrap().push(c);
                i += 1;
                continue;
            }
            let Some(sep) = separator(text, i) else {
                break;
            };
            if sep.spacey && (sep.digits_after != 3 || groups.last().unwrap().len() > 3) {
                break;
            }
            seps.push(c);
            groups.push(String::new());
            i = sep.after;
        }
        let kinds = |c: char| {
            if c.is_whitespace() || c == '\'' || c == '’' {
                ' '
            } else {
                c
            }
        };
        let decimal_at = match seps.len() {
            0 => None,
            _ => {
                let last = *seps.last().unwrap();
                let mixed = seps.iter().any(|&s| kinds(s) != kinds(last));
                let repeated = seps.iter().filter(|&&s| kinds(s) == kinds(last)).count() > 1;
                if mixed && kinds(last) != ' ' {
                    Some(seps.len())
                } else if repeated || kinds(last) == ' ' || groups.last().unwrap().len() == 3 {
                    None
                } else {
                    Some(seps.len())
                }
            }
        };
        let mut out = String::new();
        for (k, g) in groups.iter().enumerate() {
            if Some(k) == decimal_at {
                out.push('.');
            }
            out.push_str(g);
        }
        let (int, frac) = out.split_once('.').unwrap_or((&out, ""));
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        let frac = frac.trim_end_matches('0');
        let canon = if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        };
        (canon, i)
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

    /// A digit, then digits, separators and other characters in runs.
    fn number_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = proptest::sample::select(vec![
            "0", "1", "5", "00", "000", "123", "1234", ".", ",", "'", "’", " ", "\u{a0}",
            "\u{202f}", "\u{2009}", "a", "-",
        ]);
        proptest::collection::vec(piece, 1..14).prop_map(|v| format!("1{}", v.concat()))
    }

    proptest::proptest! {
        #[test]
        fn the_number_reader_reads_as_the_group_reader(text in number_text()) {
            let (mut out, mut seps) = (String::new(), Vec::new());
            let end = read_number(&text, 0, &mut out, &mut seps);
            proptest::prop_assert_eq!((out, end), read_number_by_groups(&text, 0));
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
    fn numbers_are_locale_aware() {
        assert_eq!(
            numbers("1,000 and 1 000 and 1.000 and 1\u{a0}000"),
            ["1000"; 4]
        );
        assert_eq!(numbers("20,5 or 20.5 or 20,50"), ["20.5"; 3]);
        assert_eq!(numbers("1.234.567,89 = 1,234,567.89"), ["1234567.89"; 2]);
        assert_eq!(numbers("in 2012 25 people"), ["2012", "25"]);
        assert_eq!(numbers("12. August 2012 11:21"), ["12", "2012", "11", "21"]);
        assert_eq!(numbers("Jahr 2012, 147 Stimmen"), ["2012", "147"]);
        assert_eq!(numbers("25 000 Menschen"), ["25000"]);
    }

    #[test]
    fn names_fold_across_scripts() {
        assert_eq!(fold("тимошенко"), fold("timoschenko"));
        assert_eq!(fold("тимошенко")[..4], fold("tymoshenko")[..4]);
        assert_eq!(fold("комиссия")[..4], fold("commission")[..4]);
        assert_eq!(fold("ucrania")[..4], fold("украина")[..4]);
    }

    #[test]
    fn months_are_named_in_full_and_english_may_only_capitalized() {
        for l in Lang::ALL {
            for &(name, n) in month_names(l) {
                let capitalized: String = name
                    .chars()
                    .next()
                    .into_iter()
                    .flat_map(char::to_uppercase)
                    .chain(name.chars().skip(1))
                    .collect();
                let named = |first: &str| {
                    month_named(name.as_bytes(), first.as_bytes().first().copied(), l)
                };
                // Russian names inflect: `month` reads them, by their stems.
                let expected = (l != Lang::Ru).then_some(n);
                assert_eq!(named(&capitalized), expected, "{capitalized} in {l:?}");
                let lowercase = if (l, n) == (Lang::En, 5) {
                    None
                } else {
                    expected
                };
                assert_eq!(named(name), lowercase, "{name} in {l:?}");
                // A name cut short names nothing.
                let (last, _) = name.char_indices().last().unwrap();
                assert_eq!(month_named(&name.as_bytes()[..last], Some(b'X'), l), None);
                // No ASCII word names a Russian month, so ASCII words skip `month`.
                if name.is_ascii() {
                    assert_eq!(month(name, &capitalized, Lang::Ru), None, "{name}");
                }
            }
        }
    }

    #[test]
    fn every_ascii_month_name_passes_the_quick_test() {
        for l in Lang::ALL {
            for (name, _) in month_names(l).iter().filter(|(n, _)| n.is_ascii()) {
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
}
