//! Faults a test injects to see the watchdog act, read from `MPP_KIOSK_TEST` and honoured
//! only in debug builds (a release build, as packaged, ignores the variable and says so):
//!
//! - `hang-screen-after:N` — the screen's loop blocks for ever at its N-th tick;
//! - `hang-store-after:N` — at the N-th tick a thread takes the store and never gives it back;
//! - `restart-idle:S`, `restart-settle:S` — seconds of an untouched welcome screen and of a
//!   new program file in place before a restart for a new version (30 and 10 otherwise).
//!
//! For example `MPP_KIOSK_TEST=hang-screen-after:3`.

use std::time::Duration;

pub const VARIABLE: &str = "MPP_KIOSK_TEST";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    pub hang_screen_after: Option<u64>,
    pub hang_store_after: Option<u64>,
    pub restart_idle: Option<Duration>,
    pub restart_settle: Option<Duration>,
}

impl Faults {
    /// The faults asked for, in a debug build; none in a release build.
    pub fn from_env() -> Self {
        let Some(text) = std::env::var_os(VARIABLE) else {
            return Self::default();
        };
        if !cfg!(debug_assertions) {
            tracing::warn!(
                "{VARIABLE} is set but ignored: faults are injected only in debug builds"
            );
            return Self::default();
        }
        let (faults, unknown) = parse(&text.to_string_lossy());
        for entry in unknown {
            tracing::warn!(entry, "{VARIABLE}: unknown entry ignored");
        }
        if faults != Self::default() {
            tracing::warn!(?faults, "test faults injected");
        }
        faults
    }
}

/// The faults in `text` and the entries that made no sense.
fn parse(text: &str) -> (Faults, Vec<String>) {
    let mut faults = Faults::default();
    let mut unknown = Vec::new();
    for entry in text
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
    {
        let parsed = entry
            .split_once(':')
            .and_then(|(name, value)| Some((name, value.trim().parse::<u64>().ok()?)));
        match parsed {
            Some(("hang-screen-after", ticks)) => faults.hang_screen_after = Some(ticks),
            Some(("hang-store-after", ticks)) => faults.hang_store_after = Some(ticks),
            Some(("restart-idle", seconds)) => {
                faults.restart_idle = Some(Duration::from_secs(seconds))
            }
            Some(("restart-settle", seconds)) => {
                faults.restart_settle = Some(Duration::from_secs(seconds))
            }
            _ => unknown.push(entry.to_owned()),
        }
    }
    (faults, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_and_mistakes_kept_aside() {
        let (faults, unknown) =
            parse("hang-screen-after:3, restart-idle:1,restart-settle:0,bogus,hang-store-after:x");
        assert_eq!(
            faults,
            Faults {
                hang_screen_after: Some(3),
                hang_store_after: None,
                restart_idle: Some(Duration::from_secs(1)),
                restart_settle: Some(Duration::ZERO),
            }
        );
        assert_eq!(unknown, ["bogus", "hang-store-after:x"]);
        assert_eq!(parse(""), (Faults::default(), Vec::new()));
    }
}
