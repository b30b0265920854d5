//! `[speech]`: speech mode for visitors who cannot see the screen — every screen spoken through
//! the headphone jack, driven by a keypad.

use std::collections::BTreeMap;

use mpp_core::speech::keypad::{Command, DEFAULT_KEYS};
use serde::Deserialize;

/// The most volume steps a visitor can go through.
const MOST_STEPS: u8 = 20;

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct SpeechSection {
    /// Whether a keypad key starts speech mode.
    pub enabled: bool,
    /// The ALSA device of the headphone jack: "default", or a card's own such as "plughw:1,0".
    pub device: String,
    /// How many volume steps the visitor's keys go through (the loudest is the last).
    pub volume_steps: u8,
    /// The step each visit starts at; a visitor's change lasts until the visit ends.
    pub volume: u8,
    /// How fast the voice speaks: slower than espeak-ng's 175 words a minute by default.
    pub words_per_minute: u32,
    /// Key (as the keyboard names it: "2", "Enter", "ArrowUp", "+") → command. Keys not listed
    /// keep their default; a key mapped to "none" does nothing.
    pub keys: BTreeMap<String, KeyBinding>,
}

/// A key's command, or nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeyBinding {
    Command(Command),
    Nothing(Nothing),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nothing {
    None,
}

impl Default for SpeechSection {
    fn default() -> Self {
        Self {
            enabled: true,
            device: "default".into(),
            volume_steps: 10,
            volume: 6,
            words_per_minute: 150,
            keys: BTreeMap::new(),
        }
    }
}

impl SpeechSection {
    /// What the types alone cannot check: `(key, what is wrong)`.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if self.device.trim().is_empty() {
            return Err(("device", "must name an ALSA device, such as \"default\""));
        }
        if !(2..=MOST_STEPS).contains(&self.volume_steps) {
            return Err(("volume_steps", "must be 2 to 20"));
        }
        if !(1..=self.volume_steps).contains(&self.volume) {
            return Err(("volume", "must be 1 to volume_steps"));
        }
        if !(80..=400).contains(&self.words_per_minute) {
            return Err(("words_per_minute", "must be 80 to 400"));
        }
        Ok(())
    }

    /// The command of `key` (as iced names it), the defaults overridden by `keys`.
    pub fn command(&self, key: &str) -> Option<Command> {
        match self.keys.get(key) {
            Some(KeyBinding::Command(command)) => Some(*command),
            Some(KeyBinding::Nothing(_)) => None,
            None => DEFAULT_KEYS
                .iter()
                .find(|(name, _)| *name == key)
                .map(|(_, command)| *command),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_keys_hold_unless_the_map_says_otherwise() {
        let mut section = SpeechSection::default();
        assert_eq!(section.command("2"), Some(Command::Next));
        assert_eq!(section.command("Enter"), Some(Command::Select));
        assert_eq!(section.command("q"), None);
        section
            .keys
            .insert("2".into(), KeyBinding::Command(Command::Previous));
        section
            .keys
            .insert("5".into(), KeyBinding::Nothing(Nothing::None));
        assert_eq!(section.command("2"), Some(Command::Previous));
        assert_eq!(section.command("5"), None);
        assert_eq!(section.command("8"), Some(Command::Previous));
    }
}
