//! What can go wrong in a request, and the HTTP status that fits: a bad parameter or query is
//! 400 with the library's own one-line message, an unknown article or company 404, anything
//! else 500 (logged on stderr, shown to the client in one line). The API answers with
//! `{"status": N, "error": "..."}`; the pages render the same message in HTML.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// A request that cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServeError {
    /// A parameter, query or company name the client must change.
    BadRequest(String),
    /// No such article, company or route.
    NotFound(String),
    /// The index could not be read.
    Internal(String),
}

impl ServeError {
    pub fn status(&self) -> StatusCode {
        match self {
            ServeError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ServeError::NotFound(_) => StatusCode::NOT_FOUND,
            ServeError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            ServeError::BadRequest(m) | ServeError::NotFound(m) | ServeError::Internal(m) => m,
        }
    }
}

impl From<crate::Error> for ServeError {
    fn from(err: crate::Error) -> Self {
        let message = crate::render::errors::message(&err);
        match err {
            crate::Error::Query { .. }
            | crate::Error::ExpansionNeedsLocalIndex
            | crate::Error::UnknownCompany { .. } => ServeError::BadRequest(message),
            _ => {
                eprintln!("graf: error: {message}");
                ServeError::Internal(message)
            }
        }
    }
}

/// The JSON form of an error, for `/api/` routes.
pub struct ApiError(pub ServeError);

impl From<ServeError> for ApiError {
    fn from(err: ServeError) -> Self {
        ApiError(err)
    }
}

impl From<crate::Error> for ApiError {
    fn from(err: crate::Error) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let body = serde_json::json!({ "status": status.as_u16(), "error": self.0.message() });
        (status, Json(body)).into_response()
    }
}
