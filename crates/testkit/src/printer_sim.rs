//! A simulated ESC/POS thermal printer on a real pseudo-terminal pair, for integration tests.
//!
//! The simulator creates a pty pair, points a symlink (like `/dev/kiosk-printer` made by udev) at the
//! slave side, and runs a thread that reads the master side, feeds the pure ESC/POS [`Decoder`]
//! (`decode`) and answers the status requests it finds (`DLE EOT n`, `GS r n`) the way a serial
//! printer in the current [`Condition`] does. The driver under test opens the symlink with
//! `serialport` exactly as it would open a real port.
//!
//! Things worth knowing (learned on Linux 6.x, see crates/testkit/tests/printer_sim_selftest.rs):
//! - The simulator keeps its own handle on the slave open. Without it, the master reports POLLHUP
//!   whenever the driver has the port closed, and `serialport`'s read then fails without reading, so
//!   bytes a driver wrote just before closing would be lost.
//! - Because of that handle, bytes sent to the driver while it has the port closed (status replies,
//!   `send_raw`) stay queued and are read by the next opener. A driver should
//!   `clear(ClearBuffer::Input)` after opening (good practice on real hardware too).
//! - A pty buffers about 17 KB written by the driver; only beyond that is the writer held up by
//!   `set_speed`. `flush()` (tcdrain) on a pty returns at once.
//! - Closing the master (`unplug`) removes `/dev/pts/N`; the driver's open handle then fails every
//!   read and write with `BrokenPipe`.
//! - `TTYPort::pair()` and `serialport::new(..).open_native()` both put the slave in raw mode
//!   (no echo, no CR/LF translation), so bytes pass unchanged. If the driver enables software flow
//!   control (IXON), the kernel itself acts on XON/XOFF sent with `send_raw`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::pty::{Device, remove_link};

mod code_page;
mod condition;
pub mod decode;
mod job;

pub use condition::{Condition, StatusRequest};
pub use decode::Decoder;
pub use job::{CutKind, PrintedJob, PrintedLine};

/// How long the reader thread sleeps when there is nothing to read.
const IDLE_SLEEP: Duration = Duration::from_millis(2);

/// A simulated printer on a pty pair. See the module documentation.
pub struct PrinterSim {
    shared: Arc<Shared>,
    link: PathBuf,
    thread: Option<JoinHandle<()>>,
}

impl PrinterSim {
    /// Starts a simulated printer on a new pty pair. `link` is a path (in a temp dir) where a symlink
    /// to the slave device is created: the driver opens `link`, like /dev/kiosk-printer made by udev.
    pub fn start(link: &Path) -> PrinterSim {
        let device = Device::open(link, "printer_sim");
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner {
                device: Some(device),
                condition: Condition::Ready,
                after: None,
                speed: None,
                decoder: Decoder::new(),
                received: Vec::new(),
            }),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("printer-sim".into())
            .spawn(move || run(&thread_shared))
            .expect("printer_sim: cannot start the reader thread");
        PrinterSim {
            shared,
            link: link.to_path_buf(),
            thread: Some(thread),
        }
    }

    /// The symlink the driver should open.
    pub fn device_path(&self) -> PathBuf {
        self.link.clone()
    }

    /// The pty slave behind the symlink (`/dev/pts/N`), None while unplugged.
    pub fn pty_name(&self) -> Option<String> {
        self.lock().device.as_ref().map(|device| device.pts.clone())
    }

    /// Changes the condition at once (a pending `set_after` stays pending).
    pub fn set(&self, condition: Condition) {
        self.lock().condition = condition;
    }

    /// The current condition.
    pub fn condition(&self) -> Condition {
        self.lock().condition
    }

    /// After `bytes` more bytes have been received (all bytes count, status queries too), switch to
    /// `condition`: byte number `bytes` (0-based) is the first one handled in the new condition.
    /// `set_after(0, c)` is `set(c)`.
    pub fn set_after(&self, bytes: usize, condition: Condition) {
        let mut inner = self.lock();
        if bytes == 0 {
            inner.condition = condition;
            inner.after = None;
        } else {
            inner.after = Some((bytes, condition));
        }
    }

    /// Read at most `bytes_per_second` (e.g. 960 for 9600 baud); None = full speed. The pty buffers
    /// about 17 KB, so only a writer ahead by more than that is held up; decoding (and answers to
    /// status queries queued behind print data) follow the rate.
    pub fn set_speed(&self, bytes_per_second: Option<u32>) {
        self.lock().speed = bytes_per_second.filter(|&rate| rate > 0);
    }

    /// Unplug: close the pty master and remove the symlink; the driver's IO then fails and the path is
    /// gone. Bytes not yet read are lost; a job in progress is recorded as incomplete with `cut: None`.
    pub fn unplug(&self) {
        let mut inner = self.lock();
        if let Some(device) = inner.device.take() {
            drop(device);
            remove_link(&self.link);
            inner.decoder.disconnect();
            drop(inner);
            self.shared.changed.notify_all();
        }
    }

    /// Plug back in: a new pty pair, the symlink re-created at the same path, same condition as
    /// before. Does nothing when plugged in.
    pub fn replug(&self) {
        let mut inner = self.lock();
        if inner.device.is_none() {
            inner.device = Some(Device::open(&self.link, "printer_sim"));
        }
    }

    /// True between `start`/`replug` and `unplug`.
    pub fn is_plugged(&self) -> bool {
        self.lock().device.is_some()
    }

    /// Send unsolicited bytes to the driver (noise, stray status bytes, XON/XOFF). Dropped while
    /// unplugged.
    pub fn send_raw(&self, bytes: &[u8]) {
        let mut inner = self.lock();
        match inner.device.as_mut() {
            Some(device) => device.send(bytes),
            None => eprintln!(
                "printer_sim: send_raw while unplugged, {} bytes dropped",
                bytes.len()
            ),
        }
    }

    /// Finished jobs (a job ends at a cut, or at `unplug`).
    pub fn jobs(&self) -> Vec<PrintedJob> {
        self.lock().decoder.jobs().to_vec()
    }

    /// The job in progress: what has arrived since the last cut (without a pending unfinished line).
    pub fn current_job(&self) -> PrintedJob {
        self.lock().decoder.current_job().clone()
    }

    /// Waits until at least `count` jobs are finished; returns what it has at `timeout`.
    pub fn wait_for_jobs(&self, count: usize, timeout: Duration) -> Vec<PrintedJob> {
        let deadline = Instant::now() + timeout;
        let mut inner = self.lock();
        loop {
            let now = Instant::now();
            if inner.decoder.jobs().len() >= count || now >= deadline {
                return inner.decoder.jobs().to_vec();
            }
            inner = match self.shared.changed.wait_timeout(inner, deadline - now) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }

    /// Waits until at least `count` bytes have been received in total; returns the count at `timeout`.
    pub fn wait_for_bytes(&self, count: usize, timeout: Duration) -> usize {
        let deadline = Instant::now() + timeout;
        let mut inner = self.lock();
        loop {
            let now = Instant::now();
            if inner.received.len() >= count || now >= deadline {
                return inner.received.len();
            }
            inner = match self.shared.changed.wait_timeout(inner, deadline - now) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }

    /// `DLE EOT n` requests received (n = 1..=4, anywhere in the stream, answered or not).
    pub fn status_queries(&self) -> usize {
        self.lock().decoder.status_queries()
    }

    /// Every byte received, in order (across unplug/replug).
    pub fn received(&self) -> Vec<u8> {
        self.lock().received.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.shared.lock()
    }
}

impl Drop for PrinterSim {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let mut inner = self.lock();
        if inner.device.take().is_some() {
            remove_link(&self.link);
        }
    }
}

