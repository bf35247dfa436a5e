//! The composer: the only module that calls the stages in turn. Ingest runs
//! files → [`ingest`](crate::ingest) readers → [`segment`](crate::segment) →
//! [`companies`](crate::companies) tagging → [`indexer`](crate::indexer), and search runs
//! names → company resolution → [`search`](crate::search).
//!
//! - `ingest`: the options, the report and the run itself: discovery, the manifest, the
//!   three-part pipeline of threads, the final commit.
//! - `prepare`: the reader thread and the workers that segment and tag articles.
//! - `sink`: the thread that owns the index writer and keeps the counts.
//! - `resolve`: company and source names as users type them → what the index holds.
//! - `search` and `evaluate`: the query-side entry points.

mod evaluate;
mod ingest;
mod prepare;
mod resolve;
mod search;
mod sink;

pub use evaluate::evaluate;
pub use ingest::{
    ingest, ingest_into, IngestOptions, IngestReport, Progress, Remedy, ScratchIndex, Silent,
};
pub(crate) use resolve::{resolve_companies, resolve_request_companies};
pub use search::search;
pub(crate) use search::search_with;
