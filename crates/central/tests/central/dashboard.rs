//! The dashboard against a real `mpp-central` (both backends), on a fixture morning worked out
//! by hand: tickets issued from 08:00 WIB, called, served, missed and voided at two points, the
//! server's clock moved on by restarting it. The page's tables must hold the figures computed
//! here; and only the accounts that read an MPP see its dashboard.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use mpp_core::numbering::Lane;
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_testkit::central::*;
use mpp_testkit::html::text_of;
use reqwest::StatusCode;

use crate::dashboard_files::{column, csv_rows, sheet_rows};
use crate::waits::next;

/// `minutes` after 08:00 WIB on the fixture day, and `step` × 10 s more: each restart starts
/// later within its minute than the one before, so a time between two restarts is never
/// floored a minute short by the moments a restart takes (under 10 s).
fn at(minutes: i64, step: i64) -> DateTime<Utc> {
    morning() + TimeDelta::minutes(minutes) + TimeDelta::seconds(10 * step)
}

async fn finish(server: &Server, id: &str, point: &str, status: &str) {
    let path = counter_path(KIOSK, id);
    counter_steps(server, (COUNTER_TOKEN, point), &path, &[status]).await;
}

/// The fixture morning (issue minute → call minute → end minute):
/// - DKC d0 0 → 10 (Loket 1) → served 14; d1 1 → 10 (Loket 2) → no-show 20;
///   d2 2 → 14 (Loket 1) → served 20; d3 3 → 20 (Loket 2) → served 27;
///   d4 4 → 20 (Loket 1) → served 27; d5 5, voided.
/// - KTP k0 6 → 27 (Loket 2) → served 31; k1 7 → 27 (Loket 1), still at the counter.
/// - SAM s0 8, waiting (no point here serves SAM).
pub async fn fixture_morning(server: &mut Server) {
    let tickets: Vec<Ticket> = [
        ("d0", "DKC"),
        ("d1", "DKC"),
        ("d2", "DKC"),
        ("d3", "DKC"),
        ("d4", "DKC"),
        ("d5", "DKC"),
        ("k0", "KTP"),
        ("k1", "KTP"),
        ("s0", "SAM"),
    ]
    .iter()
    .zip(0..)
    .map(|((id, queue), minute)| issued_at_minute(id, queue, Lane::Regular, minute))
    .collect();
    let mut events: Vec<_> = (tickets.iter().zip(1..))
        .map(|(ticket, id)| event(id, ticket, TicketStatus::Printed))
        .collect();
    events.push(event(20, &tickets[5], TicketStatus::Voided));
    let (status, outcome) = push(server, &batch(KIOSK, events)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);

    server.restart_at(at(10, 1));
    assert_eq!(next(server, "Loket 1").await, "d0");
    assert_eq!(next(server, "Loket 2").await, "d1");
    server.restart_at(at(14, 2));
    finish(server, "d0", "Loket 1", "served").await;
    assert_eq!(next(server, "Loket 1").await, "d2");
    server.restart_at(at(20, 3));
    finish(server, "d1", "Loket 2", "no_show").await;
    assert_eq!(next(server, "Loket 2").await, "d3");
    finish(server, "d2", "Loket 1", "served").await;
    assert_eq!(next(server, "Loket 1").await, "d4");
    server.restart_at(at(27, 4));
    finish(server, "d3", "Loket 2", "served").await;
    finish(server, "d4", "Loket 1", "served").await;
    assert_eq!(next(server, "Loket 2").await, "k0", "d5 was voided");
    assert_eq!(next(server, "Loket 1").await, "k1");
    server.restart_at(at(31, 5));
    finish(server, "k0", "Loket 2", "served").await;
}

