//! The JSON API v1 handlers: health, events, catalog, heartbeat, queues, numbers (kiosks) and
//! ticket reports (counters). Authentication comes first, then the body; every refused request
//! is an [`ApiError`](mpp_core::protocol::ApiError). Instants and business days a kiosk pushes
//! must be plausible on the server's clock, and a ticket's QR link must be the kiosk's own,
//! signed with its key: an event that is not (or is another kiosk's ticket) is refused alone,
//! in the batch's outcome, and never stored.

pub mod audit;
pub mod calls;
pub mod catalog;
pub mod closures;
pub mod counter;
pub mod events;
pub mod health;
pub mod heartbeat;
pub mod numbers;
pub mod queues;
pub mod surveys;

use axum::Router;

use crate::http::state::AppState;

/// Every route of the JSON API.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(events::router())
        .merge(catalog::router())
        .merge(heartbeat::router())
        .merge(audit::router())
        .merge(closures::router())
        .merge(queues::router())
        .merge(numbers::router())
        .merge(counter::router())
        .merge(calls::router())
        .merge(surveys::router())
}
