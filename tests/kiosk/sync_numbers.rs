//! The kiosk's `Client::numbers_used` against a real `mpp-central`: the highest numbers this
//! kiosk printed on a day come back per queue and lane, a wrong token is a configuration
//! problem, and an answer larger than the endpoint needs is not read.

use crate::common;

use std::sync::{Arc, Mutex};

use crate::common::{instant, settings, small_catalog};
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_station::store::Store;
use mpp_station::sync::{Client, SyncError, Syncer};
use mpp_testkit::central::{KioskAccount, SIGNING_KEY, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;

const TOKEN: &str = "kiosk-one-secret-token";
const MONDAY: &str = "2026-11-23T09:00:00+07:00";

/// Issues `regular` and `priority` tickets of DKC-KK as kiosk K1 and pushes them to `url`.
fn issue_and_push(runtime: &tokio::runtime::Runtime, url: &str, regular: usize, priority: usize) {
    let folder = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(Mutex::new(
        Store::open(&folder.path().join("kiosk.db")).expect("store"),
    ));
    let mut settings = settings("K1", 1, 9999);
    settings.qr_base_url = url.into();
    let lanes = std::iter::repeat_n(Lane::Regular, regular)
        .chain(std::iter::repeat_n(Lane::Priority, priority));
    for lane in lanes {
        let mut store = store.lock().expect("store");
        store
            .issue(
                &small_catalog(),
                &settings,
                &"DKC-KK".into(),
                lane,
                instant(MONDAY),
            )
            .expect("issued");
    }
    let (publish, _) = watch::channel(Arc::new(small_catalog()));
    let syncer = Syncer::new(
        Client::new(url, TOKEN).expect("client"),
        store,
        "K1".into(),
        mpp_core::day::TimeZone::JAKARTA,
        publish,
        Arc::new(|| PrinterState::Ready),
        Arc::new(|| instant(MONDAY)),
    );
    let report = runtime.block_on(syncer.push_all()).expect("pushed");
    assert_eq!(report.sent as usize, regular + priority);
}

#[test]
fn numbers_used_come_back_typed_and_a_wrong_token_is_a_configuration_problem() {
    let central = Server::builder()
        .kiosks([KioskAccount::new("K1", TOKEN, SIGNING_KEY)])
        .start();
    let runtime = common::runtime(1);
    issue_and_push(&runtime, &central.url(""), 4, 2);
    let day = instant(MONDAY).date_naive();
    let client = Client::new(&central.url(""), TOKEN).expect("client");
    let used = runtime.block_on(client.numbers_used(day)).expect("numbers");
    assert_eq!(used.business_day, day);
    assert_eq!(used.latest_business_day, Some(day));
    let highest: Vec<_> = used.highest.iter().map(|h| (h.lane, h.sequence)).collect();
    assert_eq!(highest, [(Lane::Priority, 2), (Lane::Regular, 4)]);
    let other_day = runtime
        .block_on(client.numbers_used(day.succ_opt().expect("a day")))
        .expect("numbers");
    assert!(other_day.highest.is_empty());

    let stranger = Client::new(&central.url(""), "not-a-token").expect("client");
    let refused = runtime
        .block_on(stranger.numbers_used(day))
        .expect_err("unknown token");
    assert!(matches!(refused, SyncError::Unauthorized(_)), "{refused:?}");
}

#[test]
fn an_oversized_numbers_answer_is_not_read() {
    let runtime = common::runtime(1);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    runtime.spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        let chunk = vec![b' '; 64 << 10];
        for _ in 0..8 {
            if socket.write_all(&chunk).await.is_err() {
                break;
            }
        }
    });
    let client = Client::new(&format!("http://127.0.0.1:{port}"), TOKEN).expect("client");
    let refused = runtime
        .block_on(client.numbers_used(instant(MONDAY).date_naive()))
        .expect_err("too large");
    assert!(
        matches!(&refused, SyncError::TooLarge { endpoint, limit }
            if endpoint == "numbers" && *limit == 256 << 10),
        "{refused:?}"
    );
}
