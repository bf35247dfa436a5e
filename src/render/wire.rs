//! The JSON wire format of `graf search --json`, `graf companies --json` and
//! `graf stats --json`: dedicated structs, so that renaming a field inside graf never changes
//! what scripts read. Every line carries a `type`.

use serde::Serialize;

use crate::model::{FacetNode, Hit, Neighbour};
use crate::search::SearchResults;

/// One search hit.
#[derive(Serialize)]
pub struct HitLine<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub rank: usize,
    pub score: f32,
    pub article_id: &'a str,
    pub title: Option<&'a str>,
    pub section: Option<&'a str>,
    pub path: &'a str,
    pub line: u32,
    pub paragraph: u32,
    pub date: Option<&'a str>,
    pub source: Option<&'a str>,
    pub companies: &'a [String],
    pub context: Option<&'a str>,
    pub text: &'a str,
    pub snippet: SnippetWire<'a>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub before: &'a [Neighbour],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub after: &'a [Neighbour],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
}

/// The highlighted fragment; `highlights` are `[start, end)` byte offsets into `text`, which
/// starts at byte `start` of the passage text.
#[derive(Serialize)]
pub struct SnippetWire<'a> {
    pub text: &'a str,
    pub start: usize,
    pub highlights: Vec<[usize; 2]>,
}

impl<'a> From<&'a Hit> for HitLine<'a> {
    fn from(hit: &'a Hit) -> Self {
        HitLine {
            kind: "hit",
            rank: hit.rank,
            score: hit.score,
            article_id: &hit.article_id,
            title: hit.title.as_deref(),
            section: hit.section.as_deref(),
            path: &hit.path,
            line: hit.line,
            paragraph: hit.paragraph,
            date: hit.date.as_deref(),
            source: hit.source.as_deref(),
            companies: &hit.companies,
            context: hit.context.as_deref(),
            text: &hit.text,
            snippet: SnippetWire {
                text: &hit.snippet.fragment,
                start: hit.snippet.start,
                highlights: hit
                    .snippet
                    .highlights
                    .iter()
                    .map(|r| [r.start, r.end])
                    .collect(),
            },
            before: &hit.before,
            after: &hit.after,
            explanation: hit
                .explanation
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok()),
        }
    }
}

/// The last line of `--json` search output.
#[derive(Serialize)]
pub struct SummaryLine<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Matching passages in all, before paging.
    pub total: usize,
    pub returned: usize,
    pub elapsed_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<&'a [FacetNode]>,
    pub notes: &'a [String],
}

impl<'a> From<&'a SearchResults> for SummaryLine<'a> {
    fn from(results: &'a SearchResults) -> Self {
        SummaryLine {
            kind: "summary",
            total: results.total,
            returned: results.hits.len(),
            elapsed_ms: (results.elapsed.as_secs_f64() * 1e6).round() / 1000.0,
            facets: results.facets.as_deref(),
            notes: &results.notes,
        }
    }
}
