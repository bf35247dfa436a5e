//! Long queries, such as a pasted paragraph: searched by their most informative words.
//!
//! A 700-word paragraph would make a union of thousands of term clauses (each word in four
//! fields). Three things keep it fast (a pasted 10 KB in p99 32 ms on the 0.9 M-passage bench
//! index, where it once took 14 s): a query of more than [`MAX_TERMS`] distinct searchable
//! words keeps the [`MAX_TERMS`] words of highest weight, the weight being what BM25
//! multiplies a match by: the word's idf in the passage text times the times it was typed
//! (common words weigh almost nothing; words no passage holds are dropped first, they match
//! nothing); a word typed many times is one clause boosted by its count, not one clause per
//! time (`query::merge_repeats`); and a query of many clauses is ranked by scoring every match
//! rather than by block-max WAND (`Ranker::exhaustive` in the parent module). The kept words
//! keep their repeats; the rest of the query language (operators, phrases, fields) is not read
//! in such a query, which is prose, and a note says what was searched.

use std::collections::HashMap;

use tantivy::schema::Field;
use tantivy::tokenizer::TokenStream;
use tantivy::{Index, Searcher, Term};

use super::query::plain_words;
use crate::schema::STEMMED;

/// The most distinct words a query is searched with. Every cran, med and scifact question has
/// fewer; on cisi, whose longest questions have 175 words, nDCG@10 is 0.3854 with it and
/// 0.3863 without (48 gave 0.3844, 64 gave 0.3851, with article evidence on). With it, a
/// pasted 10 KB (about 1,800 words) is searched in p99 32 ms on the 0.9 M-passage bench index
/// (`cargo bench --bench paste`, README).
pub const MAX_TERMS: usize = 96;

/// A long query cut down to its most informative words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortened {
    /// The kept words, in the order typed, as a plain query.
    pub text: String,
    pub note: String,
}

/// The query `text` reduced to its `limit` most informative distinct words (stems), or `None`
/// when it has no more than `limit` of them.
pub fn shorten(
    searcher: &Searcher,
    index: &Index,
    field: Field,
    text: &str,
    limit: usize,
) -> Option<Shortened> {
    let mut analyzer = index.tokenizers().get(STEMMED)?;
    let stemmed: Vec<(String, Option<String>)> = plain_words(text)
        .into_iter()
        .map(|word| {
            let mut stem = None;
            analyzer
                .token_stream(&word)
                .process(&mut |token| stem = Some(token.text.clone()));
            (word, stem)
        })
        .collect();
    let mut typed: HashMap<&str, u32> = HashMap::new();
    for stem in stemmed.iter().filter_map(|(_, stem)| stem.as_deref()) {
        *typed.entry(stem).or_default() += 1;
    }
    if typed.len() <= limit {
        return None;
    }
    let passages = searcher.num_docs() as f64;
    let mut weighted: Vec<(f64, &str)> = typed
        .iter()
        .filter_map(|(&stem, &times)| {
            let found = searcher
                .doc_freq(&Term::from_field_text(field, stem))
                .ok()
                .filter(|&df| df > 0)? as f64;
            let idf = (1.0 + (passages - found + 0.5) / (found + 0.5)).ln();
            Some((idf * f64::from(times), stem))
        })
        .collect();
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    weighted.truncate(limit);
    let kept: Vec<&str> = weighted.iter().map(|&(_, stem)| stem).collect();
    let words: Vec<&str> = stemmed
        .iter()
        .filter(|(_, stem)| stem.as_deref().is_some_and(|s| kept.contains(&s)))
        .map(|(word, _)| word.as_str())
        .collect();
    Some(Shortened {
        text: words.join(" "),
        note: format!(
            "long query: searched by its {} most informative words of {} (rarest first: {})",
            kept.len(),
            typed.len(),
            kept.iter().take(5).copied().collect::<Vec<_>>().join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indexer::{add_article, GrafIndex};
    use crate::testing::{article, passage};

    fn index(texts: &[&str]) -> GrafIndex {
        let graf = GrafIndex::create_in_ram();
        let mut writer = graf.writer(1, 50_000_000).unwrap();
        let passages = texts
            .iter()
            .enumerate()
            .map(|(n, text)| passage(n as u32, text, &[]))
            .collect();
        add_article(&writer, &graf.fields(), &article("a", passages)).unwrap();
        writer.commit().unwrap();
        graf
    }

    #[test]
    fn a_short_query_is_left_alone() {
        let graf = index(&["chips and cloud"]);
        let searcher = graf.reader().unwrap().searcher();
        let fields = graf.fields();
        assert!(shorten(&searcher, graf.index(), fields.text, "chips cloud", 2).is_none());
    }

    #[test]
    fn a_long_query_keeps_its_rarest_words_with_their_repeats() {
        let graf = index(&[
            "common words everywhere",
            "common words again",
            "common trainium",
            "common lithography",
        ]);
        let searcher = graf.reader().unwrap().searcher();
        let fields = graf.fields();
        let text = "Common words: Trainium, lithography; trainium! unknownword";
        let short = shorten(&searcher, graf.index(), fields.text, text, 2).unwrap();
        assert_eq!(short.text, "trainium lithography trainium");
        assert!(
            short.note.contains("2 most informative words of 5"),
            "{}",
            short.note
        );
    }
}
