//! PostgreSQL's side of the tickets: event batches (new, duplicate or conflict, by kiosk +
//! ticket + event, as in SQLite) in one transaction under the MPP's lock, and the queue reads.

use crate::model::numbers::FlaggedNumber;
use crate::model::refusal::RefusedEvent;
use crate::model::ticket::TicketRecord;
use crate::storage::error::DbError;
use crate::storage::instant::instant_text;
use crate::storage::postgres::Postgres;
use crate::storage::postgres::reads::small;
use crate::storage::postgres::writes::{apply, flag};
use crate::storage::rows::WAITING;
use crate::storage::{Tickets, rows};
use chrono::DateTime;
use chrono::NaiveDate;
use chrono::Utc;
use mpp_core::ids::QueueCode;
use mpp_core::numbering::NumberRange;
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
                &instant_text(ticket.issued_at),
                &ticket.id.as_str(),
                &ticket.lane.as_str(),
                &ticket.kiosk.as_str(),
                &mpp,
            ],
        )?;
        Ok(rows.first().map_or(0, |row| small(row.get(0))))
    }

    fn apply_batch(
        &mut self,
        mpp: &str,
        kiosk: &str,
        range: Option<NumberRange>,
        events: &[TicketEvent],
        refused: &[RefusedEvent],
        now: DateTime<Utc>,
    ) -> Result<BatchOutcome, DbError> {
        let bodies = events
            .iter()
            .map(|event| {
                serde_json::to_string(event).map_err(|error| {
                    self.corrupt(format!("cannot write event {}: {error}", event.event_id))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (outcome, flagged) = self.write(mpp, |transaction| {
            let mut outcome = BatchOutcome::default();
            let mut flagged = Vec::new();
            for (event, body) in events.iter().zip(&bodies) {
                let id = event.ticket.id.as_str();
                let stored = transaction.query_opt(
                    "SELECT body FROM events WHERE kiosk = $1 AND ticket_id = $2 AND event_id = $3",
                    &[&kiosk, &id, &event.event_id],
                )?;
                match stored.map(|row| row.get::<_, String>(0)) {
                    None => {
                        if apply(transaction, mpp, kiosk, event, body, now)? {
                            flagged.extend(flag(transaction, mpp, kiosk, range, &event.ticket, now)?);
                        }
                        outcome.accepted.push(event.event_id);
                    }
                    Some(stored) if stored == *body => outcome.duplicates.push(event.event_id),
                    Some(_) => {
                        transaction.execute(
                            "INSERT INTO conflicts (mpp, kiosk, ticket_id, event_id, body, received_at) \
                             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                            &[&mpp, &kiosk, &id, &event.event_id, body, &instant_text(now)],
                        )?;
                        outcome.conflicts.push(event.event_id);
                    }
                }
            }
            for event in refused {
                transaction.execute(
                    "INSERT INTO refusals (mpp, kiosk, ticket_id, event_id, reason, received_at) \
                     SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM refusals \
                     WHERE kiosk = $2 AND ticket_id = $3 AND event_id = $4 AND reason = $5)",
                    &[
                        &mpp,
                        &kiosk,
                        &event.ticket_id,
                        &event.refusal.event_id,
                        &event.refusal.reason,
                        &instant_text(now),
                    ],
                )?;
            }
            transaction.execute(
                "INSERT INTO kiosks (id, mpp, last_contact_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET last_contact_at = excluded.last_contact_at, \
                 mpp = excluded.mpp",
                &[&kiosk, &mpp, &instant_text(now)],
            )?;
            Ok((outcome, flagged))
        })?;
        let mut outcome = outcome;
        outcome.refused = refused.iter().map(|event| event.refusal.clone()).collect();
        if !outcome.conflicts.is_empty() {
            tracing::warn!(kiosk, conflicts = ?outcome.conflicts, "conflicting events kept aside");
        }
        if !refused.is_empty() {
            tracing::warn!(
                kiosk,
                refused = refused.len(),
                "events refused and recorded"
            );
        }
        flagged.iter().for_each(FlaggedNumber::log);
        Ok(outcome)
    }
}
