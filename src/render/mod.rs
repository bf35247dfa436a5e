//! Renderers, the one home of everything graf prints: search results here, the other
//! commands' reports in [`reports`], errors with their hints in [`errors`]; as text for people
//! (colour on a terminal, wrapped to its width), JSON Lines for scripts and TSV for shell
//! pipelines. Every renderer writes to `&mut impl Write`, so tests render into a `Vec<u8>`.
//! Every JSON line is a [`Message`] of [`wire`], which writes its `type` and keeps its shape
//! stable.

pub mod errors;
pub mod reports;
pub mod wire;

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::model::{CompanyCount, FacetNode, Hit, Neighbour};
use crate::search::SearchResults;
pub use wire::Message;

/// How human output looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Look {
    /// ANSI colour and emphasis (a terminal), or plain text (a pipe).
    pub color: bool,
    /// Wrap passages to this many columns; `None` writes each passage on one line.
    pub width: Option<usize>,
}

const TITLE: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const MATCH: Style = AnsiColor::Yellow.on_default().bold();
const SCORE: Style = AnsiColor::Green.on_default();
const INDENT: &str = "   ";
/// Top-level companies listed after human search results; JSON lists them all.
const FACETS_SHOWN: usize = 15;

impl Look {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    fn wrap(&self, text: &str, indent: &str) -> String {
        match self.width {
            Some(width) if width > indent.len() + 20 => {
                let options = textwrap::Options::new(width)
                    .initial_indent(indent)
                    .subsequent_indent(indent);
                textwrap::fill(text, options)
            }
            _ => format!("{indent}{text}"),
        }
    }
}

