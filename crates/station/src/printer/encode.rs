//! A receipt as ESC/POS bytes. Text styles go through the `escpos` crate; the QR code and the
//! cut are written by hand because the crate's defaults are wrong for us (model 1 QR, a full
//! cut behind `partial_cut`). Text is reduced to plain ASCII first, so no UTF-8 bytes ever
//! reach a printer that would print them as garbage.

use std::cell::RefCell;
use std::rc::Rc;

use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::utils::{JustifyMode, PageCode, Protocol};

use super::settings::QrErrorCorrection;
use mpp_core::receipt::{Align, Line, Magnify, Receipt};

/// How the QR code and the optional logo are printed.
#[derive(Clone, Debug)]
pub struct EncodeOptions {
    /// Dots per QR module, 1–16.
    pub qr_module_size: u8,
    pub qr_error_correction: QrErrorCorrection,
    /// Prepared `GS v 0` raster logo, printed centred at the top.
    pub logo: Option<RasterImage>,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        Self {
            qr_module_size: 6,
            qr_error_correction: QrErrorCorrection::M,
            logo: None,
        }
    }
}

/// A 1-bit image, rows of `width_bytes` bytes, most significant bit leftmost, 1 = black.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RasterImage {
    pub width_bytes: u16,
    pub height: u16,
    pub bits: Vec<u8>,
}

pub const LF: u8 = 0x0A;

/// `GS ( k`: QR code model 2, module size, error correction, store, print.
pub fn qr_code(payload: &str, module_size: u8, correction: QrErrorCorrection) -> Vec<u8> {
    let level = match correction {
        QrErrorCorrection::L => 48,
        QrErrorCorrection::M => 49,
        QrErrorCorrection::Q => 50,
        QrErrorCorrection::H => 51,
    };
    let stored = payload.len() + 3;
    let mut bytes = vec![
        0x1D,
        0x28,
        0x6B,
        0x04,
        0x00,
        0x31,
        0x41,
        0x32,
        0x00, // model 2
        0x1D,
        0x28,
        0x6B,
        0x03,
        0x00,
        0x31,
        0x43,
        module_size.clamp(1, 16),
        0x1D,
        0x28,
        0x6B,
        0x03,
        0x00,
        0x31,
        0x45,
        level,
        0x1D,
        0x28,
        0x6B,
        (stored & 0xFF) as u8,
        (stored >> 8) as u8,
        0x31,
        0x50,
        0x30,
    ];
    bytes.extend_from_slice(payload.as_bytes());
    bytes.extend_from_slice(&[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]);
    bytes
}

/// `GS V 66 0`: feed to the cutter and cut partially (a hinge keeps the ticket from falling).
pub const PARTIAL_CUT: [u8; 4] = [0x1D, 0x56, 0x42, 0x00];

/// `GS v 0`: a raster image.
pub fn raster(image: &RasterImage) -> Vec<u8> {
    let [xl, xh] = image.width_bytes.to_le_bytes();
    let [yl, yh] = image.height.to_le_bytes();
    let mut bytes = vec![0x1D, 0x76, 0x30, 0x00, xl, xh, yl, yh];
    bytes.extend_from_slice(&image.bits);
    bytes
}

/// Collects what the `escpos` printer writes.
#[derive(Clone, Default)]
struct Collector(Rc<RefCell<Vec<u8>>>);

impl Driver for Collector {
    fn name(&self) -> String {
        "collector".into()
    }

    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }

    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }

    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// Tracks styles so each command is sent only when it changes (bytes are wire time).
struct Style {
    align: Option<Align>,
    bold: bool,
    magnify: Magnify,
}

/// The whole job for a receipt: initialise, code page, lines, QR, cut.
pub fn encode(receipt: &Receipt, options: &EncodeOptions) -> Vec<u8> {
    let collector = Collector::default();
    let mut printer = Printer::new(collector.clone(), Protocol::default(), None);
    write_receipt(&mut printer, receipt, options)
        .expect("encoding into memory fails only on invalid sizes, which the layout never makes");
    collector.0.take()
}

