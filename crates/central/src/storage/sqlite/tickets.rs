//! What the server records and reads back: event batches (idempotent, one transaction each),
//! heartbeats, waiting counts, one ticket's place in its queue (counter reports: `counters`).
//! A ticket is known by its kiosk and its id together: an id another kiosk pushes is another
//! ticket, and never touches this one.

use crate::model::ticket::TicketRecord;
use crate::storage::Tickets;
use crate::storage::batches::{self, Batch};
use crate::storage::rows::WAITING;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use crate::storage::error::DbError;
use crate::storage::rows::{record_from, waiting_from};
use crate::storage::sqlite::Sqlite;
use mpp_common::instant;
use mpp_core::ids::QueueCode;
use mpp_core::protocol::{BatchOutcome, QueueWaiting};
use mpp_core::ticket::Ticket;

impl Sqlite {
    /// The kiosks of any MPP that have a ticket `ticket_id`, first heard of first.
    fn owners_of(&self, ticket_id: &str) -> Result<Vec<String>, DbError> {
        self.connection
            .prepare_cached("SELECT kiosk FROM tickets WHERE id = ?1 ORDER BY rowid")
            .and_then(|mut statement| {
                statement
                    .query_map(params![ticket_id], |row| row.get(0))?
                    .collect()
            })
            .map_err(|error| self.error(error))
    }
}

impl Tickets for Sqlite {
    /// Stores a batch of `mpp`'s kiosk in one transaction, decided by
    /// [`batches::apply_batch`]: new events applied, resent ones duplicates, contradicting ones
    /// kept aside as conflicts; `refused` (by the checks before) recorded beside. A new ticket
    /// whose number another ticket already has, or that lies outside `range`, is stored and
    /// flagged.
    #[tracing::instrument(skip_all, err, fields(kiosk = %batch.kiosk, events = batch.events.len()))]
    fn apply_batch(&mut self, batch: &Batch<'_>) -> Result<BatchOutcome, DbError> {
        let (outcome, flagged) = self.deciding(|writing| batches::apply_batch(writing, batch))?;
        batches::report(batch, &outcome, &flagged);
        Ok(outcome)
    }

    /// The kiosks of `mpp` that have a ticket `ticket_id`, in the order the server first
    /// heard of them.
    fn kiosks_with_ticket(&mut self, mpp: &str, ticket_id: &str) -> Result<Vec<String>, DbError> {
        self.connection
            .prepare_cached("SELECT kiosk FROM tickets WHERE mpp = ?1 AND id = ?2 ORDER BY rowid")
            .and_then(|mut statement| {
                statement
                    .query_map(params![mpp, ticket_id], |row| row.get(0))?
                    .collect()
            })
            .map_err(|error| self.error(error))
    }

    /// People waiting per queue of `mpp` on `day`; every queue in `known` appears, even when
    /// empty.
    fn waiting(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        known: &[QueueCode],
    ) -> Result<Vec<QueueWaiting>, DbError> {
        let sql = format!(
            "SELECT queue, lane, count(*) FROM tickets WHERE mpp = ?1 AND business_day = ?2 \
             AND {WAITING} GROUP BY queue, lane"
        );
        let rows = self
            .connection
            .prepare_cached(&sql)
            .and_then(|mut statement| {
                statement
                    .query_map(params![mpp, day.to_string()], |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, u32>(2)?,
                        ))
                    })?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|error| self.error(error))?;
        Ok(waiting_from(known, rows))
    }

    /// `kiosk`'s ticket `id`, if the server has it.
    fn ticket(&mut self, kiosk: &str, id: &str) -> Result<Option<TicketRecord>, DbError> {
        let row = self
            .connection
            .prepare_cached(
                "SELECT ticket_json, counter_status, counter_name, counter_at FROM tickets \
                 WHERE kiosk = ?1 AND id = ?2",
            )
            .and_then(|mut statement| {
                statement.query_row(params![kiosk, id], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, Option<String>>(1)?,
                        row.get::<_, Option<String>>(2)?,
                        row.get::<_, Option<String>>(3)?,
                    ))
                })
            })
            .optional()
            .map_err(|error| self.error(error))?;
        row.map(|row| record_from(row, |detail| self.corrupt(detail)))
            .transpose()
    }

    /// The first ticket `id` the server heard of among those of `kiosks`: a legacy link names
    /// no kiosk, only a key that verified it.
    fn ticket_of_any(
        &mut self,
        kiosks: &[&str],
        id: &str,
    ) -> Result<Option<TicketRecord>, DbError> {
        let owners = self.owners_of(id)?;
        match owners.iter().find(|owner| kiosks.contains(&owner.as_str())) {
            Some(owner) => self.ticket(owner, id),
            None => Ok(None),
        }
    }

    /// Tickets of `mpp` still waiting in the same queue and day that will be called before this one.
    /// Counters call priority tickets first: a priority ticket has only earlier priority tickets
    /// ahead; a regular ticket has every waiting priority ticket, and the regular ones issued
    /// before it (at the same instant, the kiosk and then the id decide).
    fn ahead_of(&mut self, mpp: &str, ticket: &Ticket) -> Result<u32, DbError> {
        let sql = ahead_sql();
        self.connection
            .prepare_cached(&sql)
            .and_then(|mut statement| {
                statement.query_row(
                    params![
                        ticket.business_day.to_string(),
                        ticket.queue.as_str(),
                        instant::to_text(ticket.issued_at),
                        ticket.id.as_str(),
                        ticket.lane.as_str(),
                        ticket.kiosk.as_str(),
                        mpp,
                    ],
                    |row| row.get(0),
                )
            })
            .map_err(|error| self.error(error))
    }
}

