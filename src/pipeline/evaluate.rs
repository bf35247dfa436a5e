//! `graf eval`: every query of a set searched, and the rankings scored against judgments.

use crate::companies::Gazetteer;
use crate::error::{Error, Result};
use crate::indexer::GrafIndex;
use crate::search::{self, SearchRequest};

/// Runs every query (top 100 articles, each at the rank of its best passage) and scores the
/// rankings against the judgments. A query with no searchable words ranks nothing.
pub fn evaluate(
    graf: &GrafIndex,
    gazetteer: &Gazetteer,
    queries: &[crate::eval::Query],
    qrels: &crate::eval::Qrels,
    expand: Option<search::expand::Expansion>,
    ranking: search::Ranking,
) -> Result<crate::eval::Report> {
    let mut runs = Vec::with_capacity(queries.len());
    for query in queries {
        let request = SearchRequest {
            query: query.text.clone(),
            limit: 100,
            per_article: Some(1),
            expand,
            ranking,
            ..SearchRequest::default()
        };
        let ranked = match super::search(graf, gazetteer, &[], request) {
            Ok(results) => articles_best_first(results.hits),
            Err(Error::Query { .. }) => Vec::new(),
            Err(err) => return Err(err),
        };
        runs.push((query.id.clone(), ranked));
    }
    Ok(crate::eval::evaluate(runs, qrels))
}

/// The hits' article ids, best first; equal scores in id order, so that the figures do not
/// depend on how the ingest threads happened to lay out the index segments.
fn articles_best_first(mut hits: Vec<crate::model::Hit>) -> Vec<String> {
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.article_id.cmp(&b.article_id))
    });
    hits.into_iter().map(|hit| hit.article_id).collect()
}
