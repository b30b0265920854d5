//! Print jobs: a receipt with its bytes, built from a ticket with everything prepared once.

use chrono::{DateTime, Utc};

use super::encode::{EncodeOptions, RasterImage, encode};
use mpp_core::catalog::Catalog;
use mpp_core::day::TimeZone;
use mpp_core::ids::TicketId;
use mpp_core::lang::Language;
use mpp_core::receipt::{
    Align, Line, Magnify, PaperWidth, Receipt, ReceiptSettings, ticket_receipt, wrap,
};
use mpp_core::survey::code::survey_code;
use mpp_core::ticket::Ticket;

/// The most a logo may take: small, so the number stays the eye-catcher and the raster
/// (1 KiB, about a second at 9600 baud) does not hold the visitor up for long.
const LOGO_MAX_WIDTH: u32 = 128;
const LOGO_MAX_HEIGHT: u32 = 64;

/// One thing to print.
#[derive(Clone, Debug)]
pub struct Job {
    /// The ticket it prints, if any (a test page has none).
    pub ticket_id: Option<TicketId>,
    /// Short name for files and logs, e.g. `DKC-014`.
    pub name: String,
    pub receipt: Receipt,
    pub options: EncodeOptions,
    pub bytes: Vec<u8>,
}

impl Job {
    pub fn new(
        ticket_id: Option<TicketId>,
        name: String,
        receipt: Receipt,
        options: EncodeOptions,
    ) -> Self {
        let bytes = encode(&receipt, &options);
        Self {
            ticket_id,
            name,
            receipt,
            options,
            bytes,
        }
    }

    /// `DKC-014-0192f0c2`: unique enough for a folder of recent prints.
    pub fn file_stem(&self) -> String {
        let id: String = self
            .ticket_id
            .as_deref()
            .unwrap_or("page")
            .chars()
            .take(8)
            .collect();
        let safe: String = self
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("{safe}-{id}")
    }
}

/// Everything about the paper that does not change between tickets, prepared at startup.
#[derive(Clone, Debug)]
pub struct Layout {
    pub mpp_name: String,
    pub mpp_address: String,
    pub complaints: String,
    pub time_zone: TimeZone,
    pub language: Language,
    pub width: PaperWidth,
    pub options: EncodeOptions,
    /// The ticket-signing key the survey code is cut from; `None` where the survey is off.
    pub survey_key: Option<Vec<u8>>,
}

impl Layout {
    /// The same paper in the language a visitor chose on the screen.
    pub fn in_language(&self, language: Language) -> Layout {
        Layout {
            language,
            ..self.clone()
        }
    }

    pub fn ticket_job(&self, ticket: &Ticket, catalog: &Catalog) -> Job {
        let survey_code = self
            .survey_key
            .as_ref()
            .map(|key| survey_code(&ticket.kiosk, &ticket.id, key));
        let settings = ReceiptSettings {
            mpp_name: &self.mpp_name,
            mpp_address: &self.mpp_address,
            complaints: &self.complaints,
            time_zone: self.time_zone,
            language: self.language,
            width: self.width,
            survey_code: survey_code.as_deref(),
        };
        let receipt = ticket_receipt(ticket, catalog, &settings);
        Job::new(
            Some(ticket.id.clone()),
            ticket.number.clone(),
            receipt,
            self.options.clone(),
        )
    }

    /// A page for technicians: every style, the code page, a QR code.
    pub fn test_page(&self, kiosk: &str, now: DateTime<Utc>) -> Job {
        let columns = self.width.columns();
        let mut lines = Vec::new();
        let mut text = |text: &str, align, bold, magnify: Magnify| {
            for part in wrap(text, columns / usize::from(magnify.columns())) {
                lines.push(Line::Text {
                    text: part,
                    align,
                    bold,
                    magnify,
                });
            }
        };
        let local = self.time_zone.local(now);
        text(
            "TEST PRINTER / HALAMAN UJI",
            Align::Center,
            true,
            Magnify::NORMAL,
        );
        text(&self.mpp_name, Align::Center, false, Magnify::NORMAL);
        text(
            &format!("{kiosk} {}", local.format("%d/%m/%Y %H:%M")),
            Align::Center,
            false,
            Magnify::NORMAL,
        );
        text(
            "Normal: ABCDEFGHIJ abcdefghij 0123456789",
            Align::Left,
            false,
            Magnify::NORMAL,
        );
        text("Tebal / bold", Align::Left, true, Magnify::NORMAL);
        text(
            "2x2",
            Align::Left,
            false,
            Magnify {
                width: 2,
                height: 2,
            },
        );
        text(
            "A-001",
            Align::Center,
            true,
            Magnify {
                width: 4,
                height: 4,
            },
        );
        text(
            "Karakter: Loket 1–4 · “Gratis” é",
            Align::Left,
            false,
            Magnify::NORMAL,
        );
        text(
            &"0123456789".repeat(columns / 10 + 1)[..columns],
            Align::Left,
            false,
            Magnify::NORMAL,
        );
        lines.push(Line::Rule);
        lines.push(Line::Qr {
            payload: "https://mpp.example.go.id/test".into(),
        });
        let receipt = Receipt {
            width: self.width,
            lines,
        };
        Job::new(None, "test-page".into(), receipt, self.options.clone())
    }
}

/// Converts a PNG to a 1-bit raster no larger than the logo box; `None` if it cannot be read.
pub fn prepare_logo(png: &[u8]) -> Option<RasterImage> {
    let image = match image::load_from_memory_with_format(png, image::ImageFormat::Png) {
        Ok(image) => image,
        Err(error) => {
            tracing::warn!(%error, "the logo cannot be read; printing without it");
            return None;
        }
    };
    // Nearest-neighbour keeps the hard edges a 1-bit print needs.
    let image = image
        .resize(
            LOGO_MAX_WIDTH,
            LOGO_MAX_HEIGHT,
            image::imageops::FilterType::Nearest,
        )
        .to_luma_alpha8();
    let width_bytes = image.width().div_ceil(8);
    let mut bits = vec![0u8; (width_bytes * image.height()) as usize];
    for (x, y, pixel) in image.enumerate_pixels() {
        let [luma, alpha] = pixel.0;
        // Transparent counts as paper; dark and opaque as ink.
        if alpha > 127 && luma < 128 {
            bits[(y * width_bytes + x / 8) as usize] |= 0x80 >> (x % 8);
        }
    }
    Some(RasterImage {
        width_bytes: width_bytes as u16,
        height: image.height() as u16,
        bits,
    })
}

/// The logo shipped in `assets/`, printed when `printer.logo` is on.
pub const SHIPPED_LOGO: &[u8] = include_bytes!("../../../../assets/logo.png");
