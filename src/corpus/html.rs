//! HTML pages as scraped: the paragraphs of the main text (paragraphs, headings, list items,
//! blockquotes, and text directly in containers), with scripts, styles, navigation, menus
//! and footers dropped and entities decoded — parsed by html5ever, as browsers do, so
//! broken markup is recovered the way a reader saw it.

use super::Meta;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{ElementRef, Html, HtmlTreeSink, Node};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};

/// A page read: its paragraphs, what it says about itself, and the markup errors the parser
/// recovered from, as (line, message).
#[derive(Debug)]
pub struct Page {
    pub paragraphs: Vec<String>,
    pub meta: Meta,
    pub warnings: Vec<(usize, String)>,
}

/// Elements whose content is never statement text.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button",
    "select", "iframe", "svg", "menu", "head", "object", "canvas", "dialog",
];

/// Elements that flow inside a paragraph.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
    "label", "del", "ins", "nobr",
];

/// Class or id words that mark navigation and page furniture.
const FURNITURE: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "cookie",
    "cookies",
    "share",
    "social",
    "comments",
    "skip",
];

/// ARIA roles of page furniture.
const FURNITURE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "menu",
    "menubar",
    "search",
    "complementary",
];

/// Read a page. Err when it has no text.
pub fn extract(source: &str) -> Result<Page, String> {
    let (html, errors) =
        html5ever::driver::parse_document(LineSink::default(), Default::default()).one(source);
    let mut warnings = Vec::new();
    if let Some((line, first)) = errors.first() {
        warnings.push((
            *line as usize,
            format!(
                "malformed HTML, recovered: {} parse error(s), the first here: {first}",
                errors.len()
            ),
        ));
    }
    let root = html.root_element();
    // The main text is in <main> or <article> where the page has them.
    let mains: Vec<ElementRef> = root
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| matches!(e.value().name(), "main" | "article"))
        .filter(|e| {
            !e.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| matches!(a.value().name(), "main" | "article"))
        })
        .collect();
    let mut paragraphs = Vec::new();
    if mains.is_empty() {
        walk(root, &mut paragraphs, false);
    } else {
        for m in mains {
            walk(m, &mut paragraphs, true);
        }
    }
    paragraphs.retain(|p: &String| !crate::text::scoring_text(p).is_empty());
    if paragraphs.is_empty() {
        return Err("no text in the page's main content".into());
    }
    Ok(Page {
        paragraphs,
        meta: meta(&html),
        warnings,
    })
}

fn is_furniture(e: &ElementRef, in_main: bool) -> bool {
    let v = e.value();
    let name = v.name();
    if DROPPED.contains(&name) {
        return true;
    }
    // A page's header holds its navigation; an article's header holds its title.
    if name == "header" && !in_main {
        return true;
    }
    if v.attr("role")
        .is_some_and(|r| FURNITURE_ROLES.contains(&r.trim()))
    {
        return true;
    }
    if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") {
        return true;
    }
    let words = v
        .attr("class")
        .into_iter()
        .chain(v.attr("id"))
        .flat_map(|s| s.split(|c: char| c.is_whitespace() || c == '-' || c == '_'));
    words
        .map(|w| w.to_ascii_lowercase())
        .any(|w| FURNITURE.contains(&w.as_str()))
}

/// Collect the paragraphs under `element`: each run of text and inline elements between
/// block boundaries is one paragraph.
fn walk(element: ElementRef, out: &mut Vec<String>, in_main: bool) {
    let mut run = String::new();
    for child in element.children() {
        match child.value() {
            Node::Text(t) => run.push_str(t),
            Node::Element(e) => {
                let el = ElementRef::wrap(child).expect("element node");
                let name = e.name();
                if is_furniture(&el, in_main) {
                    continue;
                }
                if name == "br" {
                    run.push(' ');
                } else if INLINE.contains(&name) {
                    inline_text(el, &mut run, in_main);
                } else {
                    flush(&mut run, out);
                    walk(el, out, in_main || matches!(name, "main" | "article"));
                }
            }
            _ => {}
        }
    }
    flush(&mut run, out);
}

fn inline_text(element: ElementRef, run: &mut String, in_main: bool) {
    for child in element.children() {
        match child.value() {
            Node::Text(t) => run.push_str(t),
            Node::Element(e) => {
                let el = ElementRef::wrap(child).expect("element node");
                if is_furniture(&el, in_main) {
                    continue;
                }
                if e.name() == "br" {
                    run.push(' ');
                } else {
                    inline_text(el, run, in_main);
                }
            }
            _ => {}
        }
    }
}

