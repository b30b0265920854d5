//! A simulated ESC/POS thermal printer on a real pseudo-terminal pair, for integration tests.
//!
//! The simulator creates a pty pair, points a symlink (like `/dev/kiosk-printer` made by udev) at the
//! slave side, and runs a thread that reads the master side, decodes ESC/POS incrementally and answers
//! real-time status requests (`DLE EOT n`) the way a serial printer does. The driver under test opens the
//! symlink with `serialport` exactly as it would open a real port.
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

use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};

/// How long the reader thread sleeps when there is nothing to read.
const IDLE_SLEEP: Duration = Duration::from_millis(2);
/// How long a reply or `send_raw` may wait for room in the pty before bytes are dropped.
const WRITE_DEADLINE: Duration = Duration::from_millis(500);

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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CutKind {
    Full,
    Partial,
}

/// One printed line (ended by LF, `ESC d`, or `ESC J` with text pending).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintedLine {
    /// Decoded with the printer's current code page (PC437 by default; 2 = PC850, 16 = WPC1252,
    /// 19 = PC858; other code pages give U+FFFD for bytes >= 0x80). HT is kept as '\t'.
    pub text: String,
    /// True when any character of the line was bold (for an empty line: bold at the LF).
    pub bold: bool,
    /// 0 left, 1 centre, 2 right: the alignment when the line's first character arrived.
    pub align: u8,
    /// 1..=8: the largest width magnification used in the line.
    pub width: u8,
    /// 1..=8: the largest height magnification used in the line.
    pub height: u8,
}

/// One job: everything between two cuts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintedJob {
    pub lines: Vec<PrintedLine>,
    /// Data of every QR printed (`GS ( k ... 31 51`), in order, decoded as UTF-8 (lossy).
    pub qr_codes: Vec<String>,
    /// 1 or 2 (from `31 41 31|32 ..`; 3 for micro QR, other raw values kept) if sent in this job.
    pub qr_model: Option<u8>,
    /// Module size in dots, if sent in this job.
    pub qr_module_size: Option<u8>,
    /// Raw error-correction byte (48..=51 = L, M, Q, H), if sent in this job.
    pub qr_error_correction: Option<u8>,
    /// How the job ended; None only for a job cut short by `unplug`.
    pub cut: Option<CutKind>,
    /// Raster (`GS v 0`) and column (`ESC *`) images received whole.
    pub images: usize,
    /// False when anything of the job meant for paper (text, LF, feed, image data, QR print, the cut)
    /// arrived while the printer was not printing (PaperOut, CoverOpen, CutterError, Silent), or the
    /// job was cut short by `unplug`. Set-up commands (ESC @, styles, code page, QR settings) and
    /// status queries sent while offline do not spoil the next job. The lines and QR codes are still
    /// decoded so tests can see what the driver sent.
    pub complete: bool,
    /// The last `ESC t n` sent in this job.
    pub code_page: Option<u8>,
    /// Text bytes >= 0x80 (UTF-8 sent raw shows up here).
    pub non_ascii_bytes: usize,
    /// Commands the simulator does not interpret, each as its bytes: the prefix (ESC, GS, FS, DLE)
    /// and the command byte, plus the arguments for commands whose length is known (e.g.
    /// `ESC - n`, `GS k` barcodes; only the header of length-prefixed blocks such as `GS ( L`).
    /// Stray control bytes appear alone. A `GS V` cut sent with text pending on the line (printers
    /// ignore it there) appears here too.
    pub unknown_commands: Vec<Vec<u8>>,
}

impl PrintedJob {
    fn new() -> PrintedJob {
        PrintedJob {
            lines: Vec::new(),
            qr_codes: Vec::new(),
            qr_model: None,
            qr_module_size: None,
            qr_error_correction: None,
            cut: None,
            images: 0,
            complete: true,
            code_page: None,
            non_ascii_bytes: 0,
            unknown_commands: Vec::new(),
        }
    }

