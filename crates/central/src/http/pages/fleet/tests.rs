//! The fleet page rendered from records, and its failures.

use crate::http::pages::fleet::*;
use crate::http::pages::login::{sign_in_first, token_in_address};
use mpp_core::printer_state::PrinterState;
use mpp_core::protocol::Heartbeat;
use mpp_core::testing::sample_heartbeat;

/// The page of one MPP on 2026-11-23 at `now`, in Jakarta.
fn render(
    kiosks: &[KioskState],
    flagged: &[FlaggedNumber],
    catalog: &Snapshot,
    now: DateTime<Utc>,
) -> String {
    let fleet = Fleet {
        kiosks,
        flagged,
        catalog,
        now,
        today: "2026-11-23".parse().expect("day"),
        zone: TimeZone::JAKARTA,
        demo_secrets: &[],
        mpps: &[],
    };
    fleet.render()
}

#[test]
fn rows_show_heartbeats_and_flag_trouble() {
    let now: DateTime<Utc> = "2026-11-23T03:00:00Z".parse().expect("instant");
    let heartbeat = Heartbeat {
        kiosk: "K<1>".into(),
        printer: PrinterState::PaperOut,
        outbox_unsent: 7,
        oldest_unsent: Some(now - TimeDelta::minutes(3)),
        at: now,
        ..sample_heartbeat()
    };
    let kiosks = [
        KioskState {
            id: "K<1>".into(),
            last_contact: Some(now - TimeDelta::seconds(20)),
            heartbeat: Some((heartbeat, now - TimeDelta::seconds(20))),
            tickets_today: 12,
            conflicts: 0,
            refused: 0,
            latest_refusals: Vec::new(),
            flagged_numbers: 0,
        },
        KioskState {
            id: "K2".into(),
            last_contact: None,
            heartbeat: None,
            tickets_today: 0,
            conflicts: 2,
            refused: 0,
            latest_refusals: Vec::new(),
            flagged_numbers: 0,
        },
    ];
    let html = render(&kiosks, &[], &Snapshot::default(), now);
    assert!(html.contains(" data-col=\"kiosk\">K&lt;1&gt;</td>"));
    assert!(html.contains("Kertas printer habis") && html.contains("The printer is out of paper"));
    assert!(!html.contains(">paper_out"), "a word, not the code");
    assert!(html.contains(" data-col=\"unsent\">7</td>"));
    assert!(html.contains(" data-col=\"oldest\">3 min</td>"));
    assert!(html.contains("09:59:40") && html.contains("20 s"));
    assert!(html.contains(" data-col=\"conflicts\">2</td>"));
    assert_eq!(html.matches(" class=\"warn\">").count(), 2);
    assert!(html.contains("No valid catalog"));
}

#[test]
fn pushed_text_and_catalog_problems_are_escaped() {
    let now: DateTime<Utc> = "2026-11-23T03:00:00Z".parse().expect("instant");
    let script = "<script>alert(1)</script>";
    let heartbeat = Heartbeat {
        kiosk: script.into(),
        version: script.into(),
        at: now,
        ..sample_heartbeat()
    };
    let kiosks = [KioskState {
        id: script.into(),
        last_contact: Some(now),
        heartbeat: Some((heartbeat, now)),
        tickets_today: 0,
        conflicts: 0,
        refused: 0,
        latest_refusals: Vec::new(),
        flagged_numbers: 0,
    }];
    let catalog = Snapshot {
        served: None,
        problem: Some(script.into()),
    };
    let html = render(&kiosks, &[], &catalog, now);
    assert!(!html.contains("<script>"), "{html}");
    assert_eq!(
        html.matches("&lt;script&gt;alert(1)&lt;/script&gt;")
            .count(),
        4
    );
}

#[test]
fn day_doubts_and_flagged_numbers_are_listed_and_escaped() {
    let now: DateTime<Utc> = "2026-11-23T03:00:00Z".parse().expect("instant");
    let day: NaiveDate = "2026-11-23".parse().expect("day");
    let script = "<script>alert(1)</script>";
    let heartbeat = Heartbeat {
        at: now,
        day_doubt: Some(DayDoubt {
            held_day: "2026-12-23".parse().expect("day"),
            clock_day: day,
            server_day: None,
        }),
        ..sample_heartbeat()
    };
    let kiosks = [KioskState {
        id: "K1".into(),
        last_contact: Some(now),
        heartbeat: Some((heartbeat, now)),
        tickets_today: 2,
        conflicts: 0,
        refused: 0,
        latest_refusals: Vec::new(),
        flagged_numbers: 1,
    }];
    let flagged = [FlaggedNumber {
        kiosk: "K1".into(),
        ticket_id: "t2".into(),
        number: script.into(),
        business_day: day,
        problem: NumberProblem::Duplicate {
            first_kiosk: "K2".into(),
            first_ticket: "t1".into(),
        },
        found_at: now,
    }];
    let html = render(&kiosks, &flagged, &Snapshot::default(), now);
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains(
        "2026-11-23 &lt;script&gt;alert(1)&lt;/script&gt;: ticket t2 of kiosk K1 has the same \
         number as ticket t1 of kiosk K2"
    ));
    assert!(html.contains(
        "Kiosk K1: its numbers are on 2026-12-23, its clock says 2026-11-23, the server not \
         heard."
    ));
    assert!(html.contains(" data-col=\"numbers\">1</td>"), "{html}");
    assert_eq!(html.matches(" class=\"warn\">").count(), 1);
}

async fn body_of(response: Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await;
    String::from_utf8(bytes.expect("body").to_vec()).expect("utf-8")
}

#[tokio::test]
async fn refusals_and_failures_are_pages_of_their_own() {
    let refused = sign_in_first();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(refused.headers()["www-authenticate"], "Bearer");
    let html = body_of(refused).await;
    assert!(html.contains("Silakan masuk dulu") && html.contains("Please sign in first"));
    assert!(html.contains("href=\"/login\""), "{html}");
    let in_address = body_of(token_in_address()).await;
    assert!(in_address.contains("no longer accepted") && in_address.contains("/login"));
    let failed = failure_page(StatusCode::SERVICE_UNAVAILABLE, "database <b>busy</b>");
    assert_eq!(failed.status(), StatusCode::SERVICE_UNAVAILABLE);
    let html = body_of(failed).await;
    assert!(
        html.contains("<body>database &lt;b&gt;busy&lt;/b&gt;</body>"),
        "{html}"
    );
}
