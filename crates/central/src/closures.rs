//! Services closed by staff, shared by an MPP's kiosks (`mpp_core::closure_sync`): `POST
//! /api/v1/closures` takes a kiosk's closes and reopens, idempotent by kiosk and change id, and
//! `GET /api/v1/closures?day=` gives its MPP's services closed that day back. Every change is
//! kept (`closure_changes`); the state (`service_closures`, one row per MPP, day and service)
//! takes a change only when [`newer`] says it beats the last one, decided in the write
//! transaction by [`apply_changes`] on both backends, so the latest change by the kiosks' clocks
//! wins whatever order they arrive in. `/fleet` lists today's closures of the MPP shown.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use maud::{Markup, html};

use super::AppState;
use super::api::{DayQuery, implausible_instant, required_day};
use super::auth::Kiosk;
use super::extract::{ApiFailure, ApiJson};
use super::storage::{StorageError, instant_text, parse_instant};
use mpp_core::closure_sync::{
    ClosureBatch, ClosureChange, ClosureOutcome, DayClosures, LastChange, SharedClosure, newer,
};
use mpp_core::day::TimeZone;
use mpp_core::lang::Language;
use mpp_core::staff_closure::StaffNotice;
use mpp_core::strings::staff_notice_text;

mod sqlite;

/// The tables, added to the SQLite file's migrations (PostgreSQL's are in `pg/schema.rs`).
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

/// The statements both backends run, with SQLite's `?N` (`for_postgres` makes them `$N`).
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

    /// The statement with PostgreSQL's placeholders (none of them holds another `?`).
    pub fn for_postgres(sql: &str) -> String {
        sql.replace('?', "$")
    }
}

/// Changes in one batch: a kiosk makes a few a day.
const MOST_CHANGES: usize = 1000;
/// The longest service code taken (catalog codes are a few letters).
const LONGEST_SERVICE: usize = 64;
/// How far a change's business day may be from the server's today.
const MOST_DAYS_AWAY: i64 = 366;

/// `POST /api/v1/closures`.
pub async fn receive(
    State(state): State<AppState>,
    Kiosk(kiosk): Kiosk,
    ApiJson(batch): ApiJson<ClosureBatch>,
) -> Result<Json<ClosureOutcome>, ApiFailure> {
    if batch.kiosk != kiosk {
        return Err(ApiFailure::forbidden(format!(
            "this token belongs to kiosk {kiosk}, but the batch says {:?}",
            batch.kiosk
        )));
    }
    let now = state.now();
    let mpp = state.mpp_of(&kiosk)?;
    let today = state.today(mpp);
    if let Some(problem) = batch_problem(&batch.changes, today, now) {
        return Err(ApiFailure::unprocessable(problem));
    }
    let mpp = mpp.id.clone();
    let kiosk = kiosk.as_str().to_owned();
    let changes: Vec<ClosureChange> = batch.changes.into_iter().map(to_stored).collect();
    let outcome = state
        .storage(move |storage| storage.record_closures(&mpp, &kiosk, &changes, now))
        .await?;
    Ok(Json(outcome))
}

/// The change as the server keeps it: instants to the microsecond (as they are stored), so a
/// change compares the same with a stored one as with one still in flight.
fn to_stored(mut change: ClosureChange) -> ClosureChange {
    change.at = change.at.trunc_subsecs(6);
    change
}

