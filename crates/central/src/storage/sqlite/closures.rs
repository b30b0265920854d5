//! The SQLite backend's side of the closures ([`crate::storage::Database`] calls these): records and
//! decisions in one `BEGIN IMMEDIATE` transaction on the one writer.

use crate::storage::Closures;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

use crate::storage::closures::{
    ClosureTransaction, StoredLast, apply_changes, change_values, closure_from, last_from, sql,
};
use crate::storage::error::DbError;
use crate::storage::sqlite::{Sqlite, Writing};
use mpp_common::instant;
use mpp_core::closure_sync::{ClosureChange, ClosureOutcome, SharedClosure};

impl ClosureTransaction for Writing<'_> {
    fn record(
        &mut self,
        mpp: &str,
        kiosk: &str,
        change: &ClosureChange,
        received: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let (day, notice, at) = change_values(change);
        let service = change.service.as_str();
        let received = instant::to_text(received);
        self.transaction
            .execute(
                sql::RECORD,
                params![mpp, kiosk, change.id, day, service, notice, at, received],
            )
            .map(|inserted| inserted > 0)
            .map_err(|error| self.fail(error))
    }

    fn last(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        service: &str,
    ) -> Result<Option<StoredLast>, DbError> {
        let row = self
            .transaction
            .query_row(sql::LAST, params![mpp, day.to_string(), service], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()
            .map_err(|error| self.fail(error))?;
        row.map(|row| last_from(row, service, |detail| self.corrupt(detail)))
            .transpose()
    }

    fn set_state(&mut self, mpp: &str, kiosk: &str, change: &ClosureChange) -> Result<(), DbError> {
        let (day, notice, at) = change_values(change);
        let service = change.service.as_str();
        self.transaction
            .execute(
                sql::SET_STATE,
                params![mpp, day, service, notice, kiosk, at, change.id],
            )
            .map(drop)
            .map_err(|error| self.fail(error))
    }
}

impl Closures for Sqlite {
    /// Records `kiosk`'s closure changes and applies those that win, in one transaction.
    fn record_closures(
        &mut self,
        mpp: &str,
        kiosk: &str,
        changes: &[ClosureChange],
        now: DateTime<Utc>,
    ) -> Result<ClosureOutcome, DbError> {
        self.deciding(|writing| apply_changes(writing, mpp, kiosk, changes, now))
    }

    /// `mpp`'s services closed on `day` (their latest change a close), by service.
    fn day_closures(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<SharedClosure>, DbError> {
        let rows = self
            .connection
            .prepare_cached(sql::DAY)
            .and_then(|mut statement| {
                statement
                    .query_map(params![mpp, day.to_string()], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                    })?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|error| self.error(error))?;
        rows.into_iter()
            .map(|row| closure_from(row, |detail| self.corrupt(detail)))
            .collect()
    }
}
