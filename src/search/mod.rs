//! Search: what the user asked for ([`SearchRequest`]) in, ranked passages ([`SearchResults`])
//! out. Owns the query language (see [`query`]), the filters (company facets, source, dates,
//! article), BM25 ranking or date order, per-article limits, snippets with highlights,
//! neighbouring passages and facet counts. Company names arrive already resolved to paths.

pub(crate) mod article;
pub(crate) mod browse;
pub mod expand;
pub mod facets;
pub mod listing;
pub(crate) mod long_query;
pub mod query;

pub use query::{split_company_terms, SplitQuery};

use std::collections::HashMap;
use std::ops::Bound;
use std::time::{Duration, Instant};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EnableScoring, Explanation, Occur, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenStream;
use tantivy::DocSet;
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument, Term};
use time::OffsetDateTime;

use crate::error::{Error, QueryHint, Result};
use crate::indexer::GrafIndex;
use crate::model::{CompanyPath, FacetNode, Hit, Neighbour, Snippet};
use crate::schema::{Fields, DATE};
use article::ArticleEvidence;

/// The most scoring clauses ranked by block-max WAND: one word, searched in four fields. Longer
/// queries score every match (see `Ranker::exhaustive`). Measured on the Gutenberg bench index
/// (BENCHMARKS.md, "Pasted paragraphs"), scoring every match was as fast for one word and faster from
/// two words on (p99 over the latency bench's queries 1.8 ms against 3.3 ms; 10 words 7.7
/// against 13.6 ms; 1 KB pasted 36 ms against 710 ms); WAND is kept for one word, where on a
/// much larger index it can skip most of a long posting list.
const WAND_MAX_CLAUSES: usize = 4;

/// The longest passage the segmenter makes; snippets of this length show a passage whole.
const SNIPPET_CHARS: usize = 2_000;

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// BM25 relevance, best first (newest first when there is no query text).
    #[default]
    Score,
    /// Article date, newest first; passages without a date come last.
    Date,
}

/// The constants of relevance ranking. The defaults are graf's, chosen by cross-validation on
/// the IR collections (README, Ranking quality); `graf eval` may override them to sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ranking {
    /// Weight of the article title against the passage text (1.0).
    pub title_boost: f32,
    /// Share of the article's BM25 in a passage's score (`article`).
    pub article_weight: f32,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            title_boost: query::TITLE_BOOST,
            article_weight: article::ARTICLE_WEIGHT,
        }
    }
}

/// Everything a search needs, resolved and validated.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchRequest {
    /// The query text, without `company:` terms; may be empty when a filter is given.
    pub query: String,
    /// Company facets a passage must carry: all of them, or any with `any_company`.
    pub companies: Vec<CompanyPath>,
    pub any_company: bool,
    /// Sources a passage's article must come from (any of them).
    pub sources: Vec<String>,
    pub since: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    pub article: Option<String>,
    pub limit: usize,
    pub offset: usize,
    /// At most this many passages per article.
    pub per_article: Option<usize>,
    /// Neighbouring passages to show before and after each hit.
    pub context: usize,
    pub sort: SortBy,
    pub facets: bool,
    pub explain: bool,
    /// A query that does not parse is an error instead of a bag of words.
    pub strict: bool,
    /// Expand the query with pseudo-relevance feedback (RM3).
    pub expand: Option<expand::Expansion>,
    pub ranking: Ranking,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            companies: Vec::new(),
            any_company: false,
            sources: Vec::new(),
            since: None,
            until: None,
            article: None,
            limit: 10,
            offset: 0,
            per_article: None,
            context: 0,
            sort: SortBy::Score,
            facets: false,
            explain: false,
            strict: false,
            expand: None,
            ranking: Ranking::default(),
        }
    }
}

impl SearchRequest {
    /// The request with its counts cut to what an index of `passages` passages can return:
    /// `-n 18446744073709551615` asks for every passage, and must neither allocate room for
    /// that many hits nor overflow `offset + limit`.
    fn bounded_by(&self, passages: u64) -> SearchRequest {
        let most = usize::try_from(passages).unwrap_or(usize::MAX).max(1);
        SearchRequest {
            limit: self.limit.min(most),
            offset: self.offset.min(most),
            per_article: self.per_article.map(|n| n.min(most)),
            context: self.context.min(most),
            ..self.clone()
        }
    }

