//! The staff and phone pages at a phone's 390 px (and the staff pages at 1366 px) in a real
//! headless Chromium against a real `mpp-central`: nothing reaches past the window's width
//! (`scrollWidth <= innerWidth`), every control a finger aims at (links, buttons, fields,
//! lists, the label of a radio button) is at least 44 px high, and the pages say words, not
//! codes (`paper_out`, `numbers_from_server`). The fleet shows every column of every kiosk
//! on a phone; the phone survey has its language switch on top and its submit as the main
//! action, and once rated the ticket page no longer offers the survey; the lobby display's
//! latest calls keep each number on one line at 1024×768 and 1920×1080. Pictures go to
//! `$MPP_SCREENSHOTS` when it names a folder (`docs/screenshots/staff/`).

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use mpp_core::printer_state::PrinterState;
use mpp_core::protocol::{AuditBatch, AuditRecord, DayDoubt, Heartbeat};
use mpp_core::survey::{Element, Rating};
use mpp_testkit::browser::{Browser, Page};
use mpp_testkit::central::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::browser_pages::{blocking, picture};

const WAIT: Duration = Duration::from_secs(20);
/// A finger's target: WCAG 2.5.5's 44 CSS px.
const FINGER: f64 = 44.0;

/// Whether the page is wider than its window (a phone would scroll it sideways).
const OVERFLOW: &str = "({ scroll: document.documentElement.scrollWidth, window: innerWidth })";

/// The elements that reach past the window's right edge (cut off), by tag and text.
const CUT_OFF: &str = "[...document.querySelectorAll('body *')]\
    .filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)\
    .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 30))";

/// Every visible control shorter than a finger: links, buttons, fields and lists by their own
/// box, a radio button or check box by its label's (the label is what is tapped).
const SMALL_TARGETS: &str = "[...document.querySelectorAll('a[href], button, select, textarea, input:not([type=hidden])')]\
    .map(e => (e.type === 'radio' || e.type === 'checkbox') ? (e.closest('label') || e) : e)\
    .filter(e => e.getClientRects().length > 0 && !e.closest('[hidden]'))\
    .map(e => [e.tagName + ' ' + (e.textContent || e.name || '').trim().slice(0, 30), e.getBoundingClientRect().height])\
    .filter(([_, height]) => height < 44)";

/// Words in the page's text that are codes (`paper_out`, `numbers_from_server`).
const CODES: &str = "document.body.innerText.match(/\\b[a-z]+(_[a-z]+)+\\b/g) || []";

fn px(value: &Value) -> f64 {
    value.as_f64().expect("a number of px")
}

/// Fits `width` px, every target a finger's height, no code shown.
fn fits_a_finger(page: &Page, width: u32, what: &str) {
    let sizes = page.eval(OVERFLOW);
    let (scroll, window) = (px(&sizes["scroll"]), px(&sizes["window"]));
    assert!(scroll <= window, "{what} at {width} px is wider: {sizes}");
    assert_eq!(
        page.eval(CUT_OFF),
        json!([]),
        "{what} cut off at {width} px"
    );
    assert_eq!(
        page.eval(SMALL_TARGETS),
        json!([]),
        "{what}: under {FINGER} px"
    );
    assert_eq!(page.eval(CODES), json!([]), "{what}: codes, not words");
}

/// A page opened with a staff session of [`HEAD`].
fn staff_page(browser: &Browser, server: &Server, cookie: &str, path: &str, width: u32) -> Page {
    let page = browser.open(&server.url("/login"), width, 800);
    let (name, value) = cookie.split_once('=').expect("name=value");
    page.set_cookie(name, value, &server.url("/"));
    page.goto(&server.url(path));
    page
}

fn audit(id: i64, at: DateTime<Utc>, action: &str, detail: &str, outcome: &str) -> AuditRecord {
    AuditRecord {
        id,
        at: at - TimeDelta::minutes(30 - id),
        action: action.into(),
        detail: detail.into(),
        outcome: outcome.into(),
    }
}

