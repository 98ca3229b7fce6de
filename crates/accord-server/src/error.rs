//! API errors and their HTTP form: a status and a JSON body
//! `{"error": message, "errors": [located diagnostics]}`.

use crate::store::StoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The scenario does not parse or check: the same located messages as `accord check`.
    #[error("{0}")]
    Scenario(#[from] accord_formats::LoadError),
    /// The request itself is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// The analysis did not finish within the time budget.
    #[error("the analysis did not finish within {0} ms; try a smaller scenario")]
    OverBudget(u64),
    /// The engine refused the scenario (e.g. too large to enumerate).
    #[error("{0}")]
    Engine(String),
    /// The library refused the operation.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something failed inside the server.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Scenario(_) | ApiError::BadRequest(_) | ApiError::Engine(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::OverBudget(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Store(StoreError::NoScenario(_) | StoreError::NoVersion(..)) => {
                StatusCode::NOT_FOUND
            }
            ApiError::Store(StoreError::Exists(_)) => StatusCode::CONFLICT,
            ApiError::Store(StoreError::BadId(_)) => StatusCode::BAD_REQUEST,
            ApiError::Store(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let errors = match &self {
            ApiError::Scenario(e) => serde_json::to_value(&e.diagnostics).unwrap_or_default(),
            _ => json!([]),
        };
        let body = json!({ "error": self.to_string(), "errors": errors });
        (self.status(), Json(body)).into_response()
    }
}
