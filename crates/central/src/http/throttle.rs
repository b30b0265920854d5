//! The limiter that allows each client address so many tries a window: staff sign-ins
//! ([`Limiter::attempt`], a few a minute) and bad bearer tokens ([`Limiter::check`] and
//! [`Limiter::failed`], counting only failures). The table of addresses is bounded: when it is
//! full the oldest windows make room, so a newcomer is never refused for someone else's flood.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use mpp_common::mutex::lock;

/// Attempts allowed per client address per [`ATTEMPT_WINDOW`] (the sign-in limiter).
pub const ATTEMPTS: u32 = 5;
pub const ATTEMPT_WINDOW: Duration = Duration::from_secs(60);
/// Most client addresses tracked; past it, the oldest windows are forgotten.
const MOST_ADDRESSES: usize = 10_000;
/// How many of the oldest windows go at once when the table is full: one scan of the table
/// makes room for this many newcomers, instead of a scan for each.
const EVICTED_AT_ONCE: usize = MOST_ADDRESSES / 100;

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

/// What one address did in its current window.
struct Window {
    started: Instant,
    /// Attempts (sign-in) or failures (bearer tokens) counted in it.
    attempts: u32,
    /// Tries turned away unchecked because the limit was reached.
    refused: u64,
    /// The tally of the window before, until it is reported (see [`Failure::earlier`]).
    earlier: Option<Tally>,
}

impl Window {
    fn new(started: Instant) -> Self {
        Self {
            started,
            attempts: 0,
            refused: 0,
            earlier: None,
        }
    }
}

/// What an address did in one window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub failures: u32,
    pub refused: u64,
}

/// A failure just counted: how many the window holds now (this one included), and, for the
/// first of a window, the tally of the window before (for a log line a window, with counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    pub count: u32,
    pub earlier: Option<Tally>,
}

/// So many tries per client address per window (see the module documentation).
pub struct Limiter {
    windows: Mutex<HashMap<Client, Window>>,
    allowed: u32,
    window: Duration,
}

impl Default for Limiter {
    /// The sign-in limiter: [`ATTEMPTS`] per [`ATTEMPT_WINDOW`].
    fn default() -> Self {
        Self::new(ATTEMPTS, ATTEMPT_WINDOW)
    }
}

impl Limiter {
    /// `allowed` tries per address per `window`.
    pub fn new(allowed: u32, window: Duration) -> Self {
        Self {
            windows: Mutex::new(HashMap::new()),
            allowed,
            window,
        }
    }

    pub fn allowed(&self) -> u32 {
        self.allowed
    }

    /// Counts an attempt from `address`; `Err(wait)` when it is one too many.
    pub fn attempt(&self, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut windows = lock(&self.windows);
        let window = self.window_of(&mut windows, Client::from(address), now);
        if window.attempts >= self.allowed {
            window.refused += 1;
            return Err(self
                .window
                .saturating_sub(now.duration_since(window.started)));
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

    /// Whether `address` may try now, counting nothing but a refusal: `Err(wait)` once its
    /// failures reached the limit in this window. For tries whose failures alone count
    /// ([`Limiter::failed`]), so that a busy honest client is never held back.
    pub fn check(&self, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut windows = lock(&self.windows);
        let client = Client::from(address);
        let Some(window) = windows.get_mut(&client) else {
            return Ok(());
        };
        let elapsed = now.duration_since(window.started);
        if elapsed >= self.window || window.attempts < self.allowed {
            return Ok(());
        }
        window.refused += 1;
        Err(self.window.saturating_sub(elapsed))
    }

    /// Counts a failure of `address`.
    pub fn failed(&self, address: IpAddr, now: Instant) -> Failure {
        let mut windows = lock(&self.windows);
        let window = self.window_of(&mut windows, Client::from(address), now);
        window.attempts = window.attempts.saturating_add(1);
        let earlier = if window.attempts == 1 {
            window.earlier.take()
        } else {
            None
        };
        Failure {
            count: window.attempts,
            earlier,
        }
    }

    /// The current window of `client`, a new one when its last ended; room is made for a
    /// newcomer when the table is full.
    fn window_of<'a>(
        &self,
        windows: &'a mut HashMap<Client, Window>,
        client: Client,
        now: Instant,
    ) -> &'a mut Window {
        if windows.len() >= MOST_ADDRESSES && !windows.contains_key(&client) {
            self.make_room(windows, now);
        }
        let window = windows.entry(client).or_insert_with(|| Window::new(now));
        if now.duration_since(window.started) >= self.window {
            let ended = Tally {
                failures: window.attempts,
                refused: window.refused,
            };
            let earlier = (ended != Tally::default()).then_some(ended);
            *window = Window {
                earlier,
                ..Window::new(now)
            };
        }
        window
    }

