//! The JSON wire format of every `--json` line graf prints: one tagged enum, [`Message`],
//! writes each line's `type` (`hit`, `summary`, `company`, `stats`, `ingest`, `eval`, ...)
//! before its fields, and dedicated structs keep the shapes stable, so that renaming a field
//! inside graf never changes what scripts read.

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::eval::Report;
use crate::health::Health;
use crate::maintenance::IndexStats;
use crate::model::{CompanyCount, FacetNode, Hit, Neighbour, UnknownCompany};
use crate::pipeline::IngestReport;
use crate::remote::push::PushReport;
use crate::remote::search::RemoteStats;
use crate::search::SearchResults;

/// One line of JSON output; `type` says which.
// Hit is the largest variant and the one made by the thousand: boxing it would only add an
// allocation to each hit.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message<'a> {
    /// `graf search`: one hit per line...
    Hit(HitLine<'a>),
    /// ... then the summary.
    Summary(SummaryLine<'a>),
    /// `graf companies`: one top-level company per line, subsidiaries in `children`.
    Company(&'a CompanyCount),
    /// `graf companies --unknown`: one company no list names per line.
    UnknownCompany(&'a UnknownCompany),
    /// `graf stats`.
    Stats(&'a IndexStats),
    /// `graf stats --remote`.
    RemoteStats(&'a RemoteStats),
    /// `graf ingest`: the run's counts.
    Ingest(&'a IngestReport),
    /// `graf eval`: the mean figures, and each query's with `--per-query`.
    Eval(EvalLine),
    /// `graf check`.
    Check(&'a Health),
    /// `graf push`.
    Push(&'a PushReport),
}

/// One search hit.
#[derive(Serialize)]
pub struct HitLine<'a> {
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
    /// Matching passages in all, before paging.
    pub total: usize,
    pub returned: usize,
    pub elapsed_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<&'a [FacetNode]>,
    pub notes: Vec<String>,
}

impl<'a> From<&'a SearchResults> for SummaryLine<'a> {
    fn from(results: &'a SearchResults) -> Self {
        SummaryLine {
            total: results.total,
            returned: results.hits.len(),
            elapsed_ms: (results.elapsed.as_secs_f64() * 1e6).round() / 1000.0,
            facets: results.facets.as_deref(),
            notes: results.notes.iter().map(super::errors::note).collect(),
        }
    }
}

/// The counts of one ingest run, written from the report itself: `bytes` are the content bytes
/// (decompressed for gzip), `file_bytes` the bytes of the files as stored, `seconds` the time
/// taken; the commit count stays out.
impl Serialize for IngestReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let counts = [
            ("files", self.files),
            ("added", self.added),
            ("updated", self.updated),
            ("unchanged", self.unchanged),
            ("failed", self.failed),
            ("empty", self.empty),
            ("pruned", self.pruned),
            ("duplicates", self.duplicates),
            ("collisions", self.collisions),
            ("passages", self.passages),
            ("bytes", self.text_bytes),
            ("file_bytes", self.bytes),
        ];
        let mut line = serializer.serialize_struct("IngestReport", counts.len() + 2)?;
        for (name, count) in counts {
            line.serialize_field(name, &count)?;
        }
        line.serialize_field("seconds", &self.elapsed.as_secs_f64())?;
        line.serialize_field("interrupted", &self.interrupted)?;
        line.end()
    }
}

/// The figures of one evaluation.
#[derive(Serialize)]
pub struct EvalLine {
    pub queries: usize,
    pub skipped_unjudged: usize,
    pub ndcg_at_10: f64,
    pub map: f64,
    pub recall_at_100: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub per_query: Vec<QueryFigures>,
}

/// One query's figures in an [`EvalLine`].
#[derive(Serialize)]
pub struct QueryFigures {
    pub id: String,
    pub ndcg_at_10: f64,
    pub ap: f64,
    pub recall_at_100: f64,
}

impl EvalLine {
    /// The report's figures, with each query's when `per_query`.
    pub fn new(report: &Report, per_query: bool) -> Self {
        let queries = report
            .per_query
            .iter()
            .filter(|_| per_query)
            .map(|(id, m)| QueryFigures {
                id: id.clone(),
                ndcg_at_10: m.ndcg_at_10,
                ap: m.map,
                recall_at_100: m.recall_at_100,
            })
            .collect();
        EvalLine {
            queries: report.queries,
            skipped_unjudged: report.skipped_unjudged,
            ndcg_at_10: report.mean.ndcg_at_10,
            map: report.mean.map,
            recall_at_100: report.mean.recall_at_100,
            per_query: queries,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_says_its_type_first() {
        let stats = IndexStats {
            path: "index".into(),
            articles: 1,
            passages: 2,
            companies: 3,
            bytes_on_disk: 4,
            segments: 1,
            schema_version: 2,
            gazetteer: "f".into(),
        };
        let line = serde_json::to_string(&Message::Stats(&stats)).unwrap();
        assert!(
            line.starts_with(r#"{"type":"stats","path":"index","#),
            "{line}"
        );
        let ingest = Message::Ingest(&IngestReport::default());
        let line = serde_json::to_string(&ingest).unwrap();
        assert!(line.starts_with(r#"{"type":"ingest","files":0,"#), "{line}");
    }

    #[test]
    fn an_ingest_line_names_the_content_bytes_bytes_and_leaves_out_commits() {
        let report = IngestReport {
            files: 1,
            added: 2,
            updated: 3,
            unchanged: 4,
            failed: 5,
            empty: 6,
            pruned: 7,
            duplicates: 8,
            collisions: 9,
            passages: 10,
            bytes: 11,
            text_bytes: 12,
            commits: 13,
            elapsed: std::time::Duration::from_millis(1500),
            interrupted: true,
        };
        assert_eq!(
            serde_json::to_string(&Message::Ingest(&report)).unwrap(),
            r#"{"type":"ingest","files":1,"added":2,"updated":3,"unchanged":4,"failed":5,"empty":6,"pruned":7,"duplicates":8,"collisions":9,"passages":10,"bytes":12,"file_bytes":11,"seconds":1.5,"interrupted":true}"#
        );
    }
}
