//! A service closed at one kiosk of an MPP stops the numbers at the others. Two kiosks with
//! their own SQLite files and their own sync rounds, against a real `mpp-central` process on
//! 127.0.0.1: K1 closes, K2 learns it and refuses the number; K2 reopens, K1 learns it and
//! gives numbers again; a close made while the server is down reaches K2 once it is back.
//! The kiosks' clocks are the real one, as the server's is: the round checks the business
//! day against the server's, and a kiosk on another day would rightly hold its numbers.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{around_the_clock_catalog, instant, settings, small_catalog};
use chrono::{DateTime, Utc};
use mpp_core::ids::ServiceCode;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::staff_closure::StaffNotice;
use mpp_station::store::{Store, StoreError};
use mpp_station::sync::{Client, ClosuresShared, RoundReport, SyncError, Syncer};
use mpp_testkit::central::{KIOSK, KIOSK_TOKEN, OTHER_KIOSK, OTHER_KIOSK_TOKEN, Server};
use tokio::sync::watch;

struct Kiosk {
    id: &'static str,
    now: DateTime<Utc>,
    store: Arc<Mutex<Store>>,
    syncer: Syncer,
    _folder: tempfile::TempDir,
}

impl Kiosk {
    fn new(server: &Server, id: &'static str, token: &str, clock: DateTime<Utc>) -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = Arc::new(Mutex::new(
            Store::open(&folder.path().join("kiosk.db")).expect("store"),
        ));
        let (publish, _catalog) = watch::channel(Arc::new(small_catalog()));
        let client =
            Client::with_timeout(&server.url(""), token, Duration::from_secs(5)).expect("client");
        let syncer = Syncer::new(
            client,
            store.clone(),
            id.into(),
            mpp_core::day::TimeZone::JAKARTA,
            publish,
            Arc::new(|| PrinterState::Ready),
            Arc::new(move || clock),
        );
        Self {
            id,
            now: clock,
            store,
            syncer,
            _folder: folder,
        }
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().expect("store")
    }

    fn issue(&self) -> Result<(), StoreError> {
        self.store()
            .issue(
                &around_the_clock_catalog(),
                &settings(self.id, 1, 999),
                &ServiceCode::new("DKC-KK"),
                Lane::Regular,
                self.now,
            )
            .map(|_| ())
    }

    /// Closes `service` for today with `notice`, the change made at `at`.
    fn close(
        &self,
        service: &str,
        notice: StaffNotice,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.store()
            .close_service(today(self.now), &ServiceCode::new(service), notice, at)
    }

    fn closed_notice(&self) -> Option<StaffNotice> {
        self.store()
            .closed_services(today(self.now))
            .expect("closed")
            .get(&ServiceCode::new("DKC-KK"))
            .copied()
    }
}

/// A real server with kiosks K1 and K2 on it, all on one Monday morning (the server's clock
/// starts there too, so its "today" is the kiosks' whatever the hour the test runs at).
struct Mpp {
    runtime: tokio::runtime::Runtime,
    now: DateTime<Utc>,
    server: Server,
    first: Kiosk,
    second: Kiosk,
}

impl Mpp {
    fn start() -> Self {
        let runtime = common::runtime(2);
        let now = instant("2026-11-23T09:30:00+07:00");
        let server = Server::builder().now(now).start();
        let first = Kiosk::new(&server, KIOSK, KIOSK_TOKEN, now);
        let second = Kiosk::new(&server, OTHER_KIOSK, OTHER_KIOSK_TOKEN, now);
        Self {
            runtime,
            now,
            server,
            first,
            second,
        }
    }

    /// `kiosk`'s whole sync round, as the kiosk runs it.
    fn round(&self, kiosk: &Kiosk) -> Result<RoundReport, SyncError> {
        self.runtime.block_on(kiosk.syncer.round())
    }

    /// `kiosk` sends its closures and takes the MPP's.
    fn share(&self, kiosk: &Kiosk) -> Result<ClosuresShared, SyncError> {
        self.runtime.block_on(kiosk.syncer.share_closures())
    }
}

/// The business day in Jakarta at `now`.
fn today(now: DateTime<Utc>) -> chrono::NaiveDate {
    mpp_core::day::TimeZone::JAKARTA.local(now).date()
}

