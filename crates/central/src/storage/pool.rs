//! Connections in a pool: the reads on their own connections (a few read-only SQLite
//! connections, which WAL lets read beside the one writer, or PostgreSQL connections), so the
//! ticket page, the queues, the numbers and the fleet page never wait behind a batch being
//! written; and the writers (SQLite: one; PostgreSQL: several). Waiting for a free connection
//! is asynchronous; the database work runs on the blocking pool.

use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;

use crate::storage::error::DbError;
use mpp_common::mutex::lock;

/// Read connections: two cores read no faster with more.
pub const READERS: usize = 4;
/// PostgreSQL connections for writing: batches of different MPPs are written side by side.
pub const PG_WRITERS: usize = 4;

pub struct Pool<C> {
    idle: Mutex<Vec<C>>,
    permits: Arc<Semaphore>,
}

/// Why a piece of database work did not happen.
#[derive(Debug)]
pub enum ReadFailure {
    Sqlite(DbError),
    /// The work panicked or was cancelled.
    Task(String),
}

impl<C: Send + 'static> Pool<C> {
    /// A pool of these connections.
    pub fn new(connections: Vec<C>) -> Self {
        let count = connections.len();
        Self {
            idle: Mutex::new(connections),
            permits: Arc::new(Semaphore::new(count)),
        }
    }

    /// Runs `work` on a free connection, waiting (without blocking a thread) for one.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> Result<T, ReadFailure>
    where
        T: Send + 'static,
        F: FnOnce(&mut C) -> Result<T, DbError> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|error| ReadFailure::Task(error.to_string()))?;
        let pool = Arc::clone(self);
        let done = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut borrowed = Borrowed::take(&pool)?;
            work(borrowed.connection())
        })
        .await;
        match done {
            Ok(result) => result.map_err(ReadFailure::Sqlite),
            Err(error) => Err(ReadFailure::Task(error.to_string())),
        }
    }

    /// Runs `work` on a free connection, blocking this thread until one is free: for work
    /// already on the blocking pool.
    pub fn run_blocking<T>(&self, work: impl FnOnce(&mut C) -> T) -> Result<T, DbError> {
        let permit = loop {
            match self.permits.try_acquire() {
                Ok(permit) => break permit,
                Err(tokio::sync::TryAcquireError::Closed) => {
                    return Err(no_connection());
                }
                Err(tokio::sync::TryAcquireError::NoPermits) => {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
            }
        };
        let mut borrowed = Borrowed::take(self)?;
        let value = work(borrowed.connection());
        drop(borrowed);
        drop(permit);
        Ok(value)
    }
}

fn no_connection() -> DbError {
    DbError::Corrupt {
        path: "database connections".into(),
        detail: "no idle connection behind a permit".into(),
    }
}

/// A connection taken from the pool, put back when dropped (even by a panicking job).
struct Borrowed<'a, C> {
    pool: &'a Pool<C>,
    connection: Option<C>,
}

impl<'a, C> Borrowed<'a, C> {
    fn take(pool: &'a Pool<C>) -> Result<Self, DbError> {
        // A permit was granted, so a connection is idle.
        let connection = lock(&pool.idle).pop();
        match connection {
            Some(connection) => Ok(Self {
                pool,
                connection: Some(connection),
            }),
            None => Err(no_connection()),
        }
    }

    fn connection(&mut self) -> &mut C {
        self.connection
            .as_mut()
            .expect("present until the borrow ends")
    }
}

impl<C> Drop for Borrowed<'_, C> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            lock(&self.pool.idle).push(connection);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::storage::sqlite::Sqlite;

    #[tokio::test]
    async fn reads_run_beside_a_writer_holding_the_write_lock_and_cannot_write() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("central.db");
        let mut writer = Sqlite::open(&path).expect("writer");
        let connections = (0..2).map(|_| Sqlite::open_reader(&path).expect("reader"));
        let readers = Arc::new(Pool::new(connections.collect()));
        let transaction = writer
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .expect("write lock");
        transaction
            .execute(
                "INSERT INTO kiosks (id, last_contact_at) VALUES ('K1', 'x')",
                [],
            )
            .expect("insert");
        let started = std::time::Instant::now();
        let seen = readers
            .run(|storage: &mut Sqlite| {
                storage
                    .connection
                    .query_row("SELECT count(*) FROM kiosks", [], |row| {
                        row.get::<_, i64>(0)
                    })
                    .map_err(|error| storage.error(error))
            })
            .await
            .expect("read");
        assert_eq!(seen, 0, "the last commit, not the write in progress");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        transaction.commit().expect("commit");
        let refused = readers
            .run(|storage: &mut Sqlite| {
                storage
                    .connection
                    .execute("DELETE FROM kiosks", [])
                    .map_err(|error| storage.error(error))
            })
            .await;
        assert!(refused.is_err(), "a read connection never writes");
        assert_eq!(lock(&readers.idle).len(), 2, "every connection came back");
    }
}
