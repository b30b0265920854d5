//! Tests that need a program a bare machine lacks (PostgreSQL, Xvfb, cage, Chromium,
//! espeak-ng) say so loudly and pass when it is missing, so `cargo test` passes with only Rust
//! and a C compiler; under `CI=true`, where `.ci/run` installed everything, a missing program
//! fails the test instead, so CI never passes on tests that did not run.

use std::io::Write;

/// Whether this run is CI's (`CI=true`), where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true")
}

/// Reports that `test` cannot run here because of `why` (naming the package that brings it):
/// a loud line on stderr, or a panic under CI.
pub fn skipped(test: &str, why: &str) {
    assert!(!in_ci(), "{test} cannot run in CI: {why}");
    // Straight to the stream: the test harness keeps `eprintln!` of a passing test to itself.
    let _ = writeln!(
        std::io::stderr(),
        "\n!!!!! SKIPPED: {test} cannot run here: {why} !!!!!\n"
    );
}

/// Whether espeak-ng runs here; said loudly when not (a failure under CI), for the tests that
/// need the voice.
pub fn espeak_installed(test: &str) -> bool {
    let installed = std::process::Command::new("espeak-ng")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !installed {
        skipped(
            test,
            "espeak-ng is not installed (apt-get install espeak-ng)",
        );
    }
    installed
}
