//! What can go wrong with the database, whichever backend: each kind says whether trying again
//! later may work (answered 503) or a person must act (500, and the log says what).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use mpp_common::sqlite::SqliteProblem;

#[derive(Clone, Debug, thiserror::Error)]
pub enum DbError {
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
    #[error("the database server {server}: {detail}")]
    Postgres {
        /// Its address without user or password.
        server: String,
        detail: String,
        /// Whether trying again later may work (the server away, restarting or busy).
        temporary: bool,
    },
    #[error("database error on {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: Arc<rusqlite::Error>,
    },
}

impl DbError {
    /// The server's words for what SQLite's error means: a file it cannot open, read or
    /// write is an `Open` error with SQLite's reason.
    pub(crate) fn classify(path: &Path, error: rusqlite::Error) -> Self {
        let path = path.to_owned();
        match SqliteProblem::classify(&error) {
            SqliteProblem::Locked => DbError::Locked { path },
            SqliteProblem::DiskFull => DbError::DiskFull { path },
            SqliteProblem::CannotOpen | SqliteProblem::ReadOnly | SqliteProblem::NotADatabase => {
                DbError::Open {
                    path,
                    reason: error.to_string(),
                }
            }
            SqliteProblem::Other => DbError::Sqlite {
                path,
                source: Arc::new(error),
            },
        }
    }

    /// Whether the caller may simply try again later (as opposed to a broken database).
    pub fn is_temporary(&self) -> bool {
        matches!(
            self,
            DbError::Locked { .. }
                | DbError::DiskFull { .. }
                | DbError::Postgres {
                    temporary: true,
                    ..
                }
        )
    }
}

/// The error for a value a database holds (or is handed) that this program cannot read (or
/// write), naming the database.
pub trait Corrupt {
    fn corrupt(&self, detail: String) -> DbError;
}