    /// Forgets the windows that ended, and when that is not enough the oldest ones: an address
    /// forgotten starts afresh, which a flood from many addresses may earn, but nobody new is
    /// ever refused for it.
    fn make_room(&self, windows: &mut HashMap<Client, Window>, now: Instant) {
        windows.retain(|_, window| now.duration_since(window.started) < self.window);
        if windows.len() < MOST_ADDRESSES {
            return;
        }
        let mut ages: Vec<(Instant, Client)> = windows
            .iter()
            .map(|(client, window)| (window.started, *client))
            .collect();
        let oldest = EVICTED_AT_ONCE.min(ages.len());
        if oldest == 0 {
            return;
        }
        ages.select_nth_unstable_by_key(oldest - 1, |(started, _)| *started);
        for (_, client) in &ages[..oldest] {
            windows.remove(client);
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        lock(&self.windows).len()
    }
}

/// Where the request comes from, for the limiters: the peer, or behind a trusted proxy on
/// loopback the last address of `X-Forwarded-For` (the one the proxy appended).
pub fn client_address(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trust_forwarded: bool,
) -> IpAddr {
    let peer = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| peer.ip());
    if !(trust_forwarded && peer.is_loopback()) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer)
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

    fn address(n: usize) -> IpAddr {
        IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + n as u32))
    }

    #[test]
    fn a_full_table_forgets_its_oldest_windows_and_never_refuses_a_newcomer() {
        let limiter = Limiter::default();
        let start = Instant::now();
        let flooder = address(0);
        for _ in 0..ATTEMPTS {
            assert_eq!(limiter.attempt(flooder, start), Ok(()));
        }
        for n in 1..MOST_ADDRESSES + 50 {
            let now = start + Duration::from_millis(n as u64);
            assert_eq!(limiter.attempt(address(n), now), Ok(()), "newcomer {n}");
        }
        assert!(limiter.tracked() <= MOST_ADDRESSES);
        let late = start + Duration::from_secs(2);
        let newcomer: IpAddr = "198.51.100.1".parse().expect("ip");
        assert_eq!(limiter.attempt(newcomer, late), Ok(()));
        // The oldest window went first: the first flooder starts afresh, the recent stay.
        assert_eq!(limiter.attempt(flooder, late), Ok(()));
        let recent = address(MOST_ADDRESSES + 40);
        for _ in 1..ATTEMPTS {
            assert_eq!(limiter.attempt(recent, late), Ok(()));
        }
        assert!(limiter.attempt(recent, late).is_err(), "still counted");
    }

    #[test]
    fn failures_alone_count_and_the_first_of_a_window_reports_the_last() {
        let limiter = Limiter::new(3, ATTEMPT_WINDOW);
        let now = Instant::now();
        let one = address(1);
        for _ in 0..100 {
            assert_eq!(limiter.check(one, now), Ok(()), "successes never count");
        }
        let first = limiter.failed(one, now);
        assert_eq!(
            first,
            Failure {
                count: 1,
                earlier: None
            }
        );
        assert_eq!(limiter.failed(one, now).count, 2);
        assert_eq!(limiter.failed(one, now).count, 3);
        let later = now + Duration::from_secs(15);
        assert_eq!(limiter.check(one, later), Err(Duration::from_secs(45)));
        assert_eq!(limiter.check(one, later), Err(Duration::from_secs(45)));
        assert_eq!(limiter.check(address(2), later), Ok(()), "another address");
        let next = now + ATTEMPT_WINDOW;
        assert_eq!(limiter.check(one, next), Ok(()), "a new window");
        let reported = limiter.failed(one, next);
        assert_eq!(
            reported,
            Failure {
                count: 1,
                earlier: Some(Tally {
                    failures: 3,
                    refused: 2
                })
            }
        );
    }

    #[test]
    fn forwarded_addresses_count_only_from_a_trusted_local_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().expect("value"),
        );
        let proxy: SocketAddr = "127.0.0.1:5000".parse().expect("addr");
        let remote: SocketAddr = "192.0.2.1:5000".parse().expect("addr");
        let last: IpAddr = "198.51.100.7".parse().expect("ip");
        assert_eq!(client_address(Some(proxy), &headers, true), last);
        assert_eq!(client_address(Some(proxy), &headers, false), proxy.ip());
        assert_eq!(client_address(Some(remote), &headers, true), remote.ip());
    }
}
