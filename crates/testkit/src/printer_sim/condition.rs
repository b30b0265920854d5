//! The simulated printer's condition and how it answers the status requests a driver sends.

/// The state of the simulated printer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Online, paper loaded.
    Ready,
    /// Online and printing, paper roll near its end.
    PaperNearEnd,
    /// Offline: out of paper. Data is consumed but not printed.
    PaperOut,
    /// Offline: cover open. Data is consumed but not printed.
    CoverOpen,
    /// Offline: autocutter jammed. Data is consumed but not printed.
    CutterError,
    /// Powered off or data line broken: never answers, prints nothing (bytes are still consumed).
    Silent,
}

impl Condition {
    /// True when data received in this condition ends up on paper.
    pub fn prints(self) -> bool {
        matches!(self, Condition::Ready | Condition::PaperNearEnd)
    }

    /// The one-byte reply to `DLE EOT n` (`10 04 n`), or None when the printer does not answer
    /// (Silent, or `n` outside 1..=4).
    pub fn status_byte(self, n: u8) -> Option<u8> {
        use Condition::*;
        if self == Silent {
            return None;
        }
        let extra = match n {
            1 => match self {
                PaperOut | CoverOpen | CutterError => 0x08,
                _ => 0,
            },
            2 => match self {
                CoverOpen => 0x04,
                PaperOut => 0x20,
                CutterError => 0x40,
                _ => 0,
            },
            3 => match self {
                CutterError => 0x08,
                _ => 0,
            },
            4 => match self {
                PaperNearEnd => 0x0C,
                PaperOut => 0x0C | 0x60,
                _ => 0,
            },
            _ => return None,
        };
        Some(0x12 | extra)
    }

    /// The reply to `request` in this condition, None when the printer stays silent.
    pub fn answer(self, request: StatusRequest) -> Option<u8> {
        match request {
            StatusRequest::RealTime(n) => self.status_byte(n),
            StatusRequest::Transmit(n) => match (n, self) {
                (_, Condition::Silent) => None,
                (1 | 49, Condition::PaperNearEnd) => Some(0x03),
                (1 | 49, Condition::PaperOut) => Some(0x0F),
                (1 | 49 | 2 | 50, _) => Some(0x00),
                _ => None,
            },
        }
    }
}

/// A status request found in the byte stream, in the order its reply is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusRequest {
    /// `DLE EOT n` (n = 1..=4): answered at once, recognised anywhere in the stream.
    RealTime(u8),
    /// `GS r n`: answered in buffer order, when the command is reached.
    Transmit(u8),
}
