//! The central server as a real process on a free port with its own SQLite file: tokens,
//! idempotent batches and conflicts, crash and retry, body limits and malformed JSON, catalog
//! ETags and broken files, heartbeats on the fleet page, counters, and the QR ticket page.

use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::protocol::Heartbeat;
use mpp_core::ticket::TicketStatus;
use mpp_testkit::central::*;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, ETAG};
use serde_json::json;

const HEARTBEAT: &str = "/api/v1/heartbeat";

#[tokio::test]
async fn tokens_are_required_and_kiosks_speak_only_for_themselves() {
    let server = Server::start();
    let health = get(&server, "/api/v1/health").await;
    assert_eq!(health.status(), StatusCode::OK);
    let health: serde_json::Value = health.json().await.expect("json");
    assert_eq!(health, json!({"status": "ok"}));

    let sample = one(KIOSK, 1, "a1");
    let missing = client()
        .post(server.url("/api/v1/events"))
        .json(&sample)
        .send()
        .await
        .expect("send");
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert!(missing.headers().contains_key("www-authenticate"));
    assert!(error_of(missing).await.contains("Bearer"));
    for token in ["wrong-token", COUNTER_TOKEN, ADMIN_TOKEN] {
        let refused = post_events(&server, token, &sample).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{token}");
        assert!(error_of(refused).await.contains("unknown kiosk token"));
    }
    assert_eq!(push(&server, &sample).await.0, StatusCode::OK);

    let pretending = post_events(&server, KIOSK_TOKEN, &one(OTHER_KIOSK, 2, "b1")).await;
    assert_eq!(pretending.status(), StatusCode::FORBIDDEN);
    let mut foreign = one(OTHER_KIOSK, 2, "b1");
    foreign.kiosk = KIOSK.into();
    // Another kiosk's ticket in an honest batch: that one event is refused, not the batch.
    let (status, outcome) = push(&server, &foreign).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(outcome.refused[0].event_id, 2);
    assert!(outcome.refused[0].reason.contains("events[0].ticket.kiosk"));

    let unknown = get(&server, "/api/v2/nothing").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(error_of(unknown).await.contains("/api/v1"));
    let wrong_method = get(&server, "/api/v1/events").await;
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    error_of(wrong_method).await;
}

