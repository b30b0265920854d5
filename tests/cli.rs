//! The technician's command line against real files: stable JSON, exit codes, and clear errors
//! for bad configuration and bad databases.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{KIOSK_BINARY, write_config};
use mpp_core::ticket::Ticket;

const MONDAY_MORNING: &str = "2026-11-23T02:00:00Z";

fn kiosk(config: &Path, args: &[&str]) -> Output {
    Command::new(KIOSK_BINARY)
        .args([
            "--config",
            config.to_str().expect("utf-8"),
            "--now",
            MONDAY_MORNING,
        ])
        .args(args)
        .output()
        .expect("run mpp-kiosk")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn issue_list_show_and_void_speak_stable_json() {
    let folder = tempfile::tempdir().expect("temp dir");
    let config = write_config(folder.path(), "");
    let issued = kiosk(
        &config,
        &["ticket", "issue", "--service", "DKC-KK", "--json"],
    );
    assert!(issued.status.success(), "{}", stderr(&issued));
    let ticket: Ticket = serde_json::from_slice(&issued.stdout).expect("one ticket as JSON");
    assert_eq!(ticket.number, "DKC-001");
    assert_eq!(ticket.kiosk, "KIOSK-T");
    let raw: serde_json::Value = serde_json::from_slice(&issued.stdout).expect("json");
    for key in [
        "id",
        "number",
        "queue",
        "lane",
        "service",
        "business_day",
        "issued_at",
        "people_ahead",
        "status",
        "qr_payload",
    ] {
        assert!(raw.get(key).is_some(), "the JSON lacks {key}");
    }
    let listed = kiosk(
        &config,
        &["ticket", "list", "--date", "2026-11-23", "--json"],
    );
    let tickets: Vec<Ticket> = serde_json::from_slice(&listed.stdout).expect("list JSON");
    assert_eq!(tickets.len(), 1);
    let voided = kiosk(
        &config,
        &["ticket", "void", "DKC-001", "--reason", "issued by mistake"],
    );
    assert!(voided.status.success(), "{}", stderr(&voided));
    let shown = kiosk(&config, &["ticket", "show", &ticket.id, "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("show JSON");
    assert_eq!(shown["ticket"]["status"], "voided");
    assert_eq!(shown["history"][1]["reason"], "issued by mistake");
}

#[test]
fn an_unknown_service_is_named() {
    let folder = tempfile::tempdir().expect("temp dir");
    let config = write_config(folder.path(), "");
    let output = kiosk(&config, &["ticket", "issue", "--service", "NO-SUCH"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("\"NO-SUCH\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_closed_service_says_when_to_come_back() {
    let folder = tempfile::tempdir().expect("temp dir");
    let config = write_config(folder.path(), "");
    let output = Command::new(KIOSK_BINARY)
        .args([
            "--config",
            config.to_str().expect("utf-8"),
            "--now",
            "2026-11-23T08:00:00Z",
        ])
        .args(["ticket", "issue", "--service", "DKC-KK"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("come back Tuesday, 24 November 2026 at 08:00"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_malformed_configuration_names_the_line_and_key() {
    let folder = tempfile::tempdir().expect("temp dir");
    let config = write_config(folder.path(), "[ui]\nlanguage = \"fr\"\n");
    let output = kiosk(&config, &["ticket", "list"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("line 13") && message.contains("`ui.language`"),
        "{message}"
    );
    assert!(
        message.contains("`id`") && message.contains("`en`"),
        "the allowed values are listed: {message}"
    );

    let text = std::fs::read_to_string(&config)
        .expect("read")
        .replace("[ui]\nlanguage = \"fr\"\n", "")
        .replace("[printer]\n", "[printer]\nflow_control = \"hardware\"\n");
    std::fs::write(&config, text).expect("write");
    let message = stderr(&kiosk(&config, &["ticket", "list"]));
    assert!(
        message.contains("line 11") && message.contains("`printer.flow_control`"),
        "{message}"
    );
    assert!(
        message.contains("rts-cts"),
        "the allowed values are listed: {message}"
    );

    std::fs::write(&config, "[kiosk\nid = 1\n").expect("write");
    let message = stderr(&kiosk(&config, &["ticket", "list"]));
    assert!(message.contains("line 1"), "{message}");
}

#[test]
fn unknown_keys_warn_but_do_not_stop_the_kiosk() {
    let folder = tempfile::tempdir().expect("temp dir");
    let config = write_config(folder.path(), "[ui]\nidle_timeout = 30\n");
    let output = kiosk(&config, &["ticket", "list"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("unknown key `ui.idle_timeout`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_read_only_database_is_refused_clearly() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().expect("temp dir");
    let config = write_config(folder.path(), "");
    assert!(
        kiosk(&config, &["ticket", "issue", "--service", "DKC-KK"])
            .status
            .success()
    );
    let database = folder.path().join("kiosk.db");
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let output = kiosk(&config, &["ticket", "issue", "--service", "DKC-KK"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is read-only"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_database_locked_by_another_process_is_refused_clearly() {
    let folder = tempfile::tempdir().expect("temp dir");
    let config = write_config(folder.path(), "");
    assert!(
        kiosk(&config, &["ticket", "issue", "--service", "DKC-KK"])
            .status
            .success()
    );
    let holder = rusqlite::Connection::open(folder.path().join("kiosk.db")).expect("open");
    holder
        .execute_batch("BEGIN EXCLUSIVE")
        .expect("hold the write lock");
    let output = kiosk(&config, &["ticket", "issue", "--service", "DKC-KK"]);
    holder.execute_batch("ROLLBACK").expect("release");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("locked by another process"),
        "{}",
        stderr(&output)
    );
    // Once released, issuing continues with the next number.
    let output = kiosk(
        &config,
        &["ticket", "issue", "--service", "DKC-KK", "--json"],
    );
    let ticket: Ticket = serde_json::from_slice(&output.stdout).expect("ticket");
    assert_eq!(ticket.number, "DKC-002");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_clearly() {
    let folder = tempfile::tempdir().expect("temp dir");
    let config = write_config(folder.path(), "");
    std::fs::write(folder.path().join("kiosk.db"), vec![0x42u8; 8192]).expect("garbage");
    let output = kiosk(&config, &["ticket", "list"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is not a database"),
        "{}",
        stderr(&output)
    );
    let other = folder.path().join("other.db");
    rusqlite::Connection::open(&other)
        .and_then(|c| c.execute_batch("CREATE TABLE invoices (id INTEGER)"))
        .expect("another program's database");
    let config = write_config(folder.path(), "");
    let text = std::fs::read_to_string(&config)
        .expect("read")
        .replace("kiosk.db", "other.db");
    std::fs::write(&config, text).expect("write");
    let output = kiosk(&config, &["ticket", "list"]);
    assert!(
        stderr(&output).contains("another program's database"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn doctor_reports_problems_with_how_to_fix_them() {
    let folder = tempfile::tempdir().expect("temp dir");
    let config = write_config(folder.path(), "");
    let healthy = kiosk(&config, &["doctor"]);
    let report = String::from_utf8_lossy(&healthy.stdout).into_owned();
    assert!(healthy.status.success(), "{report}");
    assert!(report.contains("no problems found"), "{report}");
    let text = std::fs::read_to_string(&config).expect("read") + "";
    let text = text.replace(
        "[printer]\n",
        "[printer]\ntransport = \"serial\"\nport = \"/dev/no-such-printer\"\n",
    );
    std::fs::write(&config, text).expect("write");
    let broken = kiosk(&config, &["doctor"]);
    let report = String::from_utf8_lossy(&broken.stdout).into_owned();
    assert_eq!(broken.status.code(), Some(1), "{report}");
    assert!(
        report.contains("/dev/no-such-printer does not exist"),
        "{report}"
    );
}
