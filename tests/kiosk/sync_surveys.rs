//! Survey responses and the sync round. Against a real `mpp-central` process on 127.0.0.1:
//! answers given at the kiosk while the server is away reach it exactly once, through a
//! server killed and restarted while the kiosk drains them. An older server without the
//! endpoint (a stand-in answering 404 to everything, as one would to `/api/v1/surveys`) must
//! leave every response queued, and the queue must outlast a restart of the kiosk. A
//! stand-in endpoint on a real socket (the documented rules: idempotent by response id,
//! refusals with a reason) checks that each response is stored once even when an answer is
//! lost, and that a refused one is set aside.

use crate::common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::common::{instant, settings, small_catalog};
use chrono::Utc;
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::protocol::{SurveyBatch, SurveyOutcome, SurveyRefusal};
use mpp_core::survey::respondent::Respondent;
use mpp_core::survey::{Answers, Rating};
use mpp_core::validate::ValidCatalog;
use mpp_station::store::{IssueSettings, NewResponse, Recorded, Store};
use mpp_station::sync::{Client, Syncer};
use mpp_testkit::central::{COUNTER_TOKEN, KioskAccount, SIGNING_KEY, Server};
use tokio::sync::watch;

const TOKEN: &str = "kiosk-one-secret-token";
const MONDAY: &str = "2026-11-23T09:00:00+07:00";

/// A syncer of kiosk K1 with the small catalog, on Monday's clock.
fn syncer(url: &str, store: Arc<Mutex<Store>>) -> Syncer {
    syncer_with(url, store, small_catalog(), Arc::new(|| instant(MONDAY)))
}

fn syncer_with(
    url: &str,
    store: Arc<Mutex<Store>>,
    catalog: ValidCatalog,
    clock: Arc<dyn Fn() -> chrono::DateTime<Utc> + Send + Sync>,
) -> Syncer {
    let (publish, _catalog) = watch::channel(Arc::new(catalog));
    let client = Client::with_timeout(url, TOKEN, Duration::from_secs(5)).expect("client");
    Syncer::new(
        client,
        store,
        "K1".into(),
        mpp_core::day::TimeZone::JAKARTA,
        publish,
        Arc::new(|| PrinterState::Ready),
        clock,
    )
}

/// Issues `count` tickets, each answered; the response ids, in order.
fn answered_tickets(store: &mut Store, issue: &IssueSettings, count: usize) -> Vec<String> {
    (0..count)
        .map(|_| {
            let ticket = store
                .issue(
                    &small_catalog(),
                    issue,
                    &"DKC-KK".into(),
                    Lane::Regular,
                    instant(MONDAY),
                )
                .expect("issued");
            let response = NewResponse {
                ticket_id: ticket.id.clone(),
                answers: Answers::uniform(Rating::new(4).expect("4")),
                respondent: Respondent::default(),
                suggestion: None,
                language: Language::Indonesian,
            };
            match store
                .record_survey(&response, instant(MONDAY))
                .expect("saved")
            {
                Recorded::Saved(id) => id,
                Recorded::AlreadyAnswered => panic!("a new ticket has no response"),
            }
        })
        .collect()
}

#[test]
fn an_older_server_leaves_the_responses_queued_across_a_restart() {
    let runtime = common::runtime(2);
    let url = not_found_endpoint(&runtime);
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("kiosk.db");
    {
        let mut store = Store::open(&path).expect("store");
        answered_tickets(&mut store, &settings("K1", 1, 999), 3);
        // The tickets went before (the round pushes them first): only the surveys are left.
        rusqlite::Connection::open(&path)
            .and_then(|db| db.execute("UPDATE outbox SET sent_at = '2026-11-23T02:00:00Z'", []))
            .expect("tickets sent");
        let store = Arc::new(Mutex::new(store));
        let syncer = syncer(&url, store.clone());
        let report = runtime
            .block_on(syncer.round())
            .expect("the round succeeds");
        assert_eq!(report.surveys_sent, 0, "the server has no survey endpoint");
        let store = store.lock().expect("store");
        assert_eq!(
            store.survey_depth().expect("depth"),
            (3, 0),
            "kept, not refused"
        );
    }
    // The kiosk restarts: the responses are still queued, and another round keeps them.
    let store = Arc::new(Mutex::new(Store::open(&path).expect("reopened")));
    let syncer = syncer(&url, store.clone());
    runtime
        .block_on(syncer.round())
        .expect("the round succeeds");
    let store = store.lock().expect("store");
    assert_eq!(store.survey_depth().expect("depth"), (3, 0));
    assert_eq!(store.unsent_surveys(10).expect("unsent").len(), 3);
}

