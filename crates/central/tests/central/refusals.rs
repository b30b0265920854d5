//! Events refused one by one: a bad event among good ones is refused with its reason, the good
//! ones are stored, the refusal is recorded once and shown on the fleet page.

use mpp_core::numbering::Lane;
use mpp_core::ticket::TicketStatus;
use mpp_testkit::central::*;
use reqwest::StatusCode;

#[tokio::test]
async fn one_foreign_event_among_good_ones_is_refused_alone_and_shown_on_the_fleet_page() {
    let server = Server::start();
    let mine = |id: &str, sequence| ticket(KIOSK, id, sequence, Lane::Regular, 0);
    let theirs = ticket(OTHER_KIOSK, "r-theirs", 9, Lane::Regular, 0);
    let events = vec![
        event(1, &mine("r-1", 1), TicketStatus::Printed),
        event(2, &theirs, TicketStatus::Printed),
        event(3, &mine("r-3", 2), TicketStatus::Printed),
    ];
    let sent = batch(KIOSK, events);
    let (status, outcome) = push(&server, &sent).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(outcome.accepted, [1, 3]);
    assert_eq!(outcome.refused.len(), 1);
    assert_eq!(outcome.refused[0].event_id, 2);
    let reason = &outcome.refused[0].reason;
    assert!(
        reason.contains("events[1].ticket.kiosk") && reason.contains("its own tickets"),
        "{reason}"
    );
    assert_eq!(waiting(&queues(&server).await, "DKC"), (2, 0));

    // Sent again (a lost answer): the good ones are duplicates, the refusal is kept once.
    let (status, again) = push(&server, &sent).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((again.duplicates, again.refused.len()), (vec![1, 3], 1));

    let html = fleet(&server).await;
    assert!(html.contains(" data-col=\"refused\">1</td>"), "{html}");
    assert!(html.contains("Refused"), "{html}");
    assert!(
        html.contains("Kiosk KIOSK-T1, ticket r-theirs, event 2"),
        "{html}"
    );
    assert!(html.contains("may only send its own tickets"), "{html}");
}

#[tokio::test]
async fn a_batch_of_another_kiosk_is_still_refused_as_a_whole() {
    let server = Server::start();
    let response = post_events(&server, KIOSK_TOKEN, &one(OTHER_KIOSK, 1, "w1")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        error_of(response)
            .await
            .contains("this token belongs to kiosk")
    );
    let html = fleet(&server).await;
    assert!(html.contains(" data-col=\"refused\">0</td>"), "{html}");
}

#[tokio::test]
async fn a_control_character_or_a_giant_field_is_refused_alone_on_either_database() {
    let server = Server::start();
    let mine = |id: &str, sequence| ticket(KIOSK, id, sequence, Lane::Regular, 0);
    let mut nul_number = mine("n-2", 2);
    nul_number.number = "DKC-\u{0}02".into();
    let mut giant_number = mine("n-3", 3);
    giant_number.number = "9".repeat(900_000);
    let mut nul_reason = event(4, &mine("n-4", 4), TicketStatus::Voided);
    nul_reason.reason = Some("salah\u{0}cetak".into());
    let mut escape_number = mine("n-6", 6);
    escape_number.number = "DKC-\u{1b}[2J".into();
    let mut two_line_reason = event(7, &mine("n-7", 7), TicketStatus::Voided);
    two_line_reason.reason = Some("salah cetak\nkertas macet".into());
    let events = vec![
        event(1, &mine("n-1", 1), TicketStatus::Printed),
        event(2, &nul_number, TicketStatus::Printed),
        event(3, &giant_number, TicketStatus::Printed),
        nul_reason,
        event(5, &mine("n-5", 5), TicketStatus::Printed),
        event(6, &escape_number, TicketStatus::Printed),
        two_line_reason,
    ];
    let (status, outcome) = push(&server, &batch(KIOSK, events)).await;
    assert_eq!(status, StatusCode::OK, "the good events are not held up");
    assert_eq!(
        outcome.accepted,
        [1, 5, 7],
        "a reason may hold a line break"
    );
    let reasons: Vec<(i64, &str)> = outcome
        .refused
        .iter()
        .map(|refusal| (refusal.event_id, refusal.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            (2, "field `events[1].ticket.number` holds a NUL character"),
            (
                3,
                "field `events[2].ticket.number` is longer than 32 characters"
            ),
            (4, "field `events[3].reason` holds a NUL character"),
            (
                6,
                "field `events[5].ticket.number` holds the control character U+001B"
            ),
        ]
    );
    assert_eq!(waiting(&queues(&server).await, "DKC"), (2, 0));
}
