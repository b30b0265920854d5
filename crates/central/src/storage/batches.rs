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
use mpp_core::numbering::NumberRange;
use mpp_core::protocol::{BatchOutcome, TicketEvent};
use mpp_core::ticket::Ticket;

/// What a write transaction does for [`apply_batch`], the same way in SQLite and PostgreSQL.
pub(crate) trait BatchTransaction {
    /// The error for a value this database cannot hold, naming the database.
    fn corrupt(&self, detail: String) -> DbError;

    /// The body stored under `kiosk`'s event key, if any.
    fn stored_body(
        &mut self,
        kiosk: &str,
        ticket_id: &str,
        event_id: i64,
    ) -> Result<Option<String>, DbError>;

    /// Upserts the ticket (only when this event is the latest the kiosk made) and appends the
    /// event; `true` when the ticket was new to the server.
    fn apply_event(
        &mut self,
        batch: &Batch<'_>,
        event: &TicketEvent,
        body: &str,
    ) -> Result<bool, DbError>;

    /// Keeps an event that contradicts the stored one aside, once.
    fn keep_conflict(
        &mut self,
        batch: &Batch<'_>,
        event: &TicketEvent,
        body: &str,
    ) -> Result<(), DbError>;

    /// The kiosk and id of the first other ticket of the MPP with `ticket`'s day, queue, lane
    /// and sequence, in the order the server heard of them.
    fn first_with_number(
        &mut self,
        batch: &Batch<'_>,
        ticket: &Ticket,
    ) -> Result<Option<(String, String)>, DbError>;

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

/// Each event's fate, applied in the caller's transaction; the outcome for the kiosk and the
/// numbers flagged for a person.
pub(crate) fn apply_batch(
    transaction: &mut dyn BatchTransaction,
    batch: &Batch<'_>,
) -> Result<(BatchOutcome, Vec<FlaggedNumber>), DbError> {
    let mut outcome = BatchOutcome::default();
    let mut flagged = Vec::new();
    for event in batch.events {
        let body = serde_json::to_string(event).map_err(|error| {
            transaction.corrupt(format!("cannot write event {}: {error}", event.event_id))
        })?;
        let stored =
            transaction.stored_body(batch.kiosk, event.ticket.id.as_str(), event.event_id)?;
        match arrival(stored.as_deref(), &body) {
            Arrival::New => {
                if transaction.apply_event(batch, event, &body)? {
                    let ticket = &event.ticket;
                    let first = transaction.first_with_number(batch, ticket)?;
                    for found in
                        numbers::flagged(batch.kiosk, ticket, first, batch.range, batch.now)
                    {
                        transaction.record_flagged(batch.mpp, &found)?;
                        flagged.push(found);
                    }
                }
                outcome.accepted.push(event.event_id);
            }
            Arrival::Duplicate => outcome.duplicates.push(event.event_id),
            Arrival::Conflict => {
                transaction.keep_conflict(batch, event, &body)?;
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
