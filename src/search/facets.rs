//! Company facets at search time: the list of company paths an index knows (for resolving and
//! suggesting names), and facet counts over the matching passages shaped as a tree.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::query::Query;
use tantivy::schema::Facet;
use tantivy::Searcher;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::error::{Error, Result};
use crate::model::{CompanyPath, FacetNode};
use crate::schema::{Fields, COMPANY, COMPANY_ROOT};

/// Every company path present in the index's term dictionary, ancestors included, sorted.
/// (Deleted passages may leave a path behind until segments merge; counts come from
/// [`FacetCounts`], never from here.)
pub fn company_paths(searcher: &Searcher, fields: &Fields) -> Result<Vec<CompanyPath>> {
    let mut paths = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.company)?;
        let mut terms = inverted.terms().stream().map_err(|err| io_error(&err))?;
        while terms.advance() {
            let Ok(facet) = Facet::from_encoded(terms.key().to_vec()) else {
                continue;
            };
            if let Some(path) = company_path(&facet) {
                paths.insert(path);
            }
        }
    }
    Ok(paths.into_iter().collect())
}

/// Every source name in the index's term dictionary, sorted (deleted articles may leave one
/// behind until segments merge).
pub fn sources(searcher: &Searcher, fields: &Fields) -> Result<Vec<String>> {
    let mut names = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.source)?;
        let mut terms = inverted.terms().stream().map_err(|err| io_error(&err))?;
        while terms.advance() {
            names.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    Ok(names.into_iter().collect())
}

fn io_error(err: &std::io::Error) -> Error {
    Error::Tantivy(tantivy::TantivyError::IoError(std::sync::Arc::new(
        std::io::Error::new(err.kind(), err.to_string()),
    )))
}

/// The company path of a `/company/...` facet; `None` for the root and other facets.
pub fn company_path(facet: &Facet) -> Option<CompanyPath> {
    let segments = facet.to_path();
    match segments.split_first() {
        Some((&root, rest)) if root == COMPANY_ROOT && !rest.is_empty() => {
            Some(CompanyPath::new(rest.iter().copied()))
        }
        _ => None,
    }
}

/// The facet of a company path: `/company/Amazon/AWS`.
pub fn company_facet(path: &CompanyPath) -> Facet {
    Facet::from_path(std::iter::once(COMPANY_ROOT).chain(path.0.iter().map(String::as_str)))
}

/// Passage counts per company over the matches of `query`, as a tree sorted by count. A
/// passage counts once for a company and once for each of its parents, however many of that
/// family's facets it carries.
///
/// One pass with one collector: each segment maps every facet ordinal once to the chain of
/// tree nodes it counts for (itself and its ancestors), and each matching passage adds one to
/// the nodes of its ordinals. Most passages name no company, and cost one empty lookup.
pub fn facet_tree(searcher: &Searcher, query: &dyn Query) -> Result<Vec<FacetNode>> {
    let counts = searcher.search(query, &CompanyCounter)?;
    Ok(tree(&counts, &[]))
}

struct CompanyCounter;

impl Collector for CompanyCounter {
    type Fruit = BTreeMap<CompanyPath, u64>;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCounter> {
        let facets = segment.facet_reader(COMPANY)?;
        let ordinals = facets.num_facets();
        Ok(SegmentCounter {
            facets,
            chains: vec![None; ordinals],
            nodes: Vec::new(),
            counts: Vec::new(),
            doc_nodes: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<BTreeMap<CompanyPath, u64>>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut merged = BTreeMap::new();
        for (path, count) in fruits.into_iter().flatten() {
            *merged.entry(path).or_default() += count;
        }
        Ok(merged)
    }
}

struct SegmentCounter {
    facets: FacetReader,
    /// Per facet ordinal, the node ids it counts for, computed on first sight.
    chains: Vec<Option<Vec<u32>>>,
    /// Node id → company path (a path and each of its ancestors is one node).
    nodes: Vec<CompanyPath>,
    counts: Vec<u64>,
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
        match self.nodes.iter().position(|known| *known == path) {
            Some(id) => id as u32,
            None => {
                self.nodes.push(path);
                self.counts.push(0);
                (self.nodes.len() - 1) as u32
            }
        }
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = BTreeMap<CompanyPath, u64>;

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
        for &node in &doc_nodes {
            self.counts[node as usize] += 1;
        }
        self.doc_nodes = doc_nodes;
    }

    fn harvest(self) -> Self::Fruit {
        self.nodes
            .into_iter()
            .zip(self.counts)
            .filter(|(_, count)| *count > 0)
            .collect()
    }
}

fn tree(counts: &BTreeMap<CompanyPath, u64>, parent: &[String]) -> Vec<FacetNode> {
    let mut nodes: Vec<FacetNode> = counts
        .iter()
        .filter(|(path, _)| path.0.len() == parent.len() + 1 && path.0.starts_with(parent))
        .map(|(path, &count)| FacetNode {
            name: path.name().to_string(),
            path: path.to_string(),
            count,
            children: tree(counts, &path.0),
        })
        .collect();
    nodes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.path.cmp(&b.path)));
    nodes
}
