//! `POST /api/v1/heartbeat`: a kiosk says how it stands (printer, outbox, clock).

use axum::extract::State;
use axum::http::StatusCode;

use crate::http::auth::{FromKiosk, SentByKiosk};
use crate::http::extract::ApiFailure;
use crate::http::state::AppState;
use crate::rules::batch::*;
use axum::Router;
use axum::routing::post;
use mpp_core::ids::KioskId;
use mpp_core::protocol::API;
use mpp_core::protocol::Heartbeat;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{API}/heartbeat"), post(heartbeat))
}

/// `POST /api/v1/heartbeat`: kept as the kiosk's latest state, with our receive time.
pub async fn heartbeat(
    State(state): State<AppState>,
    FromKiosk {
        kiosk,
        body: mut heartbeat,
    }: FromKiosk<Heartbeat>,
) -> Result<StatusCode, ApiFailure> {
    let now = state.now();
    let problem = implausible_instant("at", heartbeat.at, now).or_else(|| {
        heartbeat
            .oldest_unsent
            .and_then(|oldest| implausible_instant("oldest_unsent", oldest, now))
    });
    if let Some(problem) = problem {
        if heartbeat.day_doubt.is_none() {
            return Err(ApiFailure::unprocessable(problem));
        }
        // The kiosk knows its clock is off and says so: its word must reach /fleet, kept on
        // the server's clock instead of its own.
        tracing::warn!(%kiosk, "heartbeat from a kiosk whose clock is off, kept at the server's time");
        heartbeat.at = now;
        heartbeat.oldest_unsent = heartbeat
            .oldest_unsent
            .filter(|oldest| implausible_instant("oldest_unsent", *oldest, now).is_none());
    }
    let mpp = state.mpp_of(&kiosk)?.id.clone();
    state
        .storage(move |storage| storage.record_heartbeat(&mpp, &heartbeat, now))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

impl SentByKiosk for Heartbeat {
    const WHAT: &'static str = "the heartbeat";

    fn sender(&self) -> &KioskId {
        &self.kiosk
    }
}
