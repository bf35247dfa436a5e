//! Company facets at search time: the one counter of passages (and articles) per company
//! over the matches of a query, and the one `tree` that shapes counts per path into the
//! company tree, for `--facets`, `graf companies` and the remote engine alike. Facet paths
//! themselves are built in [`crate::schema`].

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::fastfield::FacetReader;
use tantivy::query::Query;
use tantivy::schema::Facet;
use tantivy::Searcher;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::error::Result;
use crate::model::{CompanyCount, CompanyPath, FacetNode};
use crate::schema::{company_path, ARTICLE_ID, COMPANY};

/// How to order companies at each level of the tree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CompanyOrder {
    /// Most passages first.
    #[default]
    Count,
    Name,
}

/// Passages and distinct articles per company path, ancestors included.
pub(crate) type Counts = BTreeMap<CompanyPath, (u64, u64)>;

/// Passage counts per company over the matches of `query`, as a tree sorted by count. A
/// passage counts once for a company and once for each of its parents, however many of that
/// family's facets it carries.
pub(crate) fn facet_tree(searcher: &Searcher, query: &dyn Query) -> Result<Vec<FacetNode>> {
    let counts = count(searcher, query, false)?;
    Ok(facet_nodes(tree(&counts, CompanyOrder::Count)))
}

/// Passages per company over the matches of `query`, and with `articles` the distinct
/// articles of those passages too (0 without: counting them costs a set per company).
pub(crate) fn count(searcher: &Searcher, query: &dyn Query, articles: bool) -> Result<Counts> {
    let fruit = searcher.search(query, &CompanyCounter { articles })?;
    Ok(fruit
        .into_iter()
        .map(|(path, (passages, ids))| (path, (passages, ids.len() as u64)))
        .collect())
}

/// Counts per company path as a tree: each path under its parent, each level in `order`
/// (by count: most passages first, equals by name; by name: as the paths sort).
pub(crate) fn tree(counts: &Counts, order: CompanyOrder) -> Vec<CompanyCount> {
    level(counts, &[], order)
}

fn level(counts: &Counts, parent: &[String], order: CompanyOrder) -> Vec<CompanyCount> {
    let mut nodes: Vec<CompanyCount> = counts
        .iter()
        .filter(|(path, _)| path.0.len() == parent.len() + 1 && path.0.starts_with(parent))
        .map(|(path, &(passages, articles))| CompanyCount {
            path: path.to_string(),
            name: path.name().to_string(),
            passages,
            articles,
            children: level(counts, &path.0, order),
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

/// The company tree as facet counts (passages only), as search results carry it.
pub(crate) fn facet_nodes(nodes: Vec<CompanyCount>) -> Vec<FacetNode> {
    nodes
        .into_iter()
        .map(|node| FacetNode {
            path: node.path,
            name: node.name,
            count: node.passages,
            children: facet_nodes(node.children),
        })
        .collect()
}

/// Per company path: passages, and the ids of their articles (when counted).
type Fruit = BTreeMap<CompanyPath, (u64, HashSet<String>)>;

/// One pass with one collector: each segment maps every facet ordinal once to the chain of
/// tree nodes it counts for (itself and its ancestors), and each matching passage adds one to
/// the nodes of its ordinals. Most passages name no company, and cost one empty lookup.
struct CompanyCounter {
    /// Also collect the article ids of the counted passages.
    articles: bool,
}

impl Collector for CompanyCounter {
    type Fruit = Fruit;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCounter> {
        let facets = segment.facet_reader(COMPANY)?;
        let ordinals = facets.num_facets();
        let articles = match self.articles {
            true => segment.fast_fields().str(ARTICLE_ID)?,
            false => None,
        };
        Ok(SegmentCounter {
            facets,
            articles,
            chains: vec![None; ordinals],
            nodes: Vec::new(),
            node_ids: HashMap::new(),
            counts: Vec::new(),
            article_ords: Vec::new(),
            doc_nodes: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Fruit>) -> tantivy::Result<Fruit> {
        let mut merged = Fruit::new();
        for (path, (passages, articles)) in fruits.into_iter().flatten() {
            let entry = merged.entry(path).or_default();
            entry.0 += passages;
            entry.1.extend(articles);
        }
        Ok(merged)
    }
}

struct SegmentCounter {
    facets: FacetReader,
    /// The article id column, when articles are counted.
    articles: Option<StrColumn>,
    /// Per facet ordinal, the node ids it counts for, computed on first sight.
    chains: Vec<Option<Vec<u32>>>,
    /// Node id → company path (a path and each of its ancestors is one node).
    nodes: Vec<CompanyPath>,
    /// Company path → node id: a company index has thousands of paths.
    node_ids: HashMap<CompanyPath, u32>,
    counts: Vec<u64>,
    /// Node id → the article ordinals (of this segment) of its passages, when counted.
    article_ords: Vec<HashSet<u64>>,
    /// Scratch: the nodes of the passage being counted.
    doc_nodes: Vec<u32>,
}

impl SegmentCounter {
    fn chain(&mut self, ordinal: u64) -> &[u32] {
        let slot = ordinal as usize;
        if self.chains[slot].is_none() {
            let chain = self.compute_chain(ordinal);
            self.chains[slot] = Some(chain);
        }
        self.chains[slot].as_deref().unwrap_or(&[])
    }

    fn compute_chain(&mut self, ordinal: u64) -> Vec<u32> {
        let mut facet = Facet::root();
        if self.facets.facet_from_ord(ordinal, &mut facet).is_err() {
            return Vec::new();
        }
        let Some(path) = company_path(&facet) else {
            return Vec::new();
        };
        (1..=path.0.len())
            .map(|depth| self.node(CompanyPath(path.0[..depth].to_vec())))
            .collect()
    }

    fn node(&mut self, path: CompanyPath) -> u32 {
        if let Some(&id) = self.node_ids.get(&path) {
            return id;
        }
        let id = self.nodes.len() as u32;
        self.node_ids.insert(path.clone(), id);
        self.nodes.push(path);
        self.counts.push(0);
        self.article_ords.push(HashSet::new());
        id
    }

    /// The id of the article of `ordinal` in this segment's id column.
    fn article_id(&self, ordinal: u64) -> Option<String> {
        let mut id = String::new();
        let ids = self.articles.as_ref()?;
        ids.ord_to_str(ordinal, &mut id).ok()?.then_some(id)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Fruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        let mut ordinals = self.facets.facet_ords(doc).peekable();
        if ordinals.peek().is_none() {
            return;
        }
        let ordinals: Vec<u64> = ordinals.collect();
        let mut doc_nodes = std::mem::take(&mut self.doc_nodes);
        doc_nodes.clear();
        for ordinal in ordinals {
            doc_nodes.extend_from_slice(self.chain(ordinal));
        }
        doc_nodes.sort_unstable();
        doc_nodes.dedup();
        let article = self
            .articles
            .as_ref()
            .and_then(|ids| ids.term_ords(doc).next());
        for &node in &doc_nodes {
            self.counts[node as usize] += 1;
            self.article_ords[node as usize].extend(article);
        }
        self.doc_nodes = doc_nodes;
    }

    fn harvest(self) -> Fruit {
        let ids = |ords: &HashSet<u64>| -> HashSet<String> {
            ords.iter()
                .filter_map(|&ord| self.article_id(ord))
                .collect()
        };
        self.nodes
            .iter()
            .zip(&self.counts)
            .zip(&self.article_ords)
            .filter(|((_, count), _)| **count > 0)
            .map(|((path, &count), ords)| (path.clone(), (count, ids(ords))))
            .collect()
    }
}
