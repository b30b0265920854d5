//! The SQLite file's answers to [`BatchTransaction`]: a batch's events, conflicts, flagged
//! numbers, refusals and the kiosk's last contact, in the batch's one write transaction.

use chrono::{DateTime, Utc};
use mpp_common::instant;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::model::numbers::FlaggedNumber;
use crate::storage::batches::{Batch, BatchTransaction};
use crate::storage::error::DbError;
use crate::storage::sqlite::{Writing, numbers, refusals};
use mpp_core::protocol::TicketEvent;
use mpp_core::ticket::{Ticket, TicketStatus};

impl BatchTransaction for Writing<'_> {
    fn corrupt(&self, detail: String) -> DbError {
        Writing::corrupt(self, detail)
    }

    fn stored_body(
        &mut self,
        kiosk: &str,
        ticket_id: &str,
        event_id: i64,
    ) -> Result<Option<String>, DbError> {
        self.transaction
            .prepare_cached(
                "SELECT body FROM events WHERE kiosk = ?1 AND ticket_id = ?2 AND event_id = ?3",
            )
            .and_then(|mut statement| {
                statement
                    .query_row(params![kiosk, ticket_id, event_id], |row| row.get(0))
                    .optional()
            })
            .map_err(|error| self.fail(error))
    }

    fn apply_event(
        &mut self,
        batch: &Batch<'_>,
        event: &TicketEvent,
        body: &str,
    ) -> Result<bool, DbError> {
        apply(
            &self.transaction,
            batch.mpp,
            batch.kiosk,
            event,
            body,
            batch.now,
        )
        .map_err(|error| self.fail(error))
    }

    fn keep_conflict(
        &mut self,
        batch: &Batch<'_>,
        event: &TicketEvent,
        body: &str,
    ) -> Result<(), DbError> {
        self.transaction
            .execute(
                "INSERT OR IGNORE INTO conflicts \
                 (mpp, kiosk, ticket_id, event_id, body, received_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    batch.mpp,
                    batch.kiosk,
                    event.ticket.id.as_str(),
                    event.event_id,
                    body,
                    instant::to_text(batch.now)
                ],
            )
            .map(drop)
            .map_err(|error| self.fail(error))
    }

    fn first_with_number(
        &mut self,
        batch: &Batch<'_>,
        ticket: &Ticket,
    ) -> Result<Option<(String, String)>, DbError> {
        numbers::first_with_number(&self.transaction, batch.mpp, batch.kiosk, ticket)
            .map_err(|error| self.fail(error))
    }

    fn record_flagged(&mut self, mpp: &str, found: &FlaggedNumber) -> Result<(), DbError> {
        numbers::record(&self.transaction, mpp, found).map_err(|error| self.fail(error))
    }

    fn record_refusals(&mut self, batch: &Batch<'_>) -> Result<(), DbError> {
        refusals::record(
            &self.transaction,
            batch.mpp,
            batch.kiosk,
            batch.refused,
            batch.now,
        )
        .map_err(|error| self.fail(error))
    }

    fn touch(&mut self, batch: &Batch<'_>) -> Result<(), DbError> {
        touch(&self.transaction, batch.mpp, batch.kiosk, batch.now)
            .map_err(|error| self.fail(error))
    }
}

/// Upserts the ticket (only when this event is the latest the kiosk made) and appends the
/// event; `true` when the ticket was new to the server.
fn apply(
    transaction: &Transaction<'_>,
    mpp: &str,
    kiosk: &str,
    event: &TicketEvent,
    body: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<bool> {
    let mut ticket = event.ticket.clone();
    ticket.status = event.status;
    let ticket_json = serde_json::to_string(&ticket)
        .map_err(|error| rusqlite::Error::ToSqlConversionFailure(Box::new(error)))?;
    let received = instant::to_text(now);
    let known = transaction
        .prepare_cached("SELECT 1 FROM tickets WHERE kiosk = ?1 AND id = ?2")?
        .exists(params![kiosk, ticket.id.as_str()])?;
    transaction
        .prepare_cached(
            "INSERT INTO tickets (id, kiosk, number, queue, lane, business_day, issued_at, status, \
             status_event, ticket_json, updated_at, sequence, mpp) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
             ON CONFLICT (kiosk, id) DO UPDATE SET number = excluded.number, \
             queue = excluded.queue, lane = excluded.lane, sequence = excluded.sequence, \
             business_day = excluded.business_day, \
             issued_at = excluded.issued_at, status = excluded.status, \
             status_event = excluded.status_event, ticket_json = excluded.ticket_json, \
             updated_at = excluded.updated_at \
             WHERE excluded.status_event > tickets.status_event",
        )?
        .execute(params![
            ticket.id.as_str(),
            kiosk,
            ticket.number,
            ticket.queue.as_str(),
            ticket.lane.as_str(),
            ticket.business_day.to_string(),
            instant::to_text(ticket.issued_at),
            status_text(event.status),
            event.event_id,
            ticket_json,
            received,
            ticket.sequence,
            mpp,
        ])?;
    transaction
        .prepare_cached(
            "INSERT INTO events (ticket_id, event_id, kiosk, status, at, body, received_at, mpp) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            ticket.id.as_str(),
            event.event_id,
            kiosk,
            status_text(event.status),
            instant::to_text(event.at),
            body,
            received,
            mpp,
        ])?;
    Ok(!known)
}

fn status_text(status: TicketStatus) -> &'static str {
    status.as_str()
}

fn touch(
    transaction: &Transaction<'_>,
    mpp: &str,
    kiosk: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    transaction
        .execute(
            "INSERT INTO kiosks (id, last_contact_at, mpp) VALUES (?1, ?2, ?3) \
             ON CONFLICT (id) DO UPDATE SET last_contact_at = excluded.last_contact_at, \
             mpp = excluded.mpp",
            params![kiosk, instant::to_text(now), mpp],
        )
        .map(drop)
}