/// The rows of the table `id` of a dashboard page, by their first cell: each cell's text.
pub fn rows(html: &str, id: &str) -> BTreeMap<String, Vec<String>> {
    let start = html
        .find(&format!("class=\"figures\" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let section = &html[start..];
    let section = &section[..section.find("</section>").expect("the section's end")];
    let Some((_, body)) = section.split_once("<tbody>") else {
        return BTreeMap::new();
    };
    body.split("</tr>")
        .filter_map(|row| {
            let marked = row.replace("</th>", "\u{1}").replace("</td>", "\u{1}");
            let mut cells: Vec<String> = marked.split('\u{1}').map(text_of).collect();
            cells.pop();
            (!cells.is_empty()).then(|| (cells[0].clone(), cells))
        })
        .collect()
}

fn texts(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| (*value).to_owned()).collect()
}

/// Worked out by hand from [`fixture_morning`] (minutes; nearest-rank percentiles):
/// DKC waits 10, 9, 12, 17, 16 → sorted 9 10 12 16 17: median (3rd) 12, p90 (5th) 17;
/// services 4, 6, 7, 7: median (2nd) 6, p90 (4th) 7; served 4 of 5 valid = 80,0 %.
/// KTP waits 21, 20: median 20, p90 21; service 4; served 1 of 2 = 50,0 %.
/// DUKCAPIL (DKC + KTP): waits 9 10 12 16 17 20 21: median (4th) 16, p90 (7th) 21; services
/// 4 4 6 7 7: median 6, p90 7; served 5 of 7 = 71,4 %.
/// Loket 1 had d0, d2, d4 (served in 4, 6, 7) and k1 (called); Loket 2 d1 (no-show), d3 (7),
/// k0 (4).
pub fn expected_queues() -> BTreeMap<&'static str, Vec<String>> {
    // Issued, called, served, no-show, voided, transferred, wait median, p90, service median,
    // p90, served %, issued the week before.
    BTreeMap::from([
        (
            "DKC",
            texts(&[
                "6", "5", "4", "1", "1", "0", "12", "17", "6", "7", "80,0", "0",
            ]),
        ),
        (
            "KTP",
            texts(&[
                "2", "2", "1", "0", "0", "0", "20", "21", "4", "4", "50,0", "0",
            ]),
        ),
        (
            "SAM",
            texts(&["1", "0", "0", "0", "0", "0", "–", "–", "–", "–", "0,0", "0"]),
        ),
    ])
}

pub fn expected_agencies() -> BTreeMap<&'static str, Vec<String>> {
    BTreeMap::from([
        (
            "DUKCAPIL",
            texts(&[
                "8", "7", "5", "1", "1", "0", "16", "21", "6", "7", "71,4", "0",
            ]),
        ),
        (
            "SAMSAT",
            texts(&["1", "0", "0", "0", "0", "0", "–", "–", "–", "–", "0,0", "0"]),
        ),
    ])
}

pub fn expected_points() -> BTreeMap<&'static str, Vec<String>> {
    // Called, served, no-show, service median, p90.
    BTreeMap::from([
        ("Loket 1", texts(&["4", "3", "0", "6", "7"])),
        ("Loket 2", texts(&["3", "2", "1", "4", "7"])),
    ])
}

/// The figures of each row after its `names` name cells.
fn figures(rows: &BTreeMap<String, Vec<String>>, names: usize) -> BTreeMap<String, Vec<String>> {
    rows.iter()
        .map(|(key, cells)| (key.clone(), cells[names..].to_vec()))
        .collect()
}

fn owned(expected: BTreeMap<&'static str, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    expected
        .into_iter()
        .map(|(key, cells)| (key.to_owned(), cells))
        .collect()
}

