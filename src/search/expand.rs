//! Query expansion by pseudo-relevance feedback (RM3, as in Lavrenko and Croft's relevance
//! models and Anserini's implementation): the best passages of a first search are taken as
//! relevant, the words they share are weighted by how much each passage scored, and the
//! strongest of them join the query at half its weight. It helps long, vague questions most;
//! it costs a second search and ranks passages that lack the query's words, so it is opt-in
//! (`graf search --expand`, `graf eval --expand`). Highlights still show the words typed.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, Searcher, TantivyDocument, Term};

use crate::error::Result;
use crate::schema::Fields;

/// How many passages feed back, how many words join, and the original query's share.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Expansion {
    pub feedback_passages: usize,
    pub terms: usize,
    pub original_weight: f32,
}

impl Default for Expansion {
    /// 5 passages, 20 terms, original weight 0.3: one setting for every collection, chosen
    /// with `graf eval --expand` on cisi, cran and med (BENCHMARKS.md has the sweep). Anserini's RM3
    /// defaults (10, 10, 0.5) scored lower on all three: passages are shorter than documents,
    /// so fewer of them carry the topic.
    fn default() -> Self {
        Expansion {
            feedback_passages: 5,
            terms: 20,
            original_weight: 0.3,
        }
    }
}

/// The query expanded with feedback terms; the query itself when nothing matched.
pub fn expand(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    query: Box<dyn Query>,
    settings: Expansion,
) -> Result<Box<dyn Query>> {
    let top = TopDocs::with_limit(settings.feedback_passages.max(1)).order_by_score();
    let feedback = searcher.search(&*query, &top)?;
    let total_score: f32 = feedback.iter().map(|(score, _)| score).sum();
    if feedback.is_empty() || total_score <= 0.0 {
        return Ok(query);
    }
    let mut analyzer = index.tokenizer_for_field(fields.text)?;
    let mut weights: HashMap<String, f32> = HashMap::new();
    for (score, address) in &feedback {
        let doc: TantivyDocument = searcher.doc(*address)?;
        let text = doc
            .get_first(fields.text)
            .and_then(|v| v.as_str())
            .unwrap_or("");
        let counts = term_counts(&mut analyzer, text);
        let length: usize = counts.values().sum();
        for (term, count) in counts {
            *weights.entry(term).or_default() +=
                (score / total_score) * count as f32 / length as f32;
        }
    }
    let terms = strongest(weights, settings.terms);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Should,
        Box::new(BoostQuery::new(query, settings.original_weight)),
    )];
    // The original query weighs about one per term; scale the feedback distribution (which
    // sums to one) to the same order so the mixture means what `original_weight` says.
    let scale = (1.0 - settings.original_weight) * terms.len() as f32;
    for (term, weight) in terms {
        let term_query = TermQuery::new(
            Term::from_field_text(fields.text, &term),
            IndexRecordOption::WithFreqs,
        );
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(term_query), weight * scale)),
        ));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

fn term_counts(
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    text: &str,
) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        // Single letters and bare numbers say nothing about a topic.
        if token.text.chars().count() > 1 && !token.text.chars().all(|c| c.is_ascii_digit()) {
            *counts.entry(token.text.clone()).or_default() += 1;
        }
    }
    counts
}

/// The `limit` heaviest terms, their weights renormalised to sum to one.
fn strongest(weights: HashMap<String, f32>, limit: usize) -> Vec<(String, f32)> {
    let mut ranked: Vec<(String, f32)> = weights.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(limit);
    let sum: f32 = ranked.iter().map(|(_, w)| w).sum();
    if sum > 0.0 {
        ranked.iter_mut().for_each(|(_, w)| *w /= sum);
    }
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strongest_keeps_the_heaviest_terms_normalised() {
        let weights = HashMap::from([
            ("a".to_string(), 3.0),
            ("b".to_string(), 1.0),
            ("c".to_string(), 0.5),
        ]);
        let top = strongest(weights, 2);
        assert_eq!(
            top.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
            vec!["a", "b"]
        );
        assert!((top[0].1 - 0.75).abs() < 1e-6);
    }
}
