//! The last catalog that passed validation, kept so the kiosk survives a bad publish or a
//! restart with the network down.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use mpp_common::instant;

impl Store {
    /// Replaces the cached catalog. Callers validate first; the write is atomic.
    pub fn save_catalog(
        &mut self,
        version: u64,
        json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.connection
            .execute(
                "INSERT INTO catalog_cache (slot, version, json, stored_at) VALUES (1, ?1, ?2, ?3) \
                 ON CONFLICT (slot) DO UPDATE SET version = excluded.version, json = excluded.json, \
                 stored_at = excluded.stored_at",
                params![version as i64, json, instant::to_text(now)],
            )
            .map(drop)
            .map_err(|error| self.error(error))
    }

    /// The cached catalog's version and JSON, if one was ever saved.
    pub fn cached_catalog(&self) -> Result<Option<(u64, String)>, StoreError> {
        self.connection
            .query_row(
                "SELECT version, json FROM catalog_cache WHERE slot = 1",
                [],
                |row| Ok((row.get::<_, i64>(0)? as u64, row.get(1)?)),
            )
            .optional()
            .map_err(|error| self.error(error))
    }
}
