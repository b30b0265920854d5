//! The process and its database apart, on a real `mpp-central`: `/api/v1/live` answers while
//! PostgreSQL is down (`/api/v1/health` says 503 then), and after PostgreSQL restarts, the
//! first requests on the pooled connections it closed succeed: reads, writes and pages, side by
//! side, none answered 503 or 500.

use std::time::Duration;

use mpp_core::numbering::Lane;
use mpp_core::ticket::TicketStatus;
use mpp_testkit::central::*;
use reqwest::StatusCode;

#[tokio::test]
async fn live_answers_without_a_token_and_reads_nothing() {
    let server = Server::start();
    let answer = get(&server, "/api/v1/live").await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.text().await.expect("body"), r#"{"status":"live"}"#);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_says_200_while_postgresql_is_down_and_health_503() {
    if !mpp_testkit::postgres::installed_or_skip(
        "live_says_200_while_postgresql_is_down_and_health_503",
    ) {
        return;
    }
    let server = Server::builder().postgres().start();
    let cluster = server.postgres().expect("on PostgreSQL");
    cluster.crash();
    let live = get(&server, "/api/v1/live").await;
    assert_eq!(live.status(), StatusCode::OK);
    let health = get(&server, "/api/v1/health").await;
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
    cluster.start_again();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_requests_after_a_postgresql_restart_succeed() {
    if !mpp_testkit::postgres::installed_or_skip(
        "the_first_requests_after_a_postgresql_restart_succeed",
    ) {
        return;
    }
    let server = Server::builder().postgres().start();
    let first = ticket(KIOSK, "r-1", 1, Lane::Regular, 0);
    let (status, _) = push(
        &server,
        &batch(KIOSK, vec![event(1, &first, TicketStatus::Printed)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let path = format!("/api/v1/queues?day={}", today());
    // Every pooled connection used (and its statements prepared) before the restart.
    for status in reads_side_by_side(server.url(&path), 8).await {
        assert_eq!(status, StatusCode::OK);
    }
    let cluster = server.postgres().expect("on PostgreSQL");
    for round in 0..2 {
        cluster.crash();
        cluster.start_again();
        // The old connections' ends have closed by now, as after any restart.
        tokio::time::sleep(Duration::from_millis(100)).await;
        for status in reads_side_by_side(server.url(&path), 6).await {
            assert_eq!(status, StatusCode::OK, "a read, round {round}");
        }
        let next = ticket(
            KIOSK,
            &format!("r-{}", round + 2),
            round + 2,
            Lane::Regular,
            1,
        );
        let batch = batch(
            KIOSK,
            vec![event(i64::from(round) + 2, &next, TicketStatus::Printed)],
        );
        let written = post_events(&server, KIOSK_TOKEN, &batch).await;
        assert_eq!(written.status(), StatusCode::OK, "a write, round {round}");
        assert_eq!(
            get_as(&server, "/fleet", ADMIN_TOKEN).await.status(),
            StatusCode::OK
        );
        let (status, _) = genuine_page(&server, "r-1").await;
        assert_eq!(status, StatusCode::OK, "a page, round {round}");
    }
    assert_eq!(waiting(&queues(&server).await, "DKC").0, 3);
}

/// `count` reads of `url` with the kiosk's token at the same time: their statuses.
async fn reads_side_by_side(url: String, count: usize) -> Vec<StatusCode> {
    let reads: Vec<_> = (0..count)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                let answer = client()
                    .get(url)
                    .header(reqwest::header::AUTHORIZATION, bearer(KIOSK_TOKEN))
                    .send()
                    .await;
                answer.expect("an answer").status()
            })
        })
        .collect();
    let mut statuses = Vec::with_capacity(count);
    for read in reads {
        statuses.push(read.await.expect("read"));
    }
    statuses
}
