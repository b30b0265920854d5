//! The counter console against a real `mpp-central` (both backends), as counter staff use it
//! with their account: call the next visitor (the same rules and compare-and-set as the API),
//! call again no sooner than the configured gap, no-show only after enough calls, served; each
//! call on the lobby displays' stream; only the account's points, only with the session's form.

use mpp_core::numbering::Lane;
use mpp_core::ticket::Ticket;
use mpp_testkit::central::*;
use mpp_testkit::html;
use reqwest::StatusCode;

fn waiting(id: &str, lane: Lane, minute: i64) -> Ticket {
    issued_at_minute(id, "DKC", lane, minute)
}

#[tokio::test]
async fn a_clerk_calls_recalls_and_finishes_visitors_from_the_console() {
    let server = Server::builder().now(morning()).start();
    push_printed(
        &server,
        &[
            waiting("r1", Lane::Regular, 1),
            waiting("p2", Lane::Priority, 2),
        ],
    )
    .await;
    let clerk = Clerk::sign_in(&server).await;
    let (status, page) = Clerk::get(&server, &clerk.cookie, "/counter").await;
    assert_eq!(status, StatusCode::OK);
    html::keep("console-start", &page);
    assert!(
        page.contains("data-point=\"Loket 1\""),
        "the account's first point"
    );
    assert!(
        page.contains("data-queue=\"DKC\"") && page.contains("data-waiting=\"2\""),
        "{page}"
    );
    assert!(page.contains("src=\"/assets/console.js\""));

    let (status, said, _) = clerk.press("Loket 1", "recall").await;
    assert_eq!(
        (status, said.as_str()),
        (StatusCode::CONFLICT, "NobodyCalled")
    );
    let (status, said, page) = clerk.press("Loket 1", "next").await;
    assert_eq!(
        (status, said.as_str()),
        (StatusCode::OK, "Called(\"DKC-002\")"),
        "priority first"
    );
    html::keep("console-called", &page);
    assert!(page.contains("data-current=\"DKC-002\""));
    let (_, said, _) = clerk.press("Loket 1", "next").await;
    assert_eq!(
        said, "Called(\"DKC-002\")",
        "a double press is the same call"
    );
    let (status, said, _) = clerk.press("Loket 1", "recall").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(said.starts_with("RecallTooSoon("), "{said}");
    let (status, said, _) = clerk.press("Loket 1", "no_show").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(said, "CallAgainFirst(\"DKC-002\", 1, 2)");

    tokio::time::sleep(std::time::Duration::from_millis(5200)).await;
    let (_, said, _) = clerk.press("Loket 1", "next").await;
    assert_eq!(
        said, "FinishFirst(\"DKC-002\")",
        "no second visitor while one is called"
    );
    let (status, said, _) = clerk.press("Loket 1", "recall").await;
    assert_eq!(
        (status, said.as_str()),
        (StatusCode::OK, "Recalled(\"DKC-002\")")
    );
    let (status, said, _) = clerk.press("Loket 1", "no_show").await;
    assert_eq!(
        (status, said.as_str()),
        (StatusCode::OK, "NoShow(\"DKC-002\")")
    );
    let (_, said, _) = clerk.press("Loket 1", "next").await;
    assert_eq!(said, "Called(\"DKC-001\")");
    let (_, said, page) = clerk.press("Loket 1", "served").await;
    assert_eq!(said, "Served(\"DKC-001\")");
    assert!(page.contains("data-waiting=\"0\""), "{page}");
    let (status, said, _) = clerk.press("Loket 1", "next").await;
    assert_eq!((status, said.as_str()), (StatusCode::OK, "NobodyWaits"));

    // The display stream heard every call: two calls and the recall, in order.
    let stream = client()
        .get(server.url("/api/v1/calls?after=0"))
        .send()
        .await
        .expect("stream");
    let mut stream = stream;
    let mut text = String::new();
    while text.matches("\n\n").count() < 3 {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), stream.chunk())
            .await
            .expect("in time")
            .expect("read")
            .expect("open");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let numbers: Vec<&str> = text
        .match_indices("\"number\":\"")
        .map(|(at, _)| &text[at + 10..at + 17])
        .collect();
    assert_eq!(numbers, ["DKC-002", "DKC-002", "DKC-001"], "{text}");
    assert!(text.contains("\"kind\":\"recall\""), "{text}");
}

