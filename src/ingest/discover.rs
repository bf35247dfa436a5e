//! Finding article files: walks the roots the user gave, in the order given, each directory
//! recursively and sorted by name (so runs are deterministic), following symbolic links with
//! loop protection, skipping hidden files and folders and files of unknown type.

use std::fs::{self, Metadata};
use std::io;
use std::iter;
use std::path::{Component, Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use super::decode::{io_error, sniff_gzip};
use super::{FileFormat, FoundFile, IngestError, ReadOptions};

type Found = Result<FoundFile, IngestError>;

/// Walks `roots` (files or directories). Inside directories, hidden entries (`.name`) and,
/// unless `options.format` forces a format, files without a known extension are skipped
/// silently; a file named as a root is taken even when hidden, and one of unknown type is an
/// `Err(UnknownExtension)`. A root that does not exist is an `Err(NotFound)` and the walk goes
/// on with the others; so is any other path that cannot be read, and a symbolic link loop.
pub fn discover(roots: &[PathBuf], options: &ReadOptions) -> impl Iterator<Item = Found> {
    let forced = options.format;
    // Owned, so the walk does not borrow the caller's slice.
    let roots: Vec<PathBuf> = roots.to_vec();
    roots
        .into_iter()
        .flat_map(move |root| walk_root(root, forced))
}

fn walk_root(root: PathBuf, forced: Option<FileFormat>) -> Box<dyn Iterator<Item = Found>> {
    match fs::metadata(&root) {
        Ok(metadata) if metadata.is_dir() => Box::new(walk_dir(root, forced)),
        Ok(metadata) => Box::new(iter::once(named_file(root, &metadata, forced))),
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            Box::new(iter::once(Err(IngestError::NotFound { path: root })))
        }
        Err(err) => Box::new(iter::once(Err(io_error(&root, err)))),
    }
}

/// A file the user named directly: read whatever it is called, if its type is known.
fn named_file(path: PathBuf, metadata: &Metadata, forced: Option<FileFormat>) -> Found {
    if !metadata.is_file() {
        let err = io::Error::other("not a regular file");
        return Err(io_error(&path, err));
    }
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    let Some((format, gzip)) = classify(&path, &file_name, forced) else {
        return Err(IngestError::UnknownExtension { path });
    };
    Ok(FoundFile {
        key: key_of(&path),
        format,
        gzip,
        size: metadata.len(),
        path,
    })
}

fn walk_dir(root: PathBuf, forced: Option<FileFormat>) -> impl Iterator<Item = Found> {
    WalkDir::new(&root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry))
        .filter_map(move |entry| match entry {
            Ok(entry) => found_in_dir(&root, &entry, forced).transpose(),
            Err(err) => Some(Err(walk_error(&root, err))),
        })
}

/// The article file `entry` is, or `None` when it is not one (a folder, a socket, a file
/// of unknown type).
fn found_in_dir(
    root: &Path,
    entry: &DirEntry,
    forced: Option<FileFormat>,
) -> Result<Option<FoundFile>, IngestError> {
    if !entry.file_type().is_file() {
        return Ok(None);
    }
    let path = entry.path();
    let file_name = entry.file_name().to_string_lossy();
    let Some((format, gzip)) = classify(path, &file_name, forced) else {
        return Ok(None);
    };
    let metadata = entry.metadata().map_err(|err| walk_error(root, err))?;
    Ok(Some(FoundFile {
        path: path.to_path_buf(),
        key: key_of(path.strip_prefix(root).unwrap_or(path)),
        format,
        gzip,
        size: metadata.len(),
    }))
}

/// Format and gzip flag: forced, with gzip by extension or magic bytes; else by extension.
fn classify(
    path: &Path,
    file_name: &str,
    forced: Option<FileFormat>,
) -> Option<(FileFormat, bool)> {
    match forced {
        Some(format) => {
            let gzip = file_name.to_ascii_lowercase().ends_with(".gz") || sniff_gzip(path);
            Some((format, gzip))
        }
        None => FileFormat::from_file_name(file_name),
    }
}

fn is_hidden(entry: &DirEntry) -> bool {
    entry.file_name().to_string_lossy().starts_with('.')
}

