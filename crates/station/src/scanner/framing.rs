//! Cutting the scanner's byte stream into codes, without IO: the driver feeds what it reads
//! and asks, when nothing came for a while, whether a code without an ending is complete.
//!
//! A code ends at CR, LF or CRLF (one ending, never an empty second line), or after a quiet
//! [`QUIET_GAP`] following bytes with no ending (a module set to send no suffix). A line is
//! kept to [`MAX_SCAN_BYTES`]: a longer one is discarded as it arrives, up to its ending, so
//! the buffer never grows past the bound. What is not one of ours comes out as a [`Frame::Dropped`]
//! with its length and why, for the log; never its content (a ticket's code carries its
//! signature).

use std::time::{Duration, Instant};

use super::MAX_SCAN_BYTES;

/// Silence after bytes with no ending that ends a code: the modules send a code's bytes
/// back to back (about 1 ms a byte at 9600 baud), so a tenth of a second is a finished code.
pub const QUIET_GAP: Duration = Duration::from_millis(100);

const CR: u8 = b'\r';
const LF: u8 = b'\n';

/// One line out of the stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// A code: valid UTF-8, trimmed of whitespace and control characters at both ends, not
    /// empty, at most [`MAX_SCAN_BYTES`] bytes.
    Code(String),
    /// A line that is not a code: `length` bytes (without the ending), and why.
    Dropped { length: usize, why: DropReason },
}

/// Why a line was dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// Longer than [`MAX_SCAN_BYTES`].
    TooLong,
    /// Not UTF-8.
    NotUtf8,
    /// Nothing left after trimming whitespace and control characters.
    Empty,
}

impl DropReason {
    /// For the log.
    pub fn describe(self) -> &'static str {
        match self {
            DropReason::TooLong => "longer than a ticket's code",
            DropReason::NotUtf8 => "not UTF-8 text",
            DropReason::Empty => "empty",
        }
    }
}

/// The line being read.
#[derive(Debug, Default)]
pub struct Framer {
    line: Vec<u8>,
    /// Bytes of a line past the bound, discarded as they came: the line is dropped at its end.
    overflowed: Option<usize>,
    /// The last line ended at a CR: a LF right after it is the same ending.
    after_cr: bool,
    /// When the last byte of an unfinished line arrived.
    last_byte: Option<Instant>,
}

