//! What counters report and where a ticket stands for them.

use chrono::NaiveDate;
use mpp_core::protocol::CounterStatus;

/// What became of a counter's report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CounterOutcome {
    Recorded,
    /// No such ticket (for the path without the kiosk: no kiosk has one with this id).
    Unknown,
    /// Several kiosks have a ticket with this id: the report must name the kiosk.
    Ambiguous,
    /// The ticket is in a queue this counter does not serve (named).
    OtherQueue(String),
    /// The move is not allowed from where the ticket stands; the reason.
    Refused(String),
}

/// Who reports, and what it may touch: the credential's name and queues, and today.
#[derive(Clone, Copy, Debug)]
pub struct Reporter<'a> {
    pub credential: &'a str,
    pub queues: &'a [String],
    pub today: NaiveDate,
    /// The zone of the point it calls to ("" for none): which lobby displays show the call.
    pub zone: &'a str,
}

/// Where a ticket stands, as far as counters are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub counter: Option<CounterStatus>,
    pub voided: bool,
    pub business_day: NaiveDate,
}
