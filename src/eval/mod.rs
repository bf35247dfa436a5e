//! Retrieval evaluation for `graf eval`: reads a query set (JSON Lines) and TREC relevance
//! judgments, and turns the ranked document ids the search engine returned for each query into
//! nDCG@10, MAP and Recall@100. This module owns the file formats and the metric definitions;
//! it never runs a query. The composer reads [`Query`]s with [`read_queries`], runs each one,
//! and hands `(query id, ranked doc ids)` pairs plus the [`Qrels`] from [`read_qrels`] to
//! [`evaluate`], which returns a [`Report`] for the renderer.
//!
//! # Definitions (as in `trec_eval`)
//!
//! For one query, let the *ranked list* be the returned doc ids with later duplicates dropped
//! (a doc counts once, at its first rank), and call a doc *relevant* when its gain is > 0.
//!
//! * **nDCG@10**: DCG@10 = Σ over ranks r ≤ 10 of gain(doc at r) / log2(r + 1), linear gain.
//!   The ideal DCG@10 sorts *all* judged gains of the query (retrieved or not) in descending
//!   order and applies the same formula; nDCG@10 = DCG@10 / ideal DCG@10.
//! * **AP**: the sum, over relevant docs, of the precision at that doc's rank (relevant docs
//!   never retrieved contribute 0), divided by the number of relevant docs. The whole ranked
//!   list counts, not only the top 100. **MAP** is the mean AP over evaluated queries.
//! * **Recall@100**: relevant docs in the first 100 ranks / relevant docs judged.
//!
//! Queries with no relevant judgment are skipped and counted, because every metric would divide
//! by zero (`trec_eval` does the same). Judged queries missing from the run are not evaluated:
//! like `trec_eval` without `-c`, the means cover the queries that were run.
//!
//! # Gains
//!
//! Collections code relevance in two directions, so [`GainRule`] says how to read a code:
//! [`GainRule::Direct`] takes it as the gain (TREC, MED, CISI), [`GainRule::Inverted`] turns
//! code 1 into the highest gain (Cranfield: 1 = complete answer … 4 = minimum interest).

mod metrics;
mod queries;
mod trec;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

pub use metrics::{evaluate, score_query, Metrics, Report};
pub use queries::{read_queries, Query};
pub use trec::{read_qrels, GainRule, Qrels};

/// Why a query file or a judgment file could not be read; every variant names the file, and
/// every content error names the line (1-based) so the user can open it there.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be opened.
    #[error("cannot open {}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file was opened but a line could not be read (I/O error, invalid UTF-8).
    #[error("{}:{line}: cannot read line", path.display())]
    ReadLine {
        path: PathBuf,
        line: usize,
        source: std::io::Error,
    },
    /// A query line is not a JSON object with an `id` (string or number) and a `text`.
    #[error("{}:{line}: expected a JSON object {{\"id\": ..., \"text\": ...}}", path.display())]
    QueryJson {
        path: PathBuf,
        line: usize,
        source: serde_json::Error,
    },
    /// A line is well-formed but its content is unusable (bad field, duplicate).
    #[error("{}:{line}: {reason}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        reason: String,
    },
}

/// Opens `path` for line-by-line reading; a failure is [`EvalError::Open`].
fn open(path: &Path) -> Result<BufReader<File>, EvalError> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|source| EvalError::Open {
            path: path.to_path_buf(),
            source,
        })
}

/// The non-blank lines of `reader` with their 1-based numbers; a line that cannot be read is
/// [`EvalError::ReadLine`] naming `path` and the line.
fn numbered_lines<'a>(
    reader: impl BufRead + 'a,
    path: &'a Path,
) -> impl Iterator<Item = Result<(usize, String), EvalError>> + 'a {
    reader
        .lines()
        .enumerate()
        .map(move |(index, line)| {
            let line_no = index + 1;
            line.map(|text| (line_no, text))
                .map_err(|source| EvalError::ReadLine {
                    path: path.to_path_buf(),
                    line: line_no,
                    source,
                })
        })
        .filter(|line| !matches!(line, Ok((_, text)) if text.trim().is_empty()))
}
