//! JSON Lines files: one article per line, streamed through a buffered reader (never read
//! whole), fields picked by a [`FieldMap`]. A bad line is an `Err` for that record and
//! reading goes on; a read failure (a damaged gzip stream) is a last `Err`.

use std::io::{BufRead, Read};
use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::model::{Metadata, SourceDoc};

use super::decode::{self, Source, MAX_ARTICLE_BYTES};
use super::{FieldMap, FoundFile, IngestError};

type Record = Map<String, Value>;

/// The articles of one JSON Lines file, in line order.
pub(crate) struct JsonLines {
    source: Source,
    path: PathBuf,
    key: String,
    fields: FieldMap,
    /// 1-based number of the line last read.
    line: u64,
    buffer: Vec<u8>,
    done: bool,
    /// Longest record read; [`MAX_ARTICLE_BYTES`] but for tests.
    max_record_bytes: u64,
}

impl JsonLines {
    pub(crate) fn new(file: &FoundFile, source: Source, fields: FieldMap) -> Self {
        JsonLines {
            source,
            path: file.path.clone(),
            key: file.key.clone(),
            fields,
            line: 0,
            buffer: Vec::new(),
            done: false,
            max_record_bytes: MAX_ARTICLE_BYTES,
        }
    }

    /// Reads the next line into `buffer`; `Ok(false)` at the end of the file. A line longer
    /// than the record limit is skipped to its end and reported.
    fn read_line(&mut self) -> Result<bool, IngestError> {
        self.buffer.clear();
        let limit = self.max_record_bytes + 1;
        let read = (&mut self.source.reader)
            .take(limit)
            .read_until(b'\n', &mut self.buffer)
            .map_err(|err| decode::read_error(&self.path, self.source.gzip, err))?;
        if read == 0 {
            return Ok(false);
        }
        self.line += 1;
        if self.buffer.len() as u64 >= limit && self.buffer.last() != Some(&b'\n') {
            self.buffer.clear();
            self.skip_rest_of_line()?;
            return Err(IngestError::TooLarge {
                path: self.path.clone(),
                line: Some(self.line),
                limit: self.max_record_bytes,
            });
        }
        Ok(true)
    }

    fn skip_rest_of_line(&mut self) -> Result<(), IngestError> {
        loop {
            let chunk = self
                .source
                .reader
                .fill_buf()
                .map_err(|err| decode::read_error(&self.path, self.source.gzip, err))?;
            if chunk.is_empty() {
                return Ok(());
            }
            let (used, found) = match chunk.iter().position(|&byte| byte == b'\n') {
                Some(end) => (end + 1, true),
                None => (chunk.len(), false),
            };
            self.source.reader.consume(used);
            if found {
                return Ok(());
            }
        }
    }

    /// The article on the line in `buffer`, `None` for a blank line.
    fn parse_line(&mut self) -> Option<Result<SourceDoc, IngestError>> {
        let mut bytes = std::mem::take(&mut self.buffer);
        trim_line_end(&mut bytes);
        if self.line == 1 && bytes.starts_with(b"\xef\xbb\xbf") {
            bytes.drain(..3);
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        let line = self.line;
        Some(
            decode::decode_utf8(bytes, &self.path, Some(line))
                .and_then(|text| self.parse_record(&text, line))
                .and_then(|record| self.article(record, line)),
        )
    }

    fn parse_record(&self, text: &str, line: u64) -> Result<Record, IngestError> {
        let json_error = |message: String| IngestError::Json {
            path: self.path.clone(),
            line,
            message,
        };
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(record)) => Ok(record),
            Ok(other) => Err(json_error(format!(
                "expected an object, found {}",
                kind_of(&other)
            ))),
            Err(err) => Err(json_error(json_message(&err))),
        }
    }

    /// Builds the article from one record, taking its fields as the [`FieldMap`] says.
    fn article(&self, mut record: Record, line: u64) -> Result<SourceDoc, IngestError> {
        let text = self.take_text(&mut record, line);
        let meta = self.metadata(&record, line)?;
        // A record with a title and no body is a headline: an article all the same.
        let text = match text {
            Err(IngestError::MissingField { .. }) if meta.title.is_some() => String::new(),
            text => text?,
        };
        let key = if meta.id.is_some() {
            self.key.clone()
        } else {
            format!("{}#{line}", self.key)
        };
        Ok(SourceDoc {
            path: self.path.clone(),
            key,
            record_line: Some(u32::try_from(line).unwrap_or(u32::MAX)),
            format: super::FileFormat::JsonLines.text_format(),
            text,
            meta,
        })
    }

    /// The body: the first of the text fields present and not null. A string is taken as
    /// is; an array of strings is read as paragraphs. Missing is an error unless the record
    /// has a title (see [`Self::article`]).
    fn take_text(&self, record: &mut Record, line: u64) -> Result<String, IngestError> {
        let found = self
            .fields
            .text
            .iter()
            .find_map(|name| Some(name).zip(record.remove(name).filter(|v| !v.is_null())));
        let Some((name, value)) = found else {
            return Err(IngestError::MissingField {
                path: self.path.clone(),
                line,
                field: self.fields.text_names(),
            });
        };
        match value {
            Value::String(text) => Ok(text),
            Value::Array(parts) if parts.iter().all(Value::is_string) => {
                let parts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
                Ok(parts.join("\n\n"))
            }
            other => Err(self.bad_field(line, name, &other, "a string")),
        }
    }

    fn metadata(&self, record: &Record, line: u64) -> Result<Metadata, IngestError> {
        let fields = &self.fields;
        let scalar = |name: &String| -> Result<Option<String>, IngestError> {
            match record.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => scalar_text(value)
                    .map(|text| Some(text).filter(|text| !text.trim().is_empty()))
                    .ok_or_else(|| self.bad_field(line, name, value, "a string or number")),
            }
        };
        Ok(Metadata {
            id: scalar(&fields.id)?,
            title: scalar(&fields.title)?,
            date: scalar(&fields.date)?,
            source: scalar(&fields.source)?,
            author: scalar(&fields.author)?,
            url: scalar(&fields.url)?,
            companies: self.companies(record, line)?,
            extra: record
                .iter()
                .filter(|(name, _)| !fields.is_mapped(name))
                .filter_map(|(name, value)| Some((name.to_lowercase(), scalar_text(value)?)))
                .collect(),
        })
    }

    /// Companies: an array of strings, or one comma-separated string.
    fn companies(&self, record: &Record, line: u64) -> Result<Vec<String>, IngestError> {
        let name = &self.fields.companies;
        let names: Vec<String> = match record.get(name) {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::String(list)) => list.split(',').map(String::from).collect(),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
            Some(other) => {
                return Err(self.bad_field(line, name, other, "a list of strings"));
            }
        };
        Ok(names
            .into_iter()
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty())
            .collect())
    }

    fn bad_field(&self, line: u64, name: &str, value: &Value, wanted: &str) -> IngestError {
        IngestError::BadField {
            path: self.path.clone(),
            line,
            field: name.to_string(),
            message: format!("should be {wanted}, found {}", kind_of(value)),
        }
    }
}

