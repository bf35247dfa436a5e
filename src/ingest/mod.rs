//! Ingest: the only stage that touches files. It finds article files under the paths the user
//! gave ([`discover()`]), opens and decodes them ([`read`]) and hands [`SourceDoc`]s to the
//! pipeline one by one, streaming: a JSON Lines file (gzip or not) is read record by record,
//! never whole, so a 10 GB `.jsonl.gz` costs one record of memory.
//!
//! Formats, chosen by extension (each optionally followed by `.gz`) or forced for every file
//! with [`ReadOptions::format`]:
//!
//! | extension | reader | `SourceDoc` |
//! |---|---|---|
//! | `.txt`, `.text` | whole file as UTF-8 | one article, [`TextFormat::Plain`] |
//! | `.md`, `.markdown` | whole file as UTF-8 | one article, [`TextFormat::Markdown`] |
//! | `.html`, `.htm` | encoding detected, HTML parser, article chosen by text and link density, rewritten as Markdown | one article, [`TextFormat::Markdown`] |
//! | `.jsonl`, `.ndjson` | one JSON object per line, fields via [`FieldMap`] | one article per line, [`TextFormat::Plain`], `record_line` set |
//!
//! For `.txt`/`.md` the text is the file exactly as decoded (a BOM included), so passage lines
//! and byte spans point into the file. For HTML they point into the *extracted* Markdown text,
//! not into the page source. For JSON Lines every passage reports the record's line.
//!
//! Bad input never stops the run: [`discover()`] yields an `Err` for a path it cannot walk and
//! goes on; [`read`] fails for a file that cannot be opened or decoded; a JSON Lines iterator
//! yields an `Err` for a bad record and goes on with the next line (a damaged gzip stream ends
//! it, after the records read before the damage). Every [`IngestError`] names its file.

mod decode;
mod discover;
mod error;
mod fields;
mod html;
mod jsonl;
#[cfg(test)]
mod tests;
mod text;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::model::{SourceDoc, TextFormat};

pub use discover::discover;
pub use error::IngestError;
pub use fields::FieldMap;

/// The article formats graf reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    Text,
    Markdown,
    Html,
    JsonLines,
}

/// Every name [`FileFormat::from_str`] accepts, with the format it means; the first name of
/// each format is the one [`FileFormat`]'s `Display` prints.
const FORMAT_NAMES: &[(&str, FileFormat)] = &[
    ("txt", FileFormat::Text),
    ("text", FileFormat::Text),
    ("md", FileFormat::Markdown),
    ("markdown", FileFormat::Markdown),
    ("html", FileFormat::Html),
    ("htm", FileFormat::Html),
    ("jsonl", FileFormat::JsonLines),
    ("ndjson", FileFormat::JsonLines),
    ("json-lines", FileFormat::JsonLines),
];

impl FileFormat {
    /// The format and gzip flag a file name implies (`a.jsonl.gz` → JSON Lines, gzip), or
    /// `None` for a name without a known extension. Case-insensitive.
    pub fn from_file_name(name: &str) -> Option<(FileFormat, bool)> {
        let lower = name.to_ascii_lowercase();
        let (stem, gzip) = match lower.strip_suffix(".gz") {
            Some(stem) => (stem, true),
            None => (lower.as_str(), false),
        };
        let (_, extension) = stem.rsplit_once('.')?;
        let format = match extension {
            "txt" | "text" => FileFormat::Text,
            "md" | "markdown" => FileFormat::Markdown,
            "html" | "htm" => FileFormat::Html,
            "jsonl" | "ndjson" => FileFormat::JsonLines,
            _ => return None,
        };
        Some((format, gzip))
    }

    /// How the segmenter should read the text this format produces.
    pub(crate) fn text_format(self) -> TextFormat {
        match self {
            FileFormat::Text | FileFormat::JsonLines => TextFormat::Plain,
            FileFormat::Markdown | FileFormat::Html => TextFormat::Markdown,
        }
    }
}

