//! Whether a full-screen test can run here: its display tools on the PATH and, under root, the
//! user cage runs as; otherwise a loud SKIPPED line (a failure under `CI=true`).

use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::process::{Command, Stdio};

/// The user cage runs as when the tests run as root (`.ci/run` creates it).
pub const SCREEN_USER: &str = "mpp-screen";

/// The user to run cage as (`None`: the current one), or `None` when the tools are missing
/// outside CI.
pub fn ready_for(what: &str, tools: &[&str]) -> Option<Option<String>> {
    let missing: Vec<&&str> = tools.iter().filter(|tool| !on_path(tool)).collect();
    let as_root = std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false);
    let user_missing = as_root && what == "cage" && !user_exists(SCREEN_USER);
    if missing.is_empty() && !user_missing {
        let user = (as_root && what == "cage").then(|| SCREEN_USER.to_owned());
        return Some(user);
    }
    let why = if missing.is_empty() {
        format!(
            "cage refuses root and there is no user {SCREEN_USER:?} (useradd --system {SCREEN_USER})"
        )
    } else {
        format!(
            "missing {missing:?} (apt-get install cage grim xwayland xvfb xdotool x11-utils \\
             x11-xserver-utils tigervnc-standalone-server)"
        )
    };
    assert!(
        !mpp_testkit::skip::in_ci(),
        "CI must run the {what} full-screen test: {why}"
    );
    // Straight to the stream: the test harness keeps `eprintln!` of a passing test to itself.
    let _ = writeln!(
        std::io::stderr(),
        "\n!!!!! SKIPPED: the {what} full-screen test cannot run here: {why} !!!!!\n"
    );
    None
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|folder| folder.join(tool).is_file()))
}

fn user_exists(user: &str) -> bool {
    Command::new("id")
        .arg(user)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}
