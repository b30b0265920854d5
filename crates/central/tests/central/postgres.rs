//! The central server on PostgreSQL (a throwaway cluster on a loopback port, see
//! `mpp_testkit::postgres`): the API behaves as on SQLite, and a backlog of 1,000 tickets is
//! stored exactly once while the server process is killed mid-batch and restarted, and while
//! PostgreSQL itself is stopped at once (`pg_ctl -m immediate stop`) and started again.
//! `MPP_CENTRAL_TEST_BACKEND=postgres cargo test -p mpp-central` runs every other API test on
//! PostgreSQL too.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use mpp_core::numbering::Lane;
use mpp_core::protocol::{BatchOutcome, EventBatch};
use mpp_core::ticket::TicketStatus;
use mpp_testkit::central::*;
use reqwest::StatusCode;

const BACKLOG: usize = 1_000;
const BATCH: usize = 50;

/// One number from the server's PostgreSQL database (on a thread of its own: the blocking
/// client runs a runtime, which an async test's thread cannot).
fn count(server: &Server, sql: &str) -> i64 {
    let url = server.postgres().expect("on PostgreSQL").url("mpp");
    let sql = sql.to_owned();
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        client.query_one(&sql, &[]).expect("query").get(0)
    })
    .join()
    .expect("query thread")
}

#[tokio::test]
async fn batches_conflicts_refusals_counters_and_pages_on_postgresql() {
    if !mpp_testkit::postgres::installed_or_skip(
        "batches_conflicts_refusals_counters_and_pages_on_postgresql",
    ) {
        return;
    }
    let server = Server::builder().postgres().start();
    let first = ticket(KIOSK, "c1", 1, Lane::Regular, 0);
    let second = ticket(KIOSK, "c2", 2, Lane::Regular, 1);
    let priority = ticket(KIOSK, "p1", 1, Lane::Priority, 2);
    let events = vec![
        event(1, &first, TicketStatus::Issued),
        event(2, &first, TicketStatus::Printed),
        event(3, &second, TicketStatus::Printed),
        event(4, &priority, TicketStatus::Printed),
    ];
    let (status, outcome) = push(&server, &batch(KIOSK, events.clone())).await;
    assert_eq!(
        (status, outcome.accepted),
        (StatusCode::OK, vec![1, 2, 3, 4])
    );
    let (_, again) = push(&server, &batch(KIOSK, events.clone())).await;
    assert_eq!(again.duplicates, [1, 2, 3, 4]);
    let mut changed = events[1].clone();
    changed.reason = Some("rewritten history".into());
    let mut foreign = one(OTHER_KIOSK, 9, "x1");
    foreign.kiosk = KIOSK.into();
    let mut mixed = batch(KIOSK, vec![changed]);
    mixed.events.extend(foreign.events);
    let (status, outcome) = push(&server, &mixed).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!((outcome.conflicts, outcome.refused.len()), (vec![2], 1));
    assert_eq!(count(&server, "SELECT count(*) FROM conflicts"), 1);
    assert_eq!(count(&server, "SELECT count(*) FROM refusals"), 1);

    assert_eq!(waiting(&queues(&server).await, "DKC"), (2, 1));
    let (status, html) = genuine_page(&server, "c2").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(ahead(&html), 2, "the priority ticket and c1");
    let path = counter_path(KIOSK, "p1");
    counter_steps(
        &server,
        (COUNTER_TOKEN, "Loket 2"),
        &path,
        &["called", "served"],
    )
    .await;
    let refused = counter_at(&server, COUNTER_TOKEN, &path, "called").await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(ahead(&genuine_page(&server, "c2").await.1), 1);
    assert_eq!(count(&server, "SELECT count(*) FROM counter_reports"), 2);

    // A second kiosk printing DKC-001 again: stored and flagged, as on SQLite.
    let twin = ticket(OTHER_KIOSK, "t1", 1, Lane::Regular, 3);
    let twin = batch(OTHER_KIOSK, vec![event(1, &twin, TicketStatus::Printed)]);
    let answer = post_events(&server, OTHER_KIOSK_TOKEN, &twin).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(count(&server, "SELECT count(*) FROM flagged_numbers"), 1);
    let fleet = fleet(&server).await;
    assert!(
        fleet.contains(KIOSK) && fleet.contains("DKC-001"),
        "{fleet}"
    );

    let etag = get_catalog(&server, None).await;
    assert_eq!(etag.status(), StatusCode::OK);
    let etag = etag.headers()["etag"].to_str().expect("text").to_owned();
    let unchanged = get_catalog(&server, Some(&etag)).await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(count(&server, "SELECT count(*) FROM published_catalogs"), 1);
}

/// The backlog of [`KIOSK`]: one printed ticket each, in batches of [`BATCH`].
fn backlog() -> Vec<EventBatch> {
    let events: Vec<_> = (0..BACKLOG)
        .map(|index| {
            let id = format!("b{index:04}");
            let sequence = index as u32 % 999 + 1;
            let ticket = ticket(KIOSK, &id, sequence, Lane::Regular, (index / 10) as i64);
            event(index as i64 + 1, &ticket, TicketStatus::Printed)
        })
        .collect();
    events
        .chunks(BATCH)
        .map(|chunk| batch(KIOSK, chunk.to_vec()))
        .collect()
}

