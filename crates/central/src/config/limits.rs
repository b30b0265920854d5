//! `[http]` and `[staff]` in `mpp-central.toml`: how long a client may take over each part of a
//! request, how many may be connected at once, and how long a staff sign-in lasts. Every value
//! has a default and bounds; a value outside them is refused with its key and line.

use std::fmt::Display;
use std::time::Duration;

use serde::Deserialize;

/// `[http]`: timeouts and the connection cap.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct HttpConfig {
    /// Seconds a client has to send a whole request head. The clock starts when the connection
    /// is ready for a request (just opened, or the previous answer sent), so it also bounds an
    /// idle keep-alive connection.
    pub header_read_timeout_seconds: u64,
    /// Seconds a client has to send a whole request body, from the end of its head.
    pub body_timeout_seconds: u64,
    /// Seconds a connection may sit with no request in flight and no byte moving (between
    /// requests, or a client that stops reading its answer) before it is closed.
    pub idle_timeout_seconds: u64,
    /// Most connections open at once. Absent: derived from the process's descriptor limit
    /// (`RLIMIT_NOFILE`, systemd's `LimitNOFILE`); a larger value is lowered to that at start.
    pub max_connections: Option<u32>,
    /// Behind the reverse proxy every client arrives from 127.0.0.1: when true, a request from
    /// a loopback address is taken to come from the last address in its `X-Forwarded-For`
    /// (what the proxy appends), for the sign-in limiter. Only for a proxy that sets it.
    pub trust_forwarded_for: bool,
}

/// Bounds, in seconds.
pub const HEADER_READ_SECONDS: (u64, u64) = (1, 120);
pub const BODY_SECONDS: (u64, u64) = (1, 600);
pub const IDLE_SECONDS: (u64, u64) = (1, 600);
pub const MAX_CONNECTIONS: (u32, u32) = (4, 100_000);

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            header_read_timeout_seconds: 10,
            body_timeout_seconds: 30,
            idle_timeout_seconds: 5,
            max_connections: None,
            trust_forwarded_for: false,
        }
    }
}

impl HttpConfig {
    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_secs(self.header_read_timeout_seconds)
    }

    pub fn body_timeout(&self) -> Duration {
        Duration::from_secs(self.body_timeout_seconds)
    }

    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.idle_timeout_seconds)
    }

    /// The dotted key and what is wrong with it, for the first value out of bounds.
    pub fn check(&self) -> Result<(), (String, String)> {
        let seconds = [
            (
                "header_read_timeout_seconds",
                self.header_read_timeout_seconds,
                HEADER_READ_SECONDS,
            ),
            (
                "body_timeout_seconds",
                self.body_timeout_seconds,
                BODY_SECONDS,
            ),
            (
                "idle_timeout_seconds",
                self.idle_timeout_seconds,
                IDLE_SECONDS,
            ),
        ];
        for (key, value, bounds) in seconds {
            within(&format!("http.{key}"), value, bounds, "seconds")?;
        }
        if let Some(value) = self.max_connections {
            let (low, high) = MAX_CONNECTIONS;
            if !(low..=high).contains(&value) {
                return Err((
                    "http.max_connections".into(),
                    format!(
                        "is {value}: must be {low} to {high}, or left out to follow the \
                         descriptor limit"
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// `[staff]`: the staff sign-in.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct StaffConfig {
    /// Hours a sign-in lasts at most (the session cookie and the server's record of it).
    pub session_hours: u64,
    /// Minutes a sign-in lasts without a request: a counter PC left signed in overnight is
    /// signed out by morning.
    pub idle_minutes: u64,
}

pub const SESSION_HOURS: (u64, u64) = (1, 168);
pub const IDLE_MINUTES: (u64, u64) = (5, 1440);

impl Default for StaffConfig {
    fn default() -> Self {
        Self {
            session_hours: 12,
            idle_minutes: 120,
        }
    }
}

impl StaffConfig {
    pub fn session_lifetime(&self) -> Duration {
        Duration::from_secs(self.session_hours * 3600)
    }

    pub fn idle_lifetime(&self) -> Duration {
        Duration::from_secs(self.idle_minutes * 60)
    }

    pub fn check(&self) -> Result<(), (String, String)> {
        within(
            "staff.session_hours",
            self.session_hours,
            SESSION_HOURS,
            "hours",
        )?;
        within(
            "staff.idle_minutes",
            self.idle_minutes,
            IDLE_MINUTES,
            "minutes",
        )
    }
}

/// The dotted `key` and what is wrong, unless `value` is within `(low, high)` (both included)
/// of `unit`.
pub(super) fn within<T: Copy + PartialOrd + Display>(
    key: &str,
    value: T,
    (low, high): (T, T),
    unit: &str,
) -> Result<(), (String, String)> {
    if (low..=high).contains(&value) {
        Ok(())
    } else {
        Err((
            key.to_owned(),
            format!("is {value}: must be {low} to {high} {unit}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_within_their_bounds() {
        assert_eq!(HttpConfig::default().check(), Ok(()));
        assert_eq!(StaffConfig::default().check(), Ok(()));
        let too_long = HttpConfig {
            body_timeout_seconds: 601,
            ..HttpConfig::default()
        };
        let (key, message) = too_long.check().expect_err("refused");
        assert_eq!(key, "http.body_timeout_seconds");
        assert!(message.contains("1 to 600"), "{message}");
        let too_few = HttpConfig {
            max_connections: Some(2),
            ..HttpConfig::default()
        };
        assert_eq!(
            too_few.check().expect_err("refused").0,
            "http.max_connections"
        );
        let forever = StaffConfig {
            session_hours: 0,
            ..StaffConfig::default()
        };
        assert_eq!(
            forever.check().expect_err("refused").0,
            "staff.session_hours"
        );
    }
}
