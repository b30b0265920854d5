//! The real kiosk, full screen, fills the output edge to edge whatever `window_width` says:
//! under cage's headless backend (Wayland, as in the lobby) at a landscape and a rotated
//! portrait output, and under X11 with no window manager at two sizes and on a screen that
//! changes size. The window is asked to
//! be 1000x600, so a kiosk that kept its size would leave black borders or be cut off.
//!
//! Needs cage, grim, Xwayland, Xvfb, Xvnc (TigerVNC) and xrandr, and (as root) an unprivileged
//! user for cage, which refuses root. Without them the test says so loudly and passes, except in CI (`CI=true`),
//! where it fails: `.ci/run` installs them.

use crate::common;
use crate::support;

use std::time::Duration;

use support::screen_test::{Picture, Running, Sandbox, edges_filled, ready_for, wait_for};

/// The theme's background, which the welcome screen shows at its edges.
const PAPER: [u8; 3] = [0xF5, 0xF7, 0xFA];
/// Long enough for a debug build's first frame on a busy two-core machine, and for the minute
/// after: cage's headless output shows a new picture only when the app draws one, and a kiosk
/// that starts after the minute turned (the sandbox's clock starts 3 s before) next draws when
/// its clock turns again. Seen once under load: the window fitted, the picture still stale.
const FIRST_FRAME: Duration = Duration::from_secs(75);

#[test]
fn under_cage_the_kiosk_fills_a_landscape_and_a_portrait_output() {
    let Some(user) = ready_for("cage", &["cage", "grim", "Xwayland"]) else {
        return;
    };
    for (rotations, size) in [(0, (1280, 720)), (1, (720, 1280))] {
        let sandbox = Sandbox::new(user.as_deref());
        let kiosk = sandbox.start_cage(rotations, common::KIOSK_BINARY);
        let picture = wait_for(
            FIRST_FRAME,
            || sandbox.grim(),
            |picture| picture.size() == size && edges_filled(picture, PAPER),
        );
        drop(kiosk);
        assert_filled(picture, size, &sandbox, "cage");
    }
}

#[test]
fn under_cage_the_kiosk_follows_its_output_when_it_changes() {
    let Some(user) = ready_for(
        "cage",
        &["cage", "grim", "Xwayland", "Xvfb", "xdotool", "xwininfo"],
    ) else {
        return;
    };
    let sandbox = Sandbox::new(user.as_deref());
    let kiosk = sandbox.start_cage_on_x11((1920, 1080), common::KIOSK_BINARY);
    // A landscape panel, a larger one, then one turned to portrait.
    assert_follows(
        &sandbox,
        kiosk,
        [(1024, 768), (1920, 1080), (800, 1080)],
        |size| sandbox.resize_output(size),
        || sandbox.grim(),
        "cage on a changing output",
    );
}

#[test]
fn under_x11_without_a_window_manager_the_kiosk_fills_the_screen() {
    if ready_for("Xvfb", &["Xvfb"]).is_none() {
        return;
    }
    for size in [(1366, 768), (800, 1280)] {
        let sandbox = Sandbox::new(None);
        let kiosk = sandbox.start_xvfb(size, common::KIOSK_BINARY);
        let picture = wait_for(
            FIRST_FRAME,
            || sandbox.framebuffer(),
            |picture| edges_filled(picture, PAPER),
        );
        drop(kiosk);
        assert_filled(picture, size, &sandbox, "Xvfb");
    }
}

#[test]
fn under_x11_without_a_window_manager_the_kiosk_follows_the_screen_when_it_changes() {
    if ready_for("Xvnc", &["Xvnc", "xrandr"]).is_none() {
        return;
    }
    let sandbox = Sandbox::new(None);
    let kiosk = sandbox.start_xvnc((1920, 1080), common::KIOSK_BINARY);
    // The panel at start, then two others as `xrandr` sets them (a monitor swapped, say).
    assert_follows(
        &sandbox,
        kiosk,
        [(1920, 1080), (1280, 720), (1024, 768)],
        |size| sandbox.xrandr_size(size),
        || sandbox.x_screen(),
        "X11 on a changing screen",
    );
}

/// Gives the output each of `sizes` in turn with `resize` (`false` while it cannot yet), and
/// insists that `kiosk` filled each, as `screenshot` saw it, before it was stopped.
fn assert_follows(
    sandbox: &Sandbox,
    kiosk: Running,
    sizes: [(u32, u32); 3],
    resize: impl Fn((u32, u32)) -> bool,
    screenshot: impl Fn() -> Option<Picture>,
    under: &str,
) {
    let mut pictures = Vec::new();
    for size in sizes {
        let picture = wait_for(
            FIRST_FRAME,
            || resize(size).then(&screenshot).flatten(),
            |picture| picture.size() == size && edges_filled(picture, PAPER),
        );
        pictures.push((size, picture));
    }
    drop(kiosk);
    for (size, picture) in pictures {
        assert_filled(picture, size, sandbox, under);
    }
}

fn assert_filled(picture: Option<Picture>, size: (u32, u32), sandbox: &Sandbox, under: &str) {
    let Some(picture) = picture else {
        panic!("{under} {size:?}: no picture at all\n{}", sandbox.logs());
    };
    if picture.size() != size || !edges_filled(&picture, PAPER) {
        let kept = sandbox.keep(&picture, &format!("{under}-{}x{}", size.0, size.1));
        panic!(
            "{under} {size:?}: the kiosk does not fill the output ({:?} picture, edges {:?}); \
             the picture is in {}\n{}",
            picture.size(),
            picture.edge_colours(),
            kept.display(),
            sandbox.logs()
        );
    }
}
