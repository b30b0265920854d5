//! The catalog each MPP published last, as both backends keep it: one row per MPP, replaced by
//! the next valid one. What is stored is decided here once ([`store`]); the backends answer
//! [`CatalogTransaction`] and read [`sql::PUBLISHED`] in their own SQL.

use chrono::{DateTime, Utc};

use crate::storage::error::{Corrupt, DbError};
use mpp_common::instant;

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them `$N`).
pub(crate) mod sql {
    /// The catalog an MPP published last.
    pub const PUBLISHED: &str = "SELECT json FROM published_catalogs WHERE mpp = ?1";
    /// Keeps a catalog (as [`super::Published`]) in place of the MPP's one before.
    pub const STORE: &str = "INSERT INTO published_catalogs (mpp, version, json, stored_at) \
        VALUES (?1, ?2, ?3, ?4) ON CONFLICT (mpp) DO UPDATE SET \
        version = excluded.version, json = excluded.json, stored_at = excluded.stored_at";
}

/// A published catalog as it is stored.
pub struct Published<'a> {
    pub mpp: &'a str,
    pub version: i64,
    pub json: &'a str,
    pub stored_at: String,
}

/// What [`store`] needs of a backend's write transaction.
pub trait CatalogTransaction: Corrupt {
    /// Runs [`sql::STORE`].
    fn store_catalog(&mut self, published: &Published<'_>) -> Result<(), DbError>;
}

/// Keeps `json` (version `version`) as `mpp`'s last valid catalog; a version too large for the
/// database's integers is refused as corrupt.
pub(crate) fn store(
    transaction: &mut dyn CatalogTransaction,
    mpp: &str,
    version: u64,
    json: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let version =
        i64::try_from(version).map_err(|_| transaction.corrupt("catalog version".into()))?;
    transaction.store_catalog(&Published {
        mpp,
        version,
        json,
        stored_at: instant::to_text(now),
    })
}
