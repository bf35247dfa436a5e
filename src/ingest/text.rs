//! Plain text and Markdown files: the whole file is one article, decoded as UTF-8 and handed
//! over untouched (a BOM and front matter included: the segmenter cleans and parses them, and
//! its byte spans then point into the file as read).

use crate::model::{Metadata, SourceDoc};

use super::decode::{self, Source};
use super::{FoundFile, IngestError};

/// Reads `file` whole as one article. An empty file is an article with empty text: the
/// pipeline, not the reader, reports empty articles.
pub(crate) fn read_text(file: &FoundFile, mut source: Source) -> Result<SourceDoc, IngestError> {
    let text = decode_whole(file, &mut source)?;
    Ok(whole_file_article(file, text, Metadata::default()))
}

/// The one article of a file read whole (text, Markdown or the Markdown made from HTML).
pub(crate) fn whole_file_article(file: &FoundFile, text: String, meta: Metadata) -> SourceDoc {
    SourceDoc {
        path: file.path.clone(),
        key: file.key.clone(),
        record_line: None,
        format: file.format.text_format(),
        text,
        meta,
    }
}

/// The rest of `source` as text, refused when binary or not UTF-8 (UTF-16 with a byte order
/// mark, as Windows tools write it, is decoded first).
pub(crate) fn decode_whole(file: &FoundFile, source: &mut Source) -> Result<String, IngestError> {
    let bytes = decode::read_all(source, &file.path)?;
    if let Some(text) = decode::decode_utf16(&bytes, &file.path)? {
        return Ok(text);
    }
    decode::check_not_binary(&bytes, &file.path)?;
    decode::decode_utf8(bytes, &file.path, None)
}
