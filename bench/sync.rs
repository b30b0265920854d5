//! `cargo bench --bench sync`: drain a 10,000-ticket backlog from one kiosk to a real
//! `mpp-central` over loopback, the server's ingest rate with 50 kiosks pushing at once, and
//! the server's memory at rest. Prints figures; asserts only that everything arrived.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use mpp_core::day::TimeZone;
use mpp_core::numbering::{Lane, NumberRange};
use mpp_core::printer_state::PrinterState;
use mpp_core::validate::ValidCatalog;
use mpp_kiosk::catalog_source;
use mpp_kiosk::store::{IssueSettings, Store};
use mpp_kiosk::sync::{Client, Syncer};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

const BACKLOG: usize = 10_000;
const FLEET: usize = 50;
const PER_KIOSK: usize = 200;

fn main() {
    let folder = std::env::temp_dir().join(format!("mpp-sync-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("folder");
    let catalog = catalog_source::builtin().expect("catalog");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    write_config(&folder, port);
    let mut server = start(&folder, port);
    let url = format!("http://127.0.0.1:{port}");
    println!("server memory after start: {}", rss(&server));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("rt");

    let backlog = kiosk(&folder, "K000", &url, &catalog, BACKLOG);
    let began = Instant::now();
    let report = runtime.block_on(backlog.push_all()).expect("drained");
    assert_eq!(report.sent as usize, BACKLOG);
    println!(
        "drain {BACKLOG} events from one kiosk: {:.2} s",
        began.elapsed().as_secs_f64()
    );

    let fleet: Vec<Syncer> = (1..=FLEET)
        .map(|n| kiosk(&folder, &format!("K{n:03}"), &url, &catalog, PER_KIOSK))
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
    server.kill().expect("stop");
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&folder);
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn write_config(folder: &Path, port: u16) {
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/assets/catalog.json"),
        folder.join("catalog.json"),
    )
    .expect("catalog");
    let mut config = format!(
        "listen = \"127.0.0.1:{port}\"\ndatabase = \"central.db\"\ncatalog = \"catalog.json\"\nadmin_token_sha256 = \"{}\"\n",
        sha256_hex("admin")
    );
    for n in 0..=FLEET {
        let id = format!("K{n:03}");
        config.push_str(&format!(
            "[[kiosk]]\nid = \"{id}\"\ntoken_sha256 = \"{}\"\nsigning_key = \"bench-signing-key-{id}\"\n",
            sha256_hex(&id)
        ));
    }
    std::fs::write(folder.join("central.toml"), config).expect("config");
}

fn start(folder: &Path, port: u16) -> Child {
    let child = Command::new(mpp_testkit::central::binary())
        .args([
            "--config",
            folder.join("central.toml").to_str().expect("utf-8"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("mpp-central");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

fn rss(child: &Child) -> String {
    std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or("unknown".into(), |kb| format!("{:.1} MB", kb / 1024.0))
}

/// A kiosk with `tickets` issued (offline) and a syncer ready to push them.
fn kiosk(folder: &Path, id: &str, url: &str, catalog: &ValidCatalog, tickets: usize) -> Syncer {
    let mut store = Store::open(&folder.join(format!("{id}.db"))).expect("store");
    let settings = IssueSettings {
        kiosk_id: id.into(),
        range: NumberRange::new(1, 9999).expect("range"),
        time_zone: TimeZone::JAKARTA,
        qr_base_url: url.into(),
        signing_key: format!("bench-signing-key-{id}").into_bytes(),
    };
    let services: Vec<&str> = catalog
        .services
        .iter()
        .filter(|s| s.daily_quota.is_none() && s.schedule == "standard")
        .map(|s| s.code.as_str())
        .collect();
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
