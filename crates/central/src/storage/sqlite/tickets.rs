//! The SQLite file's side of the tickets: the queue reads (event batches are decided in
//! [`crate::storage::batches`], counter reports in [`crate::storage::counters`]). A ticket is
//! known by its kiosk and its id together: an id another kiosk pushes is another ticket, and
//! never touches this one. The first heard of comes first by `rowid`.

use chrono::NaiveDate;
use rusqlite::params;

use crate::storage::Tickets;
use crate::storage::error::DbError;
use crate::storage::rows::{RecordRow, WaitingRow, small, sql};
use crate::storage::sqlite::Sqlite;
use crate::storage::sqlite::reads::Statements;
use mpp_common::instant;
use mpp_core::ticket::Ticket;

impl Tickets for Sqlite {
    fn kiosks_with_ticket(&mut self, mpp: &str, ticket_id: &str) -> Result<Vec<String>, DbError> {
        let sql = "SELECT kiosk FROM tickets WHERE mpp = ?1 AND id = ?2 ORDER BY rowid";
        self.column(sql, params![mpp, ticket_id])
    }

    fn owners_of(&mut self, id: &str) -> Result<Vec<String>, DbError> {
        self.column(
            "SELECT kiosk FROM tickets WHERE id = ?1 ORDER BY rowid",
            [id],
        )
    }

    fn waiting_rows(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<WaitingRow>, DbError> {
        self.tuples(&sql::waiting(), params![mpp, day.to_string()])
    }

    fn ticket_row(&mut self, kiosk: &str, id: &str) -> Result<Option<RecordRow>, DbError> {
        self.tuple(sql::TICKET, params![kiosk, id])
    }

    fn ahead_of(&mut self, mpp: &str, ticket: &Ticket) -> Result<u32, DbError> {
        let ahead = self.value(
            &sql::ahead(),
            params![
                ticket.business_day.to_string(),
                ticket.queue.as_str(),
                instant::to_text(ticket.issued_at),
                ticket.id.as_str(),
                ticket.lane.as_str(),
                ticket.kiosk.as_str(),
                mpp,
            ],
        )?;
        Ok(small(ahead))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::counter::{CounterOutcome, Reporter};
    use crate::storage::fixtures::{DAY, at_minute, batch, event, now};
    use crate::storage::{Counters, Fleet, Tickets};
    use mpp_core::numbering::Lane;
    use mpp_core::printer_state::PrinterState;
    use mpp_core::protocol::{CounterReport, CounterStatus, Heartbeat};
    use mpp_core::ticket::TicketStatus;

    fn ticket(id: &str, sequence: u32, lane: Lane, minute: u32) -> Ticket {
        at_minute("K1", id, sequence, lane, DAY, minute)
    }

    #[test]
    fn batches_are_idempotent_and_conflicts_kept_aside() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut storage = Sqlite::open(&folder.path().join("c.db")).expect("open");
        let first = ticket("t1", 1, Lane::Regular, 0);
        let events = [
            event(1, &first, TicketStatus::Issued),
            event(2, &first, TicketStatus::Printed),
        ];
        let outcome = storage.apply_batch(&batch("K1", &events)).expect("apply");
        assert_eq!(outcome.accepted, [1, 2]);
        let again = storage.apply_batch(&batch("K1", &events)).expect("again");
        assert_eq!(again.duplicates, [1, 2]);
        let mut changed = event(2, &first, TicketStatus::Voided);
        changed.reason = Some("x".into());
        let conflict = storage
            .apply_batch(&batch("K1", &[changed.clone()]))
            .expect("conflict");
        assert_eq!(conflict.conflicts, [2]);
        // The same id from another kiosk is another ticket: K1's is untouched.
        let other = storage.apply_batch(&batch("K2", &[event(9, &first, TicketStatus::Voided)]));
        assert_eq!(other.expect("other kiosk").accepted, [9]);
        storage
            .apply_batch(&batch("K1", &[changed]))
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
            .apply_batch(&batch("K1", &[event(5, &first, TicketStatus::Voided)]))
            .expect("late first");
        storage
            .apply_batch(&batch("K1", &[event(4, &first, TicketStatus::Printed)]))
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
            .prepare(&format!("EXPLAIN QUERY PLAN {}", sql::ahead()))
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
        storage.apply_batch(&batch("K1", &events)).expect("apply");
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
            zone: "",
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
