//! `[calling]` in `mpp-central.toml`: the counter console's rules that an MPP may tune.

use std::time::Duration;

use serde::Deserialize;

use super::limits::within;

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct CallingConfig {
    /// Calls a ticket needs before the counter may mark it a no-show (a visitor in the toilet
    /// deserves a second call).
    pub no_show_after_calls: u32,
    /// Seconds between two calls of the same ticket: a recall pressed twice is said once.
    pub recall_gap_seconds: u64,
}

pub const NO_SHOW_AFTER_CALLS: (u32, u32) = (1, 5);
pub const RECALL_GAP_SECONDS: (u64, u64) = (1, 60);

impl Default for CallingConfig {
    fn default() -> Self {
        Self {
            no_show_after_calls: 2,
            recall_gap_seconds: 5,
        }
    }
}

impl CallingConfig {
    pub fn recall_gap(&self) -> Duration {
        Duration::from_secs(self.recall_gap_seconds)
    }

    pub fn check(&self) -> Result<(), (String, String)> {
        within(
            "calling.no_show_after_calls",
            self.no_show_after_calls,
            NO_SHOW_AFTER_CALLS,
            "calls",
        )?;
        within(
            "calling.recall_gap_seconds",
            self.recall_gap_seconds,
            RECALL_GAP_SECONDS,
            "seconds",
        )
    }
}
