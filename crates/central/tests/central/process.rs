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
    assert_eq!(
        output.status.code(),
        Some(1),
        "a guessable token is refused"
    );
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("3 characters") && said.contains("openssl rand"),
        "{said}"
    );
    assert!(output.stdout.is_empty(), "no hash for it");
    // Sixteen letters passed the old rule (16 characters) but carry 96 bits: refused.
    let output = run(&["token", "hash", "abcdefghijklmnop"], folder.path());
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("128 bits") && said.contains("22"), "{said}");
    let output = run(
        &["token", "hash", "0123456789abcdef0123456789abcdef"],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "3eb1bd439947eb762998e566ccc2e099c791118b2f40579cc4f7da2b5061b7f9"
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

#[test]
fn the_help_names_the_configuration_files_the_program_reads() {
    let folder = tempfile::tempdir().expect("temp dir");
    let output = run(&["--help"], folder.path());
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    let (local, system) = (
        mpp_central::config::LOCAL_PATH,
        mpp_central::config::SYSTEM_PATH,
    );
    assert!(help.contains(&format!("./{local}")), "{help}");
    assert!(help.contains(system), "{help}");
}

#[test]
fn a_port_in_use_is_said_and_exits_1_on_either_database() {
    let on_postgres = mpp_testkit::postgres::installed_or_skip(
        "a_port_in_use_is_said_and_exits_1_on_either_database (its PostgreSQL half)",
    );
    let builders = [
        Some(Server::builder()),
        on_postgres.then(|| Server::builder().postgres()),
    ];
    for builder in builders.into_iter().flatten() {
        // A second server on the first one's configuration: the same port.
        let first = builder.start();
        let config = first.path(CONFIG_FILE);
        let folder = tempfile::tempdir().expect("temp dir");
        let output = run(
            &["--config", config.to_str().expect("utf-8")],
            folder.path(),
        );
        let said = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{said}");
        assert!(
            said.contains("cannot listen on") && said.contains("another server using the port"),
            "{said}"
        );
        assert!(!said.contains("panicked"), "{said}");
    }
}
