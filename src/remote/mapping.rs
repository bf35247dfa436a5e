//! The remote index's settings and mapping: the one place that knows how a graf passage is
//! stored in OpenSearch, field by field, and how graf's English analyzer is spelled there.
//!
//! * `text`, `context`, `title`, `section`: graf's analyzer rebuilt from OpenSearch's parts
//!   (words split on anything that is not a letter or digit, as tantivy's `SimpleTokenizer`,
//!   tokens of 40 bytes or more dropped, lower case, ASCII folding, Lucene's 33 English stop
//!   words, Snowball English stemming), so that a query finds the same passages locally and
//!   remotely. The built-in `english` analyzer is close but not the same (standard tokenizer,
//!   possessive filter, Porter rather than Snowball stemmer).
//! * `company`: the facet paths (`Amazon/AWS`) as keywords, with a sub-field `company.tree`
//!   tokenised by `path_hierarchy` into the path and its ancestors (`Amazon`, `Amazon/AWS`):
//!   a term filter on `Amazon` finds AWS passages too, and a terms aggregation on it counts a
//!   passage once per company and once per parent, as the local facet tree does. The tree
//!   needs fielddata for that aggregation; it is small (a few names per passage).
//! * ids, path, source, kind, hash: keywords; `date`: a day; line, ordinal, span: integers.
//!
//! `_meta.graf_schema` marks an index graf created, so that a push never writes into a
//! foreign index.

use serde_json::{json, Value};

/// Bumped when the remote mapping changes meaning; a push into an index of another version
/// is refused with a hint to push into a new name.
pub const REMOTE_SCHEMA: u64 = 1;

/// Settings and mappings for `PUT /index`.
pub(crate) fn index_body(shards: u32, replicas: u32) -> Value {
    json!({
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
            },
            "analysis": analysis(),
        },
        "mappings": mappings(),
    })
}

fn analysis() -> Value {
    json!({
        "tokenizer": {
            "graf_words": {"type": "pattern", "pattern": "[^\\p{IsAlphabetic}\\p{N}]+"},
            "graf_company_path": {"type": "path_hierarchy", "delimiter": "/"},
        },
        "filter": {
            "graf_long": {"type": "length", "max": 39},
            "graf_stop": {"type": "stop", "stopwords": "_english_"},
            "graf_stem": {"type": "snowball", "language": "English"},
        },
        "analyzer": {
            "graf_en": {
                "type": "custom",
                "tokenizer": "graf_words",
                "filter": ["graf_long", "lowercase", "asciifolding", "graf_stop", "graf_stem"],
            },
            "graf_company": {"type": "custom", "tokenizer": "graf_company_path"},
        },
    })
}

fn mappings() -> Value {
    let text = json!({"type": "text", "analyzer": "graf_en"});
    let keyword = json!({"type": "keyword"});
    let integer = json!({"type": "integer"});
    json!({
        "dynamic": "strict",
        "_meta": {"graf_schema": REMOTE_SCHEMA},
        "properties": {
            "text": text,
            "context": text,
            "title": text,
            "section": text,
            "article_id": keyword,
            "path": keyword,
            "source": keyword,
            "kind": keyword,
            "article_hash": keyword,
            "ordinal": integer,
            "line": integer,
            "span_start": {"type": "integer", "index": false},
            "span_end": {"type": "integer", "index": false},
            "date": {"type": "date", "format": "yyyy-MM-dd"},
            "company": {
                "type": "keyword",
                "fields": {
                    "tree": {
                        "type": "text",
                        "analyzer": "graf_company",
                        "search_analyzer": "keyword",
                        "fielddata": true,
                    },
                },
            },
        },
    })
}

/// The graf schema version an existing index's mapping (`GET /index/_mapping` answer for that
/// index) declares, `None` for an index graf did not create.
pub(crate) fn schema_of(mapping: &Value) -> Option<u64> {
    mapping["mappings"]["_meta"]["graf_schema"].as_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_searched_field_uses_grafs_analyzer() {
        let body = index_body(2, 1);
        let properties = &body["mappings"]["properties"];
        for field in ["text", "context", "title", "section"] {
            assert_eq!(properties[field]["analyzer"], "graf_en", "{field}");
        }
        let analyzer = &body["settings"]["analysis"]["analyzer"]["graf_en"];
        let filters: Vec<&str> = analyzer["filter"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        // Folding before stop words and stemming, as graf's own analyzer does.
        assert_eq!(
            filters,
            [
                "graf_long",
                "lowercase",
                "asciifolding",
                "graf_stop",
                "graf_stem"
            ]
        );
    }

    #[test]
    fn companies_are_hierarchical_keywords() {
        let body = index_body(1, 0);
        let company = &body["mappings"]["properties"]["company"];
        assert_eq!(company["type"], "keyword");
        assert_eq!(company["fields"]["tree"]["analyzer"], "graf_company");
        assert_eq!(company["fields"]["tree"]["search_analyzer"], "keyword");
        let tokenizer = &body["settings"]["analysis"]["tokenizer"]["graf_company_path"];
        assert_eq!(tokenizer["type"], "path_hierarchy");
        assert_eq!(tokenizer["delimiter"], "/");
    }

    #[test]
    fn shards_replicas_and_the_graf_marker() {
        let body = index_body(3, 2);
        assert_eq!(body["settings"]["index"]["number_of_shards"], 3);
        assert_eq!(body["settings"]["index"]["number_of_replicas"], 2);
        assert_eq!(body["mappings"]["dynamic"], "strict");
        let answer = json!({"mappings": body["mappings"].clone()});
        assert_eq!(schema_of(&answer), Some(REMOTE_SCHEMA));
        assert_eq!(schema_of(&json!({"mappings": {}})), None);
    }
}
