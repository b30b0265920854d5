//! PostgreSQL's side of the closures: records and decisions in one transaction under the MPP's
//! write lock (as every write), so two kiosks' changes to one service follow one another and
//! the second is decided against the first.

use crate::storage::Closures;
use chrono::{DateTime, NaiveDate, Utc};

use crate::storage::closures::sql::for_postgres;
use crate::storage::closures::{
    ClosureTransaction, StoredLast, apply_changes, change_values, closure_from, last_from, sql,
};
use crate::storage::error::DbError;
use crate::storage::postgres::{Postgres, Writing};
use mpp_common::instant;
use mpp_core::closure_sync::{ClosureChange, ClosureOutcome, SharedClosure};

impl ClosureTransaction for Writing<'_, '_> {
    fn record(
        &mut self,
        mpp: &str,
        kiosk: &str,
        change: &ClosureChange,
        received: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let (day, notice, at) = change_values(change);
        let (service, received) = (change.service.as_str(), instant::to_text(received));
        self.transaction
            .execute(
                &for_postgres(sql::RECORD),
                &[
                    &mpp, &kiosk, &change.id, &day, &service, &notice, &at, &received,
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
    ) -> Result<Option<StoredLast>, DbError> {
        let row = self
            .transaction
            .query_opt(
                &for_postgres(sql::LAST),
                &[&mpp, &day.to_string(), &service],
            )
            .map_err(|error| self.fail(&error))?;
        row.map(|row| {
            let raw = (row.get(0), row.get(1), row.get(2));
            last_from(raw, service, |detail| self.corrupt(detail))
        })
        .transpose()
    }

    fn set_state(&mut self, mpp: &str, kiosk: &str, change: &ClosureChange) -> Result<(), DbError> {
        let (day, notice, at) = change_values(change);
        let service = change.service.as_str();
        self.transaction
            .execute(
                &for_postgres(sql::SET_STATE),
                &[&mpp, &day, &service, &notice, &kiosk, &at, &change.id],
            )
            .map(drop)
            .map_err(|error| self.fail(&error))
    }
}

impl Closures for Postgres {
    fn record_closures(
        &mut self,
        mpp: &str,
        kiosk: &str,
        changes: &[ClosureChange],
        now: DateTime<Utc>,
    ) -> Result<ClosureOutcome, DbError> {
        self.deciding(mpp, |writing| {
            apply_changes(writing, mpp, kiosk, changes, now)
        })
    }

    fn day_closures(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<SharedClosure>, DbError> {
        let rows = self.rows(&for_postgres(sql::DAY), &[&mpp, &day.to_string()])?;
        rows.iter()
            .map(|row| {
                let raw = (row.get(0), row.get(1), row.get(2), row.get(3));
                closure_from(raw, |detail| self.corrupt(detail))
            })
            .collect()
    }
}
