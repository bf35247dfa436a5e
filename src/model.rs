//! Plain data handed from stage to stage: what a reader produced ([`SourceDoc`]), what the
//! segmenter cut it into ([`Passage`]), and the company facets the tagger found
//! ([`CompanyPath`]). No I/O and no tantivy types live here, so every stage can depend on this
//! module without depending on another stage.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// How an article's body is written; decides which structural rules the segmenter applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextFormat {
    /// Plain text, optionally opening with a `Key: value` header block.
    Plain,
    /// Markdown, optionally opening with YAML front matter between `---` lines.
    Markdown,
}

/// What is known about an article apart from its body: from a reader (JSON fields, HTML
/// `<title>`) or from the article's own front matter. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Stable article id chosen by the author (front-matter `id`, JSON `id`).
    pub id: Option<String>,
    pub title: Option<String>,
    /// The date as written (`2024-03-01`, RFC 3339, ...); the indexer parses it.
    pub date: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// Companies the article declares itself about (front-matter `companies`).
    pub companies: Vec<String>,
    /// Every other key, lower-cased, with its value as written.
    pub extra: BTreeMap<String, String>,
}

impl Metadata {
    /// Fills every field that `self` lacks from `other`; `self` wins where both have a value.
    pub fn fill_from(&mut self, other: Metadata) {
        fn keep<T>(slot: &mut Option<T>, value: Option<T>) {
            if slot.is_none() {
                *slot = value;
            }
        }
        keep(&mut self.id, other.id);
        keep(&mut self.title, other.title);
        keep(&mut self.date, other.date);
        keep(&mut self.source, other.source);
        keep(&mut self.author, other.author);
        keep(&mut self.url, other.url);
        if self.companies.is_empty() {
            self.companies = other.companies;
        }
        for (key, value) in other.extra {
            self.extra.entry(key).or_insert(value);
        }
    }
}

/// One article as a reader produced it, before segmentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceDoc {
    /// The file the article came from.
    pub path: PathBuf,
    /// The fallback article id: the path relative to the ingest root, plus `#<line>` for a
    /// JSON Lines record without an `id` field. `meta.id` wins over it when present.
    pub key: String,
    /// For articles that are one record of a larger file (JSON Lines), the 1-based line of the
    /// record: every passage reports this line, since lines inside a JSON string mean nothing
    /// in an editor. `None` when passage lines are lines of `text` itself.
    pub record_line: Option<u32>,
    pub format: TextFormat,
    /// The body, exactly as decoded; for `.txt`/`.md` this is the whole file, front matter
    /// included, so that passage byte spans point into the file.
    pub text: String,
    /// What the reader knew (JSON fields, HTML title); front matter is parsed later.
    pub meta: Metadata,
}

/// What a passage was in the article's structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PassageKind {
    Paragraph,
    ListItem,
}

/// One retrievable unit of an article: a paragraph, a list item, or a piece of a paragraph too
/// long to return whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// 0-based position among the article's passages.
    pub ordinal: u32,
    /// Heading path in force, outermost first; empty before the first heading.
    pub section: Vec<String>,
    /// The lead-in line (ending in a colon) of the list this item belongs to.
    pub context: Option<String>,
    /// Normalised text: lines joined, whitespace collapsed, invisible characters removed.
    pub text: String,
    /// 1-based line of `SourceDoc::text` where the passage starts.
    pub line: u32,
    /// Byte range of `SourceDoc::text` the passage was cut from.
    pub span: Range<usize>,
    pub kind: PassageKind,
}

/// A company as a facet path below `/company`: `["Amazon", "AWS"]` is `/company/Amazon/AWS`,
/// a subsidiary under its parent, so that filtering on the parent includes it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CompanyPath(pub Vec<String>);

impl CompanyPath {
    pub fn new<I, S>(segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CompanyPath(segments.into_iter().map(Into::into).collect())
    }

    /// The company's own name: the last segment.
    pub fn name(&self) -> &str {
        self.0.last().map(String::as_str).unwrap_or("")
    }
}

impl fmt::Display for CompanyPath {
    /// `Amazon/AWS`: the path without the `/company` root, as users type it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

/// A passage with the companies it mentions: what the pipeline hands the indexer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaggedPassage {
    pub passage: Passage,
    pub companies: Vec<CompanyPath>,
}

/// An article ready to index: resolved id and metadata, content hash, tagged passages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// The upsert key: `meta.id`, else the reader's key (path relative to the ingest root).
    pub id: String,
    /// The file the article came from, as shown to users (`path:line`).
    pub path: String,
    pub title: Option<String>,
    pub source: Option<String>,
    /// The date as written; the indexer parses it.
    pub date: Option<String>,
    /// Hash of the text and metadata as read: an unchanged hash means nothing to re-index.
    pub hash: u64,
    pub passages: Vec<TaggedPassage>,
}

/// A highlighted piece of a passage: `highlights` are byte ranges of `fragment`, which
/// starts at byte `start` of the passage text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    pub fragment: String,
    pub start: usize,
    pub highlights: Vec<Range<usize>>,
}

/// A neighbouring passage of the same article, shown around a hit (`--context N`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighbour {
    pub paragraph: u32,
    pub line: u32,
    pub text: String,
}

/// One search result: a passage with where it came from and why it matched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// 1-based position in the whole result list (paging included).
    pub rank: usize,
    /// BM25 score; 0 when results are sorted by date.
    pub score: f32,
    pub article_id: String,
    pub title: Option<String>,
    /// Heading path joined with " › ".
    pub section: Option<String>,
    pub path: String,
    pub line: u32,
    /// 0-based ordinal of the passage in its article.
    pub paragraph: u32,
    pub date: Option<String>,
    pub source: Option<String>,
    /// Company facet paths without the root: `Amazon/AWS`.
    pub companies: Vec<String>,
    pub context: Option<String>,
    pub text: String,
    /// The passage with the query terms highlighted.
    pub snippet: Snippet,
    /// Neighbouring passages before and after (`--context`), in article order.
    pub before: Vec<Neighbour>,
    pub after: Vec<Neighbour>,
    /// The score breakdown (`--explain`), as tantivy's pretty JSON.
    pub explanation: Option<String>,
}

/// Passage counts for one company facet and its subsidiaries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetNode {
    /// Facet path without the root: `Amazon/AWS`.
    pub path: String,
    pub name: String,
    /// Matching passages tagged with this company or one of its subsidiaries.
    pub count: u64,
    pub children: Vec<FacetNode>,
}

/// A company of the index with what mentions it (`graf companies`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyCount {
    /// Facet path without the root: `Amazon/AWS`.
    pub path: String,
    pub name: String,
    /// Passages tagged with this company or one of its subsidiaries.
    pub passages: u64,
    /// Articles with at least one such passage.
    pub articles: u64,
    pub children: Vec<CompanyCount>,
}

/// A company graf recognised from the text alone, named in no company list
/// (`graf companies --unknown`): what mentions it and one passage that does, so that a user
/// can judge it and add it to their companies file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownCompany {
    pub name: String,
    /// Passages tagged with it.
    pub passages: u64,
    /// Articles with at least one such passage.
    pub articles: u64,
    /// One passage that names it (the newest; with no dates, the first indexed).
    pub example: CompanyExample,
}

/// Where a company is named: the passage's article, file and line, and the words around the
/// name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyExample {
    pub article_id: String,
    pub path: String,
    pub line: u32,
    /// The passage around the first mention of the name (the start of the passage when the
    /// name is not written out, as with initials), cut at word boundaries, `…` where cut.
    pub excerpt: String,
}
