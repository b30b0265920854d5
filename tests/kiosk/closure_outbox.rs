//! Service closures shared with the MPP's other kiosks, on a real SQLite file: this kiosk's
//! closes and reopens queue in order for the server, old days' changes expire, and the MPP's
//! closures from the server close and open services here, except where this kiosk has a
//! change of its own not yet sent. A service closed at another kiosk gives no number here.

use crate::common::{instant, issue_as_k1, temp_store};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use mpp_core::closure_sync::SharedClosure;
use mpp_core::ids::ServiceCode;
use mpp_core::numbering::Lane;
use mpp_core::staff_closure::StaffNotice;
use mpp_station::store::{Store, StoreError};

const MONDAY_MORNING: &str = "2026-11-23T09:00:00+07:00";

fn monday() -> NaiveDate {
    "2026-11-23".parse().expect("day")
}

fn shared(service: &str, notice: StaffNotice, at: DateTime<Utc>) -> SharedClosure {
    SharedClosure {
        service: service.into(),
        notice,
        kiosk: "K2".into(),
        at,
    }
}

fn issue(store: &mut Store, service: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    issue_as_k1(store, service, Lane::Regular, now).map(|_| ())
}

#[test]
fn closes_and_reopens_queue_in_order_and_old_days_expire() {
    let (_folder, mut store) = temp_store();
    let now = instant(MONDAY_MORNING);
    let service = ServiceCode::new("DKC-KK");
    store
        .close_service(monday(), &service, StaffNotice::FullToday, now)
        .expect("closed");
    store
        .reopen_service(monday(), &service, now + Duration::minutes(5))
        .expect("reopened");
    // Reopening what is not closed changes nothing, so nothing is sent.
    store
        .reopen_service(monday(), &ServiceCode::new("DKC-AKTA"), now)
        .expect("not closed");
    let changes = store
        .unsent_closure_changes(monday(), 10, now)
        .expect("unsent");
    let seen: Vec<_> = changes
        .iter()
        .map(|change| (change.service.as_str(), change.notice, change.business_day))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("DKC-KK", Some(StaffNotice::FullToday), monday()),
            ("DKC-KK", None, monday())
        ]
    );
    assert!(changes[0].id < changes[1].id && changes[0].at < changes[1].at);
    store
        .mark_closure_changes_sent(&[changes[0].id], now)
        .expect("sent");
    let left = store
        .unsent_closure_changes(monday(), 10, now)
        .expect("unsent");
    assert_eq!(left.len(), 1);
    // The next day, Monday's change is of no use to anyone: it expires, unsent.
    let tuesday = monday().succ_opt().expect("tuesday");
    assert!(
        store
            .unsent_closure_changes(tuesday, 10, now + Duration::days(1))
            .expect("unsent")
            .is_empty()
    );
}

#[test]
fn the_mpps_closures_close_and_open_services_here_but_not_over_an_unsent_change() {
    let (_folder, mut store) = temp_store();
    let now = instant(MONDAY_MORNING);
    // Closed at another kiosk: closed here, and no number is given.
    let taken = store
        .apply_shared_closures(monday(), &[shared("DKC-KK", StaffNotice::OfficerAway, now)])
        .expect("applied");
    assert_eq!(taken, 1);
    let closed = store.closed_services(monday()).expect("closed");
    assert_eq!(
        closed.get(&ServiceCode::new("DKC-KK")),
        Some(&StaffNotice::OfficerAway)
    );
    assert!(matches!(
        issue(&mut store, "DKC-KK", now),
        Err(StoreError::Closed { .. })
    ));
    // The same again changes nothing; a new notice replaces the old one.
    let again = [shared("DKC-KK", StaffNotice::OfficerAway, now)];
    assert_eq!(
        store
            .apply_shared_closures(monday(), &again)
            .expect("again"),
        0
    );
    let full = [shared("DKC-KK", StaffNotice::FullToday, now)];
    assert_eq!(
        store.apply_shared_closures(monday(), &full).expect("full"),
        1
    );
    // Reopened elsewhere: open here, numbers again.
    assert_eq!(store.apply_shared_closures(monday(), &[]).expect("open"), 1);
    assert!(store.closed_services(monday()).expect("closed").is_empty());
    issue(&mut store, "DKC-KK", now).expect("a number again");

    // This kiosk closes a service; before its change reaches the server, the server's
    // (older) view says open: the kiosk's own word stands until it is sent.
    let akta = ServiceCode::new("DKC-AKTA");
    store
        .close_service(monday(), &akta, StaffNotice::SystemDown, now)
        .expect("closed here");
    store.apply_shared_closures(monday(), &[]).expect("applied");
    assert!(
        store
            .closed_services(monday())
            .expect("closed")
            .contains_key(&akta)
    );
    let ids: Vec<i64> = store
        .unsent_closure_changes(monday(), 10, now)
        .expect("unsent")
        .iter()
        .map(|change| change.id)
        .collect();
    store.mark_closure_changes_sent(&ids, now).expect("sent");
    // Sent: from now on the server's view is the MPP's, reopened elsewhere or not.
    store.apply_shared_closures(monday(), &[]).expect("applied");
    assert!(store.closed_services(monday()).expect("closed").is_empty());
}
