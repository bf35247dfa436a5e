//! The file manifest: what the last ingest read from each input file (its size, modification
//! time and the articles it held, with their hashes), kept in `files.json` next to the index,
//! so that a re-run skips an unchanged file without opening it: no reading, decompressing,
//! parsing or hashing. A no-op re-ingest of the Gutenberg sample then costs a fraction of a
//! build (README, Benchmarks).
//!
//! The manifest is only a hint, checked against the index itself: a file is skipped only when
//! its size and modification time are those recorded *and* every article it held is in the
//! index with the recorded hash, under the same gazetteer and segmentation settings (the
//! `salt`). So a killed ingest, a `--rebuild`, a manifest from another index or a lost one can
//! only cost a re-read, never a skipped change. Files with a failed record are not
//! recorded: they are read again, and their problems reported again, on every run. Files with
//! empty articles are recorded (with the count, which a skipped run reports again), since a
//! large JSON Lines file nearly always holds a few.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::indexer::CatalogueEntry;

/// Name of the manifest in the index directory.
const MANIFEST: &str = "files.json";

/// What one file held when it was last read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub modified: u128,
    /// Content bytes (decompressed for gzip), for the summary.
    pub text_bytes: u64,
    /// The articles read from it: id and content hash.
    pub articles: Vec<(String, u64)>,
    /// Its empty articles (nothing to index), counted again in the summary when skipped.
    #[serde(default)]
    pub empty: u64,
}

/// Every recorded file by path, for one salt.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub salt: u64,
    pub files: HashMap<String, FileRecord>,
}

/// A file's size and modification time now; `None` when it cannot be read.
pub fn stamp(path: &Path) -> Option<(u64, u128)> {
    let meta = fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((meta.len(), modified.as_nanos()))
}

impl Manifest {
    /// The manifest of the index in `dir` for `salt`; empty when there is none, it cannot be
    /// read, or it was written under another salt.
    pub fn load(dir: Option<&Path>, salt: u64) -> Manifest {
        let loaded = dir
            .and_then(|dir| fs::read(dir.join(MANIFEST)).ok())
            .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
            .filter(|manifest| manifest.salt == salt);
        loaded.unwrap_or(Manifest {
            salt,
            files: HashMap::new(),
        })
    }

    /// The record of `path` when the file is unchanged since and the index still holds each
    /// of its articles as recorded.
    pub fn unchanged(
        &self,
        path: &str,
        stamp: Option<(u64, u128)>,
        catalogue: &HashMap<String, CatalogueEntry>,
    ) -> Option<&FileRecord> {
        let record = self.files.get(path)?;
        let (size, modified) = stamp?;
        let same_file = record.size == size && record.modified == modified;
        let indexed = record.articles.iter().all(|(id, hash)| {
            catalogue
                .get(id)
                .is_some_and(|entry| entry.hash == *hash && entry.path == path)
        });
        (same_file && indexed && !record.articles.is_empty()).then_some(record)
    }

    /// Writes the manifest (to a temporary file, then renamed, so it is never torn).
    pub fn save(&self, dir: Option<&Path>) -> crate::Result<()> {
        let Some(dir) = dir else { return Ok(()) };
        let path = dir.join(MANIFEST);
        let temporary = dir.join(format!("{MANIFEST}.tmp"));
        let text = serde_json::to_vec(self).unwrap_or_default();
        fs::write(&temporary, text).map_err(|err| crate::Error::io(&temporary, err))?;
        fs::rename(&temporary, &path).map_err(|err| crate::Error::io(&path, err))
    }

    /// Removes the manifest of the index in `dir` (before a rebuild).
    pub fn remove(dir: Option<&Path>) -> crate::Result<()> {
        let Some(dir) = dir else { return Ok(()) };
        match fs::remove_file(dir.join(MANIFEST)) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                Err(crate::Error::io(dir.join(MANIFEST), err))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue(entries: &[(&str, u64, &str)]) -> HashMap<String, CatalogueEntry> {
        entries
            .iter()
            .map(|&(id, hash, path)| {
                (
                    id.to_string(),
                    CatalogueEntry {
                        hash,
                        path: path.to_string(),
                    },
                )
            })
            .collect()
    }

    fn manifest() -> Manifest {
        let mut files = HashMap::new();
        files.insert(
            "a.jsonl".to_string(),
            FileRecord {
                size: 10,
                modified: 5,
                text_bytes: 10,
                articles: vec![("x".into(), 1), ("y".into(), 2)],
                empty: 0,
            },
        );
        Manifest { salt: 9, files }
    }

    #[test]
    fn a_file_is_unchanged_only_when_stamp_and_index_agree() {
        let manifest = manifest();
        let indexed = catalogue(&[("x", 1, "a.jsonl"), ("y", 2, "a.jsonl")]);
        assert!(manifest
            .unchanged("a.jsonl", Some((10, 5)), &indexed)
            .is_some());
        assert!(manifest
            .unchanged("a.jsonl", Some((10, 6)), &indexed)
            .is_none());
        assert!(manifest
            .unchanged("a.jsonl", Some((11, 5)), &indexed)
            .is_none());
        assert!(manifest
            .unchanged("b.jsonl", Some((10, 5)), &indexed)
            .is_none());
        let rebuilt = catalogue(&[("x", 1, "a.jsonl")]);
        assert!(manifest
            .unchanged("a.jsonl", Some((10, 5)), &rebuilt)
            .is_none());
        let changed = catalogue(&[("x", 1, "a.jsonl"), ("y", 3, "a.jsonl")]);
        assert!(manifest
            .unchanged("a.jsonl", Some((10, 5)), &changed)
            .is_none());
    }

    #[test]
    fn a_manifest_of_another_salt_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        manifest().save(Some(dir.path())).unwrap();
        assert_eq!(Manifest::load(Some(dir.path()), 9), manifest());
        assert!(Manifest::load(Some(dir.path()), 8).files.is_empty());
        Manifest::remove(Some(dir.path())).unwrap();
        assert!(Manifest::load(Some(dir.path()), 9).files.is_empty());
    }
}
