//! The SQLite file's side of the numbers: those flagged for a person, and what a kiosk used
//! (statements and rows in [`crate::storage::numbers`]).

use chrono::NaiveDate;
use rusqlite::params;

use crate::storage::Numbers;
use crate::storage::error::DbError;
use crate::storage::numbers::{FlaggedRow, HighestRow, sql};
use crate::storage::sqlite::Sqlite;
use crate::storage::sqlite::reads::Statements;

impl Numbers for Sqlite {
    fn flagged_rows(&mut self, mpp: &str, limit: u32) -> Result<Vec<FlaggedRow>, DbError> {
        self.tuples(sql::FLAGGED, params![mpp, limit])
    }

    fn highest_rows(&mut self, kiosk: &str, day: NaiveDate) -> Result<Vec<HighestRow>, DbError> {
        self.tuples(sql::HIGHEST, params![kiosk, day.to_string()])
    }

    fn latest_day(&mut self, kiosk: &str) -> Result<Option<String>, DbError> {
        self.value(sql::LATEST_DAY, [kiosk])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::numbers::NumberProblem;
    use crate::storage::batches::Batch;
    use crate::storage::fixtures::{DAY, batch, event, ticket};
    use crate::storage::fleet::{KioskReads, sql::FLAGGED as FLAGGED_OF_KIOSK};
    use crate::storage::{Numbers, Tickets};
    use mpp_core::numbering::{Lane, NumberRange};
    use mpp_core::protocol::TicketEvent;
    use mpp_core::ticket::TicketStatus;

    /// `kiosk`'s ticket `id`, printed on `day` (its event the first).
    fn printed(kiosk: &str, id: &str, lane: Lane, sequence: u32, day: &str) -> TicketEvent {
        event(
            1,
            &ticket(kiosk, id, sequence, lane, day),
            TicketStatus::Printed,
        )
    }

    fn range(first: u32, last: u32) -> NumberRange {
        NumberRange::new(first, last).expect("range")
    }

    /// `events` of `kiosk`, whose numbers are `first` to `last`.
    fn ranged<'a>(
        kiosk: &'a str,
        (first, last): (u32, u32),
        events: &'a [TicketEvent],
    ) -> Batch<'a> {
        Batch {
            range: Some(range(first, last)),
            ..batch(kiosk, events)
        }
    }

    #[test]
    fn a_number_printed_twice_is_stored_and_flagged_once() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut storage = Sqlite::open(&folder.path().join("c.db")).expect("open");
        let first = printed("K1", "a", Lane::Regular, 1, DAY);
        let same = printed("K2", "b", Lane::Regular, 1, DAY);
        let mut priority = printed("K2", "c", Lane::Priority, 1, DAY);
        priority.event_id = 2;
        let mut tomorrow = printed("K2", "d", Lane::Regular, 1, "2026-11-24");
        tomorrow.event_id = 3;
        storage
            .apply_batch(&ranged("K1", (1, 499), &[first]))
            .expect("first");
        let outcome = storage
            .apply_batch(&ranged("K2", (1, 999), &[same.clone(), priority, tomorrow]))
            .expect("second");
        assert_eq!(
            outcome.accepted,
            [1, 2, 3],
            "the paper is real: the ticket is kept"
        );
        assert_eq!(
            storage.kiosks_with_ticket("default", "b").expect("owners"),
            ["K2"]
        );
        let again = storage
            .apply_batch(&ranged("K2", (1, 999), &[same]))
            .expect("again");
        assert_eq!(again.duplicates, [1]);
        let flagged = storage.flagged_numbers("default").expect("flagged");
        assert_eq!(flagged.len(), 1, "{flagged:?}");
        assert_eq!(
            (flagged[0].kiosk.as_str(), flagged[0].ticket_id.as_str()),
            ("K2", "b")
        );
        assert_eq!(
            flagged[0].problem,
            NumberProblem::Duplicate {
                first_kiosk: "K1".into(),
                first_ticket: "a".into()
            }
        );
        assert_eq!(storage.count(FLAGGED_OF_KIOSK, &["K2"]).expect("count"), 1);
        assert_eq!(storage.count(FLAGGED_OF_KIOSK, &["K1"]).expect("count"), 0);

        // The same kiosk after its database was replaced mid-day: a new id, the same number.
        let mut again_on_k1 = printed("K1", "a-new", Lane::Regular, 1, DAY);
        again_on_k1.event_id = 2;
        storage
            .apply_batch(&ranged("K1", (1, 499), &[again_on_k1]))
            .expect("replaced database");
        let latest = &storage.flagged_numbers("default").expect("flagged")[0];
        assert_eq!(latest.ticket_id, "a-new");
        assert_eq!(
            latest.problem,
            NumberProblem::Duplicate {
                first_kiosk: "K1".into(),
                first_ticket: "a".into()
            }
        );
    }

    #[test]
    fn a_number_outside_the_kiosks_range_is_flagged() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut storage = Sqlite::open(&folder.path().join("c.db")).expect("open");
        let inside = printed("K1", "a", Lane::Regular, 499, DAY);
        let mut outside = printed("K1", "b", Lane::Regular, 500, DAY);
        outside.event_id = 2;
        storage
            .apply_batch(&ranged("K1", (1, 499), &[inside, outside]))
            .expect("stored");
        let flagged = storage.flagged_numbers("default").expect("flagged");
        assert_eq!(flagged.len(), 1, "{flagged:?}");
        assert_eq!(flagged[0].ticket_id, "b");
        assert_eq!(flagged[0].problem, NumberProblem::OutOfRange(range(1, 499)));
        let unchecked = printed("K1", "c", Lane::Regular, 5000, DAY);
        storage
            .apply_batch(&batch("K1", &[unchecked]))
            .expect("no range configured");
        assert_eq!(
            storage.flagged_numbers("default").expect("flagged").len(),
            1
        );
    }

    #[test]
    fn the_highest_numbers_are_per_queue_and_lane_of_the_asking_kiosk() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut storage = Sqlite::open(&folder.path().join("c.db")).expect("open");
        let mine = [
            printed("K1", "a", Lane::Regular, 3, DAY),
            printed("K1", "b", Lane::Regular, 7, DAY),
            printed("K1", "c", Lane::Priority, 2, DAY),
            printed("K1", "d", Lane::Regular, 9, "2026-11-25"),
        ];
        // Every event has id 1: the key is the kiosk's ticket and its event, so all are new.
        storage.apply_batch(&batch("K1", &mine)).expect("K1");
        let theirs = printed("K2", "e", Lane::Regular, 50, DAY);
        storage.apply_batch(&batch("K2", &[theirs])).expect("K2");
        let highest = storage
            .highest_numbers("K1", DAY.parse().expect("day"))
            .expect("highest");
        let pairs: Vec<_> = highest.iter().map(|h| (h.lane, h.sequence)).collect();
        assert_eq!(pairs, [(Lane::Priority, 2), (Lane::Regular, 7)]);
        assert_eq!(
            storage.latest_business_day("K1").expect("latest"),
            Some("2026-11-25".parse().expect("day"))
        );
        assert_eq!(storage.latest_business_day("K3").expect("latest"), None);
    }
}
