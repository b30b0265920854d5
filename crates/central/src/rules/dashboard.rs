//! The dashboard's figures, defined once. Each ticket adds a few tallies to its business day
//! ([`tallies`]): issued (with the hour), voided, transferred, called, served, no-show, its
//! wait (issue → first call) and its service time (last call → served), each bucketed
//! ([`minutes_bucket`]). Storage keeps the sums per day and moves them by [`delta`] in the
//! transaction that changes the ticket (`storage::rollups`); a period's sums become the figures
//! shown by [`figures`] (the summary) and [`percentile`]. README "Dashboard" says the same in
//! words.

pub mod daily;
pub mod figures;
pub mod period;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Timelike, Utc};

use mpp_core::protocol::CounterStatus;

/// What a tally counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Figure {
    /// A ticket the kiosk issued (bucket 0).
    Issued,
    /// Issued in the UTC hour `bucket` (the page shows it in the MPP's time).
    IssuedInHour,
    Voided,
    /// Sent on to another service by a counter, at least once.
    Transferred,
    /// Called to a counter at least once (or reported at one).
    Called,
    Served,
    NoShow,
    /// Waited `bucket` minutes from issue to its first call.
    Wait,
    /// Was at the counter `bucket` minutes, from its last call to served.
    Service,
}

impl Figure {
    pub const ALL: [Figure; 9] = [
        Figure::Issued,
        Figure::IssuedInHour,
        Figure::Voided,
        Figure::Transferred,
        Figure::Called,
        Figure::Served,
        Figure::NoShow,
        Figure::Wait,
        Figure::Service,
    ];

    /// The word stored.
    pub fn code(self) -> &'static str {
        match self {
            Figure::Issued => "issued",
            Figure::IssuedInHour => "issued_hour",
            Figure::Voided => "voided",
            Figure::Transferred => "transferred",
            Figure::Called => "called",
            Figure::Served => "served",
            Figure::NoShow => "no_show",
            Figure::Wait => "wait",
            Figure::Service => "service",
        }
    }

    pub fn from_code(code: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|figure| figure.code() == code)
    }
}

/// Where a tally is counted: the day, the service the ticket was issued for, the point that
/// last had it ("" before any call, and after a transfer until the next), the figure, its
/// bucket.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TallyKey {
    pub day: NaiveDate,
    pub queue: String,
    pub point: String,
    pub figure: Figure,
    pub bucket: i64,
}

/// A ticket as the figures see it (read from its row and its calls).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketFacts {
    pub day: NaiveDate,
    /// The service (queue) it was issued for, whatever it was transferred to.
    pub queue: String,
    pub issued_at: DateTime<Utc>,
    pub voided: bool,
    pub transferred: bool,
    /// What a counter said last.
    pub counter: Option<CounterStatus>,
    /// The point that said it.
    pub point: Option<String>,
    /// When it said it.
    pub counter_at: Option<DateTime<Utc>>,
    pub first_call: Option<DateTime<Utc>>,
    pub last_call: Option<DateTime<Utc>>,
}

/// Whole minutes below half an hour, five-minute steps below two hours, quarter hours below
/// four hours, then "four hours or more" (240): a day's waits fit in a few dozen buckets, and a
/// median read from them is exact to its step. Negative times (clocks apart) count as 0.
pub fn minutes_bucket(seconds: i64) -> i64 {
    let minutes = seconds.max(0) / 60;
    match minutes {
        0..30 => minutes,
        30..120 => minutes - minutes % 5,
        120..240 => minutes - minutes % 15,
        _ => 240,
    }
}

/// What one ticket adds to its day, each key once.
pub fn tallies(facts: &TicketFacts) -> Vec<TallyKey> {
    let point = match facts.counter {
        Some(_) => facts.point.clone().unwrap_or_default(),
        None => String::new(),
    };
    let key = |figure: Figure, bucket: i64| TallyKey {
        day: facts.day,
        queue: facts.queue.clone(),
        point: point.clone(),
        figure,
        bucket,
    };
    let mut keys = vec![
        key(Figure::Issued, 0),
        key(Figure::IssuedInHour, i64::from(facts.issued_at.hour())),
    ];
    if facts.voided {
        keys.push(key(Figure::Voided, 0));
    }
    if facts.transferred {
        keys.push(key(Figure::Transferred, 0));
    }
    if facts.counter.is_some() || facts.first_call.is_some() {
        keys.push(key(Figure::Called, 0));
    }
    if let Some(first) = facts.first_call {
        let waited = (first - facts.issued_at).num_seconds();
        keys.push(key(Figure::Wait, minutes_bucket(waited)));
    }
    match facts.counter {
        Some(CounterStatus::Served) => {
            keys.push(key(Figure::Served, 0));
            if let (Some(called), Some(done)) = (facts.last_call, facts.counter_at) {
                let served = (done - called).num_seconds();
                keys.push(key(Figure::Service, minutes_bucket(served)));
            }
        }
        Some(CounterStatus::NoShow) => keys.push(key(Figure::NoShow, 0)),
        Some(CounterStatus::Called) | None => {}
    }
    keys
}

/// How the day's tallies move when a ticket's tallies go from `before` to `after`: each key
/// whose count changes, with the change (never 0).
pub fn delta(before: &[TallyKey], after: &[TallyKey]) -> Vec<(TallyKey, i64)> {
    let mut changes: BTreeMap<&TallyKey, i64> = BTreeMap::new();
    for key in before {
        *changes.entry(key).or_default() -= 1;
    }
    for key in after {
        *changes.entry(key).or_default() += 1;
    }
    changes
        .into_iter()
        .filter(|(_, change)| *change != 0)
        .map(|(key, change)| (key.clone(), change))
        .collect()
}

/// Every ticket's tallies summed: what a rebuild writes.
pub fn summed<'a>(tickets: impl IntoIterator<Item = &'a TicketFacts>) -> BTreeMap<TallyKey, i64> {
    let mut sums = BTreeMap::new();
    for facts in tickets {
        for key in tallies(facts) {
            *sums.entry(key).or_default() += 1;
        }
    }
    sums
}

/// The `percent`th percentile of the values counted in `histogram` (value → how many), by
/// nearest rank: the smallest value with at least `percent`% of all at or below it (the
/// median of 4, 6, 8, 9 is 6). `None` when nothing is counted.
pub fn percentile(histogram: &BTreeMap<i64, u64>, percent: u64) -> Option<i64> {
    let total: u64 = histogram.values().sum();
    if total == 0 {
        return None;
    }
    let rank = (percent * total).div_ceil(100).max(1);
    let mut seen = 0;
    for (value, count) in histogram {
        seen += count;
        if seen >= rank {
            return Some(*value);
        }
    }
    histogram.keys().next_back().copied()
}

#[cfg(test)]
mod tests;
