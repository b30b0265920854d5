//! The lobby display and the counter console in a real headless Chromium (Debian's, through the
//! DevTools protocol, `mpp_testkit::browser`) against a real `mpp-central`: the display shows
//! and announces every call once, in order, through a server restart (its connection dropped),
//! each announcement the call's phrase; the console is used with its keys from sign-in to a
//! no-show; the phone page of a ticket shows the wait and, untouched, says when it is called. Pictures at 1920, 1366 and 390 px go to `$MPP_SCREENSHOTS` when it names a folder.

use std::path::PathBuf;
use std::time::Duration;

use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::speech::Utterance;
use mpp_core::ticket::Ticket;
use mpp_testkit::browser::{Browser, Page};
use mpp_testkit::central::*;
use reqwest::StatusCode;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(20);

fn waiting(id: &str, minute: i64) -> Ticket {
    issued_at_minute(id, "DKC", Lane::Regular, minute)
}

async fn next(server: &Server, point: &str) {
    let body = serde_json::json!({ "counter": point });
    let answer = post_as(server, "/api/v1/counter/next", COUNTER_TOKEN, &body).await;
    assert_eq!(answer.status(), StatusCode::OK);
}

/// The elements that reach past the window's right edge (text cut off), by tag and text.
const CUT_OFF: &str = "[...document.querySelectorAll('main *')]\
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)\
    .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 30))";

/// A picture for a person to look at, when `MPP_SCREENSHOTS` names a folder.
pub(crate) fn picture(page: &Page, name: &str) {
    if let Some(folder) = std::env::var_os("MPP_SCREENSHOTS") {
        let folder = PathBuf::from(folder);
        std::fs::create_dir_all(&folder).expect("screenshot folder");
        page.screenshot(&folder.join(format!("{name}.png")));
    }
}

/// Blocking browser work inside the async test (the server is another process).
pub(super) fn blocking<T>(work: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(work)
}

fn log_of(page: &Page) -> Vec<Value> {
    let log = page.eval("JSON.stringify(window.displayLog)");
    serde_json::from_str(log.as_str().expect("text")).expect("the display's log")
}