fn walk_error(root: &Path, err: walkdir::Error) -> IngestError {
    let path = err.path().unwrap_or(root).to_path_buf();
    if let Some(ancestor) = err.loop_ancestor() {
        let ancestor = ancestor.to_path_buf();
        return IngestError::SymlinkLoop { path, ancestor };
    }
    match err.into_io_error() {
        Some(err) if err.kind() == io::ErrorKind::NotFound => IngestError::NotFound { path },
        Some(err) => io_error(&path, err),
        None => io_error(&path, io::Error::other("unreadable directory entry")),
    }
}

/// `path` with `/` separators and without `.` parts: the key an article is known by. Parts
/// that are not UTF-8 are written losslessly (see [`lossless`]).
pub(crate) fn key_of(path: &Path) -> String {
    let mut key = String::new();
    for component in path.components() {
        let part = match component {
            Component::CurDir => continue,
            Component::RootDir => {
                key.push('/');
                continue;
            }
            Component::Prefix(prefix) => lossless(prefix.as_os_str()),
            Component::ParentDir => "..".into(),
            Component::Normal(part) => lossless(part),
        };
        if !key.is_empty() && !key.ends_with('/') {
            key.push('/');
        }
        key.push_str(&part);
    }
    key
}

/// A file name as text without losing anything: a UTF-8 name as it is; in a name that is not
/// UTF-8 each stray byte as `%XX` and `%` itself as `%25`, so that `caf\xe9.txt` and
/// `caf\xe8.txt` get two keys (`caf%E9.txt`, `caf%E8.txt`) where a lossy conversion gave both
/// `caf\u{FFFD}.txt`. (Such a key can only meet a UTF-8 name spelled with a literal `%E9`,
/// and that collision is reported like any other.)
fn lossless(part: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    if let Some(text) = part.to_str() {
        return text.into();
    }
    let mut key = String::new();
    for chunk in os_bytes(part).utf8_chunks() {
        key.push_str(&chunk.valid().replace('%', "%25"));
        for byte in chunk.invalid() {
            key.push_str(&format!("%{byte:02X}"));
        }
    }
    key.into()
}

#[cfg(unix)]
fn os_bytes(part: &std::ffi::OsStr) -> &[u8] {
    std::os::unix::ffi::OsStrExt::as_bytes(part)
}

/// Elsewhere a name that is not Unicode is rare (unpaired UTF-16 surrogates on Windows);
/// its WTF-8 bytes stand in for it.
#[cfg(not(unix))]
fn os_bytes(part: &std::ffi::OsStr) -> &[u8] {
    part.as_encoded_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_use_slashes_and_drop_dot_parts() {
        assert_eq!(key_of(Path::new("./news/./a.txt")), "news/a.txt");
        assert_eq!(key_of(Path::new("../x/b.md")), "../x/b.md");
        assert_eq!(key_of(Path::new("/abs/c.html")), "/abs/c.html");
        assert_eq!(key_of(Path::new("d.jsonl")), "d.jsonl");
    }

    #[cfg(unix)]
    #[test]
    fn keys_of_names_that_are_not_utf8_are_lossless() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let e9 = key_of(Path::new(OsStr::from_bytes(b"news/caf\xe9 100%.txt")));
        let e8 = key_of(Path::new(OsStr::from_bytes(b"news/caf\xe8 100%.txt")));
        assert_eq!(e9, "news/caf%E9 100%25.txt");
        assert_ne!(e9, e8);
        assert_eq!(key_of(Path::new("news/100%.txt")), "news/100%.txt");
    }

    #[test]
    fn extensions_decide_the_format_unless_forced() {
        let path = Path::new("/nonexistent/x");
        assert_eq!(
            classify(path, "A.JSONL.GZ", None),
            Some((FileFormat::JsonLines, true))
        );
        assert_eq!(
            classify(path, "a.htm", None),
            Some((FileFormat::Html, false))
        );
        assert_eq!(classify(path, "README", None), None);
        assert_eq!(classify(path, "a.gz", None), None);
        assert_eq!(
            classify(path, "README", Some(FileFormat::Text)),
            Some((FileFormat::Text, false))
        );
        assert_eq!(
            classify(path, "dump.gz", Some(FileFormat::JsonLines)),
            Some((FileFormat::JsonLines, true))
        );
    }
}
