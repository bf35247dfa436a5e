//! The index schema: the only place that knows field names. [`build_schema`] builds it and
//! [`Fields`] hands every other module typed field handles, so a field is renamed in one line.
//!
//! One tantivy document is one passage. Article-level values (title, path, date, hash) are
//! repeated on each of its passages: that keeps every query a single-document match and lets an
//! article be replaced by deleting one `article_id` term. Company facets are
//! `/company/<path>`: `company_facet` and `company_path` are the only code that knows it.

use tantivy::schema::{
    DateOptions, Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::Index;

use crate::model::CompanyPath;

/// Bumped whenever the schema or the meaning of a field changes; an index of another version
/// must be rebuilt.
pub const SCHEMA_VERSION: u32 = 2;

/// graf's English analyzer: words split on non-alphanumerics, lower-cased, accents folded
/// (Nestlé = Nestle), the 33 stop words of Lucene's English analyzer dropped, Snowball English
/// stemming. tantivy stores only its name, so [`register_analyzers`] must run on every open.
pub(crate) const STEMMED: &str = "graf_en";

/// The analyzer of the [`WORDS`] field: words as written, lower-cased and accent-folded, not
/// stemmed and with stop words kept, so that a prefix query (`compan*`) finds every word that
/// starts with what was typed ("company", "companies", "companion"), which the stems
/// ("compani") cannot promise.
pub(crate) const UNSTEMMED: &str = "graf_words";

/// Lucene's English stop words: dropping them keeps long natural-language queries from being
/// dominated by "the" and "of" (and measured better on the IR collections, see README).
const STOP_WORDS: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Registers graf's analyzers on an index (created or opened).
pub fn register_analyzers(index: &Index) {
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(STOP_WORDS.map(String::from)))
        .filter(Stemmer::new(Language::English))
        .build();
    index.tokenizers().register(STEMMED, analyzer);
    index.tokenizers().register(UNSTEMMED, unstemmed_analyzer());
}

/// The [`UNSTEMMED`] analyzer.
pub(crate) fn unstemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub(crate) const TEXT: &str = "text";
pub(crate) const CONTEXT: &str = "context";
pub(crate) const TITLE: &str = "title";
pub(crate) const SECTION: &str = "section";
pub(crate) const ARTICLE_ID: &str = "article_id";
pub const PATH: &str = "path";
pub const SOURCE: &str = "source";
pub const ORDINAL: &str = "ordinal";
pub(crate) const LINE: &str = "line";
pub(crate) const SPAN_START: &str = "span_start";
pub(crate) const SPAN_END: &str = "span_end";
pub(crate) const COMPANY: &str = "company";
pub const DATE: &str = "date";
pub(crate) const HASH: &str = "article_hash";
pub(crate) const KIND: &str = "kind";
pub const WORDS: &str = "words";

/// Root of the company facets: `/company/Amazon/AWS`.
pub(crate) const COMPANY_ROOT: &str = "company";

/// The facet of a company path: `/company/Amazon/AWS`. The one place that builds one.
pub(crate) fn company_facet(path: &CompanyPath) -> Facet {
    Facet::from_path(std::iter::once(COMPANY_ROOT).chain(path.0.iter().map(String::as_str)))
}

/// The company path of a `/company/...` facet; `None` for the root and other facets.
pub(crate) fn company_path(facet: &Facet) -> Option<CompanyPath> {
    let segments = facet.to_path();
    match segments.split_first() {
        Some((&root, rest)) if root == COMPANY_ROOT && !rest.is_empty() => {
            Some(CompanyPath::new(rest.iter().copied()))
        }
        _ => None,
    }
}

/// Handles to every field of the schema.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Passage text: stemmed, with positions for phrase queries, stored for display.
    pub text: Field,
    /// The lead-in line of a list item; searchable at a lower weight than the item's text.
    pub context: Field,
    pub title: Field,
    /// The heading path, joined with " › ".
    pub section: Field,
    /// Untokenized article id: the upsert key and the `--article` filter.
    pub article_id: Field,
    pub path: Field,
    pub source: Field,
    pub ordinal: Field,
    pub line: Field,
    pub span_start: Field,
    pub span_end: Field,
    pub company: Field,
    pub date: Field,
    /// Content hash of the article as read, for incremental ingest.
    pub hash: Field,
    /// `paragraph` or `list_item`.
    pub kind: Field,
    /// The unstemmed words of the passage text, lead-in, title and section, for prefix
    /// queries: indexed without frequencies or positions (a prefix match scores as a constant)
    /// and not stored, which keeps its cost to a term dictionary and doc-id lists.
    pub words: Field,
}

/// Builds the schema and the handles to its fields.
pub fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let stemmed = |positions: bool| {
        let record = if positions {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(STEMMED)
                    .set_index_option(record),
            )
            .set_stored()
    };
    let stored_u64 = NumericOptions::default().set_stored();
    let fields = Fields {
        text: builder.add_text_field(TEXT, stemmed(true)),
        context: builder.add_text_field(CONTEXT, stemmed(true)),
        title: builder.add_text_field(TITLE, stemmed(true)),
        section: builder.add_text_field(SECTION, stemmed(true)),
        article_id: builder.add_text_field(ARTICLE_ID, STRING | STORED | FAST),
        path: builder.add_text_field(PATH, STRING | STORED | FAST),
        source: builder.add_text_field(SOURCE, STRING | STORED),
        ordinal: builder.add_u64_field(ORDINAL, stored_u64.clone().set_indexed().set_fast()),
        line: builder.add_u64_field(LINE, stored_u64.clone()),
        span_start: builder.add_u64_field(SPAN_START, stored_u64.clone()),
        span_end: builder.add_u64_field(SPAN_END, stored_u64),
        company: builder.add_facet_field(COMPANY, FacetOptions::default().set_stored()),
        date: builder.add_date_field(
            DATE,
            DateOptions::default().set_indexed().set_fast().set_stored(),
        ),
        hash: builder.add_u64_field(HASH, NumericOptions::default().set_fast()),
        kind: builder.add_text_field(KIND, STRING | STORED),
        words: builder.add_text_field(
            WORDS,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(UNSTEMMED)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
    };
    (builder.build(), fields)
}

/// Looks the handles up in an existing index's schema; `None` when a field is missing, which
/// means the index was not built by this version of graf.
pub(crate) fn fields_of(schema: &Schema) -> Option<Fields> {
    let get = |name: &str| schema.get_field(name).ok();
    Some(Fields {
        text: get(TEXT)?,
        context: get(CONTEXT)?,
        title: get(TITLE)?,
        section: get(SECTION)?,
        article_id: get(ARTICLE_ID)?,
        path: get(PATH)?,
        source: get(SOURCE)?,
        ordinal: get(ORDINAL)?,
        line: get(LINE)?,
        span_start: get(SPAN_START)?,
        span_end: get(SPAN_END)?,
        company: get(COMPANY)?,
        date: get(DATE)?,
        hash: get(HASH)?,
        kind: get(KIND)?,
        words: get(WORDS)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_finds_every_field_of_a_built_schema() {
        let (schema, built) = build_schema();
        let found = fields_of(&schema).expect("all fields present");
        assert_eq!(found.text, built.text);
        assert_eq!(found.kind, built.kind);
    }

    #[test]
    fn fields_of_rejects_a_foreign_schema() {
        let mut builder = Schema::builder();
        builder.add_text_field("body", tantivy::schema::TEXT);
        assert!(fields_of(&builder.build()).is_none());
    }
}
