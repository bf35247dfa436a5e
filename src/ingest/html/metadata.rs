//! The page's metadata, from the tags publishers write for search engines and social sites:
//! - title: `og:title`, else `<title>`, else the first `<h1>`, without the site's name
//!   ("Chips deal | Daily Ledger" → "Chips deal") when a separator sets apart a part that is
//!   the site name (`og:site_name`, the host of the page's URL) or when another part is the
//!   page's `<h1>`;
//! - date: `article:published_time`, a `date`/`pubdate`/`dc.date` meta, JSON-LD
//!   `datePublished`, else the first `<time datetime>`;
//! - author: `<meta name="author">`, `article:author`; source: `og:site_name`, else JSON-LD
//!   `publisher.name`; url: the canonical link, else `og:url`.

use scraper::{Html, Selector};
use serde_json::Value;

use crate::model::Metadata;

use super::markdown::collapse_whitespace;

/// Separators between a headline and the site's name in `<title>`.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " · ", " :: ", " » ", " / "];

/// JSON-LD blocks read, at most (a page has a handful; a hostile one may have thousands).
const MAX_JSON_LD: usize = 16;

pub(crate) fn read(document: &Html) -> Metadata {
    let first = |sources: &[(&str, Option<&str>)]| {
        sources
            .iter()
            .find_map(|(css, attr)| select_value(document, css, *attr))
    };
    let json_ld = json_ld(document);
    let source = first(&[(r#"meta[property="og:site_name"]"#, Some("content"))])
        .or_else(|| json_ld_value(&json_ld, &["publisher", "name"]));
    let url = first(&[
        (r#"link[rel="canonical"]"#, Some("href")),
        (r#"meta[property="og:url"]"#, Some("content")),
    ]);
    let h1 = select_value(document, "h1", None);
    let title = first(&[
        (r#"meta[property="og:title"]"#, Some("content")),
        (r#"meta[name="twitter:title"]"#, Some("content")),
        ("title", None),
    ])
    .map(|title| without_site_name(&title, source.as_deref(), url.as_deref(), h1.as_deref()))
    .or(h1);
    let date = first(&[
        (
            r#"meta[property="article:published_time"]"#,
            Some("content"),
        ),
        (r#"meta[itemprop="datePublished"]"#, Some("content")),
        (r#"meta[name="date"]"#, Some("content")),
        (r#"meta[name="pubdate"]"#, Some("content")),
        (r#"meta[name="publishdate"]"#, Some("content")),
        (r#"meta[name="dc.date"]"#, Some("content")),
        (r#"meta[name="DC.date.issued"]"#, Some("content")),
    ])
    .or_else(|| json_ld_value(&json_ld, &["datePublished"]))
    .or_else(|| first(&[("time[datetime]", Some("datetime"))]));
    Metadata {
        title,
        date,
        author: first(&[
            (r#"meta[name="author"]"#, Some("content")),
            (r#"meta[property="article:author"]"#, Some("content")),
        ]),
        source,
        url,
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

/// `title` without a part naming the site: the part before or after a separator that is the
/// site name or the URL's host, or else the part that equals the page's `<h1>`.
fn without_site_name(
    title: &str,
    site: Option<&str>,
    url: Option<&str>,
    h1: Option<&str>,
) -> String {
    let host = url.and_then(host_of);
    let is_site = |part: &str| {
        let part = part.trim().to_lowercase();
        site.is_some_and(|site| part == site.trim().to_lowercase())
            || host.as_deref().is_some_and(|host| {
                let bare = host.strip_prefix("www.").unwrap_or(host);
                part == bare || part.replace(' ', "") == bare.split('.').next().unwrap_or("")
            })
    };
    for separator in TITLE_SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            if is_site(tail) && !head.trim().is_empty() {
                return without_site_name(head.trim(), site, url, h1);
            }
        }
        if let Some((head, tail)) = title.split_once(separator) {
            if is_site(head) && !tail.trim().is_empty() {
                return without_site_name(tail.trim(), site, url, h1);
            }
        }
    }
    if let Some(h1) = h1 {
        for separator in TITLE_SEPARATORS {
            if title.split(separator).any(|part| part.trim() == h1) && title != h1 {
                return h1.to_string();
            }
        }
    }
    title.to_string()
}

/// `example.com` of `https://www.example.com/a/b`, lower case.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#', ':']).next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The page's JSON-LD blocks, parsed (invalid ones skipped).
fn json_ld(document: &Html) -> Vec<Value> {
    let Ok(selector) = Selector::parse(r#"script[type="application/ld+json"]"#) else {
        return Vec::new();
    };
    document
        .select(&selector)
        .take(MAX_JSON_LD)
        .filter_map(|script| serde_json::from_str(&script.text().collect::<String>()).ok())
        .collect()
}

/// The first string at `path` in an object of the JSON-LD blocks, searched breadth-first
/// through arrays and `@graph` without recursion.
fn json_ld_value(blocks: &[Value], path: &[&str]) -> Option<String> {
    let mut queue: std::collections::VecDeque<&Value> = blocks.iter().collect();
    let mut visited = 0;
    while let Some(value) = queue.pop_front() {
        visited += 1;
        if visited > 10_000 {
            return None;
        }
        match value {
            Value::Array(items) => queue.extend(items),
            Value::Object(object) => {
                let mut found = Some(value);
                for key in path {
                    found = found.and_then(|v| v.get(key));
                    if let Some(Value::Array(items)) = found {
                        found = items.first();
                    }
                }
                if let Some(text) = found.and_then(Value::as_str) {
                    let text = collapse_whitespace(text);
                    if !text.is_empty() {
                        return Some(text);
                    }
                }
                if let Some(graph) = object.get("@graph") {
                    queue.push_back(graph);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_name_is_cut_from_the_title() {
        let cut = |title, site, url, h1| without_site_name(title, site, url, h1);
        assert_eq!(
            cut(
                "Chips deal | Daily Ledger",
                Some("Daily Ledger"),
                None,
                None
            ),
            "Chips deal"
        );
        assert_eq!(
            cut("Ledger - Chips deal", Some("Ledger"), None, None),
            "Chips deal"
        );
        assert_eq!(
            cut(
                "Chips deal - ledger.com",
                None,
                Some("https://www.ledger.com/x"),
                None
            ),
            "Chips deal"
        );
        assert_eq!(
            cut("Chips deal | Tech | Foo", None, None, Some("Chips deal")),
            "Chips deal"
        );
        assert_eq!(
            cut("Apple - the comeback", None, None, None),
            "Apple - the comeback"
        );
    }

    #[test]
    fn dates_come_from_json_ld_when_no_meta_gives_one() {
        let page = Html::parse_document(
            r#"<script type="application/ld+json">{"@graph":[{"@type":"WebPage"},
            {"@type":"NewsArticle","datePublished":"2024-02-03T10:00:00Z",
             "publisher":{"name":"The Ledger"}}]}</script><time datetime="2020-01-01">x</time>"#,
        );
        let meta = read(&page);
        assert_eq!(meta.date.as_deref(), Some("2024-02-03T10:00:00Z"));
        assert_eq!(meta.source.as_deref(), Some("The Ledger"));
    }
}
