//! A ticket as the server last heard of it, with the counter's latest mark.

use chrono::{DateTime, Utc};
use mpp_core::protocol::CounterStatus;
use mpp_core::ticket::Ticket;

/// A ticket as the server knows it: the kiosk's latest word and the counter's.
#[derive(Clone, Debug, PartialEq)]
pub struct TicketRecord {
    /// The latest snapshot, with the latest kiosk status.
    pub ticket: Ticket,
    pub counter: Option<CounterMark>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterMark {
    pub status: CounterStatus,
    pub counter: String,
    pub at: DateTime<Utc>,
}