#[tokio::test]
async fn the_console_works_only_the_accounts_points_with_its_own_form() {
    let server = Server::builder().now(morning()).start();
    let clerk = Clerk::sign_in(&server).await;
    let (status, _, _) = clerk.press("Loket 3", "next").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "not one of the account's points"
    );
    let (status, page) = Clerk::get(&server, &clerk.cookie, "/counter?point=Loket%202").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("data-point=\"Loket 2\""));
    assert!(
        page.contains("href=\"/counter?point=Loket%201\""),
        "the other point: {page}"
    );
    let forged = Clerk {
        server: &server,
        cookie: clerk.cookie.clone(),
        form: "0".repeat(64),
    };
    let (status, _, _) = forged.press("Loket 1", "next").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a form from elsewhere");
    let head = session_of(&server, HEAD.name, HEAD.password).await;
    let (status, _) = Clerk::get(&server, &head, "/counter").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a head does not call visitors"
    );
    let (status, _) = Clerk::get(&server, "", "/counter").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let script = get(&server, "/assets/console.js").await;
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/javascript")
    );
}

#[tokio::test]
async fn a_number_is_called_out_of_turn_with_a_reason_even_after_a_no_show() {
    let server = Server::builder().now(morning()).start();
    push_printed(
        &server,
        &[
            waiting("r1", Lane::Regular, 1),
            waiting("r2", Lane::Regular, 2),
        ],
    )
    .await;
    let clerk = Clerk::sign_in(&server).await;
    let press = |number: &'static str, reason: &'static str| {
        let clerk = &clerk;
        async move {
            let more = format!("&number={number}&reason={reason}");
            let (status, said, _) = clerk.post("Loket 1", "number", &more).await;
            (status, said)
        }
    };
    assert_eq!(press("DKC-002", "").await.1, "NoReason");
    assert_eq!(
        press("DKC-099", "appointment").await.1,
        "NumberUnknown(\"DKC-099\")"
    );
    // Lowercase as typed: the second visitor, before the first, for an appointment.
    let (status, said) = press("dkc-002", "appointment").await;
    assert_eq!(
        (status, said.as_str()),
        (StatusCode::OK, "Called(\"DKC-002\")")
    );
    assert_eq!(
        press("DKC-001", "appointment").await.1,
        "FinishFirst(\"DKC-002\")"
    );
    tokio::time::sleep(std::time::Duration::from_millis(5200)).await;
    clerk.press("Loket 1", "recall").await;
    assert_eq!(
        clerk.press("Loket 1", "no_show").await.1,
        "NoShow(\"DKC-002\")"
    );
    // The visitor comes back: called again by number.
    let (status, said) = press("DKC-002", "returned").await;
    assert_eq!(
        (status, said.as_str()),
        (StatusCode::OK, "Called(\"DKC-002\")")
    );
    assert_eq!(
        clerk.press("Loket 1", "served").await.1,
        "Served(\"DKC-002\")"
    );
    assert_eq!(
        press("DKC-002", "returned").await.1,
        "NumberNotWaiting(\"DKC-002\", \"served\")"
    );
    // The next in turn is still the first ticket.
    assert_eq!(
        clerk.press("Loket 1", "next").await.1,
        "Called(\"DKC-001\")"
    );
}

