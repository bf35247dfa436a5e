//! The stylesheet and the script, compiled into the binary with `include_str!`: `graf serve`
//! is one file to copy, with no build step and nothing read from disk at run time. Only these
//! two names are served; any other is 404.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::error::ServeError;

/// The pages' stylesheet.
pub const STYLE: &str = include_str!("assets/style.css");
/// `/` focuses the query box; "Neighbouring paragraphs" opens inline.
pub const SCRIPT: &str = include_str!("assets/app.js");

pub async fn serve(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "app.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        _ => {
            let err = ServeError::NotFound(format!("no asset called {name:?}"));
            return (err.status(), err.message().to_string()).into_response();
        }
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}
