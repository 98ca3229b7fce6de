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
    /// The analysis waited its whole budget for a turn: other analyses hold the lane.
    #[error("server busy: other analyses are running, try again shortly")]
    Busy,
    /// The request came from a page of another site, or names another host.
    #[error("{0}")]
    Forbidden(String),
    /// The body is not declared as JSON (or TOML).
    #[error("{0}")]
    UnsupportedType(String),
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
            ApiError::OverBudget(_) | ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::UnsupportedType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Store(StoreError::NoScenario(_) | StoreError::NoVersion(..)) => {
                StatusCode::NOT_FOUND
            }
            ApiError::Store(StoreError::Exists(_)) => StatusCode::CONFLICT,
            ApiError::Store(StoreError::BadId(_)) => StatusCode::BAD_REQUEST,
            ApiError::Store(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// What a client reads for any 500: the cause stays in the server's log,
/// since SQL and task errors describe the server, not the request.
pub(crate) const INTERNAL: &str = "internal error (the server log has the details)";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let errors = match &self {
            ApiError::Scenario(e) => serde_json::to_value(&e.diagnostics).unwrap_or_default(),
            _ => json!([]),
        };
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %self, "request failed");
            INTERNAL.to_string()
        } else {
            self.to_string()
        };
        (status, Json(json!({ "error": message, "errors": errors }))).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_answer_a_fixed_message() {
        let sql = StoreError::Sql(rusqlite::Error::InvalidQuery);
        let r = ApiError::Store(sql).into_response();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let r = ApiError::Internal("join error: task 7 panicked".into()).into_response();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(axum::body::to_bytes(r.into_body(), 1 << 16))
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v, json!({"error": INTERNAL, "errors": []}));
    }
}
