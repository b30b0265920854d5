//! `mpp-kiosk service …` and the void's reason over SSH, against real files: a service closed
//! for today gives no number (from the command line as from the screen) until it is reopened,
//! a closure ends with its day, and a reason holding a phone number or a NIK is refused.

use std::path::Path;
use std::process::Output;

use crate::common::{configured, kiosk_command, said};

const MONDAY_MORNING: &str = "2026-11-23T02:00:00Z";
const TUESDAY_MORNING: &str = "2026-11-24T02:00:00Z";
const ISSUE_DKC_KK: &[&str] = &["ticket", "issue", "--service", "DKC-KK"];

fn kiosk_at(config: &Path, now: &str, args: &[&str]) -> Output {
    kiosk_command(config, now, args)
        .output()
        .expect("run mpp-kiosk")
}

fn kiosk(config: &Path, args: &[&str]) -> Output {
    kiosk_at(config, MONDAY_MORNING, args)
}

#[test]
fn a_service_closed_for_today_gives_no_number_until_reopened_and_opens_the_next_day() {
    let (_folder, config) = configured("");
    let closed = kiosk(
        &config,
        &["service", "close", "DKC-KK", "--notice", "system_down"],
    );
    assert!(closed.status.success(), "{}", said(&closed));
    let listed = kiosk(&config, &["service", "closed"]);
    assert!(
        said(&listed).contains("DKC-KK  system_down"),
        "{}",
        said(&listed)
    );
    let refused = kiosk(&config, ISSUE_DKC_KK);
    assert_eq!(refused.status.code(), Some(1), "{}", said(&refused));
    assert!(
        said(&refused).contains("The agency's system is down"),
        "the visitor's words: {}",
        said(&refused)
    );
    // Reopened, it gives numbers again the same day.
    let reopened = kiosk(&config, &["service", "reopen", "DKC-KK"]);
    assert!(
        said(&reopened).contains("open again"),
        "{}",
        said(&reopened)
    );
    let again = kiosk(&config, &["service", "reopen", "DKC-KK"]);
    assert!(said(&again).contains("was not closed"), "{}", said(&again));
    let issued = kiosk(&config, ISSUE_DKC_KK);
    assert!(issued.status.success(), "{}", said(&issued));
    // Closed again on Monday, it is open on Tuesday by itself.
    let closed = kiosk(&config, &["service", "close", "DKC-KK"]);
    assert!(closed.status.success(), "{}", said(&closed));
    let tuesday = kiosk_at(&config, TUESDAY_MORNING, ISSUE_DKC_KK);
    assert!(tuesday.status.success(), "{}", said(&tuesday));
}

#[test]
fn a_wrong_service_or_notice_is_named() {
    let (_folder, config) = configured("");
    let unknown = kiosk(&config, &["service", "close", "NO-SUCH"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        said(&unknown).contains("no service \"NO-SUCH\""),
        "{}",
        said(&unknown)
    );
    let notice = kiosk(
        &config,
        &["service", "close", "DKC-KK", "--notice", "lunch"],
    );
    assert_eq!(notice.status.code(), Some(1));
    assert!(
        said(&notice).contains("--notice \"lunch\""),
        "{}",
        said(&notice)
    );
}

#[test]
fn a_void_reason_holding_a_phone_number_or_nik_is_refused_and_nothing_is_voided() {
    let (_folder, config) = configured("");
    assert!(kiosk(&config, ISSUE_DKC_KK).status.success());
    for reason in ["call 0812-3456-7890", "nik 3316 0123 4567 8901"] {
        let refused = kiosk(&config, &["ticket", "void", "DKC-001", "--reason", reason]);
        assert_eq!(refused.status.code(), Some(1), "{}", said(&refused));
        assert!(
            said(&refused).contains("--reason is refused"),
            "{}",
            said(&refused)
        );
    }
    let long = "x".repeat(61);
    let refused = kiosk(&config, &["ticket", "void", "DKC-001", "--reason", &long]);
    assert!(said(&refused).contains("at most 60"), "{}", said(&refused));
    let shown = kiosk(&config, &["ticket", "show", "DKC-001", "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    assert_eq!(shown["ticket"]["status"], "issued");
}
