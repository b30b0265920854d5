//! `DLE EOT n` real-time status: the requests and what their one-byte answers mean.

use mpp_core::printer_state::PrinterState;

/// `DLE EOT n` for n = 1 (printer), 2 (offline cause), 3 (error cause), 4 (paper roll).
pub fn request(n: u8) -> [u8; 3] {
    [0x10, 0x04, n]
}

/// The four kinds of status asked, in order.
pub const KINDS: [u8; 4] = [1, 2, 3, 4];

/// Whether `byte` has the shape of a `DLE EOT` answer (`0xx1xx10`). XON/XOFF (0x11/0x13),
/// automatic status back (`0xx1xx00`) and other noise do not.
pub fn is_status_byte(byte: u8) -> bool {
    byte & 0b1001_0011 == 0b0001_0010
}

/// The printer's state from the answers to `DLE EOT` 1, 2, 3 and 4 (in that order).
/// The most urgent cause wins: what the technician must do first.
pub fn interpret(answers: [u8; 4]) -> PrinterState {
    let [printer, offline, error, paper] = answers;
    let offline_now = printer & 0x08 != 0;
    if offline & 0x04 != 0 {
        PrinterState::CoverOpen
    } else if offline & 0x20 != 0 || paper & 0x60 != 0 {
        PrinterState::PaperOut
    } else if error & 0x08 != 0 {
        PrinterState::CutterError
    } else if offline & 0x40 != 0 || error & (0x04 | 0x20 | 0x40) != 0 {
        PrinterState::Error
    } else if offline_now {
        PrinterState::Offline
    } else if paper & 0x0C != 0 {
        PrinterState::PaperNearEnd
    } else {
        PrinterState::Ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAR: u8 = 0x12;

    #[test]
    fn all_clear_is_ready() {
        assert_eq!(interpret([CLEAR; 4]), PrinterState::Ready);
    }

    #[test]
    fn each_cause_is_recognised() {
        assert_eq!(
            interpret([0x1A, 0x16, CLEAR, CLEAR]),
            PrinterState::CoverOpen
        );
        assert_eq!(interpret([0x1A, 0x32, CLEAR, 0x7E]), PrinterState::PaperOut);
        assert_eq!(
            interpret([CLEAR, CLEAR, CLEAR, 0x1E]),
            PrinterState::PaperNearEnd
        );
        assert_eq!(
            interpret([0x1A, 0x52, 0x1A, CLEAR]),
            PrinterState::CutterError
        );
        assert_eq!(interpret([0x1A, 0x52, 0x52, CLEAR]), PrinterState::Error);
        assert_eq!(interpret([0x1A, 0x1A, CLEAR, CLEAR]), PrinterState::Offline);
    }

    #[test]
    fn cover_open_outranks_paper_out() {
        assert_eq!(
            interpret([0x1A, 0x36, CLEAR, 0x7E]),
            PrinterState::CoverOpen
        );
    }

    #[test]
    fn noise_is_not_a_status_answer() {
        assert!(is_status_byte(0x12) && is_status_byte(0x7E) && is_status_byte(0x1A));
        for noise in [0x11, 0x13, 0x00, 0xFF, 0x10, 0x14, b'A'] {
            assert!(!is_status_byte(noise), "{noise:#04x}");
        }
    }
}
