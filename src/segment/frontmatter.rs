//! Front matter: YAML between `---` lines at the top of Markdown, or a `Key: value` header
//! block at the top of plain text. Hands `mod.rs` the [`Metadata`] it declares and where the
//! body starts; a malformed block stays body text and leaves a warning.

use std::ops::Range;

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::{Yaml, YamlLoader};

use super::clean::{trim_invisible_end, trim_invisible_start};
use super::lines::{Line, Lines};
use crate::model::{Metadata, TextFormat};

/// What the top of an article declared, and where its body starts.
#[derive(Debug, Default)]
pub(crate) struct FrontMatter {
    pub meta: Metadata,
    /// Bytes of the block, delimiters included; `None` when there is no (valid) block.
    pub span: Option<Range<usize>>,
    /// First byte and 1-based line number of the body.
    pub body_start: usize,
    pub body_line: u32,
    pub warnings: Vec<String>,
}

/// Keys the plain-text header block knows; a block needs at least one of them.
const KNOWN_KEYS: [&str; 7] = [
    "title",
    "date",
    "source",
    "author",
    "url",
    "id",
    "companies",
];

/// Longest key a header line may have (`Published-At` fits, a sentence does not).
const MAX_KEY_CHARS: usize = 24;

/// Bounds on a YAML block, checked before it is loaded: loading expands every alias into a
/// copy of its anchor, so a few hundred bytes of nested aliases ("billion laughs") would
/// otherwise expand to gigabytes, and the loader recurses once per nesting level. Real front
/// matter is a few dozen keys; a block over a bound is reported and skipped (its metadata
/// ignored, the body after it still read), since it is not prose to index.
const MAX_YAML_BYTES: usize = 64 * 1024;
/// Nodes (scalars, lists, mappings) the block holds once its aliases are expanded.
const MAX_YAML_NODES: u64 = 10_000;
/// Lists and mappings nested in one another.
const MAX_YAML_DEPTH: usize = 32;

/// Reads the front matter of `text`, if any, by the rules of `format`.
pub(crate) fn read(text: &str, format: TextFormat) -> FrontMatter {
    let mut front = FrontMatter {
        body_line: 1,
        ..FrontMatter::default()
    };
    match format {
        TextFormat::Markdown => read_yaml(text, &mut front),
        TextFormat::Plain => read_header_block(text, &mut front),
    }
    front
}

fn line_text(text: &str, line: Line) -> &str {
    trim_invisible_end(trim_invisible_start(&text[line.start..line.end]))
}

/// Byte after the terminator of a line ending at `end`.
fn after_terminator(text: &str, end: usize) -> usize {
    match text.as_bytes().get(end..end + 2) {
        Some(b"\r\n") => end + 2,
        _ if end < text.len() => end + 1,
        _ => end,
    }
}

fn read_yaml(text: &str, front: &mut FrontMatter) {
    let mut lines = Lines::new(text, 0, 1);
    let Some(opening) = lines.next() else { return };
    if line_text(text, opening) != "---" {
        return;
    }
    let Some(closing) = lines.find(|&l| matches!(line_text(text, l), "---" | "...")) else {
        front.warnings.push(
            "line 1: unclosed YAML front matter (no closing `---`), read as body text".into(),
        );
        return;
    };
    let yaml = &text[after_terminator(text, opening.end)..closing.start];
    if let Some(problem) = yaml_over_bounds(yaml) {
        front.warnings.push(format!(
            "line 1: YAML front matter {problem}, skipped (its metadata is ignored)"
        ));
        front.span = Some(0..closing.end);
        front.body_start = after_terminator(text, closing.end);
        front.body_line = closing.number + 1;
        return;
    }
    let docs = match YamlLoader::load_from_str(yaml) {
        Ok(docs) => docs,
        Err(error) => {
            // The scanner counts lines from 1 inside the block, which opens on line 2.
            front.warnings.push(format!(
                "line {}: malformed YAML front matter, read as body text: {}",
                error.marker().line() + 1,
                error.info()
            ));
            return;
        }
    };
    match docs.first() {
        None | Some(Yaml::Null) => {}
        Some(Yaml::Hash(hash)) => {
            for (key, value) in hash {
                apply_yaml(&mut front.meta, key, value, &mut front.warnings);
            }
        }
        Some(_) => {
            front.warnings.push(
                "line 1: YAML front matter is not a mapping of keys, read as body text".into(),
            );
            return;
        }
    }
    front.span = Some(0..closing.end);
    front.body_start = after_terminator(text, closing.end);
    front.body_line = closing.number + 1;
}

