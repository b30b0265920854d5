//! `[sync]`: the central server this kiosk sends its tickets to.

use std::net::IpAddr;
use std::ops::RangeInclusive;

use serde::Deserialize;

/// Seconds between rounds: 0 would hammer the server, more than an hour leaves the counters
/// and the fleet page blind for too long.
const INTERVAL_SECONDS: RangeInclusive<u64> = 1..=3600;
/// What the packaged kiosk.toml holds where the secrets go: refused until replaced.
pub const PLACEHOLDER: &str = "SET-ME";

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct SyncSection {
    pub enabled: bool,
    pub server_url: String,
    pub token: String,
    pub interval_seconds: u64,
    /// Allows a plain `http://` server on another machine (a closed test network): the token
    /// and the catalog then travel in clear.
    pub allow_plain_http: bool,
}

impl Default for SyncSection {
    fn default() -> Self {
        Self {
            enabled: false,
            server_url: "http://127.0.0.1:8787".into(),
            token: String::new(),
            interval_seconds: 30,
            allow_plain_http: false,
        }
    }
}

impl SyncSection {
    /// What the types alone cannot check: `(key, what is wrong)`.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if self.enabled && self.token.trim().is_empty() {
            return Err(("token", "sync is enabled but no token is set"));
        }
        if self.enabled && self.token.trim() == PLACEHOLDER {
            return Err((
                "token",
                "is still the placeholder SET-ME: put this kiosk's token from the central server here",
            ));
        }
        if !super::is_web_address(&self.server_url) {
            return Err((
                "server_url",
                "must be the server's address, e.g. https://central.mpp.example.go.id",
            ));
        }
        if self.enabled && !self.allow_plain_http && sends_in_clear(&self.server_url) {
            return Err((
                "server_url",
                "plain http:// to another machine sends the token and the catalog in clear: use https:// (a reverse proxy in front of mpp-central), or set sync.allow_plain_http = true on a closed test network",
            ));
        }
        if !INTERVAL_SECONDS.contains(&self.interval_seconds) {
            return Err(("interval_seconds", "must be between 1 and 3600 seconds"));
        }
        Ok(())
    }
}

/// Whether `url` is plain HTTP to a host other than this machine.
fn sends_in_clear(url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(url) else {
        return false;
    };
    if url.scheme() != "http" {
        return false;
    }
    let Some(host) = url.host_str() else {
        return false;
    };
    let loopback = match host.trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    };
    !loopback
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enabled(url: &str) -> SyncSection {
        SyncSection {
            enabled: true,
            server_url: url.into(),
            token: "kiosk-token-0123456789".into(),
            ..SyncSection::default()
        }
    }

    #[test]
    fn plain_http_is_for_this_machine_only() {
        for local in [
            "http://127.0.0.1:8787",
            "http://127.8.9.10/",
            "http://localhost:8787",
            "http://LOCALHOST",
            "http://[::1]:8787",
            "https://central.example.go.id",
            "https://192.168.1.10:8443",
        ] {
            assert_eq!(enabled(local).check(), Ok(()), "{local}");
        }
        for remote in [
            "http://example.org",
            "http://192.168.1.10:8787",
            "http://[fe80::1]:8787",
            "http://localhost.example.org",
        ] {
            let (key, message) = enabled(remote).check().expect_err(remote);
            assert_eq!(key, "server_url");
            assert!(message.contains("allow_plain_http"), "{message}");
        }
    }

    #[test]
    fn plain_http_elsewhere_needs_saying_so_or_sync_off() {
        let allowed = SyncSection {
            allow_plain_http: true,
            ..enabled("http://192.168.1.10:8787")
        };
        assert_eq!(allowed.check(), Ok(()));
        let off = SyncSection {
            enabled: false,
            ..enabled("http://192.168.1.10:8787")
        };
        assert_eq!(off.check(), Ok(()), "not used while sync is off");
    }

    #[test]
    fn the_placeholder_token_is_refused() {
        let placeholder = SyncSection {
            token: PLACEHOLDER.into(),
            ..enabled("https://central.example.go.id")
        };
        assert_eq!(placeholder.check().map_err(|(key, _)| key), Err("token"));
    }
}