    /// The line texts joined with '\n'.
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|line| line.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

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
        let device = Device::open(link);
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
            inner.device = Some(Device::open(&self.link));
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
        self.lock().decoder.jobs.clone()
    }

    /// The job in progress: what has arrived since the last cut (without a pending unfinished line).
    pub fn current_job(&self) -> PrintedJob {
        self.lock().decoder.job.clone()
    }

    /// Waits until at least `count` jobs are finished; returns what it has at `timeout`.
    pub fn wait_for_jobs(&self, count: usize, timeout: Duration) -> Vec<PrintedJob> {
        let deadline = Instant::now() + timeout;
        let mut inner = self.lock();
        loop {
            let now = Instant::now();
            if inner.decoder.jobs.len() >= count || now >= deadline {
                return inner.decoder.jobs.clone();
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
        self.lock().decoder.status_queries
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
    fn receive(&mut self, data: &[u8]) {
        self.received.extend_from_slice(data);
        let mut rest = data;
        while let Some((remaining, next)) = self.after {
            if remaining > rest.len() {
                self.after = Some((remaining - rest.len(), next));
                break;
            }
            let (before, after) = rest.split_at(remaining);
            self.decoder.feed(before, self.condition);
            self.condition = next;
            self.after = None;
            rest = after;
        }
        self.decoder.feed(rest, self.condition);
    }
}

/// One plugged-in pty pair.
struct Device {
    master: TTYPort,
    /// Held open so the master never sees a hang-up while the driver has the port closed.
    _slave: TTYPort,
    pts: String,
}

impl Device {
    fn open(link: &Path) -> Device {
        let (mut master, slave) = TTYPort::pair().expect("printer_sim: cannot create a pty pair");
        let pts = slave
            .name()
            .expect("printer_sim: the pty slave has no name");
        master
            .set_timeout(Duration::ZERO)
            .expect("printer_sim: cannot set the master timeout");
        remove_link(link);
        std::os::unix::fs::symlink(&pts, link).unwrap_or_else(|error| {
            panic!(
                "printer_sim: cannot link {} -> {pts}: {error}",
                link.display()
            )
        });
        Device {
            master,
            _slave: slave,
            pts,
        }
    }

    /// Writes everything, waiting up to WRITE_DEADLINE for room; drops the rest after that.
    fn send(&mut self, bytes: &[u8]) {
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
                        "printer_sim: {} bytes to the driver dropped: {error}",
                        rest.len()
                    );
                    return;
                }
            }
        }
    }
}

fn remove_link(link: &Path) {
    if link.symlink_metadata().is_ok() {
        let _ = std::fs::remove_file(link);
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
        inner.receive(&buf[..n]);
        let replies = std::mem::take(&mut inner.decoder.replies);
        if let Some(device) = inner.device.as_mut().filter(|_| !replies.is_empty()) {
            device.send(&replies);
        }
        drop(inner);
        shared.changed.notify_all();
    }
}

#[derive(Clone, Copy, Debug)]
struct Style {
    bold: bool,
    align: u8,
    width: u8,
    height: u8,
}

const PLAIN: Style = Style {
    bold: false,
    align: 0,
    width: 1,
    height: 1,
};

/// The incremental ESC/POS decoder and the printer state it drives.
struct Decoder {
    style: Style,
    /// Effective code page (ESC t), 0 = PC437 after power-on and ESC @.
    code_page: u8,
    /// Last QR data stored with `GS ( k 31 50 30`, printed by `31 51 30`.
    qr_data: Option<String>,
    line: String,
    line_style: Style,
    job: PrintedJob,
    /// Any byte other than real-time status requests arrived since the last cut.
    job_started: bool,
    jobs: Vec<PrintedJob>,
    /// Bytes of a command not yet complete.
    pending: Vec<u8>,
    /// Bytes of bulk data (images, unknown blocks) still to discard.
    skip: usize,
    skip_is_image: bool,
    /// The last two bytes seen, for real-time `DLE EOT n` detection anywhere in the stream.
    recent: [u8; 2],
    status_queries: usize,
    /// Bytes to send back to the driver.
    replies: Vec<u8>,
    condition: Condition,
}

impl Decoder {
    fn new() -> Decoder {
        Decoder {
            style: PLAIN,
            code_page: 0,
            qr_data: None,
            line: String::new(),
            line_style: PLAIN,
            job: PrintedJob::new(),
            job_started: false,
            jobs: Vec::new(),
            pending: Vec::new(),
            skip: 0,
            skip_is_image: false,
            recent: [0, 0],
            status_queries: 0,
            replies: Vec::new(),
            condition: Condition::Ready,
        }
    }

    fn feed(&mut self, data: &[u8], condition: Condition) {
        self.condition = condition;
        for &byte in data {
            self.real_time(byte);
        }
        self.pending.extend_from_slice(data);
        let pending = std::mem::take(&mut self.pending);
        let mut pos = 0;
        while pos < pending.len() {
            if self.skip > 0 {
                let n = self.skip.min(pending.len() - pos);
                self.skip_data(n);
                pos += n;
                continue;
            }
            match self.step(&pending[pos..]) {
                Some(n) => pos += n,
                None => break,
            }
        }
        self.pending = pending;
        self.pending.drain(..pos);
    }

