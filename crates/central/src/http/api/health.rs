//! `GET /api/v1/health` (the server and its database), `GET /api/v1/live` (the process alone),
//! and the answers for a path or method the server does not have.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::http::extract::ApiFailure;
use crate::http::state::AppState;
use axum::Router;
use axum::routing::get;
use mpp_core::protocol::API;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(&format!("{API}/health"), get(health))
        .route(&format!("{API}/live"), get(live))
}

/// `GET /api/v1/live`: 200 while the process serves requests, whatever the database does; for
/// a liveness probe, which must not restart the server because PostgreSQL is away (that is
/// what `/api/v1/health` reports). No authentication, nothing read.
pub async fn live() -> Response {
    Json(serde_json::json!({ "status": "live" })).into_response()
}

/// `GET /api/v1/health`: 200 while the server runs and its database answers, 503 (saying
/// which) while it does not, as the pages and the kiosk API then do; no authentication.
pub async fn health(State(state): State<AppState>) -> Response {
    match state.read(|storage| storage.answers()).await {
        Ok(()) => Json(serde_json::json!({ "status": "ok" })).into_response(),
        Err(failure) => {
            tracing::warn!(status = %failure.status, "health: the database does not answer: {}", failure.message);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({
                    "status": "unavailable",
                    "reason": "the database does not answer",
                })),
            )
                .into_response()
        }
    }
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
