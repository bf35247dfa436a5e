//! The health of an index on disk: damaged segment files (found by the checksum tantivy
//! writes at the end of every file), orphan files (segment files no commit refers to, left by
//! a killed process or a full disk), and [`guard`], which turns tantivy tripping over a damaged
//! file (a panic deep in a reader, or a corruption error) into one [`Error::Damaged`] line
//! that names the index and what to do, instead of a backtrace.

use std::collections::HashSet;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::Index;

use crate::error::{Error, Result};

/// What a check of an index found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Health {
    pub segments: usize,
    /// Files whose checksum does not match their contents, with the segment each belongs to.
    pub damaged: Vec<DamagedFile>,
    /// Segment files no commit refers to (safe to delete; the next ingest removes them).
    pub orphans: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DamagedFile {
    pub file: String,
    pub segment: String,
}

impl Health {
    pub fn is_damaged(&self) -> bool {
        !self.damaged.is_empty()
    }
}

/// Checks every file of the index in `dir` against its checksum and lists orphan files.
pub fn check(dir: &Path, index: &Index) -> Result<Health> {
    let segments = index.searchable_segment_metas()?;
    // A file tantivy cannot even open (truncated below its footer) fails the whole check
    // rather than being listed: the error names it.
    let damaged_files = catch_unwind(AssertUnwindSafe(|| index.validate_checksum()))
        .map_err(|panic| damaged(dir, &panic_message(&*panic)))?
        .map_err(|err| {
            if is_corruption(&err) {
                damaged_by(dir, &err)
            } else {
                Error::Tantivy(err)
            }
        })?;
    let mut damaged: Vec<DamagedFile> = damaged_files
        .iter()
        .map(|file| {
            let name = file.display().to_string();
            DamagedFile {
                segment: segment_of(&name).unwrap_or_default().to_string(),
                file: name,
            }
        })
        .collect();
    damaged.sort_by(|a, b| a.file.cmp(&b.file));
    let live: HashSet<String> = segments
        .iter()
        .map(|meta| meta.id().uuid_string())
        .collect();
    Ok(Health {
        segments: segments.len(),
        damaged,
        orphans: orphans(dir, &live),
    })
}

/// Names of segment files in `dir` (`<32 hex digits>.<ext>`) of no segment in `live`.
fn orphans(dir: &Path, live: &HashSet<String>) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
        .filter(|name| segment_of(name).is_some_and(|segment| !live.contains(segment)))
        .collect();
    found.sort();
    found
}

/// The segment id a tantivy segment file name starts with.
fn segment_of(name: &str) -> Option<&str> {
    let (stem, _) = name.split_once('.')?;
    (stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())).then_some(stem)
}

/// Deletes the orphan segment files of the index in `dir`. Call it only while holding the
/// index's writer lock, with no writer of this process running: the files a running writer
/// is writing are not referred to by any commit yet either.
pub(crate) fn remove_orphans(dir: &Path, index: &Index) -> Result<Vec<PathBuf>> {
    let live: HashSet<String> = index
        .searchable_segment_metas()?
        .iter()
        .map(|meta| meta.id().uuid_string())
        .collect();
    let mut removed = Vec::new();
    for name in orphans(dir, &live) {
        let path = dir.join(&name);
        if fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    Ok(removed)
}

/// Runs `read` (a search, statistics, a merge) over the index in `dir`; a panic inside it, or
/// a tantivy error that says the data is corrupt, becomes [`Error::Damaged`] naming `dir`.
pub fn guard<T>(dir: &Path, read: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(read)) {
        Ok(Err(Error::Tantivy(err))) if is_corruption(&err) => Err(damaged_by(dir, &err)),
        Ok(result) => result,
        Err(panic) => Err(damaged(dir, &panic_message(&*panic))),
    }
}

/// Whether tantivy's `err` says that a file of the index is not what tantivy wrote (a bad
/// footer, checksum or structure), rather than that it could not be read at all.
pub(crate) fn is_corruption(err: &tantivy::TantivyError) -> bool {
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError as E;
    let invalid = |io: &std::io::Error| io.kind() == std::io::ErrorKind::InvalidData;
    matches!(
        err,
        E::DataCorruption(_) | E::IncompatibleIndex(_) | E::InternalError(_)
    ) || matches!(err, E::IoError(io) if invalid(io))
        || matches!(err, E::OpenReadError(OpenReadError::IoError { io_error, .. }) if invalid(io_error))
}

/// The [`Error::Damaged`] for tantivy's corruption error `err` in the index at `dir`: the
/// file and the first sentence of the problem.
pub(crate) fn damaged_by(dir: &Path, err: &tantivy::TantivyError) -> Error {
    let short = crate::error::short_tantivy_message(err);
    let first_sentence = short.split(". ").next().unwrap_or_default();
    damaged(dir, first_sentence)
}

fn damaged(dir: &Path, detail: &str) -> Error {
    let detail = detail.lines().next().unwrap_or_default();
    Error::Damaged {
        path: dir.to_path_buf(),
        detail: detail.chars().take(200).collect(),
    }
}

/// The text of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_files_are_told_from_other_files() {
        assert_eq!(
            segment_of("0123456789abcdef0123456789abcdef.idx"),
            Some("0123456789abcdef0123456789abcdef")
        );
        assert_eq!(
            segment_of("0123456789abcdef0123456789abcdef.12.del"),
            Some("0123456789abcdef0123456789abcdef")
        );
        assert_eq!(segment_of("meta.json"), None);
        assert_eq!(segment_of("graf.json"), None);
    }

    #[test]
    fn a_panic_in_a_guarded_read_is_a_damaged_index_error() {
        let err = guard(Path::new("idx"), || -> Result<()> {
            panic!("index out of range in the term dictionary")
        })
        .unwrap_err();
        let text = crate::render::errors::message(&err);
        assert!(text.contains("idx") && text.contains("--rebuild"), "{text}");
    }
}
