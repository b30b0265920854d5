//! The ticket store on real SQLite files: numbering, schedules, quotas, ranges, history, outbox.

use std::collections::HashSet;

use crate::common::{
    around_the_clock_catalog, instant, issue_as_k1, settings, small_catalog, temp_store,
};
use mpp_core::numbering::Lane;
use mpp_core::schedule::ClosedReason;
use mpp_core::ticket::{Ticket, TicketStatus, verify};
use mpp_core::wait::{Pace, WaitRange};
use mpp_station::store::{Store, StoreError};

const MONDAY: &str = "2026-11-23T09:00:00+07:00";

/// A regular DKC-KK ticket of kiosk K1 at `at`, the small catalog open around the clock.
fn around_the_clock(store: &mut Store, at: &str) -> Ticket {
    store
        .issue(
            &around_the_clock_catalog(),
            &settings("K1", 1, 999),
            &"DKC-KK".into(),
            Lane::Regular,
            instant(at),
        )
        .expect("issued")
}

fn closed_reason(error: StoreError) -> ClosedReason {
    match error {
        StoreError::Closed { closure, .. } => closure.reason,
        other => panic!("expected a closed service, got {other:?}"),
    }
}

#[test]
fn numbers_restart_at_local_midnight() {
    let (_folder, mut store) = temp_store();
    let expected = [
        ("2026-11-23T23:59:58+07:00", "DKC-001", "2026-11-23"),
        ("2026-11-23T23:59:59+07:00", "DKC-002", "2026-11-23"),
        ("2026-11-24T00:00:00+07:00", "DKC-001", "2026-11-24"),
    ];
    let mut issued = Vec::new();
    for (at, number, day) in expected {
        let ticket = around_the_clock(&mut store, at);
        assert_eq!(
            (ticket.number.as_str(), ticket.business_day.to_string()),
            (number, day.into()),
            "issued at {at}"
        );
        issued.push(ticket);
    }
    // The 24th's first: 17:00 UTC is midnight in Jakarta, the boundary follows local time.
    assert_eq!(issued[2].issued_at, instant("2026-11-23T17:00:00Z"));
}

#[test]
fn a_clock_set_back_never_reuses_numbers() {
    let (_folder, mut store) = temp_store();
    let mut issue = |at: &str| around_the_clock(&mut store, at);
    issue("2026-11-23T10:00:00+07:00");
    let after_midnight = issue("2026-11-24T00:00:05+07:00");
    // The clock jumps back to the evening before.
    let back = issue("2026-11-23T23:59:50+07:00");
    assert_eq!(after_midnight.number, "DKC-001");
    assert_eq!(
        back.business_day, after_midnight.business_day,
        "the business day stayed put"
    );
    assert_eq!(back.number, "DKC-002");
}

#[test]
fn a_full_quota_refuses_and_a_voided_number_is_not_reused() {
    let (_folder, mut store) = temp_store();
    let monday = instant(MONDAY);
    let skck = |store: &mut Store| issue_as_k1(store, "POL-SKCK", Lane::Regular, monday);
    let first = skck(&mut store).expect("1st");
    skck(&mut store).expect("2nd");
    let refused = skck(&mut store).expect_err("quota of 2 reached");
    assert_eq!(closed_reason(refused), ClosedReason::QuotaFull);
    // A voided ticket frees its quota place, but its number is gone for good.
    store
        .set_status(
            &first.id,
            TicketStatus::Voided,
            Some("visitor left"),
            monday,
        )
        .expect("void");
    let third = skck(&mut store).expect("3rd");
    assert_eq!(third.number, "SKC-003");
}

#[test]
fn cutoff_break_weekend_and_holiday_refuse_with_the_reason() {
    let (_folder, mut store) = temp_store();
    let mut refuse = |at: &str| {
        let refused = issue_as_k1(&mut store, "DKC-KK", Lane::Regular, instant(at));
        closed_reason(refused.expect_err("closed"))
    };
    assert_eq!(
        refuse("2026-11-23T14:30:00+07:00"),
        ClosedReason::CutoffPassed
    );
    assert!(matches!(
        refuse("2026-11-27T11:45:00+07:00"),
        ClosedReason::OnBreak(_)
    ));
    assert_eq!(
        refuse("2026-11-29T09:00:00+07:00"),
        ClosedReason::NotOpenToday
    );
    assert!(matches!(
        refuse("2026-12-25T09:00:00+07:00"),
        ClosedReason::Holiday(_)
    ));
    // Nothing was written by refusals.
    assert!(
        store
            .tickets_on("2026-11-23".parse().expect("day"))
            .expect("list")
            .is_empty()
    );
    assert_eq!(store.outbox_depth().expect("depth").unsent, 0);
}

