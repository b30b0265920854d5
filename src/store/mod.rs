//! The kiosk's SQLite store: tickets with their history, the outbox for sync, the last good
//! catalog. A ticket on paper is a committed ticket: WAL with `synchronous=FULL`, checked at open.

mod catalog_cache;
mod error;
mod migrations;
mod outbox;
mod tickets;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use error::StoreError;
pub use outbox::{OutboxDepth, OutboxRow};
pub use tickets::{DaySummary, HistoryEntry, IssueSettings, LiveCounts, ServiceCount};

/// Marks a SQLite file as ours (`MPPK`), so another program's database is never written to.
const APPLICATION_ID: i32 = 0x4D50_504B;
/// How long to wait for another writer (a technician's command) before reporting a lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

pub struct Store {
    connection: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    #[tracing::instrument(skip_all, err, fields(path = %path.display()))]
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        refuse_read_only(path)?;
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|error| StoreError::Open {
                path: path.to_owned(),
                reason: format!("cannot create the folder {}: {error}", folder.display()),
            })?;
        }
        let connection =
            Connection::open(path).map_err(|error| StoreError::classify(path, error))?;
        let mut store = Self {
            connection,
            path: path.to_owned(),
        };
        store.configure()?;
        store.refuse_newer_schema()?;
        migrations::run(&mut store.connection).map_err(|error| store.error(error))?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::classify(&self.path, error)
    }

    fn configure(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let fail = |error| StoreError::classify(&path, error);
        let connection = &self.connection;
        connection.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        // Reading the schema first tells "not a database" apart from everything else.
        let application_id: i32 = connection
            .pragma_query_value(None, "application_id", |row| row.get(0))
            .map_err(fail)?;
        let table_count: i64 = connection
            .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
            .map_err(fail)?;
        if application_id != APPLICATION_ID && (application_id != 0 || table_count > 0) {
            return Err(StoreError::NotOurs { path });
        }
        let journal: String = connection
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(fail)?;
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(fail)?;
        let synchronous: i64 = connection
            .pragma_query_value(None, "synchronous", |row| row.get(0))
            .map_err(fail)?;
        if !journal.eq_ignore_ascii_case("wal") || synchronous != 2 {
            return Err(StoreError::NotDurable {
                path,
                journal,
                synchronous,
            });
        }
        connection
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(fail)?;
        if application_id == 0 {
            connection
                .pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(fail)?;
        }
        Ok(())
    }

    fn refuse_newer_schema(&self) -> Result<(), StoreError> {
        let found: i64 = self
            .connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|error| self.error(error))?;
        let known = migrations::known_version();
        if found > known {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found,
                known,
            });
        }
        Ok(())
    }

    /// SQLite's own consistency check: `ok` or the list of what is damaged.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let rows: Vec<String> = self
            .connection
            .prepare("PRAGMA integrity_check")
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| row.get(0))?
                    .collect::<Result<_, _>>()
            })
            .map_err(|error| self.error(error))?;
        Ok(rows.join("; "))
    }
}

/// A file marked read-only is refused before SQLite sees it: as root SQLite would write anyway,
/// and a technician who marked it so meant it.
fn refuse_read_only(path: &Path) -> Result<(), StoreError> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.permissions().readonly() => Err(StoreError::ReadOnly {
            path: path.to_owned(),
        }),
        _ => Ok(()),
    }
}
