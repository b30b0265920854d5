//! Tickets, events and batches for the storage's own tests: the test kiosks' printed tickets
//! of queue DKC (as the integration tests' [`mpp_testkit`] makes them), on a fixed day.

use chrono::{DateTime, Utc};

use crate::storage::batches::Batch;
use mpp_core::numbering::Lane;
use mpp_core::protocol::TicketEvent;
use mpp_core::ticket::Ticket;

pub(crate) use mpp_testkit::central::event;

/// The business day of the tests' tickets.
pub(crate) const DAY: &str = "2026-11-23";

/// A printed ticket of `kiosk` on `day`, issued at 02:00 UTC.
pub(crate) fn ticket(kiosk: &str, id: &str, sequence: u32, lane: Lane, day: &str) -> Ticket {
    at_minute(kiosk, id, sequence, lane, day, 0)
}

/// [`ticket`], issued `minute` minutes past 02:00 UTC.
pub(crate) fn at_minute(
    kiosk: &str,
    id: &str,
    sequence: u32,
    lane: Lane,
    day: &str,
    minute: u32,
) -> Ticket {
    Ticket {
        business_day: day.parse().expect("day"),
        issued_at: format!("{day}T02:{minute:02}:00Z")
            .parse()
            .expect("instant"),
        ..mpp_testkit::central::ticket(kiosk, id, sequence, lane, 0)
    }
}

/// When the tests' batches arrive.
pub(crate) fn now() -> DateTime<Utc> {
    format!("{DAY}T03:00:00Z").parse().expect("instant")
}

/// `events` of `kiosk` of the implicit MPP, arriving [`now`], no range configured.
pub(crate) fn batch<'a>(kiosk: &'a str, events: &'a [TicketEvent]) -> Batch<'a> {
    Batch {
        mpp: crate::config::IMPLICIT_ID,
        kiosk,
        range: None,
        events,
        refused: &[],
        now: now(),
    }
}
