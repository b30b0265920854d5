//! `cargo bench -p mpp-central --bench ticket_page` (or `bash bench/ticket_page.sh`): the QR
//! ticket page of a real `mpp-central` under `wrk` on loopback, 200 and 1,000 connections, one
//! valid ticket URL, 10 s each; then 50 kiosks pushing events at once while the page is under
//! load (200 connections); the server's memory at rest and under load. Prints figures, asserts
//! only that every event arrived. `MPP_CENTRAL_BINARY=path` measures another build. Not in CI.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mpp_core::numbering::Lane;
use mpp_core::ticket::{TicketStatus, sign};
use mpp_testkit::central::*;
use mpp_testkit::load::{bench_key, bench_ticket, bench_token, megabytes, push_batch, wrk};
use mpp_testkit::rss_of;

const FLEET: usize = 50;
const EVENTS_PER_KIOSK: usize = 200;
const BATCH: usize = 50;
/// Numbers per kiosk: 51 ranges fit under the 9999 a number may reach.
const RANGE: u32 = 190;
/// The descriptor limit the systemd unit gives the server.
const NOFILE: u64 = 8192;

fn main() {
    mpp_testkit::load::require_wrk();
    let server = Server::builder()
        .kiosks((0..=FLEET).map(|n| {
            let id = kiosk_id(n);
            let (first, last) = range_of(n);
            KioskAccount::new(&id, &bench_token(&id), &bench_key(&id)).with_range(first, last)
        }))
        .nofile(NOFILE)
        .start();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let url = runtime.block_on(one_ticket(&server));
    println!("server: {}", mpp_testkit::central::binary().display());
    println!("ticket page: {url}");
    println!("memory at rest: {}", megabytes(server.rss_bytes()));

    let only_ingest = std::env::var_os("BENCH_ONLY_INGEST").is_some();
    for connections in [200, 1000].into_iter().filter(|_| !only_ingest) {
        let peak = Peak::watch(&server);
        let figures = wrk(&url, connections, 10);
        println!(
            "{connections} connections, 10 s: {figures}; memory peak {}",
            peak.stop()
        );
    }

    let peak = Peak::watch(&server);
    let load = std::thread::spawn({
        let url = url.clone();
        move || wrk(&url, 200, 15)
    });
    std::thread::sleep(Duration::from_secs(2));
    let (events, seconds) = runtime.block_on(fleet_pushing(&server));
    println!(
        "{FLEET} kiosks pushing {EVENTS_PER_KIOSK} events each at once (batches of {BATCH}) \
         while the page is under load: {events} events in {seconds:.2} s = {:.0} events/s",
        events as f64 / seconds
    );
    let figures = load.join().expect("wrk");
    println!(
        "the page meanwhile (200 connections, 15 s): {figures}; memory peak {}",
        peak.stop()
    );
    std::thread::sleep(Duration::from_secs(2));
    println!("memory at rest after: {}", megabytes(server.rss_bytes()));
    let log = server.log();
    let warnings = log.lines().filter(|line| line.contains("WARN")).count();
    println!(
        "server log: {} lines, {warnings} warnings",
        log.lines().count()
    );
    if std::env::var_os("BENCH_SHOW_LOG").is_some() {
        println!("{log}");
    }
}

fn kiosk_id(n: usize) -> String {
    format!("K{n:03}")
}

/// Ranges apart, as in a real MPP.
fn range_of(n: usize) -> (u32, u32) {
    let n = u32::try_from(n).expect("a small fleet");
    let first = 1 + n * RANGE;
    (first, first + RANGE - 1)
}

/// Pushes one ticket of kiosk 0 and answers its page's address.
async fn one_ticket(server: &Server) -> String {
    let kiosk = kiosk_id(0);
    let id = "0192f0c2-bench-7000-8000-000000000001";
    let (first, _) = range_of(0);
    let ticket = bench_ticket(&kiosk, id, first, Lane::Regular);
    let body = batch(&kiosk, vec![event(1, &ticket, TicketStatus::Printed)]);
    let response = post_events(server, &bench_token(&kiosk), &body).await;
    assert!(response.status().is_success(), "{}", response.status());
    let signature = sign(&kiosk, id, bench_key(&kiosk).as_bytes());
    let url = server.url(&format!("/t/{kiosk}/{id}?s={signature}"));
    let page = client().get(&url).send().await.expect("page");
    assert_eq!(page.status(), 200, "the page opens before it is measured");
    url
}

/// Every kiosk pushes its events in batches, all at once; events stored and seconds taken.
async fn fleet_pushing(server: &Server) -> (usize, f64) {
    let started = Instant::now();
    let tasks: Vec<_> = (1..=FLEET)
        .map(|n| {
            let url = server.url("/api/v1/events");
            tokio::spawn(async move {
                let kiosk = kiosk_id(n);
                let token = bench_token(&kiosk);
                let (first, _) = range_of(n);
                let client = client();
                let mut stored = 0;
                for chunk in 0..EVENTS_PER_KIOSK / BATCH {
                    let events = (0..BATCH)
                        .map(|i| {
                            let number = chunk * BATCH + i;
                            // Half regular, half priority: each lane counts on its own.
                            let lane = if number.is_multiple_of(2) {
                                Lane::Regular
                            } else {
                                Lane::Priority
                            };
                            let sequence = first + u32::try_from(number / 2).expect("small");
                            let id = format!("0192f0c2-{kiosk}-{number:06}");
                            let ticket = bench_ticket(&kiosk, &id, sequence, lane);
                            event(number as i64 + 1, &ticket, TicketStatus::Printed)
                        })
                        .collect();
                    let outcome = push_batch(&client, &url, &token, &batch(&kiosk, events)).await;
                    stored += outcome.accepted.len();
                }
                stored
            })
        })
        .collect();
    let mut stored = 0;
    for task in tasks {
        stored += task.await.expect("kiosk");
    }
    assert_eq!(stored, FLEET * EVENTS_PER_KIOSK, "every event arrived");
    (stored, started.elapsed().as_secs_f64())
}

/// The server's largest resident memory while something runs.
struct Peak {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    watcher: std::thread::JoinHandle<()>,
}

impl Peak {
    fn watch(server: &Server) -> Self {
        let pid = server.pid();
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let watcher = std::thread::spawn({
            let (stop, peak) = (Arc::clone(&stop), Arc::clone(&peak));
            move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Some(bytes) = rss_of(pid) {
                        peak.fetch_max(bytes, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
        });
        Self {
            stop,
            peak,
            watcher,
        }
    }

    fn stop(self) -> String {
        self.stop.store(true, Ordering::Relaxed);
        self.watcher.join().expect("watcher");
        megabytes(Some(self.peak.load(Ordering::Relaxed)))
    }
}
