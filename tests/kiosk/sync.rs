//! Sync against a real `mpp-central` process on 127.0.0.1: a backlog sent once, a server
//! killed mid-batch, a misbehaving network (500, 429, garbage, too slow), catalogs that must be
//! refused, a wrong token, answers too large to read, and the page a ticket's QR code opens.

use crate::common;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{instant, settings, small_catalog};
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::validate::ValidCatalog;
use mpp_station::store::{IssueSettings, Store};
use mpp_station::sync::{Client, SyncError, Syncer};
use mpp_testkit::central::{Builder, KioskAccount, SIGNING_KEY, Server};
use mpp_testkit::free_port;
use tokio::io::AsyncWriteExt;
use tokio::sync::watch;

const TOKEN: &str = "kiosk-one-secret-token";
const MONDAY: &str = "2026-11-23T09:00:00+07:00";

/// The real central server as a child process, knowing the one test kiosk.
fn central_with_k1() -> Builder {
    Server::builder().kiosks([KioskAccount::new("K1", TOKEN, SIGNING_KEY)])
}

/// Tickets the server knows for the Monday most tests issue on, from its queue report.
fn tickets_known(central: &Server) -> u32 {
    tickets_known_on(central, "2026-11-23")
}

/// Tickets the server knows for `day`, from its queue report (nobody has been served).
fn tickets_known_on(central: &Server, day: &str) -> u32 {
    common::runtime(1).block_on(common::http::tickets_known(central, day, TOKEN))
}

/// The kiosk side: its own database and a syncer pointed at `url`.
struct Kiosk {
    store: Arc<Mutex<Store>>,
    catalog: watch::Receiver<Arc<ValidCatalog>>,
    syncer: Syncer,
    settings: IssueSettings,
    runtime: tokio::runtime::Runtime,
    _folder: tempfile::TempDir,
}

impl Kiosk {
    fn new(url: &str, token: &str) -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = Arc::new(Mutex::new(
            Store::open(&folder.path().join("kiosk.db")).expect("store"),
        ));
        let (publish, catalog) = watch::channel(Arc::new(small_catalog()));
        let client = Client::with_timeout(url, token, Duration::from_secs(2)).expect("client");
        let syncer = Syncer::new(
            client,
            store.clone(),
            "K1".into(),
            mpp_core::day::TimeZone::JAKARTA,
            publish,
            Arc::new(|| PrinterState::Ready),
            Arc::new(|| instant(MONDAY)),
        );
        let mut settings = settings("K1", 1, 9999);
        settings.qr_base_url = url.to_owned();
        Self {
            store,
            catalog,
            syncer,
            settings,
            runtime: common::runtime(2),
            _folder: folder,
        }
    }

    fn issue(&self, count: usize) -> Vec<mpp_core::ticket::Ticket> {
        let catalog = small_catalog();
        let mut store = self.store.lock().expect("store");
        (0..count)
            .map(|_| {
                store
                    .issue(
                        &catalog,
                        &self.settings,
                        &"DKC-KK".into(),
                        Lane::Regular,
                        instant(MONDAY),
                    )
                    .expect("issued")
            })
            .collect()
    }

    fn unsent(&self) -> u32 {
        self.store
            .lock()
            .expect("store")
            .outbox_depth()
            .expect("depth")
            .unsent
    }

    fn push(&self) -> Result<mpp_station::sync::RoundReport, SyncError> {
        self.runtime.block_on(self.syncer.push_all())
    }
}

#[test]
fn a_backlog_made_offline_arrives_exactly_once() {
    let port = free_port();
    let kiosk = Kiosk::new(&format!("http://127.0.0.1:{port}"), TOKEN);
    kiosk.issue(1000);
    let offline = kiosk.push().expect_err("nobody is listening");
    assert!(matches!(offline, SyncError::Network(_)), "{offline:?}");
    assert_eq!(kiosk.unsent(), 1000, "nothing is marked sent while offline");

    // The server comes up on the port the kiosk was configured for.
    let central = central_with_k1().port(port).start();
    let report = kiosk.push().expect("sent");
    assert_eq!((report.sent, report.duplicates), (1000, 0));
    assert_eq!(kiosk.unsent(), 0);
    assert_eq!(tickets_known(&central), 1000);

    // Sending everything again (as after a lost answer) changes nothing on the server.
    rusqlite::Connection::open(kiosk.store.lock().expect("store").path())
        .and_then(|db| db.execute("UPDATE outbox SET sent_at = NULL", []))
        .expect("forget the answers");
    let again = kiosk.push().expect("sent again");
    assert_eq!((again.sent, again.duplicates), (0, 1000));
    assert_eq!(tickets_known(&central), 1000);
}

