//! Each queue's pace in an MPP now, as the queues API (for the kiosks' screens and paper) and
//! the ticket page (for the phone) both need it: storage's reads, the configured counters, and
//! `rules::waits`. Runs on the database's thread, inside the caller's read.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::MppEntry;
use crate::rules::waits::{PointsNow, Serving, paces};
use crate::storage::Database;
use crate::storage::error::DbError;
use crate::storage::waits::WaitReads;
use mpp_core::wait::{ACTIVE_WINDOW, Pace, SAMPLE_WINDOW};

/// The pace of each of `mpp`'s queues that has one on `day` at `now`.
pub fn queue_paces(
    storage: &mut dyn Database,
    mpp: &MppEntry,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<BTreeMap<String, Pace>, DbError> {
    let finished = storage.finished_since(&mpp.id, day, now - SAMPLE_WINDOW)?;
    if finished.is_empty() {
        return Ok(BTreeMap::new());
    }
    let active = storage.points_active_since(&mpp.id, day, now - ACTIVE_WINDOW)?;
    let paused = storage.points_paused(&mpp.id, day)?;
    let serving: Vec<Serving<'_>> = (mpp.counters.iter())
        .map(|counter| Serving {
            points: &counter.points,
            queues: &counter.queues,
        })
        .collect();
    let points = PointsNow {
        active: &active,
        paused: &paused,
    };
    Ok(paces(&finished, &serving, &points, now))
}
