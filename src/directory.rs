//! The directory graf opens an index through: tantivy's memory-mapped directory, except that
//! a shared, archived or read-only index can still be read.
//!
//! tantivy takes a "meta" lock file while a reader opens the segments (so that a writer's
//! garbage collection cannot delete them meanwhile). Where the lock file cannot be created at
//! all (a read-only mount, an index owned by another user), no graf can be writing there
//! either, so the reader goes on without it instead of failing with "Failed to acquire
//! Lockfile". The writer's own lock is never bypassed: an ingest into such an index still
//! fails, with a message saying it is read-only.
//!
//! tantivy writes its metadata (`meta.json`, `.managed.json`) through a temporary file, which
//! is created readable by its owner only, while the segment files are as readable as any new
//! file: an index one user built could not be opened by another who may read every segment.
//! So the metadata gets the directory's own read and write bits (without execute): a `0755`
//! index directory gets `0644` metadata, a private `0700` one `0600`.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};

/// tantivy's [`MmapDirectory`], readable without write access (see the module doc).
#[derive(Clone, Debug)]
pub struct IndexDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl IndexDirectory {
    pub fn open(path: &Path) -> tantivy::Result<Self> {
        Ok(IndexDirectory {
            inner: MmapDirectory::open(path)?,
            root: path.to_path_buf(),
        })
    }

    /// Gives the file `name` the directory's read and write bits (see the module doc).
    #[cfg(unix)]
    fn share_like_directory(&self, name: &Path) -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let directory = std::fs::metadata(&self.root)?.permissions().mode();
        let mode = directory & 0o666;
        std::fs::set_permissions(self.root.join(name), std::fs::Permissions::from_mode(mode))
    }

    #[cfg(not(unix))]
    fn share_like_directory(&self, _: &Path) -> io::Result<()> {
        Ok(())
    }
}

/// The lock file could not be created because the directory cannot be written to.
pub fn is_unwritable(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)?;
        self.share_like_directory(path)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(err))
                if lock.filepath == META_LOCK.filepath && is_unwritable(&err) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use crate::indexer::GrafIndex;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn metadata_is_as_readable_as_the_directory() {
        for (directory, expected) in [(0o755, 0o644), (0o700, 0o600), (0o775, 0o664)] {
            let temporary = tempfile::tempdir().unwrap();
            let dir = temporary.path().join("index");
            std::fs::create_dir(&dir).unwrap();
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(directory)).unwrap();
            let graf = GrafIndex::open_or_create(&dir).unwrap();
            let mut writer = graf.writer(1, 50_000_000).unwrap();
            writer.commit().unwrap();
            for file in ["meta.json", ".managed.json"] {
                assert_eq!(
                    mode(&dir.join(file)),
                    expected,
                    "{file} in a {directory:o} directory"
                );
            }
        }
    }
}
