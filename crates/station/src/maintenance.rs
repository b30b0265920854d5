//! The technician's PIN, shared by the screen's pad and `mpp-kiosk maintenance set-pin`: an
//! Argon2id hash in the kiosk's database, never the PIN itself, checked against the lock the
//! store keeps. Slow by design (about a fifth of a second), so callers run it off the UI thread.

use std::fmt;
use std::sync::Mutex;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Utc};

use crate::store::{PinGate, Store, StoreError};
use mpp_core::maintenance::{Attempt, PinProblem, check_new_pin};

/// Argon2id memory in KiB, passes and lanes: ~0.2 s a check on the kiosk's class of CPU
/// (measured, see README), so a stolen database gives up a 4-digit PIN slowly and the pad's
/// lock guards the screen.
const MEMORY_KIB: u32 = 64 * 1024;
const PASSES: u32 = 3;
const LANES: u32 = 1;

/// A PIN as typed: never printed, never logged (`Debug` shows only its length).
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    pub fn new(digits: impl Into<String>) -> Self {
        Self(digits.into())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entry with one more digit (0–9).
    pub fn with_digit(&self, digit: u8) -> String {
        let mut digits = self.0.clone();
        digits.push(char::from(b'0' + digit.min(9)));
        digits
    }

    /// The entry with its last digit taken off.
    pub fn without_last(&self) -> String {
        let mut digits = self.0.clone();
        digits.pop();
        digits
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pin({} digits)", self.0.len())
    }
}

#[derive(Clone, Debug, thiserror::Error)]
pub enum PinError {
    #[error("this PIN cannot be used: {0}")]
    Refused(#[from] PinProblem),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the PIN could not be hashed: {0}")]
    Hash(String),
    #[error("the PIN store was held by a thread that panicked")]
    Poisoned,
}

/// What a check on the pad ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinCheck {
    /// No PIN was ever set (`mpp-kiosk maintenance set-pin`).
    NoPin,
    Done(Attempt),
}

fn hasher() -> Result<Argon2<'static>, PinError> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None)
        .map_err(|error| PinError::Hash(error.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The PHC string of `pin` (Argon2id, a fresh random salt), after checking it may be used.
pub fn hash_pin(pin: &Pin) -> Result<String, PinError> {
    check_new_pin(&pin.0)?;
    let salt = SaltString::generate(&mut OsRng);
    hasher()?
        .hash_password(pin.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| PinError::Hash(error.to_string()))
}

/// Whether `pin` matches the PHC string `hash` (with the parameters stored in it). A hash that
/// does not parse matches nothing.
pub fn pin_matches(pin: &Pin, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok(),
        Err(error) => {
            tracing::error!(%error, "the stored PIN hash is unreadable: set the PIN again");
            false
        }
    }
}

/// Sets a new PIN after checking it; `by` says who in the audit log (`command line`, `menu`).
pub fn set_pin(store: &mut Store, pin: &Pin, by: &str, now: DateTime<Utc>) -> Result<(), PinError> {
    let hash = hash_pin(pin)?;
    store.set_pin_hash(&hash, by, now)?;
    Ok(())
}

/// Checks `pin` against the stored hash and lock, holding the store only to read and to record:
/// the slow comparison runs with the store free for visitors' tickets.
pub fn check_pin(
    store: &Mutex<Store>,
    pin: &Pin,
    now: impl Fn() -> DateTime<Utc>,
) -> Result<PinCheck, PinError> {
    let gate = store
        .lock()
        .map_err(|_| PinError::Poisoned)?
        .begin_pin_check(now())?;
    let hash = match gate {
        PinGate::NoPin => return Ok(PinCheck::NoPin),
        PinGate::Locked { minutes_left } => {
            return Ok(PinCheck::Done(Attempt::StillLocked { minutes_left }));
        }
        PinGate::Verify { hash } => hash,
    };
    let right = pin_matches(pin, &hash);
    let attempt = store
        .lock()
        .map_err(|_| PinError::Poisoned)?
        .finish_pin_check(right, now())?;
    tracing::info!(outcome = attempt.outcome(), "maintenance PIN checked");
    Ok(PinCheck::Done(attempt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_matches_its_pin_only_and_never_holds_it() {
        let pin = Pin::new("2468");
        let hash = hash_pin(&pin).expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"),
            "{hash}"
        );
        assert!(!hash.contains("2468"));
        assert!(pin_matches(&pin, &hash));
        assert!(!pin_matches(&Pin::new("2469"), &hash));
        assert!(!pin_matches(&pin, "not a hash"));
        assert_ne!(
            hash,
            hash_pin(&pin).expect("hash"),
            "a fresh salt each time"
        );
    }

    #[test]
    fn trivial_pins_are_not_hashed_and_debug_hides_the_digits() {
        let refused = hash_pin(&Pin::new("1234")).expect_err("trivial");
        assert!(matches!(refused, PinError::Refused(PinProblem::Sequence)));
        assert_eq!(format!("{:?}", Pin::new("7391")), "Pin(4 digits)");
    }
}
