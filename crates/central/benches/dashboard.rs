//! `cargo bench -p mpp-central --bench dashboard` (`MPP_CENTRAL_BINARY=target/release/mpp-central`
//! for a release build; `DASHBOARD_DAYS=30` for a shorter history): a year of a busy MPP —
//! 2,000 tickets a day over 30 queues and 40 counter points (each queue its point, ten a
//! second one), 85 % served, 10 % no-show, 2 %
//! voided, waits and service times drawn from a seeded generator — written straight into a
//! real server's SQLite file, then `mpp-central dashboard rebuild` (timed), the file's size and
//! its tallies, the dashboard page for a month and for the year (p50/p99 over many requests,
//! the head signed in), the year's XLSX; then events pushed through the API onto that year
//! (the tallies moved in each event's transaction), per event. Asserts only that every answer
//! was 200. With `MPP_SCREENSHOTS` naming a folder, the year's page is pictured there too.

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use mpp_core::numbering::Lane;
use mpp_core::ticket::TicketStatus;
use mpp_testkit::central::*;

const PER_DAY: usize = 2_000;
const QUEUES: usize = 30;
const POINTS: usize = 40;

fn days() -> i64 {
    std::env::var("DASHBOARD_DAYS")
        .ok()
        .and_then(|days| days.parse().ok())
        .unwrap_or(365)
}

fn last_day() -> NaiveDate {
    MORNING_DAY.parse().expect("day")
}