#[tokio::test]
async fn a_paused_point_calls_nobody_until_it_opens_again() {
    let server = Server::builder().now(morning()).start();
    push_printed(&server, &[waiting("r1", Lane::Regular, 1)]).await;
    let clerk = Clerk::sign_in(&server).await;
    let pause = |reason: &'static str| {
        let clerk = &clerk;
        async move {
            clerk
                .post("Loket 1", "pause", &format!("&reason={reason}"))
                .await
                .2
        }
    };
    assert!(pause("").await.contains("data-said=\"NoReason\""));
    let page = pause("prayer").await;
    assert!(page.contains("data-said=\"PausedNow(Prayer)\""), "{page}");
    assert!(
        page.contains("data-paused=\"prayer\"") && page.contains("sejak 08:0"),
        "{page}"
    );
    html::keep("console-paused", &page);
    let (status, said, _) = clerk.press("Loket 1", "next").await;
    assert_eq!(
        (status, said.as_str()),
        (StatusCode::CONFLICT, "Paused(Prayer)")
    );
    let (_, page) = Clerk::get(&server, &clerk.cookie, "/counter?point=Loket%202").await;
    assert!(!page.contains("data-paused"), "only that point is paused");
    let (_, said, _) = clerk.press("Loket 1", "open").await;
    assert_eq!(said, "Opened");
    let (_, said, _) = clerk.press("Loket 1", "next").await;
    assert_eq!(said, "Called(\"DKC-001\")");
}

#[tokio::test]
async fn a_visitor_sent_on_to_another_service_waits_there_with_their_issue_time() {
    let server = Server::builder().now(morning()).start();
    let tickets = [
        waiting("d1", Lane::Regular, 1),
        issued_at_minute("s1", "SKC", Lane::Regular, 5),
    ];
    push_printed(&server, &tickets).await;
    let clerk = Clerk::sign_in(&server).await;
    let (_, said, page) = clerk.press("Loket 1", "next").await;
    assert_eq!(said, "Called(\"DKC-001\")");
    assert!(
        page.contains("<option value=\"SKC\">SKC"),
        "the catalog's queues: {page}"
    );
    let to = |queue: &str| format!("&to={queue}");
    let (status, said, _) = clerk.post("Loket 1", "transfer", &to("XYZ")).await;
    assert_eq!(
        (status, said.as_str()),
        (StatusCode::CONFLICT, "TransferWhere")
    );
    let (status, said, _) = clerk.post("Loket 1", "transfer", &to("DKC")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(said, "TransferSameQueue(\"DKC-001\", \"DKC\")");
    let (status, said, page) = clerk.post("Loket 1", "transfer", &to("SKC")).await;
    assert_eq!(
        (status, said.as_str()),
        (StatusCode::OK, "Transferred(\"DKC-001\", \"SKC\")")
    );
    assert!(
        page.contains("data-current=\"\""),
        "the point is free again: {page}"
    );
    assert_eq!(waiting_in(&server, "SKC").await, 2);
    assert_eq!(waiting_in(&server, "DKC").await, 0);
    // At the SKC counter, the visitor comes first: issued at 08:01, before SKC's own at 08:05.
    let body = serde_json::json!({ "counter": "Loket 9" });
    let called: mpp_core::protocol::Called =
        post_as(&server, "/api/v1/counter/next", OTHER_COUNTER_TOKEN, &body)
            .await
            .json()
            .await
            .expect("a call");
    assert_eq!(
        called.ticket.number, "DKC-001",
        "keeps the number on the visitor's paper"
    );
    counter_steps(
        &server,
        (OTHER_COUNTER_TOKEN, "Loket 9"),
        &counter_path(KIOSK, "d1"),
        &["served"],
    )
    .await;
    // A reprint at the kiosk later does not move the ticket back.
    let mut reprinted = tickets[0].clone();
    reprinted.print_count = 2;
    let (status, _) = push(
        &server,
        &batch(
            KIOSK,
            vec![event(
                2,
                &reprinted,
                mpp_core::ticket::TicketStatus::Printed,
            )],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(waiting_in(&server, "DKC").await, 0, "still served at SKC");
}

/// People waiting in `queue` on the fixed morning, as the kiosks are told.
async fn waiting_in(server: &Server, queue: &str) -> u32 {
    let path = format!("/api/v1/queues?day={MORNING_DAY}");
    let report: mpp_core::protocol::QueueReport = get_as(server, &path, KIOSK_TOKEN)
        .await
        .json()
        .await
        .expect("a queue report");
    let (regular, priority) = mpp_testkit::central::waiting(&report, queue);
    regular + priority
}
