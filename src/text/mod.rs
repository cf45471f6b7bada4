//! Text: decode, normalize and split documents into paragraphs; check their language.
//!
//! Two views of a paragraph exist. The *output* text is the input NFC-normalized with
//! whitespace folded and nothing else changed: that is what goes into the corpora. The
//! *scoring* text also drops soft hyphens and zero-width characters, which scrapes carry
//! invisibly and which would otherwise split words and skew lengths.

pub mod anchors;
pub mod chrome;
pub mod lang;
pub mod langcheck;
pub mod sentences;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

pub use lang::{ByLang, Lang};

/// Why a file's bytes cannot be read as a document.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TextError {
    #[error("not valid UTF-8 at byte offset {offset}")]
    NotUtf8 { offset: usize },
    #[error("not valid {encoding} (the encoding {source_of_it})")]
    Malformed {
        encoding: &'static str,
        source_of_it: &'static str,
    },
    #[error("binary content (NUL byte at byte offset {offset}){hint}")]
    Binary { offset: usize, hint: &'static str },
    #[error("binary content ({count} control characters, first at byte offset {offset})")]
    ControlChars { count: usize, offset: usize },
    #[error("empty: no paragraph with text")]
    Empty,
    #[error("too many paragraphs: {count}, over the limit of {max} (--max-paragraphs)")]
    TooManyParagraphs { count: usize, max: usize },
}

const BOM: char = '\u{feff}';

/// Decode a file's bytes: UTF-8 (with or without a byte order mark), or UTF-16 with its
/// byte order mark.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, TextError> {
    decode_declared(bytes, None)
}

/// Decode a file's bytes as [`decode`] does or, when it has no byte order mark, in the
/// encoding its markup declares (`<meta charset="windows-1251">`); then check that it is
/// text: no NUL, few control characters. Offsets in errors are byte offsets in the file.
pub fn decode_declared<'a>(
    bytes: &'a [u8],
    declared: Option<&'static Encoding>,
) -> Result<Cow<'a, str>, TextError> {
    // A byte order mark outranks a declaration, as in browsers.
    let bom = Encoding::for_bom(bytes);
    let (encoding, source_of_it, body) = match (bom, declared) {
        (Some((e, len)), _) if e != UTF_8 => (e, "its byte order mark says", &bytes[len..]),
        (None, Some(e)) if e != UTF_8 => (e, "the page declares", bytes),
        _ => return decode_utf8(bytes),
    };
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or(TextError::Malformed {
            encoding: encoding.name(),
            source_of_it,
        })?;
    // An offset in the decoded text, as one in the file: the text before it, encoded again.
    let lead = bytes.len() - body.len();
    let in_file = |i: usize| {
        lead + if encoding == UTF_16LE || encoding == UTF_16BE {
            2 * text[..i].encode_utf16().count()
        } else {
            encoding.encode(&text[..i]).0.len()
        }
    };
    check_text(&text).map_err(|e| e.at(in_file))?;
    Ok(Cow::Owned(text.into_owned()))
}

/// UTF-8, an optional byte order mark dropped.
fn decode_utf8(bytes: &[u8]) -> Result<Cow<'_, str>, TextError> {
    if let Some(offset) = memchr_nul(bytes) {
        return Err(TextError::Binary {
            offset,
            hint: utf16_hint(bytes),
        });
    }
    // Validated with SIMD: every byte of an archive passes through here.
    let text = simdutf8::compat::from_utf8(bytes).map_err(|e| TextError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let lead = bytes.len() - text.len();
    check_text(text).map_err(|e| e.at(|i| lead + i))?;
    Ok(Cow::Borrowed(text))
}

/// UTF-16 without its byte order mark shows as every other byte NUL: say so.
fn utf16_hint(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(64) & !1];
    let nul_at = |parity: usize| {
        head.len() >= 4
            && head
                .iter()
                .enumerate()
                .all(|(i, &b)| (i % 2 == parity) == (b == 0))
    };
    if nul_at(0) || nul_at(1) {
        "; it looks like UTF-16 without a byte order mark"
    } else {
        ""
    }
}

impl TextError {
    /// The error with its offset, counted in the decoded text, turned into one in the file.
    fn at(self, in_file: impl Fn(usize) -> usize) -> TextError {
        match self {
            TextError::Binary { offset, hint } => TextError::Binary {
                offset: in_file(offset),
                hint,
            },
            TextError::ControlChars { count, offset } => TextError::ControlChars {
                count,
                offset: in_file(offset),
            },
            other => other,
        }
    }
}

