use chrono::NaiveDate;

use crate::storage::Closures;
use crate::storage::closures::*;
use crate::storage::sqlite::Sqlite;

pub(crate) fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

pub(crate) fn change(
    id: i64,
    service: &str,
    notice: Option<StaffNotice>,
    time: &str,
) -> ClosureChange {
    ClosureChange {
        id,
        business_day: "2026-11-23".parse().expect("day"),
        service: service.into(),
        notice,
        at: at(time),
    }
}

pub(crate) fn day() -> NaiveDate {
    "2026-11-23".parse().expect("day")
}

#[test]
fn the_latest_change_wins_once_whatever_order_it_arrives_in() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut storage = Sqlite::open(&folder.path().join("central.db")).expect("storage");
    let now = Utc::now();
    let close = change(
        1,
        "DKC-KK",
        Some(StaffNotice::FullToday),
        "2026-11-23T01:00:00Z",
    );
    let stored = storage
        .record_closures("kudus", "K1", std::slice::from_ref(&close), now)
        .expect("stored");
    assert_eq!(stored.stored, [1]);
    let closed = storage.day_closures("kudus", day()).expect("read");
    assert_eq!(closed.len(), 1);
    assert_eq!(
        (closed[0].kiosk.as_str(), closed[0].notice),
        ("K1", StaffNotice::FullToday)
    );
    assert!(
        storage
            .day_closures("demak", day())
            .expect("read")
            .is_empty()
    );

    let reopen = change(1, "DKC-KK", None, "2026-11-23T03:00:00Z");
    storage
        .record_closures("kudus", "K2", &[reopen], now)
        .expect("reopened");
    let stale = change(
        2,
        "DKC-KK",
        Some(StaffNotice::OfficerAway),
        "2026-11-23T02:00:00Z",
    );
    let late = storage
        .record_closures("kudus", "K1", &[stale, close], now)
        .expect("stored");
    assert_eq!((late.stored, late.duplicates), (vec![2], vec![1]));
    assert!(
        storage
            .day_closures("kudus", day())
            .expect("read")
            .is_empty(),
        "the reopen made after the late close stands"
    );
    let recorded: i64 = storage
        .connection
        .query_row("SELECT count(*) FROM closure_changes", [], |row| row.get(0))
        .expect("count");
    assert_eq!(recorded, 3, "every change is kept, duplicates once");
}
