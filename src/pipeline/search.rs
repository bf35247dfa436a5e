//! The query-side entry point of `graf search` and the server: names resolved, then the
//! search itself.

use crate::companies::Gazetteer;
use crate::error::Result;
use crate::indexer::GrafIndex;
use crate::search::{self, SearchRequest, SearchResults};

use super::resolve::{resolve_request_companies, resolve_sources};

/// What `graf search` runs: the query's `company:` terms and `--company` names resolved, then
/// the search itself.
pub fn search(
    graf: &GrafIndex,
    gazetteer: &Gazetteer,
    company_names: &[String],
    request: SearchRequest,
) -> Result<SearchResults> {
    search_with(
        graf,
        &graf.reader()?.searcher(),
        gazetteer,
        company_names,
        request,
    )
}

/// [`search()`] on a searcher the caller keeps (a server reuses one reader across requests).
pub(crate) fn search_with(
    graf: &GrafIndex,
    searcher: &tantivy::Searcher,
    gazetteer: &Gazetteer,
    company_names: &[String],
    mut request: SearchRequest,
) -> Result<SearchResults> {
    resolve_request_companies(&mut request, company_names, gazetteer, || {
        crate::indexer::company_paths(searcher, &graf.fields())
    })?;
    if !request.sources.is_empty() {
        let known = crate::indexer::sources(searcher, &graf.fields())?;
        request.sources = resolve_sources(&request.sources, &known)?;
    }
    search::search(graf, searcher, &request)
}
