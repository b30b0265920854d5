use chrono::TimeDelta;

use super::figures::{PeriodRow, figures};
use super::*;

fn at(minute: i64) -> DateTime<Utc> {
    "2026-11-23T01:00:00Z"
        .parse::<DateTime<Utc>>()
        .expect("instant")
        + TimeDelta::minutes(minute)
}

fn waiting(queue: &str) -> TicketFacts {
    TicketFacts {
        day: "2026-11-23".parse().expect("day"),
        queue: queue.into(),
        issued_at: at(0),
        voided: false,
        transferred: false,
        counter: None,
        point: None,
        counter_at: None,
        first_call: None,
        last_call: None,
    }
}

fn figures_of(facts: &TicketFacts) -> Vec<(Figure, String, i64)> {
    tallies(facts)
        .into_iter()
        .map(|key| (key.figure, key.point, key.bucket))
        .collect()
}

#[test]
fn a_waiting_ticket_counts_as_issued_in_its_hour_only() {
    let facts = waiting("DKC");
    assert_eq!(
        figures_of(&facts),
        [
            (Figure::Issued, String::new(), 0),
            (Figure::IssuedInHour, String::new(), 1)
        ]
    );
}

#[test]
fn a_served_ticket_waits_to_its_first_call_and_is_served_from_its_last() {
    // Issued 01:00, called 01:12, recalled 01:14, served 01:21 at Loket 2.
    let facts = TicketFacts {
        counter: Some(CounterStatus::Served),
        point: Some("Loket 2".into()),
        counter_at: Some(at(21)),
        first_call: Some(at(12)),
        last_call: Some(at(14)),
        ..waiting("DKC")
    };
    let point = || "Loket 2".to_owned();
    assert_eq!(
        figures_of(&facts),
        [
            (Figure::Issued, point(), 0),
            (Figure::IssuedInHour, point(), 1),
            (Figure::Called, point(), 0),
            (Figure::Wait, point(), 12),
            (Figure::Served, point(), 0),
            (Figure::Service, point(), 7),
        ]
    );
}

#[test]
fn a_transferred_ticket_waiting_again_belongs_to_no_point_and_keeps_its_first_wait() {
    let facts = TicketFacts {
        transferred: true,
        first_call: Some(at(5)),
        last_call: Some(at(5)),
        ..waiting("DKC")
    };
    let found = figures_of(&facts);
    assert!(found.contains(&(Figure::Transferred, String::new(), 0)));
    assert!(found.contains(&(Figure::Called, String::new(), 0)));
    assert!(found.contains(&(Figure::Wait, String::new(), 5)));
    assert!(!found.iter().any(|(figure, ..)| *figure == Figure::Served));
}

#[test]
fn a_no_show_and_a_voided_ticket_count_as_such_without_a_service_time() {
    let no_show = TicketFacts {
        counter: Some(CounterStatus::NoShow),
        point: Some("Loket 1".into()),
        counter_at: Some(at(30)),
        first_call: Some(at(20)),
        last_call: Some(at(25)),
        ..waiting("SAM")
    };
    let found = figures_of(&no_show);
    assert!(found.contains(&(Figure::NoShow, "Loket 1".into(), 0)));
    assert!(!found.iter().any(|(figure, ..)| *figure == Figure::Service));
    let voided = TicketFacts {
        voided: true,
        ..waiting("SAM")
    };
    assert!(figures_of(&voided).contains(&(Figure::Voided, String::new(), 0)));
}

#[test]
fn waits_are_bucketed_finer_when_short() {
    let cases = [
        (-30, 0),
        (59, 0),
        (60, 1),
        (29 * 60 + 59, 29),
        (34 * 60, 30),
        (119 * 60, 115),
        (134 * 60, 120),
        (239 * 60, 225),
        (600 * 60, 240),
    ];
    for (seconds, bucket) in cases {
        assert_eq!(minutes_bucket(seconds), bucket, "{seconds} s");
    }
}

#[test]
fn percentiles_are_by_nearest_rank() {
    let histogram = |values: &[i64]| {
        let mut counts = BTreeMap::new();
        for value in values {
            *counts.entry(*value).or_default() += 1;
        }
        counts
    };
    assert_eq!(percentile(&histogram(&[]), 50), None);
    assert_eq!(percentile(&histogram(&[4, 6, 8, 9]), 50), Some(6));
    assert_eq!(percentile(&histogram(&[4, 6, 8, 9, 10]), 50), Some(8));
    // Ten values: the 9th is the 90th percentile.
    let ten = histogram(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 30]);
    assert_eq!(percentile(&ten, 90), Some(9));
    assert_eq!(percentile(&ten, 100), Some(30));
}

#[test]
fn a_delta_moves_only_what_changed() {
    let before = waiting("DKC");
    let after = TicketFacts {
        voided: true,
        ..before.clone()
    };
    let changes = delta(&tallies(&before), &tallies(&after));
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!((changes[0].0.figure, changes[0].1), (Figure::Voided, 1));
    let back = delta(&tallies(&after), &tallies(&before));
    assert_eq!((back[0].0.figure, back[0].1), (Figure::Voided, -1));
    assert!(delta(&tallies(&before), &tallies(&before)).is_empty());
}

#[test]
fn a_period_sums_services_points_and_local_hours() {
    let row = |queue: &str, point: &str, figure, bucket, count| PeriodRow {
        queue: queue.into(),
        point: point.into(),
        figure,
        bucket,
        count,
    };
    let rows = [
        row("DKC", "", Figure::Issued, 0, 3),
        row("DKC", "Loket 1", Figure::Issued, 0, 2),
        row("DKC", "Loket 1", Figure::Served, 0, 2),
        row("DKC", "", Figure::IssuedInHour, 1, 4),
        row("DKC", "Loket 1", Figure::IssuedInHour, 2, 1),
        row("SAM", "", Figure::IssuedInHour, 23, 1),
    ];
    let period = figures(&rows, 7);
    assert_eq!(period.total.issued, 5);
    assert_eq!(period.by_queue["DKC"].served, 2);
    assert_eq!(
        period.by_point.len(),
        1,
        "no point for tickets never called"
    );
    assert_eq!(period.by_point["Loket 1"].issued, 2);
    assert_eq!(
        (period.hours[8], period.hours[9], period.hours[6]),
        (4, 1, 1)
    );
    assert_eq!(period.busiest_hours(2), [(8, 4), (6, 1)]);
    assert_eq!(period.total.served_permille(), Some(400));
}