/// Which bound the YAML block exceeds, if any, found by streaming its events (the parser
/// neither expands aliases nor recurses) and adding up each anchor's expanded size. Syntax
/// errors are left to the loader, which reports them with their line.
fn yaml_over_bounds(yaml: &str) -> Option<String> {
    if yaml.len() > MAX_YAML_BYTES {
        return Some(format!("is larger than {} KB", MAX_YAML_BYTES / 1024));
    }
    let mut parser = Parser::new_from_str(yaml);
    // Expanded node count of each anchor, and the collections open around the current event
    // with their anchor and the node count when they opened.
    let mut anchors: HashMap<usize, u64> = HashMap::new();
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut nodes: u64 = 0;
    loop {
        let Ok((event, _)) = parser.next_token() else {
            return None;
        };
        match event {
            Event::StreamEnd => return None,
            Event::Scalar(_, _, anchor, _) => {
                nodes += 1;
                if anchor > 0 {
                    anchors.insert(anchor, 1);
                }
            }
            Event::Alias(anchor) => {
                nodes = nodes.saturating_add(anchors.get(&anchor).copied().unwrap_or(1));
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, nodes));
                nodes += 1;
                if open.len() > MAX_YAML_DEPTH {
                    return Some(format!("nests deeper than {MAX_YAML_DEPTH} levels"));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, start)) = open.pop() {
                    if anchor > 0 {
                        anchors.insert(anchor, nodes - start);
                    }
                }
            }
            _ => {}
        }
        if nodes > MAX_YAML_NODES {
            return Some(format!(
                "expands (through its aliases) to more than {MAX_YAML_NODES} values"
            ));
        }
    }
}

/// A YAML scalar as written; `None` for null, mappings and lists.
fn yaml_scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

fn apply_yaml(meta: &mut Metadata, key: &Yaml, value: &Yaml, warnings: &mut Vec<String>) {
    let Some(key) = yaml_scalar(key) else { return };
    let values: Vec<String> = match value {
        Yaml::Array(items) => items.iter().filter_map(yaml_scalar).collect(),
        Yaml::Hash(_) => {
            warnings.push(format!(
                "front matter key `{key}` holds a nested mapping, ignored"
            ));
            return;
        }
        other => yaml_scalar(other).into_iter().collect(),
    };
    let is_list = matches!(value, Yaml::Array(_));
    apply_field(meta, &key.to_lowercase(), values, is_list);
}

/// Stores one front-matter field; `companies` written as one string is split at commas, and
/// other list values are joined with `, `.
fn apply_field(meta: &mut Metadata, key: &str, values: Vec<String>, is_list: bool) {
    if key == "companies" {
        let split = values.iter().flat_map(|v| {
            let parts: Vec<&str> = if is_list {
                vec![v]
            } else {
                v.split(',').collect()
            };
            parts
                .into_iter()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        });
        meta.companies.extend(split);
        return;
    }
    let value = values.join(", ").trim().to_string();
    if value.is_empty() {
        return;
    }
    let slot = match key {
        "title" => &mut meta.title,
        "date" => &mut meta.date,
        "source" => &mut meta.source,
        "author" => &mut meta.author,
        "url" => &mut meta.url,
        "id" => &mut meta.id,
        _ => {
            meta.extra.insert(key.to_string(), value);
            return;
        }
    };
    *slot = Some(value);
}

/// Splits `Key: value` when the key is a short, single-word-ish label.
fn header_pair(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim_end();
    let key_ok = key.chars().count() <= MAX_KEY_CHARS
        && key.chars().next().is_some_and(char::is_alphabetic)
        && key.matches(' ').count() <= 1
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '));
    let value_ok = value.is_empty() || value.starts_with([' ', '\t']);
    (key_ok && value_ok).then_some((key, value.trim()))
}