    /// Whether a filter narrows the search: a company, a source, a date or an article.
    pub(crate) fn has_filter(&self) -> bool {
        !self.companies.is_empty()
            || !self.sources.is_empty()
            || self.since.is_some()
            || self.until.is_some()
            || self.article.is_some()
    }

    /// Whether the query has no words, so that it matches every passage the filters let
    /// through; an error when there is no filter either.
    pub(crate) fn matches_all(&self) -> Result<bool> {
        if !self.query.trim().is_empty() {
            return Ok(false);
        }
        if !self.has_filter() {
            return Err(Error::query(
                "the query is empty",
                Some(QueryHint::WordsOrFilter),
            ));
        }
        Ok(true)
    }

    /// The order of the results: by score, unless there are no words to score (then newest
    /// first).
    pub(crate) fn order(&self) -> SortBy {
        match (self.sort, self.query.trim().is_empty()) {
            (SortBy::Score, true) => SortBy::Date,
            (sort, _) => sort,
        }
    }
}

/// The page of hits and what is known about the whole result set.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// Matching passages in all (before paging and per-article limits).
    pub total: usize,
    /// Company counts over all matching passages (with `facets`).
    pub facets: Option<Vec<FacetNode>>,
    /// Things the user should know, such as a query read as plain words.
    pub notes: Vec<Note>,
    pub elapsed: Duration,
}

impl SearchResults {
    /// The results of a search that started at `started` (local or remote: both time the
    /// same way).
    pub(crate) fn finished(
        hits: Vec<Hit>,
        total: usize,
        facets: Option<Vec<FacetNode>>,
        notes: Vec<Note>,
        started: Instant,
    ) -> SearchResults {
        SearchResults {
            hits,
            total,
            facets,
            notes,
            elapsed: started.elapsed(),
        }
    }
}

/// Something the user should know about a search, such as a query read as plain words: what
/// happened, and what to do about it where there is something to do (the front end shows the
/// hint after the text: [`crate::render::errors::note`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    pub hint: Option<QueryHint>,
}

impl From<String> for Note {
    fn from(text: String) -> Self {
        Note { text, hint: None }
    }
}

/// Runs a search on `searcher`, a snapshot of `graf`.
pub fn search(
    graf: &GrafIndex,
    searcher: &Searcher,
    request: &SearchRequest,
) -> Result<SearchResults> {
    let started = Instant::now();
    let request = &request.bounded_by(searcher.num_docs());
    let fields = graf.fields();
    let mut notes = Vec::new();
    let (text_query, prefixes) = text_query(graf, searcher, request, &mut notes)?;
    let scoring = match request.expand {
        Some(settings) => expand::expand(
            graf.index(),
            searcher,
            &fields,
            text_query.box_clone(),
            settings,
        )?,
        None => text_query.box_clone(),
    };
    let exhaustive = query::clause_count(&*scoring) > WAND_MAX_CLAUSES;
    let query = with_filters(&fields, scoring, request);
    let sort = request.order();
    let evidence = match (sort, request.expand) {
        (SortBy::Score, None) => ArticleEvidence::new(
            searcher,
            &fields,
            &*text_query,
            request.ranking.article_weight,
        )?,
        _ => None,
    };
    let ranker = Ranker {
        searcher,
        query: &*query,
        sort,
        evidence: evidence.as_ref(),
        exhaustive,
    };
    let (ranked, total) = ranker.rank_and_count(request)?;
    let facets = if request.facets {
        Some(facets::facet_tree(searcher, &*query)?)
    } else {
        None
    };
    let highlight = Highlight {
        query: &*text_query,
        prefixes: &prefixes,
    };
    let hits = build_hits(&ranker, &fields, highlight, &ranked, request)?;
    Ok(SearchResults::finished(hits, total, facets, notes, started))
}