    /// Real-time commands are recognised anywhere, even inside other commands' data.
    fn real_time(&mut self, byte: u8) {
        if self.recent == [0x10, 0x04] && (1..=4).contains(&byte) {
            self.status_queries += 1;
            if let Some(reply) = self.condition.status_byte(byte) {
                self.replies.push(reply);
            }
        }
        self.recent = [self.recent[1], byte];
    }

    /// Unplugged: the half-received command is lost, a started job is recorded as cut short.
    fn disconnect(&mut self) {
        self.pending.clear();
        self.skip = 0;
        self.skip_is_image = false;
        self.recent = [0, 0];
        self.replies.clear();
        if self.job_started || !self.line.is_empty() {
            if !self.line.is_empty() {
                self.finish_line();
            }
            self.job.complete = false;
            self.finish_job();
        }
    }

    /// Something that goes on paper (text, line feed, image, QR, cut) arrived: it belongs to the
    /// current job, and if the printer is not printing the job is incomplete. Set-up commands
    /// (ESC @, styles, code page, QR settings) and real-time requests do not count.
    fn touch(&mut self) {
        self.job_started = true;
        if !self.condition.prints() {
            self.job.complete = false;
        }
    }

    fn skip_data(&mut self, n: usize) {
        if self.skip_is_image {
            self.touch();
        }
        self.skip -= n;
        if self.skip == 0 && self.skip_is_image {
            self.job.images += 1;
            self.skip_is_image = false;
        }
    }

    fn start_skip(&mut self, len: usize, image: bool) {
        if image {
            self.touch();
        }
        if len == 0 {
            if image {
                self.job.images += 1;
            }
        } else {
            self.skip = len;
            self.skip_is_image = image;
        }
    }

    fn unknown(&mut self, bytes: &[u8]) {
        self.job.unknown_commands.push(bytes.to_vec());
    }

    /// Decodes one item at the start of `b` (not empty). Returns the bytes consumed, or None when the
    /// item is not complete yet (then nothing has been changed).
    fn step(&mut self, b: &[u8]) -> Option<usize> {
        match b[0] {
            0x00 | 0x0D => Some(1),
            0x0A => {
                self.touch();
                self.finish_line();
                Some(1)
            }
            0x09 | 0x20..=0x7E | 0x80..=0xFF => {
                self.touch();
                self.text(b[0]);
                Some(1)
            }
            0x10 => self.dle(b),
            0x1B => self.esc(b),
            0x1C => self.fs(b),
            0x1D => self.gs(b),
            _ => {
                self.unknown(&b[..1]);
                Some(1)
            }
        }
    }

    fn dle(&mut self, b: &[u8]) -> Option<usize> {
        let cmd = *b.get(1)?;
        let len = match cmd {
            0x04 => {
                let n = *b.get(2)?;
                if (1..=4).contains(&n) {
                    // Answered by real_time(); not part of any job.
                    return Some(3);
                }
                3
            }
            0x05 => 3,
            0x14 => 5,
            _ => 2,
        };
        if b.len() < len {
            return None;
        }
        self.unknown(&b[..len]);
        Some(len)
    }

    fn esc(&mut self, b: &[u8]) -> Option<usize> {
        let cmd = *b.get(1)?;
        match cmd {
            b'@' => {
                self.style = PLAIN;
                self.code_page = 0;
                // ESC @ clears the print buffer: text not yet ended by LF is lost.
                self.line.clear();
                Some(2)
            }
            b't' | b'a' | b'E' | b'!' | b'd' | b'J' => {
                let n = *b.get(2)?;
                match cmd {
                    b't' => {
                        self.code_page = n;
                        self.job.code_page = Some(n);
                    }
                    b'a' => match n {
                        0..=2 => self.style.align = n,
                        b'0'..=b'2' => self.style.align = n - b'0',
                        _ => self.unknown(&b[..3]),
                    },
                    b'E' => self.style.bold = n & 1 == 1,
                    b'!' => {
                        self.style.bold = n & 0x08 != 0;
                        self.style.height = if n & 0x10 != 0 { 2 } else { 1 };
                        self.style.width = if n & 0x20 != 0 { 2 } else { 1 };
                    }
                    b'd' => {
                        self.touch();
                        let mut blank = usize::from(n);
                        if !self.line.is_empty() {
                            self.finish_line();
                            blank = blank.saturating_sub(1);
                        }
                        for _ in 0..blank {
                            self.finish_line();
                        }
                    }
                    _ => {
                        // ESC J: prints pending text, the feed itself is not recorded.
                        self.touch();
                        if !self.line.is_empty() {
                            self.finish_line();
                        }
                    }
                }
                Some(3)
            }
            b'*' => {
                if b.len() < 5 {
                    return None;
                }
                let columns = usize::from(b[3]) + 256 * usize::from(b[4]);
                let bytes_per_column = if b[2] >= 32 { 3 } else { 1 };
                self.start_skip(columns * bytes_per_column, true);
                Some(5)
            }
            _ => {
                let len = 2 + esc_arity(cmd);
                if b.len() < len {
                    return None;
                }
                self.unknown(&b[..len]);
                Some(len)
            }
        }
    }

