//! PostgreSQL's writes, each one transaction under its MPP's lock: event batches (new,
//! duplicate or conflict, by kiosk + ticket + event, as in SQLite), refusals, numbers printed
//! twice or out of range, heartbeats, counter reports and the published catalog.

use crate::rules::numbers::columns;
use chrono::{DateTime, Utc};
use postgres::Transaction;

use crate::model::numbers::FlaggedNumber;
use mpp_common::instant;
use mpp_core::protocol::TicketEvent;
use mpp_core::ticket::Ticket;

type PgResult<T> = Result<T, postgres::Error>;

/// Upserts the ticket (only when this event is the latest the kiosk made) and appends the
/// event; `true` when the ticket was new to the server.
pub(crate) fn apply(
    transaction: &mut Transaction<'_>,
    mpp: &str,
    kiosk: &str,
    event: &TicketEvent,
    body: &str,
    now: DateTime<Utc>,
) -> PgResult<bool> {
    let mut ticket = event.ticket.clone();
    ticket.status = event.status;
    // A ticket serializes without fail (plain fields): the kiosk sent it as JSON.
    let ticket_json = serde_json::to_string(&ticket).unwrap_or_default();
    let received = instant::to_text(now);
    let id = ticket.id.as_str();
    let known = transaction
        .query_opt(
            "SELECT 1 FROM tickets WHERE kiosk = $1 AND id = $2",
            &[&kiosk, &id],
        )?
        .is_some();
    transaction.execute(
        "INSERT INTO tickets (id, kiosk, number, queue, lane, business_day, issued_at, status, \
         status_event, ticket_json, updated_at, sequence, mpp) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (kiosk, id) DO UPDATE SET number = excluded.number, \
         queue = excluded.queue, lane = excluded.lane, sequence = excluded.sequence, \
         business_day = excluded.business_day, \
         issued_at = excluded.issued_at, status = excluded.status, \
         status_event = excluded.status_event, ticket_json = excluded.ticket_json, \
         updated_at = excluded.updated_at \
         WHERE excluded.status_event > tickets.status_event",
        &[
            &id,
            &kiosk,
            &ticket.number,
            &ticket.queue.as_str(),
            &ticket.lane.as_str(),
            &ticket.business_day.to_string(),
            &instant::to_text(ticket.issued_at),
            &event.status.as_str(),
            &event.event_id,
            &ticket_json,
            &received,
            &i64::from(ticket.sequence),
            &mpp,
        ],
    )?;
    transaction.execute(
        "INSERT INTO events (ticket_id, event_id, kiosk, status, at, body, received_at, mpp) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &id,
            &event.event_id,
            &kiosk,
            &event.status.as_str(),
            &instant::to_text(event.at),
            &body,
            &received,
            &mpp,
        ],
    )?;
    Ok(!known)
}

/// The first other ticket of `mpp` with `ticket`'s day, queue, lane and sequence (kiosk, id).
pub(crate) fn first_with_number(
    transaction: &mut Transaction<'_>,
    mpp: &str,
    kiosk: &str,
    ticket: &Ticket,
) -> PgResult<Option<(String, String)>> {
    let first = transaction.query_opt(
        "SELECT kiosk, id FROM tickets WHERE mpp = $1 AND business_day = $2 AND queue = $3 \
         AND lane = $4 AND sequence = $5 AND NOT (kiosk = $6 AND id = $7) ORDER BY seen LIMIT 1",
        &[
            &mpp,
            &ticket.business_day.to_string(),
            &ticket.queue.as_str(),
            &ticket.lane.as_str(),
            &i64::from(ticket.sequence),
            &kiosk,
            &ticket.id.as_str(),
        ],
    )?;
    Ok(first.map(|row| (row.get(0), row.get(1))))
}

/// Stores a flagged number of `mpp`, once.
pub(crate) fn record_flagged(
    transaction: &mut Transaction<'_>,
    mpp: &str,
    found: &FlaggedNumber,
) -> PgResult<()> {
    let (name, first_kiosk, first_ticket, bounds) = columns(&found.problem);
    transaction.execute(
        "INSERT INTO flagged_numbers (mpp, problem, kiosk, ticket_id, number, business_day, \
         first_kiosk, first_ticket_id, range_first, range_last, found_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
        &[
            &mpp,
            &name,
            &found.kiosk,
            &found.ticket_id,
            &found.number,
            &found.business_day.to_string(),
            &first_kiosk,
            &first_ticket,
            &bounds.map(|range| i64::from(range.first)),
            &bounds.map(|range| i64::from(range.last)),
            &instant::to_text(found.found_at),
        ],
    )?;
    Ok(())
}
