//! The server as a process: a clean stop on SIGTERM, and clear errors and exit codes for a
//! bad configuration or usage.

use mpp_testkit::central::*;
use std::time::Duration;

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let mut server = Server::start();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(status.success());
    let exit = server.wait_exit(Duration::from_secs(10));
    assert!(exit.success(), "{exit}:\n{}", server.log());
    assert!(server.log().contains("SIGTERM"));
}

#[tokio::test]
async fn bad_configuration_and_usage_have_clear_errors_and_exit_codes() {
    let folder = tempfile::tempdir().expect("temp dir");
    let config = folder.path().join("bad.toml");
    let text = "listen = \"127.0.0.1:1\"\n[[kiosk]]\nid = \"K1\"\ntoken_sha256 = \"abc\"\n\
                signing_key = \"0123456789abcdef\"\n";
    std::fs::write(&config, text).expect("write");
    let output = run(
        &["--config", config.to_str().expect("utf-8")],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 4") && stderr.contains("kiosk[0].token_sha256"),
        "{stderr}"
    );

    let output = run(&["token", "hash", "abc"], folder.path());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(run(&["--bogus"], folder.path()).status.code(), Some(2));
    let output = run(&[], folder.path());
    assert_eq!(output.status.code(), Some(1), "no configuration anywhere");

    let server = Server::builder().extra("colour = \"blue\"\n").start();
    assert!(
        server.log().contains("colour"),
        "unknown keys are warned:\n{}",
        server.log()
    );
}
