//! The pure ESC/POS decoder behind the printer simulator: bytes in (in chunks of any size),
//! out come finished jobs with their lines, QR codes, images and the commands it does not
//! interpret, plus the status requests the bytes asked, in the order their replies are due.
//! No IO and no threads: the pty part feeds it and answers the requests.

use super::code_page::char_for;
use super::condition::{Condition, StatusRequest};
use super::job::{CutKind, PrintedJob, PrintedLine};

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
pub struct Decoder {
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
    /// Status requests not yet taken by `take_requests`, in the order their replies are due.
    requests: Vec<StatusRequest>,
    /// The condition of the bytes being fed: whether they reach paper.
    condition: Condition,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    /// A printer just powered on: plain style, PC437, no job yet.
    pub fn new() -> Decoder {
        Decoder {
            style: PLAIN,
            code_page: 0,
            qr_data: None,
            line: String::new(),
            line_style: PLAIN,
            job: PrintedJob::default(),
            job_started: false,
            jobs: Vec::new(),
            pending: Vec::new(),
            skip: 0,
            skip_is_image: false,
            recent: [0, 0],
            status_queries: 0,
            requests: Vec::new(),
            condition: Condition::Ready,
        }
    }

    /// Decodes the next bytes of the stream, received while the printer was in `condition`.
    /// A command cut short at the end of `data` is kept until the rest arrives.
    pub fn feed(&mut self, data: &[u8], condition: Condition) {
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
            self.requests.push(StatusRequest::RealTime(byte));
        }
        self.recent = [self.recent[1], byte];
    }

    /// The status requests fed since the last call, oldest first.
    pub fn take_requests(&mut self) -> Vec<StatusRequest> {
        std::mem::take(&mut self.requests)
    }

    /// Finished jobs, oldest first.
    pub fn jobs(&self) -> &[PrintedJob] {
        &self.jobs
    }

    /// What has arrived since the last cut (without a pending unfinished line).
    pub fn current_job(&self) -> &PrintedJob {
        &self.job
    }

    /// `DLE EOT n` requests fed so far (n = 1..=4, anywhere in the stream).
    pub fn status_queries(&self) -> usize {
        self.status_queries
    }

    /// Unplugged: the half-received command is lost, a started job is recorded as cut short.
    pub fn disconnect(&mut self) {
        self.pending.clear();
        self.skip = 0;
        self.skip_is_image = false;
        self.recent = [0, 0];
        self.requests.clear();
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

    /// A command of `len` bytes the simulator does not act on: recorded once it is all there.
    fn skip_unknown(&mut self, b: &[u8], len: usize) -> Option<usize> {
        if b.len() < len {
            return None;
        }
        self.unknown(&b[..len]);
        Some(len)
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
        self.skip_unknown(b, len)
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
            _ => self.skip_unknown(b, 2 + esc_arity(cmd)),
        }
    }

    fn fs(&mut self, b: &[u8]) -> Option<usize> {
        let cmd = *b.get(1)?;
        let len = 2 + match cmd {
            b'!' | b'-' | b'C' | b'W' => 1,
            b'p' | b'S' => 2,
            _ => 0,
        };
        self.skip_unknown(b, len)
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
                self.requests.push(StatusRequest::Transmit(n));
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
                self.skip_unknown(b, len)
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
            _ => self.skip_unknown(b, 2 + gs_arity(cmd)),
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
        self.line.push(char_for(self.code_page, byte));
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
        let job = std::mem::take(&mut self.job);
        self.jobs.push(job);
        self.job_started = false;
    }
}

#[cfg(test)]
mod tests;

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
