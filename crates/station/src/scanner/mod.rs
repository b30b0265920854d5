//! The ticket scanner, where one is fitted: a 2D scan engine (a camera with its own decoder,
//! as kiosks build them in) that reads the ticket's QR code and sends its text over a serial
//! line (USB-CDC "COM port" mode). What it reads only starts the survey for that ticket; the
//! kiosk checks the code's signature before anything else (`mpp_core::survey::scan`).
//!
//! The screen follows a [`ScannerFeed`] through a tokio `watch` channel: the scanner's state
//! and the latest code read, numbered so that the same ticket scanned twice is two scans.
//! [`Scanner`] (`serial`) is the driver thread that fills it from `[scanner]` in kiosk.toml;
//! `framing` cuts the byte stream into codes, without IO.

pub mod framing;
pub mod serial;

use tokio::sync::watch;

pub use serial::Scanner;

/// Whether the scanner is there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ScannerStatus {
    /// No `[scanner]` in kiosk.toml: the survey starts from the typed number and code only.
    #[default]
    NotFitted,
    /// Configured, but its port cannot be opened or read now (unplugged, no permission):
    /// the words name the port and the reason, for the technician.
    Absent { reason: String },
    /// The port is open and read.
    Connected,
}

/// One code read by the scanner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    /// Counts up from 1 for each code read since the kiosk started.
    pub seq: u64,
    /// The code's text as the scanner sent it, without its line ending; at most
    /// [`MAX_SCAN_BYTES`] bytes, valid UTF-8 (anything else is dropped by the driver).
    pub text: String,
}

/// A ticket's QR link is about 120 bytes; a longer line is not one of ours and is dropped
/// unread, so a scanner stuck sending never grows a buffer.
pub const MAX_SCAN_BYTES: usize = 512;

/// What the screen hears from the scanner.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScannerFeed {
    pub status: ScannerStatus,
    pub last: Option<Scan>,
}

/// The feed of a kiosk with no scanner: it never changes.
pub fn not_fitted() -> watch::Receiver<ScannerFeed> {
    let (sender, receiver) = watch::channel(ScannerFeed::default());
    // Kept alive for the program's life: a receiver whose sender is gone ends its stream,
    // which is right, but the screen would then log a closed subscription at every start.
    std::mem::forget(sender);
    receiver
}
