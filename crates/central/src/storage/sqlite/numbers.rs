//! Queue numbers as the server sees them across kiosks: a number printed twice (the same day,
//! queue, lane and sequence on two tickets) or outside its kiosk's configured range is stored
//! anyway, since the paper is real, and flagged for a person; and what a kiosk has used on a
//! day, for a kiosk whose database is new (`GET /api/v1/numbers`).

use crate::model::numbers::{FlaggedNumber, LATEST_SHOWN, NumberProblem};
use crate::rules::numbers::columns;
use crate::storage::Numbers;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::storage::error::DbError;
use crate::storage::sqlite::Sqlite;
use mpp_common::instant;
use mpp_core::numbering::{Lane, NumberRange};
use mpp_core::protocol::HighestNumber;
use mpp_core::ticket::Ticket;

/// The earliest other ticket of `mpp` with the same day, queue, lane and sequence, if any.
pub(crate) fn first_with_number(
    transaction: &Transaction<'_>,
    mpp: &str,
    kiosk: &str,
    ticket: &Ticket,
) -> rusqlite::Result<Option<(String, String)>> {
    transaction
        .prepare_cached(
            "SELECT kiosk, id FROM tickets WHERE mpp = ?7 AND business_day = ?1 AND queue = ?2 \
             AND lane = ?3 AND sequence = ?4 AND NOT (kiosk = ?5 AND id = ?6) \
             ORDER BY rowid LIMIT 1",
        )?
        .query_row(
            params![
                ticket.business_day.to_string(),
                ticket.queue.as_str(),
                ticket.lane.as_str(),
                ticket.sequence,
                kiosk,
                ticket.id.as_str(),
                mpp,
            ],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
}

pub(crate) fn record(
    transaction: &Transaction<'_>,
    mpp: &str,
    found: &FlaggedNumber,
) -> rusqlite::Result<()> {
    let (problem, first_kiosk, first_ticket, range) = columns(&found.problem);
    transaction
        .prepare_cached(
            "INSERT OR IGNORE INTO flagged_numbers (problem, kiosk, ticket_id, number, \
             business_day, first_kiosk, first_ticket_id, range_first, range_last, found_at, mpp) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            problem,
            found.kiosk,
            found.ticket_id,
            found.number,
            found.business_day.to_string(),
            first_kiosk,
            first_ticket,
            range.map(|range| range.first),
            range.map(|range| range.last),
            instant::to_text(found.found_at),
            mpp,
        ])
        .map(drop)
}

/// One row of `flagged_numbers`, as both backends read it.
pub(crate) type FlaggedRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<u32>,
    Option<u32>,
    String,
);

impl Numbers for Sqlite {
    /// The latest flagged numbers of any kiosk of `mpp`, newest first.
    fn flagged_numbers(&mut self, mpp: &str) -> Result<Vec<FlaggedNumber>, DbError> {
        let rows: Vec<FlaggedRow> = self
            .connection
            .prepare_cached(
                "SELECT problem, kiosk, ticket_id, number, business_day, first_kiosk, \
                 first_ticket_id, range_first, range_last, found_at FROM flagged_numbers \
                 WHERE mpp = ?2 ORDER BY id DESC LIMIT ?1",
            )
            .and_then(|mut statement| {
                statement
                    .query_map(params![LATEST_SHOWN, mpp], |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            row.get(3)?,
                            row.get(4)?,
                            row.get(5)?,
                            row.get(6)?,
                            row.get(7)?,
                            row.get(8)?,
                            row.get(9)?,
                        ))
                    })?
                    .collect()
            })
            .map_err(|error| self.error(error))?;
        let corrupt = |detail| self.corrupt(detail);
        rows.into_iter()
            .map(|row| flagged_from(row, &corrupt))
            .collect()
    }

    /// The highest sequence `kiosk` printed on `day` in each queue and lane (voided tickets
    /// count: their numbers are never given out again), by queue then lane.
    fn highest_numbers(
        &mut self,
        kiosk: &str,
        day: NaiveDate,
    ) -> Result<Vec<HighestNumber>, DbError> {
        let rows: Vec<(String, String, u32)> = self
            .connection
            .prepare_cached(
                "SELECT queue, lane, max(sequence) FROM tickets \
                 WHERE kiosk = ?1 AND business_day = ?2 GROUP BY queue, lane \
                 ORDER BY queue, lane",
            )
            .and_then(|mut statement| {
                statement
                    .query_map(params![kiosk, day.to_string()], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                    })?
                    .collect()
            })
            .map_err(|error| self.error(error))?;
        highest_from(rows, &|detail| self.corrupt(detail))
    }

    /// The latest business day of any ticket the server has from `kiosk`.
    fn latest_business_day(&mut self, kiosk: &str) -> Result<Option<NaiveDate>, DbError> {
        let day: Option<String> = self
            .connection
            .query_row(
                "SELECT max(business_day) FROM tickets WHERE kiosk = ?1",
                params![kiosk],
                |row| row.get(0),
            )
            .map_err(|error| self.error(error))?;
        day.map(|day| {
            day.parse()
                .map_err(|_| self.corrupt(format!("business day {day:?}")))
        })
        .transpose()
    }
}

