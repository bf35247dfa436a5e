//! The JSON API under `/api/`, described by `docs/openapi.json`:
//!
//! * `GET /api/search`: the parameters of `graf search` (see [`super::params`]); the hits are
//!   the objects `graf search --json` prints ([`Message::Hit`]), in an envelope with the total, the
//!   paging, the notes and, with `facets=true`, the company counts over all matches.
//! * `GET /api/companies`: the company tree with passage and article counts (`sort=name`).
//! * `GET /api/companies/{name}`: one company (a name, alias, ticker or path) with the
//!   companies named in the same passages.
//! * `GET /api/articles/{id}`: an article with its passages in order (`from`, `to` for a
//!   range: the neighbours of a hit).
//! * `GET /api/stats`: what `graf stats --json` prints, without its `type`.

use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::error::{ApiError, ServeError};
use super::params::{self, SearchParams};
use super::state::{blocking, AppState, Shared};
use crate::maintenance::{self, IndexStats};
use crate::model::{CompanyCount, CompanyPath, FacetNode};
use crate::pipeline;
use crate::render::{errors, Message};
use crate::search::browse::{self, ArticleView, CoMention};
use crate::search::facets::CompanyOrder;
use crate::search::listing;
use crate::search::SearchResults;

/// The answer of `/api/search`.
#[derive(Serialize)]
pub struct SearchResponse<'a> {
    /// Matching passages in all, before paging.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub returned: usize,
    pub elapsed_ms: f64,
    pub notes: Vec<String>,
    pub hits: Vec<Message<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<&'a [FacetNode]>,
}

impl<'a> SearchResponse<'a> {
    fn new(results: &'a SearchResults, params: &SearchParams) -> Self {
        SearchResponse {
            total: results.total,
            offset: params.request.offset,
            limit: params.request.limit,
            returned: results.hits.len(),
            elapsed_ms: (results.elapsed.as_secs_f64() * 1e6).round() / 1000.0,
            notes: results.notes.iter().map(errors::note).collect(),
            hits: results
                .hits
                .iter()
                .map(|hit| Message::Hit(hit.into()))
                .collect(),
            facets: results.facets.as_deref(),
        }
    }
}

/// Runs a search for the given parameters: what the API and the search page share.
pub fn run_search(state: &AppState, params: &SearchParams) -> Result<SearchResults, ServeError> {
    let searcher = state.searcher();
    Ok(pipeline::search_with(
        &state.graf,
        &searcher,
        &state.gazetteer,
        &params.companies,
        params.request.clone(),
    )?)
}

