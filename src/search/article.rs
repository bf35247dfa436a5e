//! Article evidence: passage scores that also weigh how well the passage's whole article
//! matches the query. A passage ranked by its own BM25 alone lets a short passage that merely
//! repeats a query word beat the passages of an article that is about the query; mixing in the
//! article's BM25 ranks the best passage of the most relevant article first.
//!
//! The final score of a passage `p` of article `a` is `(1 - w) · bm25(p) + w · bm25(a)`, where
//! `bm25(p)` is tantivy's score of the parsed query (text, title, section and lead-in fields
//! with their boosts) and `bm25(a)` is BM25 of the query's words over the article as one
//! document: its title and the text of all its passages, with the article's length against
//! the average article length (k1 1.2, b 0.75, as Lucene), and each word's passage-level idf
//! (the index holds passages; counting articles per word would need a second index).
//! `w` is [`ARTICLE_WEIGHT`]; README "Ranking quality" says how it was chosen. With query
//! expansion (`--expand`) the weight is 0: RM3 already draws on the best passages, and with
//! both the med collection fell below Lucene + RM3 (nDCG@10 0.718 against 0.728 without).
//!
//! This is a re-ranking: tantivy finds the best [`POOL`] passages (or as many as the page
//! needs, when more) by their own score with its fast top-k search, and only those are scored
//! again. An article's passages are found as the run of neighbouring documents that carry its
//! id: the indexer adds an article's passages in one batch, so they are consecutive in one
//! segment. In an index built otherwise the run covers only part of the article, and so does
//! its evidence: ranking degrades, results stay correct.

use std::collections::BTreeMap;
use std::ops::Range;

use tantivy::columnar::StrColumn;
use tantivy::postings::Postings;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Searcher, SegmentReader, TantivyError, Term, TERMINATED};

use crate::error::Result;
use crate::schema::{Fields, ARTICLE_ID};

use super::query::Repeated;

/// Share of the article's BM25 in a passage's score (see the module docs), chosen by
/// leave-one-collection-out cross-validation (`scripts/ranking-cv.py`, README).
pub const ARTICLE_WEIGHT: f32 = 0.7;

/// Passages re-scored at least, whatever the page size. A speed/quality trade: fetching the
/// top 100 instead of 50 by passage score changed nDCG@10 of a first page of 10 by less than
/// 0.001 on each IR collection (cisi 0.3845 against 0.3854, the others within 0.0005) but
/// cost p99 5.5–6 ms instead of 4.3–4.7 ms in `cargo bench --bench latency` (BENCHMARKS.md).
pub const POOL: usize = 50;

/// BM25 parameters of the article score: Lucene's defaults, as tantivy uses for passages.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// The longest run of passages read as one article, on each side of a hit: bounds the work
/// per hit in an article of thousands of passages (a whole book), whose evidence then comes
/// from the passages around the hit (up to 401, some 40,000 words: a chapter, not the book).
/// News articles and the IR collections' documents are far shorter, so their evidence is the
/// whole article; on the Gutenberg index, 2,000 instead of 200 cost p99 6.2 ms instead of
/// 4.9 ms in `cargo bench --bench latency` (BENCHMARKS.md).
const MAX_REACH: u32 = 200;

/// One word of the query as the article score sees it.
struct Word {
    text: Term,
    title: Term,
    /// Times typed × idf.
    weight: f32,
}

/// What re-scoring needs from the query and the index, computed once per search.
pub struct ArticleEvidence {
    weight: f32,
    words: Vec<Word>,
    average_length: f32,
    fields: Fields,
}

impl ArticleEvidence {
    /// Evidence for `query` (the parsed text query, before expansion) with article weight
    /// `weight`; `None` when it would change nothing (no weight, no word of the text field).
    pub fn new(
        searcher: &Searcher,
        fields: &Fields,
        query: &dyn Query,
        weight: f32,
    ) -> Result<Option<Self>> {
        if weight <= 0.0 {
            return Ok(None);
        }
        let counts = text_words(query, fields.text);
        if counts.is_empty() {
            return Ok(None);
        }
        let passages = searcher.num_docs().max(1) as f32;
        let mut words = Vec::with_capacity(counts.len());
        for (text, times) in counts {
            let df = searcher.doc_freq(&text)? as f32;
            let idf = (1.0 + (passages - df + 0.5) / (df + 0.5)).ln();
            let word = text.value().as_str().unwrap_or_default().to_string();
            let title = Term::from_field_text(fields.title, &word);
            words.push(Word {
                text,
                title,
                weight: times as f32 * idf,
            });
        }
        Ok(Some(ArticleEvidence {
            weight,
            words,
            average_length: average_article_length(searcher, fields)?,
            fields: *fields,
        }))
    }

