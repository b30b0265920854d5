//! Events the server refuses for good never jam the outbox: a renamed kiosk's old events are
//! set aside with the server's reason while new tickets flow, and an event answered 413 on its
//! own is set aside while the next one is sent; `sync status` says how many and why. Real
//! `mpp-central`, real SQLite files.

use crate::common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{instant, settings, small_catalog};
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_station::store::Store;
use mpp_station::sync::{self, Client, RoundReport, SyncError, Syncer};
use mpp_testkit::central::{KioskAccount, SIGNING_KEY, Server};
use tokio::io::AsyncWriteExt;
use tokio::sync::watch;

const K1_TOKEN: &str = "kiosk-one-secret-token";
const K2_TOKEN: &str = "kiosk-two-secret-token";
const MONDAY: &str = "2026-11-23T09:00:00+07:00";

fn central() -> Server {
    Server::builder()
        .kiosks([
            KioskAccount::new("K1", K1_TOKEN, SIGNING_KEY),
            KioskAccount::new("K2", K2_TOKEN, SIGNING_KEY),
        ])
        .start()
}

fn runtime() -> tokio::runtime::Runtime {
    common::runtime(2)
}

/// One kiosk database in a folder of its own.
struct KioskDb {
    store: Arc<Mutex<Store>>,
    _folder: tempfile::TempDir,
}

impl KioskDb {
    fn new() -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&folder.path().join("kiosk.db")).expect("store");
        Self {
            store: Arc::new(Mutex::new(store)),
            _folder: folder,
        }
    }

    /// Issues `count` tickets as kiosk `id`, numbered from `first`.
    fn issue(&self, id: &str, first: u32, count: usize) {
        let catalog = small_catalog();
        let settings = settings(id, first, 9999);
        let mut store = self.store.lock().expect("store");
        for _ in 0..count {
            store
                .issue(
                    &catalog,
                    &settings,
                    &"DKC-KK".into(),
                    Lane::Regular,
                    instant(MONDAY),
                )
                .expect("issued");
        }
    }

    /// Pushes the outbox as kiosk `id` with `token` to `url`.
    fn push(
        &self,
        runtime: &tokio::runtime::Runtime,
        url: &str,
        id: &str,
        token: &str,
    ) -> Result<RoundReport, SyncError> {
        let client = Client::with_timeout(url, token, Duration::from_secs(2)).expect("client");
        let (publish, _screen) = watch::channel(Arc::new(small_catalog()));
        let syncer = Syncer::new(
            client,
            self.store.clone(),
            id.into(),
            mpp_core::day::TimeZone::JAKARTA,
            publish,
            Arc::new(|| PrinterState::Ready),
            Arc::new(|| instant(MONDAY)),
        );
        runtime.block_on(syncer.push_all())
    }

    fn status(&self) -> sync::Status {
        sync::status(&self.store.lock().expect("store")).expect("status")
    }
}

fn tickets_known(runtime: &tokio::runtime::Runtime, central: &Server, token: &str) -> u32 {
    runtime.block_on(common::http::tickets_known(central, "2026-11-23", token))
}

#[test]
fn a_renamed_kiosk_sets_its_old_events_aside_and_new_tickets_flow() {
    let central = central();
    let runtime = runtime();
    let kiosk = KioskDb::new();
    kiosk.issue("K1", 1, 3);

    // Renamed with its old token: a configuration problem, said as such; nothing set aside.
    let wrong = kiosk.push(&runtime, &central.url(""), "K2", K1_TOKEN);
    let wrong = wrong.expect_err("the token is K1's");
    assert!(
        matches!(wrong, SyncError::Server { status: 403, .. }),
        "{wrong:?}"
    );
    assert_eq!((kiosk.status().unsent, kiosk.status().refused), (3, 0));

    // The token re-issued for K2: the old K1 events are refused one by one, new tickets flow.
    kiosk.issue("K2", 100, 2);
    let report = kiosk
        .push(&runtime, &central.url(""), "K2", K2_TOKEN)
        .expect("pushed");
    assert_eq!((report.sent, report.refused), (2, 3));
    let status = kiosk.status();
    assert_eq!((status.unsent, status.refused), (0, 3));
    assert_eq!(status.latest_refusals.len(), 3);
    for refusal in &status.latest_refusals {
        assert!(
            refusal.reason.contains("may only send its own tickets"),
            "{}",
            refusal.reason
        );
    }
    assert_eq!(tickets_known(&runtime, &central, K2_TOKEN), 2);

    // Nothing is lost: the refused events stay in the database, and are not sent again.
    let again = kiosk
        .push(&runtime, &central.url(""), "K2", K2_TOKEN)
        .expect("nothing left");
    assert_eq!(again, RoundReport::default());
    let kept: u32 = rusqlite::Connection::open(kiosk.store.lock().expect("store").path())
        .and_then(|db| {
            db.query_row(
                "SELECT count(*) FROM outbox WHERE refused_reason IS NOT NULL",
                [],
                |row| row.get(0),
            )
        })
        .expect("count");
    assert_eq!(kept, 3);

    let fleet = runtime.block_on(mpp_testkit::central::fleet(&central));
    assert!(fleet.contains(" data-col=\"refused\">3</td>"), "{fleet}");
}

