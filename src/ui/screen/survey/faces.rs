//! The four faces on the answer buttons, from frowning (1) to beaming (4), drawn once as
//! pictures: the bundled fonts have no emoji, and a face reads at a glance in any language.

use std::sync::OnceLock;

use iced::widget::image::Handle;

use mpp_core::survey::Rating;

/// Side of a face picture in pixels; the screen scales it.
const SIDE: u32 = 128;
/// Samples per pixel along each axis, for smooth edges.
const SAMPLES: u32 = 3;

/// The face for `rating`.
pub fn face(rating: Rating) -> Handle {
    static FACES: OnceLock<Vec<Handle>> = OnceLock::new();
    let faces = FACES.get_or_init(|| Rating::ALL.iter().map(|r| draw(*r)).collect());
    faces[usize::from(rating.value() - 1)].clone()
}

/// Fill colour per rating: red, orange, light green, green.
fn colour(rating: Rating) -> [u8; 3] {
    match rating.value() {
        1 => [0xE0, 0x4B, 0x3A],
        2 => [0xF2, 0x9B, 0x38],
        3 => [0x8C, 0xC8, 0x4B],
        _ => [0x2E, 0xA0, 0x4F],
    }
}

const INK: [u8; 3] = [0x1A, 0x1A, 0x1A];

/// What covers a point of the face, in units of the radius from the centre (y down): ink,
/// the face's colour, or nothing (outside it).
#[derive(PartialEq)]
enum Paint {
    Ink,
    Fill,
}

fn paint(x: f32, y: f32, curve: f32) -> Option<Paint> {
    let distance = (x * x + y * y).sqrt();
    if distance > 1.0 {
        return None;
    }
    if distance > 0.93 {
        return Some(Paint::Ink);
    }
    let eye = |centre_x: f32| ((x - centre_x).powi(2) + (y + 0.28).powi(2)).sqrt() < 0.11;
    if eye(-0.33) || eye(0.33) {
        return Some(Paint::Ink);
    }
    // The mouth: a parabola through the corners, its middle `curve` lower (a smile) or higher.
    let half_width = 0.48;
    if x.abs() <= half_width {
        let corners = 0.42 - curve * 0.12;
        let mouth = corners + curve * 0.24 * (1.0 - (x / half_width).powi(2));
        if (y - mouth).abs() < 0.065 {
            return Some(Paint::Ink);
        }
    }
    Some(Paint::Fill)
}

fn draw(rating: Rating) -> Handle {
    let curve = [-1.0, -0.45, 0.45, 1.0][usize::from(rating.value() - 1)];
    let fill = colour(rating);
    let mut pixels = Vec::with_capacity((SIDE * SIDE * 4) as usize);
    let radius = SIDE as f32 / 2.0;
    for row in 0..SIDE {
        for column in 0..SIDE {
            let (mut rgb, mut covered) = ([0.0f32; 3], 0u32);
            for sample in 0..SAMPLES * SAMPLES {
                let offset = |index: u32| (index as f32 + 0.5) / SAMPLES as f32;
                let x = (column as f32 + offset(sample % SAMPLES)) / radius - 1.0;
                let y = (row as f32 + offset(sample / SAMPLES)) / radius - 1.0;
                let Some(paint) = paint(x, y, curve) else {
                    continue;
                };
                let paint = if paint == Paint::Ink { INK } else { fill };
                covered += 1;
                for (sum, channel) in rgb.iter_mut().zip(paint) {
                    *sum += f32::from(channel);
                }
            }
            let samples = (SAMPLES * SAMPLES) as f32;
            let alpha = covered as f32 / samples;
            let average = |sum: f32| (sum / covered.max(1) as f32).round() as u8;
            pixels.extend([
                average(rgb[0]),
                average(rgb[1]),
                average(rgb[2]),
                (alpha * 255.0).round() as u8,
            ]);
        }
    }
    Handle::from_rgba(SIDE, SIDE, pixels)
}
