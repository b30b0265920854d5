//! Shared helpers for the kiosk's two integration-test binaries (`tests/kiosk/`,
//! `tests/screen/`) and its benchmarks, which all include this file with `#[path]`: real files
//! in temporary folders, fixed instants, the ticket layout, the serial settings of the
//! simulated printer, the command line. What is not kiosk-specific lives in `mpp_testkit`.
// Each includer uses a part of it.
#![allow(dead_code)]

pub mod http;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use mpp_core::catalog::{ClockTime, DayHours, WeeklySchedule};
use mpp_core::day::TimeZone;
use mpp_core::lang::Language;
use mpp_core::numbering::{Lane, NumberRange};
use mpp_core::receipt::PaperWidth;
use mpp_core::ticket::Ticket;
use mpp_core::validate::ValidCatalog;
use mpp_station::printer::Layout;
use mpp_station::printer::encode::EncodeOptions;
use mpp_station::printer::settings::{FlowControl, Parity, QrErrorCorrection};
use mpp_station::printer::transport::SerialSettings;
use mpp_station::store::{IssueSettings, Store, StoreError};

pub use mpp_testkit::fixtures::{SMALL_CATALOG, small_catalog};
pub const KIOSK_BINARY: &str = env!("CARGO_BIN_EXE_mpp-kiosk");

/// The small catalog with every schedule open around the clock, for day-boundary tests.
pub fn around_the_clock_catalog() -> ValidCatalog {
    let mut catalog = small_catalog().into_inner();
    let all_day = DayHours {
        open: ClockTime::new(0, 0),
        close: ClockTime::END_OF_DAY,
        cutoff: ClockTime::END_OF_DAY,
        breaks: Vec::new(),
    };
    let schedule = WeeklySchedule {
        mon: Some(all_day.clone()),
        tue: Some(all_day.clone()),
        wed: Some(all_day.clone()),
        thu: Some(all_day.clone()),
        fri: Some(all_day.clone()),
        sat: Some(all_day.clone()),
        sun: Some(all_day),
        closed_dates: Vec::new(),
    };
    for value in catalog.schedules.values_mut() {
        *value = schedule.clone();
    }
    catalog.holidays.clear();
    ValidCatalog::new(catalog).expect("still valid")
}

pub fn settings(kiosk: &str, first: u32, last: u32) -> IssueSettings {
    IssueSettings {
        kiosk_id: kiosk.into(),
        range: NumberRange::new(first, last).expect("range"),
        time_zone: TimeZone::JAKARTA,
        qr_base_url: "https://mpp.example.go.id".into(),
        signing_key: b"test-signing-key-0001".to_vec(),
    }
}

/// A store on a new SQLite file, in a folder of its own to keep while the store is used.
pub fn temp_store() -> (tempfile::TempDir, Store) {
    let folder = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&folder.path().join("kiosk.db")).expect("store");
    (folder, store)
}

/// Issues a `service` ticket in `lane` at `at` as kiosk K1 (numbers 1 to 999) with the small
/// catalog: the kiosk most tests of the store stand in for.
pub fn issue_as_k1(
    store: &mut Store,
    service: &str,
    lane: Lane,
    at: DateTime<Utc>,
) -> Result<Ticket, StoreError> {
    store.issue(
        &small_catalog(),
        &settings("K1", 1, 999),
        &service.into(),
        lane,
        at,
    )
}

/// An instant from RFC 3339 text with an offset, e.g. `2026-11-23T09:00:00+07:00`.
pub fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

/// The ticket layout of the regency MPP, as kiosk.toml would give it, on `width` paper.
pub fn layout(width: PaperWidth) -> Layout {
    Layout {
        mpp_name: "Mal Pelayanan Publik Kabupaten Blora".into(),
        mpp_address: String::new(),
        complaints: "SP4N-LAPOR! lapor.go.id".into(),
        time_zone: TimeZone::JAKARTA,
        language: Language::Indonesian,
        width,
        options: EncodeOptions {
            qr_module_size: 6,
            qr_error_correction: QrErrorCorrection::M,
            logo: None,
        },
        survey_key: Some(b"test-signing-key-0001".to_vec()),
    }
}