#[test]
fn a_service_closed_at_one_kiosk_gives_no_number_at_the_other_until_reopened_anywhere() {
    let mpp = Mpp::start();
    let (first, second) = (&mpp.first, &mpp.second);
    second.issue().expect("open at first");

    first
        .close("DKC-KK", StaffNotice::FullToday, mpp.now)
        .expect("closed at K1");
    // The whole round, as the kiosk runs it: the close goes up with it.
    mpp.round(first).expect("K1's round");
    let shared = mpp.share(second).expect("K2 shares");
    assert_eq!(shared.taken, 1);
    assert_eq!(second.closed_notice(), Some(StaffNotice::FullToday));
    assert!(matches!(second.issue(), Err(StoreError::Closed { .. })));

    // Reopened at K2 (its own change, a minute later): open at K1 too, once K1 syncs.
    second
        .store()
        .reopen_service(
            today(mpp.now),
            &ServiceCode::new("DKC-KK"),
            mpp.now + chrono::Duration::minutes(1),
        )
        .expect("reopened at K2");
    let shared = mpp.share(second).expect("K2 shares");
    assert_eq!((shared.sent, shared.taken), (1, 0));
    assert_eq!(
        first.closed_notice(),
        Some(StaffNotice::FullToday),
        "not yet"
    );
    mpp.round(first).expect("K1's round");
    assert_eq!(first.closed_notice(), None);
    first.issue().expect("numbers again at K1");
}

#[test]
fn a_close_made_while_the_server_is_down_reaches_the_other_kiosk_once_it_is_back() {
    let mut mpp = Mpp::start();
    let (first, second) = (&mpp.first, &mpp.second);
    mpp.server.kill();
    first
        .close("DKC-KK", StaffNotice::SystemDown, mpp.now)
        .expect("closed at K1, offline");
    assert!(mpp.share(first).is_err());
    assert_eq!(
        first.closed_notice(),
        Some(StaffNotice::SystemDown),
        "closed here all along"
    );
    mpp.server.restart();
    let shared = mpp.share(first).expect("K1 shares");
    assert_eq!(shared.sent, 1);
    mpp.share(second).expect("K2 shares");
    assert_eq!(second.closed_notice(), Some(StaffNotice::SystemDown));
    assert!(matches!(second.issue(), Err(StoreError::Closed { .. })));
}

#[test]
fn a_change_the_server_refuses_is_set_aside_and_never_holds_up_the_ones_behind_it() {
    let mpp = Mpp::start();
    let (first, second) = (&mpp.first, &mpp.second);
    // A clock five days ahead when the first was made: the server takes no such change.
    first
        .close(
            "DKC-AKTA",
            StaffNotice::OfficerAway,
            mpp.now + chrono::Duration::days(5),
        )
        .expect("closed with a wrong clock");
    first
        .close("DKC-KK", StaffNotice::FullToday, mpp.now)
        .expect("closed");
    let depth = |kiosk: &Kiosk| {
        let status = mpp_station::sync::status(&kiosk.store()).expect("status");
        (status.closures_unsent, status.closures_refused)
    };
    assert_eq!(depth(first), (2, 0));
    let shared = mpp.share(first).expect("K1 shares");
    assert_eq!(shared.sent, 1, "the good change got through");
    assert_eq!(depth(first), (0, 1), "sync status counts the one refused");
    mpp.share(second).expect("K2 shares");
    let closed = second
        .store()
        .closed_services(today(mpp.now))
        .expect("closed");
    assert_eq!(closed.len(), 1, "{closed:?}");
    assert_eq!(
        closed.get(&ServiceCode::new("DKC-KK")),
        Some(&StaffNotice::FullToday)
    );
    // Set aside: the next round sends nothing again, and K1 keeps its own closure.
    let again = mpp.share(first).expect("K1 again");
    assert_eq!(again.sent, 0);
    assert_eq!(
        first
            .store()
            .closed_services(today(mpp.now))
            .expect("closed")
            .get(&ServiceCode::new("DKC-AKTA")),
        Some(&StaffNotice::OfficerAway),
        "K1's own closure stays while the server does not hold it"
    );
}
