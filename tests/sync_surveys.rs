//! Survey responses and the sync round, against a real `mpp-central` process on 127.0.0.1.
//! This server does not take surveys yet (the endpoint comes with the central side of the
//! survey): its 404 must leave every response queued, the round must still send the tickets,
//! and the queue must outlast a restart of the kiosk, to go out once the server learns.
//! Until then, a stand-in endpoint on a real socket (the documented rules: idempotent by
//! response id, refusals with a reason) checks that each response is stored once even when
//! an answer is lost, and that a refused one is set aside.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use common::{instant, settings, small_catalog};
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::protocol::{SurveyBatch, SurveyOutcome, SurveyRefusal};
use mpp_core::survey::respondent::Respondent;
use mpp_core::survey::{Answers, Rating};
use mpp_kiosk::store::{IssueSettings, NewResponse, Recorded, Store};
use mpp_kiosk::sync::{Client, Syncer};
use mpp_testkit::central::{KioskAccount, SIGNING_KEY, Server};
use tokio::sync::watch;

const TOKEN: &str = "kiosk-one-secret-token";
const MONDAY: &str = "2026-11-23T09:00:00+07:00";

fn syncer(url: &str, store: Arc<Mutex<Store>>) -> Syncer {
    let (publish, _catalog) = watch::channel(Arc::new(small_catalog()));
    let client = Client::with_timeout(url, TOKEN, Duration::from_secs(2)).expect("client");
    Syncer::new(
        client,
        store,
        "K1".into(),
        mpp_core::day::TimeZone::JAKARTA,
        publish,
        Arc::new(|| PrinterState::Ready),
        Arc::new(|| instant(MONDAY)),
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
    let central = Server::builder()
        .kiosks([KioskAccount::new("K1", TOKEN, SIGNING_KEY)])
        .start();
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("kiosk.db");
    let runtime = common::runtime(2);
    {
        let mut store = Store::open(&path).expect("store");
        let mut issue = settings("K1", 1, 999);
        issue.qr_base_url = central.url("");
        issue.signing_key = SIGNING_KEY.as_bytes().to_vec();
        for _ in 0..3 {
            let ticket = store
                .issue(
                    &small_catalog(),
                    &issue,
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
            let saved = store
                .record_survey(&response, instant(MONDAY))
                .expect("saved");
            assert!(matches!(saved, Recorded::Saved(_)));
        }
        let store = Arc::new(Mutex::new(store));
        let syncer = syncer(&central.url(""), store.clone());
        let report = runtime
            .block_on(syncer.round())
            .expect("the round succeeds");
        assert_eq!(report.sent, 3, "the tickets went");
        assert_eq!(report.surveys_sent, 0, "the server has no survey endpoint");
        let store = store.lock().expect("store");
        assert_eq!(store.outbox_depth().expect("depth").unsent, 0);
        assert_eq!(
            store.survey_depth().expect("depth"),
            (3, 0),
            "kept, not refused"
        );
    }
    // The kiosk restarts: the responses are still queued, and another round keeps them.
    let store = Arc::new(Mutex::new(Store::open(&path).expect("reopened")));
    let syncer = syncer(&central.url(""), store.clone());
    runtime
        .block_on(syncer.round())
        .expect("the round succeeds");
    let store = store.lock().expect("store");
    assert_eq!(store.survey_depth().expect("depth"), (3, 0));
    assert_eq!(store.unsent_surveys(10).expect("unsent").len(), 3);
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
                let (head, body) = read_request(&mut stream).await;
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

/// The request line and headers, and the body, of one HTTP request.
async fn read_request(stream: &mut tokio::net::TcpStream) -> (String, Vec<u8>) {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let read = stream.read(&mut buffer).await.expect("read");
        assert!(read > 0, "the request ended early");
        seen.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&seen).into_owned();
        let Some(end) = text.find("\r\n\r\n") else {
            continue;
        };
        let length = text[..end]
            .lines()
            .find_map(|line| {
                let line = line.to_ascii_lowercase();
                line.strip_prefix("content-length:")
                    .and_then(|value| value.trim().parse::<usize>().ok())
            })
            .unwrap_or(0);
        if seen.len() >= end + 4 + length {
            return (
                text[..end].to_owned(),
                seen[end + 4..end + 4 + length].to_vec(),
            );
        }
    }
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