#[test]
fn two_kiosks_with_their_own_ranges_never_collide() {
    let catalog = small_catalog();
    let (_a, mut first_kiosk) = temp_store();
    let (_b, mut second_kiosk) = temp_store();
    let first_settings = settings("K1", 1, 499);
    let second_settings = settings("K2", 500, 999);
    let monday = instant(MONDAY);
    let mut numbers = HashSet::new();
    for _ in 0..60 {
        for (store, kiosk) in [
            (&mut first_kiosk, &first_settings),
            (&mut second_kiosk, &second_settings),
        ] {
            let ticket = store
                .issue(&catalog, kiosk, &"DKC-KK".into(), Lane::Regular, monday)
                .expect("issued");
            assert!(
                numbers.insert(ticket.number.clone()),
                "{} printed twice",
                ticket.number
            );
        }
    }
    assert!(numbers.contains("DKC-001") && numbers.contains("DKC-500"));
    assert!(numbers.contains("DKC-060") && numbers.contains("DKC-559"));
}

#[test]
fn a_used_up_range_is_an_error_not_a_wrap() {
    let (_folder, mut store) = temp_store();
    let catalog = small_catalog();
    let kiosk = settings("K1", 7, 9);
    let monday = instant(MONDAY);
    let mut issue = |lane| store.issue(&catalog, &kiosk, &"DKC-KK".into(), lane, monday);
    for expected in ["DKC-007", "DKC-008", "DKC-009"] {
        let ticket = issue(Lane::Regular).expect("issued");
        assert_eq!(ticket.number, expected);
    }
    let error = issue(Lane::Regular).expect_err("range used up");
    assert!(
        matches!(error, StoreError::RangeExhausted { ref queue, .. } if queue == "DKC"),
        "{error:?}"
    );
    assert!(error.to_string().contains("7–9"), "{error}");
    // Priority numbers run their own sequence and are still available.
    let priority = issue(Lane::Priority).expect("priority");
    assert_eq!(priority.number, "DKC-P007");
}

#[test]
fn priority_numbers_are_marked_and_only_where_offered() {
    let (_folder, mut store) = temp_store();
    let monday = instant(MONDAY);
    issue_as_k1(&mut store, "DKC-KK", Lane::Regular, monday).expect("regular");
    let priority = issue_as_k1(&mut store, "DKC-KK", Lane::Priority, monday).expect("priority");
    assert_eq!(priority.number, "DKC-P001");
    assert_eq!(priority.lane, Lane::Priority);
    let refused = issue_as_k1(&mut store, "POL-SKCK", Lane::Priority, monday)
        .expect_err("SKCK offers no priority lane in the fixture");
    assert!(matches!(refused, StoreError::NoPriority(_)));
}

#[test]
fn history_and_outbox_follow_every_status_change() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("kiosk.db");
    let monday = instant(MONDAY);
    let ticket = {
        let mut store = Store::open(&path).expect("open");
        let ticket = issue_as_k1(&mut store, "DKC-KK", Lane::Regular, monday).expect("issued");
        store
            .set_status(
                &ticket.id,
                TicketStatus::PrintFailed,
                Some("paper out"),
                monday,
            )
            .expect("failed");
        store
            .set_status(&ticket.id, TicketStatus::Reprinted, None, monday)
            .expect("reprinted");
        ticket
    };
    // Reopened from the file: everything was committed.
    let mut store = Store::open(&path).expect("reopen");
    let stored = store.find_ticket(&ticket.id).expect("by id");
    assert_eq!(stored.status, TicketStatus::Reprinted);
    assert_eq!(stored.print_count, 1);
    assert_eq!(
        store.find_ticket("DKC-001").expect("by number").id,
        ticket.id
    );
    let history: Vec<_> = store
        .ticket_history(&ticket.id)
        .expect("history")
        .into_iter()
        .map(|entry| (entry.status, entry.reason))
        .collect();
    assert_eq!(
        history,
        [
            (TicketStatus::Issued, None),
            (TicketStatus::PrintFailed, Some("paper out".into())),
            (TicketStatus::Reprinted, None),
        ]
    );
    let unsent = store.unsent(10).expect("outbox");
    assert_eq!(unsent.len(), 3);
    assert!(unsent.windows(2).all(|pair| pair[0].seq < pair[1].seq));
    store
        .mark_sent(&[unsent[0].seq, unsent[1].seq], monday)
        .expect("sent");
    let depth = store.outbox_depth().expect("depth");
    assert_eq!(depth.unsent, 1);
    assert_eq!(depth.oldest_unsent, Some(monday));
    let bad = store
        .set_status(&ticket.id, TicketStatus::Issued, None, monday)
        .expect_err("cannot go back to issued");
    assert!(matches!(bad, StoreError::BadTransition { .. }));
}