#[tokio::test]
async fn a_fixture_morning_is_counted_as_worked_out_by_hand() {
    let mut server = Server::builder().now(morning()).start();
    fixture_morning(&mut server).await;
    let cookie = session_of(&server, HEAD.name, HEAD.password).await;
    let path = format!("/dashboard?period=day&date={MORNING_DAY}");
    let answer = get_with_cookie(&server, &path, &cookie).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let html = answer.text().await.expect("page");
    mpp_testkit::html::keep("dashboard-day", &html);

    assert_eq!(
        figures(&rows(&html, "antrean"), 3),
        owned(expected_queues())
    );
    assert_eq!(
        figures(&rows(&html, "instansi"), 2),
        owned(expected_agencies())
    );
    assert_eq!(figures(&rows(&html, "loket"), 1), owned(expected_points()));
    let summary = rows(&html, "ringkasan");
    let this_period = |label: &str| {
        let row = (summary.iter()).find(|(key, _)| key.starts_with(label));
        row.unwrap_or_else(|| panic!("{label}: {summary:?}")).1[1].clone()
    };
    assert_eq!(this_period("Diambil"), "9");
    assert_eq!(this_period("Dilayani dari"), "62,5", "5 of 8 valid");
    assert_eq!(this_period("Tunggu median"), "16");
    assert_eq!(this_period("IKM"), "–", "no survey answered");
    assert_eq!(this_period("Responden"), "0");
    let hours = rows(&html, "jam");
    assert_eq!(hours.len(), 1, "{hours:?}");
    assert_eq!(hours["08.00–08.59"][1], "9");
    assert!(
        html.contains("http-equiv=\"refresh\""),
        "today refreshes itself"
    );
    let heat = rows(&html, "hari-jam");
    assert_eq!(heat.len(), 1, "a Monday only: {heat:?}");
    assert_eq!(
        heat["Senin / Mon"],
        texts(&["Senin / Mon", "9"]),
        "9 tickets, 08.00 WIB"
    );
    let weeks = rows(&html, "minggu");
    assert_eq!(
        weeks["2026-11-23"],
        texts(&["2026-11-23", "9", "5", "1", "–"])
    );
    assert!(html.contains("id=\"chart-heat\""), "the heat map is drawn");

    files_hold_the_same_figures(&server, &cookie, &path).await;

    // November whole is read from the month's sums, a range around it from days and months.
    for span in [
        "period=month&date=2026-11-23",
        "period=range&from=2026-10-30&to=2026-12-02",
    ] {
        let month = get_with_cookie(&server, &format!("/dashboard?{span}"), &cookie).await;
        let month = month.text().await.expect("page");
        assert_eq!(
            figures(&rows(&month, "antrean"), 3),
            owned(expected_queues()),
            "{span}"
        );
        assert_eq!(
            figures(&rows(&month, "loket"), 1),
            owned(expected_points()),
            "{span}"
        );
    }

    // A rebuild sums the same tallies.
    let rebuilt = server.command(&["dashboard", "rebuild"], "");
    assert!(rebuilt.status.success(), "{rebuilt:?}");
    let again = get_with_cookie(&server, &path, &cookie).await;
    let again = again.text().await.expect("page");
    assert_eq!(rows(&again, "antrean"), rows(&html, "antrean"));
    assert_eq!(rows(&again, "loket"), rows(&html, "loket"));

    // The week before is empty, and compared with.
    let earlier = "/dashboard?period=day&date=2026-11-16";
    let earlier = get_with_cookie(&server, earlier, &cookie)
        .await
        .text()
        .await;
    let earlier = earlier.expect("page");
    assert!(rows(&earlier, "antrean").is_empty());
    assert!(
        !earlier.contains("http-equiv=\"refresh\""),
        "a past day stays still"
    );
}