    /// Share of the article score in the mix.
    pub fn weight(&self) -> f32 {
        self.weight
    }

    /// How many passages to fetch to serve `wanted` of them re-scored.
    pub fn pool(wanted: usize) -> usize {
        wanted.max(POOL)
    }

    /// Re-scores `ranked` (passage scores) with their articles' evidence and sorts it best
    /// first; equal scores keep index order.
    pub fn rescore(&self, searcher: &Searcher, ranked: &mut [(f32, DocAddress)]) -> Result<()> {
        let mut by_segment: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, (_, address)) in ranked.iter().enumerate() {
            by_segment.entry(address.segment_ord).or_default().push(i);
        }
        for (segment_ord, hits) in by_segment {
            let reader = searcher.segment_reader(segment_ord);
            let docs: Vec<DocId> = hits.iter().map(|&i| ranked[i].1.doc_id).collect();
            let articles = self.article_scores(reader, &docs)?;
            for (&i, article) in hits.iter().zip(articles) {
                let passage = ranked[i].0;
                ranked[i].0 = (1.0 - self.weight) * passage + self.weight * article;
            }
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(())
    }

    /// The article score of each of `docs` (passages of one segment).
    fn article_scores(&self, reader: &SegmentReader, docs: &[DocId]) -> Result<Vec<f32>> {
        let Some(ids) = reader.fast_fields().str(ARTICLE_ID)? else {
            return Ok(vec![0.0; docs.len()]);
        };
        let mut runs: Vec<Range<DocId>> = Vec::new();
        let mut run_of_doc = Vec::with_capacity(docs.len());
        for &doc in docs {
            let known = runs.iter().position(|run| run.contains(&doc));
            let index = known.unwrap_or_else(|| {
                runs.push(article_run(&ids, doc, reader.max_doc()));
                runs.len() - 1
            });
            run_of_doc.push(index);
        }
        let scores = self.score_runs(reader, &runs)?;
        Ok(run_of_doc.into_iter().map(|run| scores[run]).collect())
    }

    /// BM25 of each run of passages read as one article.
    fn score_runs(&self, reader: &SegmentReader, runs: &[Range<DocId>]) -> Result<Vec<f32>> {
        let alive = |doc: DocId| reader.alive_bitset().is_none_or(|set| set.is_alive(doc));
        let text_norms = reader.get_fieldnorms_reader(self.fields.text)?;
        let title_norms = reader.get_fieldnorms_reader(self.fields.title)?;
        // The first live passage carries the article's title (every passage does).
        let heads: Vec<Option<DocId>> = runs
            .iter()
            .map(|run| run.clone().find(|&doc| alive(doc)))
            .collect();
        let lengths: Vec<f32> = runs
            .iter()
            .zip(&heads)
            .map(|(run, head)| {
                let text: u32 = run
                    .clone()
                    .filter(|&doc| alive(doc))
                    .map(|doc| text_norms.fieldnorm(doc))
                    .sum();
                let title = head.map_or(0, |doc| title_norms.fieldnorm(doc));
                (text + title) as f32
            })
            .collect();
        // Runs are visited in document order so that each word's postings are read forward.
        let mut order: Vec<usize> = (0..runs.len()).collect();
        order.sort_by_key(|&i| runs[i].start);
        let text_index = reader.inverted_index(self.fields.text)?;
        let title_index = reader.inverted_index(self.fields.title)?;
        let mut scores = vec![0.0; runs.len()];
        for word in &self.words {
            let mut frequencies = vec![0u32; runs.len()];
            if let Some(mut postings) = text_index
                .read_postings(&word.text, IndexRecordOption::WithFreqs)
                .map_err(TantivyError::from)?
            {
                for &i in &order {
                    frequencies[i] += frequency_in(&mut postings, runs[i].clone(), &alive);
                }
            }
            if let Some(mut postings) = title_index
                .read_postings(&word.title, IndexRecordOption::WithFreqs)
                .map_err(TantivyError::from)?
            {
                for &i in &order {
                    if let Some(head) = heads[i] {
                        frequencies[i] += frequency_in(&mut postings, head..head + 1, &alive);
                    }
                }
            }
            for (i, &tf) in frequencies.iter().enumerate() {
                scores[i] += word.weight * saturate(tf as f32, lengths[i], self.average_length);
            }
        }
        Ok(scores)
    }
}

