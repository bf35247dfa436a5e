//! From file to text: opening with gzip detection (extension or magic bytes) and streaming
//! decompression, counting the bytes consumed, and the checks that turn bytes into a `String`
//! (binary sniff, UTF-8 with the line of the first bad byte, a size cap; for HTML, the page's
//! encoding, see [`decode_html`]).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use flate2::bufread::MultiGzDecoder;

use super::{FoundFile, IngestError};

/// The largest article (a whole txt/md/html file, or one JSON Lines record) read into memory;
/// anything bigger is not an article but a mistake, and is skipped rather than exhausting
/// memory.
pub(crate) const MAX_ARTICLE_BYTES: u64 = 256 * 1024 * 1024;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// A NUL byte this early means a binary file, as git and grep decide.
const BINARY_SNIFF_BYTES: usize = 8 * 1024;
const BUFFER_BYTES: usize = 64 * 1024;

/// An opened file, decompressed on the fly when it is gzip.
pub(crate) struct Source {
    pub(crate) reader: Box<dyn BufRead + Send>,
    pub(crate) gzip: bool,
    /// Bytes read from the file itself (compressed bytes for gzip).
    pub(crate) consumed: Arc<AtomicU64>,
    /// Bytes of content read (decompressed for gzip; the same counter as `consumed` else).
    pub(crate) decoded: Arc<AtomicU64>,
}

/// Opens `file`, treating it as gzip when its name says so or its first bytes do.
pub(crate) fn open(file: &FoundFile) -> Result<Source, IngestError> {
    let path = file.path.as_path();
    let handle = File::open(path).map_err(|err| open_error(path, err))?;
    let consumed = Arc::new(AtomicU64::new(0));
    let counting = Counting {
        inner: handle,
        count: Arc::clone(&consumed),
    };
    let mut raw = BufReader::with_capacity(BUFFER_BYTES, counting);
    let gzip = file.gzip || has_gzip_magic(&mut raw).map_err(|err| io_error(path, err))?;
    let (reader, decoded): (Box<dyn BufRead + Send>, _) = if gzip {
        let decoded = Arc::new(AtomicU64::new(0));
        let decoder = Counting {
            inner: MultiGzDecoder::new(raw),
            count: Arc::clone(&decoded),
        };
        let reader = Box::new(BufReader::with_capacity(BUFFER_BYTES, decoder));
        (reader, decoded)
    } else {
        (Box::new(raw), Arc::clone(&consumed))
    };
    Ok(Source {
        reader,
        gzip,
        consumed,
        decoded,
    })
}

/// Whether the file at `path` starts with the gzip magic bytes; `false` when unreadable
/// (reading it later reports the real error).
pub(crate) fn sniff_gzip(path: &Path) -> bool {
    let mut head = [0u8; 2];
    File::open(path)
        .and_then(|mut handle| handle.read_exact(&mut head))
        .is_ok()
        && head == GZIP_MAGIC
}

fn has_gzip_magic(reader: &mut impl BufRead) -> io::Result<bool> {
    Ok(reader.fill_buf()?.starts_with(&GZIP_MAGIC))
}

fn open_error(path: &Path, err: io::Error) -> IngestError {
    if err.kind() == io::ErrorKind::NotFound {
        IngestError::NotFound { path: path.into() }
    } else {
        io_error(path, err)
    }
}

pub(crate) fn io_error(path: &Path, source: io::Error) -> IngestError {
    IngestError::Io {
        path: path.into(),
        source,
    }
}

/// Names a failed read: for a gzip stream, an early end is a truncated file and bad data a
/// corrupt stream (flate2 reports them as `UnexpectedEof` and `InvalidInput`/`InvalidData`).
pub(crate) fn read_error(path: &Path, gzip: bool, err: io::Error) -> IngestError {
    match err.kind() {
        io::ErrorKind::UnexpectedEof if gzip => IngestError::Truncated { path: path.into() },
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData if gzip => IngestError::Gzip {
            path: path.into(),
            message: err.to_string(),
        },
        _ => io_error(path, err),
    }
}

/// Reads the rest of `source` (decompressed), refusing more than [`MAX_ARTICLE_BYTES`].
pub(crate) fn read_all(source: &mut Source, path: &Path) -> Result<Vec<u8>, IngestError> {
    let mut bytes = Vec::new();
    source
        .reader
        .by_ref()
        .take(MAX_ARTICLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| read_error(path, source.gzip, err))?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(IngestError::TooLarge {
            path: path.into(),
            line: None,
            limit: MAX_ARTICLE_BYTES,
        });
    }
    Ok(bytes)
}

