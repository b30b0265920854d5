//! `[sync]`: the central server this kiosk sends its tickets to.

use std::ops::RangeInclusive;

use serde::Deserialize;

/// Seconds between rounds: 0 would hammer the server, more than an hour leaves the counters
/// and the fleet page blind for too long.
const INTERVAL_SECONDS: RangeInclusive<u64> = 1..=3600;

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct SyncSection {
    pub enabled: bool,
    pub server_url: String,
    pub token: String,
    pub interval_seconds: u64,
}

impl Default for SyncSection {
    fn default() -> Self {
        Self {
            enabled: false,
            server_url: "http://127.0.0.1:8787".into(),
            token: String::new(),
            interval_seconds: 30,
        }
    }
}

impl SyncSection {
    /// What the types alone cannot check: `(key, what is wrong)`.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if self.enabled && self.token.trim().is_empty() {
            return Err(("token", "sync is enabled but no token is set"));
        }
        if !super::is_web_address(&self.server_url) {
            return Err((
                "server_url",
                "must be the server's address, e.g. http://192.168.1.10:8787",
            ));
        }
        if !INTERVAL_SECONDS.contains(&self.interval_seconds) {
            return Err(("interval_seconds", "must be between 1 and 3600 seconds"));
        }
        Ok(())
    }
}
