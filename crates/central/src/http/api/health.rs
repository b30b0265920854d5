//! `GET /api/v1/health`, and the answers for a path or method the server does not have.

use axum::Json;
use axum::http::StatusCode;

use crate::http::extract::ApiFailure;
use crate::http::state::AppState;
use axum::Router;
use axum::routing::get;
use mpp_core::protocol::API;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{API}/health"), get(health))
}

/// `GET /api/v1/health`: 200 while the server runs; no authentication.
pub async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Any other path.
pub async fn not_found() -> ApiFailure {
    ApiFailure::not_found("no such endpoint: the API lives under /api/v1")
}

/// A known path with another method.
pub async fn method_not_allowed() -> ApiFailure {
    ApiFailure::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "this endpoint does not take that method",
    )
}
