//! PostgreSQL's writes, each one transaction under its MPP's lock: event batches (new,
//! duplicate or conflict, by kiosk + ticket + event, as in SQLite), refusals, numbers printed
//! twice or out of range, heartbeats, counter reports and the published catalog.

use chrono::{DateTime, Utc};
use postgres::Transaction;

use crate::model::counter::CounterOutcome;
use crate::model::counter::Reporter;
use crate::model::numbers::FlaggedNumber;
use crate::model::numbers::NumberProblem;
use crate::model::refusal::RefusedEvent;
use crate::rules::counter::TicketRow;
use crate::storage::error::DbError;
use crate::storage::instant::instant_text;
use crate::storage::postgres::Postgres;
use crate::storage::sqlite::counters;
use mpp_core::numbering::NumberRange;
use mpp_core::protocol::{BatchOutcome, CounterReport, Heartbeat, TicketEvent};
use mpp_core::ticket::Ticket;

type PgResult<T> = Result<T, postgres::Error>;

impl Postgres {
    pub(crate) fn apply_batch(
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

    pub(crate) fn record_heartbeat(
        &mut self,
        mpp: &str,
        heartbeat: &Heartbeat,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let json =
            serde_json::to_string(heartbeat).map_err(|error| self.corrupt(error.to_string()))?;
        let kiosk = heartbeat.kiosk.as_str();
        self.write(mpp, |transaction| {
            transaction.execute(
                "INSERT INTO kiosks (id, mpp, last_contact_at, heartbeat_json, heartbeat_received_at) \
                 VALUES ($1, $2, $3, $4, $3) ON CONFLICT (id) DO UPDATE SET \
                 mpp = excluded.mpp, last_contact_at = excluded.last_contact_at, \
                 heartbeat_json = excluded.heartbeat_json, \
                 heartbeat_received_at = excluded.heartbeat_received_at",
                &[&kiosk, &mpp, &instant_text(now), &json],
            )
        })
        .map(drop)
    }

    pub(crate) fn record_counter_report(
        &mut self,
        mpp: &str,
        kiosk: &str,
        ticket_id: &str,
        report: &CounterReport,
        reporter: Reporter<'_>,
        now: DateTime<Utc>,
    ) -> Result<CounterOutcome, DbError> {
        let server = crate::storage::postgres::server_of(&self.url);
        self.write(mpp, |transaction| {
            let row = transaction.query_opt(
                "SELECT number, queue, business_day, status, counter_status FROM tickets \
                 WHERE kiosk = $1 AND id = $2 AND mpp = $3 FOR UPDATE",
                &[&kiosk, &ticket_id, &mpp],
            )?;
            let Some(row) = row else {
                return Ok(Ok(CounterOutcome::Unknown));
            };
            let row: TicketRow = (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
            let found = match counters::found(std::path::Path::new(&server), row) {
                Ok(found) => found,
                Err(error) => return Ok(Err(error)),
            };
            if let Some(outcome) = crate::rules::counter::verdict(found, report, reporter) {
                return Ok(Ok(outcome));
            }
            let (status, at) = (report.status.as_str(), instant_text(now));
            transaction.execute(
                "UPDATE tickets SET counter_status = $3, counter_name = $4, counter_at = $5 \
                 WHERE kiosk = $1 AND id = $2",
                &[&kiosk, &ticket_id, &status, &report.counter, &at],
            )?;
            transaction.execute(
                "INSERT INTO counter_reports (mpp, kiosk, ticket_id, status, counter, credential, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[&mpp, &kiosk, &ticket_id, &status, &report.counter, &reporter.credential, &at],
            )?;
            Ok(Ok(CounterOutcome::Recorded))
        })?
    }

    pub(crate) fn store_published_catalog(
        &mut self,
        mpp: &str,
        version: u64,
        json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let version = i64::try_from(version).map_err(|_| self.corrupt("catalog version"))?;
        self.write(mpp, |transaction| {
            transaction.execute(
                "INSERT INTO published_catalogs (mpp, version, json, stored_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (mpp) DO UPDATE SET \
                 version = excluded.version, json = excluded.json, stored_at = excluded.stored_at",
                &[&mpp, &version, &json, &instant_text(now)],
            )
        })
        .map(drop)
    }
}

/// Upserts the ticket (only when this event is the latest the kiosk made) and appends the
/// event; `true` when the ticket was new to the server.
fn apply(
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
    let received = instant_text(now);
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
            &instant_text(ticket.issued_at),
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
            &instant_text(event.at),
            &body,
            &received,
            &mpp,
        ],
    )?;
    Ok(!known)
}

/// The number checks of `numbers::flag`, in PostgreSQL: another ticket of the MPP with the
/// same day, queue, lane and sequence, or a sequence outside the kiosk's range.
fn flag(
    transaction: &mut Transaction<'_>,
    mpp: &str,
    kiosk: &str,
    range: Option<NumberRange>,
    ticket: &Ticket,
    now: DateTime<Utc>,
) -> PgResult<Vec<FlaggedNumber>> {
    let id = ticket.id.as_str();
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
            &id,
        ],
    )?;
    let mut problems = Vec::new();
    if let Some(row) = first {
        problems.push(NumberProblem::Duplicate {
            first_kiosk: row.get(0),
            first_ticket: row.get(1),
        });
    }
    if let Some(range) =
        range.filter(|range| !(range.first..=range.last).contains(&ticket.sequence))
    {
        problems.push(NumberProblem::OutOfRange(range));
    }
    let mut flagged = Vec::new();
    for problem in problems {
        let (name, first_kiosk, first_ticket, bounds) = match &problem {
            NumberProblem::Duplicate {
                first_kiosk,
                first_ticket,
            } => (
                "duplicate",
                Some(first_kiosk.clone()),
                Some(first_ticket.clone()),
                None,
            ),
            NumberProblem::OutOfRange(range) => ("out_of_range", None, None, Some(*range)),
        };
        transaction.execute(
            "INSERT INTO flagged_numbers (mpp, problem, kiosk, ticket_id, number, business_day, \
             first_kiosk, first_ticket_id, range_first, range_last, found_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
            &[
                &mpp,
                &name,
                &kiosk,
                &id,
                &ticket.number,
                &ticket.business_day.to_string(),
                &first_kiosk,
                &first_ticket,
                &bounds.map(|range| i64::from(range.first)),
                &bounds.map(|range| i64::from(range.last)),
                &instant_text(now),
            ],
        )?;
        flagged.push(FlaggedNumber {
            kiosk: kiosk.to_owned(),
            ticket_id: id.to_owned(),
            number: ticket.number.clone(),
            business_day: ticket.business_day,
            problem,
            found_at: now,
        });
    }
    Ok(flagged)
}
