//! HTML pages: a real HTML parser (scraper/html5ever) reads the page; metadata comes from the
//! usual `<meta>` tags and the body is rewritten as Markdown for the segmenter.
//!
//! Rules:
//! - title: `<meta property="og:title">`, else `<title>`, else the first `<h1>`; date:
//!   `article:published_time`, `<meta name="date">`, else the first `<time datetime>`; author:
//!   `<meta name="author">`/`article:author`; source: `og:site_name`; url: the canonical link,
//!   else `og:url`.
//! - body: the `<article>` with the most text, else `<main>`, else `<body>`. Dropped with all
//!   they hold: script, style, noscript, template, nav, header, footer, aside, form, svg,
//!   iframe, button, elements marked `hidden`, and elements whose class or id mentions cookie,
//!   banner, newsletter, share, social, related or advert.
//! - output: `#`×level headings, paragraphs separated by blank lines, `- ` / `1. ` list items
//!   one per line (nested lists indented by two spaces), blockquote, pre, table cells, dt/dd
//!   as paragraphs; inline elements flattened with whitespace collapsed (`<br>` is a space).
//!   An `<h1>` equal to the title is not repeated as a heading.
//!
//! Passage lines and byte spans therefore refer to this extracted text, not to the page
//! source.

use scraper::{ElementRef, Html, Node, Selector};

use crate::model::{Metadata, SourceDoc};

use super::decode::Source;
use super::text::{decode_whole, whole_file_article};
use super::{FoundFile, IngestError};

/// Elements that never hold article text.
const DROPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg",
    "iframe", "button", "head", "title", "meta", "link", "object", "embed", "canvas", "select",
    "textarea", "dialog",
];

/// Class or id words that mark page furniture around the article.
const NOISE_WORDS: &[&str] = &[
    "cookie",
    "banner",
    "newsletter",
    "share",
    "social",
    "related",
    "advert",
];

/// Elements that start a new block; every other element is inline and flattened.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "hgroup",
    "hr",
    "html",
    "legend",
    "main",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
];

/// Reads one HTML page as one article with [`crate::model::TextFormat::Markdown`] text.
pub(crate) fn read_html(file: &FoundFile, mut source: Source) -> Result<SourceDoc, IngestError> {
    let page = decode_whole(file, &mut source)?;
    let (text, meta) = extract(&page);
    Ok(whole_file_article(file, text, meta))
}

/// The page's Markdown body and metadata.
pub(crate) fn extract(page: &str) -> (String, Metadata) {
    let page = page.strip_prefix('\u{feff}').unwrap_or(page);
    let document = Html::parse_document(page);
    let meta = metadata(&document);
    let mut writer = MarkdownWriter::new(meta.title.clone());
    writer.walk(body_root(&document));
    (writer.finish(), meta)
}