/// Is decoded text text? No NUL, and few control characters: text has the odd stray one,
/// binary data has many. Offsets are in `text`.
fn check_text(text: &str) -> Result<(), TextError> {
    let b = text.as_bytes();
    if let Some(offset) = memchr_nul(b) {
        return Err(TextError::Binary { offset, hint: "" });
    }
    // Counted off the bytes: C0 controls and DEL are one byte (counted in a pass the
    // compiler vectorizes), C1 controls 0xC2 0x80..=0x9F. The first control's offset only
    // when there is one.
    let single =
        |byte: u8| (byte <= 0x1f && !matches!(byte, b'\n' | b'\r' | b'\t' | 0x0c)) || byte == 0x7f;
    let c1 = |i: usize| matches!(b.get(i + 1), Some(0x80..=0x9f));
    // Counted in blocks of at most 255 bytes, in a byte each: wide counters would widen
    // every byte first.
    let count = b
        .chunks(255)
        .map(|block| block.iter().fold(0u8, |n, &x| n + single(x) as u8) as usize)
        .sum::<usize>()
        + memchr::memchr_iter(0xc2, b).filter(|&i| c1(i)).count();
    if count > 0 && count * 100 > text.len().max(1) {
        let first = (0..b.len())
            .find(|&i| single(b[i]) || (b[i] == 0xc2 && c1(i)))
            .unwrap_or(0);
        return Err(TextError::ControlChars {
            count,
            offset: first,
        });
    }
    Ok(())
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

/// What becomes of the line breaks inside a paragraph.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LineBreaks {
    /// Folded into spaces, as any whitespace: a paragraph is one line of text.
    #[default]
    Fold,
    /// Kept as `\n` between the paragraph's lines (each line normalized on its own), for
    /// input with one sentence a line.
    Keep,
}

/// Split text into paragraphs at blank lines (CRLF accepted); each paragraph is returned as
/// output text (NFC, whitespace folded). Paragraphs with no text (see [`has_text`]) do not
/// exist.
pub fn split_paragraphs(text: &str) -> Vec<String> {
    split_paragraphs_at_most(text, usize::MAX, LineBreaks::Fold).expect("no limit")
}

/// [`split_paragraphs`], or an error when there are more than `max` paragraphs (which are
/// counted, not kept).
pub fn split_paragraphs_at_most(
    text: &str,
    max: usize,
    breaks: LineBreaks,
) -> Result<Vec<String>, TextError> {
    // Old Mac files end lines with CR alone, and U+2029 separates paragraphs: both read as
    // the line breaks they stand for.
    if has_lone_cr(text) || text.contains('\u{2029}') {
        let lf = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .replace('\u{2029}', "\n\n");
        return split_lf_paragraphs(&lf, max, breaks);
    }
    split_lf_paragraphs(text, max, breaks)
}

/// Is there a CR not followed by LF?
fn has_lone_cr(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'\r', b).any(|i| b.get(i + 1) != Some(&b'\n'))
}

/// [`split_paragraphs_at_most`] of text whose lines end in LF (or CRLF).
fn split_lf_paragraphs(
    text: &str,
    max: usize,
    breaks: LineBreaks,
) -> Result<Vec<String>, TextError> {
    // A paragraph's lines are normalized as they stand in the text, line breaks and all:
    // folding turns each break into the space that joins the lines, without copying them
    // into a paragraph first. Past `max`, paragraphs are only counted.
    let mut paras = Vec::new();
    let mut count = 0;
    let mut para: Option<std::ops::Range<usize>> = None;
    let mut at = 0;
    let mut end_paragraph = |p: std::ops::Range<usize>| {
        count += 1;
        if count <= max {
            paras.push(match breaks {
                LineBreaks::Fold => output_text(&text[p]),
                LineBreaks::Keep => lines_kept(&text[p]),
            });
        }
    };
    for line in text.split('\n') {
        let start = at;
        at += line.len() + 1;
        if line.trim().is_empty() {
            if let Some(p) = para.take() {
                end_paragraph(p);
            }
        } else {
            para.get_or_insert(start..start).end = start + line.len();
        }
    }
    if let Some(p) = para {
        end_paragraph(p);
    }
    if count > max {
        return Err(TextError::TooManyParagraphs { count, max });
    }
    paras.retain(|p| has_text(p));
    Ok(paras)
}

