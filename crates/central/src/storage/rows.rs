//! Rows turned into records the same way whichever backend read them: waiting counts and
//! tickets with their counter marks.

use std::collections::BTreeMap;

use crate::model::ticket::{CounterMark, TicketRecord};
use crate::storage::error::DbError;
use mpp_common::instant;
use mpp_core::ids::QueueCode;
use mpp_core::protocol::{CounterStatus, QueueWaiting};
use mpp_core::ticket::Ticket;

/// Tickets still waiting: live at the kiosk and not finished at a counter.
pub const WAITING: &str =
    "status != 'voided' AND (counter_status IS NULL OR counter_status = 'called')";

/// People waiting per queue and lane, as both backends count them (queue, lane, count), with
/// every queue in `known` listed even when empty.
pub(crate) fn waiting_from(
    known: &[QueueCode],
    rows: Vec<(String, String, u32)>,
) -> Vec<QueueWaiting> {
    let mut queues: BTreeMap<String, (u32, u32)> = known
        .iter()
        .map(|queue| (queue.to_string(), (0, 0)))
        .collect();
    for (queue, lane, count) in rows {
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
            },
        )
        .collect()
}

/// A ticket's stored JSON and counter columns, as both backends read them.
pub(crate) type RecordRow = (String, Option<String>, Option<String>, Option<String>);

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
