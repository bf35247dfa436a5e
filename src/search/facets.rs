//! Company facets at search time: the list of company paths an index knows (for resolving and
//! suggesting names), and facet counts over the matching passages shaped as a tree.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::{FacetCollector, FacetCounts, MultiCollector};
use tantivy::query::Query;
use tantivy::schema::Facet;
use tantivy::Searcher;

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

/// Passage counts per company over the matches of `query`, as a tree sorted by count.
///
/// tantivy's [`FacetCollector`] counts the direct children of the facets it is given and
/// refuses a facet below another one, so each depth of the tree gets a collector of its own:
/// depth 1 counts the children of `/company`, depth 2 the children of every company that has
/// subsidiaries, and so on; all run in one pass as a [`MultiCollector`].
pub fn facet_tree(
    searcher: &Searcher,
    query: &dyn Query,
    known: &[CompanyPath],
) -> Result<Vec<FacetNode>> {
    let mut multi = MultiCollector::new();
    let handles: Vec<_> = parents_by_depth(known)
        .into_iter()
        .map(|parents| {
            let mut collector = FacetCollector::for_field(COMPANY);
            for parent in parents {
                collector.add_facet(parent);
            }
            multi.add_collector(collector)
        })
        .collect();
    let mut fruits = searcher.search(query, &multi)?;
    let mut counts = BTreeMap::new();
    for handle in handles {
        let level: FacetCounts = handle.extract(&mut fruits);
        for (facet, count) in level.get(Facet::root()) {
            if let Some(path) = company_path(facet) {
                counts.insert(path, count);
            }
        }
    }
    Ok(tree(&counts, &[]))
}

/// The facets whose children each depth counts: `[/company]`, then every company with
/// subsidiaries, one `Vec` per depth.
fn parents_by_depth(known: &[CompanyPath]) -> Vec<Vec<Facet>> {
    let mut levels = vec![vec![Facet::from_path([COMPANY_ROOT])]];
    let mut parents: BTreeSet<&[String]> = BTreeSet::new();
    for path in known {
        if path.0.len() > 1 {
            parents.insert(&path.0[..path.0.len() - 1]);
        }
    }
    for parent in parents {
        let depth = parent.len();
        if levels.len() <= depth {
            levels.resize_with(depth + 1, Vec::new);
        }
        levels[depth].push(company_facet(&CompanyPath(parent.to_vec())));
    }
    levels
        .into_iter()
        .filter(|level| !level.is_empty())
        .collect()
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
