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

/// Read a page's bytes: decoded by its byte order mark, else by the encoding it declares
/// (`<meta charset>`), else as UTF-8.
pub fn read(bytes: &[u8], max_paragraphs: usize) -> Result<Page, String> {
    let text =
        crate::text::decode_declared(bytes, declared_encoding(bytes)).map_err(|e| e.to_string())?;
    let page = extract(&text)?;
    if page.paragraphs.len() > max_paragraphs {
        return Err(crate::text::TextError::TooManyParagraphs {
            count: page.paragraphs.len(),
            max: max_paragraphs,
        }
        .to_string());
    }
    Ok(page)
}

/// The encoding a page declares in a `<meta>` near its start, as browsers find it (the
/// HTML standard's prescan looks at the first 1024 bytes). A declared UTF-16 means UTF-8
/// there: a page whose bytes are UTF-16 starts with a byte order mark.
pub fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    static META: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(r#"(?i-u)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.+-]+)"#)
            .expect("valid pattern")
    });
    let head = &bytes[..bytes.len().min(1024)];
    let label = META.captures(head)?.get(1)?.as_bytes();
    let encoding = encoding_rs::Encoding::for_label(label)?;
    Some(match encoding {
        e if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => encoding_rs::UTF_8,
        e if e == encoding_rs::X_USER_DEFINED => encoding_rs::WINDOWS_1252,
        e => e,
    })
}

/// Elements nested deeper than this are read as if they were not nested: browsers do the
/// same (Blink stops nesting at 512), and the parser's cost grows with the square of the
/// depth.
pub const MAX_DEPTH: usize = 512;

/// Pages with more elements than this are refused: a statement's page has thousands, and
/// each element costs the parser a couple of hundred bytes.
pub const MAX_ELEMENTS: usize = 500_000;

