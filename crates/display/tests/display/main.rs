//! The lobby display as a TV runs it: a real mpp-central on loopback, the real `mpp-display`
//! inside cage (as mpp-display.service starts it) on that server's `/display` page. The page
//! fills the screen edge to edge in its own colour; a call made at a counter appears and is
//! announced (chime, then voice) with nobody touching anything, read from the page's own log
//! over DevTools. And `mpp-display check` against the same server.
//!
//! Needs cage, grim, Xwayland, Xvfb and Chromium, and (as root) the user mpp-screen for cage;
//! without them the TV test says so loudly and passes, except under `CI=true`, where it fails.
//! A picture of the TV goes to `$MPP_SCREENSHOTS` (as `display-tv-cage.png`) when it names a
//! folder, and always to the target folder's tmp.

mod devtools;
mod tv;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use mpp_core::numbering::Lane;
use mpp_testkit::central::*;
use serde_json::{Value, json};

use devtools::PageConnection;
use tv::{FIRST_OUTPUT, Picture, TV_OUTPUT, Tv};

const DISPLAY: &str = env!("CARGO_BIN_EXE_mpp-display");
/// The display page's background (`.display` in the server's style sheet).
const PAGE: [u8; 3] = [0x0d, 0x1b, 0x2a];
/// The colour of the called number.
const NUMBER: [u8; 3] = [0xff, 0xd5, 0x4f];
/// From cage's start to the page on screen, on a busy two-core machine.
const FIRST_PICTURE: Duration = Duration::from_secs(60);
const WAIT: Duration = Duration::from_secs(30);
/// Plays the chime from the page's own script context: `played`, or the error's name.
const AUTOPLAY_PROBE: &str = "(async () => { const chime = new Audio('/assets/chime.wav'); \
    try { await chime.play(); chime.pause(); return 'played'; } catch (error) { return error.name; } })()";

async fn call_next(server: &Server, point: &str) {
    let body = json!({ "counter": point });
    let answer = post_as(server, "/api/v1/counter/next", COUNTER_TOKEN, &body).await;
    assert_eq!(answer.status().as_u16(), 200, "the counter's call");
}

