//! Each queue's pace now (`mpp_core::wait::pace`), from what storage read: the day's finished
//! tickets, the points that called someone lately, the points paused, and which points the
//! configuration has serve which queues.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use mpp_core::wait::{Pace, ServiceTime, pace};

/// A finished ticket's time at the counter, in the queue it was served in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finished {
    pub queue: String,
    pub time: ServiceTime,
}

/// Points that may serve queues: a `[[counter]]` entry's lists.
pub struct Serving<'a> {
    pub points: &'a [String],
    pub queues: &'a [String],
}

/// What the points are doing now.
pub struct PointsNow<'a> {
    /// Called or finished someone lately.
    pub active: &'a [String],
    /// Paused by their clerk.
    pub paused: &'a [String],
}

/// The pace of each queue that has one now.
pub fn paces(
    finished: &[Finished],
    serving: &[Serving<'_>],
    points: &PointsNow<'_>,
    now: DateTime<Utc>,
) -> BTreeMap<String, Pace> {
    let mut by_queue: BTreeMap<&str, Vec<ServiceTime>> = BTreeMap::new();
    for ticket in finished {
        by_queue.entry(&ticket.queue).or_default().push(ticket.time);
    }
    by_queue
        .into_iter()
        .filter_map(|(queue, times)| {
            let serving = points_serving(queue, serving, points);
            pace(&times, serving, now).map(|pace| (queue.to_owned(), pace))
        })
        .collect()
}

/// Points configured for `queue`, active and not paused, each counted once.
fn points_serving(queue: &str, serving: &[Serving<'_>], now: &PointsNow<'_>) -> u32 {
    let mut counted: Vec<&String> = Vec::new();
    let for_queue = serving
        .iter()
        .filter(|entry| entry.queues.iter().any(|served| served == queue));
    for point in for_queue.flat_map(|entry| entry.points) {
        let working = now.active.contains(point) && !now.paused.contains(point);
        if working && !counted.contains(&point) {
            counted.push(point);
        }
    }
    u32::try_from(counted.len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        "2026-12-07T02:00:00Z"
            .parse::<DateTime<Utc>>()
            .expect("instant")
            + TimeDelta::minutes(minute)
    }

    fn finished(queue: &str, called: i64, minutes: i64) -> Finished {
        Finished {
            queue: queue.into(),
            time: ServiceTime {
                called_at: at(called),
                finished_at: at(called + minutes),
            },
        }
    }

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn a_queue_is_shared_by_its_active_open_points_only() {
        // DKC: 4, 6 and 8 minutes → median 6 min = 360 s. SAM: two times only, no pace.
        let finished = [
            finished("DKC", 0, 4),
            finished("DKC", 5, 6),
            finished("DKC", 12, 8),
            finished("SAM", 0, 3),
            finished("SAM", 4, 3),
        ];
        let (dkc_points, dkc) = (names(&["Loket 1", "Loket 2", "Loket 3"]), names(&["DKC"]));
        let (both_points, both) = (names(&["Loket 3", "Loket 4"]), names(&["DKC", "SAM"]));
        let serving = [
            Serving {
                points: &dkc_points,
                queues: &dkc,
            },
            Serving {
                points: &both_points,
                queues: &both,
            },
        ];
        // Loket 1 and 3 active; 2 never called; 4 active but paused: DKC is served by 1 and 3
        // (3 listed twice, counted once) → 180 s a visitor.
        let active = names(&["Loket 1", "Loket 3", "Loket 4"]);
        let paused = names(&["Loket 4"]);
        let now = PointsNow {
            active: &active,
            paused: &paused,
        };
        let paces = paces(&finished, &serving, &now, at(30));
        assert_eq!(paces.len(), 1, "{paces:?}");
        assert_eq!(paces["DKC"].seconds_per_visitor, 180);
    }
}