/// Decodes UTF-16 that opens with a byte order mark (`FF FE` little-endian, `FE FF`
/// big-endian); `None` for anything else. Its NUL high bytes would otherwise make it look
/// binary. The BOM is kept (as U+FEFF), as for UTF-8 files, for the segmenter to drop.
/// Unpaired surrogates are an error naming the line, like invalid UTF-8.
pub(crate) fn decode_utf16(bytes: &[u8], path: &Path) -> Result<Option<String>, IngestError> {
    let little_endian = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return Ok(None),
    };
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    for (at, unit) in char::decode_utf16(units).enumerate() {
        match unit {
            Ok(c) => text.push(c),
            Err(_) => {
                return Err(IngestError::InvalidUtf8 {
                    path: path.into(),
                    line: Some(line_of(text.as_bytes())),
                    offset: at as u64 * 2,
                })
            }
        }
    }
    Ok(Some(text))
}

/// Refuses bytes that look binary: a NUL byte in the first 8 KB.
pub(crate) fn check_not_binary(bytes: &[u8], path: &Path) -> Result<(), IngestError> {
    let head = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
    if head.contains(&0) {
        return Err(IngestError::Binary { path: path.into() });
    }
    Ok(())
}

/// Decodes UTF-8. On failure the error names `record_line` when given (JSON Lines), else
/// the 1-based line of the first bad byte, and the byte's offset in `bytes`.
pub(crate) fn decode_utf8(
    bytes: Vec<u8>,
    path: &Path,
    record_line: Option<u64>,
) -> Result<String, IngestError> {
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let before = &err.as_bytes()[..offset];
        let line = record_line.unwrap_or_else(|| line_of(before));
        IngestError::InvalidUtf8 {
            path: path.into(),
            line: Some(line),
            offset: offset as u64,
        }
    })
}

/// How far into a page `<meta charset>` is looked for: the HTML standard's prescan reads 1024
/// bytes; pages with long `<head>`s put it later, so graf reads more.
const META_PRESCAN_BYTES: usize = 4096;

/// Decodes an HTML page, whatever its encoding, as browsers do. The encoding is, in order:
/// 1. the byte order mark (UTF-8, UTF-16LE/BE);
/// 2. UTF-8 when the bytes are valid UTF-8 (pure ASCII included): a page in a legacy encoding
///    practically never is, while pages whose meta tag names a legacy encoding but that were
///    saved as UTF-8 are common;
/// 3. the `<meta charset>` or `<meta http-equiv="Content-Type" content="...; charset=...">`
///    in the first 4 KB (a declared UTF-16 means UTF-8, as the standard says);
/// 4. a guess from the bytes ([`chardetng`], the detector Firefox uses).
///
/// Bytes invalid in the chosen encoding become U+FFFD, as in a browser. Refused only when
/// binary (a NUL byte early, without a UTF-16 BOM).
pub(crate) fn decode_html(bytes: Vec<u8>, path: &Path) -> Result<String, IngestError> {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(&bytes) {
        if encoding == encoding_rs::UTF_8 {
            check_not_binary(&bytes, path)?;
        }
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return Ok(text.into_owned());
    }
    check_not_binary(&bytes, path)?;
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(err) => err.into_bytes(),
    };
    let encoding = declared_encoding(&bytes).unwrap_or_else(|| guess_encoding(&bytes));
    let (text, _) = encoding.decode_without_bom_handling(&bytes);
    Ok(text.into_owned())
}

/// The encoding a `<meta>` tag in the page's head declares, if any encoding_rs knows.
fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        from = start + 5;
        let tag = &lower[start..end];
        let Some(at) = find(tag, b"charset") else {
            continue;
        };
        let value = tag[at + 7..]
            .iter()
            .skip_while(|b| b.is_ascii_whitespace() || **b == b'=' || **b == b'"' || **b == b'\'')
            .take_while(|b| !(b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'/')))
            .copied()
            .collect::<Vec<u8>>();
        if let Some(encoding) = encoding_rs::Encoding::for_label(&value) {
            return Some(
                if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    encoding.output_encoding()
                },
            );
        }
    }
    None
}