/// The count behind [`Sqlite::ahead_of`]: two counts, each within one lane of the
/// `tickets_waiting` index.
fn ahead_sql() -> String {
    format!(
        "SELECT (SELECT count(*) FROM tickets WHERE mpp = ?7 AND business_day = ?1 AND queue = ?2 \
                 AND lane = 'priority' AND ?5 = 'regular' AND {WAITING}) \
              + (SELECT count(*) FROM tickets WHERE mpp = ?7 AND business_day = ?1 AND queue = ?2 \
                 AND lane = ?5 AND {WAITING} AND (issued_at < ?3 \
                 OR (issued_at = ?3 AND (kiosk, id) < (?6, ?4))))"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::counter::{CounterOutcome, Reporter};
    use crate::storage::{Counters, Fleet, Tickets};
    use chrono::{DateTime, Utc};
    use mpp_core::numbering::Lane;
    use mpp_core::printer_state::PrinterState;
    use mpp_core::protocol::CounterReport;
    use mpp_core::protocol::CounterStatus;
    use mpp_core::protocol::Heartbeat;
    use mpp_core::protocol::TicketEvent;
    use mpp_core::ticket::TicketStatus;

    fn ticket(id: &str, sequence: u32, lane: Lane, minute: u32) -> Ticket {
        Ticket {
            id: id.into(),
            number: format!("DKC-{sequence:03}"),
            queue: "DKC".into(),
            lane,
            sequence,
            agency: "DUKCAPIL".into(),
            service: "DKC-KTP".into(),
            kiosk: "K1".into(),
            business_day: "2026-11-23".parse().expect("day"),
            issued_at: format!("2026-11-23T02:{minute:02}:00Z")
                .parse()
                .expect("instant"),
            people_ahead: Some(0),
            status: TicketStatus::Printed,
            print_count: 1,
            qr_payload: format!("https://x/t/K1/{id}?s=0"),
        }
    }

    fn event(event_id: i64, ticket: &Ticket, status: TicketStatus) -> TicketEvent {
        TicketEvent {
            event_id,
            status,
            reason: None,
            at: ticket.issued_at,
            ticket: Ticket {
                status,
                ..ticket.clone()
            },
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-23T03:00:00Z".parse().expect("instant")
    }

    #[test]
    fn batches_are_idempotent_and_conflicts_kept_aside() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut storage = Sqlite::open(&folder.path().join("c.db")).expect("open");
        let first = ticket("t1", 1, Lane::Regular, 0);
        let batch = [
            event(1, &first, TicketStatus::Issued),
            event(2, &first, TicketStatus::Printed),
        ];
        let outcome = storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: None,
                events: &batch,
                refused: &[],
                now: now(),
            })
            .expect("apply");
        assert_eq!(outcome.accepted, [1, 2]);
        let again = storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: None,
                events: &batch,
                refused: &[],
                now: now(),
            })
            .expect("again");
        assert_eq!(again.duplicates, [1, 2]);
        let mut changed = event(2, &first, TicketStatus::Voided);
        changed.reason = Some("x".into());
        let conflict = storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: None,
                events: &[changed.clone()],
                refused: &[],
                now: now(),
            })
            .expect("conflict");
        assert_eq!(conflict.conflicts, [2]);
        // The same id from another kiosk is another ticket: K1's is untouched.
        let other = storage.apply_batch(&Batch {
            mpp: "default",
            kiosk: "K2",
            range: None,
            events: &[event(9, &first, TicketStatus::Voided)],
            refused: &[],
            now: now(),
        });
        assert_eq!(other.expect("other kiosk").accepted, [9]);
        storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: None,
                events: &[changed],
                refused: &[],
                now: now(),
            })
            .expect("same conflict again");
        let record = storage.ticket("K1", "t1").expect("read").expect("known");
        assert_eq!(record.ticket.status, TicketStatus::Printed);
        let theirs = storage.ticket("K2", "t1").expect("read").expect("known");
        assert_eq!(theirs.ticket.status, TicketStatus::Voided);
        assert_eq!(
            storage.kiosks_with_ticket("default", "t1").expect("owners"),
            ["K1", "K2"]
        );
        let fleet = storage
            .fleet(&["K1".into(), "K2".into()], first.business_day)
            .expect("fleet");
        assert_eq!((fleet[0].tickets_today, fleet[0].conflicts), (1, 1));
        assert_eq!((fleet[1].tickets_today, fleet[1].conflicts), (1, 0));
    }

    #[test]
    fn an_older_event_arriving_late_does_not_roll_the_status_back() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut storage = Sqlite::open(&folder.path().join("c.db")).expect("open");
        let first = ticket("t1", 1, Lane::Regular, 0);
        storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: None,
                events: &[event(5, &first, TicketStatus::Voided)],
                refused: &[],
                now: now(),
            })
            .expect("late first");
        storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: None,
                events: &[event(4, &first, TicketStatus::Printed)],
                refused: &[],
                now: now(),
            })
            .expect("early second");
        let record = storage.ticket("K1", "t1").expect("read").expect("known");
        assert_eq!(record.ticket.status, TicketStatus::Voided);
    }

    #[test]
    fn the_people_ahead_are_counted_in_the_index_alone() {
        let folder = tempfile::tempdir().expect("temp dir");
        let storage = Sqlite::open(&folder.path().join("c.db")).expect("open");
        let plan: Vec<String> = storage
            .connection
            .prepare(&format!("EXPLAIN QUERY PLAN {}", ahead_sql()))
            .expect("plan")
            .query_map(["d", "q", "i", "t", "regular", "k", "m"], |row| row.get(3))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        let covered = plan
            .iter()
            .filter(|step| step.contains("COVERING INDEX tickets_waiting"))
            .count();
        assert_eq!(covered, 2, "{plan:?}");
    }

    #[test]
    fn waiting_and_ahead_follow_counters_and_lanes() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut storage = Sqlite::open(&folder.path().join("c.db")).expect("open");
        let tickets = [
            ticket("a", 1, Lane::Regular, 0),
            ticket("b", 1, Lane::Priority, 1),
            ticket("c", 2, Lane::Regular, 2),
            ticket("d", 2, Lane::Priority, 3),
        ];
        let events: Vec<_> = tickets
            .iter()
            .enumerate()
            .map(|(index, t)| event(index as i64 + 1, t, TicketStatus::Printed))
            .collect();
        storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: None,
                events: &events,
                refused: &[],
                now: now(),
            })
            .expect("apply");
        let day = tickets[0].business_day;
        let waiting = storage
            .waiting("default", day, &["ARS".into()])
            .expect("waiting");
        assert_eq!(waiting.len(), 2);
        assert_eq!(
            (waiting[1].waiting_regular, waiting[1].waiting_priority),
            (2, 2)
        );
        // c (regular) waits behind a (earlier regular) and every waiting priority ticket, even d,
        // issued after it; d (priority) waits only behind b.
        assert_eq!(storage.ahead_of("default", &tickets[2]).expect("ahead"), 3);
        assert_eq!(storage.ahead_of("default", &tickets[3]).expect("ahead"), 1);
        let queues = [tickets[1].queue.to_string()];
        let reporter = Reporter {
            credential: "L",
            queues: &queues,
            today: day,
        };
        for status in [CounterStatus::Called, CounterStatus::Served] {
            let report = CounterReport {
                status,
                counter: "Loket 1".into(),
            };
            let outcome =
                storage.record_counter_report("default", "K1", "b", &report, reporter, now());
            assert_eq!(outcome.expect("report"), CounterOutcome::Recorded);
        }
        let served = CounterReport {
            status: CounterStatus::Served,
            counter: "Loket 1".into(),
        };
        let unknown =
            storage.record_counter_report("default", "K1", "zz", &served, reporter, now());
        assert_eq!(unknown.expect("report"), CounterOutcome::Unknown);
        assert_eq!(storage.ahead_of("default", &tickets[2]).expect("ahead"), 2);
        assert_eq!(storage.ahead_of("default", &tickets[3]).expect("ahead"), 0);
        let heartbeat = Heartbeat {
            kiosk: "K1".into(),
            version: "0.1.0".into(),
            printer: PrinterState::PaperOut,
            outbox_unsent: 3,
            oldest_unsent: None,
            catalog_version: 3,
            at: now(),
            day_doubt: None,
        };
        storage
            .record_heartbeat("default", &heartbeat, now())
            .expect("heartbeat");
        let fleet = storage.fleet(&["K1".into()], day).expect("fleet");
        assert_eq!(
            fleet[0].heartbeat.as_ref().map(|(h, _)| h.printer),
            Some(PrinterState::PaperOut)
        );
        assert_eq!(fleet[0].tickets_today, 4);
    }
}
