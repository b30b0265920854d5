//! What the fleet page shows of each kiosk.

use chrono::{DateTime, Utc};
use mpp_core::protocol::Heartbeat;

use crate::model::refusal::RefusalRecord;

/// What the fleet page shows for one kiosk.
#[derive(Clone, Debug, PartialEq)]
pub struct KioskState {
    pub id: String,
    pub last_contact: Option<DateTime<Utc>>,
    /// The latest heartbeat and when the server received it.
    pub heartbeat: Option<(Heartbeat, DateTime<Utc>)>,
    pub tickets_today: u32,
    pub conflicts: u32,
    /// Events refused for good, and the latest of them, newest first.
    pub refused: u32,
    pub latest_refusals: Vec<RefusalRecord>,
    /// Its tickets whose numbers were printed twice or fell outside its range, ever.
    pub flagged_numbers: u32,
}
