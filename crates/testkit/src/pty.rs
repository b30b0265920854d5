//! One plugged-in simulated serial device: a pty pair with a symlink at the path the driver
//! opens (as udev makes /dev/kiosk-printer or /dev/kiosk-scanner), shared by the printer and
//! the scanner simulators. What a pty does that matters to a driver is in the printer
//! simulator's module documentation.

use std::io::{ErrorKind, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};

/// How long `send` may wait for room in the pty before bytes are dropped.
const WRITE_DEADLINE: Duration = Duration::from_millis(500);

/// A pty pair; dropping it closes the master (the device is unplugged: `/dev/pts/N` goes, the
/// driver's open handle fails). The symlink is the owner's to remove.
pub(crate) struct Device {
    pub(crate) master: TTYPort,
    /// Held open so the master never sees a hang-up while the driver has the port closed.
    _slave: TTYPort,
    /// The slave's name, `/dev/pts/N`.
    pub(crate) pts: String,
    /// Which simulator, for its messages.
    who: &'static str,
}

impl Device {
    /// A new pty pair, with `link` (replaced if it exists) pointing at its slave.
    pub(crate) fn open(link: &Path, who: &'static str) -> Device {
        let (mut master, slave) = TTYPort::pair()
            .unwrap_or_else(|error| panic!("{who}: cannot create a pty pair: {error}"));
        let pts = slave
            .name()
            .unwrap_or_else(|| panic!("{who}: the pty slave has no name"));
        master
            .set_timeout(Duration::ZERO)
            .unwrap_or_else(|error| panic!("{who}: cannot set the master timeout: {error}"));
        remove_link(link);
        std::os::unix::fs::symlink(&pts, link).unwrap_or_else(|error| {
            panic!("{who}: cannot link {} -> {pts}: {error}", link.display())
        });
        Device {
            master,
            _slave: slave,
            pts,
            who,
        }
    }

    /// Writes everything to the driver, waiting up to WRITE_DEADLINE for room; drops the rest
    /// after that.
    pub(crate) fn send(&mut self, bytes: &[u8]) {
        let deadline = Instant::now() + WRITE_DEADLINE;
        let mut rest = bytes;
        while !rest.is_empty() {
            match self.master.write(rest) {
                Ok(n) => rest = &rest[n..],
                Err(error) if error.kind() == ErrorKind::TimedOut && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(error) => {
                    eprintln!(
                        "{}: {} bytes to the driver dropped: {error}",
                        self.who,
                        rest.len()
                    );
                    return;
                }
            }
        }
    }
}

/// Removes the symlink at `link`, if there is one.
pub(crate) fn remove_link(link: &Path) {
    if link.symlink_metadata().is_ok() {
        let _ = std::fs::remove_file(link);
    }
}
