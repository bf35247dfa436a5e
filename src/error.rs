//! The library's typed errors and its `Result` alias. Each variant says what failed and where,
//! in one line a user can act on; the binary adds no further text beyond the error chain.

use std::path::PathBuf;

/// Everything the graf library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no graf index at {path}: create one with `graf ingest [PATH...] --index {path}`")]
    IndexMissing { path: PathBuf },

    #[error("{path} is not a graf index (it holds no tantivy index): {reason}")]
    NotAnIndex { path: PathBuf, reason: String },

    #[error(
        "the index at {path} is locked by another `graf ingest` (or merge); wait for it to finish"
    )]
    IndexLocked { path: PathBuf },

    #[error("the index at {path} was built with schema version {found}; this graf writes version {expected}: run `graf ingest --rebuild`")]
    SchemaVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },

    #[error("bad query: {message}{}", hint.as_deref().map(|h| format!(" (hint: {h})")).unwrap_or_default())]
    Query {
        message: String,
        hint: Option<String>,
    },

    #[error(
        "no company called {name:?} in this index{}",
        suggestions_text(suggestions)
    )]
    UnknownCompany {
        name: String,
        suggestions: Vec<String>,
    },

    #[error(
        "the index at {path} is damaged ({detail}): `graf check --index {path}` names the damaged files; rebuild it from the sources with `graf ingest --rebuild PATH... --index {path}`"
    )]
    Damaged { path: PathBuf, detail: String },

    #[error(
        "no space left on device for the index at {path}: free some space and run the ingest again (it resumes after the last commit; the files of the failed part were removed)"
    )]
    DiskFull { path: PathBuf },

    #[error("cannot merge: {0}")]
    Merge(String),

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(transparent)]
    Ingest(#[from] crate::ingest::IngestError),

    #[error(transparent)]
    Gazetteer(#[from] crate::companies::GazetteerError),

    #[error(transparent)]
    Eval(#[from] crate::eval::EvalError),

    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

fn suggestions_text(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        "; `graf companies` lists the companies it knows".to_string()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn query(message: impl Into<String>, hint: Option<&str>) -> Self {
        Error::Query {
            message: message.into(),
            hint: hint.map(str::to_string),
        }
    }
}
