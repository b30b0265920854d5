//! The server's SQLite file: tickets as the kiosks last reported them, every event, conflicts
//! and refusals kept aside for a person, counter reports, kiosk heartbeats and the last published catalog.
//! WAL with `synchronous=FULL`, checked at open; schema versions in `user_version`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use mpp_common::sqlite::SqliteProblem;
use rusqlite::Connection;

/// Marks a SQLite file as the central server's (`MPPC`), so no other database is written to.
const APPLICATION_ID: i32 = 0x4D50_5043;
/// How long to wait for another process holding the file (a backup, sqlite3 in a shell).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Each entry moves the schema one version up. Never edit a shipped entry: add a new one.
const MIGRATIONS: &[&str] = &[
    r#"
-- Every ticket as its kiosk last reported it (the event with the highest event id wins),
-- and what a counter last said about it.
CREATE TABLE tickets (
    id              TEXT PRIMARY KEY,
    kiosk           TEXT NOT NULL,
    number          TEXT NOT NULL,
    queue           TEXT NOT NULL,
    lane            TEXT NOT NULL CHECK (lane IN ('regular', 'priority')),
    business_day    TEXT NOT NULL,
    issued_at       TEXT NOT NULL,
    status          TEXT NOT NULL,
    status_event    INTEGER NOT NULL,
    ticket_json     TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    counter_status  TEXT CHECK (counter_status IN ('called', 'served', 'no_show')),
    counter_name    TEXT,
    counter_at      TEXT
) STRICT;
CREATE INDEX tickets_by_day_queue ON tickets (business_day, queue, issued_at);
CREATE INDEX tickets_by_kiosk_day ON tickets (kiosk, business_day);

-- Every event received, exactly as it will be compared with a resend.
CREATE TABLE events (
    ticket_id    TEXT NOT NULL REFERENCES tickets (id),
    event_id     INTEGER NOT NULL,
    kiosk        TEXT NOT NULL,
    status       TEXT NOT NULL,
    at           TEXT NOT NULL,
    body         TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (ticket_id, event_id)
) STRICT;

-- Events that contradict what was stored: never applied, kept for a person to look at.
CREATE TABLE conflicts (
    id           INTEGER PRIMARY KEY,
    kiosk        TEXT NOT NULL,
    ticket_id    TEXT NOT NULL,
    event_id     INTEGER NOT NULL,
    body         TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    UNIQUE (kiosk, ticket_id, event_id, body)
) STRICT;
CREATE INDEX conflicts_by_kiosk ON conflicts (kiosk);

-- What counters reported, in order.
CREATE TABLE counter_reports (
    id           INTEGER PRIMARY KEY,
    ticket_id    TEXT NOT NULL REFERENCES tickets (id),
    status       TEXT NOT NULL,
    counter      TEXT NOT NULL,
    credential   TEXT NOT NULL,
    at           TEXT NOT NULL
) STRICT;

-- The latest word from each kiosk.
CREATE TABLE kiosks (
    id                     TEXT PRIMARY KEY,
    last_contact_at        TEXT NOT NULL,
    heartbeat_json         TEXT,
    heartbeat_received_at  TEXT
) STRICT;

-- The last catalog file that passed validation, served when the file is broken.
CREATE TABLE published_catalog (
    slot       INTEGER PRIMARY KEY CHECK (slot = 1),
    version    INTEGER NOT NULL,
    json       TEXT NOT NULL,
    stored_at  TEXT NOT NULL
) STRICT;
"#,
    r#"
-- Events refused for good (another kiosk's ticket, an impossible instant): never applied,
-- kept with the reason the kiosk was told, for a person to look at.
CREATE TABLE refusals (
    id           INTEGER PRIMARY KEY,
    kiosk        TEXT NOT NULL,
    ticket_id    TEXT NOT NULL,
    event_id     INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    received_at  TEXT NOT NULL
) STRICT;
CREATE INDEX refusals_by_kiosk ON refusals (kiosk, id);
"#,
    r#"
-- Tickets are keyed by kiosk and id: an id another kiosk pushes is another ticket, never this
-- one. Events and counter reports follow. Conflicts and refusals already carry the kiosk.
-- Tickets also keep their sequence, to find a number printed twice. Old tables are renamed
-- first (foreign keys follow the rename), copied, then dropped children first.
ALTER TABLE tickets RENAME TO tickets_v2;
ALTER TABLE events RENAME TO events_v2;
ALTER TABLE counter_reports RENAME TO counter_reports_v2;

CREATE TABLE tickets (
    kiosk           TEXT NOT NULL,
    id              TEXT NOT NULL,
    number          TEXT NOT NULL,
    queue           TEXT NOT NULL,
    lane            TEXT NOT NULL CHECK (lane IN ('regular', 'priority')),
    sequence        INTEGER NOT NULL,
    business_day    TEXT NOT NULL,
    issued_at       TEXT NOT NULL,
    status          TEXT NOT NULL,
    status_event    INTEGER NOT NULL,
    ticket_json     TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    counter_status  TEXT CHECK (counter_status IN ('called', 'served', 'no_show')),
    counter_name    TEXT,
    counter_at      TEXT,
    PRIMARY KEY (kiosk, id)
) STRICT;
INSERT INTO tickets (kiosk, id, number, queue, lane, sequence, business_day, issued_at,
                     status, status_event, ticket_json, updated_at, counter_status,
                     counter_name, counter_at)
    SELECT kiosk, id, number, queue, lane, json_extract(ticket_json, '$.sequence'),
           business_day, issued_at, status, status_event, ticket_json, updated_at,
           counter_status, counter_name, counter_at
    FROM tickets_v2;

CREATE TABLE events (
    kiosk        TEXT NOT NULL,
    ticket_id    TEXT NOT NULL,
    event_id     INTEGER NOT NULL,
    status       TEXT NOT NULL,
    at           TEXT NOT NULL,
    body         TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (kiosk, ticket_id, event_id),
    FOREIGN KEY (kiosk, ticket_id) REFERENCES tickets (kiosk, id)
) STRICT;
INSERT INTO events (kiosk, ticket_id, event_id, status, at, body, received_at)
    SELECT kiosk, ticket_id, event_id, status, at, body, received_at FROM events_v2;

CREATE TABLE counter_reports (
    id           INTEGER PRIMARY KEY,
    kiosk        TEXT NOT NULL,
    ticket_id    TEXT NOT NULL,
    status       TEXT NOT NULL,
    counter      TEXT NOT NULL,
    credential   TEXT NOT NULL,
    at           TEXT NOT NULL,
    FOREIGN KEY (kiosk, ticket_id) REFERENCES tickets (kiosk, id)
) STRICT;
INSERT INTO counter_reports (id, kiosk, ticket_id, status, counter, credential, at)
    SELECT report.id, ticket.kiosk, report.ticket_id, report.status, report.counter,
           report.credential, report.at
    FROM counter_reports_v2 AS report JOIN tickets_v2 AS ticket ON ticket.id = report.ticket_id;

DROP TABLE counter_reports_v2;
DROP TABLE events_v2;
DROP TABLE tickets_v2;
CREATE INDEX tickets_by_day_queue ON tickets (business_day, queue, issued_at);
CREATE INDEX tickets_by_kiosk_day ON tickets (kiosk, business_day);
CREATE INDEX tickets_by_number ON tickets (business_day, queue, lane, sequence);
CREATE INDEX tickets_by_id ON tickets (id);
"#,
    r#"
-- Numbers that should not exist on paper but do: a second ticket with the day, queue, lane and
-- sequence of another ('duplicate', naming the ticket that had it first), or a ticket outside
-- its kiosk's configured range ('out_of_range', with the range). The ticket is stored anyway.
CREATE TABLE flagged_numbers (
    id               INTEGER PRIMARY KEY,
    problem          TEXT NOT NULL CHECK (problem IN ('duplicate', 'out_of_range')),
    kiosk            TEXT NOT NULL,
    ticket_id        TEXT NOT NULL,
    number           TEXT NOT NULL,
    business_day     TEXT NOT NULL,
    first_kiosk      TEXT,
    first_ticket_id  TEXT,
    range_first      INTEGER,
    range_last       INTEGER,
    found_at         TEXT NOT NULL,
    UNIQUE (problem, kiosk, ticket_id),
    FOREIGN KEY (kiosk, ticket_id) REFERENCES tickets (kiosk, id)
) STRICT;
CREATE INDEX flagged_numbers_by_day ON flagged_numbers (business_day, id);
"#,
    r#"
-- Every ticket page counts the people ahead: an index that holds all the count needs, so a
-- long queue is counted in the index alone, never row by row.
CREATE INDEX tickets_waiting ON tickets
    (business_day, queue, lane, issued_at, kiosk, id, status, counter_status);
"#,
    super::audit_log::MIGRATION,
];

#[derive(Clone, Debug, thiserror::Error)]
pub enum StorageError {
    #[error("cannot open the database {path}: {reason}")]
    Open { path: PathBuf, reason: String },
    #[error("{path} is another program's database, not mpp-central's: point `database` elsewhere")]
    NotOurs { path: PathBuf },
    #[error(
        "the database {path} was written by a newer mpp-central (schema {found}; this program knows up to {known})"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "the database {path} cannot be made durable (journal_mode={journal}, synchronous={synchronous}); is it on a network or read-only file system?"
    )]
    NotDurable {
        path: PathBuf,
        journal: String,
        synchronous: i64,
    },
    #[error("the database {path} is locked by another process")]
    Locked { path: PathBuf },
    #[error("the disk holding {path} is full")]
    DiskFull { path: PathBuf },
    #[error("the database {path} holds a value this program cannot read: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("database error on {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: Arc<rusqlite::Error>,
    },
}