/// What is wrong with a batch, naming the change: too many, an empty or long service code, a
/// business day far from `today`, an instant far from the server's clock.
fn batch_problem(
    changes: &[ClosureChange],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Option<String> {
    if changes.len() > MOST_CHANGES {
        return Some(format!(
            "{} closure changes in one batch; at most {MOST_CHANGES}",
            changes.len()
        ));
    }
    changes.iter().enumerate().find_map(|(index, change)| {
        let named = |field: &str, problem: String| {
            format!("changes[{index}] (id {}): `{field}` {problem}", change.id)
        };
        let service = change.service.as_str();
        if service.is_empty() || service.chars().count() > LONGEST_SERVICE {
            return Some(named(
                "service",
                format!("is {service:?}; a service code has 1 to {LONGEST_SERVICE} characters"),
            ));
        }
        let away = (change.business_day - today).num_days();
        if away.abs() > MOST_DAYS_AWAY {
            return Some(named(
                "business_day",
                format!(
                    "is {}, more than {MOST_DAYS_AWAY} days from the server's today ({today})",
                    change.business_day
                ),
            ));
        }
        implausible_instant("at", change.at, now).map(|problem| named("at", problem))
    })
}

/// `GET /api/v1/closures?day=YYYY-MM-DD`: the asking kiosk's MPP's services closed that day.
pub async fn day(
    State(state): State<AppState>,
    Kiosk(kiosk): Kiosk,
    query: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Json<DayClosures>, ApiFailure> {
    let day = required_day(query)?;
    let mpp = state.mpp_of(&kiosk)?.id.clone();
    let closed = state
        .read(move |storage| storage.day_closures(&mpp, day))
        .await?;
    Ok(Json(DayClosures { day, closed }))
}

/// The last change of a service's day as a backend holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredLast {
    pub at: DateTime<Utc>,
    pub kiosk: String,
    pub id: i64,
}

/// What [`apply_changes`] needs of a backend's write transaction.
pub(crate) trait ClosureTransaction {
    /// Records `kiosk`'s change; `false` when that (kiosk, id) was recorded before.
    fn record(
        &mut self,
        mpp: &str,
        kiosk: &str,
        change: &ClosureChange,
        received: DateTime<Utc>,
    ) -> Result<bool, StorageError>;

    /// The change the state of `service` on `day` holds now, if any.
    fn last(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        service: &str,
    ) -> Result<Option<StoredLast>, StorageError>;

    /// Makes `kiosk`'s `change` the state of its service and day.
    fn set_state(
        &mut self,
        mpp: &str,
        kiosk: &str,
        change: &ClosureChange,
    ) -> Result<(), StorageError>;
}

/// Records each new change of `kiosk` and makes it the state of its service's day when it is
/// [`newer`] than the one there; a change recorded before is a duplicate, applied once.
pub(crate) fn apply_changes(
    transaction: &mut dyn ClosureTransaction,
    mpp: &str,
    kiosk: &str,
    changes: &[ClosureChange],
    now: DateTime<Utc>,
) -> Result<ClosureOutcome, StorageError> {
    let mut outcome = ClosureOutcome::default();
    for change in changes {
        if !transaction.record(mpp, kiosk, change, now)? {
            outcome.duplicates.push(change.id);
            continue;
        }
        outcome.stored.push(change.id);
        let service = change.service.as_str();
        let current = transaction.last(mpp, change.business_day, service)?;
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

/// A state row (service, notice code, kiosk, at) as a closure; a notice this version does not
/// know or an unreadable instant is `corrupt`.
pub fn closure_from(
    (service, notice, kiosk, at): (String, String, String, String),
    corrupt: impl Fn(String) -> StorageError,
) -> Result<SharedClosure, StorageError> {
    let notice = StaffNotice::from_code(&notice)
        .ok_or_else(|| corrupt(format!("closure of {service}: notice {notice:?}")))?;
    let at =
        parse_instant(&at).ok_or_else(|| corrupt(format!("closure of {service}: at {at:?}")))?;
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
        instant_text(change.at),
    )
}

/// The last change as stored (at, kiosk, change id); an unreadable instant is `corrupt`.
pub fn last_from(
    (at, kiosk, id): (String, String, i64),
    service: &str,
    corrupt: impl Fn(String) -> StorageError,
) -> Result<StoredLast, StorageError> {
    let parsed =
        parse_instant(&at).ok_or_else(|| corrupt(format!("closure of {service}: at {at:?}")))?;
    Ok(StoredLast {
        at: parsed,
        kiosk,
        id,
    })
}

/// The fleet page's section: the services of the MPP shown that staff closed today.
pub fn section(closed: &[SharedClosure], zone: TimeZone) -> Markup {
    html! {
        h2 { "Layanan ditutup petugas hari ini / Services closed by staff today" }
        @if closed.is_empty() {
            p class="closures" { "tidak ada / none" }
        } @else {
            ul class="closures" {
                @for closure in closed {
                    li {
                        strong { (closure.service) } " · "
                        (staff_notice_text(closure.notice).get(Language::Indonesian)) " / "
                        (staff_notice_text(closure.notice).get(Language::English)) " · "
                        (closure.kiosk) " "
                        (zone.local(closure.at).format("%H:%M"))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
