//! The wait a kiosk prints, from a real `mpp-central` on 127.0.0.1: the kiosk's tickets reach
//! the server, two counters serve four of them in 4, 6, 8 and 6 minutes (the server's clock
//! moved on by restarting it later), and the next ticket the kiosk issues carries the people
//! ahead and the wait the server's pace makes, on screen and on paper alike.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::watch;

use crate::common::{self, instant, settings, small_catalog};
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::protocol::Called;
use mpp_core::receipt::{PaperWidth, ReceiptSettings, ticket_receipt};
use mpp_core::wait::WaitRange;
use mpp_station::store::Store;
use mpp_station::sync::{Client, Syncer};
use mpp_testkit::central::{
    COUNTER_TOKEN, KioskAccount, SIGNING_KEY, Server, counter_path, counter_steps, post_as,
};

const TOKEN: &str = "kiosk-one-secret-token";
const MONDAY: &str = "2026-11-23T09:00:00+07:00";

/// `minutes` after the kiosk's 09:00.
fn after(minutes: i64) -> DateTime<Utc> {
    instant(MONDAY) + TimeDelta::minutes(minutes)
}

async fn next(central: &Server, point: &str) -> String {
    let body = serde_json::json!({ "counter": point });
    let response = post_as(central, "/api/v1/counter/next", COUNTER_TOKEN, &body).await;
    let called: Called = response.json().await.expect("a call");
    called.ticket.number
}

async fn served(central: &Server, id: &str, point: &str) {
    let path = counter_path("K1", id);
    counter_steps(central, (COUNTER_TOKEN, point), &path, &["served"]).await;
}

#[test]
fn the_kiosk_prints_the_wait_the_counters_pace_makes() {
    let runtime = common::runtime(2);
    let mut central = Server::builder()
        .kiosks([KioskAccount::new("K1", TOKEN, SIGNING_KEY)])
        .now(after(15))
        .start();
    let folder = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&folder.path().join("kiosk.db")).expect("store");
    let store = Arc::new(Mutex::new(store));
    let (publish, _catalog) = watch::channel(Arc::new(small_catalog()));
    let client = Client::with_timeout(&central.url(""), TOKEN, Duration::from_secs(5));
    let syncer = Syncer::new(
        client.expect("client"),
        store.clone(),
        "K1".into(),
        mpp_core::day::TimeZone::JAKARTA,
        publish,
        Arc::new(|| PrinterState::Ready),
        Arc::new(|| after(0)),
    );
    let mut issue_settings = settings("K1", 1, 999);
    issue_settings.qr_base_url = central.url("");
    let issue = |at: DateTime<Utc>| {
        let catalog = small_catalog();
        let mut store = store.lock().expect("store");
        let service = "DKC-KK".into();
        (store.issue(&catalog, &issue_settings, &service, Lane::Regular, at)).expect("issued")
    };
    // A second apart (ids of one instant sort at random), in the minute before 09:00.
    let tickets: Vec<_> = (0..12)
        .map(|n| issue(after(0) - TimeDelta::seconds(12 - n)))
        .collect();
    let report = runtime.block_on(syncer.push_all()).expect("pushed");
    assert_eq!(report.sent, 12);
    let id = |n: usize| tickets[n].id.to_string();

    runtime.block_on(async {
        assert_eq!(next(&central, "Loket 1").await, "DKC-001");
        assert_eq!(next(&central, "Loket 2").await, "DKC-002");
    });
    for (minute, point, done) in [(19, "Loket 1", 0), (21, "Loket 2", 1), (27, "Loket 1", 2)] {
        central.restart_at(after(minute));
        runtime.block_on(async {
            served(&central, &id(done), point).await;
            next(&central, point).await;
        });
    }
    runtime.block_on(served(&central, &id(3), "Loket 2"));

    // Four service times (4, 6, 8, 6 min): median 6 min over two points = 180 s a visitor.
    // Waiting now: DKC-005 at Loket 1 and DKC-006 to -012, 8 people.
    runtime
        .block_on(syncer.queues(after(0)))
        .expect("queues heard");
    let ticket = issue(after(1));
    assert_eq!(ticket.people_ahead, Some(8));
    // 8 × 180 s = 24 min: 18 → 15, 30 → 30 (within the second the server's clock ticks).
    let expected = WaitRange {
        low_minutes: 15,
        high_minutes: 30,
    };
    assert_eq!(ticket.expected_wait, Some(expected));
    let paper = ReceiptSettings {
        mpp_name: "MPP Blora",
        mpp_address: "",
        complaints: "",
        time_zone: mpp_core::day::TimeZone::JAKARTA,
        language: Language::Indonesian,
        width: PaperWidth::Mm80,
        survey_code: None,
    };
    let receipt = ticket_receipt(&ticket, &small_catalog().into_inner(), &paper);
    let lines = format!("{receipt:?}");
    assert!(
        lines.contains("Perkiraan waktu tunggu: 15–30 menit"),
        "{lines}"
    );
}
