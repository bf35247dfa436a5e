//! Building an index beside the one in use and swapping it in only once it is complete, so
//! that an interruption, a full disk or a crash never leaves a half-built index where the
//! user's index was. `graf ingest --rebuild` builds in `<index>.rebuild` (kept when
//! interrupted, and resumed by the next `--rebuild` of the same paths); `graf merge` builds in
//! `<out>.merging` (removed when the merge fails).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use tantivy::directory::{Directory, DirectoryLock, MmapDirectory, INDEX_WRITER_LOCK};

use crate::companies::Tagger;
use crate::error::{Error, Result};
use crate::indexer::GrafIndex;
use crate::pipeline::{self, IngestOptions, IngestReport, Progress};

/// Records which paths a rebuild in progress reads, so that a resumed rebuild of other paths
/// starts over instead of mixing the two.
const REBUILD_MARKER: &str = "graf-rebuild.json";

/// `dir` with `suffix` added to its last component: `index` → `index.rebuild`.
pub(crate) fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = dir
        .file_name()
        .map(|name| name.to_os_string())
        .unwrap_or_else(|| "index".into());
    name.push(format!(".{suffix}"));
    dir.with_file_name(name)
}

/// Re-indexes `options.roots` into a new index beside `index`, which stays as it was, locked
/// against other ingests, and searchable, until the new one is complete and replaces it.
/// Interrupted (`stop`) or failed, the new index is left in `<index>.rebuild`, and the next
/// rebuild of the same paths resumes it, skipping what it holds.
pub fn rebuild(
    index: &Path,
    tagger: &Tagger,
    options: &IngestOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<IngestReport> {
    let _old_lock = lock_existing(index)?;
    let aside = sibling(index, "rebuild");
    let roots = serde_json::to_string(&options.roots).unwrap_or_default();
    let graf = open_aside(&aside, &roots)?;
    let options = IngestOptions {
        rebuild: false,
        prune: true,
        ..options.clone()
    };
    let report = pipeline::ingest(&graf, tagger, &options, progress, stop)?;
    drop(graf);
    if report.interrupted {
        return Ok(report);
    }
    let marker = aside.join(REBUILD_MARKER);
    fs::remove_file(&marker).map_err(|err| Error::io(&marker, err))?;
    carry_over_foreign_files(index, &aside)?;
    swap_in(&aside, index)?;
    Ok(report)
}

/// Moves the files of `old` that are neither tantivy's nor graf's (a user's notes, say) into
/// `new`, so that replacing the directory loses nothing graf did not write.
fn carry_over_foreign_files(old: &Path, new: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(old) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let foreign = !crate::indexer::is_index_file(&name.to_string_lossy());
        let destination = new.join(&name);
        if foreign && !destination.exists() {
            fs::rename(entry.path(), &destination).map_err(|err| Error::io(entry.path(), err))?;
        }
    }
    Ok(())
}

/// Takes the writer lock of the index in `dir`, when there is one, so that no other ingest
/// writes to an index about to be replaced. Works whatever the index's schema.
fn lock_existing(dir: &Path) -> Result<Option<DirectoryLock>> {
    if !dir.join("meta.json").is_file() {
        // The swap replaces the whole directory: never one that holds something else.
        let occupied = fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
        if occupied {
            return Err(Error::NotAnIndexToReplace {
                path: dir.to_path_buf(),
            });
        }
        return Ok(None);
    }
    let directory = MmapDirectory::open(dir).map_err(|err| Error::NotAnIndex {
        path: dir.to_path_buf(),
        reason: err.to_string(),
    })?;
    directory
        .acquire_lock(&INDEX_WRITER_LOCK)
        .map(Some)
        .map_err(|_| Error::IndexLocked {
            path: dir.to_path_buf(),
        })
}

/// The index being rebuilt: resumed when an earlier rebuild of the same roots left one,
/// else made afresh.
fn open_aside(aside: &Path, roots: &str) -> Result<GrafIndex> {
    let marker = aside.join(REBUILD_MARKER);
    let resumable = fs::read_to_string(&marker).is_ok_and(|recorded| recorded == roots);
    if resumable {
        if let Ok(graf) = GrafIndex::open(aside) {
            return Ok(graf);
        }
    }
    if aside.exists() {
        fs::remove_dir_all(aside).map_err(|err| Error::io(aside, err))?;
    }
    let graf = GrafIndex::open_or_create(aside)?;
    fs::write(&marker, roots).map_err(|err| Error::io(&marker, err))?;
    Ok(graf)
}

/// Puts the complete index `built` in the place of `target` (which may not exist): the old
/// index is renamed away, the new one renamed in, then the old one deleted. Searches that
/// opened the old index keep reading it until they finish.
pub(crate) fn swap_in(built: &Path, target: &Path) -> Result<()> {
    let old = sibling(target, "old");
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|err| Error::io(&old, err))?;
    }
    let had_old = match fs::symlink_metadata(target) {
        Ok(_) => {
            fs::rename(target, &old).map_err(|err| Error::io(target, err))?;
            true
        }
        Err(_) => false,
    };
    if let Err(err) = fs::rename(built, target) {
        if had_old {
            let _ = fs::rename(&old, target);
        }
        return Err(Error::io(target, err));
    }
    if had_old {
        fs::remove_dir_all(&old).map_err(|err| Error::io(&old, err))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_sit_beside_the_directory() {
        assert_eq!(
            sibling(Path::new("index"), "rebuild"),
            Path::new("index.rebuild")
        );
        assert_eq!(sibling(Path::new("a/idx/"), "old"), Path::new("a/idx.old"));
    }

    #[test]
    fn swapping_in_replaces_the_old_directory_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (built, target) = (dir.path().join("built"), dir.path().join("index"));
        fs::create_dir_all(&built).unwrap();
        fs::write(built.join("new"), "").unwrap();
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("old"), "").unwrap();
        swap_in(&built, &target).unwrap();
        assert!(target.join("new").exists() && !target.join("old").exists());
        assert!(!built.exists() && !sibling(&target, "old").exists());
    }
}
