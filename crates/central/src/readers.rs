//! Reads on their own connections: a few read-only SQLite connections (WAL lets them read
//! beside the one writer), so the ticket page, the queues, the numbers and the fleet page never
//! wait behind a batch being written. Waiting for a free connection is asynchronous; the
//! SQLite work runs on the blocking pool.

use std::path::Path;
use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;

use super::published::lock;
use super::storage::{Storage, StorageError};

/// Read connections: two cores read no faster with more.
pub const READERS: usize = 4;

pub struct Readers {
    idle: Mutex<Vec<Storage>>,
    permits: Arc<Semaphore>,
}

/// Why a read did not happen.
#[derive(Debug)]
pub enum ReadFailure {
    Storage(StorageError),
    /// The read panicked or was cancelled.
    Task(String),
}

impl Readers {
    /// Opens `count` read-only connections to the database the writer opened at `path`.
    pub fn open(path: &Path, count: usize) -> Result<Self, StorageError> {
        let connections = (0..count)
            .map(|_| Storage::open_reader(path))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            idle: Mutex::new(connections),
            permits: Arc::new(Semaphore::new(count)),
        })
    }

    /// Runs `work` on a free read connection, waiting (without blocking a thread) for one.
    pub async fn read<T, F>(self: &Arc<Self>, work: F) -> Result<T, ReadFailure>
    where
        T: Send + 'static,
        F: FnOnce(&Storage) -> Result<T, StorageError> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|error| ReadFailure::Task(error.to_string()))?;
        let readers = Arc::clone(self);
        let done = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let borrowed = Borrowed::take(&readers)?;
            work(borrowed.storage())
        })
        .await;
        match done {
            Ok(result) => result.map_err(ReadFailure::Storage),
            Err(error) => Err(ReadFailure::Task(error.to_string())),
        }
    }
}

/// A connection taken from the pool, put back when dropped (even by a panicking read).
struct Borrowed<'a> {
    readers: &'a Readers,
    storage: Option<Storage>,
}

impl<'a> Borrowed<'a> {
    fn take(readers: &'a Readers) -> Result<Self, StorageError> {
        // A permit was granted, so a connection is idle.
        let storage = lock(&readers.idle).pop();
        match storage {
            Some(storage) => Ok(Self {
                readers,
                storage: Some(storage),
            }),
            None => Err(StorageError::Corrupt {
                path: "read connections".into(),
                detail: "no idle read connection behind a permit".into(),
            }),
        }
    }

    fn storage(&self) -> &Storage {
        self.storage
            .as_ref()
            .expect("present until the borrow ends")
    }
}

impl Drop for Borrowed<'_> {
    fn drop(&mut self) {
        if let Some(storage) = self.storage.take() {
            lock(&self.readers.idle).push(storage);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_run_beside_a_writer_holding_the_write_lock_and_cannot_write() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("central.db");
        let mut writer = Storage::open(&path).expect("writer");
        let readers = Arc::new(Readers::open(&path, 2).expect("readers"));
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
            .read(|storage| {
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
            .read(|storage| {
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
