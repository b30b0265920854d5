//! Pictures of tickets as a thermal printer would print them: the virtual printer of the demo,
//! the on-screen preview, and the ticket images in the README. One pixel is one printer dot
//! (203 dpi); text uses a bundled monospace font sized like the printer's 12×24 font A.

use std::sync::OnceLock;

use fontdue::{Font, FontSettings};
use image::{GrayImage, Luma};
use qrcode::{Color, EcLevel, QrCode};

use super::encode::{EncodeOptions, RasterImage, printable};
use super::settings::QrErrorCorrection;
use mpp_core::receipt::{Align, Line, Magnify, Receipt};

/// Width and height of one character cell at magnification 1, in dots (font A).
const CELL_WIDTH: u32 = 12;
const CELL_HEIGHT: u32 = 24;
/// Default ESC/POS line spacing (1/6 inch) in dots.
const LINE_PITCH: u32 = 30;
/// Blank paper around the print, in dots.
const MARGIN: u32 = 16;
const QUIET_ZONE_MODULES: u32 = 4;
const INK: Luma<u8> = Luma([0]);
const PAPER: Luma<u8> = Luma([255]);

struct Fonts {
    regular: Font,
    bold: Font,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let load = |bytes: &[u8]| {
            Font::from_bytes(bytes, FontSettings::default()).expect("the bundled font parses")
        };
        Fonts {
            regular: load(include_bytes!(
                "../../../../fonts/JetBrainsMono-Regular.ttf"
            )),
            bold: load(include_bytes!("../../../../fonts/JetBrainsMono-Bold.ttf")),
        }
    })
}

/// Draws the receipt as the printer would.
pub fn render(receipt: &Receipt, options: &EncodeOptions) -> GrayImage {
    let width_dots = receipt.width.dots();
    let mut rows: Vec<GrayImage> = Vec::new();
    if let Some(logo) = &options.logo {
        rows.push(logo_image(logo));
    }
    for line in &receipt.lines {
        match line {
            Line::Text {
                text,
                align,
                bold,
                magnify,
            } => rows.push(text_row(
                &printable(text),
                *align,
                *bold,
                *magnify,
                width_dots,
            )),
            Line::Rule => rows.push(rule_row(width_dots)),
            Line::Qr { payload } => {
                rows.push(blank_row(width_dots, LINE_PITCH));
                rows.push(qr_image(
                    payload,
                    options.qr_module_size,
                    options.qr_error_correction,
                ));
                rows.push(blank_row(width_dots, LINE_PITCH));
            }
            Line::Feed(lines) => rows.push(blank_row(width_dots, LINE_PITCH * u32::from(*lines))),
        }
    }
    stack(rows, width_dots)
}

fn blank_row(width: u32, height: u32) -> GrayImage {
    GrayImage::from_pixel(width, height.max(1), PAPER)
}

fn rule_row(width: u32) -> GrayImage {
    let mut row = blank_row(width, LINE_PITCH);
    let y = LINE_PITCH / 2;
    for x in 0..width {
        // Dashes like a row of double-width '-'.
        if x % (CELL_WIDTH * 2) < CELL_WIDTH + 4 {
            row.put_pixel(x, y, INK);
            row.put_pixel(x, y + 1, INK);
        }
    }
    row
}

fn text_row(text: &str, align: Align, bold: bool, magnify: Magnify, width: u32) -> GrayImage {
    let (scale_x, scale_y) = (u32::from(magnify.width), u32::from(magnify.height));
    let height = LINE_PITCH - CELL_HEIGHT + CELL_HEIGHT * scale_y;
    let mut row = blank_row(width, height);
    let cell = CELL_WIDTH * scale_x;
    let used = cell * text.chars().count() as u32;
    let left = match align {
        Align::Left => 0,
        Align::Center => width.saturating_sub(used) / 2,
    };
    let font = if bold {
        &fonts().bold
    } else {
        &fonts().regular
    };
    // JetBrains Mono advances 0.6 em: 20 px gives the 12-dot cell of font A.
    let size = 20.0 * scale_y as f32;
    let ascent = font
        .horizontal_line_metrics(size)
        .map_or(size * 0.8, |metrics| metrics.ascent);
    let baseline = ascent.round() as i32 + 2;
    for (index, character) in text.chars().enumerate() {
        let (metrics, coverage) = font.rasterize(character, size);
        let stretch = scale_x as f32 / scale_y as f32;
        let glyph_left =
            (left + cell * index as u32) as i32 + (metrics.xmin as f32 * stretch) as i32;
        let glyph_top = baseline - metrics.ymin - metrics.height as i32;
        let glyph_width = (metrics.width as f32 * stretch).ceil() as u32;
        for gy in 0..metrics.height as u32 {
            for gx in 0..glyph_width {
                let source_x =
                    ((gx as f32 / stretch) as usize).min(metrics.width.saturating_sub(1));
                let value = coverage[gy as usize * metrics.width + source_x];
                // Thermal dots are on or off.
                if value < 110 {
                    continue;
                }
                let (x, y) = (glyph_left + gx as i32, glyph_top + gy as i32);
                if x >= 0 && y >= 0 && (x as u32) < width && (y as u32) < height {
                    row.put_pixel(x as u32, y as u32, INK);
                }
            }
        }
    }
    row
}