/// The query of the typed words and the word prefixes it holds.
fn text_query(
    graf: &GrafIndex,
    searcher: &Searcher,
    request: &SearchRequest,
    notes: &mut Vec<Note>,
) -> Result<(Box<dyn Query>, Vec<String>)> {
    if request.matches_all()? {
        return Ok((Box::new(AllQuery), Vec::new()));
    }
    let shortened = long_query::shorten(
        searcher,
        graf.index(),
        graf.fields().text,
        &request.query,
        long_query::MAX_TERMS,
    );
    let text = shortened
        .as_ref()
        .map_or(&request.query, |short| &short.text);
    let parsed = query::parse(
        graf.index(),
        &graf.fields(),
        text,
        request.strict,
        request.ranking.title_boost,
    )?;
    notes.extend(shortened.map(|short| short.note.into()));
    notes.extend(parsed.note);
    Ok((parsed.query, parsed.prefixes))
}

/// Adds the filters as clauses that must match but add nothing to the score.
fn with_filters(fields: &Fields, text: Box<dyn Query>, request: &SearchRequest) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    let mut filter = |query: Box<dyn Query>| {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0))));
    };
    let company_terms: Vec<Box<dyn Query>> = request
        .companies
        .iter()
        .map(|path| {
            term_query(Term::from_facet(
                fields.company,
                &crate::schema::company_facet(path),
            ))
        })
        .collect();
    if request.any_company && !company_terms.is_empty() {
        filter(any_of(company_terms));
    } else {
        company_terms.into_iter().for_each(&mut filter);
    }
    if !request.sources.is_empty() {
        let sources = request
            .sources
            .iter()
            .map(|s| term_query(Term::from_field_text(fields.source, s)));
        filter(any_of(sources.collect()));
    }
    if let Some(article) = &request.article {
        filter(term_query(Term::from_field_text(
            fields.article_id,
            article,
        )));
    }
    if request.since.is_some() || request.until.is_some() {
        let bound = |moment: Option<OffsetDateTime>, inclusive: fn(Term) -> Bound<Term>| {
            moment.map_or(Bound::Unbounded, |m| {
                inclusive(Term::from_field_date(fields.date, DateTime::from_utc(m)))
            })
        };
        let (lower, upper) = (
            bound(request.since, Bound::Included),
            bound(request.until, Bound::Included),
        );
        filter(Box::new(RangeQuery::new(lower, upper)));
    }
    if clauses.len() == 1 {
        // No filter: keep the query as parsed, so tantivy can use its fast paths (counting a
        // term query from its document frequency, skipping blocks that cannot make the top k).
        return clauses.remove(0).1;
    }
    Box::new(BooleanQuery::new(clauses))
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// How the matching passages are put in order: by score (re-scored with article evidence when
/// there is some) or by date.
struct Ranker<'a> {
    searcher: &'a Searcher,
    query: &'a dyn Query,
    sort: SortBy,
    evidence: Option<&'a ArticleEvidence>,
    /// Rank by scoring every match rather than by block-max WAND: true for a query of more
    /// than [`WAND_MAX_CLAUSES`] scoring clauses. WAND re-sorts its clauses at every step, so
    /// with the hundreds of a pasted paragraph it is far slower than plain scoring.
    exhaustive: bool,
}

