//! Events refused for good, with the reason the kiosk was told.

use chrono::{DateTime, Utc};
use mpp_core::protocol::Refusal;

/// An event refused by the checks, with the ticket it was about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedEvent {
    pub ticket_id: String,
    pub refusal: Refusal,
}

/// One recorded refusal, as the fleet page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusalRecord {
    pub ticket_id: String,
    pub event_id: i64,
    pub reason: String,
    pub received_at: DateTime<Utc>,
}

/// How many of a kiosk's latest refusals the fleet page lists.
pub const LATEST_SHOWN: u32 = 5;
