//! Shared helpers for integration tests: real files in temporary folders, fixed instants.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use mpp_core::catalog::{ClockTime, DayHours, WeeklySchedule};
use mpp_core::day::TimeZone;
use mpp_core::numbering::NumberRange;
use mpp_core::validate::ValidCatalog;
use mpp_kiosk::catalog_source;
use mpp_kiosk::store::IssueSettings;

pub use mpp_testkit::fixtures::SMALL_CATALOG;
pub const KIOSK_BINARY: &str = env!("CARGO_BIN_EXE_mpp-kiosk");

pub fn small_catalog() -> ValidCatalog {
    catalog_source::from_file(Path::new(SMALL_CATALOG)).expect("fixture catalog is valid")
}

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

/// An instant from RFC 3339 text with an offset, e.g. `2026-11-23T09:00:00+07:00`.
pub fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

/// Writes a kiosk.toml for the command line into `folder`, with extra TOML appended.
pub fn write_config(folder: &Path, extra: &str) -> PathBuf {
    let path = folder.join("kiosk.toml");
    let text = format!(
        "[kiosk]\nid = \"KIOSK-T\"\nnumber_range = [1, 9999]\n\
         [storage]\ndatabase = \"kiosk.db\"\n\
         [catalog]\nsource = \"{SMALL_CATALOG}\"\n\
         [ticket]\nsigning_key = \"test-signing-key-0001\"\n\
         [printer]\noutput_dir = \"prints\"\n{extra}"
    );
    std::fs::write(&path, text).expect("write config");
    path
}
