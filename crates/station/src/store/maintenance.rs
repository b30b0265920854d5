//! The technician's PIN as stored: its Argon2id hash and the pad's lock. The decisions (how
//! many tries, how long a lock) are `mpp_core::maintenance`'s; this is the durable edge. A
//! check is two steps so the slow hash is never computed while the database is held.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::audit::record_audit;
use super::columns::parse_instant;
use super::{Store, StoreError};
use mpp_common::instant;
use mpp_core::maintenance::{Attempt, Gate, PinLock};

/// What the pad may do with an entered PIN.
#[derive(Clone, PartialEq, Eq)]
pub enum PinGate {
    /// No PIN was ever set: the menu stays shut.
    NoPin,
    /// Locked: nothing is checked.
    Locked { minutes_left: u32 },
    /// Compare the PIN with this PHC string, then call [`Store::finish_pin_check`].
    Verify { hash: String },
}

impl std::fmt::Debug for PinGate {
    // The hash is not a secret the way the PIN is, but it has no business in a log either.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PinGate::NoPin => f.write_str("NoPin"),
            PinGate::Locked { minutes_left } => write!(f, "Locked({minutes_left} min)"),
            PinGate::Verify { .. } => f.write_str("Verify"),
        }
    }
}

impl Store {
    /// Stores a new PIN hash (a PHC string) and clears the lock; audited with `by`.
    #[tracing::instrument(skip_all, err)]
    pub fn set_pin_hash(
        &mut self,
        hash: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(TransactionBehavior::Immediate, |transaction| {
            transaction.execute(
                "INSERT INTO maintenance_pin (slot, hash, set_at, failures, lockouts, locked_until)
                 VALUES (1, ?1, ?2, 0, 0, NULL)
                 ON CONFLICT (slot) DO UPDATE SET hash = ?1, set_at = ?2, failures = 0,
                     lockouts = 0, locked_until = NULL",
                params![hash, instant::to_text(now)],
            )?;
            record_audit(transaction, now, "maintenance_pin_set", by, "done")?;
            Ok(())
        })
    }

    /// Whether a PIN is set.
    pub fn has_pin(&self) -> Result<bool, StoreError> {
        Ok(read_pin(&self.connection, &self.path)?.is_some_and(|(hash, _)| hash.is_some()))
    }

    /// The pad's lock as stored (no row yet: nothing counted).
    pub fn pin_lock(&self) -> Result<PinLock, StoreError> {
        Ok(read_pin(&self.connection, &self.path)?
            .map(|(_, lock)| lock)
            .unwrap_or_default())
    }

    /// The first step of a check: whether to compare at all. A locked pad is audited here.
    #[tracing::instrument(skip_all, err)]
    pub fn begin_pin_check(&mut self, now: DateTime<Utc>) -> Result<PinGate, StoreError> {
        let Some((Some(hash), lock)) = read_pin(&self.connection, &self.path)? else {
            let fail = |error| self.error(error);
            record_audit(
                &self.connection,
                now,
                "maintenance_pin",
                "",
                "refused, no PIN set",
            )
            .map_err(fail)?;
            return Ok(PinGate::NoPin);
        };
        match lock.gate(now) {
            Gate::Open { .. } => Ok(PinGate::Verify { hash }),
            Gate::Locked { .. } => {
                let (lock, attempt) = lock.after_check(false, now);
                self.write_check(lock, attempt, now)?;
                let Attempt::StillLocked { minutes_left } = attempt else {
                    unreachable!("a locked gate only ever says still locked")
                };
                Ok(PinGate::Locked { minutes_left })
            }
        }
    }

    /// The second step: the comparison's result counted against the lock as it is now (read
    /// again after the slow comparison), written with its audit entry in one transaction.
    #[tracing::instrument(skip_all, err)]
    pub fn finish_pin_check(
        &mut self,
        right: bool,
        now: DateTime<Utc>,
    ) -> Result<Attempt, StoreError> {
        let lock = self.pin_lock()?;
        let (lock, attempt) = lock.after_check(right, now);
        self.write_check(lock, attempt, now)?;
        Ok(attempt)
    }

    fn write_check(
        &mut self,
        lock: PinLock,
        attempt: Attempt,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(TransactionBehavior::Immediate, |transaction| {
            transaction.execute(
                "UPDATE maintenance_pin SET failures = ?1, lockouts = ?2, locked_until = ?3
                 WHERE slot = 1",
                params![
                    lock.failures,
                    lock.lockouts,
                    lock.locked_until.map(instant::to_text)
                ],
            )?;
            record_audit(transaction, now, "maintenance_pin", "", attempt.outcome())?;
            Ok(())
        })
    }
}

type PinRow = (Option<String>, PinLock);

fn read_pin(connection: &Connection, path: &std::path::Path) -> Result<Option<PinRow>, StoreError> {
    let row: Option<(Option<String>, u32, u32, Option<String>)> = connection
        .query_row(
            "SELECT hash, failures, lockouts, locked_until FROM maintenance_pin WHERE slot = 1",
            [],
            |row| row.try_into(),
        )
        .optional()
        .map_err(|error| StoreError::classify(path, error))?;
    let Some((hash, failures, lockouts, locked_until)) = row else {
        return Ok(None);
    };
    let locked_until = locked_until
        .map(|text| parse_instant(&text, path))
        .transpose()?;
    Ok(Some((
        hash,
        PinLock {
            failures,
            lockouts,
            locked_until,
        },
    )))
}
