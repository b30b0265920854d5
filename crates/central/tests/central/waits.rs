//! Wait estimates against a real `mpp-central` (both backends), on a fixture morning worked out
//! by hand: two clerks serve DKC at Loket 1 and 2, four visitors take 4, 6, 8 and 6 minutes at
//! the counter, the server's clock moved on by restarting it later. The queue's pace goes to the
//! kiosks (`/api/v1/queues?estimates=1`) and the phone page shows the wait; with too few
//! served, or a point paused, the figures follow.

use chrono::{DateTime, TimeDelta, Utc};
use mpp_core::numbering::Lane;
use mpp_core::protocol::{Called, QueueReport};
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_testkit::central::*;
use reqwest::StatusCode;

/// `minutes` after 08:00 WIB on the fixture day.
fn at(minutes: i64) -> DateTime<Utc> {
    morning() + TimeDelta::minutes(minutes)
}

/// Twelve DKC tickets issued 08:00 to 08:11, `t00` to `t11`.
fn twelve() -> Vec<Ticket> {
    (0..12)
        .map(|minute| issued_at_minute(&format!("t{minute:02}"), "DKC", Lane::Regular, minute))
        .collect()
}

pub(crate) async fn next(server: &Server, point: &str) -> String {
    let body = serde_json::json!({ "counter": point });
    let response = post_as(server, "/api/v1/counter/next", COUNTER_TOKEN, &body).await;
    assert_eq!(response.status(), StatusCode::OK, "next at {point}");
    let called: Called = response.json().await.expect("a call");
    called.ticket.id.to_string()
}

async fn served(server: &Server, id: &str, point: &str) {
    let path = counter_path(KIOSK, id);
    counter_steps(server, (COUNTER_TOKEN, point), &path, &["served"]).await;
}

/// DKC's pace as a kiosk that asks for estimates hears it.
async fn dkc_pace(server: &Server) -> Option<u32> {
    let path = format!("/api/v1/queues?day={MORNING_DAY}&estimates=1");
    let report: QueueReport = get_as(server, &path, KIOSK_TOKEN)
        .await
        .json()
        .await
        .expect("a queue report");
    let dkc = report
        .queues
        .iter()
        .find(|queue| queue.queue.as_str() == "DKC");
    dkc.expect("DKC listed")
        .pace
        .map(|pace| pace.seconds_per_visitor)
}

/// The wait line of the page of `t11`.
async fn wait_line(server: &Server) -> String {
    let (status, html) = genuine_page(server, "t11").await;
    assert_eq!(status, StatusCode::OK);
    let start = html.find("class=\"wait\"").expect("a wait line");
    let end = start + html[start..].find("</p>").expect("end of the line");
    html[start..end].to_owned()
}

/// The server's clock ticks while the test runs (a second or so between a call and the
/// restart that finishes it): a pace within two seconds of the hand-worked one.
fn close_to(pace: Option<u32>, expected: u32) -> bool {
    pace.is_some_and(|pace| pace.abs_diff(expected) <= 2)
}

#[tokio::test]
async fn the_wait_follows_the_counters_service_times_and_the_points_serving() {
    let mut server = Server::builder().now(at(15)).start();
    let tickets = twelve();
    let events: Vec<_> = (tickets.iter().enumerate())
        .map(|(n, ticket)| event(n as i64 + 1, ticket, TicketStatus::Printed))
        .collect();
    let (status, outcome) = push(&server, &batch(KIOSK, events)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);

    // An older kiosk, which does not ask, gets the fields it knows and no more.
    let plain = get_as(
        &server,
        &format!("/api/v1/queues?day={MORNING_DAY}"),
        KIOSK_TOKEN,
    )
    .await;
    assert!(!plain.text().await.expect("json").contains("pace"));
    let bad = format!("/api/v1/queues?day={MORNING_DAY}&estimates=yes");
    let bad = get_as(&server, &bad, KIOSK_TOKEN).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(error_of(bad).await.contains("estimates \"yes\""));

    // 08:15: both points call. Nobody served yet: no pace, and the page says so.
    assert_eq!(next(&server, "Loket 1").await, "t00");
    assert_eq!(next(&server, "Loket 2").await, "t01");
    assert_eq!(dkc_pace(&server).await, None);
    assert!(wait_line(&server).await.contains("belum tersedia"));

    // 08:19: t00 took 4 minutes; 08:21: t01 took 6. Two service times: still no pace.
    server.restart_at(at(19));
    served(&server, "t00", "Loket 1").await;
    assert_eq!(next(&server, "Loket 1").await, "t02");
    server.restart_at(at(21));
    served(&server, "t01", "Loket 2").await;
    assert_eq!(next(&server, "Loket 2").await, "t03");
    assert_eq!(
        dkc_pace(&server).await,
        None,
        "two service times say nothing yet"
    );

    // 08:27: t02 took 8 minutes, t03 6. Times 4, 6, 8, 6 → median (6 + 6) / 2 = 6 min = 360 s,
    // two points active → 180 s a visitor.
    server.restart_at(at(27));
    served(&server, "t02", "Loket 1").await;
    assert_eq!(next(&server, "Loket 1").await, "t04");
    served(&server, "t03", "Loket 2").await;
    let pace = dkc_pace(&server).await;
    assert!(close_to(pace, 180), "{pace:?}");
    // t11 has t04 (at Loket 1) and t05 to t10 ahead: 7 × 180 s = 21 min; 75 % = 15.75 → 15,
    // 125 % = 26.25 → 30.
    let line = wait_line(&server).await;
    assert!(
        line.contains("Perkiraan waktu tunggu: 15–30 menit"),
        "{line}"
    );
    assert!(line.contains("Expected wait: 15–30 minutes"), "{line}");

    // Loket 2 pauses for prayer: one point serves DKC → 360 s a visitor; 7 × 360 s = 42 min;
    // 31.5 → 30, 52.5 → 55.
    let clerk = Clerk::sign_in(&server).await;
    let (status, _, _) = clerk.post("Loket 2", "pause", "&reason=prayer").await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let pace = dkc_pace(&server).await;
    assert!(close_to(pace, 360), "{pace:?}");
    let line = wait_line(&server).await;
    assert!(line.contains("30–55 menit"), "{line}");

    // Called now: the page says where to go, in its title too, and shows no wait.
    server.restart_at(at(28));
    served(&server, "t04", "Loket 1").await;
    for _ in 5..=10 {
        let id = next(&server, "Loket 1").await;
        served(&server, &id, "Loket 1").await;
    }
    assert_eq!(next(&server, "Loket 1").await, "t11");
    let (_, html) = genuine_page(&server, "t11").await;
    assert!(html.contains("Nomor Anda dipanggil — Loket 1"), "{html}");
    assert!(
        html.contains("<title>DKC-011 · Dipanggil — Loket 1"),
        "{html}"
    );
    assert!(!html.contains("class=\"wait\""));
}
