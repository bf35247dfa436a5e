//! Errors as people read them: the library's message, which says what happened and where,
//! followed by the next step, naming the graf command, option or shell command to run; and
//! search notes with their hints. The CLI prints these on stderr; the server sends the same
//! text to its clients.

use std::path::Path;

use crate::error::QueryHint;
use crate::pipeline::Remedy;
use crate::remote::RemoteError;
use crate::search::Note;
use crate::Error;

/// The message of `err` with its hint, as graf shows it.
pub(crate) fn message(err: &Error) -> String {
    match err {
        // Said in the words of the two options that do not go together.
        Error::ExpansionNeedsLocalIndex => "bad query: --expand is not available with --remote \
             (hint: query expansion reads term statistics of a local index; search without \
             --expand)"
            .to_string(),
        _ => with_hint(err.to_string(), hint(err)),
    }
}

/// The message of any error of a chain, with its hint when it is one of graf's errors.
pub fn message_of(err: &(dyn std::error::Error + 'static)) -> String {
    if let Some(err) = err.downcast_ref::<Error>() {
        return message(err);
    }
    if let Some(err) = err.downcast_ref::<RemoteError>() {
        return with_hint(err.to_string(), remote_hint(err));
    }
    err.to_string()
}

fn with_hint(mut text: String, hint: Option<String>) -> String {
    text.extend(hint);
    text
}

/// What to do about `err`, worded to follow its message (`: run …`, `; rebuild it with …`);
/// `None` for errors whose message already says it.
pub(crate) fn hint(err: &Error) -> Option<String> {
    let hint = match err {
        Error::IndexMissing { path } => {
            let path = path.display();
            format!(": create one with `graf ingest [PATH...] --index {path}`")
        }
        Error::IndexLocked { .. } => {
            " by another `graf ingest` (or merge); wait for it to finish".to_string()
        }
        Error::SchemaVersion { path, .. } => format!(": run {}", rebuild(path)),
        Error::Sidecar { path, .. } => format!("; rebuild it with {}", rebuild(path)),
        Error::Unreadable { path, .. } => format!(
            "; its owner can share the index with `chmod -R a+rX {}`",
            path.display()
        ),
        Error::NotAnIndexToReplace { .. } => "; --rebuild replaces only an index".to_string(),
        Error::Query {
            hint: Some(hint), ..
        } if hint.text().is_none() => format!(" (hint: {})", query_hint(hint)),
        Error::UnknownCompany { suggestions, .. } if suggestions.is_empty() => {
            "; `graf companies` lists the companies it knows".to_string()
        }
        Error::Damaged { path, .. } => format!(
            ": rebuild it from the sources with `graf ingest --rebuild PATH... --index {}`",
            path.display()
        ),
        Error::Remote(err) => return remote_hint(err),
        _ => return None,
    };
    Some(hint)
}

/// What to do about a cluster's error, worded like [`hint`].
pub(crate) fn remote_hint(err: &RemoteError) -> Option<String> {
    match err {
        RemoteError::IndexMissing { url, index } => {
            Some(format!(": create it with `graf push {url} --into {index}`"))
        }
        RemoteError::ForeignIndex { .. } => {
            Some("; push into another name with --into".to_string())
        }
        RemoteError::OtherSchema { .. } => Some("; push into a new name with --into".to_string()),
        _ => None,
    }
}

/// What to change about a query: the library's advice, or the options that help.
pub fn query_hint(hint: &QueryHint) -> &str {
    match hint {
        QueryHint::Text(text) => text,
        QueryHint::WordsOrFilter => {
            "give words to search for, or a filter such as --company, --source, --article, --since"
        }
        QueryHint::AtLeastOneWord => {
            "type at least one word, or filter with --company/--article/--source"
        }
        QueryHint::AddATerm => {
            "add a term to search for, or filter with --company/--article/--source"
        }
        QueryHint::QueryLanguage => "see `graf search --help` for the query language",
    }
}

/// A search note as graf shows it: its text, then its hint in parentheses.
pub fn note(note: &Note) -> String {
    match &note.hint {
        Some(hint) => format!("{} ({})", note.text, query_hint(hint)),
        None => note.text.clone(),
    }
}

/// The command that settles a problem an ingest reported, worded to follow its message.
pub fn remedy(remedy: Remedy) -> &'static str {
    match remedy {
        Remedy::RebuildToRetag => "; run `graf ingest --rebuild` to re-tag everything",
        Remedy::ReplaceOrRename => {
            " (`graf ingest --replace` replaces it; give the files distinct ids, or ingest them \
             from a common parent directory, to keep both)"
        }
    }
}

fn rebuild(path: &Path) -> String {
    format!("`graf ingest --rebuild --index {}`", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_hint_follows_the_message_and_names_the_command() {
        let err = Error::SchemaVersion {
            path: PathBuf::from("idx"),
            found: 1,
            expected: 2,
        };
        assert_eq!(
            message(&err),
            "the index at idx was built with schema version 1; this graf writes version 2: \
             run `graf ingest --rebuild --index idx`"
        );
        let unknown = |suggestions: Vec<String>| Error::UnknownCompany {
            name: "Nvidea".into(),
            suggestions,
        };
        assert!(message(&unknown(vec![])).ends_with("lists the companies it knows"));
        assert_eq!(hint(&unknown(vec!["Nvidia".into()])), None);
        let missing = RemoteError::IndexMissing {
            url: "http://h:9200".into(),
            index: "news".into(),
        };
        assert_eq!(
            message_of(&missing),
            "no index \"news\" on http://h:9200: create it with `graf push http://h:9200 --into news`"
        );
    }

    #[test]
    fn the_options_that_help_are_named_here_not_in_the_library() {
        let empty = Error::query("the query is empty", Some(QueryHint::WordsOrFilter));
        assert_eq!(empty.to_string(), "bad query: the query is empty");
        assert_eq!(
            message(&empty),
            "bad query: the query is empty (hint: give words to search for, or a filter such as \
             --company, --source, --article, --since)"
        );
        let quote = Error::query("unbalanced quote", Some(QueryHint::Text("close it".into())));
        assert_eq!(
            message(&quote),
            "bad query: unbalanced quote (hint: close it)"
        );
        assert_eq!(
            message(&Error::ExpansionNeedsLocalIndex),
            "bad query: --expand is not available with --remote (hint: query expansion reads \
             term statistics of a local index; search without --expand)"
        );
        let occupied = Error::NotAnIndexToReplace {
            path: PathBuf::from("notes"),
        };
        assert_eq!(
            message(&occupied),
            "notes is not a graf index (it holds no tantivy index): it holds files but no index; \
             --rebuild replaces only an index"
        );
        let other = RemoteError::OtherSchema {
            index: "news".into(),
            found: 2,
            expected: 1,
        };
        assert_eq!(
            message_of(&other),
            "OpenSearch refused a push into \"news\" (HTTP 409): it was created by another graf \
             with remote schema 2 (this graf writes 1); push into a new name with --into"
        );
        let fallback = Note {
            text: "cannot parse the query (x): searched as plain words".into(),
            hint: Some(QueryHint::QueryLanguage),
        };
        assert_eq!(
            note(&fallback),
            "cannot parse the query (x): searched as plain words (see `graf search --help` for \
             the query language)"
        );
    }
}