/// A flagged number as a row holds it; `corrupt` names what cannot be read.
pub(crate) fn flagged_from(
    row: FlaggedRow,
    corrupt: &dyn Fn(String) -> DbError,
) -> Result<FlaggedNumber, DbError> {
    let (problem, kiosk, ticket_id, number, day, first_kiosk, first_ticket, first, last, at) = row;
    let corrupt = || corrupt(format!("flagged number of ticket {ticket_id}"));
    let problem = match (problem.as_str(), first_kiosk, first_ticket, first, last) {
        ("duplicate", Some(first_kiosk), Some(first_ticket), _, _) => NumberProblem::Duplicate {
            first_kiosk,
            first_ticket,
        },
        ("out_of_range", _, _, Some(first), Some(last)) => {
            NumberProblem::OutOfRange(NumberRange::new(first, last).map_err(|_| corrupt())?)
        }
        _ => return Err(corrupt()),
    };
    Ok(FlaggedNumber {
        business_day: day.parse().map_err(|_| corrupt())?,
        found_at: instant::parse(&at).ok_or_else(corrupt)?,
        kiosk,
        ticket_id,
        number,
        problem,
    })
}

/// The highest numbers as both backends read them (queue, lane, sequence).
pub(crate) fn highest_from(
    rows: Vec<(String, String, u32)>,
    corrupt: &dyn Fn(String) -> DbError,
) -> Result<Vec<HighestNumber>, DbError> {
    rows.into_iter()
        .map(|(queue, lane, sequence)| {
            let lane = Lane::parse(&lane).ok_or_else(|| corrupt(format!("lane {lane:?}")))?;
            Ok(HighestNumber {
                queue: queue.into(),
                lane,
                sequence,
            })
        })
        .collect()
}

