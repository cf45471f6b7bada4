//! JSON Lines input: one statement a line,
//! `{"id", "lang", "title", "date", "url", "text"}`, paragraphs in `text` separated by blank
//! lines. `id`, `lang` and `text` are required; `title`, `date` and `url` may be missing or
//! null. A bad record is reported with its line and the others are read.

use super::{Document, InputError, Meta};
use crate::text::{self, Lang};
use serde_json::Value;
use std::path::Path;

/// Bad lines of one file reported one by one; the rest are counted in one report, so a file
/// of junk costs a bounded report, not one line of it per line of junk.
pub const REPORTED_PER_FILE: usize = 10;

/// The records of one file, and the lines that could not be read. Each line is decoded on
/// its own (UTF-8; the whole file when it is UTF-16 with a byte order mark), so a bad byte
/// costs its line, not the file.
pub fn read(
    bytes: &[u8],
    folder: Lang,
    path: &Path,
    read: &super::ReadOptions,
) -> (Vec<Document>, Vec<InputError>) {
    let mut file = File {
        folder,
        path,
        read,
        docs: Vec::new(),
        errors: Vec::new(),
        unlisted: Unlisted::default(),
        past_limit: Unlisted::default(),
    };
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((e, _)) if e != encoding_rs::UTF_8 => match text::decode(bytes) {
            Ok(t) => t
                .lines()
                .enumerate()
                .for_each(|(k, raw)| file.line(k + 1, Ok(raw))),
            Err(e) => file.line(1, Err(e.to_string())),
        },
        _ => {
            let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            let mut at = bytes.len() - body.len();
            for (k, raw) in body.split(|&b| b == b'\n').enumerate() {
                file.line(k + 1, line_text(raw, at));
                at += raw.len() + 1;
            }
        }
    }
    file.end()
}

/// A JSON Lines file being read, line by line.
struct File<'a> {
    folder: Lang,
    path: &'a Path,
    read: &'a super::ReadOptions,
    docs: Vec<Document>,
    errors: Vec<InputError>,
    /// Bad lines past the ones reported.
    unlisted: Unlisted,
    /// Lines past the limit of records, counted, not read.
    past_limit: Unlisted,
}

impl File<'_> {
    /// Line number `line`: its text, or why it is not text.
    fn line(&mut self, line: usize, raw: Result<&str, String>) {
        if raw.as_ref().is_ok_and(|r| r.trim().is_empty()) {
            return;
        }
        if self.docs.len() == self.read.limits.records {
            self.past_limit.add(line);
            return;
        }
        let record = raw.and_then(|raw| {
            let (id, paragraphs, meta) = record(raw, self.folder, self.read)?;
            Ok(Document {
                lang: self.folder,
                id,
                path: self.path.to_path_buf(),
                line: Some(line),
                chrome: vec![false; paragraphs.len()],
                paragraphs,
                meta,
                bytes: raw.len() as u64,
            })
        });
        match record {
            Ok(doc) => self.docs.push(doc),
            Err(reason) if self.errors.len() < REPORTED_PER_FILE => {
                self.errors.push(InputError {
                    path: self.path.to_path_buf(),
                    line: Some(line),
                    reason,
                });
            }
            Err(_) => self.unlisted.add(line),
        }
    }

    /// The records read, and what could not be.
    fn end(mut self) -> (Vec<Document>, Vec<InputError>) {
        let path = self.path;
        if let Some(e) = self.unlisted.report(path) {
            self.errors.push(e);
        }
        let past = &self.past_limit;
        if past.count > 0 {
            self.errors.push(InputError {
                path: path.to_path_buf(),
                line: Some(past.first),
                reason: format!(
                    "{} line(s) from here to line {} not read: past the limit of {} records a file (--max-records)",
                    past.count, past.last, self.read.limits.records
                ),
            });
        }
        if self.docs.is_empty() && self.errors.is_empty() {
            self.errors.push(InputError {
                path: path.to_path_buf(),
                line: None,
                reason: "empty: no record".into(),
            });
        }
        (self.docs, self.errors)
    }
}

/// Bad lines past the ones reported.
#[derive(Default)]
struct Unlisted {
    count: usize,
    first: usize,
    last: usize,
}

impl Unlisted {
    fn add(&mut self, line: usize) {
        if self.count == 0 {
            self.first = line;
        }
        self.count += 1;
        self.last = line;
    }

    fn report(&self, path: &Path) -> Option<InputError> {
        (self.count > 0).then(|| InputError {
            path: path.to_path_buf(),
            line: Some(self.first),
            reason: format!(
                "and {} more bad line(s) up to line {}, not listed one by one",
                self.count, self.last
            ),
        })
    }
}

