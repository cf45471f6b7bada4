//! `moses/<l1>-<l2>.<l1>` and `.<l2>`: line-aligned plain text per pair, one line per bead
//! with text (not page chrome) on both sides — the input of Moses and most MT training
//! pipelines. Written once: each batch appends its lines to the corpus-wide files.

use super::{AlignedCorpus, ExportError, Exporter, Output};
use crate::corpus::Document;
use crate::text::lang::pairs;
use std::borrow::Cow;
use std::path::Path;

pub struct Moses;

impl Exporter for Moses {
    fn name(&self) -> &'static str {
        "moses"
    }

    fn write(&self, corpus: &AlignedCorpus, out: &Output) -> Result<(), ExportError> {
        // Each batch appends its lines, batches in order; `finish` names the files.
        let dir = Path::new("moses");
        for (x, y) in pairs(&corpus.langs) {
            let (mut left, mut right) = (Vec::new(), Vec::new());
            let mut seg = String::new();
            for st in &corpus.statements {
                let (Some(dx), Some(dy)) = (st.doc(x), st.doc(y)) else {
                    continue;
                };
                for b in st.alignment.pair(x, y) {
                    let pa = st.text_paras(x, b.a.clone());
                    let pb = st.text_paras(y, b.b.clone());
                    if pa.is_empty() || pb.is_empty() {
                        continue;
                    }
                    push_line(&mut left, dx, &pa, &mut seg);
                    push_line(&mut right, dy, &pb, &mut seg);
                }
            }
            for (lang, lines) in [(x, &left), (y, &right)] {
                out.append(&dir.join(format!("{x}-{y}.{lang}")), lines)?;
            }
        }
        Ok(())
    }
}

/// Append the segment of paragraphs `paras` of `doc` to `buf` as one line; `seg` is
/// scratch space, kept between calls.
fn push_line(buf: &mut Vec<u8>, doc: &Document, paras: &[usize], seg: &mut String) {
    seg.clear();
    for (k, &p) in paras.iter().enumerate() {
        if k > 0 {
            seg.push(' ');
        }
        seg.push_str(&doc.paragraphs[p]);
    }
    buf.extend_from_slice(one_line(seg).as_bytes());
    buf.push(b'\n');
}

/// A segment on one line: control characters (tabs, line and paragraph separators, stray
/// C0/C1 codes) become spaces, and a segment with no visible text becomes a placeholder
/// rather than an empty line that would shift every line after it.
fn one_line(text: &str) -> Cow<'_, str> {
    let breaks = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    let cleaned: Cow<str> = if has_break(text.as_bytes()) {
        text.chars()
            .map(|c| if breaks(c) { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    if cleaned.trim().is_empty() {
        return "\u{fffd}".into();
    }
    match cleaned {
        Cow::Borrowed(t) => t.trim().into(),
        Cow::Owned(t) => t.trim().to_string().into(),
    }
}

/// Does `text` hold a control character (U+0000–U+001F, U+007F–U+009F) or a line or
/// paragraph separator (U+2028, U+2029)? Read off the UTF-8 bytes, without decoding.
fn has_break(text: &[u8]) -> bool {
    text.iter().enumerate().any(|(k, &b)| {
        b < 0x20
            || b == 0x7f
            || (b == 0xc2 && matches!(text.get(k + 1), Some(0x80..=0x9f)))
            || (b == 0xe2
                && text.get(k + 1) == Some(&0x80)
                && matches!(text.get(k + 2), Some(0xa8 | 0xa9)))
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
    fn has_break_is_the_char_test() {
        for c in ('\0'..='\u{3000}').chain(['\u{fffd}', '\u{1f600}']) {
            let text = format!("a{c}b");
            let expected = c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
            assert_eq!(has_break(text.as_bytes()), expected, "U+{:04X}", c as u32);
        }
    }
}
