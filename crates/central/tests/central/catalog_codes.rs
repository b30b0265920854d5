//! Events naming an agency, service or queue the MPP's published catalog does not have, on a
//! real `mpp-central` over SQLite and over PostgreSQL: refused one by one naming the field, the
//! good events beside them stored, once the kiosk said (in its heartbeat) that it runs the
//! published catalog; taken from a kiosk that runs another version, and for a ticket the server
//! already holds (a service removed after the ticket was issued).

use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::protocol::Heartbeat;
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_testkit::central::*;
use reqwest::StatusCode;

/// The version of the small catalog the test server publishes.
const PUBLISHED: u64 = 3;

/// Tells the server the test kiosk runs catalog `version`.
async fn heartbeat(server: &Server, version: u64) {
    let heartbeat = Heartbeat {
        kiosk: KIOSK.into(),
        version: "0.1.0-test".into(),
        printer: PrinterState::Ready,
        outbox_unsent: 0,
        oldest_unsent: None,
        catalog_version: version,
        at: chrono::Utc::now(),
        day_doubt: None,
    };
    let answer = post_as(server, "/api/v1/heartbeat", KIOSK_TOKEN, &heartbeat).await;
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
}

/// A printed ticket of the test kiosk with these codes.
fn coded(id: &str, sequence: u32, agency: &str, service: &str, queue: &str) -> Ticket {
    let mut ticket = ticket(KIOSK, id, sequence, Lane::Regular, i64::from(sequence));
    ticket.agency = agency.into();
    ticket.service = service.into();
    ticket.queue = queue.into();
    ticket
}

/// The field a refusal names (between backquotes).
fn field(reason: &str) -> &str {
    reason.split('`').nth(1).unwrap_or(reason)
}

async fn codes_are_held_to_the_catalog_the_kiosk_runs(server: Server) {
    // Before the kiosk said which catalog it runs: a removed service is taken.
    let early = coded("c-early", 1, "DUKCAPIL", "DKC-GONE", "DKC");
    let (status, outcome) = push(
        &server,
        &batch(KIOSK, vec![event(1, &early, TicketStatus::Printed)]),
    )
    .await;
    assert_eq!((status, outcome.accepted), (StatusCode::OK, vec![1]));

    heartbeat(&server, PUBLISHED).await;
    let events = vec![
        event(
            2,
            &coded("c-good", 2, "DUKCAPIL", "DKC-KK", "DKC"),
            TicketStatus::Printed,
        ),
        event(
            3,
            &coded("c-agency", 3, "NOPE", "DKC-KK", "DKC"),
            TicketStatus::Printed,
        ),
        event(
            4,
            &coded("c-service", 4, "DUKCAPIL", "DKC-GONE", "DKC"),
            TicketStatus::Printed,
        ),
        event(
            5,
            &coded("c-queue", 5, "DUKCAPIL", "DKC-KK", "ZZZ"),
            TicketStatus::Printed,
        ),
        event(
            6,
            &coded("c-owner", 6, "POLRES", "DKC-KK", "DKC"),
            TicketStatus::Printed,
        ),
        // The ticket held since before: its later event is taken though its service is gone.
        event(7, &early, TicketStatus::Voided),
        event(
            8,
            &coded("c-good-2", 7, "POLRES", "POL-SKCK", "SKC"),
            TicketStatus::Printed,
        ),
    ];
    let (status, outcome) = push(&server, &batch(KIOSK, events)).await;
    assert_eq!(status, StatusCode::OK, "the good events are not held up");
    assert_eq!(outcome.accepted, [2, 7, 8]);
    let mut refused: Vec<(i64, &str)> = outcome
        .refused
        .iter()
        .map(|refusal| (refusal.event_id, field(&refusal.reason)))
        .collect();
    refused.sort_unstable();
    assert_eq!(
        refused,
        [
            (3, "events[1].ticket.agency"),
            (4, "events[2].ticket.service"),
            (5, "events[3].ticket.queue"),
            (6, "events[4].ticket.service"),
        ]
    );
    let reason = &outcome.refused[0].reason;
    assert!(reason.contains("published catalog (version 3)"), "{reason}");
    let fleet = fleet(&server).await;
    assert!(fleet.contains("no such agency"), "shown on the fleet page");

    // A kiosk still on an older catalog sends what that one had.
    heartbeat(&server, PUBLISHED - 1).await;
    let older = coded("c-older", 8, "DUKCAPIL", "DKC-GONE", "DKC");
    let (_, outcome) = push(
        &server,
        &batch(KIOSK, vec![event(9, &older, TicketStatus::Printed)]),
    )
    .await;
    assert_eq!(outcome.accepted, [9]);
}

#[tokio::test]
async fn codes_not_in_the_catalog_are_refused_by_field_on_sqlite() {
    let server = Server::builder().start();
    codes_are_held_to_the_catalog_the_kiosk_runs(server).await;
}

#[tokio::test]
async fn codes_not_in_the_catalog_are_refused_by_field_on_postgresql() {
    if !mpp_testkit::postgres::installed_or_skip(
        "codes_not_in_the_catalog_are_refused_by_field_on_postgresql",
    ) {
        return;
    }
    let server = Server::builder().postgres().start();
    codes_are_held_to_the_catalog_the_kiosk_runs(server).await;
}
