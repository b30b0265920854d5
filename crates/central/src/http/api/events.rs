//! `POST /api/v1/events`: a kiosk's ticket events, each checked (its instants, business day,
//! signed QR link, and its codes against the MPP's published catalog) and the good ones stored
//! in one transaction; the others refused alone.

use std::collections::{HashMap, HashSet};

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
use mpp_core::protocol::{EventBatch, Refusal, TicketEvent};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{API}/events"), post(events))
}

/// `POST /api/v1/events`: 200 with the outcome, or 409 when some events conflicted. An event
/// that can never be right (another kiosk's ticket, an impossible instant, a service its
/// catalog does not have) is refused alone, with its reason in the outcome: it does not hold
/// back the good events of its batch.
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
            None => good.push((index, event)),
            Some(reason) => refused.push(refusal(event, reason)),
        }
    }
    let mut off_catalog = off_catalog(&state, &mpp, &kiosk, &good).await?;
    let mut stored = Vec::with_capacity(good.len());
    for (index, event) in good {
        match off_catalog.remove(&index) {
            Some(reason) => refused.push(refusal(event, reason)),
            None => stored.push(event),
        }
    }
    let range = state.number_range(&kiosk);
    let outcome = state
        .storage(move |storage| {
            storage.apply_batch(&Batch {
                mpp: &mpp,
                kiosk: &kiosk,
                range,
                events: &stored,
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

fn refusal(event: TicketEvent, reason: String) -> RefusedEvent {
    RefusedEvent {
        ticket_id: event.ticket.id.as_str().to_owned(),
        refusal: Refusal {
            event_id: event.event_id,
            reason,
        },
    }
}

/// The events of `good` (by their index in the batch) refused for codes the MPP's
/// published catalog does not have, with why (see [`catalog_problem_stands`]). A batch whose
/// codes are all in the catalog, or an MPP with no catalog published, costs no database read.
async fn off_catalog(
    state: &AppState,
    mpp: &str,
    kiosk: &KioskId,
    good: &[(usize, TicketEvent)],
) -> Result<HashMap<usize, String>, ApiFailure> {
    let Some(served) = state.catalog_for_page(mpp).await.served else {
        return Ok(HashMap::new());
    };
    let catalog = &served.catalog;
    let suspects: Vec<(usize, &TicketEvent, String)> = good
        .iter()
        .filter_map(|(index, event)| {
            catalog_problem(*index, event, mpp, catalog).map(|problem| (*index, event, problem))
        })
        .collect();
    if suspects.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<String> = suspects
        .iter()
        .map(|(_, event, _)| event.ticket.id.as_str().to_owned())
        .collect();
    let today = state.today(state.mpp(mpp)?);
    let kiosk_id = kiosk.as_str().to_owned();
    let (reported, held) = state
        .read(move |storage| {
            let kiosks = storage.fleet(std::slice::from_ref(&kiosk_id), today)?;
            let reported = kiosks
                .into_iter()
                .next()
                .and_then(|state| state.heartbeat)
                .map(|(heartbeat, _)| heartbeat.catalog_version);
            let mut held = HashSet::new();
            for id in ids {
                if storage.ticket_row(&kiosk_id, &id)?.is_some() {
                    held.insert(id);
                }
            }
            Ok((reported, held))
        })
        .await?;
    let version = catalog.version;
    Ok(suspects
        .into_iter()
        .filter(|(_, event, _)| {
            catalog_problem_stands(version, reported, held.contains(event.ticket.id.as_str()))
        })
        .map(|(index, _, problem)| (index, problem))
        .collect())
}

impl SentByKiosk for EventBatch {
    fn sender(&self) -> &KioskId {
        &self.kiosk
    }
}
