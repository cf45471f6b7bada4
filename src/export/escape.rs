//! Text from the web made safe for each format: TSV fields, XML character data.

/// A TSV field: backslash, tab, newline and carriage return escaped as \\, \t, \n, \r, and
/// every other character that some reader takes for the end of a line or that a terminal
/// obeys — other controls, U+0085, U+2028, U+2029 — as \uXXXX: a field is one line for
/// `cut`, spreadsheets and Python's `splitlines` alike.
pub fn tsv_field(text: &str) -> std::borrow::Cow<'_, str> {
    let special = |c: char| c == '\\' || c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.contains(special) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if special(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            _ => out.push(c),
        }
    }
    out.into()
}

/// Append `text` to `buf` as XML character data: the five markup characters and carriage
/// return as references, as `quick_xml::escape::escape` writes them, and the characters XML
/// 1.0 forbids even escaped (C0 controls but tab, newline and carriage return; U+FFFE,
/// U+FFFF) as U+FFFD. One pass, straight into `buf`: TMX writes all its text through here.
pub fn push_xml_text(buf: &mut String, text: &str) {
    // Bytes that may need replacing: the markup characters, C0 controls, and 0xEF, the lead
    // byte of U+FFFE and U+FFFF. Tab and newline are looked at and kept.
    // Compared one by one and joined with `|`, not `matches!`: the compiler vectorizes that.
    let suspect = |b: u8| {
        (b < 0x20)
            | (b == b'<')
            | (b == b'>')
            | (b == b'&')
            | (b == b'\'')
            | (b == b'"')
            | (b == 0xef)
    };
    let bytes = text.as_bytes();
    // Clean text is copied in runs; `run` is where the current one started.
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        // Blocks of 16 bytes with no suspect are skipped in a pass the compiler vectorizes.
        while let Some(block) = bytes.get(i..i + 16) {
            if block.iter().fold(0u8, |seen, &b| seen | suspect(b) as u8) != 0 {
                break;
            }
            i += 16;
        }
        let end = (i + 16).min(bytes.len());
        while i < end {
            let b = bytes[i];
            let (replacement, len) = match b {
                b'<' => ("&lt;", 1),
                b'>' => ("&gt;", 1),
                b'&' => ("&amp;", 1),
                b'\'' => ("&apos;", 1),
                b'"' => ("&quot;", 1),
                b'\r' => ("&#13;", 1),
                b'\t' | b'\n' => ("", 0),
                0..0x20 => ("\u{fffd}", 1),
                // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
                0xef if matches!(bytes.get(i + 1..i + 3), Some([0xbf, 0xbe | 0xbf])) => {
                    ("\u{fffd}", 3)
                }
                _ => ("", 0),
            };
            if len == 0 {
                i += 1;
                continue;
            }
            buf.push_str(&text[run..i]);
            buf.push_str(replacement);
            i += len;
            run = i;
        }
    }
    buf.push_str(&text[run..]);
}

/// Text that XML 1.0 can carry: characters it forbids even when escaped (C0 controls but
/// tab, newline and carriage return; U+FFFE, U+FFFF) become U+FFFD. The definition
/// [`push_xml_text`] is checked against.
#[cfg(test)]
fn xml_safe(text: &str) -> String {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    text.chars()
        .map(|c| if bad(c) { '\u{fffd}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_safe_replaces_exactly_what_xml_forbids() {
        let chars = ('\0'..='\u{3000}').chain(['\u{fffd}', '\u{fffe}', '\u{ffff}', '\u{1f600}']);
        for c in chars {
            let forbidden = (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{fffe}' | '\u{ffff}');
            let expected = if forbidden { '\u{fffd}' } else { c };
            let text = format!("a{c}b");
            assert_eq!(
                xml_safe(&text),
                format!("a{expected}b"),
                "U+{:04X}",
                c as u32
            );
        }
    }

    /// What TMX wrote before `push_xml_text`: quick-xml's escaping of `xml_safe`.
    fn escaped(text: &str) -> String {
        quick_xml::escape::escape(xml_safe(text)).into_owned()
    }

    fn pushed(text: &str) -> String {
        let mut buf = String::from("<seg>");
        push_xml_text(&mut buf, text);
        buf.split_off("<seg>".len())
    }

    #[test]
    fn xml_text_is_escaped_as_quick_xml_escapes_xml_safe_text() {
        let chars = ('\0'..='\u{3000}').chain([
            '\u{f000}',
            '\u{fefe}',
            '\u{ff00}',
            '\u{ffbe}',
            '\u{fffd}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1f600}',
        ]);
        for c in chars {
            // Alone, between letters, at the start of a 16-byte block, and where one ends.
            let texts = [
                c.to_string(),
                format!("a{c}b"),
                format!("{c}{}", "y".repeat(20)),
                format!("{}{c}{c}x", "y".repeat(14)),
            ];
            for text in texts {
                assert_eq!(pushed(&text), escaped(&text), "U+{:04X}", c as u32);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn xml_text_of_any_text_is_what_quick_xml_makes_of_it(
            text in "[a-z\\-<>&'\"\r\n\t\u{0}\u{1}\u{1f}ï\u{fdd0}\u{fffd}\u{fffe}\u{ffff}Я€ ]{0,80}"
        ) {
            proptest::prop_assert_eq!(pushed(&text), escaped(&text));
        }
    }
}
