//! The scanner's driver: a named thread that keeps the scanner's serial port open, cuts what it
//! reads into codes ([`super::framing`]) and publishes them, with the port's state, on the
//! [`ScannerFeed`]. A port that is missing, cannot be opened or fails (unplugged) is tried
//! again every [`RETRY`]; the screen sees `Absent` with the reason meanwhile.
//!
//! Never logged: a code's text (it carries the ticket's signature); its length only.

use std::io::{ErrorKind, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serialport::{ClearBuffer, SerialPort, TTYPort};
use tokio::sync::watch;

use super::framing::{Frame, Framer};
use super::{Scan, ScannerFeed, ScannerStatus};
use crate::config::ScannerSettings;

/// How often a missing or failed port is tried again.
pub const RETRY: Duration = Duration::from_secs(1);
/// How long one read waits for bytes while part of a code is in: bounds how late a quiet gap
/// is noticed.
const READ_TIMEOUT: Duration = Duration::from_millis(20);
/// How long one read waits when nothing is pending: bounds how long stopping takes.
const IDLE_READ_TIMEOUT: Duration = Duration::from_millis(250);

/// The running driver. Dropping it stops and joins the thread.
pub struct Scanner {
    feed: watch::Receiver<ScannerFeed>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Scanner {
    /// Starts the driver thread; the port is opened there, so this never waits for it.
    pub fn start(settings: &ScannerSettings) -> Scanner {
        let port = settings.port.display().to_string();
        let (sender, feed) = watch::channel(ScannerFeed {
            status: ScannerStatus::Absent {
                reason: format!("{port}: not opened yet"),
            },
            last: None,
        });
        let stop = Arc::new(AtomicBool::new(false));
        let driver = Driver {
            settings: settings.clone(),
            port,
            sender: sender.clone(),
            stop: Arc::clone(&stop),
            seq: 0,
        };
        let thread = std::thread::Builder::new()
            .name("scanner".into())
            .spawn(move || driver.run());
        let thread = match thread {
            Ok(thread) => Some(thread),
            Err(error) => {
                tracing::error!(%error, "the scanner thread cannot start");
                let reason = format!("the scanner's thread cannot start: {error}");
                sender.send_modify(|feed| feed.status = ScannerStatus::Absent { reason });
                None
            }
        };
        Scanner { feed, stop, thread }
    }

    /// The feed the screen follows.
    pub fn watch(&self) -> watch::Receiver<ScannerFeed> {
        self.feed.clone()
    }
}

impl Drop for Scanner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Opens the scanner's port as the driver does (8N1, no flow control, raw), with what was
/// queued before it opened thrown away: a stale half code would spoil the first scan.
pub fn open_port(settings: &ScannerSettings) -> Result<TTYPort, serialport::Error> {
    let port = serialport::new(settings.port.to_string_lossy(), settings.baud)
        .data_bits(serialport::DataBits::Eight)
        .parity(serialport::Parity::None)
        .stop_bits(serialport::StopBits::One)
        .flow_control(serialport::FlowControl::None)
        .timeout(READ_TIMEOUT)
        .open_native()?;
    port.clear(ClearBuffer::Input)?;
    Ok(port)
}

/// The thread's state.
struct Driver {
    settings: ScannerSettings,
    /// The port's path, for the log and the reasons.
    port: String,
    sender: watch::Sender<ScannerFeed>,
    stop: Arc<AtomicBool>,
    /// The last code's number.
    seq: u64,
}

impl Driver {
    fn run(mut self) {
        let mut last_reason = None;
        while !self.stopped() {
            let reason = match open_port(&self.settings) {
                Ok(port) => {
                    tracing::info!(port = %self.port, baud = self.settings.baud, "scanner connected");
                    self.set_status(ScannerStatus::Connected);
                    let Some(error) = self.read(port) else {
                        return;
                    };
                    tracing::warn!(port = %self.port, %error, "scanner disconnected; trying again every second");
                    error
                }
                Err(error) => {
                    let reason = error.to_string();
                    // Once per change, not once a second for as long as it is unplugged.
                    if last_reason.as_ref() != Some(&reason) {
                        tracing::warn!(port = %self.port, error = %reason, "scanner cannot be opened; trying again every second");
                    }
                    reason
                }
            };
            self.set_status(ScannerStatus::Absent {
                reason: format!("{}: {reason}", self.port),
            });
            last_reason = Some(reason);
            self.pause(RETRY);
        }
    }

    /// Reads until the port fails (the error's words) or the driver is stopped (None).
    fn read(&mut self, mut port: TTYPort) -> Option<String> {
        let mut framer = Framer::new();
        let mut buffer = [0u8; 256];
        let mut waiting = READ_TIMEOUT;
        while !self.stopped() {
            // Short reads only while a code without its ending may be waiting for the quiet
            // gap: an idle kiosk's scanner thread wakes a few times a second, not fifty.
            let wait = if framer.is_pending() {
                READ_TIMEOUT
            } else {
                IDLE_READ_TIMEOUT
            };
            if wait != waiting && port.set_timeout(wait).is_ok() {
                waiting = wait;
            }
            match port.read(&mut buffer) {
                // A tty read returns nothing only once the line has hung up.
                Ok(0) => return Some("the port closed".into()),
                Ok(read) => {
                    for frame in framer.push(&buffer[..read], Instant::now()) {
                        self.deliver(frame);
                    }
                }
                Err(error)
                    if matches!(
                        error.kind(),
                        ErrorKind::TimedOut | ErrorKind::Interrupted | ErrorKind::WouldBlock
                    ) => {}
                Err(error) => return Some(error.to_string()),
            }
            if let Some(frame) = framer.quiet(Instant::now()) {
                self.deliver(frame);
            }
        }
        None
    }

    fn deliver(&mut self, frame: Frame) {
        match frame {
            Frame::Code(text) => {
                self.seq += 1;
                let seq = self.seq;
                tracing::info!(seq, length = text.len(), "code scanned");
                self.sender
                    .send_modify(|feed| feed.last = Some(Scan { seq, text }));
            }
            Frame::Dropped { length, why } => {
                tracing::warn!(length, why = why.describe(), "scanned line dropped");
            }
        }
    }

    fn set_status(&self, status: ScannerStatus) {
        self.sender.send_if_modified(|feed| {
            let changed = feed.status != status;
            feed.status = status;
            changed
        });
    }

    /// Waits `how_long`, or less when stopped.
    fn pause(&self, how_long: Duration) {
        let deadline = Instant::now() + how_long;
        while !self.stopped() && Instant::now() < deadline {
            std::thread::sleep(READ_TIMEOUT);
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}