/// Read a page. Err when it has no text.
pub fn extract(source: &str) -> Result<Page, String> {
    let (source, flattened) = prescan(source, MAX_DEPTH, MAX_ELEMENTS)?;
    let (html, errors) =
        html5ever::driver::parse_document(LineSink::default(), Default::default()).one(&*source);
    let mut warnings = Vec::new();
    if let Some(line) = flattened {
        warnings.push((
            line,
            format!(
                "elements nested deeper than {MAX_DEPTH} levels, from here on, read as not nested"
            ),
        ));
    }
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
    let mut paragraphs = Vec::new();
    let mains = main_content(root);
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

/// The outermost `<main>` and `<article>` elements, in document order: the main text is in
/// them where the page has them.
fn main_content(root: ElementRef) -> Vec<ElementRef> {
    let mut found = Vec::new();
    let mut stack = vec![*root];
    while let Some(node) = stack.pop() {
        if let Some(e) = ElementRef::wrap(node)
            && matches!(e.value().name(), "main" | "article")
        {
            found.push(e);
            continue;
        }
        // Children pushed last first, so they come off in document order.
        let mut child = node.last_child();
        while let Some(c) = child {
            stack.push(c);
            child = c.prev_sibling();
        }
    }
    found
}

/// Elements that do not nest, for [`prescan`]: void elements, and those whose end tag may
/// be left out (the parser closes them itself).
const FLAT: &[&str] = &[
    // Void elements.
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "basefont", "bgsound", "frame",
    // End tag optional: the parser closes them itself.
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "rtc", "thead",
    "tbody", "tfoot", "colgroup", "caption", "html", "head", "body",
];
/// Elements whose content is text, whatever it looks like, for [`prescan`].
const RAW: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// The page as the parser is given it: the tags that open elements nested deeper than
/// `max_depth` (and the tags that close them) taken out, their text kept, with the line of
/// the first such tag; or why the page is refused (more than `max_elements` elements). A
/// scan of the tags, not a parse: elements whose end tag may be left out (`<p>`, `<li>`,
/// `<td>`, …) and void elements (`<br>`, `<img>`, …) do not nest here, and the content of
/// `<script>`, `<style>`, comments and the like is skipped.
pub fn prescan(
    source: &str,
    max_depth: usize,
    max_elements: usize,
) -> Result<(Cow<'_, str>, Option<usize>), String> {
    let b = source.as_bytes();
    // Cheap and common: fewer tags than either limit cannot exceed it.
    if memchr::memchr_iter(b'<', b)
        .take(max_depth.min(max_elements) + 1)
        .count()
        <= max_depth.min(max_elements)
    {
        return Ok((Cow::Borrowed(source), None));
    }
    let mut depth = 0usize;
    let mut elements = 0usize;
    // The page without the tags cut, built only once the first is found.
    let mut kept: Option<(String, usize)> = None;
    let mut first_cut = None;
    let mut cut = |range: std::ops::Range<usize>, kept: &mut Option<(String, usize)>| {
        let (out, at) = kept.get_or_insert_with(|| (String::with_capacity(source.len()), 0));
        out.push_str(&source[*at..range.start]);
        *at = range.end;
        first_cut.get_or_insert(range.start);
    };
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|k| i + k) {
        if b[lt + 1..].starts_with(b"!--") {
            i = memchr::memmem::find(&b[lt + 4..], b"-->").map_or(b.len(), |k| lt + 4 + k + 3);
            continue;
        }
        let Some(tag) = tag_at(source, lt) else {
            i = lt + 1;
            continue;
        };
        i = tag.end;
        if !tag.closing {
            elements += 1;
            if elements > max_elements {
                return Err(format!(
                    "too many elements: over the limit of {max_elements} (a statement's page has thousands)"
                ));
            }
        }
        if FLAT.contains(&tag.name.as_str()) || b[..tag.end].ends_with(b"/>") {
            continue;
        }
        if tag.closing {
            if depth > max_depth {
                cut(lt..tag.end, &mut kept);
            }
            depth = depth.saturating_sub(1);
        } else if RAW.contains(&tag.name.as_str()) {
            // Their content is text, whatever it looks like: on to their end tag.
            let close = format!("</{}", tag.name);
            i = b[tag.end..]
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
                .map_or(b.len(), |k| tag.end + k);
        } else {
            depth += 1;
            if depth > max_depth {
                cut(lt..tag.end, &mut kept);
            }
        }
    }
    Ok(match (kept, first_cut) {
        (Some((mut out, at)), Some(first)) => {
            out.push_str(&source[at..]);
            let line = 1 + memchr::memchr_iter(b'\n', &b[..first]).count();
            (Cow::Owned(out), Some(line))
        }
        _ => (Cow::Borrowed(source), None),
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

/// A tag of a page: does it close an element, the element's name (lowercase), and where the
/// tag ends.
struct Tag {
    closing: bool,
    name: String,
    end: usize,
}

/// The tag that starts at byte `lt` (a `<`) of `source`, if it is one.
fn tag_at(source: &str, lt: usize) -> Option<Tag> {
    let b = source.as_bytes();
    let closing = b.get(lt + 1) == Some(&b'/');
    let name_start = lt + 1 + closing as usize;
    let name_len = b[name_start..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
        return None;
    }
    let end = memchr::memchr(b'>', &b[name_start..]).map_or(b.len(), |k| name_start + k + 1);
    let name = source[name_start..name_start + name_len].to_ascii_lowercase();
    Some(Tag { closing, name, end })
}

/// Collect the paragraphs under `element`: each run of text and inline elements between
/// block boundaries is one paragraph. Iterative, not recursive: a page may nest elements
/// as deep as it likes.
fn walk(element: ElementRef, out: &mut Vec<String>, in_main: bool) {
    enum Step<'a> {
        /// A node inside a block, or inside an inline element (whose every descendant
        /// flows into the paragraph), with whether it is inside the main text.
        Enter(ego_tree::NodeRef<'a, Node>, bool, bool),
        /// The end of a block: its paragraph ends.
        EndBlock,
    }
    fn children<'a>(
        node: ego_tree::NodeRef<'a, Node>,
        stack: &mut Vec<Step<'a>>,
        in_main: bool,
        inline: bool,
    ) {
        let mut child = node.last_child();
        while let Some(c) = child {
            stack.push(Step::Enter(c, in_main, inline));
            child = c.prev_sibling();
        }
    }
    let mut run = String::new();
    let mut stack = vec![Step::EndBlock];
    children(*element, &mut stack, in_main, false);
    while let Some(step) = stack.pop() {
        let (node, in_main, inline) = match step {
            Step::EndBlock => {
                flush(&mut run, out);
                continue;
            }
            Step::Enter(node, in_main, inline) => (node, in_main, inline),
        };
        match node.value() {
            Node::Text(t) => run.push_str(t),
            Node::Element(e) => {
                let el = ElementRef::wrap(node).expect("element node");
                let name = e.name();
                if is_furniture(&el, in_main) {
                    continue;
                }
                if name == "br" {
                    run.push(' ');
                } else if inline || INLINE.contains(&name) {
                    children(node, &mut stack, in_main, true);
                } else {
                    flush(&mut run, out);
                    stack.push(Step::EndBlock);
                    let in_main = in_main || matches!(name, "main" | "article");
                    children(node, &mut stack, in_main, false);
                }
            }
            _ => {}
        }
    }
}

fn flush(run: &mut String, out: &mut Vec<String>) {
    let text = crate::text::output_text(run);
    if crate::text::has_text(&text) {
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

/// scraper's tree sink, also noting the line of each parse error — but those before the
/// first element: a page without `<!DOCTYPE>` (or with an old one) is read in quirks mode,
/// as browsers read it, and that is not markup to repair.
#[derive(Debug)]
struct LineSink {
    inner: HtmlTreeSink,
    line: Cell<u64>,
    errors: RefCell<Vec<(u64, Cow<'static, str>)>>,
    started: Cell<bool>,
}

impl Default for LineSink {
    fn default() -> Self {
        LineSink {
            inner: HtmlTreeSink::new(Html::new_document()),
            line: Cell::new(1),
            errors: RefCell::new(Vec::new()),
            started: Cell::new(false),
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
        if self.started.get() {
            self.errors.borrow_mut().push((self.line.get(), msg));
        }
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
        self.started.set(true);
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
    fn nesting_past_the_limit_is_flattened_and_text_kept() {
        let page = format!("{}text{}", "<div>".repeat(5), "</div>".repeat(5));
        let (flat, line) = prescan(&page, 3, 100).unwrap();
        assert_eq!(flat, "<div><div><div>text</div></div></div>");
        assert_eq!(line, Some(1));
        // Tags in scripts and comments, void elements and <p> do not nest.
        let page = "<script>'<div><div><div><div>'</script><!--<div><div><div><div>-->\
                    <p><p><p><p><br><br><br><br><img/>x";
        assert_eq!(prescan(page, 3, 100).unwrap(), (Cow::Borrowed(page), None));
        assert!(prescan(&"<b>".repeat(101), 1000, 100).is_err());
    }

    #[test]
    fn a_page_declares_its_encoding_in_a_meta() {
        let label = |s: &str| declared_encoding(s.as_bytes()).map(|e| e.name());
        assert_eq!(
            label(r#"<meta charset="windows-1251">"#),
            Some("windows-1251")
        );
        assert_eq!(
            label(r#"<META http-equiv="Content-Type" content="text/html; charset=KOI8-R">"#),
            Some("KOI8-R")
        );
        assert_eq!(label(r#"<meta charset='utf-16'>"#), Some("UTF-8"));
        assert_eq!(label("<p>charset=windows-1251</p>"), None);
        let page = encoding_rs::WINDOWS_1251
            .encode("<meta charset=\"cp1251\"><p>Привет.</p>")
            .0;
        assert_eq!(read(&page, 10).unwrap().paragraphs, ["Привет."]);
    }

    #[test]
    fn a_page_without_doctype_is_not_malformed() {
        let page = extract("<html><body><p>Plain.</p></body></html>").unwrap();
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    }

    #[test]
    fn a_page_without_text_is_an_error() {
        assert!(extract("<html><body><nav>Menu</nav><script>x()</script></body></html>").is_err());
        assert!(extract("").is_err());
    }
}
