//! What the kiosk's store and the central server's storage share about SQLite: a durable
//! connection (WAL, `synchronous=FULL`, checked after setting) that is ours, migrations, and
//! the few situations behind SQLite's error codes that a person can act on.

use std::time::Duration;

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

/// What a SQLite error means for whoever runs the program; each program words its own advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqliteProblem {
    /// Another connection holds the file (busy or locked): worth trying again.
    Locked,
    /// The file or its folder cannot be written.
    ReadOnly,
    /// The file is damaged or is not a SQLite database at all.
    NotADatabase,
    /// No room left on the disk.
    DiskFull,
    /// The file cannot be opened (missing folder, permissions).
    CannotOpen,
    /// Anything else: a bug or a damaged file, reported as SQLite says it.
    Other,
}

impl SqliteProblem {
    pub fn classify(error: &rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => SqliteProblem::Locked,
            Some(ErrorCode::ReadOnly) => SqliteProblem::ReadOnly,
            Some(ErrorCode::NotADatabase) => SqliteProblem::NotADatabase,
            Some(ErrorCode::DiskFull) => SqliteProblem::DiskFull,
            Some(ErrorCode::CannotOpen) => SqliteProblem::CannotOpen,
            _ => SqliteProblem::Other,
        }
    }
}

/// Why a connection could not be made safe to keep tickets in.
#[derive(Debug)]
pub enum Setup {
    /// Another program's database (a different `application_id`, or tables without one).
    NotOurs,
    /// WAL or full sync could not be set (network or read-only file system).
    NotDurable {
        journal: String,
        synchronous: i64,
    },
    /// The database is newer than this program.
    NewerSchema {
        found: i64,
        known: i64,
    },
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for Setup {
    fn from(error: rusqlite::Error) -> Self {
        Setup::Sqlite(error)
    }
}

/// Sets up `connection` for durable writes and marks the file as `application_id`'s.
pub fn make_durable(
    connection: &Connection,
    application_id: i32,
    busy_timeout: Duration,
) -> Result<(), Setup> {
    connection.busy_timeout(busy_timeout)?;
    // Reading the schema first tells "not a database" apart from everything else.
    let found_id: i32 = connection.pragma_query_value(None, "application_id", |row| row.get(0))?;
    let tables: i64 =
        connection.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))?;
    if found_id != application_id && (found_id != 0 || tables > 0) {
        return Err(Setup::NotOurs);
    }
    let journal: String =
        connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    let synchronous: i64 = connection.pragma_query_value(None, "synchronous", |row| row.get(0))?;
    if !journal.eq_ignore_ascii_case("wal") || synchronous != 2 {
        return Err(Setup::NotDurable {
            journal,
            synchronous,
        });
    }
    connection.pragma_update(None, "foreign_keys", "ON")?;
    if found_id == 0 {
        connection.pragma_update(None, "application_id", application_id)?;
    }
    Ok(())
}

/// Applies the migrations the database lacks, in one transaction, counted in `user_version`.
/// A database from a newer program is left untouched.
pub fn migrate(connection: &mut Connection, migrations: &[&str]) -> Result<(), Setup> {
    let found: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let known = migrations.len() as i64;
    if found > known {
        return Err(Setup::NewerSchema { found, known });
    }
    if found == known {
        return Ok(());
    }
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (index, sql) in migrations.iter().enumerate().skip(found.max(0) as usize) {
        transaction.execute_batch(sql)?;
        transaction.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    Ok(transaction.commit()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_newer_schemas_are_refused() {
        let mut connection = Connection::open_in_memory().expect("memory db");
        let migrations = ["CREATE TABLE a (x INTEGER);", "CREATE TABLE b (y INTEGER);"];
        migrate(&mut connection, &migrations).expect("first run");
        migrate(&mut connection, &migrations).expect("second run is a no-op");
        let version: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .expect("version");
        assert_eq!(version, 2);
        let refused = migrate(&mut connection, &migrations[..1]).expect_err("newer");
        assert!(matches!(refused, Setup::NewerSchema { found: 2, known: 1 }));
    }

    #[test]
    fn errors_are_classified_by_their_code() {
        let coded = |code| {
            rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some("x".into()))
        };
        let cases = [
            (rusqlite::ffi::SQLITE_BUSY, SqliteProblem::Locked),
            (rusqlite::ffi::SQLITE_LOCKED, SqliteProblem::Locked),
            (rusqlite::ffi::SQLITE_READONLY, SqliteProblem::ReadOnly),
            (rusqlite::ffi::SQLITE_NOTADB, SqliteProblem::NotADatabase),
            (rusqlite::ffi::SQLITE_FULL, SqliteProblem::DiskFull),
            (rusqlite::ffi::SQLITE_CANTOPEN, SqliteProblem::CannotOpen),
            (rusqlite::ffi::SQLITE_CONSTRAINT, SqliteProblem::Other),
        ];
        for (code, problem) in cases {
            assert_eq!(SqliteProblem::classify(&coded(code)), problem, "{code}");
        }
        let folder = tempfile::tempdir().expect("temp dir");
        let garbage = folder.path().join("garbage.db");
        std::fs::write(&garbage, [7u8; 4096]).expect("write");
        let error = Connection::open(&garbage)
            .and_then(|c| c.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())))
            .expect_err("not a database");
        assert_eq!(SqliteProblem::classify(&error), SqliteProblem::NotADatabase);
        assert_eq!(
            SqliteProblem::classify(&rusqlite::Error::QueryReturnedNoRows),
            SqliteProblem::Other
        );
    }

    #[test]
    fn another_programs_database_is_not_ours() {
        let connection = Connection::open_in_memory().expect("memory db");
        connection
            .execute_batch("CREATE TABLE invoices (id INTEGER)")
            .expect("table");
        let refused =
            make_durable(&connection, 0x1234, Duration::from_secs(1)).expect_err("refused");
        assert!(matches!(refused, Setup::NotOurs));
    }
}
