//! The SQLite backend's side of the closures ([`crate::store::Store`] calls these): records and
//! decisions in one `BEGIN IMMEDIATE` transaction on the one writer.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::{ClosureTransaction, StoredLast, apply_changes, change_values, closure_from};
use crate::storage::{Storage, StorageError, instant_text, parse_instant};
use mpp_core::closure_sync::{ClosureChange, ClosureOutcome, SharedClosure};

/// A write transaction with the path for its errors.
struct Writing<'a> {
    transaction: Transaction<'a>,
    path: std::path::PathBuf,
}

impl Writing<'_> {
    fn fail(&self, error: rusqlite::Error) -> StorageError {
        StorageError::classify(&self.path, error)
    }
}

impl ClosureTransaction for Writing<'_> {
    fn record(
        &mut self,
        mpp: &str,
        kiosk: &str,
        change: &ClosureChange,
        received: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let (day, notice, at) = change_values(change);
        self.transaction
            .execute(
                "INSERT INTO closure_changes \
                 (mpp, kiosk, id, business_day, service, notice, at, received_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (kiosk, id) DO NOTHING",
                params![
                    mpp,
                    kiosk,
                    change.id,
                    day,
                    change.service.as_str(),
                    notice,
                    at,
                    instant_text(received)
                ],
            )
            .map(|inserted| inserted > 0)
            .map_err(|error| self.fail(error))
    }

    fn last(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        service: &str,
    ) -> Result<Option<StoredLast>, StorageError> {
        let row: Option<(String, String, i64)> = self
            .transaction
            .query_row(
                "SELECT at, kiosk, change_id FROM service_closures \
                 WHERE mpp = ?1 AND business_day = ?2 AND service = ?3",
                params![mpp, day.to_string(), service],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(|error| self.fail(error))?;
        row.map(|(at, kiosk, id)| {
            let at = parse_instant(&at).ok_or_else(|| StorageError::Corrupt {
                path: self.path.clone(),
                detail: format!("closure of {service}: at {at:?}"),
            })?;
            Ok(StoredLast { at, kiosk, id })
        })
        .transpose()
    }

    fn set_state(
        &mut self,
        mpp: &str,
        kiosk: &str,
        change: &ClosureChange,
    ) -> Result<(), StorageError> {
        let (day, notice, at) = change_values(change);
        self.transaction
            .execute(
                "INSERT INTO service_closures \
                 (mpp, business_day, service, notice, kiosk, at, change_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (mpp, business_day, service) DO UPDATE SET \
                 notice = excluded.notice, kiosk = excluded.kiosk, at = excluded.at, \
                 change_id = excluded.change_id",
                params![
                    mpp,
                    day,
                    change.service.as_str(),
                    notice,
                    kiosk,
                    at,
                    change.id
                ],
            )
            .map(drop)
            .map_err(|error| self.fail(error))
    }
}

impl Storage {
    /// Records `kiosk`'s closure changes and applies those that win, in one transaction.
    pub fn record_closures(
        &mut self,
        mpp: &str,
        kiosk: &str,
        changes: &[ClosureChange],
        now: DateTime<Utc>,
    ) -> Result<ClosureOutcome, StorageError> {
        let path = self.path.clone();
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|error| StorageError::classify(&path, error))?;
        let mut writing = Writing { transaction, path };
        let outcome = apply_changes(&mut writing, mpp, kiosk, changes, now)?;
        let Writing { transaction, path } = writing;
        transaction
            .commit()
            .map_err(|error| StorageError::classify(&path, error))?;
        Ok(outcome)
    }

    /// `mpp`'s services closed on `day` (their latest change a close), by service.
    pub fn day_closures(
        &self,
        mpp: &str,
        day: NaiveDate,
    ) -> Result<Vec<SharedClosure>, StorageError> {
        let fail = |error| self.error(error);
        let rows = self
            .connection
            .prepare_cached(
                "SELECT service, notice, kiosk, at FROM service_closures \
                 WHERE mpp = ?1 AND business_day = ?2 AND notice IS NOT NULL ORDER BY service",
            )
            .and_then(|mut statement| {
                statement
                    .query_map(params![mpp, day.to_string()], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                    })?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(fail)?;
        rows.into_iter()
            .map(|row| closure_from(row, |detail| self.corrupt(detail)))
            .collect()
    }
}
