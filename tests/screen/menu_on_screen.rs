//! The technician's menu on the real kiosk, as a technician's finger meets it: the kiosk full
//! screen under Xvfb (no window manager), tapped through X. Five taps on the corner open the PIN
//! pad, the PIN opens the menu, and "restart the app" on the kiosk page starts the program again
//! in the same process (systemd's watchdog and cage keep their child), back on the welcome
//! screen, audited. Buttons are found in the screen's own pictures by their colours.
//!
//! Needs Xvfb and xdotool; without them the test says so loudly and passes, except in CI.

use crate::common;
use crate::support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mpp_station::store::Store;
use support::screen_test::{Picture, Sandbox, edges_filled, ready_for, wait_for};

const PIN: &str = "80514";
const SIZE: (u32, u32) = (1280, 800);
const PAPER: [u8; 3] = [0xF5, 0xF7, 0xFA];
const NAVY: [u8; 3] = [0x0D, 0x2C, 0x54];
const GREY: [u8; 3] = [0x55, 0x5F, 0x6B];
/// A debug build's first frame on a busy two-core machine.
const FIRST_FRAME: Duration = Duration::from_secs(75);
const A_WHILE: Duration = Duration::from_secs(20);
/// What the kiosk logs each time it starts its screen.
const STARTING: &str = "starting the kiosk screen";

#[test]
fn the_menus_restart_starts_the_kiosk_again_in_the_same_process() {
    if ready_for("Xvfb", &["Xvfb", "xdotool"]).is_none() {
        return;
    }
    let sandbox = Sandbox::new(None);
    set_pin(&sandbox);
    let mut kiosk = sandbox.start_xvfb(SIZE, common::KIOSK_BINARY);
    let pid = kiosk.last_pid();
    let welcome = wait_for(
        FIRST_FRAME,
        || sandbox.x_screen(),
        |p| edges_filled(p, PAPER),
    );
    let welcome = welcome.filter(|p| edges_filled(p, PAPER));
    let welcome = welcome.unwrap_or_else(|| panic!("no welcome screen\n{}", sandbox.logs()));
    // The welcome screen's own navy and grey buttons (its language buttons), to know it again.
    let welcome_buttons = tabs(&welcome);

    // Five quick taps on the corner (the logo): the pad, whose navy keys are 3 across, 4 down.
    sandbox.click((30, 30), 5, 250);
    let pad = wait_for(A_WHILE, || sandbox.x_screen(), |p| keys(p).is_some());
    let (left, top, side) = pad.as_ref().and_then(keys).unwrap_or_else(|| {
        panic!("no PIN pad\n{}", sandbox.logs());
    });
    let key = |column: u32, row: u32| {
        let step = side + 12;
        (left + side / 2 + column * step, top + side / 2 + row * step)
    };
    for digit in PIN.bytes().map(|byte| u32::from(byte - b'0')) {
        let at = if digit == 0 {
            key(1, 3)
        } else {
            key((digit - 1) % 3, (digit - 1) / 3)
        };
        sandbox.click(at, 1, 0);
        std::thread::sleep(Duration::from_millis(200));
    }
    sandbox.click(key(2, 3), 1, 0);

    // The menu: six page buttons (navy: the one on show, grey: the others), then "close".
    let menu = wait_for(A_WHILE, || sandbox.x_screen(), |p| tabs(p).len() == 6);
    let buttons = menu.as_ref().map(tabs).unwrap_or_default();
    assert_eq!(buttons.len(), 6, "no menu\n{}", sandbox.logs());
    let (kiosk_tab, tabs_top) = buttons[5];
    sandbox.click((kiosk_tab, tabs_top + 30), 1, 0);
    // The kiosk page: "restart the app" is the first navy button under the page buttons.
    let page = wait_for(
        A_WHILE,
        || sandbox.x_screen(),
        |p| restart_button(p, tabs_top).is_some(),
    );
    let restart = page.as_ref().and_then(|p| restart_button(p, tabs_top));
    let restart = restart.unwrap_or_else(|| panic!("no restart button\n{}", sandbox.logs()));
    assert_eq!(sandbox.kiosk_log().matches(STARTING).count(), 1);
    sandbox.click(restart, 1, 0);

    // The same process starts its screen again and shows the welcome screen, menu closed.
    let began = Instant::now();
    while sandbox.kiosk_log().matches(STARTING).count() < 2 && began.elapsed() < FIRST_FRAME {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        sandbox.kiosk_log().matches(STARTING).count(),
        2,
        "not started again\n{}",
        sandbox.logs()
    );
    assert!(
        kiosk.last_is_running(),
        "the process ended\n{}",
        sandbox.logs()
    );
    assert_eq!(kiosk.last_pid(), pid);
    let again = wait_for(
        FIRST_FRAME,
        || sandbox.x_screen(),
        |p| edges_filled(p, PAPER) && tabs(p) == welcome_buttons,
    );
    assert!(
        again.is_some_and(|p| edges_filled(&p, PAPER) && tabs(&p) == welcome_buttons),
        "no welcome screen after the restart\n{}",
        sandbox.kiosk_log()
    );
    assert!(kiosk.last_is_running());
    drop(kiosk);
    let store = Store::open(&sandbox.database()).expect("store");
    let restarts: Vec<String> = store
        .audit_entries(50)
        .expect("audit")
        .into_iter()
        .filter(|entry| entry.action == "kiosk_restart")
        .map(|entry| entry.outcome)
        .collect();
    assert_eq!(restarts, ["done"]);
}

/// Sets the PIN as on a real kiosk: twice on stdin.
fn set_pin(sandbox: &Sandbox) {
    let config = sandbox.config();
    let mut set = Command::new(common::KIOSK_BINARY)
        .arg("--config")
        .arg(&config)
        .args(["maintenance", "set-pin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("set-pin");
    let mut stdin = set.stdin.take().expect("stdin");
    writeln!(stdin, "{PIN}\n{PIN}").expect("PIN");
    drop(stdin);
    assert!(set.wait().expect("set-pin").success());
}

/// The PIN pad's keys: the left and top of the navy block and a key's side.
fn keys(picture: &Picture) -> Option<(u32, u32, u32)> {
    let (left, top, right, bottom) = picture.bounds_of(NAVY)?;
    let (width, height) = (right - left + 1, bottom - top + 1);
    // Four rows of three square keys, 12 px apart.
    let side = width.checked_sub(24)? / 3;
    let square = height.abs_diff(4 * side + 36) <= 8 && side >= 60;
    square.then_some((left, top, side))
}

/// The menu's page buttons: (middle x, top) of each navy or grey run along their top padding.
fn tabs(picture: &Picture) -> Vec<(u32, u32)> {
    let Some(top) = picture.first_row_with(NAVY, 0) else {
        return Vec::new();
    };
    picture
        .runs(top + 8, &[NAVY, GREY], 40)
        .into_iter()
        .map(|(first, last)| ((first + last) / 2, top))
        .collect()
}

/// The middle of the first navy button below the page buttons.
fn restart_button(picture: &Picture, tabs_top: u32) -> Option<(u32, u32)> {
    let top = picture.first_row_with(NAVY, tabs_top + 100)?;
    let (first, last) = *picture.runs(top + 8, &[NAVY], 40).first()?;
    // The kiosk page is on show: its page button (the sixth) is navy now.
    let tab_runs = picture.runs(tabs_top + 8, &[NAVY], 40);
    let on_kiosk_page = tab_runs.len() == 1 && tab_runs[0].0 > picture.size().0 / 3;
    on_kiosk_page.then_some(((first + last) / 2, top + 30))
}
