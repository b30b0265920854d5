//! Survey responses on the real server (SQLite, and PostgreSQL with
//! `MPP_CENTRAL_TEST_BACKEND=postgres`): a kiosk's response to a served ticket is stored once,
//! a resend is a duplicate, and every other case is refused with its reason on the API and on
//! the phone page alike (answered already, unserved — a kiosk's answer waits while the ticket
//! may still be served —, voided, too old, another kiosk's, a
//! forged link, invalid answers); a ticket the server does not know yet is in no list. A
//! kiosk and a phone answering one ticket at the same moment, round after round, leave
//! exactly one response.

use std::sync::Arc;

use chrono::{Days, TimeDelta};
use mpp_core::numbering::Lane;
use mpp_core::protocol::{SurveyBatch, SurveyOutcome};
use mpp_core::ticket::{TicketStatus, sign};
use mpp_testkit::central::*;
use mpp_testkit::html;
use reqwest::StatusCode;
use serde_json::json;

/// The reason `outcome` gives for refusing `response_id`.
fn reason<'a>(outcome: &'a SurveyOutcome, response_id: &str) -> &'a str {
    outcome
        .refused
        .iter()
        .find(|refusal| refusal.response_id == response_id)
        .map(|refusal| refusal.reason.as_str())
        .unwrap_or_else(|| panic!("{response_id} not refused: {outcome:?}"))
}

/// How many responses the report counts for this month (every test ticket is today's).
async fn respondents(server: &Server) -> u32 {
    let (status, page) = staff_get(server, "/reports/ikm").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let count = html::texts(&page, "respondents");
    count[0].parse().expect("a count")
}

/// A voided ticket and one of yesterday (not served: a counter cannot serve an old one).
async fn voided_and_old(server: &Server) {
    let voided = ticket(KIOSK, "void-1", 30, Lane::Regular, 30);
    let events = batch(
        KIOSK,
        vec![
            event(1, &voided, TicketStatus::Printed),
            event(2, &voided, TicketStatus::Voided),
        ],
    );
    assert_eq!(push(server, &events).await.0, StatusCode::OK);
    let mut old = ticket(KIOSK, "old-1", 31, Lane::Regular, 31);
    old.business_day = today().checked_sub_days(Days::new(1)).expect("yesterday");
    old.issued_at -= TimeDelta::days(1);
    let events = batch(KIOSK, vec![event(1, &old, TicketStatus::Printed)]);
    assert_eq!(push(server, &events).await.0, StatusCode::OK);
}

#[tokio::test]
async fn kiosk_responses_are_stored_once_and_refused_with_their_reason() {
    let server = Server::start();
    served_at(&server, "served-1", 1, "Loket 2").await;
    pushed(&server, KIOSK, KIOSK_TOKEN, "waiting-1", 2).await;
    pushed(&server, OTHER_KIOSK, OTHER_KIOSK_TOKEN, "other-1", 3).await;
    voided_and_old(&server).await;

    let first = send_surveys(&server, vec![response("r-1", "served-1", all(4))]).await;
    assert_eq!(first.accepted, ["r-1"]);
    // Answered at the kiosk yesterday and sent only today: judged on the day it was given,
    // so not too old (but that ticket was never served).
    let mut yesterday = response("r-old-then", "old-1", all(3));
    yesterday.at -= TimeDelta::days(1);
    let mut foreign = response("r-foreign", "other-1", all(3));
    foreign.kiosk = OTHER_KIOSK.into();
    let second = send_surveys(
        &server,
        vec![
            response("r-1", "served-1", all(4)),
            response("r-2", "served-1", all(1)),
            response("r-waiting", "waiting-1", all(3)),
            response("r-void", "void-1", all(3)),
            response("r-old", "old-1", all(3)),
            yesterday,
            foreign,
            // Another kiosk's ticket id under this kiosk: no such ticket of this kiosk yet.
            response("r-unknown", "other-1", all(3)),
            response("r-nowhere", "never-pushed", all(3)),
        ],
    )
    .await;
    assert_eq!(second.duplicates, ["r-1"]);
    assert!(second.accepted.is_empty(), "{second:?}");
    assert!(reason(&second, "r-2").contains("already answered"));
    assert!(reason(&second, "r-void").contains("voided"));
    assert!(reason(&second, "r-old").contains("too old"));
    assert!(reason(&second, "r-old-then").contains("not been served"));
    assert!(reason(&second, "r-foreign").contains("another kiosk"));
    let listed = |id: &str| {
        second
            .accepted
            .iter()
            .chain(&second.duplicates)
            .any(|one| one == id)
            || second
                .refused
                .iter()
                .any(|refusal| refusal.response_id == id)
    };
    // A ticket not served yet (the visitor rated on the way out, before the counter's
    // "served" arrived) and a ticket not pushed yet are left for the kiosk to send again.
    assert!(
        !listed("r-unknown") && !listed("r-nowhere") && !listed("r-waiting"),
        "{second:?}"
    );
    assert_eq!(respondents(&server).await, 1);
    let counter = (COUNTER_TOKEN, "Loket 2");
    let path = counter_path(KIOSK, "waiting-1");
    counter_steps(&server, counter, &path, &["called", "served"]).await;
    let later = send_surveys(&server, vec![response("r-waiting", "waiting-1", all(3))]).await;
    assert_eq!(later.accepted, ["r-waiting"], "taken once served");
    // A no-show is never served: its answer is refused.
    pushed(&server, KIOSK, KIOSK_TOKEN, "gone-1", 9).await;
    let path = counter_path(KIOSK, "gone-1");
    counter_steps(&server, counter, &path, &["called", "no_show"]).await;
    let gone = send_surveys(&server, vec![response("r-gone", "gone-1", all(3))]).await;
    assert!(
        reason(&gone, "r-gone").contains("not been served"),
        "{gone:?}"
    );
    assert_eq!(respondents(&server).await, 2);

    // One response that does not read is refused alone; the rest of its batch is taken.
    served_at(&server, "served-2", 4, "Loket 3").await;
    let good = serde_json::to_value(response("r-3", "served-2", all(2))).expect("json");
    let mut five = serde_json::to_value(response("r-5", "served-2", all(3))).expect("json");
    five["answers"]["cost"] = json!(5);
    let body = json!({ "kiosk": KIOSK, "responses": [five, good] });
    let outcome: SurveyOutcome = post_ok(&server, SURVEYS, KIOSK_TOKEN, &body).await;
    assert_eq!(outcome.accepted, ["r-3"]);
    let invalid = reason(&outcome, "r-5");
    assert!(
        invalid.contains("invalid") && invalid.contains("not 5"),
        "{invalid}"
    );

    // The ticket's counter, agency and service are the server's, whatever the kiosk thinks.
    let (_, csv) = staff_get(&server, "/reports/ikm.csv").await;
    assert!(
        csv.contains(";kiosk;DUKCAPIL;DKC-KK;Loket 3;2;2;2;"),
        "{csv}"
    );
    assert_eq!(respondents(&server).await, 3);
}

