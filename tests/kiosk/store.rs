//! The ticket store on real SQLite files: numbering, schedules, quotas, ranges, history, outbox.

use std::collections::HashSet;

use crate::common::{around_the_clock_catalog, instant, settings, small_catalog};
use mpp_core::numbering::Lane;
use mpp_core::schedule::ClosedReason;
use mpp_core::ticket::{TicketStatus, verify};
use mpp_kiosk::store::{Store, StoreError};

fn temp_store() -> (tempfile::TempDir, Store) {
    let folder = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&folder.path().join("kiosk.db")).expect("open store");
    (folder, store)
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
    let catalog = around_the_clock_catalog();
    let kiosk = settings("K1", 1, 999);
    let issue = |store: &mut Store, at: &str| {
        store
            .issue(
                &catalog,
                &kiosk,
                &"DKC-KK".into(),
                Lane::Regular,
                instant(at),
            )
            .expect("issued")
    };
    let late = issue(&mut store, "2026-11-23T23:59:58+07:00");
    let last = issue(&mut store, "2026-11-23T23:59:59+07:00");
    let first = issue(&mut store, "2026-11-24T00:00:00+07:00");
    assert_eq!(
        (late.number.as_str(), late.business_day.to_string()),
        ("DKC-001", "2026-11-23".into())
    );
    assert_eq!(
        (last.number.as_str(), last.business_day.to_string()),
        ("DKC-002", "2026-11-23".into())
    );
    assert_eq!(
        (first.number.as_str(), first.business_day.to_string()),
        ("DKC-001", "2026-11-24".into())
    );
    // 17:00 UTC is midnight in Jakarta: the boundary follows local time, not UTC.
    assert_eq!(first.issued_at, instant("2026-11-23T17:00:00Z"));
}

#[test]
fn a_clock_set_back_never_reuses_numbers() {
    let (_folder, mut store) = temp_store();
    let catalog = around_the_clock_catalog();
    let kiosk = settings("K1", 1, 999);
    let mut issue = |at: &str| {
        store
            .issue(
                &catalog,
                &kiosk,
                &"DKC-KK".into(),
                Lane::Regular,
                instant(at),
            )
            .expect("issued")
    };
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
    let catalog = small_catalog();
    let kiosk = settings("K1", 1, 999);
    let monday = instant("2026-11-23T09:00:00+07:00");
    let first = store
        .issue(&catalog, &kiosk, &"POL-SKCK".into(), Lane::Regular, monday)
        .expect("1st");
    store
        .issue(&catalog, &kiosk, &"POL-SKCK".into(), Lane::Regular, monday)
        .expect("2nd");
    let refused = store
        .issue(&catalog, &kiosk, &"POL-SKCK".into(), Lane::Regular, monday)
        .expect_err("quota of 2 reached");
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
    let third = store
        .issue(&catalog, &kiosk, &"POL-SKCK".into(), Lane::Regular, monday)
        .expect("3rd");
    assert_eq!(third.number, "SKC-003");
}

#[test]
fn cutoff_break_weekend_and_holiday_refuse_with_the_reason() {
    let (_folder, mut store) = temp_store();
    let catalog = small_catalog();
    let kiosk = settings("K1", 1, 999);
    let mut refuse = |at: &str| {
        closed_reason(
            store
                .issue(
                    &catalog,
                    &kiosk,
                    &"DKC-KK".into(),
                    Lane::Regular,
                    instant(at),
                )
                .expect_err("closed"),
        )
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
    let monday = instant("2026-11-23T09:00:00+07:00");
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
    let monday = instant("2026-11-23T09:00:00+07:00");
    for expected in ["DKC-007", "DKC-008", "DKC-009"] {
        let ticket = store
            .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Regular, monday)
            .expect("issued");
        assert_eq!(ticket.number, expected);
    }
    let error = store
        .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Regular, monday)
        .expect_err("range used up");
    assert!(
        matches!(error, StoreError::RangeExhausted { ref queue, .. } if queue == "DKC"),
        "{error:?}"
    );
    assert!(error.to_string().contains("7–9"), "{error}");
    // Priority numbers run their own sequence and are still available.
    let priority = store
        .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Priority, monday)
        .expect("priority");
    assert_eq!(priority.number, "DKC-P007");
}

#[test]
fn priority_numbers_are_marked_and_only_where_offered() {
    let (_folder, mut store) = temp_store();
    let catalog = small_catalog();
    let kiosk = settings("K1", 1, 999);
    let monday = instant("2026-11-23T09:00:00+07:00");
    store
        .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Regular, monday)
        .expect("regular");
    let priority = store
        .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Priority, monday)
        .expect("priority");
    assert_eq!(priority.number, "DKC-P001");
    assert_eq!(priority.lane, Lane::Priority);
    let refused = store
        .issue(&catalog, &kiosk, &"POL-SKCK".into(), Lane::Priority, monday)
        .expect_err("SKCK offers no priority lane in the fixture");
    assert!(matches!(refused, StoreError::NoPriority(_)));
}

#[test]
fn history_and_outbox_follow_every_status_change() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("kiosk.db");
    let catalog = small_catalog();
    let kiosk = settings("K1", 1, 999);
    let monday = instant("2026-11-23T09:00:00+07:00");
    let ticket = {
        let mut store = Store::open(&path).expect("open");
        let ticket = store
            .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Regular, monday)
            .expect("issued");
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
    let catalog = small_catalog();
    let kiosk = settings("K1", 1, 999);
    let ticket = store
        .issue(
            &catalog,
            &kiosk,
            &"DKC-KK".into(),
            Lane::Regular,
            instant("2026-11-23T09:00:00+07:00"),
        )
        .expect("issued");
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
    let catalog = small_catalog();
    let kiosk = settings("K1", 1, 999);
    let day = "2026-11-23".parse().expect("day");
    let heard = instant("2026-11-23T09:00:00+07:00");
    let unknown = store
        .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Regular, heard)
        .expect("issued");
    assert_eq!(
        unknown.people_ahead, None,
        "nothing heard from the server yet"
    );
    store
        .record_queue_status(day, "DKC", 5, 1, heard)
        .expect("recorded");
    let soon = instant("2026-11-23T09:02:00+07:00");
    let regular = store
        .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Regular, soon)
        .expect("issued");
    assert_eq!(
        regular.people_ahead,
        Some(6),
        "5 regular + 1 priority waiting"
    );
    let priority = store
        .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Priority, soon)
        .expect("issued");
    assert_eq!(
        priority.people_ahead,
        Some(1),
        "only priority numbers go first"
    );
    let again = store
        .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Regular, soon)
        .expect("issued");
    assert_eq!(
        again.people_ahead,
        Some(8),
        "plus this kiosk's two tickets since"
    );
    let stale = instant("2026-11-23T09:30:00+07:00");
    let late = store
        .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Regular, stale)
        .expect("issued");
    assert_eq!(
        late.people_ahead, None,
        "figures older than ten minutes are not printed"
    );
}

#[test]
fn the_day_summary_counts_what_happened() {
    let (_folder, mut store) = temp_store();
    let catalog = small_catalog();
    let kiosk = settings("K1", 1, 999);
    let monday = instant("2026-11-23T09:00:00+07:00");
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            store
                .issue(&catalog, &kiosk, &"DKC-KK".into(), Lane::Regular, monday)
                .expect("issued")
                .id,
        );
    }
    store
        .issue(&catalog, &kiosk, &"KTP-PRINT".into(), Lane::Regular, monday)
        .expect("issued");
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