/// The encoding the bytes most likely are in, by Firefox's detector; UTF-8 allowed, since
/// a page with a few bad bytes in otherwise UTF-8 text is best read as UTF-8.
fn guess_encoding(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The 1-based line on which the byte after `before` sits.
fn line_of(before: &[u8]) -> u64 {
    before.iter().filter(|&&byte| byte == b'\n').count() as u64 + 1
}

/// A reader that counts the bytes passing through it, shared with [`super::Articles`].
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.count.fetch_add(read as u64, Ordering::Relaxed);
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_the_line_of_the_first_bad_byte() {
        let bytes = b"one\ntwo\nth\xffree\n".to_vec();
        let err = decode_utf8(bytes, Path::new("x.txt"), None).unwrap_err();
        assert_eq!(err.to_string(), "x.txt:3: invalid UTF-8 (byte 10)");
    }

    #[test]
    fn invalid_utf8_in_a_record_names_the_record_line() {
        let err = decode_utf8(b"{\"a\xc3\"}".to_vec(), Path::new("r.jsonl"), Some(7));
        assert_eq!(
            err.unwrap_err().to_string(),
            "r.jsonl:7: invalid UTF-8 (byte 3)"
        );
    }

    fn html(bytes: &[u8]) -> String {
        decode_html(bytes.to_vec(), Path::new("p.html")).unwrap()
    }

    #[test]
    fn html_encodings_come_from_the_bom_the_meta_tag_or_the_bytes() {
        assert_eq!(html(b"<p>caf\xc3\xa9</p>"), "<p>caf\u{e9}</p>");
        assert_eq!(html(b"\xef\xbb\xbf<p>x</p>"), "<p>x</p>");
        assert_eq!(html(b"\xff\xfe<\0p\0>\0"), "<p>");
        let declared = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>\x80 caf\xe9</p>";
        assert!(html(declared).ends_with("<p>\u{20ac} caf\u{e9}</p>"));
        let short = b"<meta charset='iso-8859-2'><p>\xb1</p>";
        assert!(html(short).ends_with("<p>\u{105}</p>"));
        let guessed =
            b"<p>Le caf\xe9 \xe9tait d\xe9j\xe0 ferm\xe9 quand nous sommes arriv\xe9s.</p>";
        assert_eq!(html(guessed), "<p>Le caf\u{e9} \u{e9}tait d\u{e9}j\u{e0} ferm\u{e9} quand nous sommes arriv\u{e9}s.</p>");
    }

    #[test]
    fn a_page_saved_as_utf8_is_read_as_utf8_whatever_its_meta_says() {
        let page = "<meta charset=\"iso-8859-1\"><p>caf\u{e9}</p>";
        assert_eq!(html(page.as_bytes()), page);
    }

    #[test]
    fn utf16_with_a_bom_is_decoded_in_either_byte_order() {
        let text = "Café\nNestlé";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        let path = Path::new("w.txt");
        for bytes in [le, be] {
            let decoded = decode_utf16(&bytes, path).unwrap().unwrap();
            assert_eq!(decoded.trim_start_matches('\u{feff}'), text);
        }
        assert!(decode_utf16(b"plain", path).unwrap().is_none());
    }

    #[test]
    fn nul_in_the_head_is_binary_and_later_is_not() {
        assert!(check_not_binary(b"ab\0cd", Path::new("b")).is_err());
        let mut late = vec![b'a'; BINARY_SNIFF_BYTES];
        late.push(0);
        assert!(check_not_binary(&late, Path::new("b")).is_ok());
        assert!(check_not_binary(b"", Path::new("b")).is_ok());
    }

    #[test]
    fn gzip_read_errors_are_named() {
        let eof = io::Error::new(io::ErrorKind::UnexpectedEof, "eof");
        let path = Path::new("a.gz");
        assert!(matches!(
            read_error(path, true, eof),
            IngestError::Truncated { .. }
        ));
        let bad = io::Error::new(io::ErrorKind::InvalidInput, "corrupt deflate stream");
        let err = read_error(path, true, bad).to_string();
        assert_eq!(err, "a.gz: corrupt gzip stream: corrupt deflate stream");
        let plain = io::Error::new(io::ErrorKind::UnexpectedEof, "eof");
        assert!(matches!(
            read_error(path, false, plain),
            IngestError::Io { .. }
        ));
    }
}