/// BM25's term-frequency part for `tf` occurrences in a document of `length` words.
fn saturate(tf: f32, length: f32, average_length: f32) -> f32 {
    if tf == 0.0 {
        return 0.0;
    }
    let norm = K1 * (1.0 - B + B * length / average_length.max(1.0));
    tf * (K1 + 1.0) / (tf + norm)
}

/// Occurrences in the live documents of `run`; `postings` only moves forward.
fn frequency_in<P: Postings>(
    postings: &mut P,
    run: Range<DocId>,
    alive: &impl Fn(DocId) -> bool,
) -> u32 {
    if postings.doc() < run.start {
        postings.seek(run.start);
    }
    let mut tf = 0;
    while postings.doc() != TERMINATED && postings.doc() < run.end {
        if alive(postings.doc()) {
            tf += postings.term_freq();
        }
        postings.advance();
    }
    tf
}

/// The documents around `doc` that carry its article id, at most [`MAX_REACH`] on each side.
/// The passages of an article are consecutive, so each edge of the run is found by binary
/// search (about 2 × 11 id lookups) rather than by walking a book's thousands of passages.
fn article_run(ids: &StrColumn, doc: DocId, max_doc: DocId) -> Range<DocId> {
    let id = |d: DocId| ids.term_ords(d).next();
    let own = id(doc);
    let start = first_where(doc.saturating_sub(MAX_REACH)..doc, |d| id(d) == own);
    let last = (doc + 1 + MAX_REACH).min(max_doc);
    let end = first_where(doc + 1..last, |d| id(d) != own);
    start..end
}

/// The first document of `range` for which `holds` is true, or `range.end` when none is;
/// `holds` must be false then true along the range (a partition point).
fn first_where(range: Range<DocId>, holds: impl Fn(DocId) -> bool) -> DocId {
    let (mut low, mut high) = (range.start, range.end);
    while low < high {
        let middle = low + (high - low) / 2;
        if holds(middle) {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    low
}

/// Words of the text field in `query` with the times each was typed; excluded words
/// (`-word`, `NOT word`) are not evidence.
fn text_words(query: &dyn Query, text: Field) -> Vec<(Term, usize)> {
    let mut counts: Vec<(Term, usize)> = Vec::new();
    let mut add = |term: &Term| {
        if term.field() != text {
            return;
        }
        match counts.iter_mut().find(|(known, _)| known == term) {
            Some((_, times)) => *times += 1,
            None => counts.push((term.clone(), 1)),
        }
    };
    visit_wanted(query, &mut add);
    counts
}

fn visit_wanted(query: &dyn Query, visit: &mut dyn FnMut(&Term)) {
    if let Some(repeated) = query.downcast_ref::<Repeated>() {
        for _ in 0..repeated.times {
            visit_wanted(repeated.query.as_ref(), visit);
        }
        return;
    }
    match query.downcast_ref::<BooleanQuery>() {
        Some(boolean) => {
            for (occur, clause) in boolean.clauses() {
                if *occur != Occur::MustNot {
                    visit_wanted(clause.as_ref(), visit);
                }
            }
        }
        None => query.query_terms(&mut |term, _| visit(term)),
    }
}

/// Average article length in words (text and title): all text over the number of articles
/// (passages numbered 0), plus the average title.
fn average_article_length(searcher: &Searcher, fields: &Fields) -> Result<f32> {
    let mut text_words = 0u64;
    let mut title_words = 0u64;
    for reader in searcher.segment_readers() {
        text_words += reader.inverted_index(fields.text)?.total_num_tokens();
        title_words += reader.inverted_index(fields.title)?.total_num_tokens();
    }
    let passages = searcher.num_docs().max(1) as f32;
    let articles = searcher
        .doc_freq(&Term::from_field_u64(fields.ordinal, 0))?
        .max(1) as f32;
    Ok(text_words as f32 / articles + title_words as f32 / passages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_document_where_a_partition_holds_is_found() {
        assert_eq!(first_where(0..10, |d| d >= 4), 4);
        assert_eq!(first_where(0..10, |_| true), 0);
        assert_eq!(first_where(0..10, |_| false), 10);
        assert_eq!(first_where(5..5, |_| true), 5);
    }

    #[test]
    fn saturation_grows_with_frequency_and_shrinks_with_length() {
        assert_eq!(saturate(0.0, 10.0, 10.0), 0.0);
        assert!(saturate(2.0, 10.0, 10.0) > saturate(1.0, 10.0, 10.0));
        assert!(saturate(1.0, 5.0, 10.0) > saturate(1.0, 20.0, 10.0));
        assert!(saturate(1000.0, 10.0, 10.0) < K1 + 1.0);
    }
}
