//! `POST /api/v1/events`: a kiosk's ticket events, each checked (its instants, business day
//! and signed QR link) and the good ones stored in one transaction; the others refused alone.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::http::auth::{FromKiosk, SentByKiosk};
use crate::http::extract::ApiFailure;
use crate::http::state::AppState;
use crate::model::refusal::RefusedEvent;
use crate::rules::batch::*;
use crate::storage::batches::Batch;
use axum::Router;
use axum::routing::post;
use mpp_core::ids::KioskId;
use mpp_core::protocol::API;
use mpp_core::protocol::{EventBatch, Refusal};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{API}/events"), post(events))
}

/// `POST /api/v1/events`: 200 with the outcome, or 409 when some events conflicted. An event
/// that can never be right (another kiosk's ticket, an impossible instant) is refused alone,
/// with its reason in the outcome: it does not hold back the good events of its batch.
pub async fn events(
    State(state): State<AppState>,
    FromKiosk { kiosk, body: batch }: FromKiosk<EventBatch>,
) -> Result<Response, ApiFailure> {
    let now = state.now();
    let mpp = state.mpp_of(&kiosk)?;
    let (zone, mpp) = (mpp.time_zone, mpp.id.clone());
    // Every authenticated kiosk is configured with a key; an empty one would sign for anyone.
    let key = state
        .signing_key(&kiosk)
        .ok_or_else(|| ApiFailure::internal(&format!("kiosk {kiosk} has no signing key")))?;
    let (mut good, mut refused) = (Vec::new(), Vec::new());
    for (index, event) in batch.events.into_iter().enumerate() {
        match event_problem(index, &event, &kiosk, key, now, zone) {
            None => good.push(event),
            Some(reason) => refused.push(RefusedEvent {
                ticket_id: event.ticket.id.as_str().to_owned(),
                refusal: Refusal {
                    event_id: event.event_id,
                    reason,
                },
            }),
        }
    }
    let range = state.number_range(&kiosk);
    let outcome = state
        .storage(move |storage| {
            storage.apply_batch(&Batch {
                mpp: &mpp,
                kiosk: &kiosk,
                range,
                events: &good,
                refused: &refused,
                now,
            })
        })
        .await?;
    let status = if outcome.conflicts.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    Ok((status, Json(outcome)).into_response())
}

impl SentByKiosk for EventBatch {
    fn sender(&self) -> &KioskId {
        &self.kiosk
    }
}
