//! What can go wrong with the store, in words a technician can act on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use mpp_common::sqlite::SqliteProblem;
use mpp_core::ids::{QueueCode, ServiceCode, TicketId};
use mpp_core::lang::Language;
use mpp_core::numbering::NumberRange;
use mpp_core::protocol::DayDoubt;
use mpp_core::schedule::Closure;
use mpp_core::strings::closure_text;
use mpp_core::ticket::TicketStatus;

use super::clock_kind::ClockKind;

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
        "{path} is not a database (the file is damaged or something else): move it and its -wal and -shm files aside and start again; leave the numbers record beside it, so numbering goes on after the numbers already given"
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
    #[error(
        "the business day is in doubt: the numbers are on {}, the clock says {}{}; {}",
        .0.held_day, .0.clock_day,
        .0.server_day.map(|day| format!(", the server's clock {day}")).unwrap_or_default(),
        doubt_advice(.0)
    )]
    DayInDoubt(DayDoubt),
    #[error(
        "this kiosk's clock says {clock_day} but the server's says {server_day}: set the clock right (timedatectl set-ntp true), settling the day cannot fix a wrong clock"
    )]
    ClockWrong {
        clock_day: NaiveDate,
        server_day: NaiveDate,
    },
    #[error(
        "the database {path} is new and nothing says where today's numbers stand yet (no numbers record beside it, the server not reached): the kiosk asks the server when it syncs; if the server cannot be reached, run `mpp-kiosk day start-at N` with the number after the last one printed today"
    )]
    NumbersUnknown { path: PathBuf },
    #[error(
        "{first} is outside this kiosk's numbers ({}–{}): give a number inside kiosk.number_range",
        range.first, range.last
    )]
    StartOutsideRange { first: u32, range: NumberRange },
    #[error("{}", other_clock_text(path, *database))]
    OtherClock { path: PathBuf, database: ClockKind },
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

fn doubt_advice(doubt: &DayDoubt) -> &'static str {
    match doubt.server_day {
        Some(server_day) if server_day != doubt.clock_day => {
            "set the clock right (timedatectl set-ntp true); nothing is issued until it agrees with the server's"
        }
        _ => {
            "nothing is issued until a technician checks the clock and runs `mpp-kiosk day settle` (numbers already given stay taken)"
        }
    }
}

fn other_clock_text(path: &Path, database: ClockKind) -> String {
    let path = path.display();
    match database {
        ClockKind::Real => format!(
            "{path} holds real tickets: a rehearsal with a pretend clock (--now) never writes there; give the rehearsal its own database (storage.database in a copy of kiosk.toml)"
        ),
        ClockKind::Rehearsal => format!(
            "{path} was used for a rehearsal with a pretend clock (--now): real tickets never go there; point storage.database at a new file"
        ),
    }
}
