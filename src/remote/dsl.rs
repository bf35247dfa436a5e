//! graf's query language and filters in OpenSearch's query DSL.
//!
//! The query string is first checked by graf's own parser ([`crate::search::query::parse`] on
//! an empty in-memory index), so a remote search accepts, rejects and notes exactly what a local
//! one does (`--strict` errors, the plain-words fallback, stop-word notes). Then tantivy's query
//! grammar, the public AST the local parser is built on, is walked and each node written as
//! DSL that scores as tantivy does:
//!
//! * a word or `"phrase"~slop` becomes `match_phrase` on `text`, `title`, `section` and
//!   `context` with graf's field boosts (1, 0.5, 0.3, 0.3), summed in a `bool` `should` as
//!   tantivy sums its per-field term queries; a `field:` scopes it to one field; a word typed
//!   n times weighs n times (a boost, the same as n clauses under BM25's sum);
//! * `train*` becomes `match_phrase_prefix` (analysed, as tantivy analyses prefix terms);
//! * `AND`/`+` → `must`, `NOT`/`-` → `must_not`, the rest → `should` (OR by default);
//! * filters (`--company` through `company.tree`, so parents include subsidiaries; `--source`,
//!   `--article`, `--since/--until`) go into the `bool` `filter` clause and never score.

use std::collections::HashMap;

use serde_json::{json, Value};
use tantivy::query::Occur;
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputBound, UserInputLeaf};

use crate::dates::format_day;
use crate::error::Result;
use crate::indexer::GrafIndex;
use crate::search::query::{plain_words, CONTEXT_BOOST, SECTION_BOOST, TEXT_BOOST, TITLE_BOOST};
use crate::search::{Note, SearchRequest, SortBy};

/// The searched fields and their weights when a term names no field.
const DEFAULT_FIELDS: [(&str, f32); 4] = [
    ("text", TEXT_BOOST),
    ("title", TITLE_BOOST),
    ("section", SECTION_BOOST),
    ("context", CONTEXT_BOOST),
];

/// Unicode private-use characters that mark highlights in OpenSearch's answer; they never
/// occur in segmented text worth highlighting, and are stripped from the text they mark.
pub const HIGHLIGHT_START: char = '\u{E000}';
pub const HIGHLIGHT_END: char = '\u{E001}';

/// The scoring query for the request's text (without `company:` terms) and the notes a local
/// search would print. An empty text with a filter matches everything.
pub(crate) fn text_query(request: &SearchRequest) -> Result<(Value, Vec<Note>)> {
    if request.matches_all()? {
        return Ok((json!({"match_all": {}}), Vec::new()));
    }
    let text = &request.query;
    let graf = GrafIndex::create_in_ram();
    let parsed = crate::search::query::parse(
        graf.index(),
        &graf.fields(),
        text,
        request.strict,
        crate::search::query::TITLE_BOOST,
    )?;
    let notes: Vec<Note> = parsed.note.into_iter().collect();
    // A note means the local parser searched the plain words instead of the string.
    let searched = if notes.is_empty() {
        text.to_string()
    } else {
        plain_words(text).join(" ")
    };
    Ok((translate_text(&searched), notes))
}

/// Translates a query string the local parser accepted (or its plain words).
pub(crate) fn translate_text(text: &str) -> Value {
    match query_grammar::parse_query(text) {
        Ok(ast) => {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for word in text.split_whitespace() {
                *counts.entry(word).or_default() += 1;
            }
            top_level(&ast, &counts)
        }
        // Only reached for text the local parser accepted through its own fallback.
        Err(_) => words_query(&plain_words(text)),
    }
}

/// Plain words, each in every searched field, any of them.
fn words_query(words: &[String]) -> Value {
    let should: Vec<Value> = words
        .iter()
        .map(|word| fields_query(None, word, 0, false, 1.0))
        .collect();
    json!({"bool": {"should": should}})
}

