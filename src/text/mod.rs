//! Text: decode, normalize and split documents into paragraphs; check their language.
//!
//! Two views of a paragraph exist. The *output* text is the input NFC-normalized with
//! whitespace folded and nothing else changed: that is what goes into the corpora. The
//! *scoring* text also drops soft hyphens and zero-width characters, which scrapes carry
//! invisibly and which would otherwise split words and skew lengths.

pub mod chrome;
pub mod lang;
pub mod langcheck;

use unicode_normalization::UnicodeNormalization;

pub use lang::Lang;

/// Why a file's bytes cannot be read as a document.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TextError {
    #[error("not valid UTF-8 at byte offset {offset}")]
    NotUtf8 { offset: usize },
    #[error("binary content (NUL byte at byte offset {offset})")]
    Binary { offset: usize },
    #[error("binary content ({count} control characters, first at byte offset {offset})")]
    ControlChars { count: usize, offset: usize },
    #[error("empty: no paragraph with text")]
    Empty,
}

const BOM: char = '\u{feff}';

/// Decode a text file: UTF-8, optional BOM, no NUL bytes, few control characters.
pub fn decode(bytes: &[u8]) -> Result<&str, TextError> {
    if let Some(offset) = memchr_nul(bytes) {
        return Err(TextError::Binary { offset });
    }
    // Validated with SIMD: std's byte loop was 1.3 % of an archive run (perf, 20,000 statements).
    let text = simdutf8::compat::from_utf8(bytes).map_err(|e| TextError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    // Text has the odd stray control character; binary data has many. Counted off the
    // bytes: C0 controls and DEL are one byte (counted in a pass the compiler vectorizes),
    // C1 controls 0xC2 0x80..=0x9F. The first control's offset only when there is one.
    let b = text.as_bytes();
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
    let first = (count > 0).then(|| {
        (0..b.len())
            .find(|&i| single(b[i]) || (b[i] == 0xc2 && c1(i)))
            .unwrap_or(0)
    });
    if count > 0 && count * 100 > text.len().max(1) {
        return Err(TextError::ControlChars {
            count,
            offset: first.unwrap_or(0) + (bytes.len() - text.len()),
        });
    }
    Ok(text)
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

/// Split text into paragraphs at blank lines (CRLF accepted); each paragraph is returned as
/// output text (NFC, whitespace folded). Paragraphs that are only whitespace do not exist.
pub fn split_paragraphs(text: &str) -> Vec<String> {
    // A paragraph's lines are normalized as they stand in the text, line breaks and all:
    // folding turns each break into the space that joins the lines, without copying them
    // into a paragraph first.
    let mut paras = Vec::new();
    let mut para: Option<std::ops::Range<usize>> = None;
    let mut at = 0;
    for line in text.split('\n') {
        let start = at;
        at += line.len() + 1;
        if line.trim().is_empty() {
            if let Some(p) = para.take() {
                paras.push(output_text(&text[p]));
            }
        } else {
            para.get_or_insert(start..start).end = start + line.len();
        }
    }
    if let Some(p) = para {
        paras.push(output_text(&text[p]));
    }
    paras.retain(|p| !p.is_empty());
    paras
}

/// Decode and split a whole file.
pub fn read_paragraphs(bytes: &[u8]) -> Result<Vec<String>, TextError> {
    let paras = split_paragraphs(decode(bytes)?);
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

/// The text used for scoring: output text without soft hyphens and zero-width characters.
pub fn scoring_text(output: &str) -> std::borrow::Cow<'_, str> {
    if !has_invisible(output.as_bytes()) {
        return output.into();
    }
    let stripped: String = output.chars().filter(|&c| !is_invisible(c)).collect();
    fold_whitespace(&stripped).into()
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
        let paras = read_paragraphs(text.as_bytes()).unwrap();
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

    /// Paragraphs by their definition: runs of non-blank lines, joined by a space.
    fn paragraphs_by_lines(text: &str) -> Vec<String> {
        let mut paras = Vec::new();
        let mut current = String::new();
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
        paras.retain(|p| !p.is_empty());
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

    #[test]
    fn rejects_bad_bytes_with_offsets() {
        assert_eq!(
            read_paragraphs(b"ok\n\nbad \xff here"),
            Err(TextError::NotUtf8 { offset: 8 })
        );
        assert_eq!(
            read_paragraphs(b"abc\0def"),
            Err(TextError::Binary { offset: 3 })
        );
        assert_eq!(read_paragraphs(b"  \n\n \r\n"), Err(TextError::Empty));
        assert!(matches!(
            read_paragraphs(b"\x01\x02\x03\x04abc"),
            Err(TextError::ControlChars { count: 4, .. })
        ));
    }
}
