//! Speech mode's state beside the screens: whether a visitor turned it on, which choice of the
//! screen they are on, what was said last (for "repeat"), and the speaker. A keypad key starts
//! it; the visit's end (back at the start screen by itself or after a ticket) ends it. What is
//! said comes from `mpp_core::speech::kiosk`; the app's part is in `app/speech.rs`.

use std::sync::Arc;
use std::time::Duration;

use iced::keyboard::{self, Key};
use iced::{Event, Subscription, event};

use mpp_core::speech::Utterance;
use mpp_core::speech::keypad::{Command, DEFAULT_KEYS};
use mpp_core::speech::kiosk::KeyNames;
use mpp_station::config::SpeechSection;
use mpp_station::speaker::Speaker;

/// In speech mode a screen waits this many times longer before going back to the start.
const IDLE_FACTOR: u32 = 3;
/// The idle warning is said this long before the screen goes back to the start.
pub const WARNING_BEFORE: Duration = Duration::from_secs(20);

/// Speech mode, off until a key is pressed.
pub struct SpeechMode {
    settings: SpeechSection,
    speaker: Arc<Speaker>,
    active: bool,
    /// The choice of the screen the visitor is on (0 is the first).
    pub focus: usize,
    /// Which screen was announced last ("services:DUKCAPIL").
    pub announced: Option<String>,
    /// The last thing said, for "repeat".
    last: Option<Utterance>,
    /// Everything said this run, as plain text (for the simulator's tests).
    said: Vec<String>,
    /// The idle warning was given since the last key.
    pub warned: bool,
    /// The visitor's Back key is being carried out (back at the start that way, the visit
    /// goes on).
    pub going_back: bool,
}

impl SpeechMode {
    pub fn new(settings: &SpeechSection) -> SpeechMode {
        SpeechMode {
            settings: settings.clone(),
            speaker: Arc::new(Speaker::start(settings)),
            active: false,
            focus: 0,
            announced: None,
            last: None,
            said: Vec::new(),
            warned: false,
            going_back: false,
        }
    }

    pub fn is_active(&self) -> bool {
        self.active
    }

    pub fn start(&mut self) {
        tracing::info!("speech mode on");
        self.active = true;
        self.speaker.reset_volume();
        self.focus = 0;
        self.announced = None;
        self.warned = false;
    }

    /// The visit is over: silence, and the next visitor starts at the configured volume.
    pub fn end(&mut self) {
        tracing::info!("speech mode off");
        self.active = false;
        self.announced = None;
        self.speaker.stop();
        self.speaker.reset_volume();
    }

    /// The command `key` (as [`key_name`] names it) stands for.
    pub fn command(&self, key: &str) -> Option<Command> {
        self.settings.command(key)
    }

    /// The first key of each command, to tell the visitor.
    pub fn key_names(&self) -> KeyNames {
        let mut names: Vec<(Command, String)> = self
            .settings
            .keys
            .keys()
            .filter_map(|key| Some((self.command(key)?, key.clone())))
            .collect();
        for (key, _) in DEFAULT_KEYS {
            if let Some(command) = self.command(key)
                && !names.iter().any(|(known, _)| *known == command)
            {
                names.push((command, key.to_owned()));
            }
        }
        KeyNames(names)
    }

    /// Says `utterance` now, cutting what was being said.
    pub fn say(&mut self, utterance: Utterance) {
        self.said.push(utterance.plain_text());
        self.speaker.say(utterance.clone());
        self.last = Some(utterance);
    }

    pub fn repeat(&mut self) {
        if let Some(last) = self.last.clone() {
            self.say(last);
        }
    }

    /// One step louder or quieter; the new volume is said at it.
    pub fn change_volume(&mut self, louder: bool) -> (u8, u8) {
        let volume = self.speaker.volume();
        let volume = if louder {
            volume.louder()
        } else {
            volume.quieter()
        };
        self.speaker.set_volume(volume);
        (volume.step, volume.steps)
    }

    /// Everything said, oldest first.
    pub fn said(&self) -> &[String] {
        &self.said
    }
}

/// How long a screen may wait for a key in speech mode: longer than for a touch, since
/// hearing a screen out takes longer than reading it.
pub fn idle_limit(usual: Duration) -> Duration {
    usual * IDLE_FACTOR
}

/// A key as the configuration names it: characters as they are ("2", "+"), named keys by
/// name ("Enter", "ArrowUp", "PageDown").
pub fn key_name(key: &Key) -> Option<String> {
    match key {
        Key::Character(text) => Some(text.to_string()),
        Key::Named(named) => Some(format!("{named:?}")),
        Key::Unidentified => None,
    }
}

/// Every key pressed that no widget took, by name.
pub fn keys() -> Subscription<String> {
    event::listen_with(pressed)
}

fn pressed(event: Event, status: event::Status, _window: iced::window::Id) -> Option<String> {
    match (event, status) {
        (Event::Keyboard(keyboard::Event::KeyPressed { key, .. }), event::Status::Ignored) => {
            key_name(&key)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iced::keyboard::key::Named;

    #[test]
    fn keys_are_named_as_the_configuration_names_them() {
        assert_eq!(key_name(&Key::Character("2".into())).as_deref(), Some("2"));
        assert_eq!(key_name(&Key::Character("+".into())).as_deref(), Some("+"));
        assert_eq!(
            key_name(&Key::Named(Named::Enter)).as_deref(),
            Some("Enter")
        );
        assert_eq!(
            key_name(&Key::Named(Named::ArrowUp)).as_deref(),
            Some("ArrowUp")
        );
        assert_eq!(
            key_name(&Key::Named(Named::PageDown)).as_deref(),
            Some("PageDown")
        );
    }
}
