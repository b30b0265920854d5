//! `GET /api/v1/queues`: people waiting per queue of the kiosk's MPP on a day.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::http::auth::Kiosk;
use crate::http::extract::ApiFailure;
use crate::http::state::AppState;
use crate::http::waits::queue_paces;
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
    /// `1`: each queue's pace too (kiosks that show wait estimates ask for it).
    estimates: Option<String>,
}

/// `GET /api/v1/queues?day=YYYY-MM-DD[&estimates=1]` (today when absent): people waiting per
/// queue of the kiosk's MPP, and with `estimates=1` each queue's pace now (for today only: a
/// pace is of this hour).
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
    let estimates = match query.estimates.as_deref() {
        None | Some("" | "0") => false,
        Some("1") => true,
        Some(other) => {
            return Err(ApiFailure::bad_request(format!(
                "estimates {other:?} must be 1 or 0"
            )));
        }
    };
    let pace_of = (estimates && day == state.today(mpp)).then(|| mpp.clone());
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
        .read(move |storage| {
            let mut queues = storage.waiting(&mpp, day, &known)?;
            if let Some(entry) = pace_of {
                let paces = queue_paces(storage, &entry, day, at)?;
                for queue in &mut queues {
                    queue.pace = paces.get(queue.queue.as_str()).copied();
                }
            }
            Ok(queues)
        })
        .await?;
    Ok(Json(QueueReport {
        business_day: day,
        at,
        queues,
    }))
}