struct Shared {
    inner: Mutex<Inner>,
    changed: Condvar,
    stop: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

struct Inner {
    device: Option<Device>,
    condition: Condition,
    /// (bytes still to receive, condition to switch to).
    after: Option<(usize, Condition)>,
    speed: Option<u32>,
    decoder: Decoder,
    received: Vec<u8>,
}

impl Inner {
    /// Decodes `data`, switching condition where `set_after` asked, and returns the replies
    /// due to the driver: each request is answered in the condition its bytes arrived in.
    fn receive(&mut self, data: &[u8]) -> Vec<u8> {
        self.received.extend_from_slice(data);
        let mut replies = Vec::new();
        let mut rest = data;
        while let Some((remaining, next)) = self.after {
            if remaining > rest.len() {
                self.after = Some((remaining - rest.len(), next));
                break;
            }
            let (before, after) = rest.split_at(remaining);
            self.feed(before, &mut replies);
            self.condition = next;
            self.after = None;
            rest = after;
        }
        self.feed(rest, &mut replies);
        replies
    }

    fn feed(&mut self, data: &[u8], replies: &mut Vec<u8>) {
        self.decoder.feed(data, self.condition);
        let condition = self.condition;
        replies.extend(
            self.decoder
                .take_requests()
                .into_iter()
                .filter_map(|request| condition.answer(request)),
        );
    }
}

/// The reader thread: reads the master without blocking, throttled by `speed`, until `stop`.
fn run(shared: &Shared) {
    let mut buf = vec![0u8; 4096];
    let mut tokens = 0.0f64;
    let mut last = Instant::now();
    while !shared.stop.load(Ordering::SeqCst) {
        let mut inner = shared.lock();
        let limit = match inner.speed {
            None => buf.len(),
            Some(rate) => {
                let now = Instant::now();
                let rate = f64::from(rate);
                let burst = (rate * 0.02).max(1.0);
                tokens = (tokens + rate * now.duration_since(last).as_secs_f64()).min(burst);
                last = now;
                (tokens as usize).min(buf.len())
            }
        };
        if inner.speed.is_none() {
            tokens = 0.0;
            last = Instant::now();
        }
        let Some(device) = inner.device.as_mut() else {
            drop(inner);
            std::thread::sleep(IDLE_SLEEP);
            continue;
        };
        if limit == 0 {
            drop(inner);
            std::thread::sleep(Duration::from_millis(1));
            continue;
        }
        let n = match device.master.read(&mut buf[..limit]) {
            Ok(n) if n > 0 => n,
            _ => {
                drop(inner);
                std::thread::sleep(IDLE_SLEEP);
                continue;
            }
        };
        if inner.speed.is_some() {
            tokens -= n as f64;
        }
        let replies = inner.receive(&buf[..n]);
        if let Some(device) = inner.device.as_mut().filter(|_| !replies.is_empty()) {
            device.send(&replies);
        }
        drop(inner);
        shared.changed.notify_all();
    }
}
