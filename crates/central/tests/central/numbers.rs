//! Numbers across kiosks on a real `mpp-central`: overlapping ranges stop the server at start,
//! a number printed twice or outside its kiosk's range is kept and flagged on the fleet page,
//! `GET /api/v1/numbers` tells a kiosk where its numbers stand, and the fleet page shows a
//! kiosk that cannot tell its business day.

use chrono::{TimeDelta, Utc};
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::protocol::{DayDoubt, Heartbeat, NumbersUsed};
use mpp_testkit::central::*;
use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;

fn two_kiosks(mine: (u32, u32), theirs: (u32, u32)) -> Builder {
    Server::builder().kiosks([
        KioskAccount::new(KIOSK, KIOSK_TOKEN, SIGNING_KEY).with_range(mine.0, mine.1),
        KioskAccount::new(OTHER_KIOSK, OTHER_KIOSK_TOKEN, OTHER_SIGNING_KEY)
            .with_range(theirs.0, theirs.1),
    ])
}

/// The fleet page's section that lists flagged numbers.
fn flagged_section(html: &str) -> &str {
    let start = html
        .find("<ul class=\"numbers\">")
        .unwrap_or_else(|| panic!("a list of flagged numbers:\n{html}"));
    let rest = &html[start..];
    &rest[..rest.find("</ul>").expect("end of list")]
}

