//! Reads the query set of an evaluation: JSON Lines, one `{"id": ..., "text": ...}` object per
//! line. Ids may be strings or numbers (collections export both) and are handed on as strings
//! so they compare equal to the query ids of the TREC judgments. Other fields are ignored.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use serde::Deserialize;

use super::EvalError;

/// One query to run: its id (as written in the judgments) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub id: String,
    pub text: String,
}

/// The wire shape of a query line; kept apart from [`Query`] so the id's two spellings stop here.
#[derive(Deserialize)]
struct QueryLine {
    id: QueryId,
    text: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum QueryId {
    Text(String),
    Number(serde_json::Number),
}

impl QueryId {
    fn into_string(self) -> String {
        match self {
            QueryId::Text(text) => text.trim().to_owned(),
            QueryId::Number(number) => number.to_string(),
        }
    }
}

/// Reads every query of a JSON Lines file, in file order; blank lines are skipped.
///
/// Fails, naming `file:line`, on a line that is not a query object, an empty id, or an id seen
/// before (running it twice would weigh it twice in the means).
pub fn read_queries(path: &Path) -> Result<Vec<Query>, EvalError> {
    parse_queries(super::open(path)?, path)
}

/// [`read_queries`] over any reader; `path` only labels errors.
pub(crate) fn parse_queries(reader: impl BufRead, path: &Path) -> Result<Vec<Query>, EvalError> {
    let mut queries = Vec::new();
    let mut first_line_of_id: HashMap<String, usize> = HashMap::new();
    for line in super::numbered_lines(reader, path) {
        let (line_no, line) = line?;
        let query = parse_query_line(&line, path, line_no)?;
        if let Some(first) = first_line_of_id.insert(query.id.clone(), line_no) {
            let reason = format!("duplicate query id {:?} (first at line {first})", query.id);
            return Err(invalid(path, line_no, reason));
        }
        queries.push(query);
    }
    Ok(queries)
}

fn parse_query_line(line: &str, path: &Path, line_no: usize) -> Result<Query, EvalError> {
    let wire: QueryLine = serde_json::from_str(line).map_err(|source| EvalError::QueryJson {
        path: path.to_path_buf(),
        line: line_no,
        source,
    })?;
    let id = wire.id.into_string();
    if id.is_empty() {
        return Err(invalid(path, line_no, "empty query id".to_owned()));
    }
    Ok(Query {
        id,
        text: wire.text,
    })
}

fn invalid(path: &Path, line: usize, reason: String) -> EvalError {
    EvalError::Invalid {
        path: path.to_path_buf(),
        line,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Query>, EvalError> {
        parse_queries(text.as_bytes(), Path::new("q.jsonl"))
    }

    #[test]
    fn reads_string_and_number_ids_and_ignores_other_fields() {
        let text = "{\"id\": \"a7\", \"text\": \"solar wind\"}\n\n\
                    {\"id\": 12, \"orig_id\": \"x\", \"text\": \"tidal power\"}\r\n";
        let queries = parse(text).unwrap();
        assert_eq!(
            queries,
            vec![
                Query {
                    id: "a7".into(),
                    text: "solar wind".into()
                },
                Query {
                    id: "12".into(),
                    text: "tidal power".into()
                },
            ]
        );
    }

    #[test]
    fn bad_json_names_file_and_line() {
        let err = parse("{\"id\": 1, \"text\": \"ok\"}\n{\"id\": 2}\n").unwrap_err();
        assert!(matches!(err, EvalError::QueryJson { line: 2, .. }));
        assert!(err.to_string().starts_with("q.jsonl:2: "), "{err}");
    }

    #[test]
    fn rejects_empty_and_duplicate_ids() {
        let err = parse("{\"id\": \" \", \"text\": \"t\"}").unwrap_err();
        assert_eq!(err.to_string(), "q.jsonl:1: empty query id");
        let err =
            parse("{\"id\": 3, \"text\": \"t\"}\n{\"id\": \"3\", \"text\": \"u\"}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "q.jsonl:2: duplicate query id \"3\" (first at line 1)"
        );
    }

    #[test]
    fn missing_file_is_an_open_error() {
        let err = read_queries(Path::new("/nonexistent/q.jsonl")).unwrap_err();
        assert!(matches!(err, EvalError::Open { .. }));
    }
}
