//! The QR code on the printed ticket, read back the way a scan engine's camera sees it: the
//! ticket drawn dot for dot as the thermal printer prints it (the virtual printer's renderer,
//! the kiosk's own layout and QR settings), then seen at a scan engine's resolution, tilted,
//! blurred, unevenly lit and noisy, and decoded by a real QR decoder. What it reads must be
//! the ticket's own link, which the kiosk then accepts as its ticket.

use crate::common::{instant, layout, settings, small_catalog};
use chrono::{DateTime, Utc};
use image::GrayImage;
use mpp_core::ids::TicketId;
use mpp_core::receipt::PaperWidth;
use mpp_core::survey::scan::read_ticket_link;
use mpp_core::ticket::qr_payload;
use mpp_station::printer::render::render;
use mpp_station::store::Store;

/// A 640 × 480 scan engine at its reading distance sees about this many of its pixels per
/// printed dot (203 dpi: 0.125 mm): an 80 mm roll's 576 dots span some 460 pixels.
const PIXELS_PER_DOT: f32 = 0.8;
const TILT_DEGREES: f32 = 8.0;

/// How the camera sees the page: tilted, scaled, blurred, darker to one side, noisy.
fn through_the_camera(page: &GrayImage, pixels_per_dot: f32, seed: u64) -> GrayImage {
    let (width, height) = (
        (page.width() as f32 * pixels_per_dot) as u32,
        (page.height() as f32 * pixels_per_dot) as u32,
    );
    let (sin, cos) = TILT_DEGREES.to_radians().sin_cos();
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let sample = |x: f32, y: f32| -> f32 {
        // Back from the camera's pixel to the page's dot, rotated about the centre.
        let (dx, dy) = (x - cx, y - cy);
        let px = (cos * dx + sin * dy + cx) / pixels_per_dot;
        let py = (-sin * dx + cos * dy + cy) / pixels_per_dot;
        if px < 0.0 || py < 0.0 || px >= page.width() as f32 || py >= page.height() as f32 {
            return 255.0;
        }
        f32::from(page.get_pixel(px as u32, py as u32).0[0])
    };
    let mut random = fastrand::Rng::with_seed(seed);
    GrayImage::from_fn(width, height, |x, y| {
        // A 3 × 3 average of sub-pixel samples: the lens's blur and the sensor's area.
        let mut sum = 0.0;
        for oy in [-0.6f32, 0.0, 0.6] {
            for ox in [-0.6f32, 0.0, 0.6] {
                sum += sample(x as f32 + ox, y as f32 + oy);
            }
        }
        let lit = 0.55 + 0.45 * (x as f32 / width as f32);
        let noise = random.i32(-20..=20) as f32;
        image::Luma([((sum / 9.0) * lit + noise).clamp(0.0, 255.0) as u8])
    })
}

/// A scan engine smooths its sensor's picture before it looks for codes: a 3 × 3 average.
fn smoothed(picture: &GrayImage) -> GrayImage {
    let (width, height) = picture.dimensions();
    GrayImage::from_fn(width, height, |x, y| {
        let mut sum = 0u32;
        let mut count = 0u32;
        for ny in y.saturating_sub(1)..=(y + 1).min(height - 1) {
            for nx in x.saturating_sub(1)..=(x + 1).min(width - 1) {
                sum += u32::from(picture.get_pixel(nx, ny).0[0]);
                count += 1;
            }
        }
        image::Luma([(sum / count) as u8])
    })
}

/// What the QR decoder finds in `picture`, as it is.
fn decoded(picture: &GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        picture.width() as usize,
        picture.height() as usize,
        |x, y| picture.get_pixel(x as u32, y as u32).0[0],
    );
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// The seed of the printed ticket's id (see [`fixed_id`]). Any seed gives a valid ticket, but
/// what the camera reads depends on the code. With this one, the ticket as printed now reads
/// 14 (80 mm), 18 (58 mm) and 13 (58 mm, 4-dot modules) of 30 frames.
const TICKET_SEED: u64 = 2;