/// One line's text (its CR dropped), or why it is not text: a NUL byte or bytes that are
/// not UTF-8, at their offset in the file (`at` is where the line starts).
fn line_text(raw: &[u8], at: usize) -> Result<&str, String> {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    if let Some(k) = memchr::memchr(0, raw) {
        return Err(format!(
            "binary content (NUL byte at byte offset {})",
            at + k
        ));
    }
    simdutf8::compat::from_utf8(raw)
        .map_err(|e| format!("not valid UTF-8 at byte offset {}", at + e.valid_up_to()))
}

fn record(
    raw: &str,
    folder: Lang,
    read: &super::ReadOptions,
) -> Result<(String, Vec<String>, Meta), String> {
    // serde's message ends with its own "at line 1 column N"; the column is what counts.
    let message = |e: &serde_json::Error| {
        let text = e.to_string();
        match text.rfind(" at line ") {
            Some(at) => text[..at].to_string(),
            None => text,
        }
    };
    let value: serde_json::Value = serde_json::from_str(raw)
        .map_err(|e| format!("not valid JSON at column {}: {}", e.column(), message(&e)))?;
    let Value::Object(fields) = value else {
        return Err(format!(
            "a record must be a JSON object, not {}",
            kind(&value)
        ));
    };
    let id = match fields.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => return Err("record lacks the field \"id\"".into()),
        Some(Value::String(_)) => return Err("record has an empty \"id\"".into()),
        Some(other) => {
            return Err(format!(
                "the field \"id\" must be a string or a number, not {}",
                kind(other)
            ));
        }
    };
    // A field that must be a string when it is there; `what` is for messages.
    let string = |name: &str| -> Result<Option<&str>, String> {
        match fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!(
                "record {id}: the field \"{name}\" must be a string, not {}",
                kind(other)
            )),
        }
    };
    let lang = string("lang")?.ok_or_else(|| format!("record {id} lacks the field \"lang\""))?;
    let lang: Lang = lang.parse().map_err(|e| format!("record {id}: {e}"))?;
    if lang != folder {
        return Err(format!(
            "record {id} is in {lang} but in the {folder} folder"
        ));
    }
    let body = string("text")?.ok_or_else(|| format!("record {id} lacks the field \"text\""))?;
    let paragraphs = text::split_paragraphs_at_most(body, read.limits.paragraphs, read.line_breaks)
        .map_err(|e| format!("record {id}: {e}"))?;
    if paragraphs.iter().all(|p| text::scoring_text(p).is_empty()) {
        return Err(format!("record {id} has no text"));
    }
    let clean = |s: Option<&str>| s.map(text::output_text).filter(|x| !x.is_empty());
    let meta = Meta {
        title: clean(string("title")?),
        date: clean(string("date")?),
        url: clean(string("url")?),
    };
    Ok((id, paragraphs, meta))
}

/// What a JSON value is, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_good_records_and_reports_bad_ones_by_line() {
        let content = concat!(
            r#"{"id":"a1","lang":"en","title":"T","date":"2026-03-04","url":"https://x/1","text":"One.\n\nTwo."}"#,
            "\n",
            r#"{"id":"a2","lang":"en","text":"Three."#,
            "\n\n",
            r#"{"id":"a3","lang":"en","title":null}"#,
            "\n",
            r#"{"id":7,"lang":"de","text":"Vier."}"#,
            "\n",
            r#"{"lang":"en","text":"x"}"#,
            "\n",
            r#"{"id":9,"lang":"en","text":"Nine.","url":null}"#,
            "\n",
        );
        let (docs, errors) = read(
            content.as_bytes(),
            Lang::En,
            Path::new("en/x.jsonl"),
            &crate::corpus::ReadOptions::default(),
        );
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "a1");
        assert_eq!(docs[0].paragraphs, ["One.", "Two."]);
        assert_eq!(docs[0].meta.url.as_deref(), Some("https://x/1"));
        assert_eq!(docs[0].line, Some(1));
        assert_eq!(docs[1].id, "9");
        let lines: Vec<_> = errors
            .iter()
            .map(|e| (e.line.unwrap(), e.reason.clone()))
            .collect();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert_eq!(lines[0].0, 2);
        assert!(lines[0].1.contains("not valid JSON"));
        assert_eq!(lines[1].0, 4);
        assert!(lines[1].1.contains("lacks the field \"text\""));
        assert_eq!(lines[2].0, 5);
        assert!(lines[2].1.contains("in de but in the en folder"));
        assert_eq!(lines[3].0, 6);
        assert!(lines[3].1.contains("\"id\""));
    }
}
