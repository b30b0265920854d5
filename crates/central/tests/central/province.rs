//! One server for a province: two MPPs (Kudus and Demak), each with a `DKC` queue, a kiosk
//! and a counter credential, as a real process. Waiting counts, "people ahead", ticket pages,
//! the fleet page, catalogs and numbers never mix; a kiosk or a counter of one MPP cannot touch
//! the other's tickets.

use mpp_core::numbering::Lane;
use mpp_core::protocol::{BatchOutcome, EventBatch, QueueReport};
use mpp_core::ticket::{TicketStatus, sign};
use mpp_testkit::central::*;
use reqwest::StatusCode;

const KUDUS_COUNTER: &str = "counter-kudus-token-0123456789";
const DEMAK_COUNTER: &str = "counter-demak-token-0123456789";

/// Kudus has [`KIOSK`] and the small catalog; Demak has [`OTHER_KIOSK`] (with the same number
/// range: numbers never meet across MPPs) and the small catalog one version up.
fn province() -> (Server, tempfile::TempDir) {
    let folder = tempfile::tempdir().expect("temp dir");
    let demak_catalog = folder.path().join("demak.json");
    let mut catalog: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SMALL_CATALOG).expect("catalog"))
            .expect("json");
    let version = catalog["version"].as_u64().expect("a version");
    catalog["version"] = (version + 1).into();
    std::fs::write(&demak_catalog, catalog.to_string()).expect("write");
    let kudus = MppAccount::new("kudus", "MPP Kabupaten Kudus", SMALL_CATALOG, KUDUS_COUNTER)
        .kiosk(KioskAccount::new(KIOSK, KIOSK_TOKEN, SIGNING_KEY).with_range(1, 499));
    let demak = MppAccount::new(
        "demak",
        "MPP Kabupaten Demak",
        &demak_catalog,
        DEMAK_COUNTER,
    )
    .kiosk(KioskAccount::new(OTHER_KIOSK, OTHER_KIOSK_TOKEN, OTHER_SIGNING_KEY).with_range(1, 499));
    let server = Server::builder().mpps([kudus, demak]).start();
    (server, folder)
}

async fn push_as(server: &Server, token: &str, body: &EventBatch) -> (StatusCode, BatchOutcome) {
    let response = post_events(server, token, body).await;
    let status = response.status();
    (status, response.json().await.expect("an outcome"))
}

async fn waiting_as(server: &Server, token: &str) -> (u32, u32) {
    let path = format!("/api/v1/queues?day={}", today());
    let report: QueueReport = get_as(server, &path, token)
        .await
        .json()
        .await
        .expect("a queue report");
    waiting(&report, "DKC")
}

/// The page of `kiosk`'s ticket `id`, as its QR code opens it.
async fn page_of(server: &Server, kiosk: &str, id: &str) -> (StatusCode, String) {
    let signature = sign(kiosk, id, key_of(kiosk).as_bytes());
    page_at(server, &format!("/t/{kiosk}/{id}?s={signature}")).await
}

/// Kudus's tickets `kudus` (issued 1, 2, ... minutes into today) and Demak's ticket `demak`
/// (issued before them all, and numbered from 1 too), each batch taken.
async fn push_both(server: &Server, kudus: &[&str], demak: &str) {
    let minutes: Vec<i64> = (1..=kudus.len() as i64).collect();
    let batches = [
        (KIOSK_TOKEN, printed(KIOSK, kudus, &minutes)),
        (OTHER_KIOSK_TOKEN, printed(OTHER_KIOSK, &[demak], &[0])),
    ];
    for (token, batch) in batches {
        assert_eq!(push_as(server, token, &batch).await.0, StatusCode::OK);
    }
}

/// Printed tickets of `kiosk` in queue DKC, numbered from 1, issued at `minutes`.
fn printed(kiosk: &str, ids: &[&str], minutes: &[i64]) -> EventBatch {
    let events = ids
        .iter()
        .zip(minutes)
        .enumerate()
        .map(|(index, (id, minute))| {
            let sequence = index as u32 + 1;
            let ticket = ticket(kiosk, id, sequence, Lane::Regular, *minute);
            event(index as i64 + 1, &ticket, TicketStatus::Printed)
        })
        .collect();
    batch(kiosk, events)
}

async fn catalog_etag(server: &Server, token: &str) -> String {
    let response = get_as(server, "/api/v1/catalog", token).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.headers()["etag"]
        .to_str()
        .expect("text")
        .to_owned()
}

/// `(kiosk, mpp)` pairs a query returns, from whichever database the server runs on.
fn kiosk_mpp_rows(server: &Server, sql: &str) -> Vec<(String, String)> {
    if let Some(cluster) = server.postgres() {
        let (url, sql) = (cluster.url("mpp"), sql.to_owned());
        // The blocking client runs its own runtime: not inside the test's.
        return std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
            let rows = client.query(&sql, &[]).expect("query");
            rows.iter().map(|row| (row.get(0), row.get(1))).collect()
        })
        .join()
        .expect("query thread");
    }
    let connection = rusqlite::Connection::open(server.path("central.db")).expect("open");
    let mut statement = connection.prepare(sql).expect("prepare");
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .and_then(Iterator::collect)
        .expect("rows")
}

/// Which MPP the database put each of `table`'s rows in, by kiosk.
fn mpps_in(server: &Server, table: &str) -> Vec<(String, String)> {
    kiosk_mpp_rows(
        server,
        &format!("SELECT DISTINCT kiosk, mpp FROM {table} ORDER BY kiosk"),
    )
}