/// The top level counts repeated plain words, as the local parser does.
fn top_level(ast: &UserInputAst, counts: &HashMap<&str, usize>) -> Value {
    let UserInputAst::Clause(clauses) = ast else {
        return node(ast, 1.0);
    };
    let weighted = clauses.iter().map(|(occur, clause)| {
        let times = match occur {
            None | Some(Occur::Should) => repeats(clause, counts),
            _ => 1,
        };
        (*occur, node(clause, times as f64))
    });
    boolean(weighted)
}

fn repeats(clause: &UserInputAst, counts: &HashMap<&str, usize>) -> usize {
    let UserInputAst::Leaf(leaf) = clause else {
        return 1;
    };
    let UserInputLeaf::Literal(literal) = leaf.as_ref() else {
        return 1;
    };
    let plain =
        literal.field_name.is_none() && literal.delimiter == Delimiter::None && !literal.prefix;
    let times = counts.get(literal.phrase.as_str()).copied().unwrap_or(1);
    if plain {
        times.max(1)
    } else {
        1
    }
}

fn node(ast: &UserInputAst, boost: f64) -> Value {
    match ast {
        UserInputAst::Clause(clauses) => boolean(
            clauses
                .iter()
                .map(|(occur, clause)| (*occur, node(clause, boost))),
        ),
        UserInputAst::Boost(inner, factor) => node(inner, boost * factor.into_inner()),
        UserInputAst::Leaf(leaf) => self::leaf(leaf, boost),
    }
}

fn boolean(clauses: impl Iterator<Item = (Option<Occur>, Value)>) -> Value {
    let (mut must, mut should, mut must_not) = (Vec::new(), Vec::new(), Vec::new());
    for (occur, query) in clauses {
        match occur {
            Some(Occur::Must) => must.push(query),
            Some(Occur::MustNot) => must_not.push(query),
            None | Some(Occur::Should) => should.push(query),
        }
    }
    let mut bool = serde_json::Map::new();
    for (name, list) in [("must", must), ("should", should), ("must_not", must_not)] {
        if !list.is_empty() {
            bool.insert(name.to_string(), Value::Array(list));
        }
    }
    json!({ "bool": bool })
}

fn leaf(leaf: &UserInputLeaf, boost: f64) -> Value {
    match leaf {
        UserInputLeaf::Literal(literal) => {
            // The grammar keeps a bare `train*` as the word "train*"; graf reads it as a prefix.
            let (phrase, prefix) = match literal.phrase.strip_suffix('*') {
                Some(stem) if literal.delimiter == Delimiter::None && !stem.is_empty() => {
                    (stem, true)
                }
                _ => (literal.phrase.as_str(), literal.prefix),
            };
            fields_query(
                literal.field_name.as_deref(),
                phrase,
                literal.slop,
                prefix,
                boost,
            )
        }
        UserInputLeaf::All => json!({"match_all": {}}),
        UserInputLeaf::Range {
            field,
            lower,
            upper,
        } => {
            let mut range = serde_json::Map::new();
            for (bound, inclusive, exclusive) in [(lower, "gte", "gt"), (upper, "lte", "lt")] {
                match bound {
                    UserInputBound::Inclusive(v) => range.insert(inclusive.into(), json!(v)),
                    UserInputBound::Exclusive(v) => range.insert(exclusive.into(), json!(v)),
                    UserInputBound::Unbounded => None,
                };
            }
            json!({"range": { field.as_deref().unwrap_or("text"): range }})
        }
        UserInputLeaf::Set { field, elements } => boolean(
            elements
                .iter()
                .map(|e| (None, fields_query(field.as_deref(), e, 0, false, boost))),
        ),
        UserInputLeaf::Exists { field } => json!({"exists": {"field": field}}),
        UserInputLeaf::Regex { field, pattern } => {
            json!({"regexp": { field.as_deref().unwrap_or("text"): {"value": pattern} }})
        }
    }
}