#[test]
fn a_server_killed_mid_batch_loses_and_duplicates_nothing() {
    let mut central = central_with_k1().start();
    let kiosk = Kiosk::new(&central.url(""), TOKEN);
    kiosk.issue(3000);
    let pushing = {
        let syncer = kiosk.syncer.clone();
        kiosk.runtime.spawn(async move { syncer.push_all().await })
    };
    // Let a few batches through, then pull the plug.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while kiosk.unsent() > 2000 {
        assert!(
            std::time::Instant::now() < deadline,
            "no batch went through"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    central.kill();
    let interrupted = kiosk.runtime.block_on(pushing).expect("task");
    let left = kiosk.unsent();
    println!("killed with {left} events unsent: {interrupted:?}");
    assert!(
        interrupted.is_err() && left > 0,
        "the kill should land mid-way: {interrupted:?}"
    );
    central.restart();
    kiosk.push().expect("the rest is sent");
    assert_eq!(kiosk.unsent(), 0);
    assert_eq!(tickets_known(&central), 3000, "every ticket exactly once");
}

/// What the flaky network does to the next connections, in order.
enum Fault {
    Respond(&'static str),
    Stall,
    /// A 200 whose body runs to `FLOOD_BYTES`; `declared` announces its Content-Length.
    Flood {
        declared: bool,
    },
}

/// A TCP proxy in front of the real server that misbehaves on the first connections.
fn flaky_proxy(runtime: &tokio::runtime::Runtime, upstream: u16, faults: Vec<Fault>) -> u16 {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let faults = Arc::new(Mutex::new(VecDeque::from(faults)));
    runtime.spawn(async move {
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                return;
            };
            let fault = faults.lock().expect("faults").pop_front();
            tokio::spawn(async move {
                match fault {
                    Some(Fault::Respond(answer)) => {
                        common::http::read_request(&mut inbound).await;
                        let _ = inbound.write_all(answer.as_bytes()).await;
                    }
                    Some(Fault::Stall) => {
                        common::http::read_request(&mut inbound).await;
                        tokio::time::sleep(Duration::from_secs(5)).await;
                    }
                    Some(Fault::Flood { declared }) => {
                        common::http::read_request(&mut inbound).await;
                        // Ends when the kiosk hangs up, which is the point.
                        let _ = flood(&mut inbound, declared).await;
                    }
                    None => {
                        let upstream: SocketAddr = ([127, 0, 0, 1], upstream).into();
                        if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    }
                }
            });
        }
    });
    port
}

/// How much a flooding answer sends: far more than any endpoint's limit.
const FLOOD_BYTES: usize = 400 << 20;
/// The one chunk a flood repeats, so the test itself holds no more than this.
static FLOOD_CHUNK: [u8; 64 << 10] = [b' '; 64 << 10];

async fn flood(stream: &mut tokio::net::TcpStream, declared: bool) -> std::io::Result<()> {
    let length = if declared {
        format!("Content-Length: {FLOOD_BYTES}\r\n")
    } else {
        String::new()
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}Connection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await?;
    for _ in 0..FLOOD_BYTES / FLOOD_CHUNK.len() {
        stream.write_all(&FLOOD_CHUNK).await?;
    }
    Ok(())
}

const ERROR_500: &str =
    "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
const TOO_MANY: &str =
    "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
