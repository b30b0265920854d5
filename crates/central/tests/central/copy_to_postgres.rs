//! `mpp-central copy-to-postgres`: a regency's SQLite file, filled by a real server (tickets,
//! events, a conflict, a refusal, counter reports, a number printed twice, a heartbeat, a
//! technician's audit entry, a survey response, a service closed and one reopened by staff, the
//! published catalog, staff accounts), copied into a throwaway PostgreSQL cluster as MPP `kudus`: every row
//! arrives with its contents, as Kudus's; a second copy is refused and changes nothing.

use mpp_core::numbering::Lane;
use mpp_core::ticket::TicketStatus;
use mpp_testkit::central::*;
use mpp_testkit::postgres::Cluster;
use reqwest::StatusCode;

const TABLES: [&str; 12] = [
    "tickets",
    "events",
    "conflicts",
    "refusals",
    "counter_reports",
    "flagged_numbers",
    "kiosks",
    "audit_log",
    "survey_responses",
    "closure_changes",
    "service_closures",
    "published_catalogs",
];

/// Each table's rows as text, in a stable order, `mpp` left out.
fn sqlite_rows(path: &std::path::Path, table: &str) -> Vec<String> {
    let connection = rusqlite::Connection::open(path).expect("open");
    let sql = format!("SELECT * FROM {table}");
    let mut statement = connection.prepare(&sql).expect("prepare");
    let names: Vec<String> = statement.column_names().map(str::to_owned).collect();
    let mut rows: Vec<String> = statement
        .query_map([], |row| {
            let mut cells = Vec::new();
            for (index, name) in names.iter().enumerate() {
                if name == "mpp" || name == "id" && table != "tickets" && table != "kiosks" {
                    continue;
                }
                let value: rusqlite::types::Value = row.get(index)?;
                cells.push(match value {
                    rusqlite::types::Value::Integer(number) => number.to_string(),
                    rusqlite::types::Value::Text(text) => text,
                    rusqlite::types::Value::Null => "NULL".into(),
                    other => format!("{other:?}"),
                });
            }
            Ok(cells.join("|"))
        })
        .and_then(Iterator::collect)
        .expect("rows");
    rows.sort();
    rows
}

/// The same from PostgreSQL, with the MPP each row was given.
fn postgres_rows(url: &str, table: &str, columns: &str) -> (Vec<String>, Vec<String>) {
    let (url, sql) = (
        url.to_owned(),
        format!("SELECT mpp, concat_ws('|', {columns}) FROM {table}"),
    );
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        let rows = client.query(&sql, &[]).expect("query");
        let mut mpps: Vec<String> = rows.iter().map(|row| row.get(0)).collect();
        let mut cells: Vec<String> = rows.iter().map(|row| row.get(1)).collect();
        mpps.dedup();
        cells.sort();
        (mpps, cells)
    })
    .join()
    .expect("query thread")
}