impl Ranker<'_> {
    /// The page and the total number of matches. A phrase costs the same to evaluate for
    /// counting as for ranking, and so does a query of many words (see [`Ranker::exhaustive`]),
    /// so those do both in one pass; other queries count and rank in two passes, where tantivy
    /// counts a term from its document frequency and ranks the top k skipping blocks that
    /// cannot make it, which one combined pass would forbid.
    fn rank_and_count(&self, request: &SearchRequest) -> Result<(Vec<(f32, DocAddress)>, usize)> {
        let one_pass = (request.query.contains('"') || self.exhaustive)
            && self.sort == SortBy::Score
            && request.per_article.is_none()
            && request.limit > 0;
        if one_pass {
            let wanted = request.offset + request.limit;
            let pool = self
                .evidence
                .map_or(wanted, |_| ArticleEvidence::pool(wanted));
            let top = TopDocs::with_limit(pool);
            let (ranked, total) = if self.exhaustive {
                let top = top.tweak_score(score_as_is);
                self.searcher.search(self.query, &(top, Count))?
            } else {
                self.searcher
                    .search(self.query, &(top.order_by_score(), Count))?
            };
            return Ok((self.page(ranked, request.limit, request.offset)?, total));
        }
        let total = self.searcher.search(self.query, &Count)?;
        Ok((self.rank(request)?, total))
    }

    /// The passages `top` asks for, best first: by tantivy's block-max WAND, or by scoring
    /// every match when the query has too many clauses for it (see [`Ranker::exhaustive`]).
    fn best(&self, top: TopDocs) -> Result<Vec<(f32, DocAddress)>> {
        Ok(if self.exhaustive {
            self.searcher
                .search(self.query, &top.tweak_score(score_as_is))?
        } else {
            self.searcher.search(self.query, &top.order_by_score())?
        })
    }

    /// The page of (score, address) pairs, honouring sort, paging and the per-article limit.
    fn rank(&self, request: &SearchRequest) -> Result<Vec<(f32, DocAddress)>> {
        let Some(per_article) = request.per_article else {
            return self.top(request.limit, request.offset);
        };
        let wanted = request.offset + request.limit;
        let mut window = wanted.max(1) * 4;
        loop {
            let candidates = self.top(window, 0)?;
            let kept = limit_per_article(self.searcher, &candidates, per_article)?;
            if kept.len() >= wanted || candidates.len() < window {
                return Ok(kept
                    .into_iter()
                    .skip(request.offset)
                    .take(request.limit)
                    .collect());
            }
            window *= 4;
        }
    }

    fn top(&self, limit: usize, offset: usize) -> Result<Vec<(f32, DocAddress)>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        if self.sort == SortBy::Score && self.evidence.is_some() {
            // Re-scoring can lift any passage of the pool onto the page, so the pool is
            // fetched whole and paged after.
            let pool = ArticleEvidence::pool(offset + limit);
            let ranked = self.best(TopDocs::with_limit(pool))?;
            return self.page(ranked, limit, offset);
        }
        let top = TopDocs::with_limit(limit).and_offset(offset);
        Ok(match self.sort {
            SortBy::Score => self.best(top)?,
            SortBy::Date => {
                let page: Vec<DocAddress> = self
                    .searcher
                    .search(
                        self.query,
                        &top.order_by_fast_field::<DateTime>(DATE, Order::Desc),
                    )?
                    .into_iter()
                    .map(|(_, address)| address)
                    .collect();
                scores_of(self.searcher, self.query, page)?
            }
        })
    }

    /// Re-scores a pool of passages ranked by their own score, then cuts the page out of it.
    fn page(
        &self,
        mut ranked: Vec<(f32, DocAddress)>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<(f32, DocAddress)>> {
        if let Some(evidence) = self.evidence {
            evidence.rescore(self.searcher, &mut ranked)?;
        }
        Ok(ranked.into_iter().skip(offset).take(limit).collect())
    }
}

/// A passage's own score as its sort key: ranking through tantivy's custom-score path, which
/// scores every match instead of skipping blocks.
fn score_as_is(_: &tantivy::SegmentReader) -> impl Fn(tantivy::DocId, f32) -> f32 {
    |_, score| score
}

/// The relevance scores of a page ordered by something else (date): each hit shows how well
/// it matches, as with the default order, rather than a placeholder.
fn scores_of(
    searcher: &Searcher,
    query: &dyn Query,
    page: Vec<DocAddress>,
) -> Result<Vec<(f32, DocAddress)>> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut wanted = page.clone();
    wanted.sort();
    let mut scores = std::collections::HashMap::with_capacity(wanted.len());
    for group in wanted.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let segment = searcher.segment_reader(group[0].segment_ord);
        let mut scorer = weight.scorer(segment, 1.0)?;
        for address in group {
            // Advance rather than seek: tantivy's unions seek their parts without checking
            // where each stands, which trips a debug assertion.
            while scorer.doc() < address.doc_id && scorer.advance() != tantivy::TERMINATED {}
            if scorer.doc() == address.doc_id {
                scores.insert(*address, scorer.score());
            }
        }
    }
    Ok(page
        .into_iter()
        .map(|address| (scores.get(&address).copied().unwrap_or(0.0), address))
        .collect())
}

