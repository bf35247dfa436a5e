//! `graf companies`: every company of the index with the passages and articles that mention
//! it (subsidiaries included in their parent's counts), gathered in one pass by a custom
//! collector over all live passages.

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::fastfield::FacetReader;
use tantivy::query::AllQuery;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::error::Result;
use crate::model::{CompanyCount, CompanyPath};
use crate::schema::{ARTICLE_ID, COMPANY};

use super::facets::company_path;

/// How to order companies at each level of the tree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CompanyOrder {
    /// Most passages first.
    #[default]
    Count,
    Name,
}

/// Every company in the index as a tree, with passage and article counts.
pub fn companies(searcher: &Searcher, order: CompanyOrder) -> Result<Vec<CompanyCount>> {
    let counts = searcher.search(&AllQuery, &CompanyCounter)?;
    Ok(tree(&counts, &[], order))
}

/// Passages and distinct article ids per company path (ancestors counted once per passage).
type Counts = HashMap<CompanyPath, (u64, HashSet<String>)>;

struct CompanyCounter;

impl Collector for CompanyCounter {
    type Fruit = Counts;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCounter> {
        Ok(SegmentCounter {
            facets: segment.facet_reader(COMPANY)?,
            articles: segment.fast_fields().str(ARTICLE_ID)?,
            paths_of_ord: HashMap::new(),
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut merged = Counts::new();
        for fruit in fruits {
            for (path, (passages, articles)) in fruit {
                let entry = merged.entry(path).or_default();
                entry.0 += passages;
                entry.1.extend(articles);
            }
        }
        Ok(merged)
    }
}

struct SegmentCounter {
    facets: FacetReader,
    articles: Option<StrColumn>,
    /// Each facet ordinal's path and ancestors, computed once per segment.
    paths_of_ord: HashMap<u64, Vec<CompanyPath>>,
    /// Per company path: passages, and article ordinals of this segment.
    counts: HashMap<CompanyPath, (u64, HashSet<u64>)>,
}

impl SegmentCounter {
    fn paths(&mut self, ord: u64) -> &[CompanyPath] {
        let facets = &self.facets;
        self.paths_of_ord.entry(ord).or_insert_with(|| {
            let mut facet = Facet::root();
            if facets.facet_from_ord(ord, &mut facet).is_err() {
                return Vec::new();
            }
            let Some(path) = company_path(&facet) else {
                return Vec::new();
            };
            (1..=path.0.len())
                .map(|depth| CompanyPath(path.0[..depth].to_vec()))
                .collect()
        })
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let article = self
            .articles
            .as_ref()
            .and_then(|ids| ids.term_ords(doc).next());
        let ords: Vec<u64> = self.facets.facet_ords(doc).collect();
        let mut seen = HashSet::new();
        for ord in ords {
            for path in self.paths(ord).to_vec() {
                if seen.insert(path.clone()) {
                    let entry = self.counts.entry(path).or_default();
                    entry.0 += 1;
                    entry.1.extend(article);
                }
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut id = String::new();
        self.counts
            .into_iter()
            .map(|(path, (passages, ords))| {
                let ids = ords
                    .into_iter()
                    .filter_map(|ord| {
                        id.clear();
                        let ids = self.articles.as_ref()?;
                        ids.ord_to_str(ord, &mut id).ok()?.then(|| id.clone())
                    })
                    .collect();
                (path, (passages, ids))
            })
            .collect()
    }
}

fn tree(counts: &Counts, parent: &[String], order: CompanyOrder) -> Vec<CompanyCount> {
    let level: BTreeMap<&CompanyPath, &(u64, HashSet<String>)> = counts
        .iter()
        .filter(|(path, _)| path.0.len() == parent.len() + 1 && path.0.starts_with(parent))
        .collect();
    let mut nodes: Vec<CompanyCount> = level
        .into_iter()
        .map(|(path, (passages, articles))| CompanyCount {
            path: path.to_string(),
            name: path.name().to_string(),
            passages: *passages,
            articles: articles.len() as u64,
            children: tree(counts, &path.0, order),
        })
        .collect();
    if order == CompanyOrder::Count {
        nodes.sort_by(|a, b| {
            b.passages
                .cmp(&a.passages)
                .then_with(|| a.name.cmp(&b.name))
        });
    }
    nodes
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
}