/// 8N1 without flow control at `baud`, on `path` (the simulated printer's link).
pub fn serial_settings(path: PathBuf, baud: u32) -> SerialSettings {
    SerialSettings {
        path,
        baud,
        data_bits: 8,
        parity: Parity::None,
        stop_bits: 1,
        flow_control: FlowControl::None,
    }
}

/// The kiosk program with `--config config --now now` and then `args`, ready to run.
pub fn kiosk_command(config: &Path, now: &str, args: &[&str]) -> Command {
    let mut command = Command::new(KIOSK_BINARY);
    command
        .arg("--config")
        .arg(config)
        .args(["--now", now])
        .args(args);
    command
}

/// What a command said: its stdout, then its stderr.
pub fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Insists `text` holds each of `words`, naming the first it lacks.
pub fn assert_contains_all(text: &str, words: &[&str]) {
    for words in words {
        assert!(text.contains(words), "{words:?} is not in:\n{text}");
    }
}

/// Runs the kiosk program (see [`kiosk_command`]), insists it succeeded, and returns its stdout.
pub fn run_kiosk(config: &Path, now: &str, args: &[&str]) -> String {
    let output = kiosk_command(config, now, args)
        .output()
        .expect("run mpp-kiosk");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?}: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A multi-threaded runtime with `workers` threads, for tests that run servers and proxies.
pub fn runtime(workers: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A folder of its own with a kiosk.toml written by [`write_config`]: keep the folder while
/// the config is used.
pub fn configured(extra: &str) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().expect("temp dir");
    let config = write_config(folder.path(), extra);
    (folder, config)
}

/// Writes a kiosk.toml for the command line into `folder`, with extra TOML appended.
pub fn write_config(folder: &Path, extra: &str) -> PathBuf {
    write_config_with_catalog(folder, Path::new(SMALL_CATALOG), extra)
}

/// Like [`write_config`], with the small catalog open around the clock: for tests that run at
/// the real time of day, because they talk to a real server (see [`real_now`]).
pub fn write_config_open_all_day(folder: &Path, extra: &str) -> PathBuf {
    let catalog = folder.join("catalog.json");
    let json = serde_json::to_string(&*around_the_clock_catalog()).expect("catalog JSON");
    std::fs::write(&catalog, json).expect("write catalog");
    write_config_with_catalog(folder, &catalog, extra)
}

fn write_config_with_catalog(folder: &Path, catalog: &Path, extra: &str) -> PathBuf {
    let path = folder.join("kiosk.toml");
    let text = format!(
        "[kiosk]\nid = \"KIOSK-T\"\nnumber_range = [1, 9999]\n\
         [storage]\ndatabase = \"kiosk.db\"\n\
         [catalog]\nsource = \"{}\"\n\
         [ticket]\nsigning_key = \"test-signing-key-0001\"\n\
         [printer]\noutput_dir = \"prints\"\n{extra}",
        catalog.display()
    );
    std::fs::write(&path, text).expect("write config");
    path
}

/// Now, as `--now` takes it. A kiosk talking to a real server must be on the server's (real)
/// clock: one a day or more off it issues nothing.
pub fn real_now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// For a test that measures its whole process (its resident memory), which the tests running
/// beside it in the same binary would disturb. In the parent: runs this test binary again with
/// only `test` (its path in the binary, e.g. `sync::some_test`) in a process of its own,
/// insists it ran and passed, and returns `false`. In that child: returns `true`, and the test
/// goes on.
pub fn in_own_process(test: &str) -> bool {
    const ALONE: &str = "MPP_TEST_IN_OWN_PROCESS";
    if std::env::var_os(ALONE).is_some_and(|running| running == test) {
        return true;
    }
    let output = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(ALONE, test)
        .output()
        .expect("run the test in a process of its own");
    let said = said(&output);
    assert!(
        output.status.success() && said.contains("1 passed"),
        "{test} in a process of its own:\n{said}"
    );
    false
}
