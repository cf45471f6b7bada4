//! `moses/<l1>-<l2>.<l1>` and `.<l2>`: line-aligned plain text per pair, one line per bead
//! with text (not page chrome) on both sides — the input of Moses and most MT training
//! pipelines.

use super::{AlignedCorpus, ExportError, Exporter, Output, batch_name, segment};
use crate::text::lang::pairs;
use std::path::Path;

pub struct Moses;

impl Exporter for Moses {
    fn name(&self) -> &'static str {
        "moses"
    }

    fn write(&self, corpus: &AlignedCorpus, out: &Output) -> Result<(), ExportError> {
        // Each batch writes its part; `finish` joins them in batch order.
        let dir = Path::new("moses").join(batch_name(out.batch));
        for (x, y) in pairs(&corpus.langs) {
            let mut left = Vec::new();
            let mut right = Vec::new();
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
                    left.push(one_line(&segment(dx, &pa)));
                    right.push(one_line(&segment(dy, &pb)));
                }
            }
            for (lang, lines) in [(x, &left), (y, &right)] {
                out.write(&dir.join(format!("{x}-{y}.{lang}")), |w| {
                    for line in lines {
                        writeln!(w, "{line}")?;
                    }
                    Ok(())
                })?;
            }
        }
        Ok(())
    }
}

/// A segment on one line: control characters (tabs, line and paragraph separators, stray
/// C0/C1 codes) become spaces, and a segment with no visible text becomes a placeholder
/// rather than an empty line that would shift every line after it.
fn one_line(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        "\u{fffd}".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_never_breaks_or_empties() {
        assert_eq!(one_line("a\tb\u{2028}c\u{85}d"), "a b c d");
        assert_eq!(one_line(" \u{1} "), "\u{fffd}");
    }
}