const FORBIDDEN: &str = "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 46\r\nConnection: close\r\n\r\n{\"error\":\"this token belongs to kiosk K0, no\"}";
const GARBAGE: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{\"accepted\":";

#[test]
fn errors_throttling_garbage_and_timeouts_are_retried_without_loss() {
    let central = central_with_k1().start();
    let runtime = common::runtime(2);
    let proxy = flaky_proxy(
        &runtime,
        central.port(),
        vec![
            Fault::Respond(ERROR_500),
            Fault::Respond(TOO_MANY),
            Fault::Respond(GARBAGE),
            Fault::Stall,
        ],
    );
    let kiosk = Kiosk::new(&format!("http://127.0.0.1:{proxy}"), TOKEN);
    kiosk.issue(600);
    // Four faults in a row outlast the quick retries of one round.
    let first = kiosk
        .push()
        .expect_err("the round gives up after its quick retries");
    assert!(first.is_retryable(), "{first:?}");
    assert_eq!(kiosk.unsent(), 600);
    let report = kiosk.push().expect("the next round gets through");
    assert_eq!(report.sent + report.duplicates, 600);
    assert_eq!(kiosk.unsent(), 0);
    assert_eq!(tickets_known(&central), 600);
}

#[test]
fn a_wrong_token_is_a_configuration_problem() {
    let central = central_with_k1().start();
    let kiosk = Kiosk::new(&central.url(""), "not-the-token");
    kiosk.issue(3);
    let error = kiosk.push().expect_err("refused");
    assert!(matches!(error, SyncError::Unauthorized(_)), "{error:?}");
    assert!(!error.is_retryable());
    assert!(error.to_string().contains("[sync] token"), "{error}");
    assert_eq!(kiosk.unsent(), 3);
}

fn catalog_json(version: u64) -> String {
    let mut catalog = small_catalog().into_inner();
    catalog.version = version;
    serde_json::to_string(&catalog).expect("json")
}

#[test]
fn a_newer_catalog_is_taken_and_a_bad_or_older_one_refused() {
    let folder = tempfile::tempdir().expect("temp dir");
    let published = folder.path().join("published.json");
    std::fs::write(&published, catalog_json(7)).expect("publish v7");
    let central = central_with_k1().catalog(&published).start();
    let runtime = common::runtime(1);
    let older: &'static str = Box::leak(http_ok(&catalog_json(2)).into_boxed_str());
    let broken: &'static str =
        Box::leak(http_ok("{\"version\": 9, \"agencies\": [}").into_boxed_str());
    let proxy = flaky_proxy(&runtime, central.port(), vec![]);
    let kiosk = Kiosk::new(&format!("http://127.0.0.1:{proxy}"), TOKEN);
    assert_eq!(kiosk.catalog.borrow().version, 3);
    let taken = kiosk
        .runtime
        .block_on(kiosk.syncer.pull_catalog())
        .expect("pulled");
    assert_eq!(taken, Some(7));
    assert_eq!(
        kiosk.catalog.borrow().version,
        7,
        "the screen sees the new catalog"
    );
    let cached = kiosk
        .store
        .lock()
        .expect("store")
        .cached_catalog()
        .expect("cache");
    assert_eq!(
        cached.map(|(version, _)| version),
        Some(7),
        "stored as the last good catalog"
    );
    // Unchanged: the server answers 304 and nothing happens.
    assert_eq!(
        kiosk
            .runtime
            .block_on(kiosk.syncer.pull_catalog())
            .expect("pulled"),
        None
    );

    for (answer, what) in [(older, "not newer"), (broken, "not valid catalog JSON")] {
        let proxy = flaky_proxy(&runtime, central.port(), vec![Fault::Respond(answer)]);
        let other = Client::with_timeout(
            &format!("http://127.0.0.1:{proxy}"),
            TOKEN,
            Duration::from_secs(2),
        )
        .expect("client");
        let (publish, seen) = watch::channel(kiosk.catalog.borrow().clone());
        let syncer = Syncer::new(
            other,
            kiosk.store.clone(),
            "K1".into(),
            mpp_core::day::TimeZone::JAKARTA,
            publish,
            Arc::new(|| PrinterState::Ready),
            Arc::new(|| instant(MONDAY)),
        );
        kiosk
            .store
            .lock()
            .expect("store")
            .note("sync.catalog_etag", "\"none\"")
            .expect("forget etag");
        let refused = kiosk
            .runtime
            .block_on(syncer.pull_catalog())
            .expect_err("refused");
        assert!(matches!(refused, SyncError::BadCatalog(_)), "{refused:?}");
        assert!(refused.to_string().contains(what), "{refused}");
        assert_eq!(seen.borrow().version, 7, "the last good catalog stays");
    }
}

fn http_ok(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn the_qr_code_opens_the_ticket_and_refuses_a_forgery() {
    let central = central_with_k1().start();
    let kiosk = Kiosk::new(&central.url(""), TOKEN);
    let tickets = kiosk.issue(3);
    kiosk.push().expect("synced");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    let get = |url: String| {
        runtime.block_on(async {
            let response = mpp_testkit::central::client()
                .get(url)
                .send()
                .await
                .expect("page");
            (
                response.status().as_u16(),
                response.text().await.expect("text"),
            )
        })
    };
    let third = &tickets[2];
    let (status, page) = get(third.qr_payload.clone());
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("DKC-003"), "{page}");
    let forged = third.qr_payload.replace("?s=", "?s=0");
    let (status, page) = get(forged[..forged.len() - 1].to_owned());
    assert_eq!(status, 404);
    assert!(page.contains("Not a valid ticket"), "{page}");
    assert!(third.qr_payload.contains(&format!("/t/K1/{}?s=", third.id)));
    let (status, _) = get(central.url("/t/0192f0c2-0000-7000-8000-000000000000?s=00"));
    assert_eq!(status, 404);
}

#[test]
fn a_refused_batch_still_sends_the_heartbeat_and_is_not_blamed_on_the_token() {
    let central = central_with_k1().start();
    let runtime = common::runtime(1);
    // A batch refused as a whole (as when kiosk.id no longer matches the token's kiosk);
    // another kiosk's ticket in a batch is refused alone: see tests/sync_refusals.rs.
    let proxy = flaky_proxy(&runtime, central.port(), vec![Fault::Respond(FORBIDDEN)]);
    let kiosk = Kiosk::new(&format!("http://127.0.0.1:{proxy}"), TOKEN);
    kiosk.issue(2);
    let error = kiosk
        .runtime
        .block_on(kiosk.syncer.round())
        .expect_err("refused");
    assert!(
        matches!(error, SyncError::Server { status: 403, .. }),
        "{error:?}"
    );
    assert!(
        !error.to_string().contains("[sync] token"),
        "not a token problem: {error}"
    );
    assert!(!error.is_retryable());
    assert_eq!(kiosk.unsent(), 2, "nothing is marked sent");
    let fleet = runtime.block_on(mpp_testkit::central::fleet(&central));
    assert!(
        fleet.contains(" data-col=\"unsent\">2</td>"),
        "the fleet page shows the stuck outbox:\n{fleet}"
    );
}

/// The kiosk's command line with a config pointing at `central`, where it is "KIOSK-T".
fn kiosk_cli_for(central: &Server, folder: &std::path::Path) -> std::path::PathBuf {
    let sync = format!(
        "[sync]\nenabled = true\nserver_url = \"{}\"\ntoken = \"{TOKEN}\"\n",
        central.url("")
    );
    common::write_config_open_all_day(folder, &sync)
}

#[test]
fn sync_now_records_its_result_and_reports_the_real_printer() {
    let central = Server::builder()
        .kiosks([KioskAccount::new("KIOSK-T", TOKEN, SIGNING_KEY)])
        .start();
    let folder = tempfile::tempdir().expect("temp dir");
    let config = kiosk_cli_for(&central, folder.path());
    let now = common::real_now();
    let run = |args: &[&str]| common::run_kiosk(&config, &now, args);
    run(&["ticket", "issue", "--service", "DKC-KK", "--count", "3"]);
    let said = run(&["sync", "now"]);
    assert!(said.contains("sent 3"), "{said}");
    let status: serde_json::Value =
        serde_json::from_str(&run(&["sync", "status", "--json"])).expect("status JSON");
    assert!(status["last_ok"].is_string(), "a last success: {status}");
    assert_eq!(status["unsent"], 0, "{status}");
    let today = mpp_core::day::TimeZone::JAKARTA
        .local(common::instant(&now))
        .date()
        .to_string();
    assert_eq!(tickets_known_on(&central, &today), 3);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let fleet = runtime.block_on(mpp_testkit::central::fleet(&central));
    assert!(
        fleet.contains(" data-col=\"printer\">Printer siap<"),
        "the virtual printer's own state:\n{fleet}"
    );
    assert!(!fleet.contains("starting"), "{fleet}");
}

/// Resident memory of this process, from /proc/self/status.
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmRSS line");
    kib * 1024
}

