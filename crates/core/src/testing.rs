//! Fixtures for tests: the core's own, and (with the `testing` feature, which mpp-testkit turns
//! on) those of the crates built on it, so that one sample of each message serves them all.

use chrono::{DateTime, NaiveDateTime, Utc};

use super::catalog::Catalog;
use super::numbering::Lane;
use super::printer_state::PrinterState;
use super::protocol::Heartbeat;
use super::ticket::{Ticket, TicketStatus};

/// A small catalog that exercises every schedule feature: the same file integration tests use.
pub fn sample_catalog() -> Catalog {
    let text = include_str!("../../testkit/fixtures/small-catalog.json");
    let catalog = Catalog::from_json(text).expect("the sample catalog parses");
    super::validate::validate(&catalog).expect("the sample catalog is valid");
    catalog
}

/// A local time written `YYYY-MM-DD HH:MM:SS`.
pub fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("local time")
}

/// 2026-11-23 09:00 in Jakarta (a Monday), when the samples below happen.
pub fn sample_instant() -> DateTime<Utc> {
    "2026-11-23T02:00:00Z".parse().expect("instant")
}

/// Kiosk K1's printed ticket DKC-001 (regular, DUKCAPIL's DKC-KK) of that day, without a QR
/// link; a test sets what it is about with struct update syntax.
pub fn sample_ticket() -> Ticket {
    Ticket {
        id: "0192f0c2-0000-7000-8000-000000000001".into(),
        number: "DKC-001".into(),
        queue: "DKC".into(),
        lane: Lane::Regular,
        sequence: 1,
        agency: "DUKCAPIL".into(),
        service: "DKC-KK".into(),
        kiosk: "K1".into(),
        business_day: sample_instant().date_naive(),
        issued_at: sample_instant(),
        people_ahead: None,
        expected_wait: None,
        status: TicketStatus::Printed,
        print_count: 1,
        qr_payload: String::new(),
    }
}

/// Kiosk K1 healthy at that moment: printer ready, nothing unsent, catalog v3.
pub fn sample_heartbeat() -> Heartbeat {
    Heartbeat {
        kiosk: "K1".into(),
        version: "0.1.0".into(),
        printer: PrinterState::Ready,
        outbox_unsent: 0,
        oldest_unsent: None,
        catalog_version: 3,
        at: sample_instant(),
        day_doubt: None,
    }
}
