//! `POST /api/v1/audit` on the real server (SQLite, and PostgreSQL with
//! `MPP_CENTRAL_TEST_BACKEND=postgres`): a kiosk's entries are kept once by kiosk and entry id,
//! a resend is a duplicate, another kiosk's batch or an oversized field is refused with what
//! is wrong, and `/fleet` lists the latest entries, escaped, under the kiosk that sent them.

use chrono::{DateTime, Utc};
use mpp_core::protocol::{AuditBatch, AuditOutcome, AuditRecord};
use mpp_testkit::central::*;
use reqwest::StatusCode;

fn entry(id: i64, action: &str, outcome: &str) -> AuditRecord {
    AuditRecord {
        id,
        at: DateTime::<Utc>::from_timestamp(1_795_000_000 + id, 0).expect("instant"),
        action: action.into(),
        detail: String::new(),
        outcome: outcome.into(),
    }
}

async fn push(server: &Server, token: &str, batch: &AuditBatch) -> reqwest::Response {
    post_as(server, "/api/v1/audit", token, batch).await
}

#[tokio::test]
async fn entries_are_kept_once_refused_when_wrong_and_shown_on_the_fleet_page() {
    let server = Server::start();
    let first = AuditBatch {
        kiosk: KIOSK.into(),
        entries: vec![
            entry(1, "maintenance_pin", "wrong"),
            entry(2, "maintenance_pin", "accepted"),
        ],
    };
    let answer = push(&server, KIOSK_TOKEN, &first).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let outcome: AuditOutcome = answer.json().await.expect("outcome");
    assert_eq!((outcome.stored, outcome.duplicates), (vec![1, 2], vec![]));

    let again = AuditBatch {
        kiosk: KIOSK.into(),
        entries: vec![
            entry(2, "changed on the way", "x"),
            entry(3, "<b>printer_test_page</b>", "done"),
        ],
    };
    let outcome: AuditOutcome = push(&server, KIOSK_TOKEN, &again)
        .await
        .json()
        .await
        .expect("outcome");
    assert_eq!((outcome.stored, outcome.duplicates), (vec![3], vec![2]));

    let foreign = AuditBatch {
        kiosk: OTHER_KIOSK.into(),
        entries: vec![entry(1, "maintenance_pin", "accepted")],
    };
    let refused = push(&server, KIOSK_TOKEN, &foreign).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(error_of(refused).await.contains(OTHER_KIOSK));

    let mut long = entry(4, "x", "done");
    long.detail = "y".repeat(501);
    let oversized = AuditBatch {
        kiosk: KIOSK.into(),
        entries: vec![long],
    };
    let refused = push(&server, KIOSK_TOKEN, &oversized).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(refused).await.contains("entries[0].detail"));

    // PostgreSQL cannot hold a NUL: named here, never a failed batch there.
    let nul = AuditBatch {
        kiosk: KIOSK.into(),
        entries: vec![entry(5, "void\u{0}", "done")],
    };
    let refused = push(&server, KIOSK_TOKEN, &nul).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let said = error_of(refused).await;
    assert!(said.contains("entries[0].action holds a NUL"), "{said}");

    let page = fleet(&server).await;
    assert!(
        page.contains("&lt;b&gt;printer_test_page&lt;/b&gt;"),
        "{page}"
    );
    assert!(!page.contains("<b>printer_test_page"), "{page}");
    assert!(
        page.contains("PIN salah / wrong PIN"),
        "words, not codes:\n{page}"
    );
    assert!(
        !page.contains("changed on the way"),
        "the first text stays:\n{page}"
    );
    let wrong = page
        .find("Masuk menu teknisi (PIN)")
        .expect("the PIN entries are listed");
    assert!(
        page[..wrong].contains(KIOSK),
        "listed under its kiosk:\n{page}"
    );
}
