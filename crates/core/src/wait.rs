//! Waits the visitor can trust: how long a queue takes per visitor now, from the service times
//! its counters actually took, and the wait that makes for someone with `n` people ahead. Written
//! once, for the server (which measures the pace), the kiosk (screen and paper) and the phone
//! page. Where there is too little to go on, the answer is "not known", never a guess.
//!
//! - A **service time** is one finished ticket's time at the counter: from its last call to
//!   the counter marking it served or not present. A transferred ticket's time at the first
//!   counter is not one (it waits again elsewhere).
//! - The **pace** of a queue: the median of its latest [`MOST_SAMPLES`] service times finished
//!   within [`SAMPLE_WINDOW`], divided by the points serving it now (open, configured for the
//!   queue and having called someone within [`ACTIVE_WINDOW`]). Fewer than [`MIN_SAMPLES`]
//!   times, or no point serving: no pace.
//! - The **expected wait** with `n` people ahead is `n` × the pace, shown as a range of
//!   ±25 % rounded outwards to 5 minutes, because a queue's pace wanders that much within an
//!   hour; beyond [`LONGEST_SHOWN_MINUTES`] it is "more than 3 hours".

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::lang::Language;

/// Fewer service times than this say nothing about a queue's pace (the first visitors of a
/// morning, a queue that was closed).
pub const MIN_SAMPLES: usize = 3;
/// The latest this many service times count: the pace of the last hour, not of the morning.
pub const MOST_SAMPLES: usize = 20;
/// Service times older than this no longer count.
pub const SAMPLE_WINDOW: TimeDelta = TimeDelta::minutes(90);
/// A point that called nobody for this long is not counted as serving (a clerk who left
/// without pausing the point).
pub const ACTIVE_WINDOW: TimeDelta = TimeDelta::minutes(30);
/// Waits longer than this are said as "more than 3 hours": a range that wide helps nobody.
pub const LONGEST_SHOWN_MINUTES: u32 = 180;
/// Ranges are rounded outwards to this many minutes.
const ROUNDING_MINUTES: u32 = 5;

/// How long a queue takes per visitor now, with every point serving it counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pace {
    pub seconds_per_visitor: u32,
}

/// A finished ticket's time at the counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceTime {
    pub called_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
}

/// The queue's pace from its finished tickets (any order, any age) and the points serving it,
/// as of `now`; `None` when there is too little to go on.
pub fn pace(finished: &[ServiceTime], points_serving: u32, now: DateTime<Utc>) -> Option<Pace> {
    if points_serving == 0 {
        return None;
    }
    let mut recent: Vec<&ServiceTime> = finished
        .iter()
        .filter(|time| time.finished_at <= now && now - time.finished_at <= SAMPLE_WINDOW)
        .filter(|time| time.called_at <= time.finished_at)
        .collect();
    recent.sort_by_key(|time| std::cmp::Reverse(time.finished_at));
    recent.truncate(MOST_SAMPLES);
    if recent.len() < MIN_SAMPLES {
        return None;
    }
    let mut seconds: Vec<i64> = recent
        .iter()
        .map(|time| (time.finished_at - time.called_at).num_seconds())
        .collect();
    seconds.sort_unstable();
    let median = median(&seconds);
    let per_visitor = median / i64::from(points_serving);
    Some(Pace {
        seconds_per_visitor: u32::try_from(per_visitor.max(1)).unwrap_or(u32::MAX),
    })
}

/// The middle of sorted values (the mean of the two middle ones for an even count).
fn median(sorted: &[i64]) -> i64 {
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// The expected wait, in whole minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitRange {
    pub low_minutes: u32,
    pub high_minutes: u32,
}

/// The wait with `ahead` people before the visitor at `pace`; `None` without a pace.
pub fn expected_wait(ahead: u32, pace: Option<Pace>) -> Option<WaitRange> {
    let pace = pace?;
    let seconds = u64::from(ahead) * u64::from(pace.seconds_per_visitor);
    let low = seconds * 3 / 4 / 60;
    let high = (seconds * 5 / 4).div_ceil(60);
    let step = u64::from(ROUNDING_MINUTES);
    let low = low / step * step;
    let high = high.div_ceil(step).max(1) * step;
    let high = high.max(low + step);
    let clamp = |minutes: u64| u32::try_from(minutes).unwrap_or(u32::MAX);
    Some(WaitRange {
        low_minutes: clamp(low),
        high_minutes: clamp(high),
    })
}

/// What the visitor reads about their wait, one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitSaying {
    /// Nobody ahead: the next call is theirs.
    Next,
    /// About this many minutes.
    Minutes(WaitRange),
    /// Longer than [`LONGEST_SHOWN_MINUTES`].
    Long,
    /// The counters' pace is not known yet today (too few served, or no counter open).
    NotYetKnown,
    /// How far the counters have got is not known (the kiosk cannot reach the server).
    Unknown,
}

impl WaitSaying {
    /// From the people ahead (when known) and the expected wait (when known).
    pub fn of(ahead: Option<u32>, wait: Option<WaitRange>) -> WaitSaying {
        match (ahead, wait) {
            (None, _) => WaitSaying::Unknown,
            (Some(0), _) => WaitSaying::Next,
            (Some(_), None) => WaitSaying::NotYetKnown,
            (Some(_), Some(range)) if range.low_minutes >= LONGEST_SHOWN_MINUTES => {
                WaitSaying::Long
            }
            (Some(_), Some(range)) => WaitSaying::Minutes(range),
        }
    }

    /// The sentence, e.g. "Perkiraan waktu tunggu: 10–20 menit".
    pub fn text(self, language: Language) -> String {
        match self {
            WaitSaying::Next => Text::Next.get(language).into(),
            WaitSaying::Minutes(range) => Text::Minutes.fill(
                language,
                &[
                    ("low", &range.low_minutes.to_string()),
                    ("high", &range.high_minutes.to_string()),
                ],
            ),
            WaitSaying::Long => Text::Long.fill(
                language,
                &[("hours", &(LONGEST_SHOWN_MINUTES / 60).to_string())],
            ),
            WaitSaying::NotYetKnown => Text::NotYetKnown.get(language).into(),
            WaitSaying::Unknown => Text::Unknown.get(language).into(),
        }
    }
}

crate::texts! {
    Next => "Anda berikutnya dipanggil", "You are next to be called";
    Minutes => "Perkiraan waktu tunggu: {low}–{high} menit", "Expected wait: {low}–{high} minutes";
    Long => "Perkiraan waktu tunggu: lebih dari {hours} jam", "Expected wait: more than {hours} hours";
    NotYetKnown => "Perkiraan waktu tunggu belum tersedia: loket belum cukup melayani hari ini", "No wait estimate yet: the counters have served too few people today";
    Unknown => "Jumlah antrean saat ini tidak diketahui: kios tidak terhubung ke server", "The queue is not known right now: the kiosk cannot reach the server";
}

#[cfg(test)]
mod tests;
