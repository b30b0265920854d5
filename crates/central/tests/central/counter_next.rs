//! `POST /api/v1/counter/next` against a real `mpp-central`: the priority lane first, then the
//! earliest issued, across the point's queues; 204 when nobody waits; two points pressing
//! together never get the same visitor, and a point's double press is one call. On a fixed
//! morning of the server's clock, so the test does not depend on the hour it runs at.

use chrono::{NaiveDate, TimeDelta};
use mpp_core::numbering::Lane;
use mpp_core::protocol::Called;
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_testkit::central::*;
use reqwest::StatusCode;

/// [`KIOSK`]'s ticket `id` of `queue` on the fixed day, issued `minute` minutes after 08:00.
fn waiting(id: &str, queue: &str, lane: Lane, minute: i64) -> Ticket {
    let mut ticket = ticket(KIOSK, id, 1, lane, minute);
    ticket.business_day = MORNING_DAY.parse::<NaiveDate>().expect("day");
    ticket.issued_at = morning() + TimeDelta::minutes(minute);
    ticket.queue = queue.into();
    ticket.number = format!("{queue}-{id}");
    ticket
}

async fn pushed(server: &Server, tickets: &[Ticket], voided: &[&str]) {
    let mut events: Vec<_> = tickets
        .iter()
        .enumerate()
        .map(|(n, ticket)| event(n as i64 + 1, ticket, TicketStatus::Printed))
        .collect();
    for id in voided {
        let ticket = tickets
            .iter()
            .find(|t| t.id.as_str() == *id)
            .expect("ticket");
        events.push(event(events.len() as i64 + 1, ticket, TicketStatus::Voided));
    }
    let (status, outcome) = push(server, &batch(KIOSK, events)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
}

/// "Next" at `point` of [`COUNTER_TOKEN`] (queues DKC and KTP): the id called, or `None` on 204.
async fn next(server: &Server, point: &str) -> Option<String> {
    let body = serde_json::json!({ "counter": point });
    let response = post_as(server, "/api/v1/counter/next", COUNTER_TOKEN, &body).await;
    match response.status() {
        StatusCode::OK => {
            let called: Called = response.json().await.expect("a call");
            assert_eq!(called.counter, point);
            Some(called.ticket.id.to_string())
        }
        StatusCode::NO_CONTENT => None,
        other => panic!("next at {point}: {other} {}", error_of(response).await),
    }
}

async fn served(server: &Server, id: &str, point: &str) {
    counter_steps(
        server,
        (COUNTER_TOKEN, point),
        &counter_path(KIOSK, id),
        &["served"],
    )
    .await;
}

#[tokio::test]
async fn next_calls_the_priority_lane_first_then_the_earliest_across_the_points_queues() {
    let server = Server::builder().now(morning()).start();
    assert_eq!(next(&server, "Loket 1").await, None, "nobody waits yet");
    let tickets = [
        waiting("r1", "DKC", Lane::Regular, 1),
        waiting("r2", "DKC", Lane::Regular, 2),
        waiting("p3", "DKC", Lane::Priority, 3),
        waiting("k0", "KTP", Lane::Regular, 0),
        waiting("v4", "DKC", Lane::Priority, 4),
        // Not this token's queue: never called by it.
        waiting("s0", "SKC", Lane::Priority, 0),
    ];
    pushed(&server, &tickets, &["v4"]).await;
    let mut order = Vec::new();
    while let Some(id) = next(&server, "Loket 1").await {
        served(&server, &id, "Loket 1").await;
        order.push(id);
    }
    assert_eq!(
        order,
        ["p3", "k0", "r1", "r2"],
        "the voided and SKC tickets are left"
    );
}

#[tokio::test]
async fn a_double_press_is_one_call_and_two_points_never_share_a_visitor() {
    let server = Server::builder().now(morning()).start();
    let tickets: Vec<Ticket> = (1..=30)
        .map(|n| waiting(&format!("t{n:02}"), "DKC", Lane::Regular, n))
        .collect();
    pushed(&server, &tickets, &[]).await;
    // Twenty presses at each of two points, all at once.
    let mut presses = tokio::task::JoinSet::new();
    for _ in 0..20 {
        for point in ["Loket 1", "Loket 2"] {
            let server_url = server.url("");
            presses.spawn(async move {
                let body = serde_json::json!({ "counter": point });
                let response = client()
                    .post(format!("{server_url}/api/v1/counter/next"))
                    .bearer_auth(COUNTER_TOKEN)
                    .json(&body)
                    .send()
                    .await
                    .expect("next");
                assert_eq!(response.status(), StatusCode::OK);
                let called: Called = response.json().await.expect("a call");
                (point, called.ticket.id.to_string())
            });
        }
    }
    let mut by_point = std::collections::BTreeMap::<&str, Vec<String>>::new();
    while let Some(press) = presses.join_next().await {
        let (point, id) = press.expect("press");
        by_point.entry(point).or_default().push(id);
    }
    let first: Vec<&String> = by_point.values().map(|ids| &ids[0]).collect();
    for (point, ids) in &by_point {
        assert!(
            ids.iter().all(|id| id == &ids[0]),
            "{point}: one call, {ids:?}"
        );
    }
    assert_ne!(first[0], first[1], "two points, two visitors");
    let mut called: Vec<&str> = first.iter().map(|id| id.as_str()).collect();
    called.sort();
    assert_eq!(called, ["t01", "t02"], "the two earliest, nobody skipped");
    // Once served, the point's next press calls the next visitor.
    served(&server, first[0], "Loket 1").await;
    assert_eq!(next(&server, "Loket 1").await.as_deref(), Some("t03"));
}

#[tokio::test]
async fn next_names_what_is_wrong_with_the_point() {
    let server = Server::builder().now(morning()).start();
    for (point, status, says) in [
        ("Loket 99", StatusCode::FORBIDDEN, "calls visitors only to"),
        (
            "  ",
            StatusCode::UNPROCESSABLE_ENTITY,
            "must name the counter point",
        ),
    ] {
        let body = serde_json::json!({ "counter": point });
        let response = post_as(&server, "/api/v1/counter/next", COUNTER_TOKEN, &body).await;
        assert_eq!(response.status(), status, "{point:?}");
        let message = error_of(response).await;
        assert!(message.contains(says), "{point:?}: {message}");
    }
    let body = serde_json::json!({ "counter": "Loket 1" });
    let response = post_as(&server, "/api/v1/counter/next", KIOSK_TOKEN, &body).await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "a kiosk cannot call"
    );
}