pub async fn search(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = SearchParams::parse(&params::pairs(raw.as_deref()))?;
    // Serialized from the wire structs directly, so the hits keep the field order of
    // `graf search --json`.
    let body = blocking(&state, move |state| {
        let results = run_search(state, &params)?;
        serde_json::to_vec(&SearchResponse::new(&results, &params))
            .map_err(|err| ServeError::Internal(err.to_string()))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The answer of `/api/companies`.
#[derive(Serialize)]
pub struct CompaniesResponse {
    pub companies: Vec<CompanyCount>,
}

pub async fn companies(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CompaniesResponse>, ApiError> {
    let order = company_order(&params::pairs(raw.as_deref()))?;
    let companies = blocking(&state, move |state| {
        Ok(listing::companies(&state.searcher(), order)?)
    })
    .await?;
    Ok(Json(CompaniesResponse { companies }))
}

fn company_order(pairs: &[(String, String)]) -> Result<CompanyOrder, ServeError> {
    let mut order = CompanyOrder::Count;
    for (key, value) in pairs {
        order = match (key.as_str(), value.as_str()) {
            ("sort", "count" | "") => CompanyOrder::Count,
            ("sort", "name") => CompanyOrder::Name,
            ("sort", other) => {
                return Err(ServeError::BadRequest(format!(
                    "sort must be count or name, not {other:?}"
                )))
            }
            (other, _) => {
                return Err(ServeError::BadRequest(format!(
                    "unknown parameter {other:?}: /api/companies takes sort"
                )))
            }
        };
    }
    Ok(order)
}

/// The answer of `/api/companies/{name}`.
#[derive(Serialize)]
pub struct CompanyResponse {
    pub path: String,
    pub name: String,
    /// Passages naming the company or one of its subsidiaries.
    pub passages: u64,
    /// Other companies named in those passages, most first.
    pub co_mentions: Vec<CoMention>,
}

pub async fn company(
    State(state): State<Shared>,
    Path(name): Path<String>,
) -> Result<Json<CompanyResponse>, ApiError> {
    let answer = blocking(&state, move |state| company_view(state, &name)).await?;
    Ok(Json(answer))
}

/// Resolves a company as `--company` does (an unknown one is 404 here: it names the resource)
/// and gathers its co-mentions.
pub fn company_view(state: &AppState, name: &str) -> Result<CompanyResponse, ServeError> {
    let searcher = state.searcher();
    let path = resolve_company(state, &searcher, name)?;
    let (passages, co_mentions) = browse::co_mentions(&searcher, &state.graf.fields(), &path)?;
    Ok(CompanyResponse {
        name: path.name().to_string(),
        path: path.to_string(),
        passages,
        co_mentions,
    })
}

fn resolve_company(
    state: &AppState,
    searcher: &tantivy::Searcher,
    name: &str,
) -> Result<CompanyPath, ServeError> {
    let known = crate::indexer::company_paths(searcher, &state.graf.fields())?;
    match pipeline::resolve_companies(&[name.to_string()], &known, &state.gazetteer) {
        Ok(mut paths) => Ok(paths.remove(0)),
        Err(err @ crate::Error::UnknownCompany { .. }) => {
            Err(ServeError::NotFound(crate::render::errors::message(&err)))
        }
        Err(err) => Err(err.into()),
    }
}

pub async fn article(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ArticleView>, ApiError> {
    let range = article_range(&params::pairs(raw.as_deref()))?;
    let view = blocking(&state, move |state| article_view(state, &id, range)).await?;
    Ok(Json(view))
}

/// The passages `from..=to` of an article (0-based positions; the whole article by default).
pub fn article_range(
    pairs: &[(String, String)],
) -> Result<std::ops::RangeInclusive<u32>, ServeError> {
    let (mut from, mut to) = (0, u32::MAX as usize);
    for (key, value) in pairs {
        match key.as_str() {
            "from" => from = params::number(key, value, 0, u32::MAX as usize)?,
            "to" => to = params::number(key, value, 0, u32::MAX as usize)?,
            other => {
                return Err(ServeError::BadRequest(format!(
                    "unknown parameter {other:?}: an article takes from and to"
                )))
            }
        }
    }
    if from > to {
        return Err(ServeError::BadRequest(format!(
            "from ({from}) is after to ({to})"
        )));
    }
    Ok(from as u32..=to as u32)
}

/// An article by id; an id the index does not hold is 404.
pub fn article_view(
    state: &AppState,
    id: &str,
    range: std::ops::RangeInclusive<u32>,
) -> Result<ArticleView, ServeError> {
    browse::article(&state.searcher(), &state.graf.fields(), id, range)?
        .ok_or_else(|| ServeError::NotFound(format!("no article with id {id:?} in this index")))
}

pub async fn stats(State(state): State<Shared>) -> Result<Json<IndexStats>, ApiError> {
    let stats = blocking(&state, |state| Ok(maintenance::stats(&state.graf)?)).await?;
    Ok(Json(stats))
}

/// Any other path under `/api/`.
pub async fn not_found(Path(rest): Path<String>) -> ApiError {
    ApiError(ServeError::NotFound(format!(
        "no API endpoint /api/{rest}: the endpoints are /api/search, /api/companies, /api/companies/{{name}}, /api/articles/{{id}}, /api/stats"
    )))
}
