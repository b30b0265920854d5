//! `cargo bench --bench sync`: drain a 10,000-ticket backlog from one kiosk to a real
//! `mpp-central` over loopback, the server's ingest rate with 50 kiosks pushing at once, and
//! the server's memory at rest. Prints figures; asserts only that everything arrived.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::settings;
use mpp_core::day::TimeZone;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::validate::ValidCatalog;
use mpp_station::catalog_source;
use mpp_station::store::Store;
use mpp_station::sync::{Client, Syncer};
use mpp_testkit::central::{KioskAccount, Server};
use mpp_testkit::fixtures::{SHIPPED_CATALOG, unlimited_services};
use tokio::sync::watch;

const BACKLOG: usize = 10_000;
const FLEET: usize = 50;
const PER_KIOSK: usize = 200;

fn main() {
    let folder = tempfile::tempdir().expect("temp dir");
    let folder = folder.path();
    let catalog = catalog_source::builtin().expect("catalog");
    let server = Server::builder()
        .catalog(SHIPPED_CATALOG)
        .kiosks((0..=FLEET).map(|n| {
            let id = kiosk_id(n);
            let (first, last) = range_of(n);
            KioskAccount::new(&id, &id, &signing_key(&id)).with_range(first, last)
        }))
        .start();
    let url = server.url("");
    println!("server memory after start: {}", rss(&server));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("rt");

    let backlog = kiosk(folder, 0, &url, &catalog, BACKLOG);
    let began = Instant::now();
    let report = runtime.block_on(backlog.push_all()).expect("drained");
    assert_eq!(report.sent as usize, BACKLOG);
    println!(
        "drain {BACKLOG} events from one kiosk: {:.2} s",
        began.elapsed().as_secs_f64()
    );

    let fleet: Vec<Syncer> = (1..=FLEET)
        .map(|n| kiosk(folder, n, &url, &catalog, PER_KIOSK))
        .collect();
    let began = Instant::now();
    let sent: u32 = runtime.block_on(async {
        let tasks: Vec<_> = fleet
            .into_iter()
            .map(|syncer| tokio::spawn(async move { syncer.push_all().await }))
            .collect();
        let mut sent = 0;
        for task in tasks {
            sent += task.await.expect("task").expect("pushed").sent;
        }
        sent
    });
    let seconds = began.elapsed().as_secs_f64();
    assert_eq!(sent as usize, FLEET * PER_KIOSK);
    println!(
        "{FLEET} kiosks pushing {PER_KIOSK} events each at once: {sent} events in {seconds:.2} s = {:.0} events/s",
        f64::from(sent) / seconds
    );
    std::thread::sleep(Duration::from_secs(2));
    println!(
        "server memory at rest after {} events: {}",
        BACKLOG + FLEET * PER_KIOSK,
        rss(&server)
    );
}

/// The `n`th kiosk's id, also its token.
fn kiosk_id(n: usize) -> String {
    format!("K{n:03}")
}

/// The `n`th kiosk's numbers, apart from every other's as in a real MPP (the server flags a
/// number two kiosks print): the backlog kiosk first, then 99 numbers per queue each.
fn range_of(n: usize) -> (u32, u32) {
    const BACKLOG_LAST: u32 = 4999;
    const EACH: u32 = 99;
    match u32::try_from(n).expect("a small fleet") {
        0 => (1, BACKLOG_LAST),
        n => {
            let first = BACKLOG_LAST + 1 + (n - 1) * EACH;
            (first, first + EACH - 1)
        }
    }
}

fn signing_key(id: &str) -> String {
    format!("bench-signing-key-{id}")
}

/// Resident memory of the server process.
fn rss(server: &Server) -> String {
    server.rss_bytes().map_or("unknown".into(), |bytes| {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    })
}

/// The `n`th kiosk with `tickets` issued (offline) and a syncer ready to push them.
fn kiosk(folder: &Path, n: usize, url: &str, catalog: &ValidCatalog, tickets: usize) -> Syncer {
    let id = kiosk_id(n);
    let id = id.as_str();
    let mut store = Store::open(&folder.join(format!("{id}.db"))).expect("store");
    let (first, last) = range_of(n);
    let mut settings = settings(id, first, last);
    settings.qr_base_url = url.into();
    settings.signing_key = signing_key(id).into_bytes();
    let services = unlimited_services(catalog);
    let at: DateTime<Utc> = "2026-11-23T02:00:00Z".parse().expect("instant");
    for n in 0..tickets {
        store
            .issue(
                catalog,
                &settings,
                &mpp_core::ids::ServiceCode::from(services[n % services.len()]),
                Lane::Regular,
                at,
            )
            .expect("issued");
    }
    let (publish, _) = watch::channel(Arc::new(catalog.clone()));
    Syncer::new(
        Client::new(url, id).expect("client"),
        Arc::new(Mutex::new(store)),
        id.into(),
        TimeZone::JAKARTA,
        publish,
        Arc::new(|| PrinterState::Ready),
        Arc::new(move || at),
    )
}
