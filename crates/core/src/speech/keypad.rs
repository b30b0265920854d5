//! What a visitor in speech mode asks for with a key, and the keys that ask it on the two
//! keypads a kiosk is fitted with: a USB numeric keypad (the raised dot on 5) or four arrows
//! and OK. The configuration may map other keys (`[speech.keys]`); these are its defaults.

use serde::Deserialize;

/// One request of a visitor in speech mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, strum::Display)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Command {
    /// The next item of the list (or the next part of a long text).
    Next,
    Previous,
    /// Ten items on.
    PageNext,
    PagePrevious,
    /// The first item whose name starts with the next letter ("first-letter jump").
    LetterNext,
    LetterPrevious,
    /// Choose the item spoken last.
    Select,
    /// The screen before.
    Back,
    /// Say it again.
    Repeat,
    /// Where am I, which keys do what.
    Help,
    VolumeUp,
    VolumeDown,
}

/// The default keys, by the name iced gives them: a numeric keypad's digits as characters,
/// arrows and Enter by name (a numeric keypad sends the same when Num Lock is off).
pub const DEFAULT_KEYS: [(&str, Command); 21] = [
    ("2", Command::Next),
    ("ArrowDown", Command::Next),
    ("8", Command::Previous),
    ("ArrowUp", Command::Previous),
    ("3", Command::PageNext),
    ("PageDown", Command::PageNext),
    ("9", Command::PagePrevious),
    ("PageUp", Command::PagePrevious),
    ("1", Command::LetterNext),
    ("7", Command::LetterPrevious),
    ("Enter", Command::Select),
    ("6", Command::Select),
    ("ArrowRight", Command::Select),
    ("4", Command::Back),
    ("ArrowLeft", Command::Back),
    ("Backspace", Command::Back),
    ("5", Command::Repeat),
    ("0", Command::Help),
    ("*", Command::Help),
    ("+", Command::VolumeUp),
    ("-", Command::VolumeDown),
];
