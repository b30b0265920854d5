//! A kiosk's batch of ticket events, decided once for both backends inside the write
//! transaction that stores it: each event is new (applied; a ticket new to the server has its
//! number checked), a resend (a duplicate) or contradicts what is stored under its key (a
//! conflict, kept aside and never applied; a ticket's number flagged by
//! [`crate::rules::numbers::flagged`]); the refused ones are recorded beside and the kiosk's
//! last contact noted, all in the one transaction. The backends answer the few questions
//! [`BatchTransaction`] asks, each in its own SQL.

use chrono::{DateTime, Utc};

use crate::model::numbers::FlaggedNumber;
use crate::model::refusal::RefusedEvent;
use crate::rules::numbers;
use crate::storage::error::DbError;
use crate::storage::rollups;
use crate::storage::shared::TextStatements;
use mpp_core::numbering::NumberRange;
use mpp_core::protocol::{BatchOutcome, TicketEvent};

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them `$N`).
pub(crate) mod sql {
    /// The body stored under an event's key: kiosk `?1`, ticket `?2`, event `?3`.
    pub const STORED_BODY: &str =
        "SELECT body FROM events WHERE kiosk = ?1 AND ticket_id = ?2 AND event_id = ?3";
    /// Whether kiosk `?1` has a ticket `?2`.
    pub const KNOWN: &str = "SELECT 1 FROM tickets WHERE kiosk = ?1 AND id = ?2";
    /// Upserts a ticket, only when its event is the latest the kiosk made.
    pub const UPSERT_TICKET: &str = "INSERT INTO tickets (id, kiosk, number, queue, lane, \
        business_day, issued_at, status, status_event, ticket_json, updated_at, sequence, mpp) \
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
        ON CONFLICT (kiosk, id) DO UPDATE SET number = excluded.number, \
        queue = excluded.queue, lane = excluded.lane, sequence = excluded.sequence, \
        business_day = excluded.business_day, \
        issued_at = excluded.issued_at, status = excluded.status, \
        status_event = excluded.status_event, ticket_json = excluded.ticket_json, \
        updated_at = excluded.updated_at \
        WHERE excluded.status_event > tickets.status_event";
    /// Appends an event.
    pub const APPEND_EVENT: &str = "INSERT INTO events \
        (ticket_id, event_id, kiosk, status, at, body, received_at, mpp) \
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    /// Keeps a conflicting event aside, once.
    pub const KEEP_CONFLICT: &str = "INSERT INTO conflicts \
        (mpp, kiosk, ticket_id, event_id, body, received_at) \
        VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";
    /// Records a refused event; a resent refusal with the same reason is stored once.
    pub const REFUSE: &str = "INSERT INTO refusals \
        (mpp, kiosk, ticket_id, event_id, reason, received_at) \
        SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM refusals \
        WHERE kiosk = ?2 AND ticket_id = ?3 AND event_id = ?4 AND reason = ?5)";
    /// Notes that kiosk `?1` of MPP `?2` was heard from at `?3`.
    pub const TOUCH: &str = "INSERT INTO kiosks (id, mpp, last_contact_at) VALUES (?1, ?2, ?3) \
        ON CONFLICT (id) DO UPDATE SET last_contact_at = excluded.last_contact_at, \
        mpp = excluded.mpp";
}

