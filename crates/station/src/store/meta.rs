//! The store's `meta` table: small notes under a key (where numbering came from, the business
//! day, the server's clock, sync results), read and written inside a transaction or through
//! the store.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, StoreError};

/// The note under `key`, if any.
pub(super) fn get(connection: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    connection
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            params![key],
            |row| row.get(0),
        )
        .optional()
}

/// Sets the note under `key`, replacing the one before.
pub(super) fn set(connection: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    connection
        .execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )
        .map(drop)
}

impl Store {
    /// A small key/value note (sync results and the like).
    pub fn note(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        set(&self.connection, key, value).map_err(|error| self.error(error))
    }

    pub fn read_note(&self, key: &str) -> Result<Option<String>, StoreError> {
        get(&self.connection, key).map_err(|error| self.error(error))
    }
}