impl Sqlite {
    /// How many numbers of `kiosk` were flagged, ever.
    pub fn flagged_count(&self, kiosk: &str) -> Result<u32, DbError> {
        self.connection
            .query_row(
                "SELECT count(*) FROM flagged_numbers WHERE kiosk = ?1",
                params![kiosk],
                |row| row.get(0),
            )
            .map_err(|error| self.error(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::batches::Batch;
    use crate::storage::{Numbers, Tickets};
    use chrono::{DateTime, Utc};
    use mpp_core::protocol::TicketEvent;
    use mpp_core::ticket::TicketStatus;

    fn printed(kiosk: &str, id: &str, lane: Lane, sequence: u32, day: &str) -> TicketEvent {
        let issued_at = format!("{day}T02:00:00Z").parse().expect("instant");
        let marker = if lane.is_priority() { "P" } else { "" };
        let ticket = Ticket {
            id: id.into(),
            number: format!("DKC-{marker}{sequence:03}"),
            queue: "DKC".into(),
            lane,
            sequence,
            agency: "DUKCAPIL".into(),
            service: "DKC-KTP".into(),
            kiosk: kiosk.into(),
            business_day: day.parse().expect("day"),
            issued_at,
            people_ahead: None,
            status: TicketStatus::Printed,
            print_count: 1,
            qr_payload: format!("https://x/t/{kiosk}/{id}?s=0"),
        };
        TicketEvent {
            event_id: 1,
            status: TicketStatus::Printed,
            reason: None,
            at: issued_at,
            ticket,
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-23T03:00:00Z".parse().expect("instant")
    }

    fn range(first: u32, last: u32) -> Option<NumberRange> {
        Some(NumberRange::new(first, last).expect("range"))
    }

    #[test]
    fn a_number_printed_twice_is_stored_and_flagged_once() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut storage = Sqlite::open(&folder.path().join("c.db")).expect("open");
        let day = "2026-11-23";
        let first = printed("K1", "a", Lane::Regular, 1, day);
        let same = printed("K2", "b", Lane::Regular, 1, day);
        let mut priority = printed("K2", "c", Lane::Priority, 1, day);
        priority.event_id = 2;
        let mut tomorrow = printed("K2", "d", Lane::Regular, 1, "2026-11-24");
        tomorrow.event_id = 3;
        storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: range(1, 499),
                events: &[first],
                refused: &[],
                now: now(),
            })
            .expect("first");
        let outcome = storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K2",
                range: range(1, 999),
                events: &[same.clone(), priority, tomorrow],
                refused: &[],
                now: now(),
            })
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
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K2",
                range: range(1, 999),
                events: &[same],
                refused: &[],
                now: now(),
            })
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
        assert_eq!(storage.flagged_count("K2").expect("count"), 1);
        assert_eq!(storage.flagged_count("K1").expect("count"), 0);

        // The same kiosk after its database was replaced mid-day: a new id, the same number.
        let mut again_on_k1 = printed("K1", "a-new", Lane::Regular, 1, day);
        again_on_k1.event_id = 2;
        storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: range(1, 499),
                events: &[again_on_k1],
                refused: &[],
                now: now(),
            })
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
        let inside = printed("K1", "a", Lane::Regular, 499, "2026-11-23");
        let mut outside = printed("K1", "b", Lane::Regular, 500, "2026-11-23");
        outside.event_id = 2;
        storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: range(1, 499),
                events: &[inside, outside],
                refused: &[],
                now: now(),
            })
            .expect("stored");
        let flagged = storage.flagged_numbers("default").expect("flagged");
        assert_eq!(flagged.len(), 1, "{flagged:?}");
        assert_eq!(flagged[0].ticket_id, "b");
        assert_eq!(
            flagged[0].problem,
            NumberProblem::OutOfRange(range(1, 499).expect("r"))
        );
        let unchecked = printed("K1", "c", Lane::Regular, 5000, "2026-11-23");
        storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: None,
                events: &[unchecked],
                refused: &[],
                now: now(),
            })
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
        let day = "2026-11-23";
        let mine = [
            printed("K1", "a", Lane::Regular, 3, day),
            printed("K1", "b", Lane::Regular, 7, day),
            printed("K1", "c", Lane::Priority, 2, day),
            printed("K1", "d", Lane::Regular, 9, "2026-11-25"),
        ];
        // Every event has id 1: the key is the kiosk's ticket and its event, so all are new.
        storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K1",
                range: None,
                events: &mine,
                refused: &[],
                now: now(),
            })
            .expect("K1");
        let theirs = printed("K2", "e", Lane::Regular, 50, day);
        storage
            .apply_batch(&Batch {
                mpp: "default",
                kiosk: "K2",
                range: None,
                events: &[theirs],
                refused: &[],
                now: now(),
            })
            .expect("K2");
        let highest = storage
            .highest_numbers("K1", day.parse().expect("day"))
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