fn metadata(document: &Html) -> Metadata {
    let first = |sources: &[(&str, Option<&str>)]| {
        sources
            .iter()
            .find_map(|(css, attr)| select_value(document, css, *attr))
    };
    Metadata {
        title: first(&[
            (r#"meta[property="og:title"]"#, Some("content")),
            ("title", None),
            ("h1", None),
        ]),
        date: first(&[
            (
                r#"meta[property="article:published_time"]"#,
                Some("content"),
            ),
            (r#"meta[name="date"]"#, Some("content")),
            ("time[datetime]", Some("datetime")),
        ]),
        author: first(&[
            (r#"meta[name="author"]"#, Some("content")),
            (r#"meta[property="article:author"]"#, Some("content")),
        ]),
        source: first(&[(r#"meta[property="og:site_name"]"#, Some("content"))]),
        url: first(&[
            (r#"link[rel="canonical"]"#, Some("href")),
            (r#"meta[property="og:url"]"#, Some("content")),
        ]),
        ..Metadata::default()
    }
}

/// The first non-empty value of `attr` (or the text, when `None`) among elements matching
/// `css`, whitespace collapsed.
fn select_value(document: &Html, css: &str, attr: Option<&str>) -> Option<String> {
    let selector = Selector::parse(css).ok()?;
    document.select(&selector).find_map(|element| {
        let value = match attr {
            Some(attr) => collapse_whitespace(element.attr(attr)?),
            None => collapse_whitespace(&element.text().collect::<String>()),
        };
        (!value.is_empty()).then_some(value)
    })
}

/// Where the article body is: the `<article>` with the most text (pages often hold several:
/// teasers, related stories), else `<main>`, else `<body>`, else the whole document.
fn body_root(document: &Html) -> ElementRef<'_> {
    let all = |css: &str| {
        Selector::parse(css)
            .ok()
            .map(|selector| document.select(&selector).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let text_len = |element: &ElementRef| element.text().map(str::len).sum::<usize>();
    let articles = all("article");
    if let Some(article) = articles.into_iter().max_by_key(text_len) {
        return article;
    }
    all("main")
        .into_iter()
        .chain(all("body"))
        .next()
        .unwrap_or_else(|| document.root_element())
}

/// Whether an element and everything in it is page furniture, not article text.
fn is_dropped(element: &ElementRef) -> bool {
    let value = element.value();
    if DROPPED_TAGS.contains(&value.name()) || value.attr("hidden").is_some() {
        return true;
    }
    if value.attr("aria-hidden") == Some("true") {
        return true;
    }
    let marks = [value.attr("class"), value.id()];
    marks.into_iter().flatten().any(is_noise_mark)
}

fn is_noise_mark(mark: &str) -> bool {
    // "shareholders" is news, not a share button.
    let lower = mark.to_ascii_lowercase().replace("shareholder", "");
    NOISE_WORDS.iter().any(|word| lower.contains(word))
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One block of output: a paragraph, heading or list item.
struct Block {
    text: String,
    list_item: bool,
}

/// Walks the body tree and collects Markdown blocks.
struct MarkdownWriter {
    blocks: Vec<Block>,
    /// Text of the block being built, whitespace not yet collapsed.
    inline: String,
    /// The list marker (`- `, `2. `, indented) the block being built starts with.
    marker: Option<String>,
    list_depth: usize,
    /// The title still to be skipped when an `<h1>` repeats it.
    title: Option<String>,
}

impl MarkdownWriter {
    fn new(title: Option<String>) -> Self {
        MarkdownWriter {
            blocks: Vec::new(),
            inline: String::new(),
            marker: None,
            list_depth: 0,
            title,
        }
    }

    fn walk(&mut self, element: ElementRef) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => self.inline.push_str(text),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.element(child);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, element: ElementRef) {
        if is_dropped(&element) {
            return;
        }
        let name = element.value().name();
        match name {
            "br" => self.inline.push(' '),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.heading(element, name),
            "ul" | "ol" => self.list(element, name == "ol"),
            "li" => self.item(element, "- ".into()),
            _ if BLOCK_TAGS.contains(&name) => {
                self.flush();
                self.walk(element);
                self.flush();
            }
            _ => self.walk(element),
        }
    }

    fn heading(&mut self, element: ElementRef, name: &str) {
        self.flush();
        self.walk(element);
        let text = collapse_whitespace(&std::mem::take(&mut self.inline));
        if name == "h1" && self.title.as_deref() == Some(text.as_str()) {
            self.title = None;
            return;
        }
        if !text.is_empty() {
            let level = name[1..].parse::<usize>().unwrap_or(1);
            self.push_block(format!("{} {text}", "#".repeat(level)), false);
        }
    }

    fn list(&mut self, element: ElementRef, ordered: bool) {
        self.flush();
        let mut number = start_number(&element);
        self.list_depth += 1;
        for child in element.child_elements() {
            if child.value().name() != "li" || is_dropped(&child) {
                self.element(child);
                continue;
            }
            let indent = "  ".repeat(self.list_depth - 1);
            let marker = if ordered {
                format!("{indent}{number}. ")
            } else {
                format!("{indent}- ")
            };
            number += 1;
            self.item(child, marker);
        }
        self.list_depth -= 1;
    }

    fn item(&mut self, element: ElementRef, marker: String) {
        self.flush();
        self.marker = Some(marker);
        self.walk(element);
        self.flush();
    }

    /// Ends the block being built, if it has any text.
    fn flush(&mut self) {
        let text = collapse_whitespace(&std::mem::take(&mut self.inline));
        let marker = self.marker.take();
        if text.is_empty() {
            return;
        }
        match marker {
            Some(marker) => self.push_block(marker + &text, true),
            None => self.push_block(text, false),
        }
    }

    fn push_block(&mut self, text: String, list_item: bool) {
        self.blocks.push(Block { text, list_item });
    }

    /// Blocks joined: list items of one list on consecutive lines, everything else apart.
    fn finish(mut self) -> String {
        self.flush();
        let mut out = String::new();
        let mut previous_item = false;
        for block in &self.blocks {
            if !out.is_empty() {
                out.push_str(if previous_item && block.list_item {
                    "\n"
                } else {
                    "\n\n"
                });
            }
            out.push_str(&block.text);
            previous_item = block.list_item;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }
}

/// The number of an ordered list's first item (`<ol start="5">`).
fn start_number(element: &ElementRef) -> i64 {
    element
        .attr("start")
        .and_then(|start| start.trim().parse().ok())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html: &str) -> String {
        extract(html).0
    }

    #[test]
    fn metadata_prefers_open_graph_then_title_then_h1() {
        let (_, meta) = extract(
            r#"<html><head><title>Page | Site</title>
            <meta property="og:title" content=" Real   headline ">
            <meta property="og:site_name" content="Daily Ledger">
            <meta name="author" content="A. Writer">
            <link rel="canonical" href="https://example.com/a">
            <meta property="article:published_time" content="2025-03-01T08:00:00Z">
            </head><body><p>x</p></body></html>"#,
        );
        assert_eq!(meta.title.as_deref(), Some("Real headline"));
        assert_eq!(meta.source.as_deref(), Some("Daily Ledger"));
        assert_eq!(meta.author.as_deref(), Some("A. Writer"));
        assert_eq!(meta.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(meta.date.as_deref(), Some("2025-03-01T08:00:00Z"));
        let (_, meta) = extract("<title>Only title</title><p>x</p>");
        assert_eq!(meta.title.as_deref(), Some("Only title"));
        let (_, meta) =
            extract(r#"<h1>Big <em>news</em></h1><time datetime="2024-05-06">May</time>"#);
        assert_eq!(meta.title.as_deref(), Some("Big news"));
        assert_eq!(meta.date.as_deref(), Some("2024-05-06"));
    }

    #[test]
    fn body_is_markdown_with_headings_paragraphs_and_lists() {
        let text = body(
            "<body><h2>Results</h2><p>First   line<br>second\n line.</p>\
             <p>Lead-in:</p><ul><li>one</li><li><b>two</b> items</li></ul>\
             <ol start=\"3\"><li>third</li><li>fourth<ul><li>nested</li></ul></li></ol>\
             <blockquote><p>Quoted.</p></blockquote><table><tr><td>cell a</td><td>cell b</td></tr></table></body>",
        );
        assert_eq!(
            text,
            "## Results\n\nFirst line second line.\n\nLead-in:\n\n- one\n- two items\n\
             3. third\n4. fourth\n  - nested\n\nQuoted.\n\ncell a\n\ncell b\n"
        );
    }

    #[test]
    fn furniture_is_dropped_and_the_title_h1_is_not_repeated() {
        let text = body(
            r#"<html><head><title>Chips deal</title><script>var x = 1;</script></head><body>
            <nav><a href="/">Home</a></nav><div class="cookie-banner">We use cookies</div>
            <article><h1>Chips deal</h1><p>Body text.</p>
            <div class="social-share">Share</div><p hidden>secret</p>
            <p class="shareholder-note">Shareholders approved.</p></article>
            <aside>Related</aside><footer>(c)</footer></body></html>"#,
        );
        assert_eq!(text, "Body text.\n\nShareholders approved.\n");
    }

    #[test]
    fn the_longest_article_wins_over_teasers() {
        let text = body(
            "<body><article><p>Teaser.</p></article>\
             <article><p>The real story is much longer than the teaser.</p></article></body>",
        );
        assert_eq!(text, "The real story is much longer than the teaser.\n");
    }

    #[test]
    fn main_then_body_are_fallbacks_and_empty_pages_give_empty_text() {
        assert_eq!(
            body("<body><p>Out</p><main><p>In</p></main></body>"),
            "In\n"
        );
        assert_eq!(body("<p>Loose text</p>"), "Loose text\n");
        assert_eq!(body(""), "");
        assert_eq!(body("\u{feff}<p>BOM page</p>"), "BOM page\n");
    }
}
