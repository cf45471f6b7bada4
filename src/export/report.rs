//! `report/batch-00001.html`: one self-contained page per batch for reviewers — the documents with counts of
//! findings, then each document's versions side by side, unit by unit, findings highlighted
//! in place (the differing numbers marked) and filterable by check and severity. No network:
//! styles and script are inline. All text is HTML-escaped. Units without findings show the
//! start of their text only, which keeps the page small for whole corpora.

use super::{Batch, ExportError, Exporter, Output};
use crate::aligned::{AlignedCorpus, AlignedStatement};
use crate::qa::{Check, Finding, Severity};
use crate::text::Lang;
use crate::text::anchors::number_spans;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

pub struct Report;

/// Characters of a paragraph shown in a unit without findings.
const PREVIEW_CHARS: usize = 140;

const STYLE: &str = r#"
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:.6em 1.2em;z-index:2}
h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.1em;margin:1.4em 0 .4em}
main{padding:0 1.2em 3em}
#filters label{margin-right:1em;white-space:nowrap}
#filters fieldset{display:inline-block;border:1px solid #ddd;margin:.2em .6em .2em 0;padding:.2em .6em}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #e3e3e3;padding:.35em .5em;vertical-align:top;text-align:left}
table.docs{width:auto}table.docs td.n{text-align:right}
table.units td{width:19%}table.units td.u{width:2.5em;color:#888;font-size:.85em}
td p{margin:0 0 .3em}td p.chrome{color:#999;font-style:italic}
span.more{color:#999}
td.lit{background:#fff7e0}td.lit.error{background:#ffe9e6}td.missing.lit::before{content:"missing";color:#b3261e;font-weight:600}
ul.findings{margin:.3em 0 0;padding:0;list-style:none}
li.finding{font-size:.85em;margin:.15em 0;padding:.1em .4em;border-radius:3px;background:#f0f0f0}
li.error{background:#fdd;color:#8a1c12}li.warning{background:#fff0c2;color:#6b4e00}li.info{background:#e4efff;color:#1b4b8f}
mark.num{background:#ffd54a;padding:0 .1em;border-radius:2px}
span.sent{border-bottom:2px solid #e0a800;background:#fffbe6}
span.sent.missing{border-bottom-color:#d93025;background:#fde8e6}
span.sent.missing::after{content:" ✗ missing in " attr(data-missing-in);color:#b3261e;font-size:.8em;font-weight:600}
.hidden{display:none}
"#;

const SCRIPT: &str = r#"
(function(){
  var boxes = document.querySelectorAll('#filters input');
  function apply(){
    var on = {};
    boxes.forEach(function(b){ on[b.value] = b.checked; });
    var visible = 0;
    document.querySelectorAll('li.finding').forEach(function(li){
      var show = on[li.dataset.check] && on[li.dataset.severity];
      li.classList.toggle('hidden', !show);
      if (show) visible++;
    });
    document.querySelectorAll('td.cell').forEach(function(td){
      var lit = td.querySelector('li.finding:not(.hidden)') !== null;
      td.classList.toggle('lit', lit);
    });
    var only = document.getElementById('only-flagged').checked;
    document.querySelectorAll('tr.unit').forEach(function(tr){
      tr.classList.toggle('hidden', only && tr.querySelector('li.finding:not(.hidden)') === null);
    });
    document.getElementById('visible-count').textContent = String(visible);
  }
  boxes.forEach(function(b){ b.addEventListener('change', apply); });
  // report.html#flagged opens with only the units that have findings.
  if (location.hash === '#flagged') { document.getElementById('only-flagged').checked = true; }
  apply();
})();
"#;

impl Exporter for Report {
    fn write(&self, batch: &Batch, out: &Output) -> Result<(), ExportError> {
        let corpus = batch.corpus;
        let Some(findings) = batch.findings else {
            return Ok(());
        };
        let page = render(corpus, findings);
        out.write(&out.batch_file("report", "html"), |w| {
            w.write_all(page.as_bytes())
        })
    }
}

fn render(corpus: &AlignedCorpus, findings: &[Finding]) -> String {
    let mut by_doc: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_doc.entry(f.doc.as_str()).or_default().push(f);
    }
    let mut h = String::with_capacity(1 << 20);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>paralign QA report: {}</title><style>{STYLE}</style></head><body>\n",
        escape(corpus.name.as_str())
    );
    let _ = write!(
        h,
        "<header><h1>QA report: {}</h1><p><span id=\"visible-count\">…</span> of \
         <span id=\"total-count\">{}</span> findings shown, in {} documents of {}.</p>\
         <form id=\"filters\"><fieldset><legend>check</legend>",
        escape(corpus.name.as_str()),
        findings.len(),
        by_doc.len(),
        corpus.statements.len()
    );
    for c in Check::ALL {
        let n = findings.iter().filter(|f| f.check == c).count();
        let _ = write!(
            h,
            "<label><input type=\"checkbox\" value=\"{0}\" checked> {0} ({n})</label>",
            c.name()
        );
    }
    h.push_str("</fieldset><fieldset><legend>severity</legend>");
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        let n = findings.iter().filter(|f| f.severity == s).count();
        let _ = write!(
            h,
            "<label><input type=\"checkbox\" value=\"{0}\" checked> {0} ({n})</label>",
            s.name()
        );
    }
    h.push_str(
        "</fieldset><label><input type=\"checkbox\" id=\"only-flagged\" value=\"only\"> \
         only units with findings</label></form></header>\n<main>\n",
    );

    // The documents, with counts.
    h.push_str(
        "<h2>Documents</h2><table class=\"docs\"><thead><tr><th>document</th><th>findings</th>\
         <th>errors</th><th>warnings</th><th>info</th></tr></thead><tbody>\n",
    );
    for (k, st) in corpus.statements.iter().enumerate() {
        let fs = by_doc
            .get(st.name.as_str())
            .map_or(&[][..], |v| v.as_slice());
        let count = |s: Severity| fs.iter().filter(|f| f.severity == s).count();
        let _ = writeln!(
            h,
            "<tr data-doc=\"{0}\"><td><a href=\"#doc-{k}\">{0}</a></td><td class=\"n\">{1}</td>\
             <td class=\"n\">{2}</td><td class=\"n\">{3}</td><td class=\"n\">{4}</td></tr>",
            escape(st.name.as_str()),
            fs.len(),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        );
    }
    h.push_str("</tbody></table>\n");

    for (k, st) in corpus.statements.iter().enumerate() {
        let fs = by_doc
            .get(st.name.as_str())
            .map_or(&[][..], |v| v.as_slice());
        render_statement(&mut h, k, st, &corpus.langs, corpus.pivot, fs);
    }
    let _ = writeln!(h, "</main><script>{SCRIPT}</script></body></html>");
    h
}

/// Where a finding is shown: the unit holding its paragraphs (or, for an omission, the
/// pivot paragraphs), in its language's column.
fn place(st: &AlignedStatement, f: &Finding, pivot: Lang) -> Option<usize> {
    let (lang, para) = match (f.paras.first(), f.pivot_paras.first()) {
        (Some(&p), _) => (f.lang, p),
        (None, Some(&p)) => (pivot, p),
        (None, None) => return None,
    };
    st.alignment
        .units
        .iter()
        .position(|u| u.paras[lang].contains(&para))
}

fn render_statement(
    h: &mut String,
    k: usize,
    st: &AlignedStatement,
    langs: &[Lang],
    corpus_pivot: Lang,
    findings: &[&Finding],
) {
    let present: Vec<Lang> = langs
        .iter()
        .copied()
        .filter(|&l| st.doc(l).is_some())
        .collect();
    let pivot = if present.contains(&corpus_pivot) {
        corpus_pivot
    } else {
        present.first().copied().unwrap_or(corpus_pivot)
    };
    // Findings by (unit, language).
    let mut at: Places = HashMap::new();
    for f in findings {
        if let Some(u) = place(st, f, pivot) {
            at.entry((u, f.lang)).or_default().push(f);
        }
    }
    let _ = write!(
        h,
        "<section class=\"doc\" id=\"doc-{k}\" data-doc=\"{0}\"><h2>{0} <small>({1} findings)</small></h2>\
         <table class=\"units\"><thead><tr><th>#</th>",
        escape(st.name.as_str()),
        findings.len()
    );
    for l in &present {
        let _ = write!(h, "<th>{l}</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    for (u, unit) in st.alignment.units.iter().enumerate() {
        let flagged = present.iter().any(|l| at.contains_key(&(u, *l)));
        let _ = write!(
            h,
            "<tr class=\"unit\" data-unit=\"{u}\"><td class=\"u\">{u}</td>"
        );
        for &l in &present {
            let cell = Cell {
                u,
                unit,
                l,
                pivot,
                flagged,
            };
            render_cell(h, st, &cell, &at);
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></section>\n");
}

/// A statement's findings by (unit, language).
type Places<'a> = HashMap<(usize, Lang), Vec<&'a Finding>>;

/// One language's cell of a unit's row.
struct Cell<'a> {
    u: usize,
    unit: &'a crate::align::Unit,
    l: Lang,
    pivot: Lang,
    /// Does any cell of the row have findings? Then every cell shows its whole text.
    flagged: bool,
}

fn render_cell(h: &mut String, st: &AlignedStatement, cell: &Cell, at: &Places) {
    let Cell {
        u,
        unit,
        l,
        flagged,
        ..
    } = *cell;
    let doc = st.doc(l).expect("present");
    let here = at.get(&(u, l)).map_or(&[][..], |v| v.as_slice());
    let severity = here.iter().map(|f| f.severity).min();
    let mut classes = String::from("cell");
    if unit.paras[l].is_empty() {
        classes.push_str(" missing");
    }
    if let Some(s) = severity {
        let _ = write!(classes, " lit {}", s.name());
    }
    let _ = write!(h, "<td class=\"{classes}\" data-lang=\"{l}\">");
    let marks = differing_numbers(at, cell, here);
    let marks: Vec<&String> = marks.iter().collect();
    let sentences = marked_sentences(at, cell, here);
    for p in unit.paras[l].clone() {
        let text = &doc.paragraphs[p];
        let class = if doc.chrome[p] {
            " class=\"chrome\""
        } else {
            ""
        };
        let _ = write!(h, "<p data-para=\"{p}\"{class}>");
        if !flagged {
            write_preview(h, text);
        } else if sentences.is_empty() {
            write_marked(h, text, &marks);
        } else {
            write_sentences(h, st, l, p, &sentences, &marks);
        }
        h.push_str("</p>");
    }
    if !here.is_empty() {
        h.push_str("<ul class=\"findings\">");
        for f in here {
            let _ = write!(
                h,
                "<li class=\"finding {1}\" data-check=\"{0}\" data-severity=\"{1}\">{0}: {2}</li>",
                f.check.name(),
                f.severity.name(),
                escape(describe(f).as_str())
            );
        }
        h.push_str("</ul>");
    }
    h.push_str("</td>");
}

/// The numbers to mark in a cell's text: those its own findings say differ (the pivot's
/// side of a finding for the pivot's cell); in the pivot's cell, also those the unit's
/// other findings miss.
fn differing_numbers(at: &Places, cell: &Cell, here: &[&Finding]) -> Vec<String> {
    let numbers = |f: &Finding, side: &str| -> Vec<String> {
        f.evidence[side]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect()
    };
    let is_pivot = cell.l == cell.pivot;
    let side = if is_pivot { "missing" } else { "extra" };
    let mut marks: Vec<String> = here
        .iter()
        .filter(|f| f.check == Check::NumberMismatch)
        .flat_map(|f| numbers(f, side))
        .collect();
    if is_pivot {
        let unit_findings = at
            .iter()
            .filter(|((u, _), _)| *u == cell.u)
            .flat_map(|(_, fs)| fs.iter());
        marks.extend(
            unit_findings
                .filter(|f| f.check == Check::NumberMismatch)
                .flat_map(|f| numbers(f, "missing")),
        );
    }
    marks
}

/// The sentences to mark in a cell, each with the languages that lack it (empty for a
/// sentence whose numbers or dates differ): the cell's own findings' sentences, and in the
/// pivot's cell the pivot sentences the unit's findings name.
fn marked_sentences(at: &Places, cell: &Cell, here: &[&Finding]) -> BTreeMap<usize, Vec<Lang>> {
    let mut out: BTreeMap<usize, Vec<Lang>> = BTreeMap::new();
    for f in here {
        for &k in &f.sentences {
            out.entry(k).or_default();
        }
    }
    if cell.l == cell.pivot {
        let unit_findings = at
            .iter()
            .filter(|((u, _), _)| *u == cell.u)
            .flat_map(|(_, fs)| fs.iter());
        for f in unit_findings {
            for &k in &f.pivot_sentences {
                let langs = out.entry(k).or_default();
                if f.check == Check::Omission && !langs.contains(&f.lang) {
                    langs.push(f.lang);
                    langs.sort();
                }
            }
        }
    }
    out
}

/// Paragraph `p` of language `l` sentence by sentence, the sentences in `marked` in a
/// span (numbers in `marks` marked too).
fn write_sentences(
    h: &mut String,
    st: &AlignedStatement,
    l: Lang,
    p: usize,
    marked: &BTreeMap<usize, Vec<Lang>>,
    marks: &[&String],
) {
    let doc = st.doc(l).expect("present");
    let text = doc.paragraphs[p].as_str();
    let Some(level) = &st.sentences else {
        return write_marked(h, text, marks);
    };
    let sentences = level.docs[l].as_ref().expect("present");
    // Each sentence found in its paragraph from where the last one ended: they are its
    // substrings, in order.
    let mut at = 0;
    for (k, &q) in level.paragraph_of[l].iter().enumerate() {
        if q != p {
            continue;
        }
        let sentence = sentences.paragraphs[k].as_str();
        let Some(start) = text[at..].find(sentence).map(|s| s + at) else {
            continue;
        };
        let end = start + sentence.len();
        write_marked(h, &text[at..start], marks);
        match marked.get(&k) {
            None => write_marked(h, sentence, marks),
            Some(langs) => {
                let missing_in: Vec<&str> = langs.iter().map(|l| l.code()).collect();
                let (class, attr) = if missing_in.is_empty() {
                    ("sent", String::new())
                } else {
                    (
                        "sent missing",
                        format!(" data-missing-in=\"{}\"", missing_in.join(", ")),
                    )
                };
                let _ = write!(h, "<span class=\"{class}\" data-sentence=\"{k}\"{attr}>");
                write_marked(h, sentence, marks);
                h.push_str("</span>");
            }
        }
        at = end;
    }
    write_marked(h, &text[at..], marks);
}

/// A finding in a few words.
fn describe(f: &Finding) -> String {
    let e = &f.evidence;
    let list = |key: &str| {
        e[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    match f.check {
        Check::Omission if !f.pivot_sentences.is_empty() => format!(
            "{} of pivot paragraph {:?} missing (sentences {:?})",
            if f.pivot_sentences.len() == 1 {
                "a sentence".to_string()
            } else {
                format!("{} sentences", f.pivot_sentences.len())
            },
            f.pivot_paras,
            f.pivot_sentences
        ),
        Check::Omission if e["partial"] == true => format!(
            "part of pivot paragraph {:?} missing (length ratio {})",
            f.pivot_paras, e["length_ratio"]
        ),
        Check::Omission => format!("pivot paragraph {:?} has no counterpart", f.pivot_paras),
        Check::Addition => "no counterpart in the pivot".into(),
        Check::Untranslated if e["identical_to_pivot"] == true => "identical to the pivot".into(),
        Check::Untranslated => format!("text is in {}", e["detected"].as_str().unwrap_or("?")),
        // A paragraph the pivot lacks, read against the versions that have it.
        Check::NumberMismatch if e["compared_with"].is_array() => format!(
            "{} {} · here {}",
            list("compared_with"),
            list("missing"),
            list("extra")
        ),
        Check::NumberMismatch => format!("pivot {} · here {}", list("missing"), list("extra")),
        Check::DateMismatch => format!("pivot {} · here {}", list("pivot_dates"), list("dates")),
        Check::LengthRatio => format!(
            "length ratio {} (expected {})",
            e["length_ratio"], e["expected"]
        ),
        Check::LowConfidence => format!("alignment confidence {}", e["confidence"]),
    }
}

/// The text, escaped, with the numbers whose canonical form is in `marks` in `<mark>`.
fn write_marked(h: &mut String, text: &str, marks: &[&String]) {
    let mut last = 0;
    if !marks.is_empty() {
        for (range, canon) in number_spans(text) {
            if marks.iter().any(|m| **m == canon) {
                h.push_str(&escape(&text[last..range.start]));
                let _ = write!(
                    h,
                    "<mark class=\"num\">{}</mark>",
                    escape(&text[range.clone()])
                );
                last = range.end;
            }
        }
    }
    h.push_str(&escape(&text[last..]));
}

fn write_preview(h: &mut String, text: &str) {
    match text.char_indices().nth(PREVIEW_CHARS) {
        Some((cut, _)) => {
            h.push_str(&escape(&text[..cut]));
            h.push_str("<span class=\"more\">…</span>");
        }
        None => h.push_str(&escape(text)),
    }
}

/// The page listing the batches' report pages, for runs of several batches.
pub fn write_index(w: &mut dyn std::io::Write, batches: &[usize]) -> std::io::Result<()> {
    writeln!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>paralign QA report</title>\
         <style>{STYLE}</style></head><body><header><h1>QA report</h1><p>{} batches</p></header><main><ul>",
        batches.len()
    )?;
    for &b in batches {
        let name = super::batch_name(b);
        writeln!(w, "<li><a href=\"report/{name}.html\">{name}</a></li>")?;
    }
    writeln!(w, "</ul></main></body></html>")
}

/// Text as HTML: the markup characters escaped, and control characters, which a page must
/// not carry (text from the web may hold terminal escapes and worse), shown as the symbols
/// Unicode has for them (␛), or U+FFFD where it has none.
fn escape(text: &str) -> Cow<'_, str> {
    let special = |c: char| matches!(c, '<' | '>' | '&' | '"' | '\'') || unsafe_control(c);
    if !text.contains(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if unsafe_control(c) => out.push(control_picture(c)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Controls but the tab and line breaks; and the noncharacters U+FFFE and U+FFFF.
fn unsafe_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

fn control_picture(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}
