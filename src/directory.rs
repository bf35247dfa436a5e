//! The directory graf opens an index through: tantivy's memory-mapped directory, except that
//! a shared, archived or read-only index can still be read.
//!
//! tantivy takes a "meta" lock file while a reader opens the segments (so that a writer's
//! garbage collection cannot delete them meanwhile). Where the lock file cannot be created at
//! all (a read-only mount, an index owned by another user), no graf can be writing there
//! either, so the reader goes on without it instead of failing with "Failed to acquire
//! Lockfile". The writer's own lock is never bypassed: an ingest into such an index still
//! fails, with a message saying it is read-only.

use std::io;
use std::path::Path;
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
}

impl IndexDirectory {
    pub fn open(path: &Path) -> tantivy::Result<Self> {
        Ok(IndexDirectory {
            inner: MmapDirectory::open(path)?,
        })
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
        self.inner.atomic_write(path, data)
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