/// Twenty points, each with its own credential, serving the same two queues.
fn twenty_points() -> String {
    (1..=20)
        .map(|n| {
            format!(
                "[[counter]]\nname = \"P{n}\"\ntoken_sha256 = \"{}\"\npoints = [\"P{n}\"]\n\
                 queues = [\"DKC\", \"KTP\"]\n",
                mpp_testkit::sha256_hex(&format!("point-{n:02}-token-0123456789abcdef"))
            )
        })
        .collect()
}

#[tokio::test]
async fn twenty_points_pressing_at_once_for_200_rounds_call_everyone_once_in_order() {
    const POINTS: usize = 20;
    const ROUNDS: usize = 200;
    let server = Server::builder()
        .now(morning())
        .extra(&twenty_points())
        .start();
    // 4,000 visitors over two queues, one in seven in the priority lane, issued a second apart
    // (a fixed pattern: the test never depends on chance).
    let tickets: Vec<Ticket> = (0..POINTS * ROUNDS)
        .map(|n| {
            let queue = if n % 3 == 0 { "KTP" } else { "DKC" };
            let lane = if n % 7 == 0 {
                Lane::Priority
            } else {
                Lane::Regular
            };
            let mut ticket = waiting(&format!("v{n:04}"), queue, lane, 0);
            ticket.issued_at = morning() + TimeDelta::seconds(n as i64);
            ticket.sequence = n as u32 + 1;
            ticket
        })
        .collect();
    for chunk in tickets.chunks(250) {
        let events = chunk
            .iter()
            .map(|ticket| event(1, ticket, TicketStatus::Printed))
            .collect();
        let (status, outcome) = push(&server, &batch(KIOSK, events)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    }
    // The order "next" must follow: every priority ticket first, then by issue time.
    let mut expected: Vec<&Ticket> = tickets.iter().collect();
    expected.sort_by_key(|ticket| (ticket.lane != Lane::Priority, ticket.issued_at));
    let mut called_so_far = std::collections::HashSet::new();
    for round in 0..ROUNDS {
        let mut presses = tokio::task::JoinSet::new();
        for n in 1..=POINTS {
            let url = server.url("/api/v1/counter/next");
            presses.spawn(async move {
                let point = format!("P{n}");
                let token = format!("point-{n:02}-token-0123456789abcdef");
                let body = serde_json::json!({ "counter": point });
                let response = client()
                    .post(url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .expect("next");
                assert_eq!(response.status(), StatusCode::OK, "{point}");
                let called: Called = response.json().await.expect("a call");
                (point, token, called.ticket.id.to_string())
            });
        }
        let mut this_round = Vec::new();
        while let Some(press) = presses.join_next().await {
            this_round.push(press.expect("press"));
        }
        let mut ids: Vec<&str> = this_round.iter().map(|(_, _, id)| id.as_str()).collect();
        ids.sort();
        let mut wanted: Vec<&str> = expected[round * POINTS..(round + 1) * POINTS]
            .iter()
            .map(|ticket| ticket.id.as_str())
            .collect();
        wanted.sort();
        assert_eq!(
            ids, wanted,
            "round {round}: the next twenty, each called once"
        );
        // Each point serves its visitor, all at once too.
        let mut served = tokio::task::JoinSet::new();
        for (point, token, id) in this_round {
            assert!(called_so_far.insert(id.clone()), "{id} called twice");
            let url = server.url(&counter_path(KIOSK, &id));
            served.spawn(async move {
                let body = serde_json::json!({ "status": "served", "counter": point });
                let answer = client()
                    .post(url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                assert_eq!(answer.expect("served").status(), StatusCode::NO_CONTENT);
            });
        }
        while let Some(done) = served.join_next().await {
            done.expect("served");
        }
    }
    assert_eq!(called_so_far.len(), POINTS * ROUNDS, "nobody skipped");
    assert_eq!(next(&server, "Loket 1").await, None, "nobody left");
}