impl Iterator for JsonLines {
    type Item = Result<SourceDoc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.read_line() {
                Ok(true) => {
                    if let Some(article) = self.parse_line() {
                        return Some(article);
                    }
                }
                Ok(false) => self.done = true,
                Err(err @ IngestError::TooLarge { .. }) => return Some(Err(err)),
                Err(err) => {
                    // The stream itself failed: nothing after this point can be trusted.
                    self.done = true;
                    return Some(Err(err));
                }
            }
        }
        None
    }
}

fn trim_line_end(bytes: &mut Vec<u8>) {
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
}

/// A scalar as text (numbers and booleans as written); `None` for arrays, objects, null.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message with its "at line 1 column 40" made "at column 40": the line is the
/// record's, already named by the error.
fn json_message(err: &serde_json::Error) -> String {
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    match full.strip_suffix(&suffix) {
        Some(message) if err.line() == 1 => format!("{message} at column {}", err.column()),
        _ => full,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;
    use std::sync::Arc;

    use super::*;
    use crate::ingest::FileFormat;

    fn lines(input: &[u8]) -> JsonLines {
        let file = FoundFile {
            path: "mem.jsonl".into(),
            key: "mem.jsonl".into(),
            format: FileFormat::JsonLines,
            gzip: false,
            size: input.len() as u64,
        };
        let source = Source {
            reader: Box::new(Cursor::new(input.to_vec())),
            gzip: false,
            consumed: Arc::default(),
            decoded: Arc::default(),
        };
        JsonLines::new(&file, source, FieldMap::default())
    }

    fn outcomes(lines: JsonLines) -> Vec<String> {
        lines
            .map(|result| match result {
                Ok(doc) => format!("{} {:?}: {}", doc.key, doc.record_line, doc.text),
                Err(err) => err.to_string(),
            })
            .collect()
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let input = b"\xef\xbb\xbf{\"text\": \"a\"}\n\n  \t\n{\"text\": \"b\", \"id\": 9}";
        assert_eq!(
            outcomes(lines(input)),
            ["mem.jsonl#1 Some(1): a", "mem.jsonl Some(4): b"]
        );
    }

    #[test]
    fn an_overlong_record_is_skipped_and_reading_goes_on() {
        let mut reader = lines(b"{\"text\": \"far too long\"}\n{\"text\": \"ok\"}\n");
        reader.max_record_bytes = 16;
        assert_eq!(
            outcomes(reader),
            [
                "mem.jsonl:1: larger than 16 bytes, skipped",
                "mem.jsonl#2 Some(2): ok"
            ]
        );
    }

    #[test]
    fn json_errors_name_the_column_not_serde_s_line() {
        let out = outcomes(lines(b"{\"text\": tru}\n\"just a string\"\nnull"));
        assert_eq!(
            out,
            [
                "mem.jsonl:1: invalid JSON: expected ident at column 13",
                "mem.jsonl:2: invalid JSON: expected an object, found a string",
                "mem.jsonl:3: invalid JSON: expected an object, found null",
            ]
        );
    }

    #[test]
    fn null_and_empty_values_are_absent_but_empty_text_is_an_article() {
        let out: Vec<SourceDoc> =
            lines(b"{\"text\": null, \"body\": \"\", \"title\": \" \", \"id\": null}")
                .flatten()
                .collect();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].text, "");
        assert_eq!(out[0].meta.title, None);
        assert_eq!(out[0].key, "mem.jsonl#1");
    }

    #[test]
    fn scalar_fields_must_be_scalars() {
        let out = outcomes(lines(b"{\"text\": \"t\", \"title\": [\"x\"]}"));
        assert_eq!(
            out,
            ["mem.jsonl:1: field `title` should be a string or number, found an array"]
        );
    }
}
