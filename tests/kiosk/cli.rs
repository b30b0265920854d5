//! The technician's command line against real files: stable JSON, exit codes, and clear errors
//! for bad configuration and bad databases.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{configured, kiosk_command, write_config};
use mpp_core::ticket::Ticket;
use mpp_testkit::scanner_sim::ScannerSim;

const MONDAY_MORNING: &str = "2026-11-23T02:00:00Z";
const ISSUE_DKC_KK: &[&str] = &["ticket", "issue", "--service", "DKC-KK"];

/// Runs the kiosk's command line on Monday morning.
fn kiosk(config: &Path, args: &[&str]) -> Output {
    kiosk_at(config, MONDAY_MORNING, args)
}

fn kiosk_at(config: &Path, now: &str, args: &[&str]) -> Output {
    kiosk_command(config, now, args)
        .output()
        .expect("run mpp-kiosk")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A folder with a default config whose database holds one ticket, DKC-001.
fn one_ticket_issued() -> (tempfile::TempDir, PathBuf) {
    let (folder, config) = configured("");
    assert!(kiosk(&config, ISSUE_DKC_KK).status.success());
    (folder, config)
}

/// Replaces each `(from, to)` in the config file, in order.
fn edit_config(config: &Path, edits: &[(&str, &str)]) {
    let text = std::fs::read_to_string(config).expect("read config");
    let text = edits
        .iter()
        .fold(text, |text, (from, to)| text.replace(from, to));
    std::fs::write(config, text).expect("write config");
}

/// The command said `text` on stderr.
fn assert_said(output: &Output, text: &str) {
    assert!(stderr(output).contains(text), "{}", stderr(output));
}

/// The command failed with exit code 1 and said `why` on stderr.
fn assert_refused(output: &Output, why: &str) {
    assert_eq!(output.status.code(), Some(1), "{}", stderr(output));
    assert_said(output, why);
}

#[test]
fn issue_list_show_and_void_speak_stable_json() {
    let (_folder, config) = configured("");
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
    let (_folder, config) = configured("");
    let output = kiosk(&config, &["ticket", "issue", "--service", "NO-SUCH"]);
    assert_refused(&output, "\"NO-SUCH\"");
}

#[test]
fn a_closed_service_says_when_to_come_back() {
    let (_folder, config) = configured("");
    let output = kiosk_at(&config, "2026-11-23T08:00:00Z", ISSUE_DKC_KK);
    assert_refused(&output, "come back Tuesday, 24 November 2026 at 08:00");
}

#[test]
fn a_malformed_configuration_names_the_line_and_key() {
    let (_folder, config) = configured("[ui]\nlanguage = \"fr\"\n");
    let output = kiosk(&config, &["ticket", "list"]);
    assert_eq!(output.status.code(), Some(1));
    // The line, the key, and the values allowed.
    let message = stderr(&output);
    common::assert_contains_all(&message, &["line 13", "`ui.language`", "`id`", "`en`"]);

    edit_config(
        &config,
        &[
            ("[ui]\nlanguage = \"fr\"\n", ""),
            ("[printer]\n", "[printer]\nflow_control = \"hardware\"\n"),
        ],
    );
    let message = stderr(&kiosk(&config, &["ticket", "list"]));
    common::assert_contains_all(&message, &["line 11", "`printer.flow_control`", "rts-cts"]);

    std::fs::write(&config, "[kiosk\nid = 1\n").expect("write");
    let message = stderr(&kiosk(&config, &["ticket", "list"]));
    assert!(message.contains("line 1"), "{message}");
}

#[test]
fn unknown_keys_warn_but_do_not_stop_the_kiosk() {
    let (_folder, config) = configured("[ui]\nidle_timeout = 30\n");
    let output = kiosk(&config, &["ticket", "list"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_said(&output, "unknown key `ui.idle_timeout`");
}

#[test]
fn a_read_only_database_is_refused_clearly() {
    use std::os::unix::fs::PermissionsExt;
    let (folder, config) = one_ticket_issued();
    let database = folder.path().join("kiosk.db");
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let output = kiosk(&config, ISSUE_DKC_KK);
    assert_refused(&output, "is read-only");
}

#[test]
fn a_database_locked_by_another_process_is_refused_clearly() {
    let (folder, config) = one_ticket_issued();
    let holder = rusqlite::Connection::open(folder.path().join("kiosk.db")).expect("open");
    holder
        .execute_batch("BEGIN EXCLUSIVE")
        .expect("hold the write lock");
    let output = kiosk(&config, ISSUE_DKC_KK);
    holder.execute_batch("ROLLBACK").expect("release");
    assert_refused(&output, "locked by another process");
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
    let (folder, config) = configured("");
    std::fs::write(folder.path().join("kiosk.db"), vec![0x42u8; 8192]).expect("garbage");
    let output = kiosk(&config, &["ticket", "list"]);
    assert_refused(&output, "is not a database");
    let other = folder.path().join("other.db");
    rusqlite::Connection::open(&other)
        .and_then(|c| c.execute_batch("CREATE TABLE invoices (id INTEGER)"))
        .expect("another program's database");
    let config = write_config(folder.path(), "");
    edit_config(&config, &[("kiosk.db", "other.db")]);
    let output = kiosk(&config, &["ticket", "list"]);
    assert_said(&output, "another program's database");
}

#[test]
fn doctor_reports_problems_with_how_to_fix_them() {
    let (_folder, config) = configured("");
    let healthy = kiosk(&config, &["doctor"]);
    let report = String::from_utf8_lossy(&healthy.stdout).into_owned();
    assert!(healthy.status.success(), "{report}");
    assert!(report.contains("no problems found"), "{report}");
    edit_config(
        &config,
        &[(
            "[printer]\n",
            "[printer]\ntransport = \"serial\"\nport = \"/dev/no-such-printer\"\n",
        )],
    );
    let broken = kiosk(&config, &["doctor"]);
    let report = String::from_utf8_lossy(&broken.stdout).into_owned();
    assert_eq!(broken.status.code(), Some(1), "{report}");
    assert!(
        report.contains("/dev/no-such-printer does not exist"),
        "{report}"
    );
}

#[test]
fn doctor_checks_the_scanner_only_where_one_is_fitted() {
    let folder = tempfile::tempdir().expect("temp dir");
    let doctor = |extra: &str| {
        let output = kiosk(&write_config(folder.path(), extra), &["doctor"]);
        let report = String::from_utf8_lossy(&output.stdout).into_owned();
        (output.status.code(), report)
    };
    let (code, report) = doctor("");
    assert_eq!(code, Some(0), "{report}");
    assert!(
        report.contains("ok       scanner: none configured"),
        "{report}"
    );
    let sim = ScannerSim::start(&folder.path().join("kiosk-scanner"));
    let port = sim.device_path().display().to_string();
    let fitted = format!("[scanner]\nport = \"{port}\"\n");
    let (code, report) = doctor(&fitted);
    assert_eq!(code, Some(0), "{report}");
    assert!(
        report.contains(&format!("ok       scanner: {port} at 9600 baud opens")),
        "{report}"
    );
    sim.unplug();
    let (code, report) = doctor(&fitted);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains(&format!(
            "PROBLEM  scanner: {port} does not exist: is the scanner plugged in?"
        )),
        "{report}"
    );
    // Something at the path that is no serial device.
    std::fs::write(folder.path().join("kiosk-scanner"), "").expect("a plain file");
    let (code, report) = doctor(&fitted);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains(&format!("PROBLEM  scanner: {port} is not a serial device")),
        "{report}"
    );
}

/// Runs the command with stdout a pipe that its reader closes after one line, as
/// `… | head -1` does.
fn with_stdout_closed_after_one_line(config: &Path, args: &[&str]) -> Output {
    use std::io::BufRead;
    let mut child = kiosk_command(config, MONDAY_MORNING, args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run mpp-kiosk");
    let mut reader = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    reader.read_line(&mut first).expect("one line");
    assert!(!first.is_empty(), "{args:?} printed nothing");
    drop(reader);
    child.wait_with_output().expect("the command ends")
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    let (_folder, config) = configured("");
    // More than a pipe holds (64 KiB), so the command is still writing when the reader leaves.
    let issued = kiosk(
        &config,
        &["ticket", "issue", "--service", "DKC-KK", "--count", "300"],
    );
    assert!(issued.status.success(), "{}", stderr(&issued));
    edit_config(&config, &[(common::SMALL_CATALOG, "builtin")]);
    for args in [
        &["ticket", "list", "--json"][..],
        &["catalog", "show", "--json"][..],
    ] {
        let output = with_stdout_closed_after_one_line(&config, args);
        assert!(
            !stderr(&output).contains("panicked"),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}
