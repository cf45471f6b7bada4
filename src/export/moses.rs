//! `moses/<l1>-<l2>.<l1>` and `.<l2>`: line-aligned plain text per pair, one line per bead
//! with text (not page chrome) on both sides — the input of Moses and most MT training
//! pipelines, of paragraphs or of sentences as the run's level says. Written once: each
//! batch appends its lines to the corpus-wide files.

use super::{Batch, ExportError, Exporter, Output};
use crate::text::ByLang;
use crate::text::lang::pairs;
use std::borrow::Cow;
use std::path::Path;

pub struct Moses;

impl Exporter for Moses {
    fn write(&self, batch: &Batch, out: &Output) -> Result<(), ExportError> {
        let corpus = batch.corpus;
        // Each batch appends its lines, batches in order; `finish` names the files.
        let pairs = pairs(&corpus.langs);
        // Each side sized for all its language's text in the batch, a little more than its
        // lines take: grown by doubling, a batch's few megabytes were copied several times.
        let text_bytes: ByLang<usize> = ByLang::from_fn(|l| {
            corpus
                .statements
                .iter()
                .filter_map(|st| st.at(corpus.level).doc(l))
                .flat_map(|d| &d.paragraphs)
                .map(|p| p.len() + 1)
                .sum()
        });
        let mut lines: Vec<(Vec<u8>, Vec<u8>)> = pairs
            .iter()
            .map(|&(x, y)| {
                (
                    Vec::with_capacity(text_bytes[x]),
                    Vec::with_capacity(text_bytes[y]),
                )
            })
            .collect();
        let mut seg = String::new();
        for st in &corpus.statements {
            let st = st.at(corpus.level);
            // Each paragraph on one line once, though it is in up to four pairs.
            let cleaned: ByLang<Vec<Cow<str>>> = ByLang::from_fn(|l| {
                st.docs[l]
                    .as_ref()
                    .map(|d| d.paragraphs.iter().map(|p| breaks_to_spaces(p)).collect())
                    .unwrap_or_default()
            });
            for (&(x, y), (left, right)) in pairs.iter().zip(&mut lines) {
                if st.doc(x).is_none() || st.doc(y).is_none() {
                    continue;
                }
                for b in st.alignment.pair(x, y) {
                    let pa = st.text_paras(x, b.a.clone());
                    let pb = st.text_paras(y, b.b.clone());
                    if pa.is_empty() || pb.is_empty() {
                        continue;
                    }
                    push_line(left, &cleaned[x], &pa, &mut seg);
                    push_line(right, &cleaned[y], &pb, &mut seg);
                }
            }
        }
        for ((x, y), (left, right)) in pairs.into_iter().zip(lines) {
            for (lang, lines) in [(x, left), (y, right)] {
                out.append(&Path::new("moses").join(format!("{x}-{y}.{lang}")), &lines)?;
            }
        }
        Ok(())
    }
}

/// Append the segment of paragraphs `paras` to `buf` as one line, from the paragraphs each
/// on one line already (`cleaned`): joined by a space and trimmed, as `one_line` of the
/// joined paragraphs would be. `seg` is scratch space, kept between calls.
fn push_line(buf: &mut Vec<u8>, cleaned: &[Cow<str>], paras: &[usize], seg: &mut String) {
    let line = match paras {
        [p] => cleaned[*p].as_ref(),
        _ => {
            seg.clear();
            for (k, &p) in paras.iter().enumerate() {
                if k > 0 {
                    seg.push(' ');
                }
                seg.push_str(&cleaned[p]);
            }
            seg.as_str()
        }
    };
    let line = line.trim();
    buf.extend_from_slice(if line.is_empty() { "\u{fffd}" } else { line }.as_bytes());
    buf.push(b'\n');
}

/// A segment on one line: control characters (tabs, line and paragraph separators, stray
/// C0/C1 codes) become spaces, and a segment with no visible text becomes a placeholder
/// rather than an empty line that would shift every line after it.
#[cfg(test)]
fn one_line(text: &str) -> String {
    let mut buf = Vec::new();
    push_line(
        &mut buf,
        &[breaks_to_spaces(text)],
        &[0],
        &mut String::new(),
    );
    buf.pop();
    String::from_utf8(buf).expect("UTF-8")
}

/// Control characters and line and paragraph separators as spaces.
pub(super) fn breaks_to_spaces(text: &str) -> Cow<'_, str> {
    let breaks = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if has_break(text.as_bytes()) {
        text.chars()
            .map(|c| if breaks(c) { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Does `text` hold a control character (U+0000–U+001F, U+007F–U+009F) or a line or
/// paragraph separator (U+2028, U+2029)? Read off the UTF-8 bytes, without decoding.
fn has_break(text: &[u8]) -> bool {
    // Single bytes in a pass with no early exit, which the compiler vectorizes; then the
    // two- and three-byte ones where their lead byte is.
    text.iter()
        .fold(false, |seen, &b| seen | (b < 0x20 || b == 0x7f))
        || memchr::memchr2_iter(0xc2, 0xe2, text).any(|k| match text[k] {
            0xc2 => matches!(text.get(k + 1), Some(0x80..=0x9f)),
            _ => text.get(k + 1) == Some(&0x80) && matches!(text.get(k + 2), Some(0xa8 | 0xa9)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_never_breaks_or_empties() {
        assert_eq!(one_line("a\tb\u{2028}c\u{85}d"), "a b c d");
        assert_eq!(one_line(" \u{1} "), "\u{fffd}");
    }

    #[test]
    fn a_segment_of_several_paragraphs_is_the_line_of_their_join() {
        let paras = ["\u{1}a\u{2}", "\u{2028}", "b\tc", " \u{85}"];
        let cleaned: Vec<Cow<str>> = paras.iter().map(|p| breaks_to_spaces(p)).collect();
        let mut buf = Vec::new();
        push_line(&mut buf, &cleaned, &[0, 1, 2, 3], &mut String::new());
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            one_line(&paras.join(" ")) + "\n"
        );
        assert_eq!(one_line(&paras.join(" ")), "a    b c");
    }

    #[test]
    fn has_break_is_the_char_test() {
        for c in ('\0'..='\u{3000}').chain(['\u{fffd}', '\u{1f600}']) {
            let text = format!("a{c}b");
            let expected = c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
            assert_eq!(has_break(text.as_bytes()), expected, "U+{:04X}", c as u32);
        }
    }
}