fn limit_per_article(
    searcher: &Searcher,
    ranked: &[(f32, DocAddress)],
    per_article: usize,
) -> Result<Vec<(f32, DocAddress)>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut kept = Vec::new();
    for &(score, address) in ranked {
        let id = article_id_of(searcher, address)?;
        let count = seen.entry(id).or_default();
        if *count < per_article {
            *count += 1;
            kept.push((score, address));
        }
    }
    Ok(kept)
}

fn article_id_of(searcher: &Searcher, address: DocAddress) -> Result<String> {
    let segment = searcher.segment_reader(address.segment_ord);
    let mut id = String::new();
    if let Some(ids) = segment.fast_fields().str(crate::schema::ARTICLE_ID)? {
        if let Some(ord) = ids.term_ords(address.doc_id).next() {
            ids.ord_to_str(ord, &mut id)
                .map_err(|err| Error::Tantivy(err.into()))?;
        }
    }
    Ok(id)
}

/// What the snippets highlight: the terms of the typed query, and the words starting with one
/// of its prefixes (tantivy highlights no prefix match, tantivy#2576).
#[derive(Clone, Copy)]
struct Highlight<'a> {
    query: &'a dyn Query,
    prefixes: &'a [String],
}

fn build_hits(
    ranker: &Ranker,
    fields: &Fields,
    highlight: Highlight,
    ranked: &[(f32, DocAddress)],
    request: &SearchRequest,
) -> Result<Vec<Hit>> {
    let searcher = ranker.searcher;
    let mut snippets = SnippetGenerator::create(searcher, highlight.query, fields.text)?;
    snippets.set_max_num_chars(SNIPPET_CHARS);
    let mut hits = Vec::with_capacity(ranked.len());
    for (position, &(score, address)) in ranked.iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(address)?;
        let mut hit = hit_from_doc(fields, &doc, request.offset + position + 1, score);
        hit.snippet = snippet(&snippets, &doc, &hit.text);
        highlight_prefixes(&mut hit.snippet, highlight.prefixes);
        if request.context > 0 {
            (hit.before, hit.after) = neighbours(searcher, fields, &hit, request.context)?;
        }
        if request.explain {
            hit.explanation = Some(explain(ranker, address, score)?.to_pretty_json());
        }
        hits.push(hit);
    }
    Ok(hits)
}

/// tantivy's breakdown of the passage score, under the mix with article evidence when there
/// is some.
fn explain(ranker: &Ranker, address: DocAddress, score: f32) -> Result<Explanation> {
    let passage = ranker.query.explain(ranker.searcher, address)?;
    let Some(evidence) = ranker.evidence else {
        return Ok(passage);
    };
    let weight = evidence.weight();
    let article = (score - (1.0 - weight) * passage.value()) / weight;
    let mut mixed = Explanation::new_with_string(
        format!("(1 - {weight}) * passage score + {weight} * article BM25"),
        score,
    );
    mixed.add_detail(passage);
    mixed.add_const(
        "article BM25 (title and all passages as one document)",
        article,
    );
    Ok(mixed)
}

fn snippet(generator: &SnippetGenerator, doc: &TantivyDocument, text: &str) -> Snippet {
    let generated = generator.snippet_from_doc(doc);
    if generated.is_empty() {
        // No query term in the text (a match on title or section, or a filter-only search):
        // show the passage itself.
        return Snippet {
            fragment: text.to_string(),
            start: 0,
            highlights: Vec::new(),
        };
    }
    Snippet {
        fragment: generated.fragment().to_string(),
        start: generated.fragment_range().start,
        highlights: generated.highlighted().to_vec(),
    }
}

/// Adds the words of the snippet that start with one of `prefixes` (folded as the unstemmed
/// field is) to its highlights, merged with tantivy's in order.
fn highlight_prefixes(snippet: &mut Snippet, prefixes: &[String]) {
    if prefixes.is_empty() {
        return;
    }
    let mut ranges = std::mem::take(&mut snippet.highlights);
    crate::schema::unstemmed_analyzer()
        .token_stream(&snippet.fragment)
        .process(&mut |token| {
            if prefixes.iter().any(|prefix| token.text.starts_with(prefix)) {
                ranges.push(token.offset_from..token.offset_to);
            }
        });
    ranges.sort_by_key(|range| (range.start, range.end));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    snippet.highlights = merged;
}

