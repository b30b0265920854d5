//! `cargo bench -p mpp-central --bench dashboard_province` (PostgreSQL's initdb and pg_ctl;
//! `PROVINCE_PER_DAY=400` for busier MPPs): a province of 35 MPPs on PostgreSQL, a year each
//! (by default 100 tickets a day over the small catalog's queues, 85 % served, 10 % no-show,
//! generated inside PostgreSQL with a fixed seed), `dashboard rebuild` of every MPP timed, then
//! the province view and one MPP's dashboard for a month and for the year (p50/p99, the
//! province account signed in), and the database's size. Asserts only that every answer was
//! 200.

use std::time::{Duration, Instant};

use mpp_testkit::central::*;

const MPPS: usize = 35;

fn per_day() -> i64 {
    std::env::var("PROVINCE_PER_DAY")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(100)
}

/// A year of every MPP's tickets and calls, made by PostgreSQL itself.
fn generate(url: &str) -> i64 {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("PostgreSQL");
    let tickets = format!(
        "SELECT setseed(0.26);
         CREATE TEMP TABLE fake AS SELECT
           'mpp' || lpad(m::text, 2, '0') AS mpp, 'K' || m AS kiosk,
           (DATE '2025-11-23' + d) AS day, n,
           (ARRAY['DKC', 'KTP', 'SKC', 'SAM'])[1 + n % 4] AS queue,
           (DATE '2025-11-23' + d) + TIME '00:30' + (random() * 27000) * INTERVAL '1 second' AS issued,
           random() * 100 AS fate, 60 + random() * 5340 AS wait, 90 + random() * 1110 AS service
         FROM generate_series(0, {last_mpp}) m, generate_series(0, 364) d,
              generate_series(0, {per_day} - 1) n;
         INSERT INTO tickets (mpp, kiosk, id, number, queue, lane, sequence, business_day,
             issued_at, status, status_event, ticket_json, updated_at, counter_status,
             counter_name, counter_at)
         SELECT mpp, kiosk, day || '-' || n, queue || '-' || n, queue, 'regular', n + 1,
             day::text, to_char(issued, 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), 'printed', 1, '{{}}',
             to_char(issued, 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),
             CASE WHEN fate < 85 THEN 'served' WHEN fate < 95 THEN 'no_show' END,
             CASE WHEN fate < 95 THEN 'Loket ' || (1 + n % 4) END,
             CASE WHEN fate < 95 THEN to_char(issued + (wait + service) * INTERVAL '1 second',
                 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') END
         FROM fake;
         INSERT INTO calls (mpp, seq, kiosk, ticket, number, point, zone, kind, at, reason, account)
         SELECT mpp, row_number() OVER (PARTITION BY mpp ORDER BY day, n), kiosk, day || '-' || n,
             queue || '-' || n, 'Loket ' || (1 + n % 4), '', 'call',
             to_char(issued + wait * INTERVAL '1 second', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),
             '', 'bench'
         FROM fake WHERE fate < 95;",
        last_mpp = MPPS - 1,
        per_day = per_day(),
    );
    client.batch_execute(&tickets).expect("the year's tickets");
    client
        .query_one("SELECT count(*) FROM tickets", &[])
        .expect("count")
        .get(0)
}

fn size(url: &str) -> i64 {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("PostgreSQL");
    let row = client
        .query_one("SELECT pg_database_size(current_database())", &[])
        .expect("size");
    row.get(0)
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
    let mpps = (0..MPPS).map(|n| {
        let token = format!("bench-counter-token-{n:02}-0123456789abcdef");
        MppAccount::new(
            &format!("mpp{n:02}"),
            &format!("MPP {n:02}"),
            SMALL_CATALOG,
            &token,
        )
    });
    let now = "2026-11-23T10:00:00+07:00".parse().expect("instant");
    let mut server = Server::builder().now(now).postgres().mpps(mpps).start();
    let url = server.postgres().expect("a cluster").url("mpp");
    server.kill();
    let started = Instant::now();
    let tickets = generate(&url);
    println!(
        "generated {tickets} tickets of {MPPS} MPPs in {:.1?}",
        started.elapsed()
    );
    let started = Instant::now();
    let rebuilt = server.command(&["dashboard", "rebuild"], "");
    assert!(rebuilt.status.success(), "{rebuilt:?}");
    println!("rebuild of every MPP: {:.1?}", started.elapsed());
    println!("database: {:.1} MB", size(&url) as f64 / 1e6);
    server.restart();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let cookie = session_of(&server, PROVINCE.name, PROVINCE.password).await;
        let spans = [
            ("a month", "period=month&date=2026-10-15"),
            ("the year", "period=range&from=2025-11-23&to=2026-11-22"),
        ];
        for (name, span) in spans {
            let province = format!("/dashboard/province?{span}");
            let (p50, p99) = timed(&server, &cookie, &province, 20).await;
            println!("province view, {name}: p50 {p50:.1?}, p99 {p99:.1?} (20 requests)");
            let one = format!("/dashboard?mpp=mpp07&{span}");
            let (p50, p99) = timed(&server, &cookie, &one, 30).await;
            println!("one MPP's dashboard, {name}: p50 {p50:.1?}, p99 {p99:.1?} (30 requests)");
        }
    });
}
