//! Staff sign-ins kept on the server: a random 256-bit session id per sign-in (the cookie holds
//! it, the server only its SHA-256), each with an end. They live in memory and are bounded: a
//! restart signs everyone out.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use mpp_common::mutex::lock;

/// Most sessions kept; past it the one ending soonest is dropped.
const MOST_SESSIONS: usize = 1024;

#[derive(Debug, thiserror::Error)]
#[error("the system gave no random bytes for a session id: {0}")]
pub struct NoRandomness(String);

pub struct Sessions {
    lifetime: Duration,
    /// SHA-256 of each session id, and when the session ends.
    ends: Mutex<HashMap<[u8; 32], Instant>>,
}

impl Sessions {
    pub fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            ends: Mutex::new(HashMap::new()),
        }
    }

    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// A new session from `now`; its id (64 hex digits) goes into the cookie.
    pub fn open(&self, now: Instant) -> Result<String, NoRandomness> {
        let mut id = [0u8; 32];
        getrandom::fill(&mut id).map_err(|error| NoRandomness(error.to_string()))?;
        let hex: String = id.iter().map(|byte| format!("{byte:02x}")).collect();
        let mut ends = lock(&self.ends);
        ends.retain(|_, end| *end > now);
        if ends.len() >= MOST_SESSIONS {
            let soonest = ends
                .iter()
                .min_by_key(|(_, end)| **end)
                .map(|(key, _)| *key);
            if let Some(soonest) = soonest {
                ends.remove(&soonest);
            }
        }
        ends.insert(key(&hex), now + self.lifetime);
        Ok(hex)
    }

    /// Whether `id` is a session that has not ended at `now`.
    pub fn is_open(&self, id: &str, now: Instant) -> bool {
        lock(&self.ends).get(&key(id)).is_some_and(|end| *end > now)
    }

    /// Ends the session `id`, if there is one.
    pub fn close(&self, id: &str) {
        lock(&self.ends).remove(&key(id));
    }
}

fn key(id: &str) -> [u8; 32] {
    Sha256::digest(id.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_random_end_on_time_and_on_logout() {
        let sessions = Sessions::new(Duration::from_secs(3600));
        let now = Instant::now();
        let first = sessions.open(now).expect("session");
        let second = sessions.open(now).expect("session");
        assert_eq!(first.len(), 64);
        assert_ne!(first, second);
        assert!(sessions.is_open(&first, now + Duration::from_secs(3599)));
        assert!(!sessions.is_open(&first, now + Duration::from_secs(3600)));
        assert!(!sessions.is_open("not a session", now));
        sessions.close(&second);
        assert!(!sessions.is_open(&second, now));
    }

    #[test]
    fn the_table_of_sessions_stays_bounded() {
        let sessions = Sessions::new(Duration::from_secs(60));
        let start = Instant::now();
        let first = sessions.open(start).expect("session");
        for n in 1..=MOST_SESSIONS as u64 {
            sessions
                .open(start + Duration::from_millis(n))
                .expect("session");
        }
        assert_eq!(lock(&sessions.ends).len(), MOST_SESSIONS);
        assert!(!sessions.is_open(&first, start), "the soonest to end went");
    }
}
