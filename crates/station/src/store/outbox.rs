//! The outbox: ticket events waiting to reach the central server, sent in order, exactly once.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use super::columns::{corrupt, parse_instant};
use super::outbox_marks::Outbox;
use super::{Store, StoreError};
use mpp_core::ids::TicketId;
use mpp_core::protocol::TicketEvent;
use mpp_core::ticket::TicketStatus;

/// One event to send: the event id is the idempotency key together with the ticket id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutboxRow {
    pub seq: i64,
    pub event_id: i64,
    pub ticket_id: TicketId,
    pub status: TicketStatus,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

/// An event the server refused for good, kept aside with the server's reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefusedRow {
    pub event_id: i64,
    pub ticket_id: TicketId,
    pub reason: String,
    /// When the kiosk set it aside.
    pub at: DateTime<Utc>,
}

/// How far behind the central server is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OutboxDepth {
    pub unsent: u32,
    pub oldest_unsent: Option<DateTime<Utc>>,
}

impl Store {
    /// The oldest unsent events, at most `limit`.
    pub fn unsent(&self, limit: u32) -> Result<Vec<OutboxRow>, StoreError> {
        let rows: Vec<(i64, i64, String, String, Option<String>, String)> = self.all_rows(
            "SELECT o.seq, e.id, e.ticket_id, e.status, e.reason, e.at FROM outbox o \
                 JOIN ticket_events e ON e.id = o.event_id WHERE o.sent_at IS NULL AND o.conflict = 0 \
                 AND o.refused_reason IS NULL \
                 ORDER BY o.seq LIMIT ?1",
            params![limit],
            |row| row.try_into(),
        )?;
        rows.into_iter()
            .map(|(seq, event_id, ticket_id, status, reason, at)| {
                let status = TicketStatus::parse(&status)
                    .ok_or_else(|| corrupt(&self.path, format!("event status {status:?}")))?;
                Ok(OutboxRow {
                    seq,
                    event_id,
                    ticket_id: ticket_id.into(),
                    status,
                    reason,
                    at: parse_instant(&at, &self.path)?,
                })
            })
            .collect()
    }

    /// Marks events as received by the server. Called only after the server confirmed them.
    pub fn mark_sent(&mut self, seqs: &[i64], now: DateTime<Utc>) -> Result<(), StoreError> {
        self.mark_outbox_sent(Outbox::Events, seqs, now)
    }

    /// Marks events the server refused as conflicting: kept for a person, never resent.
    pub fn mark_conflict(&mut self, seqs: &[i64]) -> Result<(), StoreError> {
        self.execute_each(
            "UPDATE outbox SET conflict = 1 WHERE seq = ?1",
            seqs.iter().map(|seq| (seq,)),
        )
    }

    /// Events the server refused as conflicting.
    pub fn conflict_count(&self) -> Result<u32, StoreError> {
        self.connection
            .query_row(
                "SELECT count(*) FROM outbox WHERE conflict = 1",
                [],
                |row| row.get(0),
            )
            .map_err(|error| self.error(error))
    }

    /// Sets events the server refused for good aside with its reason, `(seq, reason)`: kept
    /// for a person, never resent, never deleted.
    pub fn mark_refused(
        &mut self,
        refused: &[(i64, String)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.mark_outbox_refused(Outbox::Events, refused, now)
    }

    /// How many events the server refused, and the latest reasons, newest first.
    pub fn refusals(&self, latest: u32) -> Result<(u32, Vec<RefusedRow>), StoreError> {
        let count = self
            .connection
            .query_row(
                "SELECT count(*) FROM outbox WHERE refused_reason IS NOT NULL",
                [],
                |row| row.get(0),
            )
            .map_err(|error| self.error(error))?;
        let rows: Vec<(i64, String, String, String)> = self.all_rows(
            "SELECT e.id, e.ticket_id, o.refused_reason, o.refused_at FROM outbox o \
                 JOIN ticket_events e ON e.id = o.event_id WHERE o.refused_reason IS NOT NULL \
                 ORDER BY o.refused_at DESC, o.seq DESC LIMIT ?1",
            params![latest],
            |row| row.try_into(),
        )?;
        let rows = rows
            .into_iter()
            .map(|(event_id, ticket_id, reason, at)| {
                Ok(RefusedRow {
                    event_id,
                    ticket_id: ticket_id.into(),
                    reason,
                    at: parse_instant(&at, &self.path)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((count, rows))
    }

    /// The event as the server receives it: the ticket as it stood right after this event.
    /// Built only from what never changes afterwards, so a resend is byte-for-byte the same.
    pub fn event_for_server(&self, row: &OutboxRow) -> Result<TicketEvent, StoreError> {
        let mut ticket = self.find_ticket(&row.ticket_id)?;
        let prints: u32 = self
            .connection
            .query_row(
                "SELECT count(*) FROM ticket_events WHERE ticket_id = ?1 AND id <= ?2 \
                 AND status IN ('printed', 'reprinted')",
                params![row.ticket_id.as_str(), row.event_id],
                |found| found.get(0),
            )
            .map_err(|error| self.error(error))?;
        ticket.status = row.status;
        ticket.print_count = prints;
        Ok(TicketEvent {
            event_id: row.event_id,
            status: row.status,
            reason: row.reason.clone(),
            at: row.at,
            ticket,
        })
    }

    pub fn outbox_depth(&self) -> Result<OutboxDepth, StoreError> {
        let (unsent, oldest): (u32, Option<String>) = self
            .connection
            .query_row(
                "SELECT count(*), min(created_at) FROM outbox \
                 WHERE sent_at IS NULL AND conflict = 0 AND refused_reason IS NULL",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|error| self.error(error))?;
        Ok(OutboxDepth {
            unsent,
            oldest_unsent: oldest
                .map(|at| parse_instant(&at, &self.path))
                .transpose()?,
        })
    }
}
