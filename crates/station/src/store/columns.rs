//! How the store's values read back from their text columns: days, instants (stored in
//! `mpp_common::instant`'s form), ticket statuses and closure notices, a value this program
//! cannot read named as damage in the database; and the ids new rows get.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};

use super::error::StoreError;
use mpp_common::instant;
use mpp_core::staff_notice::StaffNotice;
use mpp_core::ticket::TicketStatus;

/// A value of the database at `path` this program cannot read.
pub(super) fn corrupt(path: &Path, detail: String) -> StoreError {
    StoreError::Corrupt {
        path: path.to_owned(),
        detail,
    }
}

pub(super) fn parse_day(text: &str, path: &Path) -> Result<NaiveDate, StoreError> {
    text.parse()
        .map_err(|_| corrupt(path, format!("business day {text:?}")))
}

pub(super) fn parse_instant(text: &str, path: &Path) -> Result<DateTime<Utc>, StoreError> {
    instant::parse(text).ok_or_else(|| corrupt(path, format!("time {text:?}")))
}

pub(super) fn parse_status(text: &str, path: &Path) -> Result<TicketStatus, StoreError> {
    TicketStatus::parse(text).ok_or_else(|| corrupt(path, format!("ticket status {text:?}")))
}

/// A stored notice; one a newer version wrote reads as "closed today", still closed.
pub(super) fn notice_of(code: &str) -> StaffNotice {
    StaffNotice::from_code(code).unwrap_or(StaffNotice::ClosedToday)
}

/// A new ticket's (or survey response's) id. UUID v7: sortable by time for the server, random
/// enough that nobody can guess another's.
pub(super) fn new_id(now: DateTime<Utc>) -> String {
    let seconds = now.timestamp().max(0) as u64;
    let timestamp =
        uuid::Timestamp::from_unix(uuid::NoContext, seconds, now.timestamp_subsec_nanos());
    uuid::Uuid::new_v7(timestamp).to_string()
}
