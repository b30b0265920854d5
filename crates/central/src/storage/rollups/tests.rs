//! The tallies kept as events arrive are those a rebuild sums, on a real SQLite file (the
//! integration tests `dashboard::` compare both with figures worked out by hand, on both
//! backends).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::*;
use crate::config::IMPLICIT_ID;
use crate::model::counter::Reporter;
use crate::storage::calls::Next;
use crate::storage::fixtures::{DAY, at_minute, batch, event};
use crate::storage::sqlite::Sqlite;
use crate::storage::transfers::Transfer;
use crate::storage::{Counters, Tickets};
use mpp_core::numbering::Lane;
use mpp_core::protocol::CounterReport;

fn at(minute: i64) -> DateTime<Utc> {
    format!("{DAY}T02:00:00Z")
        .parse::<DateTime<Utc>>()
        .expect("instant")
        + TimeDelta::minutes(minute)
}

fn day() -> NaiveDate {
    DAY.parse().expect("day")
}

fn sorted(mut rows: Vec<PeriodRow>) -> Vec<PeriodRow> {
    rows.sort_by(|a, b| {
        (&a.queue, &a.point, a.figure, a.bucket).cmp(&(&b.queue, &b.point, b.figure, b.bucket))
    });
    rows
}

fn count(rows: &[PeriodRow], figure: Figure) -> u64 {
    rows.iter()
        .filter(|row| row.figure == figure)
        .map(|row| row.count)
        .sum()
}

#[test]
fn the_tallies_kept_as_events_arrive_are_those_a_rebuild_sums() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut db = Sqlite::open(&folder.path().join("central.db")).expect("open");
    let tickets: Vec<_> = (0..5)
        .map(|n| at_minute("K1", &format!("t{n}"), n + 1, Lane::Regular, DAY, n))
        .collect();
    let mut events: Vec<_> = (tickets.iter().zip(1..))
        .map(|(ticket, id)| event(id, ticket, mpp_core::ticket::TicketStatus::Printed))
        .collect();
    db.apply_batch(&batch("K1", &events)).expect("batch");
    // t4 voided afterwards, and the same batch sent again (nothing new).
    events.push(event(
        9,
        &tickets[4],
        mpp_core::ticket::TicketStatus::Voided,
    ));
    db.apply_batch(&batch("K1", &events)).expect("voided");
    db.apply_batch(&batch("K1", &events)).expect("resent");

    let queues = vec!["DKC".to_owned()];
    let next = |point: &'static str, minute: i64| Next {
        mpp: IMPLICIT_ID,
        today: day(),
        point,
        queues: &queues,
        credential: "counter",
        zone: "",
        now: at(minute),
    };
    let reporter = Reporter {
        credential: "counter",
        queues: &queues,
        today: day(),
        zone: "",
    };
    let report = |db: &mut Sqlite, id: &str, status, point: &str, minute| {
        let report = CounterReport {
            status,
            counter: point.into(),
        };
        db.record_counter_report(IMPLICIT_ID, "K1", id, &report, reporter, at(minute))
            .expect("report");
    };
    // t0 called at 10, served at 14; t1 called at 11, no-show at 20; t2 called at 15,
    // transferred to SAM at 16; t3 waits.
    assert!(db.call_next(&next("Loket 1", 10)).expect("next").is_some());
    assert!(db.call_next(&next("Loket 2", 11)).expect("next").is_some());
    report(&mut db, "t0", CounterStatus::Served, "Loket 1", 14);
    report(&mut db, "t1", CounterStatus::NoShow, "Loket 2", 20);
    assert!(db.call_next(&next("Loket 1", 15)).expect("next").is_some());
    let moved = db.transfer(&Transfer {
        mpp: IMPLICIT_ID,
        kiosk: "K1",
        id: "t2",
        to: "SAM",
        point: "Loket 1",
        account: "counter",
        now: at(16),
    });
    assert_eq!(
        moved.expect("transfer"),
        crate::storage::transfers::TransferOutcome::Moved
    );

    let kept = sorted(db.period_rows(IMPLICIT_ID, day(), day()).expect("tallies"));
    assert_eq!(count(&kept, Figure::Issued), 5);
    assert_eq!(count(&kept, Figure::Voided), 1);
    assert_eq!(count(&kept, Figure::Called), 3);
    assert_eq!(count(&kept, Figure::Served), 1);
    assert_eq!(count(&kept, Figure::NoShow), 1);
    assert_eq!(count(&kept, Figure::Transferred), 1);
    let waits: Vec<_> = (kept.iter().filter(|row| row.figure == Figure::Wait))
        .map(|row| (row.point.as_str(), row.bucket))
        .collect();
    // Issued at 0, 1, 2 and called at 10, 11, 15; t2, transferred, is at no point now.
    assert_eq!(waits, [("", 13), ("Loket 1", 10), ("Loket 2", 10)]);
    let service: Vec<_> = (kept.iter().filter(|row| row.figure == Figure::Service))
        .map(|row| (row.point.as_str(), row.bucket))
        .collect();
    assert_eq!(service, [("Loket 1", 4)]);
    assert!(kept.iter().all(|row| row.count > 0), "no tally left at 0");

    // November read whole comes from the month's sums: the same.
    let (first, last) = (
        "2026-11-01".parse().expect("day"),
        "2026-11-30".parse().expect("day"),
    );
    let month = sorted(db.period_rows(IMPLICIT_ID, first, last).expect("tallies"));
    assert_eq!(month, kept, "the month's sums are the day's");

    let written = crate::storage::rebuild_tallies(&mut db, IMPLICIT_ID).expect("rebuild");
    let rebuilt = sorted(db.period_rows(IMPLICIT_ID, day(), day()).expect("tallies"));
    assert_eq!(written, rebuilt.len());
    assert_eq!(kept, rebuilt);
    let month = sorted(db.period_rows(IMPLICIT_ID, first, last).expect("tallies"));
    assert_eq!(month, kept, "the month's sums rebuilt too");
}