impl StorageError {
    /// The server's words for what SQLite's error means: a file it cannot open, read or
    /// write is an `Open` error with SQLite's reason.
    pub(super) fn classify(path: &Path, error: rusqlite::Error) -> Self {
        let path = path.to_owned();
        match SqliteProblem::classify(&error) {
            SqliteProblem::Locked => StorageError::Locked { path },
            SqliteProblem::DiskFull => StorageError::DiskFull { path },
            SqliteProblem::CannotOpen | SqliteProblem::ReadOnly | SqliteProblem::NotADatabase => {
                StorageError::Open {
                    path,
                    reason: error.to_string(),
                }
            }
            SqliteProblem::Other => StorageError::Sqlite {
                path,
                source: Arc::new(error),
            },
        }
    }

    /// Whether the caller may simply try again later (as opposed to a broken database).
    pub fn is_temporary(&self) -> bool {
        matches!(
            self,
            StorageError::Locked { .. } | StorageError::DiskFull { .. }
        )
    }
}

pub struct Storage {
    pub(super) connection: Connection,
    pub(super) path: PathBuf,
}

impl Storage {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    #[tracing::instrument(skip_all, err, fields(path = %path.display()))]
    pub fn open(path: &Path) -> Result<Self, StorageError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|error| StorageError::Open {
                path: path.to_owned(),
                reason: format!("cannot create the folder {}: {error}", folder.display()),
            })?;
        }
        let connection =
            Connection::open(path).map_err(|error| StorageError::classify(path, error))?;
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
    pub fn open_reader(path: &Path) -> Result<Self, StorageError> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let fail = |error| StorageError::classify(path, error);
        let connection = Connection::open_with_flags(path, flags).map_err(fail)?;
        connection.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        connection
            .pragma_update(None, "query_only", true)
            .map_err(fail)?;
        let journal: String = connection
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .map_err(fail)?;
        if !journal.eq_ignore_ascii_case("wal") {
            return Err(StorageError::NotDurable {
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

    pub(super) fn error(&self, error: rusqlite::Error) -> StorageError {
        StorageError::classify(&self.path, error)
    }

    pub(super) fn corrupt(&self, detail: impl Into<String>) -> StorageError {
        StorageError::Corrupt {
            path: self.path.clone(),
            detail: detail.into(),
        }
    }

    fn configure(&mut self) -> Result<(), StorageError> {
        mpp_common::sqlite::make_durable(&self.connection, APPLICATION_ID, BUSY_TIMEOUT)
            .map_err(|setup| self.setup_error(setup))
    }

    /// Applies the migrations this database lacks, in one transaction; refuses a newer schema.
    fn migrate(&mut self) -> Result<(), StorageError> {
        mpp_common::sqlite::migrate(&mut self.connection, MIGRATIONS)
            .map_err(|setup| self.setup_error(setup))
    }

    fn setup_error(&self, setup: mpp_common::sqlite::Setup) -> StorageError {
        use mpp_common::sqlite::Setup;
        let path = self.path.clone();
        match setup {
            Setup::NotOurs => StorageError::NotOurs { path },
            Setup::NotDurable {
                journal,
                synchronous,
            } => StorageError::NotDurable {
                path,
                journal,
                synchronous,
            },
            Setup::NewerSchema { found, known } => StorageError::NewerSchema { path, found, known },
            Setup::Sqlite(error) => self.error(error),
        }
    }

    /// Folds the write-ahead log into the database file; called on a clean shutdown.
    pub fn checkpoint(&self) -> Result<(), StorageError> {
        self.connection
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|error| self.error(error))
    }

    /// The last catalog that was published and valid, if any.
    pub fn published_catalog(&self) -> Result<Option<String>, StorageError> {
        use rusqlite::OptionalExtension;
        self.connection
            .query_row(
                "SELECT json FROM published_catalog WHERE slot = 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(|error| self.error(error))
    }

    #[tracing::instrument(skip_all, err)]
    pub fn store_published_catalog(
        &mut self,
        version: u64,
        json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let version = i64::try_from(version).map_err(|_| self.corrupt("catalog version"))?;
        self.connection
            .execute(
                "INSERT INTO published_catalog (slot, version, json, stored_at) \
                 VALUES (1, ?1, ?2, ?3) ON CONFLICT (slot) DO UPDATE SET \
                 version = excluded.version, json = excluded.json, stored_at = excluded.stored_at",
                rusqlite::params![version, json, instant_text(now)],
            )
            .map(drop)
            .map_err(|error| self.error(error))
    }
}

/// Instants as fixed-width UTC text, so that text order is time order.
pub fn instant_text(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|instant| instant.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_migrates_once_and_refuses_foreign_files() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("sub/central.db");
        drop(Storage::open(&path).expect("created"));
        let storage = Storage::open(&path).expect("reopened");
        let version: i64 = storage
            .connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .expect("version");
        assert_eq!(version, MIGRATIONS.len() as i64);
        let other = folder.path().join("other.db");
        Connection::open(&other)
            .and_then(|c| c.execute_batch("CREATE TABLE x (y)"))
            .expect("foreign db");
        assert!(matches!(
            Storage::open(&other),
            Err(StorageError::NotOurs { .. })
        ));
    }

    /// A printed ticket of kiosk K1 as version 2 of the schema kept it: row, event, report.
    fn fill_schema_two(connection: &Connection) -> mpp_core::protocol::TicketEvent {
        use mpp_core::numbering::Lane;
        use mpp_core::ticket::{Ticket, TicketStatus};
        let at: DateTime<Utc> = "2026-11-23T02:00:00Z".parse().expect("instant");
        let ticket = Ticket {
            id: "t1".into(),
            number: "DKC-007".into(),
            queue: "DKC".into(),
            lane: Lane::Regular,
            sequence: 7,
            agency: "DUKCAPIL".into(),
            service: "DKC-KTP".into(),
            kiosk: "K1".into(),
            business_day: "2026-11-23".parse().expect("day"),
            issued_at: at,
            people_ahead: Some(0),
            status: TicketStatus::Printed,
            print_count: 1,
            qr_payload: "https://x/t/t1?s=0".into(),
        };
        let event = mpp_core::protocol::TicketEvent {
            event_id: 1,
            status: TicketStatus::Printed,
            reason: None,
            at,
            ticket: ticket.clone(),
        };
        let (json, body) = (
            serde_json::to_string(&ticket).expect("json"),
            serde_json::to_string(&event).expect("json"),
        );
        let at = instant_text(at);
        connection
            .execute_batch(&format!(
                "INSERT INTO tickets (id, kiosk, number, queue, lane, business_day, issued_at, \
                 status, status_event, ticket_json, updated_at, counter_status, counter_name, \
                 counter_at) VALUES ('t1', 'K1', 'DKC-007', 'DKC', 'regular', '2026-11-23', \
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
        event
    }

    #[test]
    fn a_database_at_the_previous_schema_is_upgraded_keeping_its_rows() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("central.db");
        let mut connection = Connection::open(&path).expect("open");
        mpp_common::sqlite::make_durable(&connection, APPLICATION_ID, BUSY_TIMEOUT)
            .expect("durable");
        mpp_common::sqlite::migrate(&mut connection, &MIGRATIONS[..2]).expect("schema 2");
        let event = fill_schema_two(&connection);
        drop(connection);

        let mut storage = Storage::open(&path).expect("upgraded");
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
        let resent = storage
            .apply_batch("K1", None, &[event], &[], Utc::now())
            .expect("resent");
        assert_eq!(resent.duplicates, [1], "exactly once across the upgrade");
        let broken: Vec<String> = storage
            .connection
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut check| check.query_map([], |row| row.get(0))?.collect())
            .expect("check");
        assert!(broken.is_empty(), "{broken:?}");
    }

    #[test]
    fn instants_sort_as_text() {
        let early: DateTime<Utc> = "2026-11-23T02:00:00.5Z".parse().expect("instant");
        let late: DateTime<Utc> = "2026-11-23T02:00:01Z".parse().expect("instant");
        assert!(instant_text(early) < instant_text(late));
        assert_eq!(parse_instant(&instant_text(late)), Some(late));
    }
}