const TOO_LARGE: &str = "HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\n\
    Content-Length: 34\r\nConnection: close\r\n\r\n{\"error\":\"the body is too large!\"}";

/// A proxy answering 413 to the first `refusals` requests, then passing the rest through.
fn refusing_proxy(runtime: &tokio::runtime::Runtime, upstream: u16, refusals: usize) -> u16 {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let answered = Arc::new(AtomicUsize::new(0));
    runtime.spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let refuse = answered.fetch_add(1, Ordering::SeqCst) < refusals;
            tokio::spawn(async move {
                if refuse {
                    common::http::read_request(&mut inbound).await;
                    let _ = inbound.write_all(TOO_LARGE.as_bytes()).await;
                    return;
                }
                let upstream: SocketAddr = ([127, 0, 0, 1], upstream).into();
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    port
}

#[test]
fn an_event_too_large_on_its_own_is_set_aside_and_the_next_one_flows() {
    let central = central();
    let runtime = runtime();
    // The batch of two is halved, then the first event alone is refused again.
    let proxy = refusing_proxy(&runtime, central.port(), 2);
    let kiosk = KioskDb::new();
    kiosk.issue("K1", 1, 2);
    let url = format!("http://127.0.0.1:{proxy}");
    let report = kiosk.push(&runtime, &url, "K1", K1_TOKEN).expect("pushed");
    assert_eq!((report.sent, report.refused), (1, 1));
    let status = kiosk.status();
    assert_eq!((status.unsent, status.refused), (0, 1));
    let reason = &status.latest_refusals[0].reason;
    assert!(
        reason.contains("413") && reason.contains("the body is too large!"),
        "{reason}"
    );
    assert_eq!(tickets_known(&runtime, &central, K1_TOKEN), 1);
}

#[test]
fn sync_status_shows_the_events_set_aside_and_why() {
    let central = Server::builder()
        .kiosks([
            KioskAccount::new("KIOSK-T", K1_TOKEN, SIGNING_KEY),
            KioskAccount::new("KIOSK-U", K2_TOKEN, SIGNING_KEY),
        ])
        .start();
    let folder = tempfile::tempdir().expect("temp dir");
    let sync = format!(
        "[sync]\nenabled = true\nserver_url = \"{}\"\ntoken = \"{K1_TOKEN}\"\n",
        central.url("")
    );
    let config = common::write_config_open_all_day(folder.path(), &sync);
    let now = common::real_now();
    let run = |args: &[&str]| common::run_kiosk(&config, &now, args);
    run(&["ticket", "issue", "--service", "DKC-KK", "--count", "2"]);
    // kiosk.id renamed, with the token the server issued for the new id.
    let text = std::fs::read_to_string(&config).expect("config");
    let renamed = text
        .replace("id = \"KIOSK-T\"", "id = \"KIOSK-U\"")
        .replace(K1_TOKEN, K2_TOKEN);
    std::fs::write(&config, renamed).expect("rename");
    let said = run(&["sync", "now"]);
    assert!(said.contains("refused 2"), "{said}");
    let said = run(&["sync", "status"]);
    assert!(
        said.contains("refused by the server, set aside: 2"),
        "{said}"
    );
    assert!(said.contains("may only send its own tickets"), "{said}");
    let status: serde_json::Value =
        serde_json::from_str(&run(&["sync", "status", "--json"])).expect("status JSON");
    assert_eq!(
        (&status["unsent"], &status["refused"]),
        (&0.into(), &2.into())
    );
    let reason = status["latest_refusals"][0]["reason"]
        .as_str()
        .expect("reason");
    assert!(
        reason.contains("KIOSK-U may only send its own tickets"),
        "{reason}"
    );
    assert_eq!(status["conflicts"], 0, "{status}");
}
