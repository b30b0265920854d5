//! The kiosk as installed: the packaged kiosk.toml refuses to start until its secrets are set,
//! a plain `http://` sync server beyond this machine is refused with the key and line, files
//! the kiosk creates are its user's alone, and `doctor` checks `[sync]` against a real
//! `mpp-central` (its token, its reachability, the clock against its `Date`).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

use crate::common::{self, configured, kiosk_command, write_config};
use chrono::{TimeDelta, Utc};
use mpp_station::config::{Loaded, Origin};
use mpp_station::printer::settings::TransportKind;
use mpp_testkit::central::{KIOSK, KIOSK_TOKEN, Server};

const PACKAGED: &str = include_str!("../../packaging/kiosk.toml");
const MONDAY_MORNING: &str = "2026-11-23T02:00:00Z";

/// The 1-based line of the first line of `text` starting with `start`.
fn line_of(text: &str, start: &str) -> usize {
    text.lines()
        .position(|line| line.starts_with(start))
        .expect("line present")
        + 1
}

fn parse(text: &str) -> Result<Loaded, mpp_station::config::ConfigError> {
    let origin = Origin::File("/etc/mpp-kiosk/kiosk.toml".into());
    Loaded::parse(text, origin, Path::new("/etc/mpp-kiosk"))
}

#[test]
fn the_packaged_configuration_is_refused_until_its_secrets_are_set() {
    let error = parse(PACKAGED).expect_err("placeholders").to_string();
    let line = line_of(PACKAGED, "signing_key = ");
    assert!(
        error.contains("`ticket.signing_key`") && error.contains(&format!("line {line},")),
        "{error}"
    );
    let key_set = PACKAGED.replace(
        "signing_key = \"SET-ME\"",
        "signing_key = \"a-kiosk-key-of-our-own\"",
    );
    let error = parse(&key_set).expect_err("token placeholder").to_string();
    let line = line_of(PACKAGED, "token = ");
    assert!(
        error.contains("`sync.token`")
            && error.contains(&format!("line {line},"))
            && error.contains("SET-ME"),
        "{error}"
    );
    let both_set = key_set.replace("token = \"SET-ME\"", "token = \"a-token-of-our-own-01\"");
    let loaded = parse(&both_set).expect("valid once set");
    assert!(loaded.unknown_keys.is_empty(), "{:?}", loaded.unknown_keys);
    assert!(
        loaded.retired_keys.is_empty(),
        "no PIN key in the shipped file: the PIN lives hashed in the database"
    );
    let config = loaded.config;
    assert!(config.ui.fullscreen);
    assert_eq!(config.printer.transport, TransportKind::Serial);
    assert_eq!(config.printer.port, "/dev/kiosk-printer");
    assert_eq!(
        config.storage.database,
        Path::new("/var/lib/mpp-kiosk/kiosk.db")
    );
    assert_eq!(
        config.storage.numbers_record_path(),
        Path::new("/var/lib/mpp-kiosk/numbers-record.json")
    );
    assert!(config.printer.output_dir.starts_with("/var/lib/mpp-kiosk"));
    assert!(config.sync.enabled && config.sync.server_url.starts_with("https://"));
    assert!(config.ticket.qr_base_url.starts_with("https://"));
}

#[test]
fn a_plain_http_server_elsewhere_is_refused_with_key_and_line() {
    let sync = "[sync]\nenabled = true\ntoken = \"kiosk-token-0123456789\"\nserver_url = \"http://example.org\"\n";
    let (folder, config) = configured(sync);
    let written = std::fs::read_to_string(&config).expect("read");
    let line = line_of(&written, "server_url = ");
    // The service's own command: the screen (refused before any window opens).
    let output = kiosk_command(&config, MONDAY_MORNING, &[])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run");
    let said = common::said(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("`sync.server_url`")
            && said.contains(&format!("line {line},"))
            && said.contains("allow_plain_http"),
        "{said}"
    );
    // Said explicitly, for a closed test network: accepted.
    let allowed = write_config(folder.path(), &format!("{sync}allow_plain_http = true\n"));
    let output = kiosk_command(&allowed, MONDAY_MORNING, &["sync", "status"])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", common::said(&output));
}

#[test]
fn the_database_and_the_numbers_record_are_the_kiosk_users_alone() {
    let (folder, config) = configured("");
    let output = kiosk_command(
        &config,
        MONDAY_MORNING,
        &["ticket", "issue", "--service", "DKC-KK", "--print"],
    )
    .output()
    .expect("run");
    assert!(output.status.success(), "{}", common::said(&output));
    let mode = |name: &str| {
        let path = folder.path().join(name);
        let metadata = std::fs::metadata(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        metadata.permissions().mode() & 0o777
    };
    assert_eq!(mode("kiosk.db"), 0o600);
    assert_eq!(mode("numbers-record.json"), 0o600);
    for name in ["kiosk.db-wal", "kiosk.db-shm"] {
        if folder.path().join(name).exists() {
            assert_eq!(mode(name), 0o600, "{name}");
        }
    }
    assert_eq!(mode("prints"), 0o700);
    for entry in std::fs::read_dir(folder.path().join("prints")).expect("prints") {
        let path = entry.expect("entry").path();
        let bits = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(bits, 0o600, "{}", path.display());
    }
}

/// `doctor` with `[sync]` pointing at `server_url` with `token`, on the clock `now`.
fn doctor(server_url: &str, token: &str, now: chrono::DateTime<Utc>) -> (Output, String) {
    let sync =
        format!("[sync]\nenabled = true\nserver_url = \"{server_url}\"\ntoken = \"{token}\"\n");
    let (_folder, config) = configured(&sync);
    // The kiosk the test server knows.
    let written = std::fs::read_to_string(&config)
        .expect("read")
        .replace("id = \"KIOSK-T\"", &format!("id = \"{KIOSK}\""));
    std::fs::write(&config, written).expect("write");
    let now = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let output = kiosk_command(&config, &now, &["doctor"])
        .output()
        .expect("run doctor");
    let said = common::said(&output);
    (output, said)
}

#[test]
fn doctor_checks_the_token_and_the_clock_against_a_real_server() {
    let server = Server::start();
    let url = server.url("");
    let (_, said) = doctor(&url, KIOSK_TOKEN, Utc::now());
    assert!(
        said.contains("ok       sync:") && said.contains("accepts this kiosk's token"),
        "{said}"
    );
    assert!(said.contains("ok       clock:"), "{said}");

    let (output, said) = doctor(&url, "not-this-kiosks-token-0", Utc::now());
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("PROBLEM  sync:") && said.contains("refuses this kiosk's token"),
        "{said}"
    );

    let (_, said) = doctor(&url, KIOSK_TOKEN, Utc::now() + TimeDelta::minutes(5));
    assert!(
        said.contains("warning  clock:") && said.contains("ahead of the server's"),
        "{said}"
    );
    let (output, said) = doctor(&url, KIOSK_TOKEN, Utc::now() - TimeDelta::hours(3));
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("PROBLEM  clock:") && said.contains("behind the server's"),
        "{said}"
    );
}

#[test]
fn doctor_says_an_unreachable_server_or_a_bad_address_is_a_problem() {
    let port = mpp_testkit::free_port();
    let (output, said) = doctor(&format!("http://127.0.0.1:{port}"), KIOSK_TOKEN, Utc::now());
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("PROBLEM  sync:") && said.contains("cannot reach the central server"),
        "{said}"
    );
    let (output, said) = doctor("not a url", KIOSK_TOKEN, Utc::now());
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("PROBLEM  configuration:") && said.contains("`sync.server_url`"),
        "{said}"
    );
}
