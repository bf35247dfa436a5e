//! The library's typed errors and its `Result` alias. Each variant says what failed and where,
//! in one line, and names no command: the front ends add the command to run next
//! ([`crate::render::errors`]), and choose an exit code or HTTP status by [`Error::kind`].

use std::path::PathBuf;

/// Everything the graf library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no graf index at {path}")]
    IndexMissing { path: PathBuf },

    #[error("{path} is not a graf index (it holds no tantivy index): {reason}")]
    NotAnIndex { path: PathBuf, reason: String },

    /// A rebuild would replace a directory that holds files but no index.
    #[error("{path} is not a graf index (it holds no tantivy index): it holds files but no index")]
    NotAnIndexToReplace { path: PathBuf },

    #[error("the index at {path} is locked")]
    IndexLocked { path: PathBuf },

    #[error("the index at {path} was built with schema version {found}; this graf writes version {expected}")]
    SchemaVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },

    #[error("the index at {path} was built by a newer graf (schema version {found}; this graf reads version {expected}): use that graf, or a newer one")]
    NewerSchema {
        path: PathBuf,
        found: u32,
        expected: u32,
    },

    #[error("the index at {path} is damaged: {problem}")]
    Sidecar { path: PathBuf, problem: String },

    #[error(
        "the index at {path} is read-only: searching it works, adding to it needs write access"
    )]
    ReadOnly { path: PathBuf },

    #[error("cannot read the index at {path}: its file {file} is not readable by this user (permission denied)")]
    Unreadable { path: PathBuf, file: String },

    /// A query graf cannot search; a [`QueryHint::Text`] is part of the message, the other
    /// hints are worded by the front end.
    #[error("bad query: {message}{}", hint.as_ref().and_then(QueryHint::text).map(|h| format!(" (hint: {h})")).unwrap_or_default())]
    Query {
        message: String,
        hint: Option<QueryHint>,
    },

    /// Query expansion was asked of an index whose term statistics graf cannot read (a
    /// remote one).
    #[error("bad query: query expansion reads term statistics of a local index")]
    ExpansionNeedsLocalIndex,

    #[error(
        "no company called {name:?} in this index{}",
        suggestions_text(suggestions)
    )]
    UnknownCompany {
        name: String,
        suggestions: Vec<String>,
    },

    #[error(
        "company name {name:?} is ambiguous: it may mean {}; name one of them",
        candidates.join(", ")
    )]
    AmbiguousCompany {
        name: String,
        candidates: Vec<String>,
    },

    #[error("the index at {} is damaged ({detail})", path.display())]
    Damaged { path: PathBuf, detail: String },

    #[error(
        "no space left on device for the index at {}: free some space and run the ingest again (it resumes after the last commit; the files of the failed part were removed)",
        path.display()
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

    #[error(transparent)]
    Remote(#[from] crate::remote::RemoteError),

    #[error("index error: {}", short_tantivy_message(.0))]
    Tantivy(#[from] tantivy::TantivyError),
}

/// The text between `marker` and the next `"` in `text`.
fn quoted_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let start = text.find(marker)? + marker.len();
    let end = text[start..].find('"')? + start;
    Some(&text[start..end])
}

/// tantivy's message for an error, cut to one readable line: some of its errors (a damaged
/// or truncated file) carry kilobytes of debug output of internal structures.
pub(crate) fn short_tantivy_message(err: &tantivy::TantivyError) -> String {
    const LONGEST: usize = 200;
    let text = err.to_string();
    // A damaged file: tantivy nests its io error's debug form; name the file and the problem.
    if let (Some(file), Some(problem)) = (
        quoted_after(&text, "filepath: \""),
        quoted_after(&text, "error: \""),
    ) {
        return format!("{file}: {problem}");
    }
    let line = text.lines().next().unwrap_or_default();
    // The debug dumps start at the first brace or parenthesis of a struct's fields.
    let cut = line
        .find(" {")
        .or_else(|| line.find("(Some(").or_else(|| line.find("(\"")))
        .unwrap_or(line.len());
    let mut short = line[..cut].trim_end_matches([':', ' ']).to_string();
    if short.len() > LONGEST {
        let mut end = LONGEST;
        while !short.is_char_boundary(end) {
            end -= 1;
        }
        short.truncate(end);
        short.push('…');
    }
    short
}

fn suggestions_text(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

/// What to change about a query graf rejected or read otherwise than written: advice in the
/// library's words, or a case the front end words, naming its options
/// ([`crate::render::errors::query_hint`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryHint {
    /// Advice that names nothing of a front end ("every ( needs a )").
    Text(String),
    /// The query is empty and nothing filters: give words, or a filter.
    WordsOrFilter,
    /// The query holds no word: type one, or filter.
    AtLeastOneWord,
    /// The query only excludes terms: add one to search for, or filter.
    AddATerm,
    /// The parser rejected the query for a reason of its own: where the query language is
    /// described.
    QueryLanguage,
}

impl QueryHint {
    /// The advice, when the library words it.
    pub fn text(&self) -> Option<&str> {
        match self {
            QueryHint::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// What kind of failure an error is: how a front end reports it (the CLI's exit code, the
/// server's status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// What was asked is wrong (a query, a company name, a company list, a field spec or a
    /// format): the user must change it.
    Usage,
    /// graf could not do the job (a missing, locked or damaged index, a full disk, I/O).
    Failure,
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

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Query { .. }
            | Error::ExpansionNeedsLocalIndex
            | Error::UnknownCompany { .. }
            | Error::AmbiguousCompany { .. }
            | Error::Gazetteer(_) => ErrorKind::Usage,
            Error::Ingest(err) => err.kind(),
            _ => ErrorKind::Failure,
        }
    }

    pub(crate) fn query(message: impl Into<String>, hint: Option<QueryHint>) -> Self {
        Error::Query {
            message: message.into(),
            hint,
        }
    }
}
