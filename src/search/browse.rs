//! What browsing an index needs beyond a ranked search (the pages and API of `graf serve`):
//! an article's passages in order with its companies, the sources the index holds, and the
//! companies most often named in the same passages as a given one (co-mentions).
//!
//! Articles are found by their id as an index term, never as a file name: nothing here touches
//! the file system, so no id can reach outside the index.

use std::collections::BTreeSet;
use std::ops::{Bound, RangeInclusive};

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, QueryClone, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use super::facets::facet_tree;
use super::hit_from_doc;
use crate::error::Result;
use crate::model::{CompanyPath, FacetNode};
use crate::schema::company_facet;
use crate::schema::Fields;

/// The most passages one call returns; a longer article is read in ranges.
pub const MAX_ARTICLE_PASSAGES: u32 = 5_000;

/// One passage of an article, in article order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticlePassage {
    /// 0-based position in the article.
    pub paragraph: u32,
    pub line: u32,
    pub section: Option<String>,
    pub context: Option<String>,
    pub text: String,
    pub companies: Vec<String>,
}

/// An article with (a range of) its passages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub title: Option<String>,
    pub path: String,
    pub date: Option<String>,
    pub source: Option<String>,
    /// All passages of the article, whatever range was asked for.
    pub total_passages: u64,
    /// The companies of the whole article with the passages that name each, as a tree.
    pub companies: Vec<FacetNode>,
    /// The passages of the requested range, in order.
    pub passages: Vec<ArticlePassage>,
}

/// The article `id` with its passages whose position falls in `range` (at most
/// [`MAX_ARTICLE_PASSAGES`] of them, from the start of the range); `None` for an unknown id.
pub fn article(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
    range: RangeInclusive<u32>,
) -> Result<Option<ArticleView>> {
    let whole = TermQuery::new(
        Term::from_field_text(fields.article_id, id),
        IndexRecordOption::Basic,
    );
    let total = searcher.search(&whole, &Count)? as u64;
    if total == 0 {
        return Ok(None);
    }
    let end = (*range.end()).min(range.start().saturating_add(MAX_ARTICLE_PASSAGES - 1));
    let in_range = BooleanQuery::new(vec![
        (Occur::Must, whole.box_clone()),
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(
                    fields.ordinal,
                    u64::from(*range.start()),
                )),
                Bound::Included(Term::from_field_u64(fields.ordinal, u64::from(end))),
            )),
        ),
    ]);
    let wanted = (end - range.start() + 1) as usize;
    let mut passages = Vec::new();
    for (_, address) in searcher.search(&in_range, &TopDocs::with_limit(wanted).order_by_score())? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let hit = hit_from_doc(fields, &doc, 0, 0.0);
        passages.push(ArticlePassage {
            paragraph: hit.paragraph,
            line: hit.line,
            section: hit.section,
            context: hit.context,
            text: hit.text,
            companies: hit.companies,
        });
    }
    passages.sort_by_key(|p| p.paragraph);
    // Article-level values are repeated on every passage: read them from any one.
    let (_, first) = searcher.search(&whole, &TopDocs::with_limit(1).order_by_score())?[0];
    let head = hit_from_doc(fields, &searcher.doc(first)?, 0, 0.0);
    Ok(Some(ArticleView {
        id: head.article_id,
        title: head.title,
        path: head.path,
        date: head.date,
        source: head.source,
        total_passages: total,
        companies: facet_tree(searcher, &whole)?,
        passages,
    }))
}

/// Every source named in the index, sorted. (Like company paths, a source whose passages were
/// all deleted may linger until segments merge.)
pub fn sources(searcher: &Searcher, fields: &Fields) -> Result<Vec<String>> {
    let mut found = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.source)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(|err| crate::Error::Tantivy(err.into()))?;
        while terms.advance() {
            if let Ok(source) = std::str::from_utf8(terms.key()) {
                found.insert(source.to_string());
            }
        }
    }
    Ok(found.into_iter().collect())
}

/// A company named in the same passages as another, with how many such passages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoMention {
    pub path: String,
    pub name: String,
    pub passages: u64,
}

