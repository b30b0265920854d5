//! `cargo bench --bench printer`: bytes per ticket with the native QR code against the same
//! QR as a raster image, wire time at 9600 and 115200 baud, and our own time from "print this
//! ticket" to the last byte written, against the pty printer simulator at full speed.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::{layout, serial_settings, settings};
use mpp_core::numbering::Lane;
use mpp_core::receipt::{Line, PaperWidth};
use mpp_station::catalog_source;
use mpp_station::printer::PrinterHandle;
use mpp_station::printer::encode::{EncodeOptions, RasterImage, encode, raster};
use mpp_station::printer::transport::SerialTransport;
use mpp_station::store::Store;
use qrcode::{Color, EcLevel, QrCode};

const PRINTS: u32 = 50;

fn main() {
    let folder =
        std::env::temp_dir().join(format!("mpp-kiosk-printer-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("folder");
    let catalog = catalog_source::builtin().expect("catalog");
    let mut store = Store::open(&folder.join("kiosk.db")).expect("store");
    let mut settings = settings("KIOSK-01", 1, 9999);
    // The regency's own address: the figures are bytes of a real ticket.
    settings.qr_base_url = "https://mpp.blorakab.go.id".into();
    let now: DateTime<Utc> = "2026-11-23T02:00:00Z".parse().expect("instant");
    let ticket = store
        .issue(&catalog, &settings, &"POL-SKCK".into(), Lane::Regular, now)
        .expect("ticket");

    for width in [PaperWidth::Mm58, PaperWidth::Mm80] {
        let layout = layout(width);
        let job = layout.ticket_job(&ticket, &catalog);
        let native = job.bytes.len();
        let as_image = with_raster_qr(&job.receipt, &layout.options, &ticket.qr_payload);
        println!(
            "{width:?}: {native} bytes with native QR, {as_image} with QR as raster ({:.1}x); wire {:.2} s at 9600, {:.3} s at 115200 (raster: {:.2} s at 9600)",
            as_image as f64 / native as f64,
            wire(native, 9600),
            wire(native, 115_200),
            wire(as_image, 9600)
        );
    }

    let layout = layout(PaperWidth::Mm80);
    let began = Instant::now();
    for _ in 0..1000 {
        std::hint::black_box(layout.ticket_job(&ticket, &catalog));
    }
    println!(
        "layout + encode one ticket: {:.1} µs (mean of 1000)",
        began.elapsed().as_secs_f64() * 1e3
    );

    let sim = mpp_testkit::printer_sim::PrinterSim::start(&folder.join("printer"));
    let printer = PrinterHandle::start(Box::new(SerialTransport::new(serial_settings(
        sim.device_path(),
        115_200,
    ))));
    printer.wait_first_status(Duration::from_secs(2));
    let mut times = Vec::new();
    for _ in 0..PRINTS {
        let job = layout.ticket_job(&ticket, &catalog);
        let began = Instant::now();
        let outcome = printer.print_and_wait(job, true);
        times.push(began.elapsed());
        assert!(outcome.is_printed(), "{outcome:?}");
    }
    times.sort();
    println!(
        "print on a full-speed pty (status before, job, status after): p50 {:.1} ms, max {:.1} ms over {PRINTS}; {} jobs decoded",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        sim.wait_for_jobs(PRINTS as usize, Duration::from_secs(5))
            .len()
    );
    drop(printer);
    drop(sim);
    let _ = std::fs::remove_dir_all(&folder);
}

fn wire(bytes: usize, baud: u32) -> f64 {
    bytes as f64 * 10.0 / f64::from(baud)
}

/// The same ticket with its QR code sent as a `GS v 0` raster of the same module size.
fn with_raster_qr(
    receipt: &mpp_core::receipt::Receipt,
    options: &EncodeOptions,
    payload: &str,
) -> usize {
    let without: Vec<Line> = receipt
        .lines
        .iter()
        .filter(|line| !matches!(line, Line::Qr { .. }))
        .cloned()
        .collect();
    let text_only = mpp_core::receipt::Receipt {
        width: receipt.width,
        lines: without,
    };
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).expect("qr");
    let modules = code.width() as u32 + 8;
    let side = modules * u32::from(options.qr_module_size);
    let width_bytes = side.div_ceil(8);
    let mut bits = vec![0u8; (width_bytes * side) as usize];
    for (index, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (mx, my) = (
                index as u32 % (modules - 8) + 4,
                index as u32 / (modules - 8) + 4,
            );
            for dy in 0..u32::from(options.qr_module_size) {
                for dx in 0..u32::from(options.qr_module_size) {
                    let (x, y) = (
                        mx * u32::from(options.qr_module_size) + dx,
                        my * u32::from(options.qr_module_size) + dy,
                    );
                    bits[(y * width_bytes + x / 8) as usize] |= 0x80 >> (x % 8);
                }
            }
        }
    }
    let image = RasterImage {
        width_bytes: width_bytes as u16,
        height: side as u16,
        bits,
    };
    encode(&text_only, options).len() + raster(&image).len()
}
