//! Staff sign-ins kept on the server: a random 256-bit session id per sign-in (the cookie holds
//! it, the server only its SHA-256), each with an end; and the limiter that allows each client
//! address a few sign-in attempts a minute. Both live in memory and are bounded: a restart
//! signs everyone out.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use mpp_common::mutex::lock;

/// Most sessions kept; past it the one ending soonest is dropped.
const MOST_SESSIONS: usize = 1024;
/// Sign-in attempts allowed per client address per [`ATTEMPT_WINDOW`].
pub const ATTEMPTS: u32 = 5;
pub const ATTEMPT_WINDOW: Duration = Duration::from_secs(60);
/// Most client addresses tracked; past it, new addresses wait for old windows to end.
const MOST_ADDRESSES: usize = 10_000;

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

/// Where attempts are counted: an IPv4 address, or the /64 of an IPv6 one (one machine's
/// addresses usually share it).
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
struct Client(u128);

impl From<IpAddr> for Client {
    fn from(address: IpAddr) -> Self {
        match address {
            IpAddr::V4(v4) => Client(u128::from(u32::from(v4))),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Client(u128::from(u32::from(v4))),
                None => Client((u128::from(v6) >> 64) << 64 | 1 << 32),
            },
        }
    }
}

struct Window {
    started: Instant,
    attempts: u32,
}

/// A few sign-in attempts per client address per minute.
#[derive(Default)]
pub struct Limiter {
    windows: Mutex<HashMap<Client, Window>>,
}

impl Limiter {
    /// Counts an attempt from `address`; `Err(wait)` when it is one too many.
    pub fn attempt(&self, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let client = Client::from(address);
        let mut windows = lock(&self.windows);
        if windows.len() >= MOST_ADDRESSES && !windows.contains_key(&client) {
            windows.retain(|_, window| now.duration_since(window.started) < ATTEMPT_WINDOW);
            if windows.len() >= MOST_ADDRESSES {
                return Err(ATTEMPT_WINDOW);
            }
        }
        let window = windows.entry(client).or_insert(Window {
            started: now,
            attempts: 0,
        });
        if now.duration_since(window.started) >= ATTEMPT_WINDOW {
            *window = Window {
                started: now,
                attempts: 0,
            };
        }
        if window.attempts >= ATTEMPTS {
            return Err(ATTEMPT_WINDOW.saturating_sub(now.duration_since(window.started)));
        }
        window.attempts += 1;
        Ok(())
    }

    /// A successful sign-in gives its attempt back.
    pub fn succeeded(&self, address: IpAddr) {
        if let Some(window) = lock(&self.windows).get_mut(&Client::from(address)) {
            window.attempts = window.attempts.saturating_sub(1);
        }
    }
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

    #[test]
    fn each_address_gets_a_few_attempts_a_minute() {
        let limiter = Limiter::default();
        let now = Instant::now();
        let one: IpAddr = "192.0.2.1".parse().expect("ip");
        let other: IpAddr = "192.0.2.2".parse().expect("ip");
        for _ in 0..ATTEMPTS {
            assert_eq!(limiter.attempt(one, now), Ok(()));
        }
        let wait = limiter
            .attempt(one, now + Duration::from_secs(20))
            .expect_err("limited");
        assert_eq!(wait, Duration::from_secs(40));
        assert_eq!(limiter.attempt(other, now), Ok(()), "another address");
        assert_eq!(limiter.attempt(one, now + ATTEMPT_WINDOW), Ok(()));
        limiter.succeeded(other);
        for _ in 0..ATTEMPTS {
            assert_eq!(limiter.attempt(other, now), Ok(()));
        }
    }

    #[test]
    fn ipv6_addresses_of_one_network_share_their_attempts() {
        let limiter = Limiter::default();
        let now = Instant::now();
        for n in 0..ATTEMPTS {
            let address: IpAddr = format!("2001:db8::{n:x}").parse().expect("ip");
            assert_eq!(limiter.attempt(address, now), Ok(()));
        }
        let same_64: IpAddr = "2001:db8::ffff".parse().expect("ip");
        assert!(limiter.attempt(same_64, now).is_err());
        let mapped: IpAddr = "::ffff:192.0.2.9".parse().expect("ip");
        let plain: IpAddr = "192.0.2.9".parse().expect("ip");
        assert_eq!(Client::from(mapped), Client::from(plain));
    }
}
