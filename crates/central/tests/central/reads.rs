//! Reads never wait behind a write, against a real `mpp-central` and its real SQLite file:
//! while another process holds the database's write lock and the server's own writer waits on
//! it with a kiosk's batch, the ticket page, the queues and the fleet page are answered at once.

use std::time::{Duration, Instant};

use mpp_core::numbering::Lane;
use mpp_core::ticket::TicketStatus;
use mpp_testkit::central::*;
use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;

/// How long the write lock is held: longer than any read may take.
const HELD: Duration = Duration::from_secs(4);
/// What a read may take while it is held (two busy cores included).
const PROMPT: Duration = Duration::from_millis(1500);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ticket_page_queues_and_fleet_are_answered_while_a_batch_waits_for_the_writer() {
    let server = Server::start();
    let waiting = ticket(KIOSK, "r1", 1, Lane::Regular, 0);
    let (status, _) = push(
        &server,
        &batch(KIOSK, vec![event(1, &waiting, TicketStatus::Printed)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Another process (a backup, sqlite3 in a shell) takes the write lock.
    let holder = rusqlite::Connection::open(server.path("central.db")).expect("open the file");
    holder
        .busy_timeout(Duration::from_secs(1))
        .expect("timeout");
    holder
        .execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO kiosks (id, last_contact_at) VALUES ('X', 'x');",
        )
        .expect("write lock");
    let locked = Instant::now();

    // The server's writer now waits on it with a batch (and holds its own writer meanwhile).
    let next = ticket(KIOSK, "r2", 2, Lane::Regular, 1);
    let body = batch(KIOSK, vec![event(2, &next, TicketStatus::Printed)]);
    let url = server.url("/api/v1/events");
    let pending = tokio::spawn(async move {
        let started = Instant::now();
        let response = client()
            .post(url)
            .header(AUTHORIZATION, bearer(KIOSK_TOKEN))
            .json(&body)
            .send()
            .await
            .expect("an answer");
        (response.status(), started.elapsed())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!pending.is_finished(), "the batch waits for the lock");

    let started = Instant::now();
    let (status, html) = genuine_page(&server, "r1").await;
    let took = started.elapsed();
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("DKC-001") && html.contains("Menunggu"),
        "{html}"
    );
    assert!(
        took < PROMPT,
        "the ticket page waited {took:?} behind the writer"
    );

    let started = Instant::now();
    let report = queues(&server).await;
    assert_eq!(
        waiting_of(&report),
        (1, 0),
        "the last commit, not the batch in progress"
    );
    assert!(
        started.elapsed() < PROMPT,
        "the queues waited {:?}",
        started.elapsed()
    );

    let started = Instant::now();
    let html = fleet(&server).await;
    assert!(html.contains("<tr data-kiosk=\"KIOSK-T1\""));
    assert!(
        started.elapsed() < PROMPT,
        "the fleet waited {:?}",
        started.elapsed()
    );
    assert!(
        locked.elapsed() < HELD,
        "every read was answered while the lock was held"
    );

    tokio::time::sleep(HELD.saturating_sub(locked.elapsed())).await;
    holder.execute_batch("ROLLBACK").expect("release");
    let (status, waited) = pending.await.expect("task");
    assert_eq!(
        status,
        StatusCode::OK,
        "the batch went in once the lock was gone"
    );
    assert!(
        waited >= HELD - Duration::from_millis(400),
        "it did wait: {waited:?}"
    );
    let (status, html) = genuine_page(&server, "r2").await;
    assert_eq!(status, StatusCode::OK, "{html}");
}

fn waiting_of(report: &mpp_core::protocol::QueueReport) -> (u32, u32) {
    waiting(report, "DKC")
}
