//! The pace and the wait on a fixture morning, worked out by hand in the comments.

use super::*;

/// 09:00 WIB on a Monday, in UTC.
fn at(minute: i64) -> DateTime<Utc> {
    "2026-12-07T02:00:00Z"
        .parse::<DateTime<Utc>>()
        .expect("instant")
        + TimeDelta::minutes(minute)
}

/// A ticket called at `called` and finished `seconds` later (minutes after 09:00).
fn served(called: i64, seconds: i64) -> ServiceTime {
    ServiceTime {
        called_at: at(called),
        finished_at: at(called) + TimeDelta::seconds(seconds),
    }
}

/// The fixture: a Dukcapil queue's morning, two points serving it.
fn morning() -> Vec<ServiceTime> {
    vec![
        served(0, 240),  // 4:00
        served(5, 300),  // 5:00
        served(10, 420), // 7:00
        served(16, 180), // 3:00
        served(20, 600), // 10:00
        served(31, 360), // 6:00
    ]
}

#[test]
fn the_pace_is_the_median_service_time_shared_by_the_points_serving() {
    // At 10:00 every one of the six counts: sorted 180 240 300 360 420 600, median
    // (300 + 360) / 2 = 330 s; two points → 165 s a visitor.
    let pace = pace(&morning(), 2, at(60)).expect("pace");
    assert_eq!(pace.seconds_per_visitor, 165);
    // With one point serving, the same queue takes twice as long a visitor.
    assert_eq!(pace_of(1, at(60)), Some(330));
}

fn pace_of(points: u32, now: DateTime<Utc>) -> Option<u32> {
    pace(&morning(), points, now).map(|pace| pace.seconds_per_visitor)
}

#[test]
fn old_service_times_drop_out_and_too_few_give_no_pace() {
    // At 10:35 the first ticket (finished 09:04) is 91 minutes old: 240 goes, sorted
    // 180 300 360 420 600 → median 360.
    assert_eq!(pace_of(1, at(95)), Some(360));
    // At 11:05 only the ticket finished at 09:37 is younger than 90 minutes: no pace.
    assert_eq!(pace_of(1, at(125)), None);
    // No point serving: no pace, however many times.
    assert_eq!(pace_of(0, at(60)), None);
    // A ticket finished after `now` (a clock skew between processes) does not count: at
    // 09:20 four have finished (4:00, 5:00, 7:00, 3:00) → sorted 180 240 300 420 → 270.
    assert_eq!(pace_of(1, at(20)), Some(270));
}

#[test]
fn only_the_latest_twenty_service_times_count() {
    // Thirty quick ones (60 s) and then twenty slow ones (600 s), all within the window.
    let mut times: Vec<ServiceTime> = (0..30).map(|minute| served(minute, 60)).collect();
    times.extend((30..50).map(|minute| served(minute, 600)));
    let pace = pace(&times, 1, at(70)).expect("pace");
    assert_eq!(pace.seconds_per_visitor, 600);
}

#[test]
fn the_wait_is_a_range_rounded_outwards_to_five_minutes() {
    let pace = Some(Pace {
        seconds_per_visitor: 165,
    });
    // 6 ahead × 165 s = 990 s = 16.5 min; ×0.75 = 12.4 → 10; ×1.25 = 20.6 → 25.
    assert_eq!(
        expected_wait(6, pace),
        Some(WaitRange {
            low_minutes: 10,
            high_minutes: 25
        })
    );
    // One ahead: 165 s → 2.1 to 3.4 minutes: 0–5.
    assert_eq!(
        expected_wait(1, pace),
        Some(WaitRange {
            low_minutes: 0,
            high_minutes: 5
        })
    );
    assert_eq!(expected_wait(6, None), None);
}

#[test]
fn what_the_visitor_reads() {
    let range = WaitRange {
        low_minutes: 10,
        high_minutes: 25,
    };
    let said = |ahead, wait, language| WaitSaying::of(ahead, wait).text(language);
    assert_eq!(
        said(Some(6), Some(range), Language::Indonesian),
        "Perkiraan waktu tunggu: 10–25 menit"
    );
    assert_eq!(
        said(Some(6), Some(range), Language::English),
        "Expected wait: 10–25 minutes"
    );
    assert_eq!(
        said(Some(0), Some(range), Language::Indonesian),
        "Anda berikutnya dipanggil"
    );
    assert!(said(Some(3), None, Language::Indonesian).contains("belum tersedia"));
    assert!(said(None, Some(range), Language::English).contains("cannot reach the server"));
    // 90 ahead at 165 s: 247 min × 0.75 = 185 → more than three hours.
    let long = expected_wait(
        90,
        Some(Pace {
            seconds_per_visitor: 165,
        }),
    );
    assert_eq!(
        said(Some(90), long, Language::Indonesian),
        "Perkiraan waktu tunggu: lebih dari 3 jam"
    );
}
