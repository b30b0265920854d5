//! `[ui]`: the screen: language, window, idle timeouts, contrast. The PIN of the technician's
//! menu is no longer here (`mpp-kiosk maintenance set-pin` keeps its hash in the database).

use std::ops::RangeInclusive;

use serde::Deserialize;

/// Window sides in pixels: below 320 nothing fits, above 16384 no screen exists.
const WINDOW_SIDE: RangeInclusive<u32> = 320..=16384;
/// Seconds before an untouched screen returns to the start: at most an hour, so the next
/// visitor never finds someone else's choices.
const LONGEST_IDLE_TIMEOUT_SECONDS: u64 = 3600;

use mpp_core::lang::Language;

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct UiSection {
    pub language: Language,
    pub fullscreen: bool,
    pub window_width: u32,
    pub window_height: u32,
    pub idle_timeout_seconds: u64,
    pub high_contrast: bool,
    /// Seconds without a touch before the technician's menu closes itself.
    pub maintenance_timeout_seconds: u64,
    /// The retired `maintenance_pin`: read so an old file still loads, never kept.
    maintenance_pin: Option<Retired>,
}

/// A retired key's value, thrown away as it is read so it can never reach a log or a screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Retired;

/// Whatever a retired key held. Not `IgnoredAny`: `serde_ignored` would call the key unknown.
#[derive(Deserialize)]
#[serde(untagged)]
enum AnyValue {
    Text(#[allow(dead_code)] String),
    Number(#[allow(dead_code)] i64),
    Fraction(#[allow(dead_code)] f64),
    Flag(#[allow(dead_code)] bool),
}

impl<'de> Deserialize<'de> for Retired {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        AnyValue::deserialize(deserializer).map(|_| Retired)
    }
}

/// Retired keys of `[ui]` and what to do instead.
pub const RETIRED_PIN_KEY: &str = "ui.maintenance_pin";
pub const RETIRED_PIN_ADVICE: &str = "the PIN is no longer kept in kiosk.toml: remove the key and set the PIN with `mpp-kiosk maintenance set-pin`";

impl Default for UiSection {
    fn default() -> Self {
        Self {
            language: Language::Indonesian,
            fullscreen: true,
            window_width: 1280,
            window_height: 800,
            idle_timeout_seconds: 60,
            high_contrast: false,
            maintenance_timeout_seconds: 180,
            maintenance_pin: None,
        }
    }
}

impl UiSection {
    /// What the types alone cannot check: `(key, what is wrong)`.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if self.idle_timeout_seconds < 10 {
            return Err(("idle_timeout_seconds", "must be 10 seconds or more"));
        }
        if self.idle_timeout_seconds > LONGEST_IDLE_TIMEOUT_SECONDS {
            return Err((
                "idle_timeout_seconds",
                "must be 3600 seconds (an hour) or less",
            ));
        }
        if !WINDOW_SIDE.contains(&self.window_width) {
            return Err(("window_width", "must be between 320 and 16384 pixels"));
        }
        if !WINDOW_SIDE.contains(&self.window_height) {
            return Err(("window_height", "must be between 320 and 16384 pixels"));
        }
        if !(30..=LONGEST_IDLE_TIMEOUT_SECONDS).contains(&self.maintenance_timeout_seconds) {
            return Err((
                "maintenance_timeout_seconds",
                "must be between 30 and 3600 seconds",
            ));
        }
        Ok(())
    }

    /// Retired keys this file still has (by dotted path): they load, with a warning.
    pub fn retired_keys(&self) -> Vec<&'static str> {
        self.maintenance_pin
            .map(|_| RETIRED_PIN_KEY)
            .into_iter()
            .collect()
    }
}
