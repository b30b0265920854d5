//! `cargo bench --bench issue`: issuing latency with full durability, and catalog load time.
//! Prints figures; asserts nothing about time (machines differ).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use common::settings;
use mpp_core::numbering::Lane;
use mpp_core::validate::ValidCatalog;
use mpp_station::catalog_source;
use mpp_station::store::{NumberingPlan, Store};
use mpp_testkit::fixtures::unlimited_services;

const TICKETS: usize = 2_000;
const CATALOG_LOADS: u32 = 50;

fn main() {
    let catalog_time = time_catalog_loads();
    let catalog = catalog_source::builtin().expect("built-in catalog");
    println!(
        "catalog: load + validate {} agencies / {} services: {:.2} ms (mean of {CATALOG_LOADS})",
        catalog.agencies.len(),
        catalog.services.len(),
        catalog_time.as_secs_f64() * 1e3
    );

    for with_record in [false, true] {
        let latencies = time_issues(&catalog, with_record);
        let percentile = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "issue ({TICKETS} tickets, WAL + synchronous=FULL{}): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            if with_record {
                ", numbers record beside the database as installed"
            } else {
                ", database only"
            },
            ms(percentile(0.50)),
            ms(percentile(0.99)),
            ms(*latencies.last().expect("non-empty"))
        );
    }
}

/// Issues `TICKETS` tickets spread over services without quota, at a Monday 09:00 WIB, and
/// returns each one's latency, sorted.
fn time_issues(catalog: &ValidCatalog, with_record: bool) -> Vec<Duration> {
    let folder = std::env::temp_dir().join(format!(
        "mpp-kiosk-bench-{}-{with_record}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&folder);
    let mut store = Store::open(&folder.join("kiosk.db")).expect("store");
    let plan = NumberingPlan {
        record: with_record.then(|| folder.join("numbers-record.json")),
        kiosk: "BENCH".into(),
        server_expected: false,
    };
    let start = "2026-11-23T02:00:00Z"
        .parse::<chrono::DateTime<Utc>>()
        .expect("instant");
    store.prepare_numbering(&plan, start).expect("numbering");
    let settings = settings("BENCH", 1, 9999);
    let services = unlimited_services(catalog);
    let mut latencies = Vec::with_capacity(TICKETS);
    for index in 0..TICKETS {
        let now = start + TimeDelta::milliseconds(index as i64);
        let service = services[index % services.len()];
        let began = Instant::now();
        store
            .issue(
                catalog,
                &settings,
                &mpp_core::ids::ServiceCode::from(service),
                Lane::Regular,
                now,
            )
            .expect("issued");
        latencies.push(began.elapsed());
    }
    latencies.sort();
    drop(store);
    let _ = std::fs::remove_dir_all(&folder);
    latencies
}

fn time_catalog_loads() -> Duration {
    let began = Instant::now();
    for _ in 0..CATALOG_LOADS {
        catalog_source::builtin().expect("built-in catalog");
    }
    began.elapsed() / CATALOG_LOADS
}
