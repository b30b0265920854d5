//! What can go wrong with the store, in words a technician can act on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use mpp_common::sqlite::SqliteProblem;
use mpp_core::ids::{QueueCode, ServiceCode, TicketId};
use mpp_core::lang::Language;
use mpp_core::numbering::NumberRange;
use mpp_core::schedule::Closure;
use mpp_core::strings::closure_text;
use mpp_core::ticket::TicketStatus;

#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {reason}")]
    Open { path: PathBuf, reason: String },
    #[error(
        "the database {path} is read-only: the kiosk must be able to write tickets (check the file's permissions and the disk)"
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "the database {path} is locked by another process (is another kiosk or a technician's command using it?)"
    )]
    Locked { path: PathBuf },
    #[error(
        "{path} is not a database (the file is damaged or something else): move it aside and start again"
    )]
    NotADatabase { path: PathBuf },
    #[error(
        "{path} is another program's database, not mpp-kiosk's: point storage.database elsewhere"
    )]
    NotOurs { path: PathBuf },
    #[error(
        "the database {path} was written by a newer mpp-kiosk (schema {found}; this program knows up to {known})"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "the database {path} cannot keep tickets durable (journal_mode={journal}, synchronous={synchronous}); is it on a network or read-only file system?"
    )]
    NotDurable {
        path: PathBuf,
        journal: String,
        synchronous: i64,
    },
    #[error("the disk holding {path} is full: free space so tickets can be saved")]
    DiskFull { path: PathBuf },
    #[error("no service has the code {0:?} in the catalog")]
    UnknownService(ServiceCode),
    #[error("service {0} does not offer priority numbers")]
    NoPriority(ServiceCode),
    #[error("service {service} gives no numbers now: {}", closure_text(closure, *day, Language::English))]
    Closed {
        service: ServiceCode,
        day: NaiveDate,
        closure: Closure,
    },
    #[error(
        "this kiosk has given out all its numbers ({}–{}) in queue {queue} today: ask a technician to widen kiosk.number_range",
        range.first, range.last
    )]
    RangeExhausted {
        queue: QueueCode,
        range: NumberRange,
    },
    #[error("no ticket {0}")]
    UnknownTicket(String),
    #[error("ticket {id} is {} and cannot become {}", from.as_str(), to.as_str())]
    BadTransition {
        id: TicketId,
        from: TicketStatus,
        to: TicketStatus,
    },
    #[error("the database {path} holds a value this program cannot read: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("database error on {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: Arc<rusqlite::Error>,
    },
}

impl StoreError {
    /// Turns SQLite's codes into the few situations a technician can do something about.
    pub(crate) fn classify(path: &Path, error: rusqlite::Error) -> Self {
        let path = path.to_owned();
        match SqliteProblem::classify(&error) {
            SqliteProblem::Locked => StoreError::Locked { path },
            SqliteProblem::ReadOnly => StoreError::ReadOnly { path },
            SqliteProblem::NotADatabase => StoreError::NotADatabase { path },
            SqliteProblem::DiskFull => StoreError::DiskFull { path },
            SqliteProblem::CannotOpen => StoreError::Open {
                path,
                reason: error.to_string(),
            },
            SqliteProblem::Other => StoreError::Sqlite {
                path,
                source: Arc::new(error),
            },
        }
    }
}
