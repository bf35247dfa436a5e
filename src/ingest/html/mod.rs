//! HTML pages: the bytes are decoded ([`super::decode::decode_html`]: BOM, `<meta charset>`,
//! then the bytes themselves), a real HTML parser (scraper/html5ever) reads the page, the
//! article is chosen by its text and link density ([`scoring`]), and written as Markdown for
//! the segmenter ([`markdown`]); metadata comes from the usual `<meta>` tags and JSON-LD
//! ([`metadata`]).
//!
//! Modules:
//! - [`dom`]: the parsed page as a flat arena in document order (no recursion anywhere);
//! - [`hints`]: what class, id and role attributes say about a block;
//! - [`scoring`]: which blocks are the article;
//! - [`markdown`]: the chosen blocks as Markdown;
//! - [`metadata`]: title, date, author, source, url.
//!
//! Hostile pages are refused with one line naming the file, before they can cost unbounded
//! time or stack: a tag with more than [`MAX_ATTRIBUTES`] attributes (the parser checks each
//! new attribute against all earlier ones of its tag, quadratic in their number), or elements
//! nested deeper than [`MAX_DEPTH`] (browsers stop nesting at 512).
//!
//! Passage lines and byte spans refer to the extracted Markdown text, not to the page source.

mod dom;
mod hints;
mod markdown;
mod metadata;
mod scoring;
#[cfg(test)]
mod tests;

use scraper::Html;

use crate::model::{Metadata, SourceDoc};

use super::decode::{self, Source};
use super::text::whole_file_article;
use super::{FoundFile, IngestError};

/// Attributes one tag may have; real pages stay under a hundred.
pub(crate) const MAX_ATTRIBUTES: usize = 1_000;

/// Elements one page may nest; real pages stay under a hundred, browsers cap at 512.
pub(crate) const MAX_DEPTH: u32 = 1_000;

/// Reads one HTML page as one article with [`crate::model::TextFormat::Markdown`] text.
pub(crate) fn read_html(file: &FoundFile, mut source: Source) -> Result<SourceDoc, IngestError> {
    let bytes = decode::read_all(&mut source, &file.path)?;
    let page = decode::decode_html(bytes, &file.path)?;
    let (text, meta) = extract(&page).map_err(|refused| IngestError::HostileHtml {
        path: file.path.clone(),
        line: refused.line,
        problem: refused.problem,
    })?;
    Ok(whole_file_article(file, text, meta))
}

/// Why a page is refused, and where.
#[derive(Debug)]
pub(crate) struct Refused {
    pub(crate) line: Option<u64>,
    pub(crate) problem: String,
}

/// The page's Markdown body and metadata, or why the page is refused.
pub(crate) fn extract(page: &str) -> Result<(String, Metadata), Refused> {
    let page = page.strip_prefix('\u{feff}').unwrap_or(page);
    check_attributes(page)?;
    let document = Html::parse_document(page);
    let dom = dom::Dom::new(&document);
    let depth = dom.nodes.iter().map(|node| node.depth).max().unwrap_or(0);
    if depth > MAX_DEPTH {
        return Err(Refused {
            line: None,
            problem: format!("HTML elements nested {depth} deep (more than {MAX_DEPTH})"),
        });
    }
    let meta = metadata::read(&document);
    let selection = scoring::select(&dom);
    let text = markdown::write(&dom, &selection, meta.title.as_deref());
    Ok((text, meta))
}

/// Refuses a page with a tag of more than [`MAX_ATTRIBUTES`] attributes, by a linear scan of
/// the source: inside a tag (`<` then a letter, up to a `>` outside quotes), every name that
/// starts after whitespace counts; the contents of `<script>` and `<style>` are passed over.
fn check_attributes(page: &str) -> Result<(), Refused> {
    let bytes = page.as_bytes();
    let mut index = 0;
    while let Some(offset) = bytes[index..].iter().position(|&b| b == b'<') {
        let start = index + offset;
        index = start + 1;
        if !bytes.get(index).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let raw_text_end = raw_text_closer(&bytes[index..]);
        let mut attributes = 0;
        let mut quote = None;
        let mut previous_space = false;
        while let Some(&byte) = bytes.get(index) {
            index += 1;
            match quote {
                Some(q) if byte == q => quote = None,
                Some(_) => {}
                None => match byte {
                    b'>' => break,
                    b'"' | b'\'' => quote = Some(byte),
                    _ if byte.is_ascii_whitespace() || byte == b'/' => {
                        previous_space = true;
                        continue;
                    }
                    b'=' => {}
                    _ if previous_space => attributes += 1,
                    _ => {}
                },
            }
            previous_space = false;
        }
        if attributes > MAX_ATTRIBUTES {
            let line = bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            return Err(Refused {
                line: Some(line),
                problem: format!("a tag with {attributes} attributes (more than {MAX_ATTRIBUTES})"),
            });
        }
        if let Some(closer) = raw_text_end {
            index =
                find_ignoring_case(&bytes[index..], closer).map_or(bytes.len(), |at| index + at);
        }
    }
    Ok(())
}

/// The end tag that closes `tag`'s text when `tag` (the bytes after `<`) opens a script or
/// style, whose text is not markup.
fn raw_text_closer(tag: &[u8]) -> Option<&'static [u8]> {
    let name_end = tag
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(tag.len());
    match tag[..name_end].to_ascii_lowercase().as_slice() {
        b"script" => Some(b"</script"),
        b"style" => Some(b"</style"),
        _ => None,
    }
}

/// Where `needle` (lower case ASCII) first occurs in `haystack`, ignoring ASCII case.
fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}
