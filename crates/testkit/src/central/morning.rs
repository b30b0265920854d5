//! A fixed business morning for the calling tests (`Server::builder().now(morning())`), so no
//! test depends on the hour it runs at: tickets issued minute by minute from 08:00 WIB.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use mpp_core::numbering::Lane;
use mpp_core::ticket::Ticket;

use super::{KIOSK, ticket};

/// The business day of [`morning`].
pub const MORNING_DAY: &str = "2026-11-23";

/// 08:00 WIB on [`MORNING_DAY`].
pub fn morning() -> DateTime<Utc> {
    "2026-11-23T08:00:00+07:00".parse().expect("instant")
}

/// [`KIOSK`]'s ticket `id` of `queue` in `lane`, issued `minute` minutes after [`morning`],
/// numbered `<queue>-<minute, three digits>` (`DKC-014`).
pub fn issued_at_minute(id: &str, queue: &str, lane: Lane, minute: i64) -> Ticket {
    let mut ticket = ticket(KIOSK, id, minute as u32, lane, minute);
    ticket.business_day = MORNING_DAY.parse::<NaiveDate>().expect("day");
    ticket.issued_at = morning() + TimeDelta::minutes(minute);
    ticket.queue = queue.into();
    ticket.number = format!("{queue}-{minute:03}");
    ticket
}
