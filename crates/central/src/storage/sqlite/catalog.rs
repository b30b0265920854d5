//! The SQLite file's side of the published catalog: the last valid one of each MPP.

use chrono::{DateTime, Utc};

use crate::storage::Catalogs;
use crate::storage::error::DbError;
use crate::storage::sqlite::Sqlite;
use mpp_common::instant;

impl Catalogs for Sqlite {
    /// The last catalog that was published and valid for `mpp`, if any.
    fn published_catalog(&mut self, mpp: &str) -> Result<Option<String>, DbError> {
        use rusqlite::OptionalExtension;
        self.connection
            .query_row(
                "SELECT json FROM published_catalogs WHERE mpp = ?1",
                [mpp],
                |row| row.get(0),
            )
            .optional()
            .map_err(|error| self.error(error))
    }

    #[tracing::instrument(skip_all, err)]
    fn store_published_catalog(
        &mut self,
        mpp: &str,
        version: u64,
        json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let version = i64::try_from(version).map_err(|_| self.corrupt("catalog version"))?;
        self.connection
            .execute(
                "INSERT INTO published_catalogs (mpp, version, json, stored_at) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (mpp) DO UPDATE SET \
                 version = excluded.version, json = excluded.json, stored_at = excluded.stored_at",
                rusqlite::params![mpp, version, json, instant::to_text(now)],
            )
            .map(drop)
            .map_err(|error| self.error(error))
    }
}