/// Sends every batch until the server answers it, as a kiosk's outbox does: a refused
/// connection, a 503 or a cut answer is sent again. Every answered batch is counted in `done`.
async fn drain(url: String, batches: Vec<EventBatch>, done: Arc<AtomicUsize>) -> Vec<BatchOutcome> {
    let client = client();
    let mut outcomes = Vec::new();
    for batch in batches {
        loop {
            let sent = client
                .post(format!("{url}/api/v1/events"))
                .header("authorization", bearer(KIOSK_TOKEN))
                .json(&batch)
                .send()
                .await;
            let outcome = match sent {
                Ok(response) if response.status() == StatusCode::OK => {
                    response.json::<BatchOutcome>().await.ok()
                }
                Ok(response) => {
                    let status = response.status();
                    assert!(status.is_server_error(), "a batch refused with {status}");
                    None
                }
                Err(_) => None,
            };
            if let Some(outcome) = outcome {
                outcomes.push(outcome);
                done.fetch_add(1, Ordering::SeqCst);
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    outcomes
}

/// Waits until `done` reaches `batches`.
async fn until(done: &AtomicUsize, batches: usize) {
    while done.load(Ordering::SeqCst) < batches {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Every event was taken once: each answered as accepted or as a duplicate of what is stored,
/// none conflicting, and the database holds each ticket and event once.
fn assert_exactly_once(server: &Server, outcomes: &[BatchOutcome]) {
    let mut answered: Vec<i64> = outcomes
        .iter()
        .flat_map(|outcome| outcome.accepted.iter().chain(&outcome.duplicates).copied())
        .collect();
    answered.sort_unstable();
    let expected: Vec<i64> = (1..=BACKLOG as i64).collect();
    assert_eq!(answered, expected);
    assert!(outcomes.iter().all(|outcome| outcome.conflicts.is_empty()));
    let total = BACKLOG as i64;
    assert_eq!(count(server, "SELECT count(*) FROM tickets"), total);
    assert_eq!(count(server, "SELECT count(*) FROM events"), total);
    assert_eq!(
        count(server, "SELECT count(DISTINCT event_id) FROM events"),
        total
    );
    assert_eq!(count(server, "SELECT count(*) FROM conflicts"), 0);
    assert_eq!(count(server, "SELECT count(*) FROM refusals"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_is_stored_exactly_once_while_the_server_is_killed_mid_batch() {
    if !mpp_testkit::postgres::installed_or_skip(
        "a_backlog_is_stored_exactly_once_while_the_server_is_killed_mid_batch",
    ) {
        return;
    }
    let mut server = Server::builder().postgres().start();
    let done = Arc::new(AtomicUsize::new(0));
    let drained = tokio::spawn(drain(server.url(""), backlog(), Arc::clone(&done)));
    for after in [3, 9, 15] {
        until(&done, after).await;
        // The next batch is on its way: the process dies under it.
        server.restart();
    }
    let outcomes = drained.await.expect("drained");
    assert_exactly_once(&server, &outcomes);
    assert_eq!(waiting(&queues(&server).await, "DKC").0, BACKLOG as u32);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_is_stored_exactly_once_while_postgresql_is_stopped_at_once_mid_batch() {
    if !mpp_testkit::postgres::installed_or_skip(
        "a_backlog_is_stored_exactly_once_while_postgresql_is_stopped_at_once_mid_batch",
    ) {
        return;
    }
    let server = Server::builder().postgres().start();
    let done = Arc::new(AtomicUsize::new(0));
    let drained = tokio::spawn(drain(server.url(""), backlog(), Arc::clone(&done)));
    let cluster = server.postgres().expect("on PostgreSQL");
    for after in [3, 11] {
        until(&done, after).await;
        cluster.crash();
        tokio::time::sleep(Duration::from_millis(300)).await;
        cluster.start_again();
    }
    let outcomes = drained.await.expect("drained");
    assert_exactly_once(&server, &outcomes);
    let health = get(&server, "/api/v1/health").await;
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "the server lived through it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_says_unavailable_while_postgresql_is_down_and_ok_once_it_is_back() {
    if !mpp_testkit::postgres::installed_or_skip(
        "health_says_unavailable_while_postgresql_is_down_and_ok_once_it_is_back",
    ) {
        return;
    }
    let server = Server::builder().postgres().start();
    assert_eq!(
        get(&server, "/api/v1/health").await.status(),
        StatusCode::OK
    );
    let cluster = server.postgres().expect("on PostgreSQL");
    cluster.crash();
    let down = get(&server, "/api/v1/health").await;
    assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
    let said = down.text().await.expect("body");
    assert!(said.contains("database does not answer"), "{said}");
    cluster.start_again();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while get(&server, "/api/v1/health").await.status() != StatusCode::OK {
        assert!(
            std::time::Instant::now() < deadline,
            "health never came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
