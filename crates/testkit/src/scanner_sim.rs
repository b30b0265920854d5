//! A simulated 2D scan engine (the camera-with-decoder modules kiosks fit: Newland, Honeywell,
//! Zebra, GM65/GM805) in USB-CDC "COM port" mode, on a real pseudo-terminal pair, for
//! integration tests. Like the printer simulator (read its module documentation for what a
//! pty does), a symlink at the path the driver opens points at the slave, and the simulator
//! keeps a handle on the slave: bytes sent while the driver has the port closed stay queued
//! for the next opener, so a driver should clear its input after opening, and a test should
//! wait until the driver says it is connected before it scans.
//!
//! A module sends each code it decodes as one burst: the text, then the suffix set on it by
//! its setup codes ([`Suffix`]). It never reads what the kiosk writes.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::pty::{Device, remove_link};

/// What the module sends after each code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suffix {
    Cr,
    CrLf,
    Lf,
    /// Nothing: the code ends when the line goes quiet.
    None,
}

impl Suffix {
    pub const ALL: [Suffix; 4] = [Suffix::Cr, Suffix::CrLf, Suffix::Lf, Suffix::None];

    pub fn bytes(self) -> &'static [u8] {
        match self {
            Suffix::Cr => b"\r",
            Suffix::CrLf => b"\r\n",
            Suffix::Lf => b"\n",
            Suffix::None => b"",
        }
    }
}

/// A simulated scanner on a pty pair. See the module documentation.
pub struct ScannerSim {
    link: PathBuf,
    device: Mutex<Option<Device>>,
}

impl ScannerSim {
    /// A plugged-in scanner: a new pty pair with a symlink to its slave at `link` (a path in a
    /// temp dir), which the driver opens like /dev/kiosk-scanner made by udev.
    pub fn start(link: &Path) -> ScannerSim {
        let sim = ScannerSim::unplugged(link);
        sim.replug();
        sim
    }

    /// A scanner not plugged in yet: nothing at `link` until [`ScannerSim::replug`].
    pub fn unplugged(link: &Path) -> ScannerSim {
        remove_link(link);
        ScannerSim {
            link: link.to_path_buf(),
            device: Mutex::new(None),
        }
    }

    /// The symlink the driver should open.
    pub fn device_path(&self) -> PathBuf {
        self.link.clone()
    }

    /// The pty slave behind the symlink (`/dev/pts/N`), None while unplugged.
    pub fn pty_name(&self) -> Option<String> {
        self.lock().as_ref().map(|device| device.pts.clone())
    }

    /// The module read `text`: sends it and `suffix` in one burst.
    pub fn scan(&self, text: &str, suffix: Suffix) {
        let mut burst = text.as_bytes().to_vec();
        burst.extend_from_slice(suffix.bytes());
        self.send_raw(&burst);
    }

    /// Sends any bytes (noise, half codes, a stuck module). Dropped while unplugged.
    pub fn send_raw(&self, bytes: &[u8]) {
        match self.lock().as_mut() {
            Some(device) => device.send(bytes),
            None => eprintln!(
                "scanner_sim: {} bytes sent while unplugged are dropped",
                bytes.len()
            ),
        }
    }

    /// Unplug: close the pty master and remove the symlink; the driver's reads then fail and
    /// the path is gone. Does nothing when unplugged.
    pub fn unplug(&self) {
        if self.lock().take().is_some() {
            remove_link(&self.link);
        }
    }

    /// Plug in: a new pty pair, the symlink made at the same path. Does nothing when plugged.
    pub fn replug(&self) {
        let mut device = self.lock();
        if device.is_none() {
            *device = Some(Device::open(&self.link, "scanner_sim"));
        }
    }

    /// True between `start`/`replug` and `unplug`.
    pub fn is_plugged(&self) -> bool {
        self.lock().is_some()
    }

    fn lock(&self) -> MutexGuard<'_, Option<Device>> {
        self.device
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for ScannerSim {
    fn drop(&mut self) {
        self.unplug();
    }
}
