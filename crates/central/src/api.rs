//! The JSON API v1 handlers: health, events, catalog, heartbeat, queues (kiosks) and ticket
//! reports (counters). Authentication comes first, then the body; every refusal is an
//! [`ApiError`](mpp_core::protocol::ApiError).

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::AppState;
use super::auth::{Counter, Kiosk};
use super::extract::{ApiFailure, ApiJson};
use super::published::matches_etag;
use super::ticket_page::plausible_id;
use mpp_core::ids::QueueCode;
use mpp_core::protocol::{CounterReport, EventBatch, Heartbeat, QueueReport};

/// Longest counter name kept.
const MAX_COUNTER_NAME: usize = 64;

/// `GET /api/v1/health`: 200 while the server runs; no authentication.
pub async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// `POST /api/v1/events`: 200 with the outcome, or 409 when some events conflicted.
pub async fn events(
    State(state): State<AppState>,
    Kiosk(kiosk): Kiosk,
    ApiJson(batch): ApiJson<EventBatch>,
) -> Result<Response, ApiFailure> {
    if batch.kiosk != kiosk {
        return Err(ApiFailure::forbidden(format!(
            "this token belongs to kiosk {kiosk}, but the batch says {:?}",
            batch.kiosk
        )));
    }
    for (index, event) in batch.events.iter().enumerate() {
        if event.ticket.kiosk != kiosk {
            return Err(ApiFailure::forbidden(format!(
                "events[{index}].ticket.kiosk is {:?}: kiosk {kiosk} may only send its own tickets",
                event.ticket.kiosk
            )));
        }
        if !plausible_id(&event.ticket.id) {
            return Err(ApiFailure::unprocessable(format!(
                "events[{index}].ticket.id must be 1–64 letters, digits, '-' or '_'"
            )));
        }
    }
    let now = state.now();
    let outcome = state
        .storage(move |storage| storage.apply_batch(&kiosk, &batch.events, now))
        .await?;
    let status = if outcome.conflicts.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    Ok((status, Json(outcome)).into_response())
}

/// `GET /api/v1/catalog`: the published catalog with `ETag: "v<version>"`; 304 when the
/// kiosk already has it, 503 when no valid catalog was ever published.
pub async fn catalog(
    State(state): State<AppState>,
    _kiosk: Kiosk,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let snapshot = state.catalog().await;
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

/// `POST /api/v1/heartbeat`: kept as the kiosk's latest state, with our receive time.
pub async fn heartbeat(
    State(state): State<AppState>,
    Kiosk(kiosk): Kiosk,
    ApiJson(heartbeat): ApiJson<Heartbeat>,
) -> Result<StatusCode, ApiFailure> {
    if heartbeat.kiosk != kiosk {
        return Err(ApiFailure::forbidden(format!(
            "this token belongs to kiosk {kiosk}, but the heartbeat says {:?}",
            heartbeat.kiosk
        )));
    }
    let now = state.now();
    state
        .storage(move |storage| storage.record_heartbeat(&heartbeat, now))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct QueuesQuery {
    day: Option<String>,
}

/// `GET /api/v1/queues?day=YYYY-MM-DD` (today when absent): people waiting per queue.
pub async fn queues(
    State(state): State<AppState>,
    _kiosk: Kiosk,
    query: Result<Query<QueuesQuery>, QueryRejection>,
) -> Result<Json<QueueReport>, ApiFailure> {
    let Query(query) = query.map_err(|rejection| {
        ApiFailure::bad_request(format!("bad query: {}", rejection.body_text()))
    })?;
    let day = match query.day.as_deref() {
        None | Some("") => state.today(),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            ApiFailure::bad_request(format!("day {text:?} is not a date written YYYY-MM-DD"))
        })?,
    };
    let known: Vec<QueueCode> = state
        .catalog()
        .await
        .served
        .map(|served| {
            served
                .catalog
                .agencies
                .iter()
                .flat_map(|agency| agency.queues.iter().map(|queue| queue.prefix.clone()))
                .collect()
        })
        .unwrap_or_default();
    let at = state.now();
    let queues = state
        .storage(move |storage| storage.waiting(day, &known))
        .await?;
    Ok(Json(QueueReport {
        business_day: day,
        at,
        queues,
    }))
}

/// `POST /api/v1/counter/tickets/{id}`: a counter called, served or missed a ticket.
pub async fn counter(
    State(state): State<AppState>,
    Counter(credential): Counter,
    id: Result<Path<String>, PathRejection>,
    ApiJson(report): ApiJson<CounterReport>,
) -> Result<StatusCode, ApiFailure> {
    let unknown = || ApiFailure::not_found("no such ticket");
    let Ok(Path(id)) = id else {
        return Err(unknown());
    };
    if !plausible_id(&id) {
        return Err(unknown());
    }
    let name = report.counter.trim();
    if name.is_empty() || name.chars().count() > MAX_COUNTER_NAME {
        return Err(ApiFailure::unprocessable(format!(
            "field `counter` must name the counter in 1–{MAX_COUNTER_NAME} characters, e.g. \"Loket 3\""
        )));
    }
    let report = CounterReport {
        status: report.status,
        counter: name.to_owned(),
    };
    let now = state.now();
    let found = state
        .storage(move |storage| storage.record_counter_report(&id, &report, &credential, now))
        .await?;
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(unknown())
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
