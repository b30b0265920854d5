//! Survey responses and the sync round, against a real `mpp-central` process on 127.0.0.1.
//! This server does not take surveys yet (the endpoint comes with the central side of the
//! survey): its 404 must leave every response queued, the round must still send the tickets,
//! and the queue must outlast a restart of the kiosk, to go out once the server learns.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{instant, settings, small_catalog};
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::survey::respondent::Respondent;
use mpp_core::survey::{Answers, Rating};
use mpp_kiosk::store::{NewResponse, Recorded, Store};
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