/// A paragraph's lines, each as output text, joined by `\n`; lines with no text (see
/// [`has_text`]) dropped.
fn lines_kept(paragraph: &str) -> String {
    let lines: Vec<String> = paragraph
        .split('\n')
        .map(output_text)
        .filter(|l| has_text(l))
        .collect();
    lines.join("\n")
}

/// Decode and split a whole file.
pub fn read_paragraphs(
    bytes: &[u8],
    max: usize,
    breaks: LineBreaks,
) -> Result<Vec<String>, TextError> {
    let paras = split_paragraphs_at_most(&decode(bytes)?, max, breaks)?;
    if paras.iter().all(|p| scoring_text(p).is_empty()) {
        return Err(TextError::Empty);
    }
    Ok(paras)
}

/// NFC, with every run of whitespace folded to one space and the ends trimmed.
pub fn output_text(s: &str) -> String {
    // Most text is NFC already; the quick check spares normalizing it again, and text
    // whose every character is NFC whatever stands around it spares the quick check.
    if nfc_whatever_the_neighbours_text(s.as_bytes())
        || unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return fold_whitespace(s);
    }
    let nfc: String = s.nfc().collect();
    fold_whitespace(&nfc)
}

/// Is this UTF-8 byte a continuation byte or the lead byte of a character that is NFC and
/// keeps any text NFC next to characters of the same kind: below U+0300 (leads below
/// 0xCC; none combines) and Cyrillic, U+0400–U+04FF (leads 0xD0–0xD3; its few combining
/// marks are all of one class and compose with nothing).
fn nfc_whatever_the_neighbours(b: u8) -> bool {
    b < 0xcc || (0xd0..=0xd3).contains(&b)
}

/// Is `b` text of characters that are NFC whatever stands around them: those of
/// [`nfc_whatever_the_neighbours`], and the punctuation, super- and subscripts and currency
/// signs of news text, U+2002–U+20BF (E2 80 82 to E2 82 BF: quotes, dashes, ellipsis, €).
/// First a pass the compiler vectorizes; only text that fails it is looked at byte by byte.
fn nfc_whatever_the_neighbours_text(b: &[u8]) -> bool {
    let each_byte = |block: &[u8]| {
        block
            .iter()
            .fold(true, |ok, &c| ok & nfc_whatever_the_neighbours(c))
    };
    if b.chunks(64).all(each_byte) {
        return true;
    }
    let mut i = 0;
    while i < b.len() {
        if nfc_whatever_the_neighbours(b[i]) {
            i += 1;
            continue;
        }
        match &b[i..] {
            [0xe2, 0x80, 0x82..=0xbf, ..] | [0xe2, 0x81 | 0x82, 0x80..=0xbf, ..] => i += 3,
            _ => return false,
        }
    }
    true
}

fn fold_whitespace(s: &str) -> String {
    // Most text has single ASCII spaces between words and none at the ends: copied as is.
    // Checked in passes the compiler vectorizes or `memchr` makes quick: quotes and dashes
    // share their lead byte with whitespace characters, so lead bytes alone say too little.
    let b = s.as_bytes();
    if b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && !has_ascii_break(b)
        && memchr::memmem::find(b, b"  ").is_none()
        && !has_unicode_space(b)
    {
        return s.to_string();
    }
    // Otherwise runs between whitespace (`char::is_whitespace`) are copied whole, and only
    // characters whose lead byte some whitespace shares are decoded.
    let mut out = String::with_capacity(s.len());
    let mut push = |run: &str| {
        if !run.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(run);
        }
    };
    let (mut i, mut run) = (0, 0);
    while i < b.len() {
        let space = match MAY_BE_SPACE[b[i] as usize] {
            NOT => 0,
            SPACE | BREAK => 1,
            _ => s[i..]
                .chars()
                .next()
                .filter(|c| c.is_whitespace())
                .map_or(0, char::len_utf8),
        };
        if space == 0 {
            i += 1;
            continue;
        }
        push(&s[run..i]);
        i += space;
        run = i;
    }
    push(&s[run..]);
    out
}

/// Does `b` hold a tab, or a line or page break (U+0009–U+000D)? Branch-free per block, so
/// the compiler vectorizes it.
fn has_ascii_break(b: &[u8]) -> bool {
    b.chunks(64).any(|block| {
        block.iter().fold(false, |any, &c| {
            any | (c.wrapping_sub(b'\t') <= b'\r' - b'\t')
        })
    })
}