/// A word, phrase or prefix on one field or on every searched field, weighted.
fn fields_query(field: Option<&str>, phrase: &str, slop: u32, prefix: bool, boost: f64) -> Value {
    let fields: Vec<(&str, f32)> = match field {
        Some(name) => vec![(
            name,
            DEFAULT_FIELDS
                .iter()
                .find(|(f, _)| *f == name)
                .map_or(1.0, |(_, b)| *b),
        )],
        None => DEFAULT_FIELDS.to_vec(),
    };
    let mut per_field: Vec<Value> = fields
        .into_iter()
        .map(|(name, weight)| {
            let boost = round(f64::from(weight) * boost);
            if prefix {
                json!({"match_phrase_prefix": {name: {"query": phrase, "boost": boost}}})
            } else {
                json!({"match_phrase": {name: {"query": phrase, "slop": slop, "boost": boost}}})
            }
        })
        .collect();
    if per_field.len() == 1 {
        return per_field.remove(0);
    }
    json!({"bool": {"should": per_field}})
}

/// f32 boosts widened to f64 print as 0.30000001192092896; keep the JSON readable.
fn round(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// The filter clauses of a request (companies already resolved to paths).
pub fn filters(request: &SearchRequest) -> Vec<Value> {
    let mut filters = Vec::new();
    let companies: Vec<Value> = request
        .companies
        .iter()
        .map(|path| json!({"term": {"company.tree": path.to_string()}}))
        .collect();
    if request.any_company && !companies.is_empty() {
        filters.push(json!({"bool": {"should": companies}}));
    } else {
        filters.extend(companies);
    }
    if !request.sources.is_empty() {
        filters.push(json!({"terms": {"source": request.sources}}));
    }
    if let Some(article) = &request.article {
        filters.push(json!({"term": {"article_id": article}}));
    }
    if request.since.is_some() || request.until.is_some() {
        let mut range = serde_json::Map::new();
        if let Some(since) = request.since {
            range.insert("gte".into(), json!(format_day(since)));
        }
        if let Some(until) = request.until {
            range.insert("lte".into(), json!(format_day(until)));
        }
        filters.push(json!({"range": {"date": range}}));
    }
    filters
}

/// The query with its filters: the text query scores, the filters only restrict.
pub fn filtered(text: Value, filters: Vec<Value>) -> Value {
    if filters.is_empty() {
        return text;
    }
    json!({"bool": {"must": [text], "filter": filters}})
}

/// The order of hits: relevance (ties broken by article and position, so pages are stable)
/// or article date, newest first, undated last.
pub fn sort(sort: SortBy) -> Value {
    let first = match sort {
        SortBy::Score => json!("_score"),
        SortBy::Date => json!({"date": {"order": "desc", "missing": "_last"}}),
    };
    json!([first, {"article_id": "asc"}, {"ordinal": "asc"}])
}

/// Highlights in the passage text of the words typed (not of the filters), whole passages
/// (a passage is at most 2,000 characters), marked with private-use characters.
pub fn highlight(text_query: &Value) -> Value {
    json!({
        "type": "unified",
        "pre_tags": [HIGHLIGHT_START.to_string()],
        "post_tags": [HIGHLIGHT_END.to_string()],
        "highlight_query": text_query,
        "fields": {"text": {"number_of_fragments": 0}},
    })
}

/// The company facet aggregation: each passage counts once per company and once per parent.
pub(crate) fn facet_aggregation() -> Value {
    json!({"terms": {"field": "company.tree", "size": 65536}})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CompanyPath;

    fn should_fields(query: &Value) -> Vec<String> {
        query["bool"]["should"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                q["match_phrase"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .next()
                    .unwrap()
                    .clone()
            })
            .collect()
    }

    #[test]
    fn a_word_is_searched_in_four_fields_with_grafs_boosts() {
        let query = translate_text("chips");
        assert_eq!(
            should_fields(&query),
            ["text", "title", "section", "context"]
        );
        assert_eq!(
            query["bool"]["should"][1]["match_phrase"]["title"]["boost"],
            0.5
        );
        assert_eq!(
            query["bool"]["should"][3]["match_phrase"]["context"]["boost"],
            0.3
        );
    }

    #[test]
    fn operators_become_must_should_and_must_not() {
        let query = translate_text("chips AND cloud -river");
        let bool = &query["bool"];
        // `a AND b` is one clause that must hold (a lone `should` beside `must_not` is
        // required in OpenSearch), holding both words as `must`.
        assert_eq!(bool["should"].as_array().unwrap().len(), 1);
        assert_eq!(
            bool["should"][0]["bool"]["must"].as_array().unwrap().len(),
            2
        );
        assert_eq!(bool["must_not"].as_array().unwrap().len(), 1);
        assert!(bool.get("must").is_none());
        let query = translate_text("+chips cloud");
        assert_eq!(query["bool"]["must"].as_array().unwrap().len(), 1);
        assert_eq!(query["bool"]["should"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn phrases_keep_their_slop_and_fields_their_scope() {
        let query = translate_text("\"custom chips\"~2 title:earnings");
        let clauses = query["bool"]["should"].as_array().unwrap();
        let phrase = &clauses[0]["bool"]["should"][0]["match_phrase"]["text"];
        assert_eq!(phrase["query"], "custom chips");
        assert_eq!(phrase["slop"], 2);
        assert_eq!(clauses[1]["match_phrase"]["title"]["query"], "earnings");
        assert_eq!(clauses[1]["match_phrase"]["title"]["boost"], 0.5);
    }

    #[test]
    fn a_prefix_is_an_analysed_phrase_prefix() {
        let query = translate_text("train*");
        assert_eq!(
            query["bool"]["should"][0]["match_phrase_prefix"]["text"]["query"],
            "train"
        );
    }

    #[test]
    fn a_repeated_word_weighs_as_often_as_typed() {
        let query = translate_text("chips cloud chips");
        let text_boosts: Vec<f64> = query["bool"]["should"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                q["bool"]["should"][0]["match_phrase"]["text"]["boost"]
                    .as_f64()
                    .unwrap()
            })
            .collect();
        let total: f64 = text_boosts.iter().sum();
        assert_eq!(total, 3.0, "{text_boosts:?}");
    }

    #[test]
    fn the_local_parser_decides_notes_and_errors() {
        let request = |query: &str, strict: bool| SearchRequest {
            query: query.to_string(),
            strict,
            ..SearchRequest::default()
        };
        let (_, notes) = text_query(&request("amazon \"chips", false)).unwrap();
        assert!(notes[0].text.contains("unbalanced quote"), "{notes:?}");
        assert!(text_query(&request("amazon \"chips", true)).is_err());
        assert!(text_query(&request("", false)).is_err());
        let filtered = SearchRequest {
            article: Some("a.txt".into()),
            ..request("", false)
        };
        let (all, _) = text_query(&filtered).unwrap();
        assert_eq!(all, json!({"match_all": {}}));
    }

    #[test]
    fn filters_use_the_company_tree_dates_sources_and_article() {
        let request = SearchRequest {
            companies: vec![CompanyPath::new(["Amazon"]), CompanyPath::new(["Nvidia"])],
            sources: vec!["Wire".into()],
            article: Some("a.txt".into()),
            since: crate::dates::parse_date("2025-01-01"),
            until: crate::dates::parse_date("2025-12-31"),
            ..SearchRequest::default()
        };
        let filters = filters(&request);
        assert_eq!(filters[0], json!({"term": {"company.tree": "Amazon"}}));
        assert_eq!(filters[1], json!({"term": {"company.tree": "Nvidia"}}));
        assert_eq!(filters[2], json!({"terms": {"source": ["Wire"]}}));
        assert_eq!(filters[3], json!({"term": {"article_id": "a.txt"}}));
        assert_eq!(
            filters[4],
            json!({"range": {"date": {"gte": "2025-01-01", "lte": "2025-12-31"}}})
        );
        let any = super::filters(&SearchRequest {
            any_company: true,
            ..request
        });
        assert_eq!(any[0]["bool"]["should"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn date_order_puts_undated_passages_last() {
        assert_eq!(sort(SortBy::Date)[0]["date"]["missing"], "_last");
        assert_eq!(sort(SortBy::Score)[0], "_score");
    }
}