impl FromStr for FileFormat {
    type Err = IngestError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let wanted = name.trim().to_ascii_lowercase();
        FORMAT_NAMES
            .iter()
            .find(|(known, _)| *known == wanted)
            .map(|(_, format)| *format)
            .ok_or_else(|| IngestError::UnknownFormat {
                name: name.to_string(),
                accepted: accepted_format_names(),
            })
    }
}

impl fmt::Display for FileFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = FORMAT_NAMES
            .iter()
            .find(|(_, format)| format == self)
            .map_or("?", |(name, _)| name);
        f.write_str(name)
    }
}

fn accepted_format_names() -> String {
    let names: Vec<&str> = FORMAT_NAMES.iter().map(|(name, _)| *name).collect();
    names.join(", ")
}

/// What the user asked of the readers; resolved once, at the edge.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Read every regular, non-hidden file found in this format, whatever its extension.
    pub format: Option<FileFormat>,
    /// Which JSON fields hold what.
    pub fields: FieldMap,
}

/// One article file [`discover()`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundFile {
    /// Where to open it.
    pub path: PathBuf,
    /// Its name in the index: the path relative to the directory root it was found under,
    /// with `/` separators; for a file named as a root, that path as given with `/`
    /// separators and its `.` parts dropped (`./news/a.txt` → `news/a.txt`).
    pub key: String,
    pub format: FileFormat,
    /// Gzip by extension (`.gz`) or, under a format override, by the gzip magic bytes;
    /// [`read`] also checks the magic bytes itself.
    pub gzip: bool,
    /// Size on disk in bytes (compressed size for gzip), for progress bars.
    pub size: u64,
}

/// The articles of one file, in file order: one for txt/md/html, one per record for JSON
/// Lines. A bad JSON Lines record is an `Err` item and iteration goes on; an unreadable
/// stream (a truncated gzip file) is a last `Err` item.
pub struct Articles {
    inner: ArticlesInner,
    /// Bytes of the file read so far, compressed bytes for gzip.
    consumed: Arc<AtomicU64>,
    /// Bytes of content read so far, decompressed for gzip.
    decoded: Arc<AtomicU64>,
}

enum ArticlesInner {
    One(Option<SourceDoc>),
    Lines(jsonl::JsonLines),
}

impl Articles {
    /// Bytes of the file consumed so far (compressed bytes for gzip): with
    /// [`FoundFile::size`] this drives a per-byte progress bar inside one huge file.
    pub fn bytes_read(&self) -> u64 {
        self.consumed.load(Ordering::Relaxed)
    }

    /// Bytes of content read so far: decompressed bytes for gzip, what the summary counts.
    pub fn bytes_decoded(&self) -> u64 {
        self.decoded.load(Ordering::Relaxed)
    }
}

impl Iterator for Articles {
    type Item = Result<SourceDoc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            ArticlesInner::One(doc) => doc.take().map(Ok),
            ArticlesInner::Lines(lines) => lines.next(),
        }
    }
}

/// Opens one file and returns its articles. Fails when the file cannot be opened, or, for the
/// one-article formats (txt, md, html), when it cannot be read or decoded (invalid UTF-8,
/// binary, damaged gzip, too large); JSON Lines problems come per record from the iterator.
pub fn read(file: &FoundFile, options: &ReadOptions) -> Result<Articles, IngestError> {
    let source = decode::open(file)?;
    let consumed = source.consumed.clone();
    let decoded = source.decoded.clone();
    let inner = match file.format {
        FileFormat::JsonLines => {
            ArticlesInner::Lines(jsonl::JsonLines::new(file, source, options.fields.clone()))
        }
        FileFormat::Text | FileFormat::Markdown => {
            ArticlesInner::One(Some(text::read_text(file, source)?))
        }
        FileFormat::Html => ArticlesInner::One(Some(html::read_html(file, source)?)),
    };
    Ok(Articles {
        inner,
        consumed,
        decoded,
    })
}
