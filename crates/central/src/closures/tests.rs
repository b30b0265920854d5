use super::*;
use crate::storage::Storage;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

fn change(id: i64, service: &str, notice: Option<StaffNotice>, time: &str) -> ClosureChange {
    ClosureChange {
        id,
        business_day: "2026-11-23".parse().expect("day"),
        service: service.into(),
        notice,
        at: at(time),
    }
}

fn day() -> NaiveDate {
    "2026-11-23".parse().expect("day")
}

#[test]
fn the_latest_change_wins_once_whatever_order_it_arrives_in() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut storage = Storage::open(&folder.path().join("central.db")).expect("storage");
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

#[test]
fn a_bad_change_is_refused_naming_its_id_and_field() {
    let now = at("2026-11-23T05:00:00Z");
    let good = change(1, "DKC-KK", None, "2026-11-23T01:00:00Z");
    assert_eq!(batch_problem(std::slice::from_ref(&good), day(), now), None);
    let empty = change(7, "", None, "2026-11-23T01:00:00Z");
    let problem = batch_problem(&[good.clone(), empty], day(), now).expect("refused");
    assert!(
        problem.contains("changes[1] (id 7): `service`"),
        "{problem}"
    );
    let mut far = change(8, "DKC-KK", None, "2026-11-23T01:00:00Z");
    far.business_day = "2028-01-01".parse().expect("day");
    let problem = batch_problem(&[far], day(), now).expect("refused");
    assert!(problem.contains("(id 8): `business_day`"), "{problem}");
    let ahead = change(9, "DKC-KK", None, "2026-12-23T01:00:00Z");
    let problem = batch_problem(&[ahead], day(), now).expect("refused");
    assert!(problem.contains("(id 9): `at`"), "{problem}");
    let long = change(
        3,
        &"S".repeat(LONGEST_SERVICE + 1),
        None,
        "2026-11-23T01:00:00Z",
    );
    assert!(batch_problem(&[long], day(), now).is_some());
    let many = vec![good; MOST_CHANGES + 1];
    let problem = batch_problem(&many, day(), now).expect("refused");
    assert!(problem.contains("1001 closure changes"), "{problem}");
}

#[test]
fn the_fleet_section_names_the_notice_kiosk_and_time_or_says_none() {
    let none = section(&[], TimeZone::JAKARTA).into_string();
    assert!(none.contains("none"), "{none}");
    let closed = [SharedClosure {
        service: "<DKC>".into(),
        notice: StaffNotice::FullToday,
        kiosk: "K1".into(),
        at: at("2026-11-23T01:30:00Z"),
    }];
    let html = section(&closed, TimeZone::JAKARTA).into_string();
    assert!(
        html.contains("&lt;DKC&gt;") && html.contains("K1 08:30"),
        "{html}"
    );
    assert!(!html.contains("none"), "{html}");
}