/// The columns of `table` that [`sqlite_rows`] keeps, NULL written as SQLite's.
fn columns(path: &std::path::Path, table: &str) -> String {
    let connection = rusqlite::Connection::open(path).expect("open");
    let statement = connection
        .prepare(&format!("SELECT * FROM {table}"))
        .expect("prepare");
    statement
        .column_names()
        .filter(|name| {
            *name != "mpp" && !(*name == "id" && table != "tickets" && table != "kiosks")
        })
        .map(|name| format!("coalesce({name}::text, 'NULL')"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn fill(server: &Server) {
    let first = ticket(KIOSK, "r1", 1, Lane::Regular, 0);
    let second = ticket(KIOSK, "r2", 2, Lane::Priority, 1);
    let events = vec![
        event(1, &first, TicketStatus::Issued),
        event(2, &first, TicketStatus::Printed),
        event(3, &second, TicketStatus::Printed),
    ];
    assert_eq!(
        push(server, &batch(KIOSK, events.clone())).await.0,
        StatusCode::OK
    );
    let mut changed = events[2].clone();
    changed.reason = Some("rewritten".into());
    let mut foreign = one(OTHER_KIOSK, 9, "x1");
    foreign.kiosk = KIOSK.into();
    let mut mixed = batch(KIOSK, vec![changed]);
    mixed.events.extend(foreign.events);
    assert_eq!(push(server, &mixed).await.0, StatusCode::CONFLICT);
    let twin = ticket(OTHER_KIOSK, "o1", 1, Lane::Regular, 2);
    let twin = batch(OTHER_KIOSK, vec![event(1, &twin, TicketStatus::Printed)]);
    assert_eq!(
        post_events(server, OTHER_KIOSK_TOKEN, &twin).await.status(),
        StatusCode::OK
    );
    let steps = ["called", "served"];
    counter_steps(
        server,
        (COUNTER_TOKEN, "Loket 2"),
        &counter_path(KIOSK, "r1"),
        &steps,
    )
    .await;
    assert_eq!(get_catalog(server, None).await.status(), StatusCode::OK);
    let audit = mpp_core::protocol::AuditBatch {
        kiosk: KIOSK.into(),
        entries: vec![mpp_core::protocol::AuditRecord {
            id: 1,
            at: chrono::Utc::now(),
            action: "maintenance_pin".into(),
            detail: String::new(),
            outcome: "accepted".into(),
        }],
    };
    let answer = post_as(server, "/api/v1/audit", KIOSK_TOKEN, &audit).await;
    assert_eq!(answer.status(), StatusCode::OK);
    send_closures(server).await;
    let mut survey = response("survey-1", "r1", all(4));
    survey.suggestion =
        mpp_core::survey::suggestion::Suggestion::new("Ruang tunggu, sejuk").expect("fine");
    survey.respondent.sex = Some(mpp_core::survey::respondent::Sex::Female);
    let outcome = send_surveys(server, vec![survey]).await;
    assert_eq!(outcome.accepted, ["survey-1"]);
}

/// A service closed (notice kept) and another closed then reopened (NULL kept).
async fn send_closures(server: &Server) {
    use mpp_core::closure_sync::{CLOSURES_PATH, ClosureBatch, ClosureChange};
    use mpp_core::staff_closure::StaffNotice;
    let at = chrono::Utc::now();
    let change = |id, service: &str, notice| ClosureChange {
        id,
        business_day: today(),
        service: service.into(),
        notice,
        at: at + chrono::TimeDelta::seconds(id),
    };
    let batch = ClosureBatch {
        kiosk: KIOSK.into(),
        changes: vec![
            change(1, "DKC-KK", Some(StaffNotice::FullToday)),
            change(2, "DKC-KTP", Some(StaffNotice::OfficerAway)),
            change(3, "DKC-KTP", None),
        ],
    };
    let answer = post_as(server, CLOSURES_PATH, KIOSK_TOKEN, &batch).await;
    assert_eq!(answer.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_regency_file_arrives_whole_as_one_mpp_and_only_once() {
    if !mpp_testkit::postgres::installed_or_skip(
        "a_regency_file_arrives_whole_as_one_mpp_and_only_once",
    ) {
        return;
    }
    let mut server = Server::start();
    fill(&server).await;
    server.kill();
    let file = server.path("central.db");
    let cluster = Cluster::start();
    let url = cluster.url("mpp");
    let args = [
        "copy-to-postgres",
        "--from",
        file.to_str().expect("path"),
        "--to",
        &url,
        "--mpp",
        "kudus",
    ];

    let output = run(&args, &server.path(""));
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for table in TABLES {
        let expected = sqlite_rows(&file, table);
        assert!(
            printed.contains(&format!("{table}: {}\n", expected.len())),
            "{table}: {printed}"
        );
        let (mpps, rows) = postgres_rows(&url, table, &columns(&file, table));
        assert_eq!(rows, expected, "{table}");
        let expected_mpps: Vec<String> = if expected.is_empty() {
            vec![]
        } else {
            vec!["kudus".into()]
        };
        assert_eq!(mpps, expected_mpps, "{table}");
    }
    // The regency's head and counter staff become Kudus's, with their passwords; its
    // administrator does not become the province's.
    assert!(printed.contains("staff_accounts: 2\n"), "{printed}");
    let (mpps, accounts) = postgres_rows(&url, "staff_accounts", "name, role, password");
    assert_eq!(mpps, ["kudus"]);
    assert_eq!(
        accounts,
        [
            format!("{}|head|{}", HEAD.name, HEAD.phc),
            format!("{}|counter|{}", CLERK.name, CLERK.phc)
        ]
    );
    let (_, conflicts) = postgres_rows(&url, "conflicts", "body");
    assert!(conflicts[0].contains("rewritten"), "{conflicts:?}");
    assert_eq!(sqlite_rows(&file, "flagged_numbers").len(), 1);
    assert_eq!(sqlite_rows(&file, "counter_reports").len(), 2);
    assert_eq!(sqlite_rows(&file, "audit_log").len(), 1);
    assert_eq!(sqlite_rows(&file, "survey_responses").len(), 1);
    assert_eq!(sqlite_rows(&file, "closure_changes").len(), 3);
    assert_eq!(sqlite_rows(&file, "service_closures").len(), 2);

    let again = run(&args, &server.path(""));
    assert!(!again.status.success());
    let error = String::from_utf8_lossy(&again.stderr);
    assert!(
        error.contains("already holds tickets of kiosk") && error.contains("kudus"),
        "{error}"
    );
    let (_, tickets) = postgres_rows(&url, "tickets", "id");
    assert_eq!(tickets.len(), 3, "nothing copied twice");
}
