//! The limiter that allows each client address a few attempts a minute (staff sign-ins).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use mpp_common::mutex::lock;

/// Attempts allowed per client address per [`ATTEMPT_WINDOW`].
pub const ATTEMPTS: u32 = 5;
pub const ATTEMPT_WINDOW: Duration = Duration::from_secs(60);
/// Most client addresses tracked; past it, new addresses wait for old windows to end.
const MOST_ADDRESSES: usize = 10_000;

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
