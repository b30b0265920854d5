//! Services closed by staff, as both backends keep them: every change a kiosk sent, once per
//! kiosk and id, and per MPP, day and service the change that won, decided once for both by
//! [`apply_changes`] (the core's last-writer rule, `mpp_core::closure_sync::newer`) inside the
//! write transaction, through the few questions [`ClosureTransaction`] asks either backend.

use chrono::{DateTime, Utc};

use crate::storage::error::{Corrupt, DbError};
use crate::storage::shared::Sent;
use mpp_common::instant;
use mpp_core::closure_sync::{ClosureChange, ClosureOutcome, LastChange, SharedClosure, newer};
use mpp_core::staff_closure::StaffNotice;

/// The tables, added to the SQLite file's migrations (PostgreSQL's are in `postgres/schema.rs`).
pub const MIGRATION: &str = r#"
-- Services closed by staff: every close (notice) and reopen (NULL) a kiosk sent, (kiosk, id)
-- once; and per MPP, business day and service the change that won (the latest by the kiosks'
-- clocks), which is what the kiosks are given.
CREATE TABLE closure_changes (
    mpp           TEXT NOT NULL,
    kiosk         TEXT NOT NULL,
    id            INTEGER NOT NULL,
    business_day  TEXT NOT NULL,
    service       TEXT NOT NULL,
    notice        TEXT,
    at            TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    PRIMARY KEY (kiosk, id)
) STRICT;
CREATE TABLE service_closures (
    mpp           TEXT NOT NULL,
    business_day  TEXT NOT NULL,
    service       TEXT NOT NULL,
    notice        TEXT,
    kiosk         TEXT NOT NULL,
    at            TEXT NOT NULL,
    change_id     INTEGER NOT NULL,
    PRIMARY KEY (mpp, business_day, service)
) STRICT;
"#;

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them `$N`).
pub(crate) mod sql {
    /// Records a change: nothing when its (kiosk, id) is there already.
    pub const RECORD: &str = "INSERT INTO closure_changes \
        (mpp, kiosk, id, business_day, service, notice, at, received_at) \
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (kiosk, id) DO NOTHING";
    /// The change that holds a service's day now.
    pub const LAST: &str = "SELECT at, kiosk, change_id FROM service_closures \
        WHERE mpp = ?1 AND business_day = ?2 AND service = ?3";
    /// Makes a change the state of its service's day.
    pub const SET_STATE: &str = "INSERT INTO service_closures \
        (mpp, business_day, service, notice, kiosk, at, change_id) \
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
        ON CONFLICT (mpp, business_day, service) DO UPDATE SET \
        notice = excluded.notice, kiosk = excluded.kiosk, at = excluded.at, \
        change_id = excluded.change_id";
    /// An MPP's services closed on a day, by service (byte order in both).
    pub const DAY: &str = "SELECT service, notice, kiosk, at FROM service_closures \
        WHERE mpp = ?1 AND business_day = ?2 AND notice IS NOT NULL ORDER BY service";
}

/// The last change of a service's day as a backend holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredLast {
    pub at: DateTime<Utc>,
    pub kiosk: String,
    pub id: i64,
}

/// The closure changes a kiosk sent.
pub type Changes<'a> = Sent<'a, ClosureChange>;

/// What [`apply_changes`] needs of a backend's write transaction.
pub trait ClosureTransaction: Corrupt {
    /// Records a change sent; `false` when that (kiosk, id) was recorded before.
    fn record(&mut self, sent: &Changes<'_>, change: &ClosureChange) -> Result<bool, DbError>;

    /// The row of [`sql::LAST`] for `change`'s service and day, if there is one.
    fn last(&mut self, mpp: &str, change: &ClosureChange) -> Result<Option<LastRow>, DbError>;

    /// Makes `kiosk`'s `change` the state of its service and day.
    fn set_state(&mut self, mpp: &str, kiosk: &str, change: &ClosureChange) -> Result<(), DbError>;
}

/// Records each new change the kiosk sent and makes it the state of its service's day when it
/// is [`newer`] than the one there; a change recorded before is a duplicate, applied once.
pub(crate) fn apply_changes(
    transaction: &mut dyn ClosureTransaction,
    sent: &Changes<'_>,
) -> Result<ClosureOutcome, DbError> {
    let (mpp, kiosk) = (sent.mpp, sent.kiosk);
    let mut outcome = ClosureOutcome::default();
    for change in sent.items {
        if !transaction.record(sent, change)? {
            outcome.duplicates.push(change.id);
            continue;
        }
        outcome.stored.push(change.id);
        let service = change.service.as_str();
        let current = transaction.last(mpp, change)?;
        let current = current
            .map(|row| last_from(row, service, |detail| transaction.corrupt(detail)))
            .transpose()?;
        let candidate = LastChange {
            at: change.at,
            kiosk,
            id: change.id,
        };
        let current = current.as_ref().map(|last| LastChange {
            at: last.at,
            kiosk: &last.kiosk,
            id: last.id,
        });
        if newer(&candidate, current.as_ref()) {
            transaction.set_state(mpp, kiosk, change)?;
        }
    }
    tracing::info!(
        kiosk,
        stored = outcome.stored.len(),
        duplicates = outcome.duplicates.len(),
        "closure changes received"
    );
    Ok(outcome)
}

/// A row of [`sql::DAY`]: service, notice code, kiosk, at.
pub type ClosureRow = (String, String, String, String);

/// A state row as a closure; a notice this version does not know or an unreadable instant is
/// `corrupt`.
pub fn closure_from(
    (service, notice, kiosk, at): ClosureRow,
    corrupt: impl Fn(String) -> DbError,
) -> Result<SharedClosure, DbError> {
    let notice = StaffNotice::from_code(&notice)
        .ok_or_else(|| corrupt(format!("closure of {service}: notice {notice:?}")))?;
    let at =
        instant::parse(&at).ok_or_else(|| corrupt(format!("closure of {service}: at {at:?}")))?;
    Ok(SharedClosure {
        service: service.as_str().into(),
        notice,
        kiosk: kiosk.as_str().into(),
        at,
    })
}

/// The values a change is written with: business day, notice code or NULL, instant.
pub fn change_values(change: &ClosureChange) -> (String, Option<&'static str>, String) {
    (
        change.business_day.to_string(),
        change.notice.map(StaffNotice::code),
        instant::to_text(change.at),
    )
}

/// A row of [`sql::LAST`]: at, kiosk, change id.
pub type LastRow = (String, String, i64);

/// The last change as stored; an unreadable instant is `corrupt`.
pub fn last_from(
    (at, kiosk, id): LastRow,
    service: &str,
    corrupt: impl Fn(String) -> DbError,
) -> Result<StoredLast, DbError> {
    let parsed =
        instant::parse(&at).ok_or_else(|| corrupt(format!("closure of {service}: at {at:?}")))?;
    Ok(StoredLast {
        at: parsed,
        kiosk,
        id,
    })
}

#[cfg(test)]
pub(crate) mod tests;