#[tokio::test]
async fn counter_staff_and_strangers_see_no_dashboard() {
    let server = Server::builder().now(morning()).start();
    let anonymous = client_without_redirects()
        .get(server.url("/dashboard"))
        .send()
        .await
        .expect("answer");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let clerk = session_of(&server, CLERK.name, CLERK.password).await;
    let answer = get_with_cookie(&server, "/dashboard", &clerk).await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let head = session_of(&server, HEAD.name, HEAD.password).await;
    let bad = get_with_cookie(&server, "/dashboard?period=year", &head).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let long = "/dashboard?period=range&from=2025-01-01&to=2026-11-23";
    let long = get_with_cookie(&server, long, &head).await;
    assert_eq!(long.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_head_reads_only_their_mpp_and_the_province_every_mpp() {
    let kudus = MppAccount::new("kudus", "MPP Kabupaten Kudus", SMALL_CATALOG, COUNTER_TOKEN)
        .kiosk(KioskAccount::new(KIOSK, KIOSK_TOKEN, SIGNING_KEY));
    let demak = MppAccount::new(
        "demak",
        "MPP Kabupaten Demak",
        SMALL_CATALOG,
        OTHER_COUNTER_TOKEN,
    )
    .kiosk(KioskAccount::new(
        OTHER_KIOSK,
        OTHER_KIOSK_TOKEN,
        OTHER_SIGNING_KEY,
    ));
    let server = Server::builder()
        .now(morning())
        .mpps([kudus, demak])
        .start();
    let page = |cookie: String, path: &'static str| {
        let server = &server;
        async move {
            let answer = get_with_cookie(server, path, &cookie).await;
            (answer.status(), answer.text().await.expect("page"))
        }
    };

    let head = session_of(&server, &head_of("kudus"), HEAD.password).await;
    let (status, html) = page(head.clone(), "/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("MPP Kabupaten Kudus"), "their own MPP first");
    assert!(
        !html.contains("MPP Kabupaten Demak"),
        "no way to another MPP"
    );
    let (status, _) = page(head.clone(), "/dashboard?mpp=demak").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, fleet) = page(head, "/fleet").await;
    assert!(
        fleet.contains("href=\"/dashboard?mpp=kudus\""),
        "the fleet leads there"
    );

    let province = session_of(&server, PROVINCE.name, PROVINCE.password).await;
    let (status, html) = page(province.clone(), "/dashboard?mpp=demak").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("mpp=kudus"), "a link to every MPP: {html}");
    let (status, _) = page(province.clone(), "/dashboard?mpp=kudus").await;
    assert_eq!(status, StatusCode::OK);
    let (status, html) = page(province, "/dashboard/province?sort=issued").await;
    assert_eq!(status, StatusCode::OK);
    let lines = rows(&html, "provinsi");
    let names: Vec<&String> = lines.keys().collect();
    assert_eq!(
        names,
        ["MPP Kabupaten Demak", "MPP Kabupaten Kudus"],
        "side by side"
    );
    assert!(
        html.contains("href=\"/dashboard?mpp=demak&amp;period=day"),
        "{html}"
    );
    assert!(html.contains("sort=wait"), "sortable: {html}");
    let head = session_of(&server, &head_of("demak"), HEAD.password).await;
    let (status, html) = page(head, "/dashboard/province").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !html.contains("Kudus"),
        "a head's province view is their MPP alone"
    );

    let clerk = session_of(&server, &clerk_of("demak"), CLERK.password).await;
    let (status, _) = page(clerk, "/dashboard?mpp=demak").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// The page's figures as the CSV writes them: a decimal point, nothing for no figure.
fn in_csv(cells: &[String]) -> Vec<String> {
    (cells.iter())
        .map(|cell| {
            if cell == "–" {
                String::new()
            } else {
                cell.replace(',', ".")
            }
        })
        .collect()
}

/// The CSV and the XLSX of the page at `page` hold the hand-worked figures.
async fn files_hold_the_same_figures(server: &Server, cookie: &str, page: &str) {
    let query = page.split_once('?').expect("a query").1;
    let answer = get_with_cookie(server, &format!("/dashboard.csv?{query}"), cookie).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(
        answer.headers()["content-disposition"]
            .to_str()
            .expect("text")
            .contains(".csv")
    );
    let text = answer.text().await.expect("csv");
    let queues = csv_rows(&text, "Per antrean layanan / Per service queue");
    for (queue, cells) in expected_queues() {
        assert_eq!(
            queues[queue][3..].to_vec(),
            in_csv(&cells),
            "{queue} in the CSV"
        );
    }
    let points = csv_rows(&text, "Per loket / Per counter point");
    for (point, cells) in expected_points() {
        assert_eq!(
            points[point][1..].to_vec(),
            in_csv(&cells),
            "{point} in the CSV"
        );
    }

    let answer = get_with_cookie(server, &format!("/dashboard.xlsx?{query}"), cookie).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let xlsx = answer.bytes().await.expect("xlsx");
    let sheet = sheet_rows(&xlsx, "antrean");
    for (queue, cells) in expected_queues() {
        let row = &sheet[queue];
        for (index, expected) in (3..).zip(&cells) {
            let found = row.get(&column(index));
            if expected == "–" {
                assert!(
                    found.is_none(),
                    "{queue} {index}: no figure, an empty cell: {found:?}"
                );
                continue;
            }
            let found = found.unwrap_or_else(|| panic!("{queue} column {index}"));
            assert!(found.number, "{queue} {index} is a number: {found:?}");
            let value: f64 = found.text.parse().expect("a number");
            let wanted: f64 = expected.replace(',', ".").parse().expect("a number");
            assert!(
                (value - wanted).abs() < 1e-9,
                "{queue} {index}: {value} ≠ {wanted}"
            );
        }
    }
}
