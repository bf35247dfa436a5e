//! The HTML routes: the search page (`/`), the article view (`/article?id=...`) and the
//! companies page (`/companies`, `?company=` for one company's co-mentions). Each handler
//! validates its parameters, gathers what the page shows on the blocking pool, and hands it to
//! [`super::templates`]. Every state of a page is its URL; none needs JavaScript.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::api::{article_range, article_view, company_view, run_search};
use super::error::ServeError;
use super::params::{self, SearchParams};
use super::state::{blocking, Shared};
use super::templates::{self, ArticlePage, CompaniesPage, SearchPage};
use crate::search::browse;
use crate::search::facets::CompanyOrder;
use crate::search::listing;

/// A page with its status.
fn page(status: StatusCode, markup: maud::Markup) -> Response {
    (status, Html(markup.into_string())).into_response()
}

fn error_page(err: &ServeError) -> Response {
    page(err.status(), templates::error_page(err))
}

pub async fn search(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let pairs = params::pairs(raw.as_deref());
    let parsed = SearchParams::parse(&pairs);
    let params = parsed.clone().unwrap_or_default();
    let shown = blocking(&state, move |state| {
        let searcher = state.searcher();
        let sources = browse::sources(&searcher, &state.graf.fields())?;
        let passages = searcher.num_docs();
        let results = match parsed {
            Err(err) => Err(err),
            Ok(params) if params.is_search() => {
                let mut with_facets = params;
                with_facets.request.facets = true;
                run_search(state, &with_facets).map(Some)
            }
            Ok(_) => Ok(None),
        };
        Ok((sources, passages, results))
    })
    .await;
    match shown {
        Err(err) => error_page(&err),
        Ok((sources, passages, results)) => {
            let (results, error) = match results {
                Ok(results) => (results, None),
                Err(err) => (None, Some(err)),
            };
            let status = error.as_ref().map_or(StatusCode::OK, ServeError::status);
            let view = SearchPage {
                params: &params,
                results: results.as_ref(),
                error: error.as_ref().map(ServeError::message),
                sources: &sources,
                passages,
            };
            page(status, templates::search_page(&view))
        }
    }
}

/// `/article?id=ID&hit=N&from=A&to=B`: the article, passage `hit` marked.
pub async fn article(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let pairs = params::pairs(raw.as_deref());
    let mut id = None;
    let mut hit = None;
    let mut range_pairs = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            "id" => id = Some(value),
            "hit" => match params::number("hit", &value, 0, u32::MAX as usize) {
                Ok(n) => hit = Some(n as u32),
                Err(err) => return error_page(&err),
            },
            _ => range_pairs.push((key, value)),
        }
    }
    let Some(id) = id.filter(|id| !id.is_empty()) else {
        return error_page(&ServeError::BadRequest(
            "which article? give its id: /article?id=...".into(),
        ));
    };
    let range = match article_range(&range_pairs) {
        Ok(range) => range,
        Err(err) => return error_page(&err),
    };
    match blocking(&state, move |state| article_view(state, &id, range)).await {
        Ok(view) => page(
            StatusCode::OK,
            templates::article_page(&ArticlePage { view: &view, hit }),
        ),
        Err(err) => error_page(&err),
    }
}

/// `/companies` and `/companies?company=NAME`.
pub async fn companies(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let mut selected = None;
    for (key, value) in params::pairs(raw.as_deref()) {
        match key.as_str() {
            "company" if !value.trim().is_empty() => selected = Some(value),
            "company" => {}
            other => {
                return error_page(&ServeError::BadRequest(format!(
                    "unknown parameter {other:?}: the companies page takes company"
                )))
            }
        }
    }
    let gathered = blocking(&state, move |state| {
        let tree = listing::companies(&state.searcher(), CompanyOrder::Count)?;
        let company = selected
            .map(|name| company_view(state, &name))
            .transpose()?;
        Ok((tree, company))
    })
    .await;
    match gathered {
        Ok((tree, company)) => page(
            StatusCode::OK,
            templates::companies_page(&CompaniesPage {
                tree: &tree,
                company: company.as_ref(),
            }),
        ),
        Err(err) => error_page(&err),
    }
}

pub async fn not_found() -> Response {
    error_page(&ServeError::NotFound(
        "no such page: try the search page or the companies page".into(),
    ))
}
