//! The shipped catalog and catalog validation, through the library and the command line.

use std::process::Command;

use crate::common::KIOSK_BINARY;
use mpp_station::catalog_source::{self, CatalogError};

use mpp_testkit::fixtures::BROKEN_CATALOG as BROKEN;
const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/catalog.json");

#[test]
fn the_shipped_catalog_is_a_whole_regency_mpp() {
    let catalog = catalog_source::builtin().expect("the shipped catalog is valid");
    assert!(
        catalog.agencies.len() >= 29,
        "{} agencies",
        catalog.agencies.len()
    );
    assert!(
        catalog.services.len() >= 260,
        "{} services",
        catalog.services.len()
    );
    assert!(catalog.agencies.iter().filter(|a| a.popular).count() >= 4);
    assert!(catalog.services.iter().any(|s| s.fee.is_free()));
    assert!(catalog.services.iter().any(|s| s.daily_quota.is_some()));
    assert!(catalog.services.iter().any(|s| !s.fee.is_free()));
    assert!(!catalog.holidays.is_empty());
}

/// Fees set nationally (PNBP: police, immigration, civil registry, religious affairs) are
/// known in rupiah: a visitor reads the amount, never only "the usual rate".
#[test]
fn national_fees_are_shown_as_amounts() {
    use mpp_core::catalog::Fee;
    let catalog = catalog_source::builtin().expect("the shipped catalog is valid");
    let national = ["POLRES", "IMIGRASI", "DUKCAPIL", "KEMENAG"];
    for service in (catalog.services.iter()).filter(|s| national.contains(&s.agency.as_str())) {
        if let Fee::Varies { varies } = &service.fee {
            for language in mpp_core::lang::Language::ALL {
                let words = varies.get(language);
                assert!(words.contains("Rp"), "{}: {words:?}", service.code);
            }
        }
    }
}

#[test]
fn every_problem_of_a_broken_catalog_is_reported_at_once() {
    let error = catalog_source::from_file(BROKEN.as_ref()).expect_err("refused");
    let CatalogError::Invalid { problems, .. } = &error else {
        panic!("expected validation problems, got {error}");
    };
    let text = error.to_string();
    let expected = [
        "schedules.standard.mon.open: 25:70 is not a time of day",
        "schedules.standard.tue.cutoff: 16:00 must be after opening",
        "schedules.standard.wed.breaks[0]: 06:00–13:00 must be a forward span inside opening hours",
        "clashes with a queue prefix of DUKCAPIL",
        "colour: \"green\" is not a colour",
        "agencies[2] SAMSAT.name: needs both Indonesian (id) and English (en) text",
        "services[1] DKC-KK: service code is used twice",
        "services[3] SAM-PKB.queue: no queue has the prefix \"XYZ\"",
        "services[2] POL-SKCK.schedule: no schedule is named \"weekends\"",
        "services[2] POL-SKCK.queue: queue KTP belongs to DUKCAPIL, not POLRES",
    ];
    crate::common::assert_contains_all(&text, &expected);
    assert!(problems.0.len() >= expected.len());
}

#[test]
fn json_syntax_errors_name_line_and_column() {
    let error = catalog_source::parse("{\n  \"version\": 1,\n  \"agencies\": [,]\n}", "test.json")
        .expect_err("refused");
    let text = error.to_string();
    assert!(
        text.contains("test.json") && text.contains("line 3"),
        "{text}"
    );
}

#[test]
fn catalog_check_on_the_command_line() {
    let good = Command::new(KIOSK_BINARY)
        .args(["catalog", "check", SHIPPED])
        .output()
        .expect("run");
    assert!(good.status.success());
    assert!(String::from_utf8_lossy(&good.stdout).contains("valid"));
    let bad = Command::new(KIOSK_BINARY)
        .args(["catalog", "check", BROKEN])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("problem(s)") && stderr.contains("XYZ") && stderr.contains("25:70"),
        "{stderr}"
    );
    let missing = Command::new(KIOSK_BINARY)
        .args(["catalog", "check", "/nonexistent/c.json"])
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/c.json"));
}