fn qr_image(payload: &str, module_size: u8, correction: QrErrorCorrection) -> GrayImage {
    let level = match correction {
        QrErrorCorrection::L => EcLevel::L,
        QrErrorCorrection::M => EcLevel::M,
        QrErrorCorrection::Q => EcLevel::Q,
        QrErrorCorrection::H => EcLevel::H,
    };
    let module = u32::from(module_size.max(1));
    let Ok(code) = QrCode::with_error_correction_level(printable(payload).as_bytes(), level) else {
        return blank_row(module, module);
    };
    let modules = code.width() as u32;
    let side = (modules + 2 * QUIET_ZONE_MODULES) * module;
    let mut image = blank_row(side, side);
    for (index, color) in code.to_colors().into_iter().enumerate() {
        if color != Color::Dark {
            continue;
        }
        let (mx, my) = (index as u32 % modules, index as u32 / modules);
        for dy in 0..module {
            for dx in 0..module {
                let x = (mx + QUIET_ZONE_MODULES) * module + dx;
                let y = (my + QUIET_ZONE_MODULES) * module + dy;
                image.put_pixel(x, y, INK);
            }
        }
    }
    image
}

fn logo_image(logo: &RasterImage) -> GrayImage {
    let width = u32::from(logo.width_bytes) * 8;
    let mut image = blank_row(width, u32::from(logo.height));
    for y in 0..u32::from(logo.height) {
        for x in 0..width {
            let byte = logo.bits[(y * u32::from(logo.width_bytes) + x / 8) as usize];
            if byte & (0x80 >> (x % 8)) != 0 {
                image.put_pixel(x, y, INK);
            }
        }
    }
    image
}

/// Puts the rows under each other, centring narrower ones, with a paper margin around.
fn stack(rows: Vec<GrayImage>, width: u32) -> GrayImage {
    let height: u32 = rows.iter().map(GrayImage::height).sum();
    let mut paper = GrayImage::from_pixel(width + 2 * MARGIN, height + 2 * MARGIN, PAPER);
    let mut top = MARGIN;
    for row in rows {
        let left = MARGIN + width.saturating_sub(row.width()) / 2;
        image::imageops::replace(&mut paper, &row, i64::from(left), i64::from(top));
        top += row.height();
    }
    paper
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpp_core::receipt::PaperWidth;

    fn ink_in(image: &GrayImage) -> usize {
        image.pixels().filter(|pixel| pixel.0[0] == 0).count()
    }

    #[test]
    fn text_leaves_ink_and_bigger_text_more() {
        let small = text_row("DKC-014", Align::Center, true, Magnify::NORMAL, 576);
        let big = text_row(
            "DKC-014",
            Align::Center,
            true,
            Magnify {
                width: 4,
                height: 4,
            },
            576,
        );
        assert!(ink_in(&small) > 100);
        assert!(ink_in(&big) > 8 * ink_in(&small));
        assert_eq!(big.height(), LINE_PITCH - CELL_HEIGHT + 4 * CELL_HEIGHT);
    }

    #[test]
    fn the_qr_code_decodes_back_to_its_payload_size() {
        let image = qr_image(
            "https://mpp.example.go.id/t/abc?s=0123",
            4,
            QrErrorCorrection::M,
        );
        let code = QrCode::with_error_correction_level(
            b"https://mpp.example.go.id/t/abc?s=0123",
            EcLevel::M,
        )
        .expect("qr");
        let expected = (code.width() as u32 + 8) * 4;
        assert_eq!(image.dimensions(), (expected, expected));
        // The quiet zone is blank.
        assert!((0..16).all(|i| image.get_pixel(i, i).0[0] == 255));
    }

    #[test]
    fn a_receipt_is_as_wide_as_the_paper() {
        let receipt = Receipt {
            width: PaperWidth::Mm58,
            lines: vec![
                Line::Text {
                    text: "MPP".into(),
                    align: Align::Center,
                    bold: true,
                    magnify: Magnify::NORMAL,
                },
                Line::Rule,
                Line::Qr {
                    payload: "x".into(),
                },
            ],
        };
        let image = render(&receipt, &EncodeOptions::default());
        assert_eq!(image.width(), 384 + 2 * MARGIN);
        assert!(ink_in(&image) > 0);
    }
}