fn flush(run: &mut String, out: &mut Vec<String>) {
    let text = crate::text::output_text(run);
    if !text.is_empty() {
        out.push(text);
    }
    run.clear();
}

/// Title, date and URL from the page's head and markup.
fn meta(html: &Html) -> Meta {
    let mut m = Meta::default();
    let elements = || {
        html.root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
    };
    for e in elements() {
        let v = e.value();
        match v.name() {
            "title" if m.title.is_none() => {
                let t = crate::text::output_text(&e.text().collect::<String>());
                m.title = (!t.is_empty()).then_some(t);
            }
            "link"
                if m.url.is_none()
                    && v.attr("rel")
                        .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                m.url = v.attr("href").map(|h| h.trim().to_string());
            }
            "meta" => {
                let key = v.attr("property").or(v.attr("name")).unwrap_or("");
                let content = v.attr("content").map(|c| c.trim().to_string());
                match key {
                    "og:url" if m.url.is_none() => m.url = content,
                    "article:published_time" | "date" | "dc.date" | "DC.date"
                        if m.date.is_none() =>
                    {
                        m.date = content
                    }
                    _ => {}
                }
            }
            "time" if m.date.is_none() => m.date = v.attr("datetime").map(|d| d.trim().to_string()),
            _ => {}
        }
    }
    m
}

/// scraper's tree sink, also noting the line of each parse error.
#[derive(Debug)]
struct LineSink {
    inner: HtmlTreeSink,
    line: Cell<u64>,
    errors: RefCell<Vec<(u64, Cow<'static, str>)>>,
}

impl Default for LineSink {
    fn default() -> Self {
        LineSink {
            inner: HtmlTreeSink::new(Html::new_document()),
            line: Cell::new(1),
            errors: RefCell::new(Vec::new()),
        }
    }
}

type Handle = <HtmlTreeSink as TreeSink>::Handle;

impl TreeSink for LineSink {
    type Handle = Handle;
    type Output = (Html, Vec<(u64, Cow<'static, str>)>);
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Self::Output {
        (self.inner.finish(), self.errors.into_inner())
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.errors.borrow_mut().push((self.line.get(), msg));
    }
    fn set_current_line(&self, line: u64) {
        self.line.set(line);
    }
    fn get_document(&self) -> Handle {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a Handle) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        self.inner.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> Handle {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Handle {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev: &Handle,
        child: NodeOrText<Handle>,
    ) {
        self.inner.append_based_on_parent_node(element, prev, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn get_template_contents(&self, target: &Handle) -> Handle {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &Handle) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        self.inner.reparent_children(node, new_parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_text_and_drops_the_furniture() {
        let page = extract(
            r##"<!DOCTYPE html><html><head><title>Remarks &amp; answers</title>
            <link rel="canonical" href="https://example.org/st/1">
            <script>var x = "<p>not text</p>";</script><style>p{}</style></head>
            <body><header><nav><ul><li>Home</li><li>News</li></ul></nav></header>
            <article><h1>Statement on the <em>vote</em></h1>
            <time datetime="2026-03-04">4 March 2026</time>
            <p>First&nbsp;paragraph with an <a href="#">inline link</a>.</p>
            <div class="share-buttons">Share: Facebook</div>
            <blockquote><p>Quoted text.</p></blockquote>
            <ul><li>One point</li><li>Another point</li></ul>
            <p>Line one<br>line two &lt;3</p></article>
            <footer>© Ministry</footer></body></html>"##,
        )
        .unwrap();
        assert_eq!(
            page.paragraphs,
            [
                "Statement on the vote",
                "4 March 2026",
                "First paragraph with an inline link.",
                "Quoted text.",
                "One point",
                "Another point",
                "Line one line two <3",
            ]
        );
        assert_eq!(page.meta.title.as_deref(), Some("Remarks & answers"));
        assert_eq!(page.meta.url.as_deref(), Some("https://example.org/st/1"));
        assert_eq!(page.meta.date.as_deref(), Some("2026-03-04"));
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    }

    #[test]
    fn recovers_broken_markup_and_says_where() {
        let page = extract("<html><body>\n<p>One <b>bold\n<p>Two</i>\n</body>").unwrap();
        assert_eq!(page.paragraphs, ["One bold", "Two"]);
        assert!(!page.warnings.is_empty());
        assert!(page.warnings[0].1.contains("malformed HTML"));
    }

    #[test]
    fn a_page_without_text_is_an_error() {
        assert!(extract("<html><body><nav>Menu</nav><script>x()</script></body></html>").is_err());
        assert!(extract("").is_err());
    }
}