#[tokio::test]
async fn batches_are_idempotent_and_conflicts_are_kept_aside() {
    let server = Server::start();
    let first = ticket(KIOSK, "c1", 1, Lane::Regular, 0);
    let second = ticket(KIOSK, "c2", 2, Lane::Regular, 1);
    let events = vec![
        event(1, &first, TicketStatus::Issued),
        event(2, &first, TicketStatus::Printed),
        event(3, &second, TicketStatus::Issued),
    ];
    let (status, outcome) = push(&server, &batch(KIOSK, events.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(outcome.accepted, [1, 2, 3]);
    let (status, outcome) = push(&server, &batch(KIOSK, events.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (outcome.accepted.len(), outcome.duplicates),
        (0, vec![1, 2, 3])
    );

    let mut changed = events[1].clone();
    changed.reason = Some("rewritten history".into());
    let fresh = event(4, &second, TicketStatus::Printed);
    let (status, outcome) = push(&server, &batch(KIOSK, vec![changed.clone(), fresh])).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(outcome.conflicts, [2]);
    assert_eq!(
        outcome.accepted,
        [4],
        "the rest of a conflicting batch is stored"
    );
    let (status, _) = push(&server, &batch(KIOSK, vec![changed])).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a retried conflict is still one"
    );

    let html = fleet(&server).await;
    let row = html
        .split("<tr data-kiosk=\"KIOSK-T1\"")
        .nth(1)
        .expect("a row for the kiosk");
    assert!(row.contains(" data-col=\"conflicts\">1</td>"), "{row}");
    assert!(row.contains(" data-col=\"tickets\">2</td>"), "{row}");
    assert_eq!(waiting(&queues(&server).await, "DKC"), (2, 0));
}

#[tokio::test]
async fn a_killed_server_keeps_every_committed_batch_and_a_resent_one_is_duplicates() {
    let mut server = Server::start();
    let numbered = |range: std::ops::Range<i64>, prefix: &str| -> Vec<_> {
        range
            .map(|n| {
                let ticket = ticket(
                    KIOSK,
                    &format!("{prefix}{n}"),
                    n as u32,
                    Lane::Regular,
                    n % 600,
                );
                event(n, &ticket, TicketStatus::Printed)
            })
            .collect()
    };
    let events = numbered(1..21, "k");
    assert_eq!(
        push(&server, &batch(KIOSK, events.clone())).await.0,
        StatusCode::OK
    );
    server.restart();
    assert_eq!(waiting(&queues(&server).await, "DKC"), (20, 0));
    let (status, outcome) = push(&server, &batch(KIOSK, events)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((outcome.accepted.len(), outcome.duplicates.len()), (0, 20));

    // Killed in the middle of a large batch: after a restart the batch is all there or not at
    // all. A batch of the same size, timed first, tells when "the middle" is.
    let started = std::time::Instant::now();
    let (status, _) = push(&server, &batch(KIOSK, numbered(2000..3000, "warm"))).await;
    assert_eq!(status, StatusCode::OK);
    let full = started.elapsed();
    let big = batch(KIOSK, numbered(100..1100, "big"));
    let sending = tokio::spawn({
        let url = server.url("/api/v1/events");
        let body = big.clone();
        async move {
            let request = client()
                .post(url)
                .header(AUTHORIZATION, bearer(KIOSK_TOKEN));
            request.json(&body).send().await
        }
    });
    tokio::time::sleep(full.mul_f64(0.5 + fastrand::f64())).await;
    server.kill();
    let _ = sending.await;
    server.restart();
    let (status, outcome) = push(&server, &big).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(outcome.accepted.len() + outcome.duplicates.len(), 1000);
    assert!(
        outcome.accepted.is_empty() || outcome.duplicates.is_empty(),
        "half a batch was committed: {} new, {} known",
        outcome.accepted.len(),
        outcome.duplicates.len()
    );
}

#[tokio::test]
async fn oversized_malformed_and_mistyped_bodies_are_refused_with_a_reason() {
    let server = Server::start();
    let post = |body: Vec<u8>, content_type: &'static str| {
        client()
            .post(server.url("/api/v1/events"))
            .header(AUTHORIZATION, bearer(KIOSK_TOKEN))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
    };
    let mut huge = br#"{"kiosk":"KIOSK-T1","events":[],"padding":""#.to_vec();
    huge.extend(std::iter::repeat_n(b'x', 3 << 19));
    huge.extend(br#""}"#);
    let response = post(huge, "application/json").await.expect("send");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(error_of(response).await.contains("larger than"));

    let bad_request = StatusCode::BAD_REQUEST;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let cases = [
        (
            r#"{"kiosk":"KIOSK-T1","events":["#,
            bad_request,
            "not valid JSON",
        ),
        ("", bad_request, "empty"),
        (
            r#"{"kiosk":"KIOSK-T1","events":[]} {}"#,
            bad_request,
            "trailing",
        ),
        (
            r#"{"kiosk":"KIOSK-T1","events":[{"event_id":"one"}]}"#,
            unprocessable,
            "events[0].event_id",
        ),
        (
            r#"{"kiosk":"KIOSK-T1","events":[],"extra":1}"#,
            unprocessable,
            "unknown field `extra`",
        ),
        (
            r#"{"kiosk":"KIOSK-T1"}"#,
            unprocessable,
            "missing field `events`",
        ),
    ];
    for (body, expected, words) in cases {
        let response = post(body.into(), "application/json").await.expect("send");
        assert_eq!(response.status(), expected, "{body}");
        let message = error_of(response).await;
        assert!(message.contains(words), "{body}: {message}");
    }
    let response = post(b"{}".to_vec(), "text/plain").await.expect("send");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let mut sneaky = one(KIOSK, 1, "x");
    sneaky.events[0].ticket.id = "<script>".into();
    let (status, outcome) = push(&server, &sneaky).await;
    assert_eq!(status, StatusCode::OK);
    assert!(outcome.accepted.is_empty() && outcome.refused[0].reason.contains("ticket.id"));
    assert_eq!(
        get(&server, "/api/v1/health").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_catalog_is_cached_by_etag_and_a_broken_file_keeps_the_last_valid_one() {
    let mut server = Server::start();
    let response = get_catalog(&server, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()[ETAG].to_str().expect("etag").to_owned();
    assert_eq!(etag, "\"v3\"");
    let json = response.text().await.expect("body");
    let catalog = mpp_core::catalog_json::parse(&json, "served").expect("a valid catalog");
    assert_eq!(catalog.version, 3);
    let unchanged = get_catalog(&server, Some(&etag)).await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert!(unchanged.bytes().await.expect("body").is_empty());
    let stale = get_catalog(&server, Some("\"v2\"")).await;
    assert_eq!(stale.status(), StatusCode::OK);

    std::fs::copy(BROKEN_CATALOG, server.path("catalog.json")).expect("break the file");
    let response = get_catalog(&server, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[ETAG], "\"v3\"");
    let html = fleet(&server).await;
    assert!(
        html.contains("25:70"),
        "the fleet page says why the file is refused"
    );

    server.restart();
    let response = get_catalog(&server, None).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the last valid one survives a restart"
    );
}

#[tokio::test]
async fn a_first_start_with_a_broken_catalog_answers_503_until_the_file_is_fixed() {
    let server = Server::builder().catalog(BROKEN_CATALOG).start();
    let response = get_catalog(&server, None).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(error_of(response).await.contains("no valid catalog"));
    std::fs::copy(SMALL_CATALOG, server.path("catalog.json")).expect("fix the file");
    assert_eq!(get_catalog(&server, None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_heartbeat_shows_on_the_fleet_page_for_the_admin_only() {
    let server = Server::start();
    let now = chrono::Utc::now();
    let heartbeat = Heartbeat {
        kiosk: KIOSK.into(),
        version: "0.1.0-test".into(),
        printer: PrinterState::PaperOut,
        outbox_unsent: 5,
        oldest_unsent: Some(now - chrono::TimeDelta::minutes(2)),
        catalog_version: 3,
        at: now,
        day_doubt: None,
    };
    let response = post_as(&server, HEARTBEAT, KIOSK_TOKEN, &heartbeat).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = post_as(&server, HEARTBEAT, OTHER_KIOSK_TOKEN, &heartbeat).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    assert_eq!(
        get(&server, "/fleet").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let wrong = get_as(&server, "/fleet", "wrong").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let by_header = get_as(&server, "/fleet", ADMIN_TOKEN).await;
    assert_eq!(by_header.status(), StatusCode::OK);
    let html = fleet(&server).await;
    let row = html
        .split("<tr data-kiosk=\"KIOSK-T1\"")
        .nth(1)
        .expect("row");
    assert!(
        row.contains("Kertas printer habis")
            && !row.contains("paper_out")
            && row.contains("0.1.0-test"),
        "{row}"
    );
    assert!(row.contains(" data-col=\"unsent\">5</td>"), "{row}");
    assert!(row.contains(" data-col=\"oldest\">2 min</td>"), "{row}");
    assert!(row.contains(" data-col=\"catalog\">v3</td>"), "{row}");
    let silent = html
        .split("<tr data-kiosk=\"KIOSK-T2\"")
        .nth(1)
        .expect("row");
    assert!(silent.contains("never"), "{silent}");
}

#[tokio::test]
async fn counters_move_tickets_out_of_the_queue_and_the_ahead_count_drops() {
    let server = Server::start();
    let regular1 = ticket(KIOSK, "q1", 1, Lane::Regular, 0);
    let priority1 = ticket(KIOSK, "q2", 1, Lane::Priority, 1);
    let regular2 = ticket(KIOSK, "q3", 2, Lane::Regular, 2);
    let voided = ticket(KIOSK, "q4", 3, Lane::Regular, 3);
    let regular4 = ticket(KIOSK, "q5", 4, Lane::Regular, 4);
    let events = vec![
        event(1, &regular1, TicketStatus::Printed),
        event(2, &priority1, TicketStatus::Printed),
        event(3, &regular2, TicketStatus::Printed),
        event(4, &voided, TicketStatus::Printed),
        event(5, &voided, TicketStatus::Voided),
        event(6, &regular4, TicketStatus::Printed),
    ];
    assert_eq!(push(&server, &batch(KIOSK, events)).await.0, StatusCode::OK);
    let report = queues(&server).await;
    assert_eq!(waiting(&report, "DKC"), (3, 1));
    assert_eq!(
        waiting(&report, "SKC"),
        (0, 0),
        "every catalog queue is listed"
    );
    let (status, html) = genuine_page(&server, "q5").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ahead(&html), 3, "regular tickets count priority ones too");
    assert_eq!(ahead(&genuine_page(&server, "q2").await.1), 0);

    let called = counter(&server, COUNTER_TOKEN, "q1", "called").await;
    assert_eq!(called, StatusCode::NO_CONTENT);
    let served = counter(&server, COUNTER_TOKEN, "q1", "served").await;
    assert_eq!(served, StatusCode::NO_CONTENT);
    assert_eq!(waiting(&queues(&server).await, "DKC"), (2, 1));
    assert_eq!(ahead(&genuine_page(&server, "q5").await.1), 2);
    assert!(
        genuine_page(&server, "q1")
            .await
            .1
            .contains("Sudah dilayani")
    );

    let called = counter(&server, COUNTER_TOKEN, "q2", "called").await;
    assert_eq!(called, StatusCode::NO_CONTENT);
    let (_, html) = genuine_page(&server, "q2").await;
    assert!(
        html.contains("Nomor Anda dipanggil — Loket 2")
            && html.contains("Your number is called — Loket 2")
    );
    let missed = counter(&server, COUNTER_TOKEN, "q2", "no_show").await;
    assert_eq!(missed, StatusCode::NO_CONTENT);
    assert_eq!(waiting(&queues(&server).await, "DKC"), (2, 0));
    assert_eq!(ahead(&genuine_page(&server, "q5").await.1), 1);

    let refusals = [
        (COUNTER_TOKEN, "nobody", "served", StatusCode::NOT_FOUND),
        (KIOSK_TOKEN, "q3", "served", StatusCode::UNAUTHORIZED),
        (
            COUNTER_TOKEN,
            "q3",
            "finished",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (token, id, status, expected) in refusals {
        assert_eq!(
            counter(&server, token, id, status).await,
            expected,
            "{id} {status}"
        );
    }
    let bad_day = get_as(&server, "/api/v1/queues?day=23-11-2026", KIOSK_TOKEN).await;
    assert_eq!(bad_day.status(), StatusCode::BAD_REQUEST);
    assert!(error_of(bad_day).await.contains("YYYY-MM-DD"));
}

#[tokio::test]
async fn an_unknown_field_inside_a_ticket_is_refused() {
    let server = Server::start();
    let mut body = serde_json::to_value(one(KIOSK, 1, "u1")).expect("json");
    body["events"][0]["ticket"]["extra"] = json!("smuggled");
    let response = post_events(&server, KIOSK_TOKEN, &body).await;
    let status = response.status();
    assert!(
        status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
        "{status}"
    );
    let message = error_of(response).await;
    assert!(message.contains("unknown field `extra`"), "{message}");
    let (status, outcome) = push(&server, &one(KIOSK, 1, "u1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(outcome.accepted, [1], "the refused event was not stored");
}

#[tokio::test]
async fn instants_and_days_far_from_the_servers_clock_are_refused_by_field() {
    use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
    use mpp_core::protocol::TicketEvent;

    let server = Server::start();
    let id = "0192f0c2-eeee-7000-8000-000000000001";
    let now = Utc::now();
    let changed = |change: &dyn Fn(&mut TicketEvent)| {
        let mut event = event(
            1,
            &ticket(KIOSK, id, 1, Lane::Regular, 0),
            TicketStatus::Printed,
        );
        change(&mut event);
        batch(KIOSK, vec![event])
    };
    let at_edge = changed(&|event| event.ticket.issued_at = DateTime::<Utc>::MAX_UTC);
    let before_time = changed(&|event| event.ticket.issued_at = DateTime::<Utc>::MIN_UTC);
    let ahead = changed(&|event| event.ticket.issued_at = now + TimeDelta::days(3));
    let stale = changed(&|event| event.ticket.issued_at = now - TimeDelta::days(401));
    let last_day = changed(&|event| event.ticket.business_day = NaiveDate::MAX);
    let later_day = changed(&|event| event.ticket.business_day = today() + TimeDelta::days(2));
    let event_at_edge = changed(&|event| event.at = DateTime::<Utc>::MAX_UTC);
    let cases = [
        (at_edge, "events[0].ticket.issued_at", "ahead of"),
        (before_time, "events[0].ticket.issued_at", "behind"),
        (ahead, "events[0].ticket.issued_at", "ahead of"),
        (stale, "events[0].ticket.issued_at", "behind"),
        (last_day, "events[0].ticket.business_day", "1 day"),
        (later_day, "events[0].ticket.business_day", "1 day"),
        (event_at_edge, "events[0].at", "ahead of"),
    ];
    for (body, field, words) in cases {
        let (status, outcome) = push(&server, &body).await;
        assert_eq!(status, StatusCode::OK, "{field}");
        assert!(outcome.accepted.is_empty(), "{field}");
        let message = &outcome.refused[0].reason;
        assert!(
            message.contains(field) && message.contains(words),
            "{message}"
        );
    }
    // None was stored: the page of the extreme ticket cannot exist.
    let (status, html) = genuine_page(&server, id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("not reached the server"), "{html}");

    let heartbeat = Heartbeat {
        kiosk: KIOSK.into(),
        version: "0.1.0-test".into(),
        printer: PrinterState::Ready,
        outbox_unsent: 0,
        oldest_unsent: None,
        catalog_version: 3,
        at: DateTime::<Utc>::MAX_UTC,
        day_doubt: None,
    };
    // An answer, not a dropped connection.
    let response = post_as(&server, HEARTBEAT, KIOSK_TOKEN, &heartbeat).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(response).await.contains("`at`"));

    // A kiosk a day ahead or months behind is still believed.
    let day_ahead = changed(&|event| {
        event.ticket.issued_at = now + TimeDelta::days(1);
        event.ticket.business_day = today() + TimeDelta::days(1);
        event.at = event.ticket.issued_at;
    });
    assert_eq!(push(&server, &day_ahead).await.0, StatusCode::OK);
    let (status, html) = genuine_page(&server, id).await;
    assert_eq!(status, StatusCode::OK, "{html}");
}