#[tokio::test]
async fn counts_pages_catalogs_and_numbers_stay_within_their_mpp() {
    let (server, _folder) = province();
    // Demak's DKC-001 was issued before all of Kudus's, with the same number as Kudus's first.
    push_both(&server, &["k1", "k2", "k3"], "d1").await;

    assert_eq!(waiting_as(&server, KIOSK_TOKEN).await, (3, 0));
    assert_eq!(waiting_as(&server, OTHER_KIOSK_TOKEN).await, (1, 0));

    let (status, first) = page_of(&server, KIOSK, "k1").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(
        ahead(&first),
        0,
        "Demak's earlier ticket is not ahead in Kudus"
    );
    assert!(first.contains("MPP Kabupaten Kudus") && !first.contains("Demak"));
    assert_eq!(ahead(&page_of(&server, KIOSK, "k3").await.1), 2);
    let (status, theirs) = page_of(&server, OTHER_KIOSK, "d1").await;
    assert_eq!(status, StatusCode::OK, "{theirs}");
    assert_eq!(ahead(&theirs), 0);
    assert!(theirs.contains("MPP Kabupaten Demak") && !theirs.contains("Kudus"));

    let (kudus_etag, demak_etag) = (
        catalog_etag(&server, KIOSK_TOKEN).await,
        catalog_etag(&server, OTHER_KIOSK_TOKEN).await,
    );
    assert_ne!(kudus_etag, demak_etag, "each MPP publishes its own catalog");

    for (mpp, mine, other) in [("kudus", KIOSK, OTHER_KIOSK), ("demak", OTHER_KIOSK, KIOSK)] {
        let response = get_as(&server, &format!("/fleet?mpp={mpp}"), ADMIN_TOKEN).await;
        assert_eq!(response.status(), StatusCode::OK);
        let html = response.text().await.expect("html");
        assert!(
            html.contains(mine) && !html.contains(other),
            "{mpp}: {html}"
        );
    }
    assert!(
        fleet(&server).await.contains(KIOSK),
        "/fleet opens on the first MPP"
    );
    let unknown = get_as(&server, "/fleet?mpp=jepara", ADMIN_TOKEN).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    let expected = vec![
        (KIOSK.to_owned(), "kudus".to_owned()),
        (OTHER_KIOSK.to_owned(), "demak".to_owned()),
    ];
    for table in ["tickets", "events"] {
        assert_eq!(mpps_in(&server, table), expected, "{table}");
    }
    // DKC-001 exists in both MPPs: two tickets of two MPPs, no number printed twice.
    assert!(mpps_in(&server, "flagged_numbers").is_empty());
}

#[tokio::test]
async fn a_kiosk_or_a_counter_of_one_mpp_cannot_touch_the_other() {
    let (server, _folder) = province();
    // The same ticket id at both kiosks: two tickets.
    push_both(&server, &["same", "k2"], "same").await;

    // Kudus's kiosk speaking for Demak's: the batch, or one of Demak's tickets in its own.
    let pretending = post_events(&server, KIOSK_TOKEN, &printed(OTHER_KIOSK, &["x"], &[4])).await;
    assert_eq!(pretending.status(), StatusCode::FORBIDDEN);
    let mut smuggled = printed(OTHER_KIOSK, &["x"], &[4]);
    smuggled.kiosk = KIOSK.into();
    let (status, outcome) = push_as(&server, KIOSK_TOKEN, &smuggled).await;
    assert_eq!(status, StatusCode::OK);
    assert!(outcome.accepted.is_empty());
    assert_eq!(outcome.refused.len(), 1);
    assert_eq!(waiting_as(&server, OTHER_KIOSK_TOKEN).await, (1, 0));

    // Kudus's counter cannot call Demak's ticket; Demak's can.
    let path = counter_path(OTHER_KIOSK, "same");
    let refused = counter_at(&server, KUDUS_COUNTER, &path, "called").await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert_eq!(waiting_as(&server, OTHER_KIOSK_TOKEN).await, (1, 0));
    // By id alone, "same" is Kudus's one ticket for Kudus's counter: not ambiguous.
    let steps = ["called", "served"];
    counter_steps(
        &server,
        (KUDUS_COUNTER, "Loket 2"),
        "/api/v1/counter/tickets/same",
        &steps,
    )
    .await;
    assert_eq!(waiting_as(&server, KIOSK_TOKEN).await, (1, 0));
    assert_eq!(
        waiting_as(&server, OTHER_KIOSK_TOKEN).await,
        (1, 0),
        "Demak's untouched"
    );
    let (_, theirs) = page_of(&server, OTHER_KIOSK, "same").await;
    assert!(
        !theirs.contains("Loket 2"),
        "Demak's ticket was never called"
    );
    let called = counter_at(&server, DEMAK_COUNTER, &path, "called").await;
    assert_eq!(called.status(), StatusCode::NO_CONTENT);
    let (_, theirs) = page_of(&server, OTHER_KIOSK, "same").await;
    assert!(theirs.contains("Loket 2"), "{theirs}");

    let reports = kiosk_mpp_rows(
        &server,
        "SELECT kiosk, mpp FROM counter_reports ORDER BY id",
    );
    let kudus_report = (KIOSK.to_owned(), "kudus".to_owned());
    let demak_report = (OTHER_KIOSK.to_owned(), "demak".to_owned());
    assert_eq!(reports, [kudus_report.clone(), kudus_report, demak_report]);
    let refusals = kiosk_mpp_rows(&server, "SELECT kiosk, mpp FROM refusals");
    assert_eq!(refusals, [(KIOSK.to_owned(), "kudus".to_owned())]);
}
