//! Counter points paused by their clerk (a break, prayer, a system fault, closed for the day),
//! as both backends keep them: every change appended with who and why, the latest of the
//! business day being the point's state. A paused point calls nobody until it opens again.

use chrono::{DateTime, NaiveDate, Utc};

use crate::rules::counter::Pause;
use crate::storage::error::DbError;
use crate::storage::shared::TextStatements;
use mpp_common::instant;

/// The table, added to the SQLite file's migrations (PostgreSQL's is in `postgres/schema.rs`).
pub const MIGRATION: &str = r#"
-- Points paused and opened again, per business day: reason '' is "open".
CREATE TABLE point_changes (
    mpp           TEXT NOT NULL,
    point         TEXT NOT NULL,
    business_day  TEXT NOT NULL,
    reason        TEXT NOT NULL,
    account       TEXT NOT NULL,
    at            TEXT NOT NULL
) STRICT;
CREATE INDEX point_changes_by_point ON point_changes (mpp, point, business_day, at);
"#;

pub(crate) mod sql {
    pub const CHANGE: &str = "INSERT INTO point_changes \
        (mpp, point, business_day, reason, account, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    pub const LATEST: &str = "SELECT reason, at FROM point_changes \
        WHERE mpp = ?1 AND point = ?2 AND business_day = ?3 ORDER BY at DESC LIMIT 1";
}

/// A point's pause: why and since when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paused {
    pub reason: Pause,
    pub since: DateTime<Utc>,
}

pub trait Points: TextStatements {
    /// Pauses the point (`Some(reason)`) or opens it again (`None`) for `day`.
    fn set_point(
        &mut self,
        (mpp, point, day): (&str, &str, NaiveDate),
        pause: Option<Pause>,
        account: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let (day, at) = (day.to_string(), instant::to_text(now));
        let reason = pause.map_or("", Pause::code);
        let values = [
            Some(mpp),
            Some(point),
            Some(&day),
            Some(reason),
            Some(account),
            Some(&at),
        ];
        self.text_execute(sql::CHANGE, &values).map(drop)
    }

    /// The point's pause on `day`, if it is paused.
    fn paused(
        &mut self,
        mpp: &str,
        point: &str,
        day: NaiveDate,
    ) -> Result<Option<Paused>, DbError> {
        let day = day.to_string();
        let rows = self.text_rows(sql::LATEST, &[Some(mpp), Some(point), Some(&day)])?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let text = |index: usize| row.get(index).cloned().flatten().unwrap_or_default();
        let Some(reason) = Pause::from_code(&text(0)) else {
            return Ok(None);
        };
        let since = instant::parse(&text(1))
            .ok_or_else(|| self.corrupt(format!("point change at {:?}", text(1))))?;
        Ok(Some(Paused { reason, since }))
    }
}

impl<T: TextStatements + ?Sized> Points for T {}
