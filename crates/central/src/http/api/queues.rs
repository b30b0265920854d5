//! `GET /api/v1/queues`: people waiting per queue of the kiosk's MPP on a day.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::http::auth::Kiosk;
use crate::http::extract::ApiFailure;
use crate::http::state::AppState;
use axum::Router;
use axum::routing::get;
use mpp_core::ids::QueueCode;
use mpp_core::protocol::API;
use mpp_core::protocol::QueueReport;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{API}/queues"), get(queues))
}

#[derive(Deserialize)]
pub struct QueuesQuery {
    day: Option<String>,
}

/// `GET /api/v1/queues?day=YYYY-MM-DD` (today when absent): people waiting per queue of the
/// kiosk's MPP.
pub async fn queues(
    State(state): State<AppState>,
    Kiosk(kiosk): Kiosk,
    query: Result<Query<QueuesQuery>, QueryRejection>,
) -> Result<Json<QueueReport>, ApiFailure> {
    let Query(query) = query.map_err(|rejection| {
        ApiFailure::bad_request(format!("bad query: {}", rejection.body_text()))
    })?;
    let mpp = state.mpp_of(&kiosk)?;
    let day = match query.day.as_deref() {
        None | Some("") => state.today(mpp),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            ApiFailure::bad_request(format!("day {text:?} is not a date written YYYY-MM-DD"))
        })?,
    };
    let mpp = mpp.id.clone();
    let known: Vec<QueueCode> = state
        .catalog(&mpp)
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
        .read(move |storage| storage.waiting(&mpp, day, &known))
        .await?;
    Ok(Json(QueueReport {
        business_day: day,
        at,
        queues,
    }))
}