#[test]
fn a_flood_of_an_answer_stops_at_the_endpoints_limit_and_nothing_is_lost() {
    // It measures the process's memory: the other tests of the binary stay out of it.
    if !common::in_own_process(
        "sync::a_flood_of_an_answer_stops_at_the_endpoints_limit_and_nothing_is_lost",
    ) {
        return;
    }
    let central = central_with_k1().start();
    let runtime = common::runtime(1);
    // The catalog's flood streams without a length; the batch's announces one, four times to
    // outlast the quick retries.
    let mut faults = vec![Fault::Flood { declared: false }];
    faults.extend((0..4).map(|_| Fault::Flood { declared: true }));
    let proxy = flaky_proxy(&runtime, central.port(), faults);
    let kiosk = Kiosk::new(&format!("http://127.0.0.1:{proxy}"), TOKEN);
    kiosk.issue(5);
    let before = resident_bytes();

    let refused = kiosk
        .runtime
        .block_on(kiosk.syncer.pull_catalog())
        .expect_err("a flood is no catalog");
    assert!(
        matches!(&refused, SyncError::TooLarge { endpoint, limit }
            if endpoint == "catalog" && *limit == 8 << 20),
        "{refused:?}"
    );
    assert!(refused.is_retryable(), "{refused:?}");
    assert!(refused.to_string().contains("8192 KiB"), "{refused}");
    assert_eq!(
        kiosk.catalog.borrow().version,
        3,
        "the catalog in use stays"
    );

    let refused = kiosk.push().expect_err("a flood is no outcome");
    assert!(
        matches!(&refused, SyncError::TooLarge { endpoint, limit }
            if endpoint == "events" && *limit == 1 << 20),
        "{refused:?}"
    );
    assert!(refused.is_retryable(), "{refused:?}");
    assert_eq!(kiosk.unsent(), 5, "nothing is marked sent");
    let grown = resident_bytes().saturating_sub(before);
    assert!(grown < 64 << 20, "memory grew by {} MiB", grown >> 20);

    let report = kiosk.push().expect("the next round gets through");
    assert_eq!(report.sent, 5);
    assert_eq!(tickets_known(&central), 5);
}