fn write_receipt(
    printer: &mut Printer<Collector>,
    receipt: &Receipt,
    options: &EncodeOptions,
) -> escpos::errors::Result<()> {
    printer.init()?.page_code(PageCode::PC437)?;
    let mut style = Style {
        align: None,
        bold: false,
        magnify: Magnify::NORMAL,
    };
    if let Some(logo) = &options.logo {
        set_align(printer, &mut style, Align::Center)?;
        printer.custom(&raster(logo))?;
    }
    let columns = receipt.width.columns();
    for line in &receipt.lines {
        match line {
            Line::Text {
                text,
                align,
                bold,
                magnify,
            } => {
                set_align(printer, &mut style, *align)?;
                set_bold(printer, &mut style, *bold)?;
                set_magnify(printer, &mut style, *magnify)?;
                printer.write(&printable(text))?.custom(&[LF])?;
            }
            Line::Rule => {
                // Double-width dashes: a full-width rule in half the bytes.
                set_align(printer, &mut style, Align::Left)?;
                set_magnify(
                    printer,
                    &mut style,
                    Magnify {
                        width: 2,
                        height: 1,
                    },
                )?;
                printer.write(&"-".repeat(columns / 2))?.custom(&[LF])?;
            }
            Line::Qr { payload } => {
                set_align(printer, &mut style, Align::Center)?;
                let qr = qr_code(
                    &printable(payload),
                    options.qr_module_size,
                    options.qr_error_correction,
                );
                // Blank lines above and below keep the quiet zone scanners need.
                printer.custom(&[LF])?.custom(&qr)?.custom(&[LF])?;
            }
            Line::Feed(lines) => {
                printer.feeds(*lines)?;
            }
        }
    }
    printer.custom(&PARTIAL_CUT)?.print()?;
    Ok(())
}

fn set_align(
    printer: &mut Printer<Collector>,
    style: &mut Style,
    align: Align,
) -> escpos::errors::Result<()> {
    let mode = match align {
        Align::Left => JustifyMode::LEFT,
        Align::Center => JustifyMode::CENTER,
    };
    send_if_changed(&mut style.align, Some(align), || printer.justify(mode))
}

fn set_bold(
    printer: &mut Printer<Collector>,
    style: &mut Style,
    bold: bool,
) -> escpos::errors::Result<()> {
    send_if_changed(&mut style.bold, bold, || printer.bold(bold))
}

fn set_magnify(
    printer: &mut Printer<Collector>,
    style: &mut Style,
    magnify: Magnify,
) -> escpos::errors::Result<()> {
    send_if_changed(&mut style.magnify, magnify, || {
        printer.size(magnify.width, magnify.height)
    })
}

/// Sends the command only when the printer's current style differs from the wanted one.
fn send_if_changed<T: PartialEq, Sent>(
    current: &mut T,
    wanted: T,
    send: impl FnOnce() -> escpos::errors::Result<Sent>,
) -> escpos::errors::Result<()> {
    if *current != wanted {
        send()?;
        *current = wanted;
    }
    Ok(())
}

