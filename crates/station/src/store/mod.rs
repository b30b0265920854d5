//! The kiosk's SQLite store: tickets with their history, the outbox for sync, the last good
//! catalog. A ticket on paper is a committed ticket: WAL with `synchronous=FULL`, checked at open.

mod audit;
mod business_day;
mod catalog_cache;
mod clock_kind;
mod closure_outbox;
mod closures;
mod columns;
mod error;
mod figures;
mod maintenance;
mod meta;
mod migrations;
mod numbering;
pub mod numbers_record;
mod outbox;
mod outbox_marks;
mod survey;
mod tickets;

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use mpp_common::sqlite;

pub use audit::AuditEntry;
pub use business_day::Settled;
pub use clock_kind::ClockKind;
pub use error::StoreError;
pub use figures::{DaySummary, LiveCounts, ServiceCount};
pub use maintenance::PinGate;
pub use numbering::{Floor, NumberingOrigin, NumberingPlan};
pub use outbox::{OutboxDepth, OutboxRow, RefusedRow};
pub use survey::{NewResponse, Recorded, UnsentSurvey};
pub use tickets::{HistoryEntry, IssueSettings, QueueNow};

/// Marks a SQLite file as ours (`MPPK`), so another program's database is never written to.
const APPLICATION_ID: i32 = 0x4D50_504B;
/// How long to wait for another writer (a technician's command) before reporting a lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

pub struct Store {
    connection: Connection,
    path: PathBuf,
    /// The numbers record raised on every issue (set by `prepare_numbering`).
    numbers_record: numbers_record::RecordTarget,
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
            numbers_record: None,
        };
        store.configure()?;
        sqlite::migrate(&mut store.connection, migrations::MIGRATIONS)
            .map_err(|setup| store.setup_error(setup))?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::classify(&self.path, error)
    }

    fn configure(&mut self) -> Result<(), StoreError> {
        sqlite::make_durable(&self.connection, APPLICATION_ID, BUSY_TIMEOUT)
            .map_err(|setup| self.setup_error(setup))
    }

    fn setup_error(&self, setup: sqlite::Setup) -> StoreError {
        let path = self.path.clone();
        match setup {
            sqlite::Setup::NotOurs => StoreError::NotOurs { path },
            sqlite::Setup::NotDurable {
                journal,
                synchronous,
            } => StoreError::NotDurable {
                path,
                journal,
                synchronous,
            },
            sqlite::Setup::NewerSchema { found, known } => {
                StoreError::NewerSchema { path, found, known }
            }
            sqlite::Setup::Sqlite(error) => self.error(error),
        }
    }

    /// Runs `work` in one transaction (`BEGIN IMMEDIATE` with `Immediate`) and commits what
    /// it wrote when it succeeds; when it fails, nothing it wrote stays.
    fn write<T>(
        &mut self,
        behavior: TransactionBehavior,
        work: impl FnOnce(&Writing<'_>) -> Result<T, Failure>,
    ) -> Result<T, StoreError> {
        let path = self.path.as_path();
        let fail = |error| StoreError::classify(path, error);
        let transaction = self
            .connection
            .transaction_with_behavior(behavior)
            .map_err(fail)?;
        let writing = Writing { transaction, path };
        let value = work(&writing).map_err(|failure| match failure {
            Failure::Sqlite(error) => fail(error),
            Failure::Store(error) => error,
        })?;
        writing.transaction.commit().map_err(fail)?;
        Ok(value)
    }

    /// Runs `sql` once for each of `rows` (its parameters), all in one transaction.
    fn execute_each<P: rusqlite::Params>(
        &mut self,
        sql: &str,
        rows: impl IntoIterator<Item = P>,
    ) -> Result<(), StoreError> {
        self.write(TransactionBehavior::Deferred, |transaction| {
            let mut statement = transaction.prepare(sql)?;
            for parameters in rows {
                statement.execute(parameters)?;
            }
            Ok(())
        })
    }

    /// Runs a query and collects every row, with SQLite's errors turned into the store's.
    fn all_rows<T>(
        &self,
        sql: &str,
        parameters: impl rusqlite::Params,
        row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut statement = self
            .connection
            .prepare(sql)
            .map_err(|error| self.error(error))?;
        statement
            .query_map(parameters, row)
            .and_then(|rows| rows.collect())
            .map_err(|error| self.error(error))
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

/// A write transaction under way (it derefs to the transaction), and the file it writes.
struct Writing<'a> {
    transaction: Transaction<'a>,
    path: &'a Path,
}

impl<'a> Deref for Writing<'a> {
    type Target = Transaction<'a>;

    fn deref(&self) -> &Transaction<'a> {
        &self.transaction
    }
}

/// What stops the work of a write transaction: SQLite's error (named with the file when the
/// transaction ends) or the store's own.
enum Failure {
    Sqlite(rusqlite::Error),
    Store(StoreError),
}

impl From<rusqlite::Error> for Failure {
    fn from(error: rusqlite::Error) -> Self {
        Failure::Sqlite(error)
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Failure::Store(error)
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
