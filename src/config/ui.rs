//! `[ui]`: the screen: language, window, idle timeout, contrast, maintenance PIN.

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
    pub maintenance_pin: String,
}

impl Default for UiSection {
    fn default() -> Self {
        Self {
            language: Language::Indonesian,
            fullscreen: true,
            window_width: 1280,
            window_height: 800,
            idle_timeout_seconds: 60,
            high_contrast: false,
            maintenance_pin: String::new(),
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
        let pin = &self.maintenance_pin;
        if !pin.is_empty() && (pin.len() < 4 || !pin.bytes().all(|b| b.is_ascii_digit())) {
            return Err(("maintenance_pin", "must be 4 or more digits"));
        }
        Ok(())
    }
}
