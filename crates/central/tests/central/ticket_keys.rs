//! Tickets are the kiosk's and the id's together, on a real `mpp-central`: an id pushed by the
//! wrong kiosk never touches the genuine ticket, a pushed ticket must carry its kiosk's own
//! link signed with its key, links printed before the kiosk was signed still open, every link
//! that is not a ticket's gets one and the same answer, and counters name the kiosk.

use mpp_core::numbering::Lane;
use mpp_core::protocol::{BatchOutcome, EventBatch};
use mpp_core::ticket::{Ticket, TicketStatus, qr_payload, sign_legacy};
use mpp_testkit::central::*;
use reqwest::StatusCode;

const SHARED_ID: &str = "0192f0c2-aaaa-7000-8000-0000000000a1";

/// `ticket` printed, in a batch of its own (its kiosk's).
fn alone(event_id: i64, ticket: &Ticket) -> EventBatch {
    batch(
        &ticket.kiosk,
        vec![event(event_id, ticket, TicketStatus::Printed)],
    )
}

#[tokio::test]
async fn a_ticket_id_pushed_by_another_kiosk_never_touches_the_genuine_ticket() {
    let server = Server::start();
    let genuine = ticket(KIOSK, SHARED_ID, 4, Lane::Regular, 0);
    push_printed(&server, &[genuine]).await;

    // The intruder's own ticket with the same id, honestly signed, voided: kept as its own.
    let theirs = ticket(OTHER_KIOSK, SHARED_ID, 9, Lane::Regular, 1);
    let voided = batch(OTHER_KIOSK, vec![event(7, &theirs, TicketStatus::Voided)]);
    let response = post_events(&server, OTHER_KIOSK_TOKEN, &voided).await;
    assert_eq!(response.status(), StatusCode::OK);
    let outcome: BatchOutcome = response.json().await.expect("outcome");
    assert_eq!(outcome.accepted, [7], "stored under its own kiosk");

    // Claiming the genuine kiosk, or carrying the genuine ticket's link, is refused.
    let mut claimed = ticket(KIOSK, SHARED_ID, 4, Lane::Regular, 0);
    claimed.status = TicketStatus::Voided;
    let mut copied = theirs.clone();
    copied.qr_payload = ticket(KIOSK, SHARED_ID, 4, Lane::Regular, 0).qr_payload;
    let attempts = batch(
        OTHER_KIOSK,
        vec![
            event(8, &claimed, TicketStatus::Voided),
            event(9, &copied, TicketStatus::Voided),
        ],
    );
    let response = post_events(&server, OTHER_KIOSK_TOKEN, &attempts).await;
    let outcome: BatchOutcome = response.json().await.expect("outcome");
    assert!(outcome.accepted.is_empty(), "{outcome:?}");
    let refused: Vec<_> = outcome.refused.iter().map(|r| r.event_id).collect();
    assert_eq!(refused, [8, 9]);
    assert!(outcome.refused[0].reason.contains("its own tickets"));
    assert!(outcome.refused[1].reason.contains("ticket.qr_payload"));

    let (status, html) = genuine_page(&server, SHARED_ID).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("DKC-004") && html.contains("Menunggu"),
        "{html}"
    );
    assert!(
        !html.contains("dibatalkan"),
        "the genuine ticket is not voided: {html}"
    );
    let their_link = theirs.qr_payload.split_once("/t/").expect("link").1;
    let (status, html) = page_at(&server, &format!("/t/{their_link}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("DKC-009") && html.contains("dibatalkan"),
        "{html}"
    );
}

