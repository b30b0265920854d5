//! `cargo bench -p mpp-central --bench province` (needs wrk and PostgreSQL): one province's
//! server, 20 MPPs of 25 kiosks (500 kiosks), run side by side on SQLite and on PostgreSQL (a
//! throwaway cluster on loopback): every kiosk pushes its tickets at once (ingest), then the
//! ticket page under wrk (100 connections, 10 s), then memory at rest (the server's and
//! PostgreSQL's). Prints figures; asserts only that every event arrived. Not in CI.

use std::time::{Duration, Instant};

use mpp_core::numbering::Lane;
use mpp_core::ticket::{TicketStatus, sign};
use mpp_testkit::central::*;
use mpp_testkit::load::{bench_key, bench_ticket, bench_token, megabytes, push_batch, wrk};

const MPPS: usize = 20;
const KIOSKS_PER_MPP: usize = 25;
const EVENTS_PER_KIOSK: usize = 100;
const BATCH: usize = 25;
/// Numbers per kiosk within its MPP.
const RANGE: u32 = 300;

fn main() {
    mpp_testkit::load::require_wrk();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    for postgres in [false, true] {
        let name = if postgres { "PostgreSQL" } else { "SQLite" };
        let mut builder = Server::builder().mpps(province()).nofile(8192);
        if postgres {
            builder = builder.postgres();
        }
        let server = builder.start();
        let (events, seconds, p99) = runtime.block_on(ingest(&server));
        println!(
            "{name}: {} kiosks in {MPPS} MPPs pushing {EVENTS_PER_KIOSK} events each at once \
             (batches of {BATCH}): {events} events in {seconds:.2} s = {:.0} events/s, \
             batch p99 {:.0} ms",
            MPPS * KIOSKS_PER_MPP,
            events as f64 / seconds,
            p99 * 1000.0
        );
        let url = page_url(&server);
        println!(
            "{name}: ticket page, 100 connections, 10 s: {}",
            wrk(&url, 100, 10)
        );
        std::thread::sleep(Duration::from_secs(3));
        let database = server.postgres().map_or_else(
            || "none of its own (SQLite is in the server)".to_owned(),
            |cluster| {
                format!(
                    "{} (PSS of all its processes)",
                    megabytes(cluster.memory_bytes())
                )
            },
        );
        println!(
            "{name}: memory at rest: server {} (RSS), PostgreSQL {database}",
            megabytes(server.rss_bytes())
        );
    }
}

fn kiosk_id(mpp: usize, n: usize) -> String {
    format!("M{mpp:02}-K{n:02}")
}

fn province() -> Vec<MppAccount> {
    (0..MPPS)
        .map(|mpp| {
            let mut account = MppAccount::new(
                &format!("mpp-{mpp:02}"),
                &format!("MPP {mpp:02}"),
                SMALL_CATALOG,
                &format!("bench-counter-token-{mpp:02}"),
            );
            for n in 0..KIOSKS_PER_MPP {
                let id = kiosk_id(mpp, n);
                let first = 1 + u32::try_from(n).expect("small") * RANGE;
                account = account.kiosk(
                    KioskAccount::new(&id, &bench_token(&id), &bench_key(&id))
                        .with_range(first, first + RANGE - 1),
                );
            }
            account
        })
        .collect()
}

/// Every kiosk pushes its events in batches, all at once: events stored, seconds, batch p99.
async fn ingest(server: &Server) -> (usize, f64, f64) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for mpp in 0..MPPS {
        for n in 0..KIOSKS_PER_MPP {
            let url = server.url("/api/v1/events");
            tasks.push(tokio::spawn(async move {
                let kiosk = kiosk_id(mpp, n);
                let token = bench_token(&kiosk);
                let first = 1 + u32::try_from(n).expect("small") * RANGE;
                let client = client();
                let (mut stored, mut latencies) = (0, Vec::new());
                for chunk in 0..EVENTS_PER_KIOSK / BATCH {
                    let events = (0..BATCH)
                        .map(|i| {
                            let number = chunk * BATCH + i;
                            let sequence = first + u32::try_from(number).expect("small");
                            let id = format!("0192f0c2-{kiosk}-{number:06}");
                            let ticket = bench_ticket(&kiosk, &id, sequence, Lane::Regular);
                            event(number as i64 + 1, &ticket, TicketStatus::Printed)
                        })
                        .collect();
                    let sent = Instant::now();
                    let outcome = push_batch(&client, &url, &token, &batch(&kiosk, events)).await;
                    latencies.push(sent.elapsed().as_secs_f64());
                    stored += outcome.accepted.len();
                }
                (stored, latencies)
            }));
        }
    }
    let (mut stored, mut latencies) = (0, Vec::new());
    for task in tasks {
        let (count, times) = task.await.expect("kiosk");
        stored += count;
        latencies.extend(times);
    }
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(
        stored,
        MPPS * KIOSKS_PER_MPP * EVENTS_PER_KIOSK,
        "every event arrived"
    );
    latencies.sort_by(f64::total_cmp);
    let p99 = latencies[latencies.len() * 99 / 100];
    (stored, seconds, p99)
}

/// The page of the first ticket of the last MPP's first kiosk.
fn page_url(server: &Server) -> String {
    let kiosk = kiosk_id(MPPS - 1, 0);
    let id = "0192f0c2-".to_owned() + &kiosk + "-000000";
    let signature = sign(&kiosk, &id, bench_key(&kiosk).as_bytes());
    server.url(&format!("/t/{kiosk}/{id}?s={signature}"))
}
