//! What counters may do, against a real `mpp-central`: a ticket moves only waiting → called
//! (→ called again) → served or no-show, for today's tickets not voided (409 with the reason
//! otherwise); a counter sends visitors only to its own points (403) and touches only its own
//! queues (403); every report is kept with the credential that made it.

use chrono::TimeDelta;
use mpp_core::numbering::Lane;
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_testkit::central::*;
use reqwest::StatusCode;

/// Pushes `tickets` (printed) of [`KIOSK`], with `voided` voided after.
async fn pushed(server: &Server, tickets: &[&Ticket], voided: &[&Ticket]) {
    let mut events = Vec::new();
    for ticket in tickets {
        events.push(event(
            events.len() as i64 + 1,
            ticket,
            TicketStatus::Printed,
        ));
    }
    for ticket in voided {
        events.push(event(events.len() as i64 + 1, ticket, TicketStatus::Voided));
    }
    let (status, outcome) = push(server, &batch(KIOSK, events)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
}

/// [`KIOSK`]'s ticket `id` called to `point` by the counter with `token`; the whole answer.
async fn call(server: &Server, token: &str, id: &str, point: &str) -> reqwest::Response {
    counter_to(server, token, &counter_path(KIOSK, id), "called", point).await
}

/// A report on [`KIOSK`]'s ticket `id` by the DKC counters, status and message.
async fn report(server: &Server, id: &str, status: &str) -> (StatusCode, String) {
    let response = counter_at(server, COUNTER_TOKEN, &counter_path(KIOSK, id), status).await;
    let code = response.status();
    let text = if code == StatusCode::NO_CONTENT {
        String::new()
    } else {
        error_of(response).await
    };
    (code, text)
}

#[tokio::test]
async fn every_move_but_the_forward_ones_is_refused_with_409_and_the_reason() {
    let server = Server::start();
    let tickets: Vec<Ticket> = (1..=4)
        .map(|n| ticket(KIOSK, &format!("m{n}"), n, Lane::Regular, i64::from(n)))
        .collect();
    pushed(&server, &tickets.iter().collect::<Vec<_>>(), &[]).await;

    // Waiting: only a call.
    for status in ["served", "no_show"] {
        let (code, message) = report(&server, "m1", status).await;
        assert_eq!(code, StatusCode::CONFLICT, "waiting -> {status}");
        assert!(message.contains("still waiting"), "{message}");
    }
    // Called: called again, then served; or no-show.
    let dkc = (COUNTER_TOKEN, "Loket 2");
    for (id, steps) in [
        ("m1", &["called", "called", "served"][..]),
        ("m2", &["called", "no_show"]),
    ] {
        counter_steps(&server, dkc, &counter_path(KIOSK, id), steps).await;
    }
    // Served and no-show are the end.
    for (id, done) in [("m1", "served"), ("m2", "no_show")] {
        for status in ["called", "served", "no_show"] {
            let (code, message) = report(&server, id, status).await;
            assert_eq!(code, StatusCode::CONFLICT, "{done} -> {status}");
            assert!(message.contains(&format!("already {done}")), "{message}");
        }
    }
    let (_, html) = genuine_page(&server, "m1").await;
    assert!(
        html.contains("Sudah dilayani"),
        "served stays served: {html}"
    );

    // The legacy path keeps the same rules.
    let legacy = counter(&server, COUNTER_TOKEN, "m3", "served").await;
    assert_eq!(legacy, StatusCode::CONFLICT);
    let by_id = "/api/v1/counter/tickets/m3";
    counter_steps(&server, dkc, by_id, &["called", "served"]).await;
}

#[tokio::test]
async fn voided_tickets_and_tickets_of_another_day_cannot_be_called_or_served() {
    let server = Server::start();
    let voided = ticket(KIOSK, "v1", 1, Lane::Regular, 1);
    let mut yesterday = ticket(KIOSK, "y1", 2, Lane::Regular, 2);
    yesterday.business_day = today() - TimeDelta::days(1);
    yesterday.issued_at -= TimeDelta::days(1);
    pushed(&server, &[&voided, &yesterday], &[&voided]).await;
    for status in ["called", "served", "no_show"] {
        let (code, message) = report(&server, "v1", status).await;
        assert_eq!(code, StatusCode::CONFLICT, "voided -> {status}");
        assert!(message.contains("voided"), "{message}");
        let (code, message) = report(&server, "y1", status).await;
        assert_eq!(code, StatusCode::CONFLICT, "yesterday -> {status}");
        assert!(
            message.contains(&yesterday.business_day.to_string()) && message.contains("today"),
            "{message}"
        );
    }
    let (_, html) = genuine_page(&server, "v1").await;
    assert!(html.contains("Tiket dibatalkan"), "{html}");
}

#[tokio::test]
async fn the_point_shown_to_the_visitor_comes_from_the_credentials_list() {
    let server = Server::start();
    let waiting = ticket(KIOSK, "p1", 1, Lane::Regular, 1);
    pushed(&server, &[&waiting], &[]).await;
    for point in ["Loket 9", "Loket 9 - bayar Rp50.000 di kasir", "loket 1"] {
        let response = call(&server, COUNTER_TOKEN, "p1", point).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{point}");
        let message = error_of(response).await;
        assert!(
            message.contains("Loket 1, Loket 2, Loket 3, Loket 4") && message.contains("points"),
            "{message}"
        );
    }
    let (_, html) = genuine_page(&server, "p1").await;
    assert!(
        html.contains("Menunggu"),
        "nothing reached the visitor: {html}"
    );
    assert!(!html.contains("Rp50.000"), "{html}");

    let response = call(&server, COUNTER_TOKEN, "p1", " Loket 3 ").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (_, html) = genuine_page(&server, "p1").await;
    assert!(html.contains("Nomor Anda dipanggil — Loket 3"), "{html}");
}

#[tokio::test]
async fn a_counter_of_another_queue_is_refused_and_reports_keep_their_credential() {
    let server = Server::start();
    let dkc = ticket(KIOSK, "q1", 1, Lane::Regular, 1);
    let mut skc = ticket(KIOSK, "q2", 1, Lane::Regular, 2);
    skc.queue = "SKC".into();
    skc.number = "SKC-001".into();
    pushed(&server, &[&dkc, &skc], &[]).await;

    let response = call(&server, COUNTER_TOKEN, "q2", "Loket 2").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let message = error_of(response).await;
    assert!(
        message.contains("queue SKC") && message.contains("queues"),
        "{message}"
    );
    let response = call(&server, OTHER_COUNTER_TOKEN, "q1", "Loket 9").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(error_of(response).await.contains("queue DKC"));
    let response = call(&server, OTHER_COUNTER_TOKEN, "q2", "Loket 2").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "not its point");

    let response = call(&server, OTHER_COUNTER_TOKEN, "q2", "Loket 9").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = call(&server, COUNTER_TOKEN, "q1", "Loket 4").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    let database = rusqlite::Connection::open_with_flags(
        server.path("central.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("the server's database");
    let mut statement = database
        .prepare("SELECT ticket_id, status, counter, credential FROM counter_reports ORDER BY id")
        .expect("query");
    let kept: Vec<(String, String, String, String)> = statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    let expected = [
        ("q2", "called", "Loket 9", "Loket SKC"),
        ("q1", "called", "Loket 4", "Loket 1-4"),
    ]
    .map(|(a, b, c, d)| (a.to_owned(), b.to_owned(), c.to_owned(), d.to_owned()));
    assert_eq!(kept, expected, "refused reports are not kept as reports");
}