#[test]
fn the_qr_link_is_signed_with_the_kiosk_key() {
    let (_folder, mut store) = temp_store();
    let kiosk = settings("K1", 1, 999);
    let ticket = issue_as_k1(&mut store, "DKC-KK", Lane::Regular, instant(MONDAY)).expect("issued");
    let (link, signature) = ticket.qr_payload.split_once("?s=").expect("signed link");
    assert_eq!(
        link,
        format!("https://mpp.example.go.id/t/K1/{}", ticket.id)
    );
    assert!(verify("K1", &ticket.id, signature, &kiosk.signing_key));
    assert!(
        !verify("K2", &ticket.id, signature, &kiosk.signing_key),
        "the kiosk is signed too"
    );
    assert!(!ticket.qr_payload.contains("NIK") && !ticket.qr_payload.contains("DKC-001"));
}

#[test]
fn people_ahead_comes_only_from_fresh_server_figures() {
    let (_folder, mut store) = temp_store();
    let people_ahead = |store: &mut Store, lane, at: &str| {
        let ticket = issue_as_k1(store, "DKC-KK", lane, instant(at)).expect("issued");
        ticket.people_ahead
    };
    assert_eq!(
        people_ahead(&mut store, Lane::Regular, MONDAY),
        None,
        "nothing heard from the server yet"
    );
    let day = "2026-11-23".parse().expect("day");
    store
        .record_queue_status(day, "DKC", 5, 1, None, instant(MONDAY))
        .expect("recorded");
    let soon = "2026-11-23T09:02:00+07:00";
    let stale = "2026-11-23T09:30:00+07:00";
    let expected = [
        (
            Lane::Regular,
            soon,
            Some(6),
            "5 regular + 1 priority waiting",
        ),
        (
            Lane::Priority,
            soon,
            Some(1),
            "only priority numbers go first",
        ),
        (
            Lane::Regular,
            soon,
            Some(8),
            "plus this kiosk's two tickets since",
        ),
        (
            Lane::Regular,
            stale,
            None,
            "figures older than ten minutes are not printed",
        ),
    ];
    for (lane, at, ahead, why) in expected {
        assert_eq!(people_ahead(&mut store, lane, at), ahead, "{why}");
    }
}

#[test]
fn the_wait_comes_with_the_server_figures_and_stays_with_the_ticket() {
    let (folder, mut store) = temp_store();
    let day = "2026-11-23".parse().expect("day");
    let pace = |seconds_per_visitor| {
        Some(Pace {
            seconds_per_visitor,
        })
    };
    store
        .record_queue_status(day, "DKC", 5, 1, pace(165), instant(MONDAY))
        .expect("recorded");
    let soon = instant("2026-11-23T09:02:00+07:00");
    let ticket = issue_as_k1(&mut store, "DKC-KK", Lane::Regular, soon).expect("issued");
    // 6 ahead × 165 s = 16.5 min: 75 % is 12.4 → 10, 125 % is 20.6 → 25.
    let expected = Some(WaitRange {
        low_minutes: 10,
        high_minutes: 25,
    });
    assert_eq!(
        (ticket.people_ahead, ticket.expected_wait),
        (Some(6), expected)
    );
    drop(store);
    let store = Store::open(&folder.path().join("kiosk.db")).expect("reopened");
    let again = store.find_ticket(ticket.id.as_str()).expect("read");
    assert_eq!(again.expected_wait, expected, "kept for a reprint");
    // The server knows the queue (its 6 as of 09:02 hold the first ticket) but not its pace
    // yet: people ahead, no wait.
    let mut store = store;
    store
        .record_queue_status(day, "DKC", 5, 1, None, soon)
        .expect("recorded");
    let later = instant("2026-11-23T09:03:00+07:00");
    let ticket = issue_as_k1(&mut store, "DKC-KK", Lane::Regular, later).expect("issued");
    assert_eq!((ticket.people_ahead, ticket.expected_wait), (Some(6), None));
}

#[test]
fn the_day_summary_counts_what_happened() {
    let (_folder, mut store) = temp_store();
    let monday = instant(MONDAY);
    let mut issue = |service| issue_as_k1(&mut store, service, Lane::Regular, monday);
    let ids: Vec<_> = (0..3)
        .map(|_| issue("DKC-KK").expect("issued").id)
        .collect();
    issue("KTP-PRINT").expect("issued");
    store
        .set_status(&ids[0], TicketStatus::Printed, None, monday)
        .expect("printed");
    store
        .set_status(
            &ids[1],
            TicketStatus::PrintFailed,
            Some("cover open"),
            monday,
        )
        .expect("failed");
    store
        .set_status(&ids[2], TicketStatus::Voided, Some("left"), monday)
        .expect("voided");
    let summary = store
        .day_summary("2026-11-23".parse().expect("day"))
        .expect("summary");
    let kk = summary
        .services
        .iter()
        .find(|s| s.service == "DKC-KK")
        .expect("DKC-KK row");
    assert_eq!(
        (kk.issued, kk.printed, kk.print_failed, kk.voided),
        (3, 1, 1, 1)
    );
    let ktp = summary
        .services
        .iter()
        .find(|s| s.service == "KTP-PRINT")
        .expect("KTP row");
    assert_eq!(ktp.issued, 1);
}