fn text(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The year of tickets and calls, in one transaction.
fn generate(path: &std::path::Path) -> usize {
    let mut connection = rusqlite::Connection::open(path).expect("the server's file");
    let transaction = connection.transaction().expect("transaction");
    let mut random = fastrand::Rng::with_seed(26);
    let mut tickets = transaction
        .prepare(
            "INSERT INTO tickets (mpp, kiosk, id, number, queue, lane, sequence, business_day, \
             issued_at, status, status_event, ticket_json, updated_at, counter_status, \
             counter_name, counter_at) VALUES ('default', ?1, ?2, ?3, ?4, 'regular', ?5, ?6, \
             ?7, ?8, 1, '{}', ?7, ?9, ?10, ?11)",
        )
        .expect("statement");
    let mut calls = transaction
        .prepare(
            "INSERT INTO calls (mpp, seq, kiosk, ticket, number, point, zone, kind, at, reason, \
             account) VALUES ('default', ?1, ?2, ?3, ?4, ?5, '', 'call', ?6, '', 'bench')",
        )
        .expect("statement");
    let (mut count, mut seq) = (0, 0);
    for back in (1..=days()).rev() {
        let day = last_day() - TimeDelta::days(back);
        // 07:30 WIB = 00:30 UTC, issuing for 7.5 hours.
        let opening = day.and_hms_opt(0, 30, 0).expect("time").and_utc();
        for n in 0..PER_DAY {
            let queue_index = n % QUEUES;
            let queue = format!("Q{queue_index:02}");
            let issued = opening + TimeDelta::seconds(random.i64(0..27_000));
            let id = format!("{day}-{n:05}");
            let number = format!("{queue}-{n:04}");
            let fate = random.u32(0..100);
            let voided = fate >= 98;
            // Each queue has its point; the ten busiest a second one too.
            let second = queue_index < POINTS - QUEUES && random.bool();
            let point = format!(
                "Loket {}",
                queue_index + 1 + if second { QUEUES } else { 0 }
            );
            let called = issued + TimeDelta::seconds(random.i64(60..5_400));
            let done = called + TimeDelta::seconds(random.i64(90..1_200));
            let (status, counter) = match fate {
                0..85 => ("served", Some("served")),
                85..95 => ("no_show", Some("no_show")),
                _ => ("waiting", None),
            };
            let status_text = if voided { "voided" } else { "printed" };
            let at = counter.map(|_| text(done));
            tickets
                .execute(rusqlite::params![
                    KIOSK,
                    id,
                    number,
                    queue,
                    n as i64,
                    day.to_string(),
                    text(issued),
                    status_text,
                    counter,
                    counter.map(|_| point.clone()),
                    at,
                ])
                .expect("ticket");
            if status != "waiting" {
                seq += 1;
                calls
                    .execute(rusqlite::params![
                        seq,
                        KIOSK,
                        id,
                        number,
                        point,
                        text(called)
                    ])
                    .expect("call");
            }
            count += 1;
        }
    }
    drop((tickets, calls));
    transaction.commit().expect("commit");
    count
}

fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

async fn timed(server: &Server, cookie: &str, path: &str, times: usize) -> (Duration, Duration) {
    let mut took = Vec::with_capacity(times);
    for _ in 0..times {
        let started = Instant::now();
        let answer = get_with_cookie(server, path, cookie).await;
        assert_eq!(answer.status(), 200, "{path}");
        answer.bytes().await.expect("body");
        took.push(started.elapsed());
    }
    took.sort();
    (percentile(&took, 50), percentile(&took, 99))
}

fn main() {
    let now = "2026-11-23T10:00:00+07:00".parse().expect("instant");
    let mut server = Server::builder().now(now).start();
    server.kill();
    let file = server.path(SQLITE_FILE);
    let started = Instant::now();
    let tickets = generate(&file);
    println!("server: {}", binary().display());
    println!(
        "generated {tickets} tickets over {} days in {:.1?}",
        days(),
        started.elapsed()
    );
    let started = Instant::now();
    let rebuilt = server.command(&["dashboard", "rebuild"], "");
    assert!(rebuilt.status.success(), "{rebuilt:?}");
    println!(
        "rebuild: {:.1?} ({})",
        started.elapsed(),
        String::from_utf8_lossy(&rebuilt.stdout).trim()
    );
    let size = std::fs::metadata(&file).map_or(0, |meta| meta.len());
    println!("database file: {:.1} MB", size as f64 / 1e6);
    server.restart();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let cookie = session_of(&server, HEAD.name, HEAD.password).await;
        let month = format!("/dashboard?period=month&date={}", last_day() - TimeDelta::days(1));
        let (p50, p99) = timed(&server, &cookie, &month, 100).await;
        println!("dashboard, a month: p50 {p50:.1?}, p99 {p99:.1?} (100 requests)");
        let year = format!(
            "/dashboard?period=range&from={}&to={}",
            last_day() - TimeDelta::days(days()),
            last_day() - TimeDelta::days(1)
        );
        let (p50, p99) = timed(&server, &cookie, &year, 30).await;
        println!("dashboard, the year: p50 {p50:.1?}, p99 {p99:.1?} (30 requests)");
        let year_xlsx = year.replacen("/dashboard?", "/dashboard.xlsx?", 1);
        let (p50, _) = timed(&server, &cookie, &year_xlsx, 5).await;
        println!("the year as XLSX: p50 {p50:.1?}");
        let province = year.replacen("/dashboard?", "/dashboard/province?", 1);
        let (p50, p99) = timed(&server, &cookie, &province, 10).await;
        println!("province view, the year (one MPP): p50 {p50:.1?}, p99 {p99:.1?}");

        if let Some(folder) = std::env::var_os("MPP_SCREENSHOTS") {
            pictures(&server, &cookie, &year, std::path::Path::new(&folder));
        }

        // Events onto the year: 2,000 tickets of today in batches of 100, timed.
        let tickets: Vec<_> = (0..2_000)
            .map(|n| {
                let mut ticket = issued_at_minute(&format!("new{n:05}"), "DKC", Lane::Regular, 0);
                ticket.sequence = n + 1;
                ticket.number = format!("DKC-{:04}", n + 1);
                ticket
            })
            .collect();
        let started = Instant::now();
        for (chunk, batch_tickets) in tickets.chunks(100).enumerate() {
            let events = (batch_tickets.iter().zip(1..))
                .map(|(ticket, n)| event(chunk as i64 * 100 + n, ticket, TicketStatus::Printed))
                .collect();
            let (status, outcome) = push(&server, &batch(KIOSK, events)).await;
            assert_eq!(status, 200);
            assert_eq!(outcome.accepted.len(), batch_tickets.len());
        }
        let per_event = started.elapsed() / 2_000;
        println!("events ingested onto the year (tallies moved in each transaction): {per_event:.2?} per event");
    });
    let size = std::fs::metadata(&file).map_or(0, |meta| meta.len());
    println!("database file after: {:.1} MB", size as f64 / 1e6);
}

/// The year's dashboard at 1366 and 390 px, for a person to look at.
fn pictures(server: &Server, cookie: &str, path: &str, folder: &std::path::Path) {
    let Some(browser) = mpp_testkit::browser::Browser::launch() else {
        return;
    };
    let (name, value) = cookie.split_once('=').expect("name=value");
    std::fs::create_dir_all(folder).expect("screenshot folder");
    tokio::task::block_in_place(|| {
        for (width, height) in [(1366, 900), (390, 844)] {
            let page = browser.open(&server.url("/login"), width, height);
            page.set_cookie(name, value, &server.url("/"));
            page.goto(&server.url(path));
            page.screenshot(&folder.join(format!("dashboard-year-{width}.png")));
        }
    });
}