#[tokio::test]
async fn two_kiosks_with_overlapping_ranges_stop_the_server_naming_both() {
    let folder = tempfile::tempdir().expect("temp dir");
    two_kiosks((1, 500), (500, 999)).write_to(folder.path());
    let config = folder.path().join(CONFIG_FILE);
    let output = run(
        &["--config", config.to_str().expect("utf-8")],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = [
        KIOSK,
        OTHER_KIOSK,
        "kiosk[1].number_range",
        "line 15",
        "[1, 500]",
    ];
    for words in expected {
        assert!(stderr.contains(words), "{words} missing:\n{stderr}");
    }
    assert!(
        !folder.path().join("central.db").exists(),
        "refused before opening anything"
    );

    let server = two_kiosks((1, 499), (500, 999)).start();
    assert!(
        !server.log().contains("has no number_range"),
        "{}",
        server.log()
    );
    let unranged = Server::start();
    assert!(
        unranged
            .log()
            .contains(&format!("kiosk {KIOSK} has no number_range")),
        "a kiosk without a range is warned at start:\n{}",
        unranged.log()
    );
}

#[tokio::test]
async fn a_number_printed_by_two_kiosks_is_kept_and_flagged_on_the_fleet_page() {
    // No ranges configured (an older mpp-central.toml): both kiosks print DKC-001.
    let server = Server::start();
    let first = ticket(KIOSK, "n-first", 1, Lane::Regular, 0);
    let second = ticket(OTHER_KIOSK, "n-second", 1, Lane::Regular, 1);
    let other_lane = ticket(OTHER_KIOSK, "n-priority", 1, Lane::Priority, 2);
    push_printed(&server, &[first]).await;
    push_printed(&server, &[second, other_lane]).await;
    assert_eq!(
        waiting(&queues(&server).await, "DKC"),
        (2, 1),
        "all three are kept"
    );

    let html = fleet(&server).await;
    let section = flagged_section(&html);
    assert_eq!(
        section.matches("<li>").count(),
        1,
        "only the same lane clashes:\n{section}"
    );
    let line = format!(
        "{} DKC-001: ticket n-second of kiosk {OTHER_KIOSK} has the same number as ticket \
         n-first of kiosk {KIOSK}",
        today()
    );
    assert!(section.contains(&line), "{section}");
    assert!(
        section.contains("bernomor sama"),
        "in Indonesian too: {section}"
    );
    let row = html
        .split(&format!("<tr data-kiosk=\"{OTHER_KIOSK}\""))
        .nth(1)
        .expect("a row");
    assert!(row.starts_with(" class=\"warn\""), "{row}");
    assert!(row.contains(" data-col=\"numbers\">1</td>"), "{row}");
    assert!(
        server.log().contains("a number was printed twice"),
        "{}",
        server.log()
    );
}

#[tokio::test]
async fn a_number_outside_its_kiosks_range_is_kept_and_flagged() {
    let server = two_kiosks((1, 499), (500, 999)).start();
    let inside = ticket(KIOSK, "r-inside", 499, Lane::Regular, 0);
    let outside = ticket(KIOSK, "r-outside", 500, Lane::Regular, 1);
    push_printed(&server, &[inside, outside]).await;
    let html = fleet(&server).await;
    let section = flagged_section(&html);
    let line = format!(
        "{} DKC-500: ticket r-outside of kiosk {KIOSK} is outside the kiosk's range [1, 499]",
        today()
    );
    assert!(section.contains(&line), "{section}");
    assert!(!section.contains("r-inside"), "{section}");
    let (status, html) = genuine_page(&server, "r-outside").await;
    assert_eq!(status, StatusCode::OK, "the ticket itself is valid: {html}");
}

/// `GET /api/v1/numbers?day=…` with `token`.
async fn numbers(server: &Server, day: &str, token: &str) -> reqwest::Response {
    get_as(server, &format!("/api/v1/numbers?day={day}"), token).await
}

#[tokio::test]
async fn numbers_used_are_the_asking_kiosks_highest_per_queue_and_lane() {
    let server = Server::start();
    let yesterday = today() - TimeDelta::days(1);
    let mut old = ticket(KIOSK, "u-old", 40, Lane::Regular, 0);
    old.business_day = yesterday;
    old.issued_at -= TimeDelta::days(1);
    let mine = [
        ticket(KIOSK, "u-1", 1, Lane::Regular, 1),
        ticket(KIOSK, "u-2", 6, Lane::Regular, 2),
        ticket(KIOSK, "u-3", 2, Lane::Regular, 3),
        ticket(KIOSK, "u-4", 3, Lane::Priority, 4),
        old,
    ];
    push_printed(&server, &mine).await;
    let theirs = ticket(OTHER_KIOSK, "u-theirs", 77, Lane::Regular, 5);
    push_printed(&server, &[theirs]).await;

    let response = numbers(&server, &today().to_string(), KIOSK_TOKEN).await;
    assert_eq!(response.status(), StatusCode::OK);
    let used: NumbersUsed = response.json().await.expect("NumbersUsed");
    assert_eq!(used.business_day, today());
    assert_eq!(used.latest_business_day, Some(today()));
    assert!(
        (Utc::now() - used.at).abs() < TimeDelta::minutes(1),
        "{}",
        used.at
    );
    let highest: Vec<_> = used
        .highest
        .iter()
        .map(|h| (h.queue.as_str(), h.lane, h.sequence))
        .collect();
    assert_eq!(
        highest,
        [("DKC", Lane::Priority, 3), ("DKC", Lane::Regular, 6)]
    );

    let response = numbers(&server, &yesterday.to_string(), KIOSK_TOKEN).await;
    let used: NumbersUsed = response.json().await.expect("NumbersUsed");
    assert_eq!(used.highest.len(), 1);
    assert_eq!(used.highest[0].sequence, 40);
    let response = numbers(&server, &today().to_string(), OTHER_KIOSK_TOKEN).await;
    let used: NumbersUsed = response.json().await.expect("NumbersUsed");
    assert_eq!(
        used.highest[0].sequence, 77,
        "each kiosk hears of its own numbers"
    );
}

#[tokio::test]
async fn numbers_need_the_kiosk_token_and_a_day() {
    let server = Server::start();
    let day = today().to_string();
    let response = get(&server, &format!("/api/v1/numbers?day={day}")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    for token in [COUNTER_TOKEN, ADMIN_TOKEN] {
        assert_eq!(
            numbers(&server, &day, token).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    for query in [
        "",
        "?day=",
        "?day=23-11-2026",
        "?day=2026-02-30",
        "?when=2026-11-23",
    ] {
        let response = get_as(&server, &format!("/api/v1/numbers{query}"), KIOSK_TOKEN).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let message = error_of(response).await;
        assert!(
            message.contains("`day`") && message.contains("YYYY-MM-DD"),
            "{query}: {message}"
        );
    }
    let used: NumbersUsed = numbers(&server, &day, KIOSK_TOKEN)
        .await
        .json()
        .await
        .expect("json");
    assert!(used.highest.is_empty() && used.latest_business_day.is_none());
}

#[tokio::test]
async fn the_fleet_page_shows_a_kiosk_unsure_of_its_business_day_and_what_to_do() {
    let server = Server::start();
    let now = Utc::now();
    let held = today() + TimeDelta::days(30);
    let heartbeat = |day_doubt| Heartbeat {
        kiosk: KIOSK.into(),
        version: "0.1.0-test".into(),
        printer: PrinterState::Ready,
        outbox_unsent: 0,
        oldest_unsent: None,
        catalog_version: 3,
        at: now,
        day_doubt,
    };
    let send = |heartbeat: Heartbeat| {
        client()
            .post(server.url("/api/v1/heartbeat"))
            .header(AUTHORIZATION, bearer(KIOSK_TOKEN))
            .json(&heartbeat)
            .send()
    };
    let doubt = DayDoubt {
        held_day: held,
        clock_day: today(),
        server_day: Some(today()),
    };
    let response = send(heartbeat(Some(doubt))).await.expect("heartbeat");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let html = fleet(&server).await;
    let line = format!(
        "Kiosk {KIOSK}: its numbers are on {held}, its clock says {}, the server {}. A \
         technician must check the clock and run `mpp-kiosk day settle`.",
        today(),
        today()
    );
    assert!(html.contains(&line), "{html}");
    assert!(html.contains("Teknisi harus memeriksa jam"), "{html}");
    let row = html
        .split(&format!("<tr data-kiosk=\"{KIOSK}\""))
        .nth(1)
        .expect("a row");
    assert!(row.starts_with(" class=\"warn\""), "{row}");

    let unheard = DayDoubt {
        held_day: held,
        clock_day: today(),
        server_day: None,
    };
    send(heartbeat(Some(unheard))).await.expect("heartbeat");
    assert!(fleet(&server).await.contains("the server not heard"));
    send(heartbeat(None)).await.expect("heartbeat");
    let html = fleet(&server).await;
    assert!(
        !html.contains("day settle"),
        "a settled kiosk is no longer listed: {html}"
    );
}
