//! What the kiosk knows about its printer, as the screen, the technician and the server see it.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    IntoStaticStr,
    EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum PrinterState {
    /// Not asked yet (the first answer comes within a second of start).
    #[default]
    Starting,
    Ready,
    /// Still prints, but the roll is nearly finished: the technician should bring paper.
    PaperNearEnd,
    PaperOut,
    CoverOpen,
    /// The automatic cutter is jammed or failed.
    CutterError,
    /// Another error: head too hot, mechanism fault.
    Error,
    /// Offline for another reason (paper being fed with the button).
    Offline,
    /// The port is open but the printer does not answer: off, unplugged data cable, wrong baud.
    NotResponding,
    /// The serial port is missing or cannot be opened.
    Disconnected,
}

impl PrinterState {
    pub const ALL: [PrinterState; 10] = [
        PrinterState::Starting,
        PrinterState::Ready,
        PrinterState::PaperNearEnd,
        PrinterState::PaperOut,
        PrinterState::CoverOpen,
        PrinterState::CutterError,
        PrinterState::Error,
        PrinterState::Offline,
        PrinterState::NotResponding,
        PrinterState::Disconnected,
    ];

    /// Whether a ticket may be sent now.
    pub fn can_print(self) -> bool {
        matches!(self, PrinterState::Ready | PrinterState::PaperNearEnd)
    }

    /// Whether a technician should be called even though tickets may still print.
    pub fn needs_attention(self) -> bool {
        !matches!(self, PrinterState::Ready | PrinterState::Starting)
    }

    /// Stable name for logs, JSON and the central server (as serde writes it).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}
