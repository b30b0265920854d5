//! `[sync]`: the central server this kiosk sends its tickets to.

use serde::Deserialize;

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
        Ok(())
    }
}