/// Does `b` hold whitespace outside ASCII (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028,
/// U+2029, U+202F, U+205F, U+3000)? Read off their UTF-8, looking only where one of their
/// lead bytes stands.
fn has_unicode_space(b: &[u8]) -> bool {
    let at = |i: usize| {
        matches!(
            &b[i..],
            [0xc2, 0x85 | 0xa0, ..]
                | [0xe1, 0x9a, 0x80, ..]
                | [0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf, ..]
                | [0xe2, 0x81, 0x9f, ..]
                | [0xe3, 0x80, 0x80, ..]
        )
    };
    memchr::memchr3_iter(0xc2, 0xe2, 0xe3, b).any(at) || memchr::memchr_iter(0xe1, b).any(at)
}

/// What a byte of UTF-8 says about whitespace: none starts there, a space is there, a tab
/// or line or page break is there, or a character that may be whitespace starts there
/// (0xC2, 0xE1, 0xE2, 0xE3 lead every other whitespace character).
const MAY_BE_SPACE: [u8; 256] = {
    let mut t = [NOT; 256];
    t[b' ' as usize] = SPACE;
    let mut c = b'\t';
    while c <= b'\r' {
        t[c as usize] = BREAK;
        c += 1;
    }
    t[0xc2] = MAYBE;
    t[0xe1] = MAYBE;
    t[0xe2] = MAYBE;
    t[0xe3] = MAYBE;
    t
};
const NOT: u8 = 0;
const SPACE: u8 = 1;
const BREAK: u8 = 2;
const MAYBE: u8 = 3;

/// Invisible characters that scrapes carry inside words.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// Does `text` hold an invisible character? Read off its UTF-8 (C2 AD, E2 80 8B..8D,
/// E2 81 A0, EF BB BF) without decoding: accented letters and quotes share those lead bytes.
fn has_invisible(text: &[u8]) -> bool {
    memchr::memchr3_iter(0xc2, 0xe2, 0xef, text).any(|i| {
        matches!(
            &text[i..],
            [0xc2, 0xad, ..]
                | [0xe2, 0x80, 0x8b..=0x8d, ..]
                | [0xe2, 0x81, 0xa0, ..]
                | [0xef, 0xbb, 0xbf, ..]
        )
    })
}

/// Does `s` hold text: a character that is not whitespace, a control character or an
/// invisible one? A scrape's stray control bytes alone make no paragraph, line or
/// sentence: every format would write them as nothing, or as a blank line that shifts the
/// sentence numbers of `sentences/`.
pub fn has_text(s: &str) -> bool {
    s.chars()
        .any(|c| !c.is_whitespace() && !c.is_control() && !is_invisible(c))
}

/// The text used for scoring: output text without soft hyphens and zero-width characters.
pub fn scoring_text(output: &str) -> std::borrow::Cow<'_, str> {
    if !has_invisible(output.as_bytes()) {
        return output.into();
    }
    let stripped: String = output.chars().filter(|&c| !is_invisible(c)).collect();
    fold_whitespace(&stripped).into()
}

