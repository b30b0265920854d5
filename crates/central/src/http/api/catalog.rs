//! `GET /api/v1/catalog`: the MPP's published catalog, with an ETag.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::http::auth::Kiosk;
use crate::http::extract::ApiFailure;
use crate::http::state::AppState;
use crate::published::matches_etag;
use axum::Router;
use axum::routing::get;
use mpp_core::protocol::API;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{API}/catalog"), get(catalog))
}

/// `GET /api/v1/catalog`: the kiosk's MPP's published catalog with `ETag: "v<version>"`; 304
/// when the kiosk already has it, 503 when no valid catalog was ever published.
pub async fn catalog(
    State(state): State<AppState>,
    Kiosk(kiosk): Kiosk,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let mpp = state.mpp_of(&kiosk)?.id.clone();
    let snapshot = state.catalog(&mpp).await;
    let Some(served) = snapshot.served else {
        return Err(ApiFailure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "no valid catalog is published yet: {}",
                snapshot
                    .problem
                    .as_deref()
                    .unwrap_or("the catalog file is missing")
            ),
        ));
    };
    let etag = HeaderValue::from_str(&served.etag).map_err(|error| ApiFailure::internal(&error))?;
    let unchanged = headers
        .get(IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| matches_etag(value, &served.etag));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = (StatusCode::OK, served.body.clone()).into_response();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    };
    let headers = response.headers_mut();
    headers.insert(ETAG, etag);
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}