impl Framer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes bytes read at `now`; returns the lines they finished, in order.
    pub fn push(&mut self, bytes: &[u8], now: Instant) -> Vec<Frame> {
        let mut frames = Vec::new();
        for &byte in bytes {
            let after_cr = std::mem::take(&mut self.after_cr);
            match byte {
                LF if after_cr => {}
                CR | LF => {
                    self.after_cr = byte == CR;
                    frames.push(self.finish());
                }
                _ => self.take(byte),
            }
        }
        self.last_byte = self.is_pending().then_some(now);
        frames
    }

    /// Called when nothing arrived: the unfinished line, once it has been quiet for
    /// [`QUIET_GAP`] at `now`.
    pub fn quiet(&mut self, now: Instant) -> Option<Frame> {
        let last = self.last_byte?;
        if now.saturating_duration_since(last) < QUIET_GAP {
            return None;
        }
        Some(self.finish())
    }

    /// Bytes held of a line with no ending yet.
    pub fn is_pending(&self) -> bool {
        !self.line.is_empty() || self.overflowed.is_some()
    }

    fn take(&mut self, byte: u8) {
        if let Some(length) = &mut self.overflowed {
            *length += 1;
        } else if self.line.len() == MAX_SCAN_BYTES {
            self.overflowed = Some(self.line.len() + 1);
            self.line.clear();
        } else {
            self.line.push(byte);
        }
    }

    /// Ends the line being read.
    fn finish(&mut self) -> Frame {
        self.last_byte = None;
        if let Some(length) = self.overflowed.take() {
            return Frame::Dropped {
                length,
                why: DropReason::TooLong,
            };
        }
        let line = std::mem::take(&mut self.line);
        let length = line.len();
        let Ok(text) = String::from_utf8(line) else {
            return Frame::Dropped {
                length,
                why: DropReason::NotUtf8,
            };
        };
        let code = text.trim_matches(|c: char| c.is_whitespace() || c.is_control());
        if code.is_empty() {
            return Frame::Dropped {
                length,
                why: DropReason::Empty,
            };
        }
        Frame::Code(code.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Frame {
        Frame::Code(text.into())
    }

    fn dropped(length: usize, why: DropReason) -> Frame {
        Frame::Dropped { length, why }
    }

    /// Feeds each piece at the same instant; returns every frame.
    fn frames(pieces: &[&[u8]]) -> Vec<Frame> {
        let mut framer = Framer::new();
        let now = Instant::now();
        pieces
            .iter()
            .flat_map(|piece| framer.push(piece, now))
            .collect()
    }

    const LINK: &str = "https://mpp.example.go.id/t/KIOSK-1/01JD?s=abc";

    #[test]
    fn each_ending_ends_a_code_and_crlf_is_one_ending() {
        for ending in ["\r", "\n", "\r\n"] {
            let stream = format!("{LINK}{ending}A-001{ending}");
            assert_eq!(
                frames(&[stream.as_bytes()]),
                [code(LINK), code("A-001")],
                "{ending:?}"
            );
        }
    }

    #[test]
    fn an_ending_split_across_reads_is_still_one() {
        let got = frames(&[b"ABC\r", b"\nDEF\r", b"", b"\n"]);
        assert_eq!(got, [code("ABC"), code("DEF")]);
        let got = frames(&[b"AB", b"C", b"\n"]);
        assert_eq!(got, [code("ABC")]);
    }

    #[test]
    fn a_lone_ending_or_blank_line_is_dropped_as_empty() {
        assert_eq!(frames(&[b"\n"]), [dropped(0, DropReason::Empty)]);
        assert_eq!(frames(&[b"\r\r\n"]), vec![dropped(0, DropReason::Empty); 2]);
        assert_eq!(frames(&[b" \t\x02 \n"]), [dropped(4, DropReason::Empty)]);
        assert_eq!(frames(&[b"\n\r"]), vec![dropped(0, DropReason::Empty); 2]);
    }

    #[test]
    fn whitespace_and_control_characters_are_trimmed_at_both_ends_only() {
        assert_eq!(frames(&[b"\x02 A 1\t\x03\r\n"]), [code("A 1")]);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_dropped_and_the_next_code_read() {
        let got = frames(&[b"\xff\xfe\x80abc\r\n", b"A-002\r\n"]);
        assert_eq!(got, [dropped(6, DropReason::NotUtf8), code("A-002")]);
        // Multi-byte text is fine.
        assert_eq!(
            frames(&["Dukcapil – É\n".as_bytes()]),
            [code("Dukcapil – É")]
        );
    }

    #[test]
    fn a_line_at_the_bound_is_kept_one_past_it_dropped_without_growing() {
        let at_bound = "x".repeat(MAX_SCAN_BYTES);
        assert_eq!(
            frames(&[format!("{at_bound}\n").as_bytes()]),
            [code(&at_bound)]
        );
        let mut framer = Framer::new();
        let now = Instant::now();
        let huge = vec![b'y'; 10 * 1024];
        for chunk in huge.chunks(100) {
            assert!(framer.push(chunk, now).is_empty());
            assert!(framer.line.capacity() <= MAX_SCAN_BYTES * 2, "bounded");
        }
        assert_eq!(
            framer.push(b"\r\nA-003\r\n", now),
            [dropped(10 * 1024, DropReason::TooLong), code("A-003")]
        );
        assert!(!framer.is_pending());
    }

    #[test]
    fn a_code_without_an_ending_ends_after_the_quiet_gap() {
        let mut framer = Framer::new();
        let start = Instant::now();
        assert!(framer.push(b"A-0", start).is_empty());
        assert!(
            framer
                .push(b"04", start + Duration::from_millis(60))
                .is_empty()
        );
        // Measured from the last byte, not the first.
        let last = start + Duration::from_millis(60);
        assert_eq!(
            framer.quiet(last + QUIET_GAP - Duration::from_millis(1)),
            None
        );
        assert_eq!(framer.quiet(last + QUIET_GAP), Some(code("A-004")));
        assert_eq!(framer.quiet(last + QUIET_GAP * 5), None, "once");
        assert!(framer.push(b"A-005", last + QUIET_GAP * 6).is_empty());
        assert_eq!(framer.quiet(last + QUIET_GAP * 8), Some(code("A-005")));
    }

    #[test]
    fn nothing_pending_means_nothing_on_quiet() {
        let mut framer = Framer::new();
        let now = Instant::now();
        assert_eq!(framer.quiet(now + QUIET_GAP * 10), None);
        assert_eq!(framer.push(b"A-006\r\n", now), [code("A-006")]);
        assert_eq!(
            framer.quiet(now + QUIET_GAP * 10),
            None,
            "ended by its suffix"
        );
    }

    #[test]
    fn an_overlong_line_without_an_ending_is_dropped_on_quiet() {
        let mut framer = Framer::new();
        let now = Instant::now();
        assert!(framer.push(&vec![b'z'; MAX_SCAN_BYTES + 5], now).is_empty());
        assert_eq!(
            framer.quiet(now + QUIET_GAP),
            Some(dropped(MAX_SCAN_BYTES + 5, DropReason::TooLong))
        );
        assert_eq!(framer.push(b"A-007\n", now + QUIET_GAP), [code("A-007")]);
    }
}
