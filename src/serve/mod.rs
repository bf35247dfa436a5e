//! `graf serve`: a search page and a JSON API over an index, from the same library code as
//! the CLI (company resolution and search through `pipeline::search_with`, hit
//! objects through [`crate::render::wire`]).
//!
//! This module owns the server's life: binding (127.0.0.1:7700 by default; any other address
//! is allowed with a warning, since the pages have no authentication), the route table,
//! request logging on stderr, security headers and graceful shutdown on Ctrl-C or SIGTERM
//! (requests in flight finish, new connections are refused). One file per concern:
//! `state` (the shared index reader that follows commits), `params` (query strings to
//! validated requests, with limits), `api` (JSON routes under `/api/`), `pages` (HTML
//! routes), `templates` (the markup, with maud), `assets` (CSS and JavaScript compiled into
//! the binary), `error` (errors with a fitting status).
//!
//! Nothing writes: every route answers GET (and HEAD); any other method is 405.

pub(crate) mod api;
pub(crate) mod assets;
pub(crate) mod error;
pub(crate) mod pages;
pub(crate) mod params;
pub(crate) mod state;
pub(crate) mod templates;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::Request;
use axum::http::header::{self, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

pub use state::AppState;

/// The address `graf serve` binds when none is given: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:7700";

/// How to run the server.
#[derive(Clone, Debug)]
pub struct Options {
    pub addr: SocketAddr,
    /// No request log.
    pub quiet: bool,
}

/// Serves `state` on `options.addr` until Ctrl-C or SIGTERM.
pub fn run(state: AppState, options: &Options) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(options.addr).await?;
        let bound = listener.local_addr()?;
        if let Some(warning) = exposure_warning(bound) {
            eprintln!("graf: warning: {warning}");
        }
        eprintln!("graf: serving http://{bound}/ (Ctrl-C to stop)");
        axum::serve(listener, router(state, options.quiet))
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        eprintln!("graf: stopped");
        Ok(())
    })
}

/// What to say when the server is reachable from other machines (any address but loopback).
pub(crate) fn exposure_warning(addr: SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "serving on {addr}, reachable from other machines: graf serve has no authentication, anyone who can connect reads the whole index"
        )
    })
}

/// Every route, with the middleware.
pub(crate) fn router(state: AppState, quiet: bool) -> Router {
    let routes = Router::new()
        .route("/", get(pages::search))
        .route("/article", get(pages::article))
        .route("/companies", get(pages::companies))
        .route("/assets/{name}", get(assets::serve))
        .route("/api/search", get(api::search))
        .route("/api/companies", get(api::companies))
        .route("/api/companies/{*name}", get(api::company))
        .route("/api/articles/{*id}", get(api::article))
        .route("/api/stats", get(api::stats))
        .route("/api/{*rest}", get(api::not_found))
        .fallback(pages::not_found)
        .with_state(Arc::new(state))
        .layer(middleware::from_fn(security_headers));
    if quiet {
        routes
    } else {
        routes.layer(middleware::from_fn(log_request))
    }
}

/// One line per request on stderr: method, path and query, status, time taken.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let uri = request.uri().clone();
    let response = next.run(request).await;
    eprintln!(
        "{} {method} {uri} {} {:.1} ms",
        now(),
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1e3
    );
    response
}

fn now() -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc()
        .format(format)
        .unwrap_or_default()
}

/// Defence in depth behind escaping: no inline script or style can run, the pages cannot be
/// framed, and browsers do not guess content types.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    eprintln!("graf: shutting down: finishing the requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_served_without_a_warning() {
        for quiet in ["127.0.0.1:7700", "[::1]:7700", "127.0.0.2:80"] {
            assert_eq!(exposure_warning(quiet.parse().unwrap()), None, "{quiet}");
        }
        for exposed in ["0.0.0.0:7700", "192.168.1.10:7700", "[::]:7700"] {
            let warning = exposure_warning(exposed.parse().unwrap()).unwrap();
            assert!(warning.contains("no authentication"), "{warning}");
        }
    }
}
