//! JSON Lines input: one statement a line,
//! `{"id", "lang", "title", "date", "url", "text"}`, paragraphs in `text` separated by blank
//! lines. `id`, `lang` and `text` are required; `title`, `date` and `url` may be missing or
//! null. A bad record is reported with its line and the others are read.

use super::{Document, InputError, Meta};
use crate::text::{self, Lang};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
struct Record {
    id: Option<Id>,
    lang: Option<String>,
    title: Option<String>,
    date: Option<String>,
    url: Option<String>,
    text: Option<String>,
}

/// Ids are strings, but numeric ids are common in exports.
#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Text(String),
    Number(serde_json::Number),
}

/// The records of one file, and the lines that could not be read.
pub fn read(content: &str, folder: Lang, path: &Path) -> (Vec<Document>, Vec<InputError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for (k, raw) in content.lines().enumerate() {
        let line = k + 1;
        if raw.trim().is_empty() {
            continue;
        }
        match record(raw, folder) {
            Ok((id, paragraphs, meta)) => docs.push(Document {
                lang: folder,
                id,
                path: path.to_path_buf(),
                line: Some(line),
                chrome: vec![false; paragraphs.len()],
                paragraphs,
                meta,
                bytes: raw.len() as u64,
            }),
            Err(reason) => errors.push(InputError {
                path: path.to_path_buf(),
                line: Some(line),
                reason,
            }),
        }
    }
    if docs.is_empty() && errors.is_empty() {
        errors.push(InputError {
            path: path.to_path_buf(),
            line: None,
            reason: "empty: no record".into(),
        });
    }
    (docs, errors)
}

fn record(raw: &str, folder: Lang) -> Result<(String, Vec<String>, Meta), String> {
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
    if !value.is_object() {
        return Err("a record must be a JSON object".into());
    }
    let r: Record =
        serde_json::from_value(value).map_err(|e| format!("bad record: {}", message(&e)))?;
    let id = match r.id {
        Some(Id::Text(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Id::Number(n)) => n.to_string(),
        _ => return Err("record lacks the field \"id\"".into()),
    };
    let lang = r.lang.ok_or("record lacks the field \"lang\"")?;
    let lang: Lang = lang.parse().map_err(|e| format!("record {id}: {e}"))?;
    if lang != folder {
        return Err(format!(
            "record {id} is in {lang} but in the {folder} folder"
        ));
    }
    let body = r
        .text
        .ok_or_else(|| format!("record {id} lacks the field \"text\""))?;
    let paragraphs = text::split_paragraphs(&body);
    if paragraphs.iter().all(|p| text::scoring_text(p).is_empty()) {
        return Err(format!("record {id} has no text"));
    }
    let clean = |s: Option<String>| s.map(|x| text::output_text(&x)).filter(|x| !x.is_empty());
    let meta = Meta {
        title: clean(r.title),
        date: clean(r.date),
        url: clean(r.url),
    };
    Ok((id, paragraphs, meta))
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
        let (docs, errors) = read(content, Lang::En, Path::new("en/x.jsonl"));
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
