//! The server's SQLite file: tickets as the kiosks last reported them, every event, conflicts
//! and refusals kept aside for a person, counter reports, kiosk heartbeats and the last published catalog.
//! WAL with `synchronous=FULL`, checked at open; schema versions in `user_version`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::storage::error::{Corrupt, DbError};
use crate::storage::{Database, Transact, Writes};
use schema::MIGRATIONS;

mod audit;
mod batches;
mod catalog;
mod closures;
mod counters;
mod fleet;
mod numbers;
mod reads;
mod schema;
mod staff;
mod surveys;
mod tickets;

/// Marks a SQLite file as the central server's (`MPPC`), so no other database is written to.
const APPLICATION_ID: i32 = 0x4D50_5043;
/// How long to wait for another process holding the file (a backup, sqlite3 in a shell).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Sqlite {
    pub(crate) connection: Connection,
    pub(crate) path: PathBuf,
}

impl Sqlite {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    #[tracing::instrument(skip_all, err, fields(path = %path.display()))]
    pub fn open(path: &Path) -> Result<Self, DbError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|error| DbError::Open {
                path: path.to_owned(),
                reason: format!("cannot create the folder {}: {error}", folder.display()),
            })?;
        }
        let connection = Connection::open(path).map_err(|error| DbError::classify(path, error))?;
        let mut storage = Self {
            connection,
            path: path.to_owned(),
        };
        storage.configure()?;
        storage.migrate()?;
        Ok(storage)
    }

    /// A connection to the database at `path` (already opened and migrated by the writer)
    /// that can only read: `PRAGMA query_only`, so a slip in a read path fails instead of
    /// writing. In WAL mode it reads the last commit and never waits for the writer.
    #[tracing::instrument(skip_all, err, fields(path = %path.display()))]
    pub fn open_reader(path: &Path) -> Result<Self, DbError> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let fail = |error| DbError::classify(path, error);
        let connection = Connection::open_with_flags(path, flags).map_err(fail)?;
        connection.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        connection
            .pragma_update(None, "query_only", true)
            .map_err(fail)?;
        let journal: String = connection
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .map_err(fail)?;
        if !journal.eq_ignore_ascii_case("wal") {
            return Err(DbError::NotDurable {
                path: path.to_owned(),
                journal,
                synchronous: -1,
            });
        }
        Ok(Self {
            connection,
            path: path.to_owned(),
        })
    }

    pub(crate) fn error(&self, error: rusqlite::Error) -> DbError {
        DbError::classify(&self.path, error)
    }

    fn configure(&mut self) -> Result<(), DbError> {
        mpp_common::sqlite::make_durable(&self.connection, APPLICATION_ID, BUSY_TIMEOUT)
            .map_err(|setup| self.setup_error(setup))
    }

    /// Applies the migrations this database lacks, in one transaction; refuses a newer schema.
    fn migrate(&mut self) -> Result<(), DbError> {
        mpp_common::sqlite::migrate(&mut self.connection, MIGRATIONS)
            .map_err(|setup| self.setup_error(setup))
    }

    fn setup_error(&self, setup: mpp_common::sqlite::Setup) -> DbError {
        use mpp_common::sqlite::Setup;
        let path = self.path.clone();
        match setup {
            Setup::NotOurs => DbError::NotOurs { path },
            Setup::NotDurable {
                journal,
                synchronous,
            } => DbError::NotDurable {
                path,
                journal,
                synchronous,
            },
            Setup::NewerSchema { found, known } => DbError::NewerSchema { path, found, known },
            Setup::Sqlite(error) => self.error(error),
        }
    }
}

impl Corrupt for Sqlite {
    fn corrupt(&self, detail: String) -> DbError {
        DbError::Corrupt {
            path: self.path.clone(),
            detail,
        }
    }
}

impl Database for Sqlite {
    /// Folds the write-ahead log into the database file; called on a clean shutdown.
    fn checkpoint(&mut self) -> Result<(), DbError> {
        self.connection
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|error| self.error(error))
    }

    fn answers(&mut self) -> Result<(), DbError> {
        self.connection
            .query_row("SELECT 1", [], |_| Ok(()))
            .map_err(|error| self.error(error))
    }
}