#[tokio::test]
async fn a_wrong_batch_is_refused_whole_with_what_is_wrong() {
    let server = Server::start();
    let other = SurveyBatch {
        kiosk: OTHER_KIOSK.into(),
        responses: vec![],
    };
    let answer = post_as(&server, SURVEYS, KIOSK_TOKEN, &other).await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert!(error_of(answer).await.contains("belongs to kiosk"));
    let answer = client()
        .post(server.url("/api/v1/surveys"))
        .bearer_auth(KIOSK_TOKEN)
        .header("content-type", "application/json")
        .body("{\"kiosk\": ")
        .send()
        .await
        .expect("send");
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert!(error_of(answer).await.contains("not valid JSON"));
    let stranger = json!({ "kiosk": KIOSK, "responses": [], "extra": 1 });
    let answer = post_as(&server, SURVEYS, KIOSK_TOKEN, &stranger).await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(answer).await.contains("unknown field `extra`"));
    let no_id = json!({ "kiosk": KIOSK, "responses": [{ "ticket_id": "x" }] });
    let answer = post_as(&server, SURVEYS, KIOSK_TOKEN, &no_id).await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(answer).await.contains("responses[0].response_id"));
    let answer = post_as(&server, SURVEYS, "not-a-token-at-all", &other).await;
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_phone_page_refuses_what_the_api_refuses_and_stores_nothing() {
    let server = Server::start();
    pushed(&server, KIOSK, KIOSK_TOKEN, "waiting-1", 1).await;
    pushed(&server, OTHER_KIOSK, OTHER_KIOSK_TOKEN, "other-1", 2).await;
    voided_and_old(&server).await;
    let fields = form_fields(&all(4), &[]);
    let cases = [
        (survey_path(KIOSK, "waiting-1", "en"), "Not served yet"),
        (survey_path(KIOSK, "void-1", "en"), "Ticket cancelled"),
        (survey_path(KIOSK, "old-1", "en"), "Ticket too old"),
        (survey_path(OTHER_KIOSK, "other-1", "en"), "Not served yet"),
        // Forged: another kiosk's key, a changed signature, an unknown kiosk.
        (
            format!(
                "/t/{KIOSK}/other-1/survey?s={}&lang=en",
                sign(KIOSK, "other-1", OTHER_SIGNING_KEY.as_bytes())
            ),
            "Not a valid ticket",
        ),
        (
            survey_path(KIOSK, "waiting-1", "en").replacen("?s=", "?s=0", 1),
            "Not a valid ticket",
        ),
        (
            survey_path("KIOSK-X9", "waiting-1", "en"),
            "Not a valid ticket",
        ),
    ];
    for (path, words) in &cases {
        let (status, page) = page_at(&server, path).await;
        assert!(!status.is_success(), "{path}: {status}");
        assert!(page.contains(words), "{path}: {page}");
        assert!(html::tags(&page, "form").is_empty(), "{path}: no form");
        let (status, page) = post_form(&server, path, &fields).await;
        assert!(!status.is_success(), "{path}: {status}");
        assert!(page.contains(words), "{path}: {page}");
    }
    assert_eq!(respondents(&server).await, 0, "nothing stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_and_a_phone_racing_for_one_ticket_leave_one_response() {
    const ROUNDS: u32 = 25;
    let server = Arc::new(Server::start());
    let (mut kiosk_first, mut phone_first) = (0, 0);
    for round in 1..=ROUNDS {
        let id = format!("race-{round}");
        served_at(&server, &id, round, "Loket 1").await;
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let kiosk = {
            let (server, barrier, id) = (server.clone(), barrier.clone(), id.clone());
            tokio::spawn(async move {
                let response = response(&format!("kiosk-{id}"), &id, all(4));
                barrier.wait().await;
                send_surveys(&server, vec![response]).await
            })
        };
        let phone = {
            let (server, barrier, id) = (server.clone(), barrier.clone(), id.clone());
            tokio::spawn(async move {
                let fields = form_fields(&all(2), &[]);
                let path = survey_path(KIOSK, &id, "en");
                barrier.wait().await;
                post_form(&server, &path, &fields).await
            })
        };
        let (kiosk, (status, page)) = (kiosk.await.expect("kiosk"), phone.await.expect("phone"));
        let kiosk_won = kiosk.accepted.len() == 1;
        let phone_won = status == StatusCode::OK && page.contains("Thank you");
        assert!(
            kiosk_won != phone_won,
            "round {round}: {kiosk:?} / {status} {page}"
        );
        if kiosk_won {
            kiosk_first += 1;
            assert_eq!(status, StatusCode::CONFLICT, "round {round}");
            assert!(page.contains("already been rated"), "{page}");
        } else {
            phone_first += 1;
            assert!(reason(&kiosk, &format!("kiosk-{id}")).contains("already answered"));
        }
    }
    println!("kiosk first {kiosk_first} times, phone first {phone_first} times");
    assert_eq!(respondents(&server).await, ROUNDS);
    let (_, csv) = staff_get(&server, "/reports/ikm.csv").await;
    let kiosk_rows = csv.matches(";kiosk;").count() as u32;
    let phone_rows = csv.matches(";phone;").count() as u32;
    assert_eq!((kiosk_rows, phone_rows), (kiosk_first, phone_first));
}

#[tokio::test]
async fn a_provinces_mpps_each_report_their_own_responses() {
    const KUDUS_COUNTER: &str = "counter-kudus-token-0123456789";
    const DEMAK_COUNTER: &str = "counter-demak-token-0123456789";
    let kudus = MppAccount::new("kudus", "MPP Kabupaten Kudus", SMALL_CATALOG, KUDUS_COUNTER)
        .kiosk(KioskAccount::new(KIOSK, KIOSK_TOKEN, SIGNING_KEY));
    let demak =
        MppAccount::new("demak", "MPP Kabupaten Demak", SMALL_CATALOG, DEMAK_COUNTER).kiosk(
            KioskAccount::new(OTHER_KIOSK, OTHER_KIOSK_TOKEN, OTHER_SIGNING_KEY),
        );
    let server = Server::builder().mpps([kudus, demak]).start();
    for (kiosk, token, counter) in [
        (KIOSK, KIOSK_TOKEN, KUDUS_COUNTER),
        (OTHER_KIOSK, OTHER_KIOSK_TOKEN, DEMAK_COUNTER),
    ] {
        pushed(&server, kiosk, token, "t-1", 1).await;
        let steps = ["called", "served"];
        let path = counter_path(kiosk, "t-1");
        counter_steps(&server, (counter, "Loket 2"), &path, &steps).await;
    }
    let outcome = send_surveys(&server, vec![response("kudus-1", "t-1", all(4))]).await;
    assert_eq!(outcome.accepted, ["kudus-1"]);
    let (status, _) = post_form(
        &server,
        &survey_path(OTHER_KIOSK, "t-1", "id"),
        &form_fields(&all(1), &[]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "Demak's visitor rates on a phone");

    for (mpp, channel, other) in [
        ("kudus", ";kiosk;", ";phone;"),
        ("demak", ";phone;", ";kiosk;"),
    ] {
        let (_, page) = staff_get(&server, &format!("/reports/ikm?mpp={mpp}")).await;
        assert_eq!(html::texts(&page, "respondents"), ["1"], "{mpp}");
        let elsewhere = if mpp == "kudus" { "demak" } else { "kudus" };
        assert!(
            page.contains(&format!("href=\"/reports/ikm?mpp={elsewhere}\"")),
            "{page}"
        );
        let (_, csv) = staff_get(&server, &format!("/reports/ikm.csv?mpp={mpp}")).await;
        assert!(
            csv.contains(channel) && !csv.contains(other),
            "{mpp}: {csv}"
        );
    }
    let (status, unknown) = staff_get(&server, "/reports/ikm?mpp=pati").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(unknown.contains("no MPP &quot;pati&quot;"), "{unknown}");
}