/// Plain printable ASCII: dashes and bullets become `-` (how tickets write "Loket 1–4 · Rp"),
/// everything else is transliterated by `deunicode` (accents dropped, other scripts spelled out),
/// and whatever is still not printable ASCII becomes `?`. Control bytes never pass, so text can
/// never smuggle a command (such as `DLE EOT`) into the job.
pub fn printable(text: &str) -> String {
    let mut ascii = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' '..='~' => ascii.push(c),
            '–' | '—' | '‒' | '−' | '·' | '•' => ascii.push('-'),
            '\u{a0}' | '\t' => ascii.push(' '),
            _ => match deunicode::deunicode_char(c) {
                Some(spelled) if !spelled.is_empty() => ascii.extend(
                    spelled
                        .chars()
                        .map(|c| if (' '..='~').contains(&c) { c } else { '?' }),
                ),
                _ => ascii.push('?'),
            },
        }
    }
    ascii
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpp_core::receipt::PaperWidth;

    fn text(text: &str, align: Align, bold: bool, magnify: Magnify) -> Line {
        Line::Text {
            text: text.into(),
            align,
            bold,
            magnify,
        }
    }

    #[test]
    fn qr_is_model_2_with_our_size_and_correction() {
        let bytes = qr_code("AB", 6, QrErrorCorrection::M);
        assert_eq!(
            bytes,
            [
                0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00, //
                0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06, //
                0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31, //
                0x1D, 0x28, 0x6B, 0x05, 0x00, 0x31, 0x50, 0x30, b'A', b'B', //
                0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30,
            ]
        );
        let long = "x".repeat(300);
        let bytes = qr_code(&long, 20, QrErrorCorrection::H);
        assert_eq!(bytes[16], 16, "module size is clamped to 16");
        assert_eq!(bytes[24], 51);
        assert_eq!(&bytes[28..30], &[0x2F, 0x01], "303 = 0x012F, little-endian");
    }

    #[test]
    fn a_small_receipt_is_byte_exact() {
        let receipt = Receipt {
            width: PaperWidth::Mm58,
            lines: vec![
                text("MPP", Align::Center, true, Magnify::NORMAL),
                text(
                    "A-1",
                    Align::Center,
                    true,
                    Magnify {
                        width: 4,
                        height: 4,
                    },
                ),
                Line::Rule,
                text("Biaya: Gratis", Align::Left, false, Magnify::NORMAL),
                Line::Qr {
                    payload: "u".into(),
                },
            ],
        };
        let bytes = encode(&receipt, &EncodeOptions::default());
        let mut expected = vec![
            0x1B, 0x40, // ESC @ initialise
            0x1B, 0x74, 0x00, // ESC t 0: PC437
            0x1B, 0x61, 0x01, // centre
            0x1B, 0x45, 0x01, // bold
            b'M', b'P', b'P', LF, //
            0x1D, 0x21, 0x33, // 4x4
            b'A', b'-', b'1', LF, //
            0x1B, 0x61, 0x00, // left
            0x1D, 0x21, 0x10, // double width
        ];
        expected.extend_from_slice(&[b'-'; 16]);
        expected.push(LF);
        expected.extend_from_slice(&[0x1B, 0x45, 0x00, 0x1D, 0x21, 0x00]);
        expected.extend_from_slice(b"Biaya: Gratis\n");
        expected.extend_from_slice(&[0x1B, 0x61, 0x01, LF]);
        expected.extend(qr_code("u", 6, QrErrorCorrection::M));
        expected.push(LF);
        expected.extend_from_slice(&PARTIAL_CUT);
        assert_eq!(bytes, expected);
    }

    #[test]
    fn text_never_carries_utf8_or_control_bytes() {
        assert_eq!(printable("Loket 1–4 · Rp 30.000"), "Loket 1-4 - Rp 30.000");
        assert_eq!(printable("Café “Ñ”…"), "Cafe \"N\"...");
        assert_eq!(printable("\u{10}\u{4}\u{1}"), "???");
        assert_eq!(printable("\u{e000}"), "?", "private use: nothing to spell");
        assert!(
            printable("Đặng 漢 ß")
                .bytes()
                .all(|b| (b' '..=b'~').contains(&b))
        );
    }

    #[test]
    fn a_logo_is_a_raster_at_the_top() {
        let logo = RasterImage {
            width_bytes: 2,
            height: 1,
            bits: vec![0xF0, 0x0F],
        };
        let receipt = Receipt {
            width: PaperWidth::Mm80,
            lines: vec![],
        };
        let options = EncodeOptions {
            logo: Some(logo),
            ..EncodeOptions::default()
        };
        let bytes = encode(&receipt, &options);
        let raster_at = bytes
            .windows(4)
            .position(|w| w == [0x1D, 0x76, 0x30, 0x00])
            .expect("raster");
        assert_eq!(
            &bytes[raster_at + 4..raster_at + 10],
            &[2, 0, 1, 0, 0xF0, 0x0F]
        );
    }
}