/// Two kiosks with something to say: one ready and busy, one out of paper with a day in
/// doubt and a technician's log.
async fn busy_fleet(server: &Server) {
    let now = Utc::now();
    let ready = Heartbeat {
        kiosk: KIOSK.into(),
        version: "0.1.0".into(),
        printer: PrinterState::Ready,
        outbox_unsent: 3,
        oldest_unsent: Some(now - TimeDelta::minutes(2)),
        catalog_version: 1,
        at: now,
        day_doubt: None,
    };
    let stuck = Heartbeat {
        kiosk: OTHER_KIOSK.into(),
        printer: PrinterState::PaperOut,
        outbox_unsent: 0,
        oldest_unsent: None,
        day_doubt: Some(DayDoubt {
            held_day: today() - TimeDelta::days(14),
            clock_day: today(),
            server_day: Some(today()),
        }),
        ..ready.clone()
    };
    for (heartbeat, token) in [(&ready, KIOSK_TOKEN), (&stuck, OTHER_KIOSK_TOKEN)] {
        let answer = post_as(server, "/api/v1/heartbeat", token, heartbeat).await;
        assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    }
    for sequence in 1..=3 {
        pushed(
            server,
            KIOSK,
            KIOSK_TOKEN,
            &format!("f-{sequence}"),
            sequence,
        )
        .await;
    }
    let log = AuditBatch {
        kiosk: OTHER_KIOSK.into(),
        entries: vec![
            audit(
                1,
                now,
                "numbers_from_server",
                "2026-11-23: 2 queue(s) and lane(s)",
                "done",
            ),
            audit(2, now, "maintenance_pin", "", "wrong"),
            audit(3, now, "maintenance_pin", "", "accepted"),
            audit(4, now, "printer_test_page", "", "done"),
            audit(
                5,
                now,
                "maintenance_menu_closed",
                "",
                "closed by the technician",
            ),
        ],
    };
    let answer = post_as(server, "/api/v1/audit", OTHER_KIOSK_TOKEN, &log).await;
    assert_eq!(answer.status(), StatusCode::OK);
}

/// Each cell of each kiosk, and whether it shows inside the window.
const CELLS: &str = "[...document.querySelectorAll('tr[data-kiosk] td')].map(td => {\
    const box = td.getBoundingClientRect();\
    return [td.dataset.col, box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= innerWidth];\
})";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fleet_shows_every_column_in_words_on_a_phone() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    busy_fleet(&server).await;
    let cookie = session_of(&server, HEAD.name, HEAD.password).await;
    // A phone, the narrowest laptop (the table, not the cards), a desk.
    for width in [390, 1024, 1366] {
        let page = blocking(|| staff_page(&browser, &server, &cookie, "/fleet", width));
        blocking(|| {
            fits_a_finger(&page, width, "/fleet");
            let cells = page.eval(CELLS);
            let cells = cells.as_array().expect("cells");
            assert_eq!(cells.len(), 2 * 11, "two kiosks, eleven columns");
            let hidden: Vec<_> = cells.iter().filter(|cell| cell[1] != true).collect();
            assert!(hidden.is_empty(), "at {width} px: {hidden:?}");
            let text = page.eval("document.body.innerText");
            let text = text.as_str().expect("text");
            for words in [
                "Printer siap",
                "Kertas printer habis",
                "Nomor diambil dari server",
                "PIN salah",
            ] {
                assert!(text.contains(words), "{words:?} at {width} px:\n{text}");
            }
            picture(&page, &format!("fleet-{width}"));
        });
    }
}

