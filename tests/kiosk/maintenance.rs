//! `mpp-kiosk maintenance set-pin` and the PIN's lock, on the real binary and real SQLite
//! files: the PIN is read from stdin (never argv), trivial ones are refused, it is kept as an
//! Argon2id hash, the lock survives the process being killed, an old `ui.maintenance_pin` key
//! loads with a warning that names it and `doctor` flags it; no PIN or token reaches a log.

use std::io::Write;
use std::process::{Output, Stdio};
use std::sync::Mutex;

use crate::common::{configured, instant, kiosk_command, said};
use mpp_core::maintenance::Attempt;
use mpp_station::maintenance::{Pin, PinCheck, check_pin};
use mpp_station::store::Store;

const MONDAY: &str = "2026-11-23T02:30:00Z";
// Eight digits (the longest PIN): a shorter one turned up inside a log line's microseconds
// ("…09.975313Z" holds "97531") and failed the test that no PIN is logged.
const PIN: &str = "80514627";
const OLD_PIN: &str = "97531864";
const TOKEN: &str = "kiosk-token-never-logged-0042";

/// Runs the kiosk's command line with `stdin` as its input, logging at debug level.
fn run_with_input(config: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = kiosk_command(config, MONDAY, args)
        .env("MPP_KIOSK_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run mpp-kiosk");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

#[test]
fn set_pin_reads_stdin_twice_refuses_trivial_pins_and_stores_only_a_hash() {
    let (folder, config) = configured("");
    let cases = [
        ("1234\n1234\n", "consecutive digits"),
        ("0000\n0000\n", "repeated digit"),
        ("12\n12\n", "4 to 8 digits"),
        ("2468\n2486\n", "differ"),
        ("", "no PIN given"),
    ];
    for (input, why) in cases {
        let output = run_with_input(&config, &["maintenance", "set-pin"], input);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{input:?}: {}",
            said(&output)
        );
        assert!(said(&output).contains(why), "{input:?}: {}", said(&output));
    }
    let as_argument = run_with_input(&config, &["maintenance", "set-pin", PIN], "");
    assert_eq!(
        as_argument.status.code(),
        Some(2),
        "a PIN on the command line is wrong usage"
    );
    let output = run_with_input(
        &config,
        &["maintenance", "set-pin"],
        &format!("{PIN}\n{PIN}\n"),
    );
    assert!(output.status.success(), "{}", said(&output));
    assert!(!said(&output).contains(PIN), "{}", said(&output));
    let database = folder.path().join("kiosk.db");
    let bytes = std::fs::read(&database).expect("database");
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("$argon2id$"),
        "an Argon2id PHC string is stored"
    );
    assert!(
        !text.contains(PIN),
        "the PIN itself is nowhere in the database"
    );
    let store = Mutex::new(Store::open(&database).expect("store"));
    let now = || instant(MONDAY);
    assert_eq!(
        check_pin(&store, &Pin::new(PIN), now).expect("check"),
        PinCheck::Done(Attempt::Accepted)
    );
    let audit = store
        .lock()
        .expect("store")
        .audit_entries(10)
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|entry| entry.action == "maintenance_pin_set" && entry.detail == "command line"),
        "{audit:?}"
    );
}

/// Set in the child process of [`the_lock_survives_a_killed_process`]: the database to count
/// wrong PINs in before being killed.
const CHILD_DATABASE: &str = "MPP_TEST_LOCK_CHILD_DATABASE";

/// The child's part (does nothing when run as an ordinary test): five wrong PINs, say so,
/// then wait to be killed with the database still open.
#[test]
fn lock_counting_child() {
    let Some(database) = std::env::var_os(CHILD_DATABASE) else {
        return;
    };
    let store = Mutex::new(Store::open(database.as_ref()).expect("store"));
    for _ in 0..5 {
        check_pin(&store, &Pin::new("1357"), || instant(MONDAY)).expect("check");
    }
    println!("COUNTED");
    std::io::stdout().flush().expect("flush");
    std::thread::sleep(std::time::Duration::from_secs(600));
}

#[test]
fn the_lock_survives_a_killed_process() {
    let (folder, config) = configured("");
    let output = run_with_input(
        &config,
        &["maintenance", "set-pin"],
        &format!("{PIN}\n{PIN}\n"),
    );
    assert!(output.status.success(), "{}", said(&output));
    let database = folder.path().join("kiosk.db");
    // Another process counts five wrong PINs and is killed (SIGKILL) with the database open:
    // each count was committed (WAL, synchronous=FULL) before it answered. The child is this
    // test binary running only that test, named by its path in the binary.
    let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "maintenance::lock_counting_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DATABASE, &database)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the child");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(
        child.stdout.take().expect("stdout"),
    ));
    assert!(
        lines.any(|line| line.is_ok_and(|line| line.contains("COUNTED"))),
        "the child counted"
    );
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let store = Mutex::new(Store::open(&database).expect("reopened"));
    let now = || instant(MONDAY);
    assert_eq!(
        check_pin(&store, &Pin::new(PIN), now).expect("check"),
        PinCheck::Done(Attempt::StillLocked { minutes_left: 1 }),
        "the lock outlived the killed process"
    );
    let later = || instant(MONDAY) + chrono::TimeDelta::minutes(1);
    assert_eq!(
        check_pin(&store, &Pin::new(PIN), later).expect("check"),
        PinCheck::Done(Attempt::Accepted)
    );
}

#[test]
fn an_old_pin_key_loads_with_a_warning_naming_it_and_doctor_flags_it() {
    let extra = format!(
        "[ui]\nmaintenance_pin = \"{OLD_PIN}\"\n[sync]\ntoken = \"{TOKEN}\"\nserver_url = \"http://127.0.0.1:9\"\n"
    );
    let (_folder, config) = configured(&extra);
    let status = run_with_input(&config, &["day", "status"], "");
    let words = said(&status);
    assert!(words.contains("ui.maintenance_pin"), "{words}");
    assert!(words.contains("maintenance set-pin"), "{words}");
    let doctor = run_with_input(&config, &["doctor"], "");
    let report = said(&doctor);
    assert_eq!(doctor.status.code(), Some(1), "{report}");
    assert!(
        report
            .lines()
            .any(|line| line.starts_with("PROBLEM") && line.contains("ui.maintenance_pin")),
        "{report}"
    );
    assert!(report.contains("no PIN"), "{report}");
    // Logs at debug level of set-pin, a sync round, doctor and status: no PIN, no token.
    let set = run_with_input(
        &config,
        &["maintenance", "set-pin"],
        &format!("{PIN}\n{PIN}\n"),
    );
    assert!(set.status.success(), "{}", said(&set));
    let sync = run_with_input(&config, &["sync", "now"], "");
    for (name, output) in [
        ("status", &status),
        ("doctor", &doctor),
        ("set-pin", &set),
        ("sync", &sync),
    ] {
        // Timestamps are the clock's digits, not anything the kiosk was told.
        let words: String = said(output)
            .lines()
            .map(|line| {
                line.split_once("Z ")
                    .filter(|(stamp, _)| mpp_common::instant::parse(&format!("{stamp}Z")).is_some())
                    .map_or(line, |(_, rest)| rest)
            })
            .collect::<Vec<_>>()
            .join("\n");
        for secret in [PIN, OLD_PIN, TOKEN] {
            assert!(!words.contains(secret), "{name} printed {secret}: {words}");
        }
    }
}