#[tokio::test]
async fn a_pushed_ticket_signed_with_another_key_is_refused_with_the_reason() {
    let server = Server::start();
    let id = "0192f0c2-bbbb-7000-8000-0000000000b1";
    let mut foreign_key = ticket(KIOSK, id, 1, Lane::Regular, 0);
    foreign_key.qr_payload = qr_payload(QR_BASE, KIOSK, id, OTHER_SIGNING_KEY.as_bytes());
    let (status, outcome) = push(&server, &alone(1, &foreign_key)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(outcome.accepted.is_empty(), "{outcome:?}");
    let reason = &outcome.refused[0].reason;
    assert!(reason.contains("events[0].ticket.qr_payload"), "{reason}");
    assert!(
        reason.contains("ticket.signing_key") && reason.contains("mpp-central.toml"),
        "a technician knows which keys to compare: {reason}"
    );
    assert!(!reason.contains(SIGNING_KEY) && !reason.contains(OTHER_SIGNING_KEY));
    let html = fleet(&server).await;
    assert!(html.contains(" data-col=\"refused\">1</td>"), "{html}");

    // An older kiosk's legacy link, signed with the right key, is still taken.
    let legacy_id = "0192f0c2-bbbb-7000-8000-0000000000b2";
    let mut legacy = ticket(KIOSK, legacy_id, 2, Lane::Regular, 1);
    legacy.qr_payload = format!(
        "{QR_BASE}/t/{legacy_id}?s={}",
        legacy_signature(KIOSK, legacy_id)
    );
    let (_, outcome) = push(&server, &alone(2, &legacy)).await;
    assert_eq!(outcome.accepted, [2], "{outcome:?}");
    let mut legacy_wrong = legacy.clone();
    legacy_wrong.id = "0192f0c2-bbbb-7000-8000-0000000000b3".into();
    legacy_wrong.qr_payload = format!(
        "{QR_BASE}/t/{}?s={}",
        legacy_wrong.id,
        sign_legacy(&legacy_wrong.id, OTHER_SIGNING_KEY.as_bytes())
    );
    let (_, outcome) = push(&server, &alone(3, &legacy_wrong)).await;
    assert_eq!(outcome.refused[0].event_id, 3, "{outcome:?}");
}

#[tokio::test]
async fn a_legacy_link_still_opens_its_ticket_and_only_with_its_kiosks_key() {
    let server = Server::start();
    // One id printed by both kiosks before the change: each legacy link opens its own ticket.
    let mine = ticket(KIOSK, SHARED_ID, 3, Lane::Regular, 0);
    let theirs = ticket(OTHER_KIOSK, SHARED_ID, 8, Lane::Priority, 1);
    push_printed(&server, &[mine]).await;
    push_printed(&server, &[theirs]).await;
    let legacy = |kiosk| format!("/t/{SHARED_ID}?s={}", legacy_signature(kiosk, SHARED_ID));
    let (status, html) = page_at(&server, &legacy(KIOSK)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("DKC-003"), "{html}");
    let (status, html) = page_at(&server, &legacy(OTHER_KIOSK)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("DKC-P008"), "{html}");
    assert!(
        html.contains(&format!("href=\"/t/{SHARED_ID}?s=")),
        "the language switch keeps the legacy link: {html}"
    );
    // The current signature is no legacy one, and a legacy one opens no current link.
    let (status, _) = page_at(
        &server,
        &format!("/t/{SHARED_ID}?s={}", signature(SHARED_ID)),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = page(&server, SHARED_ID, &legacy_signature(KIOSK, SHARED_ID)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unknown_kiosk_a_bad_signature_and_an_unknown_ticket_answer_alike() {
    let server = Server::start();
    let id = "0192f0c2-cccc-7000-8000-0000000000c1";
    push_printed(&server, &[ticket(KIOSK, id, 1, Lane::Regular, 0)]).await;
    let good = signature(id);
    let altered = format!(
        "{}{}",
        if good.starts_with('0') { "1" } else { "0" },
        &good[1..]
    );
    let unknown = "0192f0c2-cccc-7000-8000-0000000000c2";
    let paths = [
        format!("/t/KIOSK-NOBODY/{id}?s={good}"),
        format!("/t/{KIOSK}/{id}?s={altered}"),
        format!("/t/{KIOSK}/{unknown}?s=0123456789abcdef"),
        format!("/t/{unknown}?s=0123456789abcdef"),
        format!("/t/{id}?s={altered}"),
        format!("/t/{KIOSK}/%3Cscript%3E?s={good}"),
    ];
    let (first_status, first_html) = page_at(&server, &paths[0]).await;
    assert_eq!(first_status, StatusCode::NOT_FOUND);
    assert!(first_html.contains("Not a valid ticket"), "{first_html}");
    for path in &paths[1..] {
        let (status, html) = page_at(&server, path).await;
        assert_eq!((status, &html), (first_status, &first_html), "{path}");
    }
    let (status, html) = genuine_page(&server, id).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the genuine link still opens: {html}"
    );
}

#[tokio::test]
async fn counters_name_the_kiosk_and_an_ambiguous_id_is_refused_with_the_way_out() {
    let server = Server::start();
    let single = "0192f0c2-dddd-7000-8000-0000000000d1";
    push_printed(&server, &[ticket(KIOSK, single, 1, Lane::Regular, 0)]).await;
    assert_eq!(
        counter(&server, COUNTER_TOKEN, single, "called").await,
        StatusCode::NO_CONTENT,
        "the id alone still works while one kiosk has it"
    );
    push_printed(&server, &[ticket(KIOSK, SHARED_ID, 2, Lane::Regular, 1)]).await;
    push_printed(
        &server,
        &[ticket(OTHER_KIOSK, SHARED_ID, 2, Lane::Regular, 2)],
    )
    .await;
    let by_id = format!("/api/v1/counter/tickets/{SHARED_ID}");
    let response = counter_at(&server, COUNTER_TOKEN, &by_id, "served").await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let message = error_of(response).await;
    assert!(
        message.contains("two kiosks have a ticket with this id")
            && message.contains("/counter/tickets/{kiosk}/{id}"),
        "{message}"
    );
    let by_kiosk = counter_path(OTHER_KIOSK, SHARED_ID);
    let steps = ["called", "served"];
    counter_steps(&server, (COUNTER_TOKEN, "Loket 2"), &by_kiosk, &steps).await;
    let their_link = ticket(OTHER_KIOSK, SHARED_ID, 2, Lane::Regular, 2).qr_payload;
    let their_path = their_link.split_once("/t/").expect("link").1;
    let (_, html) = page_at(&server, &format!("/t/{their_path}")).await;
    assert!(html.contains("Sudah dilayani"), "{html}");
    let (_, html) = genuine_page(&server, SHARED_ID).await;
    assert!(
        html.contains("Menunggu"),
        "the other kiosk's ticket is untouched: {html}"
    );
    for path in [
        format!("/api/v1/counter/tickets/KIOSK-NOBODY/{SHARED_ID}"),
        format!("/api/v1/counter/tickets/{KIOSK}/0192f0c2-dddd-7000-8000-00000000dead"),
        format!("/api/v1/counter/tickets/{KIOSK}_X/{SHARED_ID}"),
    ] {
        let response = counter_at(&server, COUNTER_TOKEN, &path, "served").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let response = counter_at(&server, KIOSK_TOKEN, &by_kiosk, "served").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
