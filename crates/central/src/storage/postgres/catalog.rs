//! PostgreSQL's side of the published catalog.

use crate::storage::Catalogs;
use crate::storage::error::DbError;
use crate::storage::postgres::Postgres;
use chrono::DateTime;
use chrono::Utc;
use mpp_common::instant;

impl Catalogs for Postgres {
    fn published_catalog(&mut self, mpp: &str) -> Result<Option<String>, DbError> {
        let rows = self.rows(
            "SELECT json FROM published_catalogs WHERE mpp = $1",
            &[&mpp],
        )?;
        Ok(rows.first().map(|row| row.get(0)))
    }

    fn store_published_catalog(
        &mut self,
        mpp: &str,
        version: u64,
        json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let version = i64::try_from(version).map_err(|_| self.corrupt("catalog version"))?;
        self.write(mpp, |transaction| {
            transaction.execute(
                "INSERT INTO published_catalogs (mpp, version, json, stored_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (mpp) DO UPDATE SET \
                 version = excluded.version, json = excluded.json, stored_at = excluded.stored_at",
                &[&mpp, &version, &json, &instant::to_text(now)],
            )
        })
        .map(drop)
    }
}
