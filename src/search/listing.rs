//! `graf companies`: every company of the index with the passages and articles that mention
//! it (subsidiaries included in their parent's counts), gathered in one pass by the company
//! counter of [`super::facets`] over all live passages; and the companies of the index that no list names
//! (`--unknown`), each with an example passage.

use tantivy::query::AllQuery;
use tantivy::Searcher;

use crate::companies::Gazetteer;
use crate::error::Result;
use crate::indexer::GrafIndex;
use crate::model::{CompanyCount, CompanyExample, CompanyPath, UnknownCompany};

use super::facets::{self, CompanyOrder};

/// Every company in the index as a tree, with passage and article counts.
pub fn companies(searcher: &Searcher, order: CompanyOrder) -> Result<Vec<CompanyCount>> {
    Ok(facets::tree(
        &facets::count(searcher, &AllQuery, true)?,
        order,
    ))
}

/// How many characters of a passage an example shows on each side of the name.
const EXCERPT_REACH: usize = 45;

/// The companies of the index that `gazetteer` does not know (graf found them from the text:
/// a legal suffix, an industry word, a cue such as "shares in"), first `limit` of them in
/// `order`, each with an example passage.
pub fn unknown_companies(
    graf: &GrafIndex,
    searcher: &Searcher,
    gazetteer: &Gazetteer,
    order: CompanyOrder,
    limit: usize,
) -> Result<Vec<UnknownCompany>> {
    let unknown = companies(searcher, order)?
        .into_iter()
        .filter(|company| gazetteer.candidates(&company.path).is_empty())
        .take(limit);
    let mut listed = Vec::new();
    for company in unknown {
        let request = super::SearchRequest {
            companies: vec![CompanyPath(vec![company.name.clone()])],
            limit: 1,
            ..super::SearchRequest::default()
        };
        let results = super::search(graf, searcher, &request)?;
        // Counted from the same facets, so a company of the list has a passage.
        let Some(hit) = results.hits.into_iter().next() else {
            continue;
        };
        listed.push(UnknownCompany {
            name: company.name.clone(),
            passages: company.passages,
            articles: company.articles,
            example: CompanyExample {
                excerpt: excerpt(&hit.text, &company.name),
                article_id: hit.article_id,
                path: hit.path,
                line: hit.line,
            },
        });
    }
    Ok(listed)
}

/// The words of `text` around the first mention of `name` (found without case), or its
/// start when the name is not written out; cut at spaces, with `…` where cut.
fn excerpt(text: &str, name: &str) -> String {
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths (rarely): then its offsets are not the text's.
    let at = (lower.len() == text.len())
        .then(|| lower.find(&name.to_lowercase()))
        .flatten()
        .filter(|&at| text.is_char_boundary(at) && text.is_char_boundary(at + name.len()));
    let (start, end) = match at {
        Some(at) => (at, at + name.len()),
        None => (0, 0),
    };
    let from = back_to_space(text, start, EXCERPT_REACH);
    let to = on_to_space(
        text,
        end,
        EXCERPT_REACH + if at.is_none() { EXCERPT_REACH } else { 0 },
    );
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(text[from..to].trim());
    if to < text.len() {
        out.push('…');
    }
    out
}

/// The start of the word at most `reach` characters before `at` (0 when the text starts
/// within reach).
fn back_to_space(text: &str, at: usize, reach: usize) -> usize {
    let before: Vec<(usize, char)> = text[..at].char_indices().collect();
    if before.len() <= reach {
        return 0;
    }
    let limit = before[before.len() - reach].0;
    text[limit..at]
        .find(' ')
        .map_or(limit, |space| limit + space + 1)
}

/// The end of the word at most `reach` characters after `at` (the text's end when within
/// reach).
fn on_to_space(text: &str, at: usize, reach: usize) -> usize {
    let Some((limit, _)) = text[at..].char_indices().nth(reach) else {
        return text.len();
    };
    let limit = at + limit;
    text[at..limit].rfind(' ').map_or(limit, |space| at + space)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indexer::{add_article, GrafIndex};
    use crate::testing::{article, passage};

    #[test]
    fn counts_passages_and_articles_with_subsidiaries_under_parents() {
        let graf = GrafIndex::create_in_ram();
        let mut writer = graf.writer(1, 50_000_000).unwrap();
        let both: &[&[&str]] = &[&["Amazon"], &["Amazon", "AWS"]];
        for (id, passages) in [
            (
                "a",
                vec![
                    passage(0, "text", both),
                    passage(1, "text", &[&["Amazon", "AWS"]]),
                ],
            ),
            ("b", vec![passage(0, "text", &[&["Nvidia"]])]),
        ] {
            add_article(&writer, &graf.fields(), &article(id, passages)).unwrap();
        }
        writer.commit().unwrap();
        let list = companies(&graf.reader().unwrap().searcher(), CompanyOrder::Count).unwrap();
        assert_eq!(
            (list[0].name.as_str(), list[0].passages, list[0].articles),
            ("Amazon", 2, 1)
        );
        assert_eq!(
            (
                list[0].children[0].path.as_str(),
                list[0].children[0].passages
            ),
            ("Amazon/AWS", 2)
        );
        let by_name = companies(&graf.reader().unwrap().searcher(), CompanyOrder::Name).unwrap();
        assert_eq!(by_name[1].name, "Nvidia");
    }

    #[test]
    fn an_excerpt_shows_the_words_around_the_name() {
        let text = "One two three four five six seven eight nine ten eleven twelve thirteen \
                    fourteen fifteen sixteen seventeen eighteen nineteen twenty Kessler Freight \
                    said on Friday that profits rose, and more words follow here to be cut off \
                    before the end of this long passage";
        let shown = excerpt(text, "kessler freight");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("twenty Kessler Freight said"), "{shown}");
        assert!(
            !shown.contains("One two") && !shown.contains("passage"),
            "{shown}"
        );
        assert_eq!(excerpt("Short: Kessler.", "Kessler"), "Short: Kessler.");
        // A name not written out (initials): the passage's start.
        assert_eq!(excerpt("KF said so.", "Kessler Freight"), "KF said so.");
    }

    #[test]
    fn unknown_companies_are_those_no_list_names() {
        let graf = GrafIndex::create_in_ram();
        let mut writer = graf.writer(1, 50_000_000).unwrap();
        let passages = vec![
            passage(0, "Amazon bought a lot.", &[&["Amazon"]]),
            passage(
                1,
                "Shares in Quayside Collective rose.",
                &[&["Quayside Collective"]],
            ),
        ];
        add_article(&writer, &graf.fields(), &article("a", passages)).unwrap();
        writer.commit().unwrap();
        let searcher = graf.reader().unwrap().searcher();
        let gazetteer = Gazetteer::builtin();
        let unknown =
            unknown_companies(&graf, &searcher, &gazetteer, CompanyOrder::Count, 10).unwrap();
        assert_eq!(unknown.len(), 1, "{unknown:?}");
        assert_eq!(unknown[0].name, "Quayside Collective");
        assert_eq!((unknown[0].passages, unknown[0].articles), (1, 1));
        assert_eq!(unknown[0].example.article_id, "a");
        assert_eq!(
            unknown[0].example.excerpt,
            "Shares in Quayside Collective rose."
        );
        let none = unknown_companies(&graf, &searcher, &gazetteer, CompanyOrder::Count, 0);
        assert!(none.unwrap().is_empty());
    }
}