    fn fs(&mut self, b: &[u8]) -> Option<usize> {
        let cmd = *b.get(1)?;
        let len = 2 + match cmd {
            b'!' | b'-' | b'C' | b'W' => 1,
            b'p' | b'S' => 2,
            _ => 0,
        };
        if b.len() < len {
            return None;
        }
        self.unknown(&b[..len]);
        Some(len)
    }

    fn gs(&mut self, b: &[u8]) -> Option<usize> {
        let cmd = *b.get(1)?;
        match cmd {
            b'!' => {
                let n = *b.get(2)?;
                if n >> 4 > 7 || n & 0x0F > 7 {
                    // Out of range: printers ignore the command.
                    self.unknown(&b[..3]);
                } else {
                    self.style.width = (n >> 4) + 1;
                    self.style.height = (n & 0x0F) + 1;
                }
                Some(3)
            }
            b'V' => {
                let m = *b.get(2)?;
                let (kind, len) = match m {
                    0 | 48 => (Some(CutKind::Full), 3),
                    1 | 49 => (Some(CutKind::Partial), 3),
                    65 | 97 | 103 => (Some(CutKind::Full), 4),
                    66 | 98 | 104 => (Some(CutKind::Partial), 4),
                    _ => (None, 3),
                };
                if b.len() < len {
                    return None;
                }
                if kind.is_some() {
                    self.touch();
                }
                match kind {
                    Some(kind) if self.line.is_empty() => {
                        self.job.cut = Some(kind);
                        self.finish_job();
                    }
                    Some(_) => {
                        eprintln!(
                            "printer_sim: GS V with text pending on the line ({:?}) ignored: \
                             a cut is only valid at the start of a line",
                            self.line
                        );
                        self.unknown(&b[..len]);
                    }
                    None => self.unknown(&b[..len]),
                }
                Some(len)
            }
            b'(' => {
                if b.len() < 5 {
                    return None;
                }
                let body_len = usize::from(b[3]) + 256 * usize::from(b[4]);
                if b.len() < 5 + body_len {
                    return None;
                }
                if b[2] == b'k' {
                    self.code_2d(&b[..5 + body_len]);
                } else {
                    self.unknown(&b[..5]);
                }
                Some(5 + body_len)
            }
            b'v' => {
                let kind = *b.get(2)?;
                if kind != b'0' {
                    self.unknown(&b[..2]);
                    return Some(2);
                }
                if b.len() < 8 {
                    return None;
                }
                let x = usize::from(b[4]) + 256 * usize::from(b[5]);
                let y = usize::from(b[6]) + 256 * usize::from(b[7]);
                self.start_skip(x * y, true);
                Some(8)
            }
            b'a' => {
                b.get(2)?;
                Some(3)
            }
            b'r' => {
                let n = *b.get(2)?;
                // Transmit status: answered in buffer order, not in real time.
                let reply = match (n, self.condition) {
                    (_, Condition::Silent) => None,
                    (1 | 49, Condition::PaperNearEnd) => Some(0x03),
                    (1 | 49, Condition::PaperOut) => Some(0x0F),
                    (1 | 49 | 2 | 50, _) => Some(0x00),
                    _ => None,
                };
                self.replies.extend(reply);
                Some(3)
            }
            b'k' => {
                let m = *b.get(2)?;
                let len = if m <= 6 {
                    3 + b[3..].iter().position(|&byte| byte == 0)? + 1
                } else if (65..=79).contains(&m) {
                    4 + usize::from(*b.get(3)?)
                } else {
                    3
                };
                if b.len() < len {
                    return None;
                }
                self.unknown(&b[..len]);
                Some(len)
            }
            b'8' => {
                let kind = *b.get(2)?;
                if kind != b'L' {
                    self.unknown(&b[..3]);
                    return Some(3);
                }
                if b.len() < 7 {
                    return None;
                }
                let len = b[3..7]
                    .iter()
                    .rev()
                    .fold(0usize, |acc, &byte| acc * 256 + usize::from(byte));
                self.unknown(&b[..7]);
                self.start_skip(len, false);
                Some(7)
            }
            b'*' => {
                if b.len() < 4 {
                    return None;
                }
                self.unknown(&b[..4]);
                self.start_skip(usize::from(b[2]) * usize::from(b[3]) * 8, false);
                Some(4)
            }
            _ => {
                let len = 2 + gs_arity(cmd);
                if b.len() < len {
                    return None;
                }
                self.unknown(&b[..len]);
                Some(len)
            }
        }
    }