/// `s` safe to print on a terminal and to read in a log: control characters (terminal escape
/// sequences start with one), line and paragraph separators and bidirectional overrides
/// written as `\u{1b}` escapes; everything else as it is.
pub fn printable(s: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `c.is_alphabetic()`, answered without a table lookup for the scripts of the five
/// languages (Latin with its accented letters, Cyrillic).
pub fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7f}' => false,
        '\u{c0}'..='\u{24f}' => !matches!(c, '\u{d7}' | '\u{f7}'),
        '\u{400}'..='\u{481}' | '\u{48a}'..='\u{52f}' => true,
        _ => c.is_alphabetic(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_nfc_whatever_the_neighbours_characters_is_nfc() {
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        // Every character of the kind before and after every other: the quick check looks
        // at each character and the order of neighbouring combining marks, no further.
        let kind: Vec<char> = ('\0'..=char::MAX)
            .filter(|c| {
                let mut buf = [0u8; 4];
                nfc_whatever_the_neighbours_text(c.encode_utf8(&mut buf).as_bytes())
            })
            .collect();
        assert!(kind.contains(&'я') && kind.contains(&'é') && !kind.contains(&'\u{301}'));
        assert!(kind.contains(&'—') && kind.contains(&'€') && !kind.contains(&'\u{2001}'));
        for &x in &kind {
            for &y in &kind {
                assert_eq!(
                    is_nfc_quick([x, y].into_iter()),
                    IsNormalized::Yes,
                    "U+{:04X} U+{:04X}",
                    x as u32,
                    y as u32
                );
            }
        }
    }

    #[test]
    fn splits_on_blank_lines_with_crlf_and_bom() {
        let text = "\u{feff}First line\r\ncontinues\r\n\r\n  \r\nSecond\u{a0}para \r\n";
        let paras = read_paragraphs_(text.as_bytes()).unwrap();
        assert_eq!(paras, ["First line continues", "Second para"]);
    }

    #[test]
    fn is_letter_is_is_alphabetic() {
        for c in ('\0'..='\u{3000}').chain(['\u{4e00}', '\u{1f600}']) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn folds_every_kind_of_whitespace() {
        for c in ('\0'..='\u{3000}').filter(|c| c.is_whitespace()) {
            let text = format!("a{c}b");
            assert_eq!(fold_whitespace(&text), "a b", "U+{:04X}", c as u32);
        }
        // Every character, next to letters and spaces: the quick checks let through only
        // text that needs no folding.
        for c in '\0'..=char::MAX {
            for text in [format!("a{c}b"), format!("a {c}b"), format!("a{c} b")] {
                let words: Vec<&str> = text
                    .split(char::is_whitespace)
                    .filter(|w| !w.is_empty())
                    .collect();
                assert_eq!(
                    fold_whitespace(&text),
                    words.join(" "),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        assert_eq!(fold_whitespace(" a  b "), "a b");
        assert_eq!(fold_whitespace("a b"), "a b");
    }

    /// Some text of the characters the byte-level scans treat specially: ASCII controls and
    /// spaces, and characters whose UTF-8 starts as whitespace and invisibles do.
    fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let special = prop_oneof![
            Just('\u{a0}'),
            Just('\u{ad}'),
            Just('\u{85}'),
            Just('\u{1680}'),
            Just('\u{2000}'),
            Just('\u{200b}'),
            Just('\u{200d}'),
            Just('\u{200e}'),
            Just('\u{2028}'),
            Just('\u{2029}'),
            Just('\u{2060}'),
            Just('\u{3000}'),
            Just('\u{feff}'),
            Just('«'),
            Just('’'),
            Just('é'),
            Just('ж'),
        ];
        let c = prop_oneof![3 => proptest::char::range('\0', '\u{7f}'), 2 => special];
        proptest::collection::vec(c, 0..40).prop_map(|v| v.into_iter().collect())
    }

    /// Paragraphs by their definition: runs of non-blank lines, joined by a space; a line
    /// ends at LF, CRLF or a lone CR, and U+2029 ends a paragraph; a run with no text
    /// (control and invisible characters alone) is none.
    fn paragraphs_by_lines(text: &str) -> Vec<String> {
        let mut paras = Vec::new();
        let mut current = String::new();
        let text = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .replace('\u{2029}', "\n\n");
        for line in text.split('\n') {
            if line.trim().is_empty() {
                if !current.is_empty() {
                    paras.push(output_text(&current));
                    current.clear();
                }
            } else {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(line);
            }
        }
        if !current.is_empty() {
            paras.push(output_text(&current));
        }
        paras.retain(|p| has_text(p));
        paras
    }

    proptest::proptest! {
        #[test]
        fn paragraphs_are_runs_of_lines(
            lines in proptest::collection::vec(
                proptest::prop_oneof![tricky_text(), proptest::string::string_regex("[ \t\r\u{a0}]{0,3}").unwrap()],
                0..12,
            )
        ) {
            let text = lines.join("\n");
            proptest::prop_assert_eq!(split_paragraphs(&text), paragraphs_by_lines(&text));
        }

        #[test]
        fn byte_scans_agree_with_their_definitions(text in tricky_text()) {
            let words: Vec<&str> = text.split(char::is_whitespace).filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(fold_whitespace(&text), words.join(" "));
            proptest::prop_assert_eq!(has_invisible(text.as_bytes()), text.chars().any(is_invisible));
            let controls: Vec<usize> = text
                .char_indices()
                .filter(|&(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
                .map(|(i, _)| i)
                .collect();
            let padded = text.clone() + &"x".repeat(100 * controls.len());
            let expected = match (controls.first(), text.contains('\0')) {
                (_, true) => None,
                (Some(&offset), false) if controls.len() * 100 > text.len() => {
                    Some(TextError::ControlChars { count: controls.len(), offset })
                }
                _ => None,
            };
            if !text.contains('\0') {
                proptest::prop_assert_eq!(decode(text.as_bytes()).err(), expected);
                proptest::prop_assert!(decode(padded.as_bytes()).is_ok());
            }
        }
    }

    #[test]
    fn below_u0300_everything_is_nfc_already() {
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        for c in '\0'..'\u{300}' {
            assert_eq!(
                is_nfc_quick(std::iter::once(c)),
                IsNormalized::Yes,
                "U+{:04X}",
                c as u32
            );
            assert_eq!(
                output_text(&format!("x{c}y")),
                fold_whitespace(&format!("x{c}y"))
            );
        }
    }

    #[test]
    fn control_characters_are_counted_as_chars() {
        let text = "a\u{1}b\u{85}c\u{7f}\td\u{c}é\u{9f}".repeat(2);
        assert!(matches!(
            decode(text.as_bytes()),
            Err(TextError::ControlChars {
                count: 8,
                offset: 1
            })
        ));
    }

    #[test]
    fn control_characters_alone_make_no_paragraph_and_no_line() {
        assert_eq!(
            split_paragraphs("First.\n\n\u{1}\u{2}\n\n\u{ad} \u{7f}\n\nSecond."),
            ["First.", "Second."]
        );
        let kept = split_paragraphs_at_most("One.\n\u{1}\nTwo.", 10, LineBreaks::Keep).unwrap();
        assert_eq!(kept, ["One.\nTwo."]);
        // Beside text they stay: output text changes nothing but whitespace.
        assert_eq!(split_paragraphs("\u{1}One."), ["\u{1}One."]);
        assert!(!has_text(" \u{1}\u{200b}\t") && has_text("\u{1}x"));
    }

    #[test]
    fn output_is_nfc() {
        // e + combining acute becomes é
        assert_eq!(output_text("Caf\u{65}\u{301}"), "Café");
    }

    #[test]
    fn scoring_drops_soft_hyphens_but_output_keeps_them() {
        let p = output_text("Zusam\u{ad}men\u{200b}arbeit");
        assert_eq!(p, "Zusam\u{ad}men\u{200b}arbeit");
        assert_eq!(scoring_text(&p), "Zusammenarbeit");
    }

    fn read_paragraphs_(bytes: &[u8]) -> Result<Vec<String>, TextError> {
        read_paragraphs(bytes, 1000, LineBreaks::Fold)
    }

    #[test]
    fn printable_escapes_what_a_terminal_obeys() {
        assert_eq!(printable("plain é ж"), "plain é ж");
        assert_eq!(
            printable("a\u{1b}[2Jb\u{7}\u{2028}\u{202e}"),
            "a\\u{1b}[2Jb\\u{7}\\u{2028}\\u{202e}"
        );
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_text_and_offsets_are_the_files() {
        let mut le = vec![0xff, 0xfe];
        le.extend(
            "Ab\u{1}\u{2}\u{3}\u{4}"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        assert_eq!(
            decode(&le),
            Err(TextError::ControlChars {
                count: 4,
                offset: 6
            })
        );
        let mut be = vec![0xfe, 0xff];
        be.extend("Жук\n\nДва".encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(read_paragraphs_(&be).unwrap(), ["Жук", "Два"]);
        let bare: Vec<u8> = "Text"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert!(decode(&bare).unwrap_err().to_string().contains("UTF-16"));
    }

    #[test]
    fn rejects_bad_bytes_with_offsets() {
        assert_eq!(
            read_paragraphs_(b"ok\n\nbad \xff here"),
            Err(TextError::NotUtf8 { offset: 8 })
        );
        assert_eq!(
            read_paragraphs_(b"abc\0def"),
            Err(TextError::Binary {
                offset: 3,
                hint: ""
            })
        );
        assert_eq!(read_paragraphs_(b"  \n\n \r\n"), Err(TextError::Empty));
        assert!(matches!(
            read_paragraphs_(b"\x01\x02\x03\x04abc"),
            Err(TextError::ControlChars { count: 4, .. })
        ));
    }
}