/// No script failed (answers the page chose, a 409 or a stream cut by a restart, are not
/// script errors).
fn no_script_errors(page: &Page) {
    let errors: Vec<_> = (page.console_messages().into_iter())
        .filter(|message| message.is_error() && message.source != "network")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_display_announces_every_call_once_in_order_through_a_restart() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    // Without the voice (a machine without espeak-ng; CI has it) the call's audio is 503.
    let espeak = std::process::Command::new("espeak-ng")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    let mut server = Server::builder().now(morning()).start();
    push_printed(
        &server,
        &(1..=4)
            .map(|n| waiting(&format!("t{n}"), n))
            .collect::<Vec<_>>(),
    )
    .await;
    next(&server, "Loket 1").await;
    let display = blocking(|| browser.open(&server.url("/display"), 1920, 1080));
    blocking(|| {
        display.wait_for(
            "document.querySelector('main').dataset.online === 'yes'",
            WAIT,
        )
    });
    let history = blocking(|| log_of(&display));
    assert_eq!(
        history.len(),
        1,
        "the call made before it opened: {history:?}"
    );
    assert_eq!(history[0]["history"], true, "shown, not announced");

    next(&server, "Loket 2").await;
    next(&server, "Loket 3").await;
    blocking(|| {
        display.wait_for(
            "window.displayLog.length === 3 && window.displayLog.every(c => c.history || c.announced)",
            WAIT,
        )
    });
    let shown = blocking(|| display.eval("document.getElementById('number').textContent"));
    assert_eq!(shown, "DKC-003");
    let size = blocking(|| {
        display.eval("parseFloat(getComputedStyle(document.getElementById('number')).fontSize)")
    });
    assert!(
        size.as_f64().expect("px") >= 120.0,
        "readable from across the hall: {size}"
    );
    blocking(|| picture(&display, "display-1920"));

    // The server restarts: the display says it lost the server, keeps its calls, catches up.
    server.restart();
    next(&server, "Loket 4").await;
    blocking(|| {
        display.wait_for(
            "window.displayLog.length === 4 && window.displayLog[3].announced",
            WAIT,
        )
    });
    let log = blocking(|| log_of(&display));
    let ids: Vec<i64> = log
        .iter()
        .map(|call| call["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, [1, 2, 3, 4], "every call once, in order");
    for call in &log[1..] {
        let (number, point) = (
            call["number"].as_str().expect("number"),
            call["point"].as_str().expect("point"),
        );
        let expected = Utterance::call(Language::Indonesian, number, point).plain_text();
        assert_eq!(call["phrase"], expected.as_str(), "{call}");
        assert_eq!(call["history"], false);
        // Chromium played the chime and the voice (MP3) to their ends, one after the other.
        let voice = if espeak { "ended" } else { "error" };
        assert_eq!(
            call["played"],
            serde_json::json!(["ended", voice]),
            "{call}"
        );
    }
    assert_eq!(log[3]["number"], "DKC-004");
    let recent = blocking(|| display.eval("document.querySelectorAll('#recent li').length"));
    assert_eq!(recent, 4);
    blocking(|| no_script_errors(&display));
    for (width, height) in [(1366, 768), (390, 844)] {
        let small = blocking(|| browser.open(&server.url("/display"), width, height));
        blocking(|| small.wait_for("window.displayLog && window.displayLog.length === 4", WAIT));
        blocking(|| picture(&small, &format!("display-{width}")));
        let cut = blocking(|| small.eval(CUT_OFF));
        assert_eq!(
            cut,
            Value::Array(Vec::new()),
            "nothing cut off at {width} px"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_uses_the_console_with_its_keys_from_sign_in_to_a_no_show() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::builder().now(morning()).start();
    push_printed(&server, &[waiting("t1", 1), waiting("t2", 2)]).await;
    let console = blocking(|| browser.open(&server.url("/login"), 1366, 768));
    blocking(|| {
        console.type_text("#name", CLERK.name);
        console.type_text("#password", CLERK.password);
        console.press_key("Enter");
        console.wait_for(
            "location.pathname === '/counter' && !!document.querySelector('main.console')",
            WAIT,
        );
    });
    // A key pressed before the page's deferred script has run is lost, as it would be for a
    // clerk: each press waits for the keys to be ready on the page in front of it.
    let press = |key: &str, said: &str| {
        blocking(|| {
            console.wait_for("document.documentElement.dataset.keys === 'ready'", WAIT);
            console.eval("document.body.dataset.before = 'yes'");
            console.press_key(key);
            console.wait_for(
                &format!(
                    "document.body.dataset.before !== 'yes' && document.querySelector('[data-said]') && document.querySelector('[data-said]').dataset.said === {}",
                    serde_json::to_string(said).expect("json")
                ),
                WAIT,
            );
        })
    };
    press("n", "Called(\"DKC-001\")");
    blocking(|| picture(&console, "console-1366"));
    press("x", "CallAgainFirst(\"DKC-001\", 1, 2)");
    press("s", "Served(\"DKC-001\")");
    press("n", "Called(\"DKC-002\")");
    tokio::time::sleep(Duration::from_millis(5200)).await;
    press("r", "Recalled(\"DKC-002\")");
    press("x", "NoShow(\"DKC-002\")");
    press("n", "NobodyWaits");
    // Typing a number does not trigger the keys.
    blocking(|| {
        console.type_text("#number", "dkc-001 xsnr");
        let typed = console.eval("document.getElementById('number').value");
        assert_eq!(typed, "dkc-001 xsnr");
        no_script_errors(&console);
    });
    let phone = blocking(|| browser.open(&server.url("/counter"), 390, 844));
    blocking(|| {
        phone.wait_for("!!document.querySelector('main.console')", WAIT);
        picture(&phone, "console-390");
        let cut = phone.eval(CUT_OFF);
        assert_eq!(cut, Value::Array(Vec::new()), "the console fits a phone");
    });
}

/// Serves `id` at `point` through the counter API.
async fn served(server: &Server, id: &str, point: &str) {
    let path = counter_path(KIOSK, id);
    counter_steps(server, (COUNTER_TOKEN, point), &path, &["served"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_page_shows_the_wait_and_tells_of_the_call_by_itself() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let minutes = |n: i64| morning() + chrono::TimeDelta::minutes(n);
    let mut server = Server::builder().now(minutes(15)).start();
    let tickets: Vec<_> = (0..8).map(|n| waiting(&format!("t{n:02}"), n)).collect();
    push_printed(&server, &tickets).await;
    // Service times 4, 6, 8 and 6 minutes at two points: 180 s a visitor (see waits.rs).
    next(&server, "Loket 1").await;
    next(&server, "Loket 2").await;
    for (minute, point, id) in [
        (19, "Loket 1", "t00"),
        (21, "Loket 2", "t01"),
        (27, "Loket 1", "t02"),
    ] {
        server.restart_at(minutes(minute));
        served(&server, id, point).await;
        next(&server, point).await;
    }
    served(&server, "t03", "Loket 2").await;
    // t07 has t04 (called) and t05, t06 ahead: 3 × 180 s = 9 min → 6.75 → 5, 11.25 → 15.
    let link = format!("/t/{KIOSK}/t07?s={}", signature("t07"));
    let phone = blocking(|| browser.open(&server.url(&link), 390, 844));
    blocking(|| {
        let wait = phone.eval("document.querySelector('.wait').textContent");
        assert!(
            wait.as_str()
                .is_some_and(|line| line.contains("5–15 menit")),
            "{wait}"
        );
        assert_eq!(
            phone.eval(CUT_OFF),
            serde_json::json!([]),
            "cut off at 390 px"
        );
        picture(&phone, "phone-waiting-390");
    });
    served(&server, "t04", "Loket 1").await;
    for id in ["t05", "t06"] {
        next(&server, "Loket 1").await;
        served(&server, id, "Loket 1").await;
    }
    next(&server, "Loket 1").await;
    // Nobody touches the phone: the page reloads itself (every 15 s) and says where to go.
    blocking(|| {
        phone.wait_for("document.title.includes('Dipanggil — Loket 1')", WAIT);
        let status = phone.eval("document.querySelector('.status').textContent");
        let said = status.as_str().unwrap_or_default();
        assert!(said.contains("Nomor Anda dipanggil — Loket 1"), "{said}");
        assert_eq!(
            phone.eval(CUT_OFF),
            serde_json::json!([]),
            "cut off at 390 px"
        );
        picture(&phone, "phone-called-390");
        no_script_errors(&phone);
    });
}
