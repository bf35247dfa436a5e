//! graf: paragraph-level search over corpora of news-style articles.
//!
//! # The architecture, stage by stage
//!
//! Ingest turns files into an index of passages:
//!
//! 1. [`ingest`] finds and reads files (text, Markdown, HTML, JSON Lines, gzip) into
//!    [`model::SourceDoc`]s; it is the only stage that touches files.
//! 2. [`segment`] cuts a document into passages (paragraphs, list items, headings' sections);
//!    pure, no I/O.
//! 3. [`companies`] tags each passage with the company paths it names (`Amazon/AWS`), from a
//!    gazetteer and rules, with state per article.
//! 4. [`indexer`] writes one tantivy document per passage; [`schema`] owns the field names and
//!    the shape of company facets.
//!
//! [`pipeline`] is the only module that composes the stages: a reader thread, workers that
//! segment and tag, and the thread that owns the index writer. It is also where the query side
//! starts: company and source names as users type them are resolved against the index, then
//! [`search`] parses the query, filters, ranks (BM25 with article evidence) and counts facets.
//! [`render`] prints everything, for people (text, TSV) and for scripts (JSON Lines, each line
//! tagged with its `type`), and adds the hints to [`Error`]s. Beside them: [`eval`] scores
//! rankings against judgments, [`serve`] answers HTTP, [`remote`] pushes to and searches
//! OpenSearch, [`maintenance`] merges indexes and counts what they hold, [`health`] checks
//! their files. The `graf` binary (`src/main.rs`, `src/cli/`) is a thin adapter over this
//! library: tests and benchmarks call the same functions it does.
//!
//! # Example
//!
//! Ingest a folder, search it with a company filter, print the hits as JSON Lines:
//!
//! ```
//! use std::sync::atomic::AtomicBool;
//!
//! use graf::companies::{Gazetteer, Tagger};
//! use graf::indexer::GrafIndex;
//! use graf::pipeline::{self, IngestOptions, Silent};
//! use graf::search::SearchRequest;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let corpus = tempfile::tempdir()?;
//! std::fs::write(
//!     corpus.path().join("chips.txt"),
//!     "Chips\n\nAmazon Web Services said demand for its Trainium chips doubled.\n",
//! )?;
//! let graf = GrafIndex::create_in_ram();
//! let tagger = Tagger::new(Gazetteer::builtin());
//! let options = IngestOptions {
//!     roots: vec![corpus.path().to_path_buf()],
//!     ..IngestOptions::default()
//! };
//! let report = pipeline::ingest(&graf, &tagger, &options, &Silent, &AtomicBool::new(false))?;
//! assert_eq!((report.added, report.passages), (1, 1));
//!
//! let request = SearchRequest {
//!     query: "trainium".to_string(),
//!     ..SearchRequest::default()
//! };
//! // "amazon" is resolved to the company path Amazon, which includes its subsidiary AWS.
//! let results = pipeline::search(&graf, tagger.gazetteer(), &["amazon".to_string()], request)?;
//! assert_eq!(results.hits[0].companies, ["Amazon/AWS"]);
//!
//! let mut out = Vec::new();
//! graf::render::json_results(&mut out, &results)?;
//! assert!(String::from_utf8(out)?.starts_with(r#"{"type":"hit","rank":1,"#));
//! # Ok(())
//! # }
//! ```

pub mod aside;
pub mod companies;
pub mod dates;
pub(crate) mod directory;
pub mod error;
pub mod eval;
pub mod health;
pub mod indexer;
pub mod ingest;
pub mod maintenance;
pub(crate) mod manifest;
pub mod model;
pub(crate) mod paced;
pub mod pipeline;
pub mod remote;
pub mod render;
pub mod schema;
pub mod search;
pub mod segment;
pub mod serve;
mod suggest;
#[cfg(test)]
mod testing;

pub use error::{Error, ErrorKind, Result};
