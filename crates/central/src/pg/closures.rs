//! PostgreSQL's side of the closures: records and decisions in one transaction under the MPP's
//! write lock (as every write), so two kiosks' changes to one service follow one another and
//! the second is decided against the first.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::Transaction;

use super::Postgres;
use crate::closures::{ClosureTransaction, StoredLast, apply_changes, change_values, closure_from};
use crate::storage::{StorageError, instant_text, parse_instant};
use mpp_core::closure_sync::{ClosureChange, ClosureOutcome, SharedClosure};

struct Writing<'a, 'b> {
    transaction: &'a mut Transaction<'b>,
    url: &'a str,
}

impl Writing<'_, '_> {
    fn fail(&self, error: &postgres::Error) -> StorageError {
        super::classify(self.url, error)
    }
}

impl ClosureTransaction for Writing<'_, '_> {
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
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (kiosk, id) DO NOTHING",
                &[
                    &mpp,
                    &kiosk,
                    &change.id,
                    &day,
                    &change.service.as_str(),
                    &notice,
                    &at,
                    &instant_text(received),
                ],
            )
            .map(|inserted| inserted > 0)
            .map_err(|error| self.fail(&error))
    }

    fn last(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        service: &str,
    ) -> Result<Option<StoredLast>, StorageError> {
        let row = self
            .transaction
            .query_opt(
                "SELECT at, kiosk, change_id FROM service_closures \
                 WHERE mpp = $1 AND business_day = $2 AND service = $3",
                &[&mpp, &day.to_string(), &service],
            )
            .map_err(|error| self.fail(&error))?;
        row.map(|row| {
            let at: String = row.get(0);
            let parsed = parse_instant(&at).ok_or_else(|| StorageError::Corrupt {
                path: super::server_of(self.url).into(),
                detail: format!("closure of {service}: at {at:?}"),
            })?;
            Ok(StoredLast {
                at: parsed,
                kiosk: row.get(1),
                id: row.get(2),
            })
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
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (mpp, business_day, service) DO UPDATE SET \
                 notice = excluded.notice, kiosk = excluded.kiosk, at = excluded.at, \
                 change_id = excluded.change_id",
                &[
                    &mpp,
                    &day,
                    &change.service.as_str(),
                    &notice,
                    &kiosk,
                    &at,
                    &change.id,
                ],
            )
            .map(drop)
            .map_err(|error| self.fail(&error))
    }
}

impl Postgres {
    pub(super) fn record_closures(
        &mut self,
        mpp: &str,
        kiosk: &str,
        changes: &[ClosureChange],
        now: DateTime<Utc>,
    ) -> Result<ClosureOutcome, StorageError> {
        let url = self.url.clone();
        let mut transaction = self.locked(mpp)?;
        let mut writing = Writing {
            transaction: &mut transaction,
            url: &url,
        };
        let outcome = apply_changes(&mut writing, mpp, kiosk, changes, now)?;
        transaction
            .commit()
            .map_err(|error| super::classify(&url, &error))?;
        Ok(outcome)
    }

    pub(super) fn day_closures(
        &mut self,
        mpp: &str,
        day: NaiveDate,
    ) -> Result<Vec<SharedClosure>, StorageError> {
        let rows = self.rows(
            "SELECT service, notice, kiosk, at FROM service_closures \
             WHERE mpp = $1 AND business_day = $2 AND notice IS NOT NULL ORDER BY service",
            &[&mpp, &day.to_string()],
        )?;
        rows.iter()
            .map(|row| {
                let raw = (row.get(0), row.get(1), row.get(2), row.get(3));
                closure_from(raw, |detail| self.corrupt(detail))
            })
            .collect()
    }
}
