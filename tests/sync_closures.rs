//! A service closed at one kiosk of an MPP stops the numbers at the others. Two kiosks with
//! their own SQLite files and their own sync rounds, against a real `mpp-central` process on
//! 127.0.0.1: K1 closes, K2 learns it and refuses the number; K2 reopens, K1 learns it and
//! gives numbers again; a close made while the server is down reaches K2 once it is back.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use common::{instant, settings, small_catalog};
use mpp_core::ids::ServiceCode;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::staff_closure::StaffNotice;
use mpp_kiosk::store::{Store, StoreError};
use mpp_kiosk::sync::{Client, Syncer};
use mpp_testkit::central::{KIOSK, KIOSK_TOKEN, OTHER_KIOSK, OTHER_KIOSK_TOKEN, Server};
use tokio::sync::watch;

const MONDAY: &str = "2026-11-23T09:00:00+07:00";

struct Kiosk {
    id: &'static str,
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
                &small_catalog(),
                &settings(self.id, 1, 999),
                &ServiceCode::new("DKC-KK"),
                Lane::Regular,
                instant(MONDAY),
            )
            .map(|_| ())
    }

    fn closed_notice(&self) -> Option<StaffNotice> {
        let day = "2026-11-23".parse().expect("day");
        self.store()
            .closed_services(day)
            .expect("closed")
            .get(&ServiceCode::new("DKC-KK"))
            .copied()
    }
}

fn monday() -> chrono::NaiveDate {
    "2026-11-23".parse().expect("day")
}

#[test]
fn a_service_closed_at_one_kiosk_gives_no_number_at_the_other_until_reopened_anywhere() {
    let runtime = common::runtime(2);
    let server = Server::start();
    let first = Kiosk::new(&server, KIOSK, KIOSK_TOKEN, instant(MONDAY));
    let second = Kiosk::new(&server, OTHER_KIOSK, OTHER_KIOSK_TOKEN, instant(MONDAY));
    second.issue().expect("open at first");

    first
        .store()
        .close_service(
            monday(),
            &ServiceCode::new("DKC-KK"),
            StaffNotice::FullToday,
            instant(MONDAY),
        )
        .expect("closed at K1");
    // The whole round, as the kiosk runs it: the close goes up with it.
    runtime.block_on(first.syncer.round()).expect("K1's round");
    let shared = runtime
        .block_on(second.syncer.share_closures())
        .expect("K2 shares");
    assert_eq!(shared.taken, 1);
    assert_eq!(second.closed_notice(), Some(StaffNotice::FullToday));
    assert!(matches!(second.issue(), Err(StoreError::Closed { .. })));

    // Reopened at K2 (its own change, a minute later): open at K1 too, once K1 syncs.
    second
        .store()
        .reopen_service(
            monday(),
            &ServiceCode::new("DKC-KK"),
            instant(MONDAY) + chrono::Duration::minutes(1),
        )
        .expect("reopened at K2");
    let shared = runtime
        .block_on(second.syncer.share_closures())
        .expect("K2 shares");
    assert_eq!((shared.sent, shared.taken), (1, 0));
    assert_eq!(
        first.closed_notice(),
        Some(StaffNotice::FullToday),
        "not yet"
    );
    runtime.block_on(first.syncer.round()).expect("K1's round");
    assert_eq!(first.closed_notice(), None);
    first.issue().expect("numbers again at K1");
}

#[test]
fn a_close_made_while_the_server_is_down_reaches_the_other_kiosk_once_it_is_back() {
    let runtime = common::runtime(2);
    let mut server = Server::start();
    let first = Kiosk::new(&server, KIOSK, KIOSK_TOKEN, instant(MONDAY));
    let second = Kiosk::new(&server, OTHER_KIOSK, OTHER_KIOSK_TOKEN, instant(MONDAY));
    server.kill();
    first
        .store()
        .close_service(
            monday(),
            &ServiceCode::new("DKC-KK"),
            StaffNotice::SystemDown,
            instant(MONDAY),
        )
        .expect("closed at K1, offline");
    assert!(runtime.block_on(first.syncer.share_closures()).is_err());
    assert_eq!(
        first.closed_notice(),
        Some(StaffNotice::SystemDown),
        "closed here all along"
    );
    server.restart();
    let shared = runtime
        .block_on(first.syncer.share_closures())
        .expect("K1 shares");
    assert_eq!(shared.sent, 1);
    runtime
        .block_on(second.syncer.share_closures())
        .expect("K2 shares");
    assert_eq!(second.closed_notice(), Some(StaffNotice::SystemDown));
    assert!(matches!(second.issue(), Err(StoreError::Closed { .. })));
}
