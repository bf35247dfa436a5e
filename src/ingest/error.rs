//! What can go wrong while finding and reading article files. Every variant that concerns a
//! file names it (and the line, when there is one), so the pipeline can print each error as
//! one self-contained line: `corpus/x.jsonl:17: invalid JSON: expected `,` or `}` at column 40`.

use std::io;
use std::path::{Path, PathBuf};

/// An ingest failure; `Display` is one readable line that already includes the cause, so
/// print it with `{}` rather than walking the `source()` chain.
#[derive(thiserror::Error, Debug)]
pub enum IngestError {
    #[error("{}: no such file or directory", .path.display())]
    NotFound { path: PathBuf },

    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },

    #[error("{}: symbolic link loop (back to {}), not followed", .path.display(), .ancestor.display())]
    SymlinkLoop { path: PathBuf, ancestor: PathBuf },

    #[error(
        "{}: not a known article file (expected .txt, .text, .md, .markdown, .html, .htm, .jsonl or .ndjson, optionally .gz); name a format to read it anyway",
        .path.display()
    )]
    UnknownExtension { path: PathBuf },

    /// `offset` counts bytes from the start of the file, or of the record for JSON Lines.
    #[error("{}: invalid UTF-8 (byte {offset})", at(.path, *.line))]
    InvalidUtf8 {
        path: PathBuf,
        line: Option<u64>,
        offset: u64,
    },

    #[error("{}: binary file (NUL byte in the first 8 KB), skipped", .path.display())]
    Binary { path: PathBuf },

    #[error("{}: corrupt gzip stream: {message}", .path.display())]
    Gzip { path: PathBuf, message: String },

    #[error("{}: gzip stream ends early (truncated file)", .path.display())]
    Truncated { path: PathBuf },

    #[error("{}: larger than {limit} bytes, skipped", at(.path, *.line))]
    TooLarge {
        path: PathBuf,
        line: Option<u64>,
        limit: u64,
    },

    #[error("{}:{line}: invalid JSON: {message}", .path.display())]
    Json {
        path: PathBuf,
        line: u64,
        message: String,
    },

    /// `field` lists the names looked for, e.g. "`text` or `body`".
    #[error("{}:{line}: no text (no field {field})", .path.display())]
    MissingField {
        path: PathBuf,
        line: u64,
        field: String,
    },

    #[error("{}:{line}: field `{field}` {message}", .path.display())]
    BadField {
        path: PathBuf,
        line: u64,
        field: String,
        message: String,
    },

    /// A page built to exhaust the parser (a tag with thousands of attributes, elements
    /// nested thousands deep); `problem` says which.
    #[error("{}: {problem}, skipped", at(.path, *.line))]
    HostileHtml {
        path: PathBuf,
        line: Option<u64>,
        problem: String,
    },

    #[error("unknown format `{name}`: expected one of {accepted}")]
    UnknownFormat { name: String, accepted: String },

    #[error("bad field mapping `{spec}`: {message}")]
    FieldSpec { spec: String, message: String },
}

impl IngestError {
    /// The option errors (`UnknownFormat`, `FieldSpec`) are the user's to fix; the rest are
    /// about the files read.
    pub fn kind(&self) -> crate::error::ErrorKind {
        match self {
            IngestError::UnknownFormat { .. } | IngestError::FieldSpec { .. } => {
                crate::error::ErrorKind::Usage
            }
            _ => crate::error::ErrorKind::Failure,
        }
    }

    /// The file the error is about; empty for the option errors (`UnknownFormat`,
    /// `FieldSpec`), which concern no file.
    pub fn path(&self) -> &Path {
        match self {
            IngestError::NotFound { path }
            | IngestError::Io { path, .. }
            | IngestError::SymlinkLoop { path, .. }
            | IngestError::UnknownExtension { path }
            | IngestError::InvalidUtf8 { path, .. }
            | IngestError::Binary { path }
            | IngestError::Gzip { path, .. }
            | IngestError::Truncated { path }
            | IngestError::TooLarge { path, .. }
            | IngestError::Json { path, .. }
            | IngestError::MissingField { path, .. }
            | IngestError::BadField { path, .. }
            | IngestError::HostileHtml { path, .. } => path,
            IngestError::UnknownFormat { .. } | IngestError::FieldSpec { .. } => Path::new(""),
        }
    }
}

/// `path` or `path:line`, the way compilers and grep name a place.
fn at(path: &Path, line: Option<u64>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}