/// A write transaction (`BEGIN IMMEDIATE` on the one writer) with the path for its errors:
/// what a decision made inside it (a batch, a survey response, a closure) reads and writes
/// through.
pub(crate) struct Writing<'a> {
    pub transaction: rusqlite::Transaction<'a>,
    pub path: PathBuf,
}

impl Writing<'_> {
    pub fn fail(&self, error: rusqlite::Error) -> DbError {
        DbError::classify(&self.path, error)
    }
}

impl Corrupt for Writing<'_> {
    fn corrupt(&self, detail: String) -> DbError {
        DbError::Corrupt {
            path: self.path.clone(),
            detail,
        }
    }
}

impl Transact for Sqlite {
    /// The one writer needs no lock of its own: `BEGIN IMMEDIATE` waits for other processes.
    fn begin(&mut self, _mpp: &str) -> Result<Box<dyn Writes + '_>, DbError> {
        let transaction = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|error| DbError::classify(&self.path, error))?;
        Ok(Box::new(Writing {
            transaction,
            path: self.path.clone(),
        }))
    }
}

impl Writes for Writing<'_> {
    fn commit(self: Box<Self>) -> Result<(), DbError> {
        let Writing { transaction, path } = *self;
        transaction
            .commit()
            .map_err(|error| DbError::classify(&path, error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::IMPLICIT_ID;
    use crate::storage::fixtures::{DAY, batch, event, ticket};
    use crate::storage::{Catalogs, Fleet, Tickets};
    use chrono::{DateTime, Utc};
    use mpp_common::instant;
    use mpp_core::numbering::Lane;
    use mpp_core::protocol::TicketEvent;
    use mpp_core::ticket::TicketStatus;

    #[test]
    fn opens_migrates_once_and_refuses_foreign_files() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("sub/central.db");
        drop(Sqlite::open(&path).expect("created"));
        let storage = Sqlite::open(&path).expect("reopened");
        let version: i64 = storage
            .connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .expect("version");
        assert_eq!(version, MIGRATIONS.len() as i64);
        let other = folder.path().join("other.db");
        Connection::open(&other)
            .and_then(|c| c.execute_batch("CREATE TABLE x (y)"))
            .expect("foreign db");
        assert!(matches!(Sqlite::open(&other), Err(DbError::NotOurs { .. })));
    }

    /// A database at `path` at version 2 of the schema, holding a printed ticket of kiosk K1
    /// as that version kept it (row, event, report, a conflict and a refusal); the ticket's
    /// event.
    fn at_schema_two(path: &Path) -> (Connection, TicketEvent) {
        let mut connection = Connection::open(path).expect("open");
        mpp_common::sqlite::make_durable(&connection, APPLICATION_ID, BUSY_TIMEOUT)
            .expect("durable");
        mpp_common::sqlite::migrate(&mut connection, &MIGRATIONS[..2]).expect("schema 2");
        let ticket = ticket("K1", "t1", 7, Lane::Regular, DAY);
        let event = event(1, &ticket, TicketStatus::Printed);
        let (json, body) = (
            serde_json::to_string(&ticket).expect("json"),
            serde_json::to_string(&event).expect("json"),
        );
        let at = instant::to_text(event.at);
        connection
            .execute_batch(&format!(
                "INSERT INTO tickets (id, kiosk, number, queue, lane, business_day, issued_at, \
                 status, status_event, ticket_json, updated_at, counter_status, counter_name, \
                 counter_at) VALUES ('t1', 'K1', 'DKC-007', 'DKC', 'regular', '{DAY}', \
                 '{at}', 'printed', 1, '{json}', '{at}', 'served', 'Loket 1', '{at}'); \
                 INSERT INTO events (ticket_id, event_id, kiosk, status, at, body, received_at) \
                 VALUES ('t1', 1, 'K1', 'printed', '{at}', '{body}', '{at}'); \
                 INSERT INTO counter_reports (ticket_id, status, counter, credential, at) \
                 VALUES ('t1', 'served', 'Loket 1', 'Loket 1-4', '{at}'); \
                 INSERT INTO conflicts (kiosk, ticket_id, event_id, body, received_at) \
                 VALUES ('K1', 't1', 1, 'other', '{at}'); \
                 INSERT INTO refusals (kiosk, ticket_id, event_id, reason, received_at) \
                 VALUES ('K1', 't9', 5, 'no', '{at}');"
            ))
            .expect("rows at schema 2");
        (connection, event)
    }

    #[test]
    fn a_database_at_the_previous_schema_is_upgraded_keeping_its_rows() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("central.db");
        let (connection, event) = at_schema_two(&path);
        drop(connection);

        let mut storage = Sqlite::open(&path).expect("upgraded");
        let version: i64 = storage
            .connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .expect("version");
        assert_eq!(version, MIGRATIONS.len() as i64);
        let record = storage.ticket("K1", "t1").expect("read").expect("kept");
        assert_eq!(record.ticket.number, "DKC-007");
        assert_eq!(
            record.counter.expect("counter mark kept").counter,
            "Loket 1"
        );
        let report: (String, String) = storage
            .connection
            .query_row("SELECT kiosk, ticket_id FROM counter_reports", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .expect("report kept");
        assert_eq!(report, ("K1".into(), "t1".into()));
        let sequence: u32 = storage
            .connection
            .query_row("SELECT sequence FROM tickets", [], |row| row.get(0))
            .expect("sequence");
        assert_eq!(sequence, 7, "the sequence is read from the stored ticket");
        let day = record.ticket.business_day;
        let fleet = storage.fleet(&["K1".into()], day).expect("fleet");
        assert_eq!((fleet[0].conflicts, fleet[0].refused), (1, 1));
        let resent = storage.apply_batch(&batch("K1", &[event])).expect("resent");
        assert_eq!(resent.duplicates, [1], "exactly once across the upgrade");
        let broken: Vec<String> = storage
            .connection
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut check| check.query_map([], |row| row.get(0))?.collect())
            .expect("check");
        assert!(broken.is_empty(), "{broken:?}");
    }

    #[test]
    fn a_database_from_before_mpps_is_upgraded_into_the_implicit_mpp() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("central.db");
        let (mut connection, event) = at_schema_two(&path);
        mpp_common::sqlite::migrate(&mut connection, &MIGRATIONS[..5]).expect("schema 5");
        connection
            .execute(
                "INSERT INTO published_catalog (slot, version, json, stored_at) \
                 VALUES (1, 4, '{\"version\": 4}', 'x')",
                [],
            )
            .expect("a published catalog at schema 5");
        drop(connection);

        let mut storage = Sqlite::open(&path).expect("upgraded");
        for table in [
            "tickets",
            "events",
            "conflicts",
            "refusals",
            "counter_reports",
            "kiosks",
        ] {
            let mpps: Vec<String> = storage
                .connection
                .prepare(&format!("SELECT DISTINCT mpp FROM {table}"))
                .and_then(|mut rows| rows.query_map([], |row| row.get(0))?.collect())
                .expect("mpps");
            let expected: &[&str] = if table == "kiosks" { &[] } else { &["default"] };
            assert_eq!(mpps, expected, "{table}");
        }
        let kept = storage.published_catalog(IMPLICIT_ID).expect("read");
        assert_eq!(kept.as_deref(), Some("{\"version\": 4}"));
        assert_eq!(storage.published_catalog("kudus").expect("read"), None);
        let owners = storage
            .kiosks_with_ticket(IMPLICIT_ID, "t1")
            .expect("owners");
        assert_eq!(owners, ["K1"], "the old ticket is the implicit MPP's");
        let elsewhere = storage.kiosks_with_ticket("kudus", "t1").expect("owners");
        assert!(elsewhere.is_empty());
        let resent = storage.apply_batch(&batch("K1", &[event])).expect("resent");
        assert_eq!(resent.duplicates, [1], "exactly once across the upgrade");
    }

    #[test]
    fn instants_sort_as_text() {
        let early: DateTime<Utc> = "2026-11-23T02:00:00.5Z".parse().expect("instant");
        let late: DateTime<Utc> = "2026-11-23T02:00:01Z".parse().expect("instant");
        assert!(instant::to_text(early) < instant::to_text(late));
        assert_eq!(instant::parse(&instant::to_text(late)), Some(late));
    }
}