/// A UUID v7 at `issued_at` whose random bits come from `seed`: the shape of the store's ids
/// (random there), fixed here so that the code printed, and what the camera makes of it, is
/// the same on every run.
fn fixed_id(issued_at: DateTime<Utc>, seed: u64) -> TicketId {
    let mut random = fastrand::Rng::with_seed(seed);
    let mut bits = [0u8; 10];
    random.fill(&mut bits);
    let millis = u64::try_from(issued_at.timestamp_millis()).expect("after 1970");
    TicketId::new(
        uuid::Builder::from_unix_timestamp_millis(millis, &bits)
            .into_uuid()
            .to_string(),
    )
}

/// A ticket issued on a real store, printed on `width` paper with QR modules of `dots`. Its
/// id is [`fixed_id`] (and its link signed for that id), the rest as the store issued it.
fn printed(width: PaperWidth, dots: u8) -> (mpp_core::ticket::Ticket, GrayImage) {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&folder.path().join("kiosk.db")).expect("store");
    let catalog = small_catalog();
    let settings = settings("K1", 1, 999);
    let mut ticket = store
        .issue(
            &catalog,
            &settings,
            &"DKC-KK".into(),
            mpp_core::numbering::Lane::Regular,
            instant("2026-11-23T09:30:00+07:00"),
        )
        .expect("issued");
    ticket.id = fixed_id(ticket.issued_at, TICKET_SEED);
    ticket.qr_payload = qr_payload(
        &settings.qr_base_url,
        &settings.kiosk_id,
        &ticket.id,
        &settings.signing_key,
    );
    let mut layout = layout(width);
    layout.options.qr_module_size = dots;
    let job = layout.ticket_job(&ticket, &catalog);
    (ticket, render(&job.receipt, &job.options))
}

/// A scan engine decodes frame after frame while the ticket is held under it, some 30 a
/// second: the ticket is read once any frame decodes. The frames differ in their noise. A
/// second's hold must read in at least a third of its frames, so a code that reads only by
/// luck fails (what a frame reads also depends on where the code stands on the paper: one
/// line added above it moved a 10-frame hold from 6 to 5 of 10).
const FRAMES_HELD: u64 = 30;

/// What the frames of one hold read, each frame's reading in turn (most frames read it).
fn held_under_the_camera(page: &GrayImage, pixels_per_dot: f32) -> Vec<String> {
    (1..=FRAMES_HELD)
        .flat_map(|frame| decoded(&smoothed(&through_the_camera(page, pixels_per_dot, frame))))
        .collect()
}

#[test]
fn the_printed_ticket_scans_back_to_its_own_link_on_both_paper_widths() {
    let cases = [
        (PaperWidth::Mm80, 6),
        (PaperWidth::Mm58, 6),
        (PaperWidth::Mm58, 4),
    ];
    for (width, dots) in cases {
        let (ticket, page) = printed(width, dots);
        assert!(!ticket.qr_payload.is_empty());
        let readings = held_under_the_camera(&page, PIXELS_PER_DOT);
        eprintln!(
            "{width:?}, {dots}-dot modules: {} of {FRAMES_HELD} frames read",
            readings.len()
        );
        assert!(
            readings.len() * 3 >= FRAMES_HELD as usize,
            "{width:?}, {dots}-dot modules: {} of {FRAMES_HELD} frames read",
            readings.len()
        );
        for reading in readings {
            assert_eq!(reading, ticket.qr_payload, "{width:?}, {dots}-dot modules");
            assert_eq!(
                read_ticket_link(&reading, "K1", b"test-signing-key-0001"),
                Ok(ticket.id.to_string())
            );
        }
    }
}

#[test]
fn modules_of_one_dot_are_too_small_for_the_camera_which_the_test_can_tell() {
    // The same camera, the same decoder: a code printed with 1-dot modules is some 0.8
    // pixels a module, below what a camera resolves. That no frame reads it shows the
    // camera above is not so kind that anything passes.
    let (ticket, page) = printed(PaperWidth::Mm80, 1);
    assert!(held_under_the_camera(&page, PIXELS_PER_DOT).is_empty());
    // Seen sharp, dot for dot, the same code decodes: the failure is the camera's.
    assert_eq!(decoded(&page), vec![ticket.qr_payload]);
}