    /// `GS ( k pL pH cn fn ...`, whole.
    fn code_2d(&mut self, command: &[u8]) {
        let body = &command[5..];
        if body.len() < 2 {
            return;
        }
        let (cn, function, params) = (body[0], body[1], &body[2..]);
        if cn != 0x31 {
            self.unknown(&command[..7]);
            return;
        }
        match function {
            0x41 => {
                if let Some(&model) = params.first() {
                    self.job.qr_model = Some(match model {
                        0x31 => 1,
                        0x32 => 2,
                        0x33 => 3,
                        other => other,
                    });
                }
            }
            0x43 => self.job.qr_module_size = params.first().copied().or(self.job.qr_module_size),
            0x45 => {
                self.job.qr_error_correction =
                    params.first().copied().or(self.job.qr_error_correction)
            }
            0x50 => {
                let data = params.get(1..).unwrap_or_default();
                self.qr_data = Some(String::from_utf8_lossy(data).into_owned());
            }
            0x51 => {
                self.touch();
                if let Some(data) = self.qr_data.clone() {
                    self.job.qr_codes.push(data);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, byte: u8) {
        if self.line.is_empty() {
            self.line_style = Style {
                bold: false,
                align: self.style.align,
                width: 1,
                height: 1,
            };
        }
        self.line_style.bold |= self.style.bold;
        self.line_style.width = self.line_style.width.max(self.style.width);
        self.line_style.height = self.line_style.height.max(self.style.height);
        if byte >= 0x80 {
            self.job.non_ascii_bytes += 1;
        }
        self.line.push(decode(self.code_page, byte));
    }

    fn finish_line(&mut self) {
        let style = if self.line.is_empty() {
            self.style
        } else {
            self.line_style
        };
        self.job.lines.push(PrintedLine {
            text: std::mem::take(&mut self.line),
            bold: style.bold,
            align: style.align,
            width: style.width,
            height: style.height,
        });
    }

    fn finish_job(&mut self) {
        let job = std::mem::replace(&mut self.job, PrintedJob::new());
        self.jobs.push(job);
        self.job_started = false;
    }
}

/// Argument bytes of ESC commands the simulator records but does not interpret.
fn esc_arity(cmd: u8) -> usize {
    match cmd {
        b' ' | b'-' | b'3' | b'G' | b'M' | b'R' | b'U' | b'V' | b'{' | b'r' | b'T' | b'e'
        | b'K' | b'%' => 1,
        b'$' | b'\\' | b'c' => 2,
        b'p' => 3,
        b'W' => 8,
        _ => 0,
    }
}

/// Argument bytes of GS commands the simulator records but does not interpret.
fn gs_arity(cmd: u8) -> usize {
    match cmd {
        b'B' | b'H' | b'h' | b'w' | b'f' | b'b' | b'E' | b'I' | b'/' | b'j' | b'T' => 1,
        b'L' | b'W' | b'P' | b'$' | b'\\' => 2,
        _ => 0,
    }
}

const PC437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";
const PC850_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u{ad}±‗¾¶§÷¸°¨·¹³²■\u{a0}";
const CP1252_80_9F: &str = "€\u{fffd}‚ƒ„…†‡ˆ‰Š‹Œ\u{fffd}Ž\u{fffd}\u{fffd}‘’“”•–—˜™š›œ\u{fffd}žŸ";

/// A text byte as the printer would print it with code page `page` (ESC t numbering).
fn decode(page: u8, byte: u8) -> char {
    if byte < 0x80 {
        return char::from(byte);
    }
    let high = usize::from(byte - 0x80);
    let from = |table: &str, index: usize| table.chars().nth(index).unwrap_or('\u{fffd}');
    match page {
        0 => from(PC437_HIGH, high),
        2 => from(PC850_HIGH, high),
        19 if byte == 0xD5 => '€',
        19 => from(PC850_HIGH, high),
        16 if byte < 0xA0 => from(CP1252_80_9F, high),
        16 => char::from(byte),
        _ => '\u{fffd}',
    }
}