/// Search results for people: one block per hit, then notes, facets and a summary line.
pub fn human_results(out: &mut impl Write, results: &SearchResults, look: Look) -> io::Result<()> {
    for hit in &results.hits {
        human_hit(out, hit, look)?;
    }
    if let Some(facets) = &results.facets {
        writeln!(
            out,
            "{}",
            look.paint(TITLE, "Companies in the matching passages:")
        )?;
        let shown = &facets[..facets.len().min(FACETS_SHOWN)];
        facet_tree(out, shown, 1, &|node: &FacetNode| node.count.to_string())?;
        if facets.len() > shown.len() {
            let more = format!(
                "  … {} more (all of them with --json)",
                facets.len() - shown.len()
            );
            writeln!(out, "{}", look.paint(DIM, &more))?;
        }
        writeln!(out)?;
    }
    let shown = results.hits.len();
    let summary = match (shown, results.total) {
        (0, 0) => "no passage matches".to_string(),
        (0, total) => format!("no passage on this page ({total} match in all)"),
        (_, total) => format!(
            "{shown} of {total} matching passage{} ({:.1} ms)",
            plural(total),
            results.elapsed.as_secs_f64() * 1000.0
        ),
    };
    writeln!(out, "{}", look.paint(DIM, &summary))
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

fn human_hit(out: &mut impl Write, hit: &Hit, look: Look) -> io::Result<()> {
    let heading = match (&hit.title, &hit.section) {
        (Some(title), Some(section)) => format!("{title} › {section}"),
        (Some(title), None) => title.clone(),
        (None, Some(section)) => section.clone(),
        (None, None) => hit.article_id.clone(),
    };
    let score = format!("{:>6.2}", hit.score);
    writeln!(
        out,
        "{:>2}. {}  {}",
        hit.rank,
        look.paint(SCORE, &score),
        look.paint(TITLE, &heading)
    )?;
    writeln!(out, "{INDENT} {}", look.paint(DIM, &location(hit)))?;
    neighbours(out, &hit.before, look)?;
    if let Some(context) = &hit.context {
        writeln!(out, "{}", look.paint(DIM, &look.wrap(context, INDENT)))?;
    }
    writeln!(out, "{}", look.wrap(&highlighted(hit, look), INDENT))?;
    neighbours(out, &hit.after, look)?;
    if let Some(explanation) = &hit.explanation {
        for line in explanation.lines() {
            writeln!(out, "{INDENT}{}", look.paint(DIM, line))?;
        }
    }
    writeln!(out)
}

/// `path:line · companies · date · source`: where to find the passage and what it is about.
fn location(hit: &Hit) -> String {
    let mut parts = vec![format!("{}:{}", hit.path, hit.line)];
    if !hit.companies.is_empty() {
        parts.push(hit.companies.join(", "));
    }
    parts.extend(hit.date.clone());
    parts.extend(hit.source.clone());
    parts.join("  ·  ")
}

fn neighbours(out: &mut impl Write, passages: &[Neighbour], look: Look) -> io::Result<()> {
    for passage in passages {
        writeln!(
            out,
            "{}",
            look.paint(DIM, &look.wrap(&passage.text, INDENT))
        )?;
    }
    Ok(())
}

/// The whole passage with the snippet's matches emphasised (the snippet is the passage, or
/// the best part of a passage longer than a snippet, marked with `…`).
fn highlighted(hit: &Hit, look: Look) -> String {
    let snippet = &hit.snippet;
    let fragment_end = snippet.start + snippet.fragment.len();
    let (text, offset) = match hit.text.get(snippet.start..fragment_end) {
        Some(piece) if piece == snippet.fragment => (hit.text.as_str(), snippet.start),
        _ => (snippet.fragment.as_str(), 0),
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut from = 0;
    for range in &snippet.highlights {
        let (start, end) = (range.start + offset, range.end + offset);
        let (Some(before), Some(matched)) = (text.get(from..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(before);
        out.push_str(&look.paint(MATCH, matched));
        from = end;
    }
    out.push_str(text.get(from..).unwrap_or(""));
    if text.len() < hit.text.len() {
        out.push('…');
    }
    out
}

/// A facet tree, two spaces per level, with a label computed per node.
pub(crate) fn facet_tree(
    out: &mut impl Write,
    nodes: &[FacetNode],
    depth: usize,
    label: &dyn Fn(&FacetNode) -> String,
) -> io::Result<()> {
    walk(out, nodes, depth, &|node: &FacetNode, depth| {
        format!("{}{}  {}", "  ".repeat(depth), node.name, label(node))
    })
}

/// A company with its subsidiaries, as the trees graf prints hold them.
trait TreeNode: Sized {
    fn children(&self) -> &[Self];
}

impl TreeNode for FacetNode {
    fn children(&self) -> &[Self] {
        &self.children
    }
}

impl TreeNode for CompanyCount {
    fn children(&self) -> &[Self] {
        &self.children
    }
}

/// Writes `nodes` depth first, parents before their children, one `line` each (given its
/// depth, for the indent): the one walk of every tree graf prints.
fn walk<N: TreeNode>(
    out: &mut impl Write,
    nodes: &[N],
    depth: usize,
    line: &dyn Fn(&N, usize) -> String,
) -> io::Result<()> {
    for node in nodes {
        writeln!(out, "{}", line(node, depth))?;
        walk(out, node.children(), depth + 1, line)?;
    }
    Ok(())
}

/// Search results as JSON Lines: one `hit` object per line, then one `summary` object.
pub fn json_results(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    for hit in &results.hits {
        json_line(out, &Message::Hit(hit.into()))?;
    }
    json_line(out, &Message::Summary(results.into()))
}

/// Writes one message per item, each as a line of JSON.
pub fn json_lines<'a, T>(
    out: &mut impl Write,
    items: &'a [T],
    message: impl Fn(&'a T) -> Message<'a>,
) -> io::Result<()> {
    items
        .iter()
        .try_for_each(|item| json_line(out, &message(item)))
}

/// Writes one message as a line of JSON, its `type` first.
pub fn json_line(out: &mut impl Write, message: &Message) -> io::Result<()> {
    serde_json::to_writer(&mut *out, message)?;
    writeln!(out)
}

/// Search results as TSV with a header row: rank, score, path, line, title, section,
/// companies, text. Tabs and line breaks inside values become spaces.
pub fn tsv_results(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    writeln!(
        out,
        "rank\tscore\tpath\tline\ttitle\tsection\tcompanies\ttext"
    )?;
    for hit in &results.hits {
        let cells = [
            hit.rank.to_string(),
            format!("{:.4}", hit.score),
            hit.path.clone(),
            hit.line.to_string(),
            hit.title.clone().unwrap_or_default(),
            hit.section.clone().unwrap_or_default(),
            hit.companies.join(","),
            hit.text.clone(),
        ];
        let cells: Vec<String> = cells.iter().map(|cell| tsv_cell(cell)).collect();
        writeln!(out, "{}", cells.join("\t"))?;
    }
    Ok(())
}

fn tsv_cell(value: &str) -> String {
    value.replace(['\t', '\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Snippet;
    use std::time::Duration;

    fn hit() -> Hit {
        Hit {
            rank: 1,
            score: 3.5,
            article_id: "tech/a.txt".into(),
            title: Some("Chips ahoy".into()),
            section: Some("Strategy".into()),
            path: "corpus/tech/a.txt".into(),
            line: 14,
            paragraph: 3,
            date: Some("2025-01-02".into()),
            source: None,
            companies: vec!["Amazon/AWS".into()],
            context: None,
            text: "AWS sells chips".into(),
            snippet: Snippet {
                fragment: "AWS sells chips".into(),
                start: 0,
                highlights: vec![std::ops::Range { start: 10, end: 15 }],
            },
            before: vec![],
            after: vec![],
            explanation: None,
        }
    }

    fn results() -> SearchResults {
        SearchResults {
            hits: vec![hit()],
            total: 7,
            facets: None,
            notes: vec![],
            elapsed: Duration::from_millis(2),
        }
    }

    fn render(f: impl Fn(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn human_output_shows_location_companies_and_highlight() {
        let plain = render(|out| human_results(out, &results(), Look::default()));
        assert!(
            plain.contains("corpus/tech/a.txt:14  ·  Amazon/AWS  ·  2025-01-02"),
            "{plain}"
        );
        assert!(plain.contains("Chips ahoy › Strategy"));
        assert!(plain.contains("1 of 7 matching passages"));
        assert!(
            !plain.contains('\u{1b}'),
            "plain output has no escape codes"
        );
        let coloured = render(|out| {
            human_results(
                out,
                &results(),
                Look {
                    color: true,
                    width: None,
                },
            )
        });
        assert!(
            coloured.contains(&format!("{MATCH}chips{MATCH:#}")),
            "{coloured}"
        );
    }

    #[test]
    fn wrapping_keeps_the_indent() {
        let look = Look {
            color: false,
            width: Some(30),
        };
        let wrapped = look.wrap("one two three four five six seven eight nine ten", INDENT);
        assert!(wrapped.lines().count() > 1);
        assert!(wrapped.lines().all(|line| line.starts_with(INDENT)));
    }

    #[test]
    fn json_lines_parse_back() {
        let text = render(|out| json_results(out, &results()));
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["type"], "hit");
        assert_eq!(lines[0]["line"], 14);
        assert_eq!(
            lines[0]["snippet"]["highlights"][0],
            serde_json::json!([10, 15])
        );
        assert_eq!(lines[1]["type"], "summary");
        assert_eq!(lines[1]["total"], 7);
    }

    #[test]
    fn tsv_has_a_header_and_no_stray_tabs() {
        let text = render(|out| tsv_results(out, &results()));
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].split('\t').count(), 8);
    }
}