/// Thirty-one respondents, some of each rating above 2: an index, decimals to write.
async fn rated(server: &Server) {
    let mut responses = Vec::new();
    for respondent in 0..31u32 {
        let id = format!("r-{respondent}");
        let point = if respondent < 4 { "Loket 3" } else { "Loket 2" };
        served_at(server, &id, respondent + 1, point).await;
        let mut answers = all(3);
        for (at, element) in Element::ALL.into_iter().enumerate() {
            if (respondent as usize + at).is_multiple_of(3) {
                answers.set(element, Rating::new(4).expect("4"));
            }
        }
        responses.push(response(&format!("rs-{respondent}"), &id, answers));
    }
    let outcome = send_surveys(server, responses).await;
    assert_eq!(outcome.accepted.len(), 31, "{outcome:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ikm_report_fits_a_phone_with_indonesian_decimals() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    rated(&server).await;
    let cookie = session_of(&server, HEAD.name, HEAD.password).await;
    for width in [390, 1366] {
        let page = blocking(|| staff_page(&browser, &server, &cookie, "/reports/ikm", width));
        blocking(|| {
            fits_a_finger(&page, width, "/reports/ikm");
            let figures = page.eval(
                "[...document.querySelectorAll('.ikm-value, .nrr, table.breakdown td.num')]\
                 .map(e => e.textContent)",
            );
            let figures: Vec<&str> = (figures.as_array().expect("figures").iter())
                .filter_map(Value::as_str)
                .collect();
            assert!(figures.len() > 9, "{figures:?}");
            let decimals: Vec<_> = figures.iter().filter(|f| f.contains(',')).collect();
            assert!(
                decimals.len() > 9,
                "a comma before the decimals: {figures:?}"
            );
            assert!(
                figures.iter().all(|figure| !figure.contains('.')),
                "{figures:?}"
            );
            picture(&page, &format!("ikm-report-{width}"));
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_fits_a_finger() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    for width in [390, 1366] {
        let page = blocking(|| browser.open(&server.url("/login"), width, 800));
        blocking(|| {
            fits_a_finger(&page, width, "/login");
            picture(&page, &format!("login-{width}"));
        });
    }
}

/// The main action: filled with colour, as wide as the form.
const SUBMIT: &str = "(() => { const button = document.querySelector('form button[type=submit]');\
    const style = getComputedStyle(button);\
    return { colour: style.backgroundColor, width: button.getBoundingClientRect().width,\
             form: button.closest('form').getBoundingClientRect().width }; })()";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_survey_fits_a_finger_and_is_rated_once() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    served_at(&server, "s-1", 1, "Loket 2").await;
    let form = blocking(|| browser.open(&server.url(&survey_path(KIOSK, "s-1", "id")), 390, 844));
    blocking(|| {
        fits_a_finger(&form, 390, "the phone survey");
        let switch = form.eval(
            "(() => { const link = [...document.querySelectorAll('a')].find(a => a.textContent.trim() === 'English');\
             return link.getBoundingClientRect().bottom < document.querySelector('fieldset').getBoundingClientRect().top; })()",
        );
        assert_eq!(
            switch, true,
            "the language switch comes before the questions"
        );
        let submit = form.eval(SUBMIT);
        assert_ne!(submit["colour"], "rgb(239, 239, 239)", "styled: {submit}");
        assert_ne!(submit["colour"], "rgba(0, 0, 0, 0)", "styled: {submit}");
        let (width, whole) = (px(&submit["width"]), px(&submit["form"]));
        assert!(width >= whole * 0.9, "as wide as the form: {submit}");
        picture(&form, "phone-survey-390");
        for element in Element::ALL {
            form.click(&format!("input[name={}][value='4']", element.code()));
        }
        form.click("form button[type=submit]");
        form.wait_for("document.body.innerText.includes('Terima kasih')", WAIT);
        fits_a_finger(&form, 390, "the thanks");
    });
    let link = format!("/t/{KIOSK}/s-1?s={}", signature("s-1"));
    let ticket = blocking(|| browser.open(&server.url(&link), 390, 844));
    blocking(|| {
        fits_a_finger(&ticket, 390, "the rated ticket's page");
        let text = ticket.eval("document.body.innerText");
        let text = text.as_str().expect("text");
        assert!(!text.contains("Isi survei kepuasan"), "{text}");
        assert!(text.contains("penilaian Anda sudah kami terima"), "{text}");
        let survey_links = ticket.eval("document.querySelectorAll('a[href*=\"/survey\"]').length");
        assert_eq!(survey_links, 0);
        picture(&ticket, "phone-ticket-rated-390");
    });
}

/// Each latest call's number on one line: the lines its text takes.
const NUMBER_LINES: &str = "[...document.querySelectorAll('#recent .recent-number')].map(e => {\
    const range = document.createRange(); range.selectNodeContents(e);\
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_displays_latest_calls_keep_each_number_on_one_line() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::builder().now(morning()).start();
    let tickets: Vec<_> = (1..=4)
        .map(|n| {
            issued_at_minute(
                &format!("d{n}"),
                "DKC",
                mpp_core::numbering::Lane::Regular,
                n,
            )
        })
        .collect();
    push_printed(&server, &tickets).await;
    for point in COUNTER_POINTS {
        let body = json!({ "counter": point });
        let answer = post_as(&server, "/api/v1/counter/next", COUNTER_TOKEN, &body).await;
        assert_eq!(answer.status(), StatusCode::OK);
    }
    for (width, height) in [(1024, 768), (1920, 1080)] {
        let display = blocking(|| browser.open(&server.url("/display"), width, height));
        blocking(|| {
            display.wait_for("window.displayLog && window.displayLog.length === 4", WAIT);
            let lines = display.eval(NUMBER_LINES);
            assert_eq!(lines, json!([1, 1, 1, 1]), "at {width}x{height}");
            let sizes = display.eval(OVERFLOW);
            assert!(px(&sizes["scroll"]) <= px(&sizes["window"]), "{sizes}");
            assert_eq!(
                display.eval(CUT_OFF),
                json!([]),
                "cut off at {width}x{height}"
            );
            picture(&display, &format!("display-{width}x{height}"));
        });
    }
}