pub(crate) fn hit_from_doc(fields: &Fields, doc: &TantivyDocument, rank: usize, score: f32) -> Hit {
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let number = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0) as u32;
    let companies = crate::indexer::stored_companies(fields, doc);
    Hit {
        rank,
        score,
        article_id: text(fields.article_id).unwrap_or_default(),
        title: text(fields.title),
        section: text(fields.section),
        path: text(fields.path).unwrap_or_default(),
        line: number(fields.line),
        paragraph: number(fields.ordinal),
        date: crate::indexer::stored_day(fields, doc),
        source: text(fields.source),
        companies,
        context: text(fields.context),
        text: text(fields.text).unwrap_or_default(),
        snippet: Snippet::default(),
        before: Vec::new(),
        after: Vec::new(),
        explanation: None,
    }
}

/// The passages within `reach` ordinals of `hit` in the same article, before and after it.
fn neighbours(
    searcher: &Searcher,
    fields: &Fields,
    hit: &Hit,
    reach: usize,
) -> Result<(Vec<Neighbour>, Vec<Neighbour>)> {
    let ordinal = u64::from(hit.paragraph);
    let reach = reach as u64;
    let range = RangeQuery::new(
        Bound::Included(Term::from_field_u64(
            fields.ordinal,
            ordinal.saturating_sub(reach),
        )),
        Bound::Included(Term::from_field_u64(fields.ordinal, ordinal + reach)),
    );
    let query = BooleanQuery::new(vec![
        (
            Occur::Must,
            term_query(Term::from_field_text(fields.article_id, &hit.article_id)),
        ),
        (Occur::Must, Box::new(range)),
    ]);
    let found = searcher.search(
        &query,
        &TopDocs::with_limit(2 * reach as usize + 1).order_by_score(),
    )?;
    let mut passages = Vec::new();
    for (_, address) in found {
        let doc: TantivyDocument = searcher.doc(address)?;
        let near = hit_from_doc(fields, &doc, 0, 0.0);
        if near.paragraph != hit.paragraph {
            passages.push(Neighbour {
                paragraph: near.paragraph,
                line: near.line,
                text: near.text,
            });
        }
    }
    passages.sort_by_key(|n| n.paragraph);
    let (before, after) = passages
        .into_iter()
        .partition(|n| n.paragraph < hit.paragraph);
    Ok((before, after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indexer::add_article;
    use crate::model::Article;
    use crate::testing::{self, passage};

    fn sample_index() -> GrafIndex {
        let graf = GrafIndex::create_in_ram();
        let fields = graf.fields();
        let mut writer = graf.writer(1, 50_000_000).unwrap();
        let amazon: &[&str] = &["Amazon"];
        let aws: &[&str] = &["Amazon", "AWS"];
        let nvidia: &[&str] = &["Nvidia"];
        let articles = [
            (
                "a",
                "2025-01-05",
                vec![
                    passage(0, "Amazon designs its own chips for the cloud.", &[amazon]),
                    passage(1, "AWS sells Trainium chips to Anthropic.", &[aws]),
                    passage(2, "The river Amazon floods every year.", &[]),
                ],
            ),
            (
                "b",
                "2025-03-01",
                vec![
                    passage(0, "Nvidia chips dominate training.", &[nvidia]),
                    passage(1, "Nvidia and AWS both sell chips.", &[nvidia, aws]),
                ],
            ),
        ];
        for (id, date, passages) in articles {
            let article = Article {
                title: Some(format!("Article {id}")),
                source: Some("Wire".to_string()),
                date: Some(date.to_string()),
                ..testing::article(id, passages)
            };
            add_article(&writer, &fields, &article).unwrap();
        }
        writer.commit().unwrap();
        graf
    }

    fn run(request: SearchRequest) -> SearchResults {
        let graf = sample_index();
        let searcher = graf.reader().unwrap().searcher();
        search(&graf, &searcher, &request).unwrap()
    }

    fn ask(query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            ..SearchRequest::default()
        }
    }

    #[test]
    fn scoring_every_match_ranks_as_block_max_wand_does() {
        let graf = sample_index();
        let searcher = graf.reader().unwrap().searcher();
        for text in [
            "chips",
            "chips training",
            "floods designs designs cloud chips",
        ] {
            let parsed = query::parse(graf.index(), &graf.fields(), text, true, 1.0).unwrap();
            let ranker = |exhaustive| Ranker {
                searcher: &searcher,
                query: &*parsed.query,
                sort: SortBy::Score,
                evidence: None,
                exhaustive,
            };
            let wand = ranker(false).best(TopDocs::with_limit(5)).unwrap();
            let every = ranker(true).best(TopDocs::with_limit(5)).unwrap();
            assert!(!wand.is_empty(), "{text}");
            assert_eq!(wand, every, "{text}");
            let request = ask(text);
            let (_, total_wand) = ranker(false).rank_and_count(&request).unwrap();
            let (_, total_every) = ranker(true).rank_and_count(&request).unwrap();
            assert_eq!(total_wand, total_every, "{text}");
        }
    }

    #[test]
    fn a_word_typed_three_times_scores_three_times_its_score() {
        let graf = sample_index();
        let searcher = graf.reader().unwrap().searcher();
        let score = |text: &str| {
            let parsed = query::parse(graf.index(), &graf.fields(), text, true, 1.0).unwrap();
            searcher
                .search(&*parsed.query, &TopDocs::with_limit(1).order_by_score())
                .unwrap()[0]
        };
        let (once, address) = score("designs");
        let (thrice, same) = score("designs designs designs");
        assert_eq!(address, same);
        assert!(
            (thrice - 3.0 * once).abs() < 1e-4,
            "{thrice} against 3 × {once}"
        );
    }

    #[test]
    fn a_word_typed_twice_weighs_twice() {
        // "floods" is in the shorter passage and wins once; "designs" typed twice wins.
        let top = |query: &str| {
            let hit = run(ask(query)).hits.remove(0);
            (hit.article_id, hit.paragraph)
        };
        assert_eq!(top("floods designs"), ("a".to_string(), 2));
        assert_eq!(top("floods designs designs"), ("a".to_string(), 0));
    }

    #[test]
    fn company_filter_includes_subsidiaries_and_nothing_else() {
        let results = run(SearchRequest {
            companies: vec![CompanyPath::new(["Amazon"])],
            ..ask("chips")
        });
        assert_eq!(results.total, 3);
        assert!(results
            .hits
            .iter()
            .all(|h| h.companies.iter().any(|c| c.starts_with("Amazon"))));
    }

    #[test]
    fn hits_carry_location_companies_and_highlights() {
        let results = run(SearchRequest {
            companies: vec![CompanyPath::new(["Nvidia"])],
            ..ask("training")
        });
        let hit = &results.hits[0];
        assert_eq!(
            (hit.path.as_str(), hit.line, hit.paragraph),
            ("b.txt", 3, 0)
        );
        assert_eq!(hit.companies, vec!["Nvidia"]);
        let highlighted: Vec<&str> = hit
            .snippet
            .highlights
            .iter()
            .map(|r| &hit.snippet.fragment[r.clone()])
            .collect();
        assert_eq!(highlighted, vec!["training"]);
        assert_eq!(hit.date.as_deref(), Some("2025-03-01"));
    }

    #[test]
    fn all_companies_must_match_unless_any_company() {
        let both = vec![
            CompanyPath::new(["Nvidia"]),
            CompanyPath::new(["Amazon", "AWS"]),
        ];
        let all = run(SearchRequest {
            companies: both.clone(),
            ..ask("chips")
        });
        assert_eq!(all.total, 1);
        let any = run(SearchRequest {
            companies: both,
            any_company: true,
            ..ask("chips")
        });
        assert_eq!(any.total, 3);
    }

    #[test]
    fn an_empty_query_needs_a_filter_and_then_sorts_newest_first() {
        let graf = sample_index();
        let searcher = graf.reader().unwrap().searcher();
        assert!(matches!(
            search(&graf, &searcher, &ask("")),
            Err(Error::Query { .. })
        ));
        let results = run(SearchRequest {
            sources: vec!["Wire".into()],
            ..ask("")
        });
        assert_eq!(results.total, 5);
        assert_eq!(results.hits[0].article_id, "b");
    }

    #[test]
    fn per_article_limits_and_paging() {
        let results = run(SearchRequest {
            per_article: Some(1),
            ..ask("chips")
        });
        assert_eq!(results.hits.len(), 2);
        let second_page = run(SearchRequest {
            limit: 1,
            offset: 1,
            ..ask("chips")
        });
        assert_eq!(second_page.hits[0].rank, 2);
    }

    #[test]
    fn facet_counts_form_a_tree_over_all_matches() {
        let results = run(SearchRequest {
            facets: true,
            limit: 1,
            ..ask("chips")
        });
        let tree = results.facets.unwrap();
        let amazon = tree.iter().find(|n| n.name == "Amazon").unwrap();
        assert_eq!(amazon.count, 3);
        assert_eq!(amazon.children[0].path, "Amazon/AWS");
        assert_eq!(amazon.children[0].count, 2);
    }

    #[test]
    fn context_brings_neighbouring_passages() {
        let results = run(SearchRequest {
            context: 1,
            article: Some("a".into()),
            ..ask("trainium")
        });
        let hit = &results.hits[0];
        assert_eq!(hit.before.len(), 1);
        assert_eq!(hit.after[0].paragraph, 2);
    }

    #[test]
    fn dates_filter_by_article_date() {
        let since = crate::dates::parse_date("2025-02-01");
        let results = run(SearchRequest {
            since,
            ..ask("chips")
        });
        assert!(results.hits.iter().all(|h| h.article_id == "b"));
        assert_eq!(results.total, 2);
    }

    #[test]
    fn expansion_finds_more_and_still_highlights_the_words_typed() {
        let plain = run(ask("trainium"));
        let expanded = run(SearchRequest {
            expand: Some(expand::Expansion::default()),
            ..ask("trainium")
        });
        assert!(
            expanded.total > plain.total,
            "{} > {}",
            expanded.total,
            plain.total
        );
        assert_eq!(expanded.hits[0].text, plain.hits[0].text);
        let hit = &expanded.hits[0];
        let words: Vec<&str> = hit
            .snippet
            .highlights
            .iter()
            .map(|r| &hit.snippet.fragment[r.clone()])
            .collect();
        assert_eq!(words, vec!["Trainium"]);
    }

    #[test]
    fn the_passage_of_an_article_about_the_query_beats_a_lucky_short_one() {
        let graf = GrafIndex::create_in_ram();
        let fields = graf.fields();
        let mut writer = graf.writer(1, 50_000_000).unwrap();
        let article = |id: &str, texts: &[&str]| {
            let passages = texts.iter().enumerate();
            let passages = passages.map(|(i, text)| passage(i as u32, text, &[]));
            testing::article(id, passages.collect())
        };
        let about = article(
            "about",
            &[
                "Glaciers melt faster as summers warm, and the melting feeds rivers.",
                "Glacier melt has doubled since the survey began.",
                "Scientists measure how fast glaciers melt with stakes drilled into the ice.",
            ],
        );
        let lucky = article("lucky", &["Melt the butter.", "Then bake it for an hour."]);
        for article in [&about, &lucky] {
            add_article(&writer, &fields, article).unwrap();
        }
        writer.commit().unwrap();
        let searcher = graf.reader().unwrap().searcher();
        let top = |weight: f32| {
            let request = SearchRequest {
                ranking: Ranking {
                    article_weight: weight,
                    ..Ranking::default()
                },
                ..ask("melt")
            };
            let hit = search(&graf, &searcher, &request).unwrap().hits.remove(0);
            hit.article_id
        };
        assert_eq!(top(0.0), "lucky", "the shortest passage wins on its own");
        assert_eq!(top(article::ARTICLE_WEIGHT), "about");
    }

    #[test]
    fn explain_gives_a_score_breakdown() {
        let results = run(SearchRequest {
            explain: true,
            ..ask("trainium")
        });
        assert!(results.hits[0]
            .explanation
            .as_deref()
            .unwrap()
            .contains("idf"));
    }
}