/// Blocking work inside the async test (the server is another process).
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(work)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_tv_the_page_fills_the_screen_and_speaks_a_call_without_a_click() {
    let Some(user) = tv::ready() else {
        return;
    };
    let server = Server::builder().now(morning()).start();
    let tickets = [1, 2].map(|n| issued_at_minute(&format!("t{n}"), "DKC", Lane::Regular, n));
    push_printed(&server, &tickets).await;
    let url = server.url("/display");
    let tv = blocking(|| Tv::start(user.as_deref(), DISPLAY, &url));

    let fills = |size: (u32, u32)| {
        move |picture: &Picture| (picture.width, picture.height) == size && picture.edges_are(PAGE)
    };
    let filled = fills(FIRST_OUTPUT);
    let first = blocking(|| tv.picture_until(FIRST_PICTURE, filled));
    let first = first.unwrap_or_else(|| panic!("no picture of cage's output\n{}", tv.logs()));
    assert!(
        filled(&first),
        "the page does not fill cage's {FIRST_OUTPUT:?} output edge to edge in {PAGE:?}: a {}x{} \
         picture (see {})\n{}",
        first.width,
        first.height,
        keep(&first, "display-tv-cage-first.png").display(),
        tv.logs()
    );

    let mut page = blocking(|| PageConnection::open(&tv.profile(), "/display", WAIT))
        .unwrap_or_else(|why| panic!("cannot read the page: {why}\n{}", tv.logs()));
    let mut eval = |js: &str| blocking(|| page.eval(js)).unwrap_or_else(|why| panic!("{why}"));
    // A sound started by the page itself, with no gesture (Chromium has no
    // `navigator.getAutoplayPolicy`): without the switch this is a NotAllowedError.
    let played = eval(AUTOPLAY_PROBE);
    assert_eq!(
        played, "played",
        "Chromium must let the page play sound unasked"
    );
    let online = "document.querySelector('main').dataset.online === 'yes'";
    let online = blocking(|| page.wait_for(online, WAIT)).expect("the page");
    assert_eq!(online, true, "the page follows the server's calls");

    call_next(&server, "Loket 1").await;
    let announced = "(window.displayLog || []).some(call => !call.history && call.announced)";
    let announced = blocking(|| page.wait_for(announced, WAIT)).expect("the page");
    let log = blocking(|| page.eval("JSON.stringify(window.displayLog)")).expect("the log");
    let log: Vec<Value> = serde_json::from_str(log.as_str().unwrap_or("[]")).expect("a log");
    assert_eq!(announced, true, "the call was not announced: {log:?}");
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(
        (&log[0]["number"], &log[0]["point"]),
        (&json!("DKC-001"), &json!("Loket 1"))
    );
    let asked = blocking(|| page.eval("document.getElementById('sound').hidden")).expect("page");
    assert_eq!(asked, true, "the page asked for a touch to play sound");

    // The call on screen: the number in its colour, the page still filling the screen.
    // The TV settles on its own mode: the page follows the output to 1920x1080.
    let resized = blocking(|| wait_until(WAIT, || tv.resize_output(TV_OUTPUT)));
    assert!(resized, "cannot resize cage's output window\n{}", tv.logs());
    let filled = fills(TV_OUTPUT);
    let shown = |picture: &Picture| filled(picture) && picture.share_of(NUMBER) > 0.005;
    let picture = blocking(|| tv.picture_until(WAIT, shown));
    let picture = picture.unwrap_or_else(|| panic!("no picture\n{}", tv.logs()));
    let kept = keep(&picture, "display-tv-cage.png");
    assert!(
        shown(&picture),
        "the call is not on the screen ({:.4} of it in {NUMBER:?}; see {})\n{}",
        picture.share_of(NUMBER),
        kept.display(),
        tv.logs()
    );
    drop(tv);
}

/// Whether `done` said yes within `time`, asking every 100 ms.
fn wait_until(time: Duration, mut done: impl FnMut() -> bool) -> bool {
    let began = std::time::Instant::now();
    while began.elapsed() < time {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Keeps the picture for a person to look at as `name`; its path.
fn keep(picture: &Picture, name: &str) -> PathBuf {
    if let Some(folder) = std::env::var_os("MPP_SCREENSHOTS") {
        std::fs::create_dir_all(&folder).expect("screenshot folder");
        picture.save(&Path::new(&folder).join(name));
    }
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    picture.save(&path);
    path
}

#[test]
fn check_reaches_the_server_and_names_a_wrong_key() {
    let server = Server::start();
    let folder = tempfile::tempdir().expect("temp dir");
    let config = folder.path().join("display.toml");
    let check = |text: &str| {
        std::fs::write(&config, text).expect("write");
        let output = Command::new(DISPLAY)
            .args(["--config", config.to_str().expect("utf-8"), "check"])
            .output()
            .expect("run mpp-display");
        let said = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        (output.status.code(), said)
    };
    let url = server.url("/display?mpp=uji");
    let (code, said) = check(&format!("url = {url:?}\nchromium = \"/bin/sh\"\n"));
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("ok   server 127.0.0.1:"), "{said}");
    assert!(
        said.contains("--autoplay-policy=no-user-gesture-required"),
        "{said}"
    );
    assert!(said.trim_end().ends_with(&url), "{said}");

    let (code, said) = check(&format!("url = {url:?}\nzoom = 1.5\nhide = true\n"));
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("display.toml, line 3, key `hide`: unknown key"),
        "{said}"
    );

    let (code, said) = check(&format!("url = {:?}\n", server.url("/counter")));
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("key `url`") && said.contains("/counter, not"),
        "{said}"
    );
}
