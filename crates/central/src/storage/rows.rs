//! The tickets' reads as both backends run them, and their rows turned into records the same
//! way whichever backend read them: waiting counts and tickets with their counter marks.

use std::collections::BTreeMap;

use crate::model::ticket::{CounterMark, TicketRecord};
use crate::storage::error::DbError;
use mpp_common::instant;
use mpp_core::ids::QueueCode;
use mpp_core::protocol::{CounterStatus, QueueWaiting};
use mpp_core::ticket::Ticket;

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them `$N`).
pub(crate) mod sql {
    use crate::storage::shared::QUEUE_NOW;

    /// Tickets still waiting: live at the kiosk and not finished at a counter.
    const WAITING: &str =
        "status != 'voided' AND (counter_status IS NULL OR counter_status = 'called')";

    /// Kiosk `?1`'s ticket `?2`, as a [`super::RecordRow`].
    pub const TICKET: &str = "SELECT ticket_json, counter_status, counter_name, counter_at \
        FROM tickets WHERE kiosk = ?1 AND id = ?2";

    /// The people waiting in MPP `?1` on day `?2`, per queue and lane.
    pub fn waiting() -> String {
        format!(
            "SELECT {QUEUE_NOW}, lane, count(*) FROM tickets WHERE mpp = ?1 AND business_day = ?2 \
             AND {WAITING} GROUP BY {QUEUE_NOW}, lane"
        )
    }

    /// The people of MPP `?7` ahead of a ticket (day `?1`, queue `?2`, issued `?3`, id `?4`,
    /// lane `?5`, kiosk `?6`). Counters call priority tickets first: a priority ticket has only
    /// earlier priority tickets ahead; a regular ticket has every waiting priority ticket, and
    /// the regular ones issued before it (at the same instant, the kiosk and then the id
    /// decide). Two counts, each within one lane of the `tickets_waiting` index.
    pub fn ahead() -> String {
        format!(
            "SELECT (SELECT count(*) FROM tickets WHERE mpp = ?7 AND business_day = ?1 \
                     AND {QUEUE_NOW} = ?2 AND lane = 'priority' AND ?5 = 'regular' AND {WAITING}) \
                  + (SELECT count(*) FROM tickets WHERE mpp = ?7 AND business_day = ?1 \
                     AND {QUEUE_NOW} = ?2 AND lane = ?5 AND {WAITING} AND (issued_at < ?3 \
                     OR (issued_at = ?3 AND (kiosk, id) < (?6, ?4))))"
        )
    }
}

/// A non-negative count or sequence as the databases' 64-bit integers hold it.
pub(crate) fn small(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// A row of [`sql::waiting`]: queue, lane, how many wait.
pub type WaitingRow = (String, String, i64);

/// People waiting per queue and lane, as [`sql::waiting`] counts them, with every queue in
/// `known` listed even when empty.
pub(crate) fn waiting_from(known: &[QueueCode], rows: Vec<WaitingRow>) -> Vec<QueueWaiting> {
    let mut queues: BTreeMap<String, (u32, u32)> = known
        .iter()
        .map(|queue| (queue.to_string(), (0, 0)))
        .collect();
    for (queue, lane, count) in rows {
        let count = small(count);
        let entry = queues.entry(queue).or_default();
        if lane == "priority" {
            entry.1 += count;
        } else {
            entry.0 += count;
        }
    }
    queues
        .into_iter()
        .map(
            |(queue, (waiting_regular, waiting_priority))| QueueWaiting {
                queue: queue.into(),
                waiting_regular,
                waiting_priority,
                pace: None,
            },
        )
        .collect()
}

/// A ticket's stored JSON and counter columns, as both backends read them.
pub type RecordRow = (String, Option<String>, Option<String>, Option<String>);

/// The ticket a row holds; `corrupt` names what cannot be read.
pub(crate) fn record_from(
    (json, status, name, at): RecordRow,
    corrupt: impl Fn(String) -> DbError,
) -> Result<TicketRecord, DbError> {
    let ticket: Ticket =
        serde_json::from_str(&json).map_err(|error| corrupt(format!("ticket: {error}")))?;
    let counter = match (status, name, at) {
        (Some(status), Some(counter), Some(at)) => Some(CounterMark {
            status: CounterStatus::parse(&status)
                .ok_or_else(|| corrupt(format!("counter status {status:?}")))?,
            counter,
            at: instant::parse(&at).ok_or_else(|| corrupt(format!("instant {at:?}")))?,
        }),
        _ => None,
    };
    Ok(TicketRecord { ticket, counter })
}
