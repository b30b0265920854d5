//! How much room a text takes, measured with the fonts and shaping the screen draws with.
//! Lists decide how many cards a page holds from what their longest entries really need, so a
//! denser page never cuts a name off (an estimate per character would, for some fonts and
//! words, or waste room to stay safe).

use iced::advanced::text::{self, Paragraph as _};
use iced::{Font, Size};

type Paragraph = <iced::Renderer as text::Renderer>::Paragraph;

/// The height of `content` wrapped at `width`.
pub fn text_height(content: &str, font: Font, size: f32, width: f32) -> f32 {
    laid_out(
        content,
        font,
        size,
        Size::new(width.max(1.0), f32::INFINITY),
    )
    .height
}

/// The width of `content` on one line.
pub fn text_width(content: &str, font: Font, size: f32) -> f32 {
    laid_out(content, font, size, Size::INFINITE).width
}

/// Measurements already made: a list measures the same names each time the screen is drawn
/// (every second, for the clock).
type Cache = std::collections::HashMap<(String, Font, u32, u32), Size>;

/// Enough for every name of a large catalog at a few widths; cleared when full.
const CACHE_LIMIT: usize = 20_000;

fn laid_out(content: &str, font: Font, size: f32, bounds: Size) -> Size {
    thread_local! {
        static MEASURED: std::cell::RefCell<Cache> = std::cell::RefCell::default();
    }
    let key = (
        content.to_owned(),
        font,
        size.to_bits(),
        bounds.width.to_bits(),
    );
    if let Some(size) = MEASURED.with_borrow(|cache| cache.get(&key).copied()) {
        return size;
    }
    let measured = measure(content, font, size, bounds);
    MEASURED.with_borrow_mut(|cache| {
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, measured);
    });
    measured
}

fn measure(content: &str, font: Font, size: f32, bounds: Size) -> Size {
    let paragraph = Paragraph::with_text(text::Text {
        content,
        bounds,
        size: size.into(),
        line_height: text::LineHeight::default(),
        font,
        align_x: text::Alignment::Default,
        align_y: iced::alignment::Vertical::Top,
        shaping: text::Shaping::default(),
        wrapping: text::Wrapping::default(),
    });
    // A pixel of slack: the widget rounds its own layout.
    let needed = paragraph.min_bounds();
    Size::new(needed.width.ceil() + 1.0, needed.height.ceil() + 1.0)
}