/// A server that answers 404 (with an API error) to every request, as an older server
/// answers `/api/v1/surveys`. Returns its base URL.
fn not_found_endpoint(runtime: &tokio::runtime::Runtime) -> String {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    runtime.spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                common::http::read_request(&mut stream).await;
                let json = r#"{"error":"no route for this request"}"#;
                let answer = format!(
                    "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{json}",
                    json.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// What the stand-in endpoint has stored: how many times each response id arrived.
type Received = Arc<Mutex<BTreeMap<String, u32>>>;

/// `POST /api/v1/surveys` by the documented rules, on 127.0.0.1: stores each response id once
/// (a resend is a duplicate), refuses the ids in `refuse`, and drops the connection without an
/// answer on the first `lose` requests (after storing what they held). Returns its base URL.
fn stand_in_endpoint(
    runtime: &tokio::runtime::Runtime,
    received: Received,
    refuse: Vec<String>,
    lose: usize,
) -> String {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let lost = Arc::new(Mutex::new(0usize));
    runtime.spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (received, refuse, lost) = (received.clone(), refuse.clone(), lost.clone());
            tokio::spawn(async move {
                let (head, body) = common::http::read_request(&mut stream)
                    .await
                    .expect("the request ended early");
                assert!(head.starts_with("POST /api/v1/surveys "), "{head}");
                let batch: SurveyBatch = serde_json::from_slice(&body).expect("a survey batch");
                let mut outcome = SurveyOutcome::default();
                {
                    let mut received = received.lock().expect("received");
                    for response in &batch.responses {
                        let id = response.response_id.clone();
                        if refuse.contains(&id) {
                            outcome.refused.push(SurveyRefusal {
                                response_id: id,
                                reason: "the ticket was voided".into(),
                            });
                            continue;
                        }
                        let times = received.entry(id.clone()).or_default();
                        *times += 1;
                        if *times == 1 {
                            outcome.accepted.push(id);
                        } else {
                            outcome.duplicates.push(id);
                        }
                    }
                }
                {
                    let mut lost = lost.lock().expect("lost");
                    if *lost < lose {
                        *lost += 1;
                        return;
                    }
                }
                let json = serde_json::to_string(&outcome).expect("json");
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{json}",
                    json.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    format!("http://127.0.0.1:{port}")
}

#[test]
fn each_response_is_stored_once_through_a_lost_answer_and_a_refused_one_is_set_aside() {
    let runtime = common::runtime(2);
    let folder = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&folder.path().join("kiosk.db")).expect("store");
    let ids = answered_tickets(&mut store, &settings("K1", 1, 999), 4);
    let received = Received::default();
    let url = stand_in_endpoint(&runtime, received.clone(), vec![ids[3].clone()], 1);
    let store = Arc::new(Mutex::new(store));
    let syncer = syncer(&url, store.clone());
    // The first answer is lost: nothing is marked sent.
    let lost = runtime.block_on(syncer.push_surveys());
    assert!(lost.is_err(), "{lost:?}");
    assert_eq!(
        store.lock().expect("store").survey_depth().expect("depth"),
        (4, 0)
    );
    // Sent again: the server already has three (duplicates), refuses the fourth.
    let pushed = runtime.block_on(syncer.push_surveys()).expect("sent");
    assert_eq!((pushed.sent, pushed.duplicates, pushed.refused), (0, 3, 1));
    assert_eq!(
        store.lock().expect("store").survey_depth().expect("depth"),
        (0, 1)
    );
    // Nothing is left to send: no request at all.
    let again = runtime
        .block_on(syncer.push_surveys())
        .expect("nothing to send");
    assert_eq!(again, Default::default());
    let received = received.lock().expect("received");
    assert_eq!(received.len(), 3, "the refused one is never stored");
    assert!(received.values().all(|times| *times == 2), "{received:?}");
}

/// The small catalog with its standard schedule open all day every day and no holidays, so
/// the kiosk issues at the real time of day (the server's counters serve only today's
/// tickets, on the server's clock).
fn all_day_catalog() -> ValidCatalog {
    let text = std::fs::read_to_string(mpp_testkit::fixtures::SMALL_CATALOG).expect("read");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let day =
        serde_json::json!({ "open": "00:00", "close": "24:00", "cutoff": "24:00", "breaks": [] });
    let week: serde_json::Map<String, serde_json::Value> =
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .into_iter()
            .map(|name| (name.to_owned(), day.clone()))
            .collect();
    json["schedules"]["standard"] = week.into();
    json["holidays"] = serde_json::json!([]);
    mpp_core::catalog_json::parse(&json.to_string(), "all-day catalog").expect("valid")
}

/// Every ticket `ids` of K1 called and served at a counter, fifty at a time.
async fn serve_all(base: &str, ids: &[String]) {
    for chunk in ids.chunks(50) {
        let mut calls = tokio::task::JoinSet::new();
        for id in chunk {
            let url = format!("{base}/api/v1/counter/tickets/K1/{id}");
            calls.spawn(async move {
                for step in ["called", "served"] {
                    let answer = mpp_testkit::central::client()
                        .post(&url)
                        .bearer_auth(COUNTER_TOKEN)
                        .json(&serde_json::json!({ "status": step, "counter": "Loket 1" }))
                        .send()
                        .await
                        .expect("counter report");
                    let status = answer.status().as_u16();
                    let body = answer.text().await.unwrap_or_default();
                    assert_eq!(status, 204, "{step} {url}: {body}");
                }
            });
        }
        while let Some(done) = calls.join_next().await {
            done.expect("counter task");
        }
    }
}

#[test]
fn answers_given_offline_reach_the_server_once_through_a_server_kill() {
    const TICKETS: usize = 2000;
    let runtime = common::runtime(2);
    let folder = tempfile::tempdir().expect("temp dir");
    let catalog = all_day_catalog();
    let mut store = Store::open(&folder.path().join("kiosk.db")).expect("store");
    let issue = settings("K1", 1, 9999);
    // A fixed morning, on the server's clock too: the counters' "today" and the survey's
    // window are the kiosk's, whatever the hour the test runs at.
    let now = instant(MONDAY);
    let mut ids = Vec::new();
    // With no server anywhere: tickets issued and answered at the kiosk, all kept.
    for visitor in 0..TICKETS {
        let ticket = store
            .issue(&catalog, &issue, &"DKC-KK".into(), Lane::Regular, now)
            .expect("issued");
        let response = NewResponse {
            ticket_id: ticket.id.clone(),
            answers: Answers::uniform(Rating::new(1 + (visitor % 4) as u8).expect("1 to 4")),
            respondent: Respondent::default(),
            suggestion: None,
            language: Language::Indonesian,
        };
        let saved = store.record_survey(&response, now).expect("saved");
        assert!(matches!(saved, Recorded::Saved(_)));
        ids.push(ticket.id.to_string());
    }
    assert_eq!(store.survey_depth().expect("depth"), (TICKETS as u32, 0));

    // The server comes up; the tickets go and are served; the answers start to drain.
    let mut central = Server::builder()
        .kiosks([KioskAccount::new("K1", TOKEN, SIGNING_KEY)])
        .now(now)
        .start();
    let store = Arc::new(Mutex::new(store));
    let clock = mpp_common::instant::clock_from(Some(now));
    let syncer = syncer_with(&central.url(""), store.clone(), catalog, clock);
    runtime.block_on(syncer.push_all()).expect("tickets sent");
    runtime.block_on(serve_all(&central.url(""), &ids));
    let draining = {
        let syncer = syncer.clone();
        runtime.spawn(async move { syncer.push_surveys().await })
    };
    let unsent = || {
        store
            .lock()
            .expect("store")
            .survey_depth()
            .expect("depth")
            .0 as usize
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while unsent() > TICKETS - 250 {
        assert!(
            std::time::Instant::now() < deadline,
            "no batch went through"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    central.kill();
    let interrupted = runtime.block_on(draining).expect("task");
    let left = unsent();
    println!("killed with {left} of {TICKETS} responses unsent: {interrupted:?}");
    assert!(
        interrupted.is_err() && left > 0,
        "the kill should land mid-way: {interrupted:?}"
    );

    central.restart();
    let rest = runtime
        .block_on(syncer.push_surveys())
        .expect("the rest is sent");
    assert_eq!((rest.refused, rest.deferred), (0, 0), "{rest:?}");
    assert_eq!(
        store.lock().expect("store").survey_depth().expect("depth"),
        (0, 0)
    );
    let (status, report) =
        runtime.block_on(mpp_testkit::central::staff_get(&central, "/reports/ikm"));
    assert_eq!(status.as_u16(), 200, "{report}");
    assert_eq!(
        mpp_testkit::html::texts(&report, "respondents"),
        [TICKETS.to_string()],
        "every answer exactly once"
    );
}