fn read_header_block(text: &str, front: &mut FrontMatter) {
    let block: Vec<Line> = Lines::new(text, 0, 1)
        .take_while(|&l| !line_text(text, l).is_empty())
        .collect();
    let Some(last) = block.last().copied() else {
        return;
    };
    let pairs: Vec<Option<(&str, &str)>> = block
        .iter()
        .map(|&l| header_pair(line_text(text, l)))
        .collect();
    let is_known = |key: &str| KNOWN_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key));
    let any_known = pairs.iter().flatten().any(|(key, _)| is_known(key));
    if let Some(bad) = pairs.iter().position(Option::is_none) {
        if pairs
            .first()
            .copied()
            .flatten()
            .is_some_and(|(key, _)| is_known(key))
        {
            front.warnings.push(format!(
                "line {}: header block line is not `Key: value`, block read as body text",
                block[bad].number
            ));
        }
        return;
    }
    if !any_known {
        return;
    }
    for (key, value) in pairs.into_iter().flatten() {
        apply_field(
            &mut front.meta,
            &key.to_lowercase(),
            vec![value.to_string()],
            false,
        );
    }
    front.span = Some(block[0].start + leading_invisible(text)..last.end);
    front.body_start = after_terminator(text, last.end);
    front.body_line = last.number + 1;
}

/// Bytes of BOM / whitespace before the first visible character of `text`.
fn leading_invisible(text: &str) -> usize {
    text.len() - trim_invisible_start(text).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_fills_metadata() {
        let text = "---\ntitle: Acme buys Beta\ndate: 2024-03-01\ncompanies: [Acme, Beta Corp]\ndesk: markets\n---\nBody.\n";
        let front = read(text, TextFormat::Markdown);
        assert_eq!(front.meta.title.as_deref(), Some("Acme buys Beta"));
        assert_eq!(front.meta.date.as_deref(), Some("2024-03-01"));
        assert_eq!(front.meta.companies, vec!["Acme", "Beta Corp"]);
        assert_eq!(
            front.meta.extra.get("desk").map(String::as_str),
            Some("markets")
        );
        assert_eq!(&text[front.body_start..], "Body.\n");
        assert_eq!(front.body_line, 7);
        assert!(front.warnings.is_empty());
    }

    #[test]
    fn malformed_or_unclosed_yaml_stays_body_text() {
        let bad = read("---\ntitle: [unclosed\n---\nBody", TextFormat::Markdown);
        assert_eq!((bad.span.clone(), bad.body_start), (None, 0));
        assert!(
            bad.warnings[0].starts_with("line 3: malformed YAML front matter"),
            "{}",
            bad.warnings[0]
        );
        let open = read("---\ntitle: x\nBody", TextFormat::Markdown);
        assert!(open.warnings[0].contains("unclosed"));
        assert_eq!(open.meta, Metadata::default());
    }

    #[test]
    fn yaml_bombs_deep_nesting_and_huge_blocks_are_skipped_with_a_warning() {
        let mut bomb = String::from("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!("{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n"));
        }
        bomb.push_str("title: Bomb\n---\nThe body is still read.\n");
        let front = read(&bomb, TextFormat::Markdown);
        assert!(
            front.warnings[0].contains("expands"),
            "{:?}",
            front.warnings
        );
        assert_eq!(front.meta, Metadata::default());
        assert_eq!(&bomb[front.body_start..], "The body is still read.\n");

        let deep = format!(
            "---\nx: {}1{}\n---\nBody\n",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert!(read(&deep, TextFormat::Markdown).warnings[0].contains("deeper"));
        let huge = format!("---\nnote: {}\n---\nBody\n", "word ".repeat(20_000));
        assert!(read(&huge, TextFormat::Markdown).warnings[0].contains("larger"));
        let anchors_ok = "---\nauthor: &who Ann\neditor: *who\n---\nBody\n";
        let front = read(anchors_ok, TextFormat::Markdown);
        assert_eq!(front.meta.author.as_deref(), Some("Ann"));
        assert!(front.warnings.is_empty(), "{:?}", front.warnings);
    }

    #[test]
    fn header_block_needs_a_known_key_and_only_pairs() {
        let text = "Title: Acme buys Beta\r\nCompanies: Acme, Beta Corp\r\nDesk: M&A\r\n\r\nBody";
        let front = read(text, TextFormat::Plain);
        assert_eq!(front.meta.title.as_deref(), Some("Acme buys Beta"));
        assert_eq!(front.meta.companies, vec!["Acme", "Beta Corp"]);
        assert_eq!(
            front.meta.extra.get("desk").map(String::as_str),
            Some("M&A")
        );
        assert_eq!(front.body_line, 4);
        let seed_like = read("Introduction: A Turn\n\nBody", TextFormat::Plain);
        assert_eq!(seed_like.span, None);
        let broken = read("Title: Acme\nthen a sentence\n\nBody", TextFormat::Plain);
        assert_eq!(broken.span, None);
        assert!(broken.warnings[0].starts_with("line 2: header block"));
    }
}
