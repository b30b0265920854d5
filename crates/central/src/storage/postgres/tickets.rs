//! PostgreSQL's side of the tickets: event batches (new, duplicate or conflict, by kiosk +
//! ticket + event, as in SQLite) in one transaction under the MPP's lock, and the queue reads.

use crate::model::numbers::FlaggedNumber;
use crate::model::ticket::TicketRecord;
use crate::storage::batches::{self, Batch, BatchTransaction};
use crate::storage::error::DbError;
use crate::storage::postgres::Postgres;
use crate::storage::postgres::Writing;
use crate::storage::postgres::reads::small;
use crate::storage::postgres::writes::{apply, first_with_number, record_flagged};
use crate::storage::rows::WAITING;
use crate::storage::{Tickets, rows};
use chrono::NaiveDate;
use mpp_common::instant;
use mpp_core::ids::QueueCode;
use mpp_core::protocol::BatchOutcome;
use mpp_core::protocol::QueueWaiting;
use mpp_core::protocol::TicketEvent;
use mpp_core::ticket::Ticket;

impl Tickets for Postgres {
    fn kiosks_with_ticket(&mut self, mpp: &str, ticket_id: &str) -> Result<Vec<String>, DbError> {
        let rows = self.rows(
            "SELECT kiosk FROM tickets WHERE mpp = $1 AND id = $2 ORDER BY seen",
            &[&mpp, &ticket_id],
        )?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    fn waiting(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        known: &[QueueCode],
    ) -> Result<Vec<QueueWaiting>, DbError> {
        let sql = format!(
            "SELECT queue, lane, count(*) FROM tickets WHERE mpp = $1 AND business_day = $2 \
             AND {WAITING} GROUP BY queue, lane"
        );
        let rows = self.rows(&sql, &[&mpp, &day.to_string()])?;
        let counts = rows
            .iter()
            .map(|row| (row.get(0), row.get(1), small(row.get(2))))
            .collect();
        Ok(rows::waiting_from(known, counts))
    }

    fn ticket(&mut self, kiosk: &str, id: &str) -> Result<Option<TicketRecord>, DbError> {
        let rows = self.rows(
            "SELECT ticket_json, counter_status, counter_name, counter_at FROM tickets \
             WHERE kiosk = $1 AND id = $2",
            &[&kiosk, &id],
        )?;
        rows.first()
            .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
            .map(|row| rows::record_from(row, |detail| self.corrupt(detail)))
            .transpose()
    }

    fn ticket_of_any(
        &mut self,
        kiosks: &[&str],
        id: &str,
    ) -> Result<Option<TicketRecord>, DbError> {
        let rows = self.rows(
            "SELECT kiosk FROM tickets WHERE id = $1 ORDER BY seen",
            &[&id],
        )?;
        let owners: Vec<String> = rows.iter().map(|row| row.get(0)).collect();
        match owners.iter().find(|owner| kiosks.contains(&owner.as_str())) {
            Some(owner) => self.ticket(owner, id),
            None => Ok(None),
        }
    }

    fn ahead_of(&mut self, mpp: &str, ticket: &Ticket) -> Result<u32, DbError> {
        let sql = format!(
            "SELECT (SELECT count(*) FROM tickets WHERE mpp = $7 AND business_day = $1 \
                     AND queue = $2 AND lane = 'priority' AND $5 = 'regular' AND {WAITING}) \
                  + (SELECT count(*) FROM tickets WHERE mpp = $7 AND business_day = $1 \
                     AND queue = $2 AND lane = $5 AND {WAITING} AND (issued_at < $3 \
                     OR (issued_at = $3 AND (kiosk, id) < ($6, $4))))"
        );
        let rows = self.rows(
            &sql,
            &[
                &ticket.business_day.to_string(),
                &ticket.queue.as_str(),
                &instant::to_text(ticket.issued_at),
                &ticket.id.as_str(),
                &ticket.lane.as_str(),
                &ticket.kiosk.as_str(),
                &mpp,
            ],
        )?;
        Ok(rows.first().map_or(0, |row| small(row.get(0))))
    }

    fn apply_batch(&mut self, batch: &Batch<'_>) -> Result<BatchOutcome, DbError> {
        let (outcome, flagged) =
            self.deciding(batch.mpp, |writing| batches::apply_batch(writing, batch))?;
        batches::report(batch, &outcome, &flagged);
        Ok(outcome)
    }
}

impl BatchTransaction for Writing<'_, '_> {
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
            .query_opt(
                "SELECT body FROM events WHERE kiosk = $1 AND ticket_id = $2 AND event_id = $3",
                &[&kiosk, &ticket_id, &event_id],
            )
            .map(|row| row.map(|row| row.get(0)))
            .map_err(|error| self.fail(&error))
    }

    fn apply_event(
        &mut self,
        batch: &Batch<'_>,
        event: &TicketEvent,
        body: &str,
    ) -> Result<bool, DbError> {
        apply(
            self.transaction,
            batch.mpp,
            batch.kiosk,
            event,
            body,
            batch.now,
        )
        .map_err(|error| self.fail(&error))
    }

    fn keep_conflict(
        &mut self,
        batch: &Batch<'_>,
        event: &TicketEvent,
        body: &str,
    ) -> Result<(), DbError> {
        self.transaction
            .execute(
                "INSERT INTO conflicts (mpp, kiosk, ticket_id, event_id, body, received_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[
                    &batch.mpp,
                    &batch.kiosk,
                    &event.ticket.id.as_str(),
                    &event.event_id,
                    &body,
                    &instant::to_text(batch.now),
                ],
            )
            .map(drop)
            .map_err(|error| self.fail(&error))
    }

    fn first_with_number(
        &mut self,
        batch: &Batch<'_>,
        ticket: &Ticket,
    ) -> Result<Option<(String, String)>, DbError> {
        first_with_number(self.transaction, batch.mpp, batch.kiosk, ticket)
            .map_err(|error| self.fail(&error))
    }

    fn record_flagged(&mut self, mpp: &str, found: &FlaggedNumber) -> Result<(), DbError> {
        record_flagged(self.transaction, mpp, found).map_err(|error| self.fail(&error))
    }

    fn record_refusals(&mut self, batch: &Batch<'_>) -> Result<(), DbError> {
        for event in batch.refused {
            self.transaction
                .execute(
                    "INSERT INTO refusals (mpp, kiosk, ticket_id, event_id, reason, received_at) \
                     SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM refusals \
                     WHERE kiosk = $2 AND ticket_id = $3 AND event_id = $4 AND reason = $5)",
                    &[
                        &batch.mpp,
                        &batch.kiosk,
                        &event.ticket_id,
                        &event.refusal.event_id,
                        &event.refusal.reason,
                        &instant::to_text(batch.now),
                    ],
                )
                .map_err(|error| self.fail(&error))?;
        }
        Ok(())
    }

    fn touch(&mut self, batch: &Batch<'_>) -> Result<(), DbError> {
        self.transaction
            .execute(
                "INSERT INTO kiosks (id, mpp, last_contact_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET last_contact_at = excluded.last_contact_at, \
                 mpp = excluded.mpp",
                &[&batch.kiosk, &batch.mpp, &instant::to_text(batch.now)],
            )
            .map(drop)
            .map_err(|error| self.fail(&error))
    }
}