/// What a write transaction does for [`apply_batch`], the same way in SQLite and PostgreSQL.
pub trait BatchTransaction: TextStatements {
    /// The body stored under the event's key (its kiosk's), if any.
    fn stored_body(&mut self, arriving: &Arriving<'_>) -> Result<Option<String>, DbError>;

    /// Upserts the event's ticket, stored as `ticket_json` (only when this event is the latest
    /// the kiosk made) and appends the event; `true` when the ticket was new to the server.
    fn apply_event(&mut self, arriving: &Arriving<'_>, ticket_json: &str) -> Result<bool, DbError>;

    /// Keeps an event that contradicts the stored one aside, once.
    fn keep_conflict(&mut self, arriving: &Arriving<'_>) -> Result<(), DbError>;

    /// The first other ticket of the MPP with the event's ticket's day, queue, lane and
    /// sequence, in the order the server heard of them.
    fn first_with_number(&mut self, arriving: &Arriving<'_>) -> Result<Option<TicketKey>, DbError>;

    /// Stores a number flagged for a person, once.
    fn record_flagged(&mut self, mpp: &str, found: &FlaggedNumber) -> Result<(), DbError>;

    /// Records the refused events, each once.
    fn record_refusals(&mut self, batch: &Batch<'_>) -> Result<(), DbError>;

    /// Notes that the kiosk was heard from now.
    fn touch(&mut self, batch: &Batch<'_>) -> Result<(), DbError>;
}

/// One batch as the server stores it: whose, what, and when it arrived.
pub struct Batch<'a> {
    pub mpp: &'a str,
    pub kiosk: &'a str,
    /// The numbers the kiosk may print, when the configuration says.
    pub range: Option<NumberRange>,
    pub events: &'a [TicketEvent],
    /// Events refused by the checks before, with the reason the kiosk is told.
    pub refused: &'a [RefusedEvent],
    pub now: DateTime<Utc>,
}

/// How an event stands against what is stored under its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    New,
    Duplicate,
    Conflict,
}

/// Whether an event whose body is `body` is new, a resend or a contradiction of `stored`. The
/// key is the kiosk's, so another kiosk's event never matches.
pub fn arrival(stored: Option<&str>, body: &str) -> Arrival {
    match stored {
        None => Arrival::New,
        Some(stored) if stored == body => Arrival::Duplicate,
        Some(_) => Arrival::Conflict,
    }
}

/// A ticket as the server knows it: its kiosk and its id.
pub type TicketKey = (String, String);

/// One event of a batch, with the body it is compared and stored as.
pub struct Arriving<'a> {
    pub batch: &'a Batch<'a>,
    pub event: &'a TicketEvent,
    pub body: &'a str,
}

/// Each event's fate, applied in the caller's transaction; the outcome for the kiosk and the
/// numbers flagged for a person.
pub(crate) fn apply_batch(
    transaction: &mut dyn BatchTransaction,
    batch: &Batch<'_>,
) -> Result<(BatchOutcome, Vec<FlaggedNumber>), DbError> {
    let mut outcome = BatchOutcome::default();
    let mut flagged = Vec::new();
    for event in batch.events {
        let body = written(&*transaction, event.event_id, event)?;
        let arriving = Arriving {
            batch,
            event,
            body: &body,
        };
        let stored = transaction.stored_body(&arriving)?;
        match arrival(stored.as_deref(), &body) {
            Arrival::New => {
                // The ticket as it stands after this event.
                let mut ticket = event.ticket.clone();
                ticket.status = event.status;
                let ticket_json = written(&*transaction, event.event_id, &ticket)?;
                let key = (batch.kiosk, ticket.id.as_str());
                let new = rollups::tracking(transaction, key, |transaction| {
                    transaction.apply_event(&arriving, &ticket_json)
                })?;
                if new {
                    let first = transaction.first_with_number(&arriving)?;
                    for found in
                        numbers::flagged(batch.kiosk, &ticket, first, batch.range, batch.now)
                    {
                        transaction.record_flagged(batch.mpp, &found)?;
                        flagged.push(found);
                    }
                }
                outcome.accepted.push(event.event_id);
            }
            Arrival::Duplicate => outcome.duplicates.push(event.event_id),
            Arrival::Conflict => {
                transaction.keep_conflict(&arriving)?;
                outcome.conflicts.push(event.event_id);
            }
        }
    }
    transaction.record_refusals(batch)?;
    transaction.touch(batch)?;
    outcome.refused = batch
        .refused
        .iter()
        .map(|event| event.refusal.clone())
        .collect();
    Ok((outcome, flagged))
}

/// `value` as the JSON it is stored as; what cannot be written names the event.
fn written(
    transaction: &dyn BatchTransaction,
    event_id: i64,
    value: &impl serde::Serialize,
) -> Result<String, DbError> {
    serde_json::to_string(value)
        .map_err(|error| transaction.corrupt(format!("cannot write event {event_id}: {error}")))
}

/// Logs what a stored batch needs a person for: conflicts, refusals, flagged numbers.
pub(crate) fn report(batch: &Batch<'_>, outcome: &BatchOutcome, flagged: &[FlaggedNumber]) {
    let kiosk = batch.kiosk;
    if !outcome.conflicts.is_empty() {
        tracing::warn!(kiosk, conflicts = ?outcome.conflicts, "conflicting events kept aside");
    }
    if !batch.refused.is_empty() {
        tracing::warn!(
            kiosk,
            refused = batch.refused.len(),
            "events refused and recorded"
        );
    }
    flagged.iter().for_each(FlaggedNumber::log);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_new_a_resend_or_a_contradiction_of_what_is_stored() {
        assert_eq!(arrival(None, "{}"), Arrival::New);
        assert_eq!(arrival(Some("{\"a\":1}"), "{\"a\":1}"), Arrival::Duplicate);
        assert_eq!(arrival(Some("{\"a\":1}"), "{\"a\":2}"), Arrival::Conflict);
    }
}