/// The passages that name `company` (subsidiaries included), and the other companies named
/// in those passages, most passages first (ties by path). The company's own parents and
/// subsidiaries are left out: that AWS passages name Amazon says nothing.
pub fn co_mentions(
    searcher: &Searcher,
    fields: &Fields,
    company: &CompanyPath,
) -> Result<(u64, Vec<CoMention>)> {
    let query = TermQuery::new(
        Term::from_facet(fields.company, &company_facet(company)),
        IndexRecordOption::Basic,
    );
    let passages = searcher.search(&query, &Count)? as u64;
    let tree = facet_tree(searcher, &query)?;
    let mut flat = Vec::new();
    flatten(&tree, &mut flat);
    let own = company.to_string();
    let related = |path: &str| {
        path == own || own.starts_with(&format!("{path}/")) || path.starts_with(&format!("{own}/"))
    };
    let mut mentions: Vec<CoMention> = flat
        .into_iter()
        .filter(|node| !related(&node.path))
        .map(|node| CoMention {
            path: node.path.clone(),
            name: node.name.clone(),
            passages: node.count,
        })
        .collect();
    mentions.sort_by(|a, b| b.passages.cmp(&a.passages).then(a.path.cmp(&b.path)));
    Ok((passages, mentions))
}

fn flatten<'a>(nodes: &'a [FacetNode], out: &mut Vec<&'a FacetNode>) {
    for node in nodes {
        out.push(node);
        flatten(&node.children, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indexer::{add_article, GrafIndex};
    use crate::testing::{article as made, passage};

    fn index() -> GrafIndex {
        let graf = GrafIndex::create_in_ram();
        let mut writer = graf.writer(1, 50_000_000).unwrap();
        let aws: &[&str] = &["Amazon", "AWS"];
        let nvidia: &[&str] = &["Nvidia"];
        let intel: &[&str] = &["Intel"];
        let mut a = made(
            "news/a.txt",
            vec![
                passage(0, "AWS and Nvidia.", &[aws, nvidia]),
                passage(1, "Nothing.", &[]),
                passage(2, "Nvidia and Intel.", &[nvidia, intel]),
                passage(3, "AWS, Nvidia, Intel.", &[aws, nvidia, intel]),
            ],
        );
        a.source = Some("Wire".into());
        add_article(&writer, &graf.fields(), &a).unwrap();
        writer.commit().unwrap();
        graf
    }

    #[test]
    fn an_article_comes_in_order_with_its_companies_and_ranges() {
        let graf = index();
        let searcher = graf.reader().unwrap().searcher();
        let view = article(&searcher, &graf.fields(), "news/a.txt", 0..=u32::MAX)
            .unwrap()
            .unwrap();
        let order: Vec<u32> = view.passages.iter().map(|p| p.paragraph).collect();
        assert_eq!(order, vec![0, 1, 2, 3]);
        assert_eq!(view.total_passages, 4);
        assert_eq!(view.companies[0].name, "Nvidia");
        assert_eq!(view.companies[0].count, 3);
        let some = article(&searcher, &graf.fields(), "news/a.txt", 1..=2)
            .unwrap()
            .unwrap();
        assert_eq!(some.passages.len(), 2);
        assert_eq!(some.total_passages, 4);
        assert!(article(&searcher, &graf.fields(), "../a.txt", 0..=9)
            .unwrap()
            .is_none());
    }

    #[test]
    fn co_mentions_count_shared_passages_and_skip_the_family() {
        let graf = index();
        let searcher = graf.reader().unwrap().searcher();
        let (passages, list) =
            co_mentions(&searcher, &graf.fields(), &CompanyPath::new(["Amazon"])).unwrap();
        assert_eq!(passages, 2);
        let pairs: Vec<(&str, u64)> = list.iter().map(|m| (m.path.as_str(), m.passages)).collect();
        assert_eq!(pairs, vec![("Nvidia", 2), ("Intel", 1)]);
        assert_eq!(
            sources(&searcher, &graf.fields()).unwrap(),
            vec!["Wire".to_string()]
        );
    }
}
