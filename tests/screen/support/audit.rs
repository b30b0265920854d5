//! A layout audit of one screen at one window size, through iced's simulator: every touch target
//! inside the window and at least a finger high, no two overlapping, every text inside the
//! window (or in a list that scrolls), and no text cut short by a box too small for it.
//!
//! "Cut short" is found by laying the same view out again in a window far taller: there every
//! box that may grow does, so each text has the height it needs at its width. A text lower on
//! the real screen than there, at the same width, lost lines (unless it is set smaller there:
//! see [`whole_at_some_size`]).

use std::sync::{Arc, Mutex};

use iced::widget::Id;
use iced::{Element, Point, Rectangle, Size};
use iced_test::Simulator;
use iced_test::selector::{Candidate, Selector};

use mpp_kiosk::ui::measure::{text_height, text_width};
use mpp_kiosk::ui::theme::{self, Sizes};
use mpp_kiosk::ui::widgets::TARGET;

/// The smallest height of a touch target a finger hits reliably.
pub const FINGER: f32 = 64.0;

/// The least a scrolling area shows: three lines of text, so a visitor sees there is more.
pub const SCROLL_VIEW: f32 = 96.0;

/// The panels kiosks are sold with, landscape and portrait, and last the demo's small window.
pub const SIZES: [(f32, f32); 8] = [
    (1024.0, 768.0),
    (1280.0, 720.0),
    (1280.0, 800.0),
    (1366.0, 768.0),
    (1920.0, 1080.0),
    (1080.0, 1920.0),
    (800.0, 1280.0),
    (1000.0, 600.0),
];

/// The panels kiosks are sold with, without the demo's window.
pub fn panels() -> &'static [(f32, f32)] {
    &SIZES[..7]
}

/// What a screen put where.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub size: Size,
    /// Every touch target (enabled or not).
    pub targets: Vec<Rectangle>,
    pub texts: Vec<Placed>,
    /// The part of the screen each scrolling area shows.
    pub scrolling: Vec<Rectangle>,
}

#[derive(Clone, Debug)]
pub struct Placed {
    pub content: String,
    pub bounds: Rectangle,
}

impl Layout {
    /// Whether a text containing `needle` is entirely on screen.
    pub fn shows(&self, needle: &str) -> bool {
        self.texts
            .iter()
            .any(|text| text.content.contains(needle) && self.on_screen(text.bounds))
    }

    /// Whether `words` are a text of their own, entirely on screen.
    pub fn shows_exactly(&self, words: &str) -> bool {
        self.texts
            .iter()
            .any(|text| text.content == words && self.on_screen(text.bounds))
    }

    /// Every text, for messages.
    pub fn contents(&self) -> Vec<&str> {
        self.texts
            .iter()
            .map(|text| text.content.as_str())
            .collect()
    }

    fn window(&self) -> Rectangle {
        Rectangle::new(Point::ORIGIN, self.size)
    }

    fn on_screen(&self, bounds: Rectangle) -> bool {
        inside(bounds, self.window())
    }

    /// Below the fold of a scrolling area: there by scrolling, not cut off.
    fn scrolled_to(&self, bounds: Rectangle) -> bool {
        self.scrolling.iter().any(|area| {
            bounds.x >= area.x - 0.5
                && bounds.x + bounds.width <= area.x + area.width + 0.5
                && bounds.y >= area.y - 0.5
        })
    }
}

/// Lays `view` out at `size` and notes what is where.
pub fn survey<'a, M: 'a>(size: Size, view: Element<'a, M>) -> Layout {
    let found = Arc::new(Mutex::new(Layout {
        size,
        ..Layout::default()
    }));
    let mut ui = Simulator::with_size(super::simulator_settings(), size, view);
    let _ = ui.find(Survey(found.clone()));
    found.lock().expect("layout").clone()
}

/// What is wrong with `view` at `size`, in words; empty when nothing is.
pub fn audit<'a, M: 'a>(size: Size, view: impl Fn() -> Element<'a, M>) -> Vec<String> {
    let real = survey(size, view());
    let roomy = survey(Size::new(size.width, size.height + 4000.0), view());
    let mut problems = Vec::new();
    for target in &real.targets {
        if !real.on_screen(*target) {
            problems.push(format!("a touch target is cut off: {target:?}"));
        }
        if target.height < FINGER - 0.5 || target.width < FINGER - 0.5 {
            problems.push(format!(
                "a touch target is too small for a finger: {target:?}"
            ));
        }
    }
    for (index, a) in real.targets.iter().enumerate() {
        for b in &real.targets[index + 1..] {
            if overlap(*a, *b) && !inside(*a, *b) && !inside(*b, *a) {
                problems.push(format!("touch targets overlap: {a:?} and {b:?}"));
            }
        }
    }
    for area in &real.scrolling {
        if area.height < SCROLL_VIEW - 0.5 {
            problems.push(format!("a scrolling area shows almost nothing: {area:?}"));
        }
    }
    for text in &real.texts {
        if !real.on_screen(text.bounds) && !real.scrolled_to(text.bounds) {
            problems.push(format!("{:?} is cut off: {:?}", text.content, text.bounds));
        }
        let needed = roomy
            .texts
            .iter()
            .filter(|other| {
                other.content == text.content
                    && (other.bounds.width - text.bounds.width).abs() < 0.5
            })
            .map(|other| other.bounds.height)
            .fold(0.0, f32::max);
        if overflows_sideways(text) {
            problems.push(format!(
                "{:?} is wider than its {} px: it runs into its neighbours",
                text.content, text.bounds.width
            ));
        }
        if text.bounds.height + 1.0 < needed && !whole_at_some_size(text) {
            problems.push(format!(
                "{:?} lost lines: {} px of the {needed} it needs",
                text.content, text.bounds.height
            ));
        }
    }
    problems
}

/// Whether `text` is one line that cannot wrap (a word, a ticket number) and is wider than the
/// box it was given: its glyphs run out of the box, into whatever is beside it.
fn overflows_sideways(text: &Placed) -> bool {
    let (width, height) = (text.bounds.width, text.bounds.height);
    let one_line_sizes = theme_sizes().filter(|size| (size * 1.3 - height).abs() < 0.6);
    one_line_sizes.into_iter().any(|size| {
        let explaining: Vec<_> = FONTS
            .iter()
            .filter(|font| {
                (text_height(&text.content, **font, size, width) - 1.0 - height).abs() < 1.0
            })
            .collect();
        !explaining.is_empty()
            && explaining
                .iter()
                .all(|font| text_width(&text.content, **font, size) - 1.0 > width + 1.0)
    })
}

const FONTS: [iced::Font; 3] = [theme::FONT, theme::SEMIBOLD, theme::BOLD];

/// Every size the screens set text at, in both looks.
fn theme_sizes() -> impl Iterator<Item = f32> {
    let scales = SIZES
        .iter()
        .flat_map(|&(width, _)| [false, true].map(|large| Sizes::for_width(large, width).scale));
    scales.flat_map(|scale| {
        let sizes = Sizes { scale };
        [
            sizes.small() * 0.9,
            sizes.small(),
            sizes.body(),
            sizes.body() * 1.15,
            sizes.heading() * 0.85,
            sizes.heading(),
            sizes.title() * 0.85,
            sizes.title(),
            sizes.number() * 0.6,
            sizes.number() * 0.72,
            sizes.number(),
        ]
    })
}

/// Whether `text` is exactly as tall as the theme's fonts make it at one of the theme's sizes.
/// The views set text smaller on a short screen than in the tall layout the audit compares
/// with; a text that was not cut short still has the height of whole lines at its own size.
fn whole_at_some_size(text: &Placed) -> bool {
    theme_sizes().any(|size| {
        FONTS.iter().any(|font| {
            let whole = text_height(&text.content, *font, size, text.bounds.width);
            (whole - 1.0 - text.bounds.height).abs() < 1.0
        })
    })
}

fn inside(inner: Rectangle, outer: Rectangle) -> bool {
    inner.x >= outer.x - 0.5
        && inner.y >= outer.y - 0.5
        && inner.x + inner.width <= outer.x + outer.width + 0.5
        && inner.y + inner.height <= outer.y + outer.height + 0.5
}

fn overlap(a: Rectangle, b: Rectangle) -> bool {
    a.intersection(&b)
        .is_some_and(|common| common.width > 1.0 && common.height > 1.0)
}

/// Notes every touch target, text and scrolling area, and never stops early.
struct Survey(Arc<Mutex<Layout>>);

impl Selector for Survey {
    type Output = ();

    fn select(&mut self, candidate: Candidate<'_>) -> Option<()> {
        let mut layout = self.0.lock().expect("layout");
        match candidate {
            Candidate::Container {
                id: Some(id),
                bounds,
                ..
            } if *id == Id::new(TARGET) => layout.targets.push(bounds),
            Candidate::Text {
                content, bounds, ..
            } => layout.texts.push(Placed {
                content: content.to_owned(),
                bounds,
            }),
            Candidate::Scrollable { bounds, .. } => layout.scrolling.push(bounds),
            _ => {}
        }
        None
    }

    fn description(&self) -> String {
        "every touch target, text and scrolling area".into()
    }
}

/// Saves a picture of `view` at `size` as `<folder>/<name>-tiny-skia.png` when the variable
/// `MPP_SCREEN_SNAPSHOTS` names a folder: for a person to look at what the audit measured.
pub fn snapshot<'a, M: 'a>(size: Size, view: Element<'a, M>, name: &str) {
    let Some(folder) = std::env::var_os("MPP_SCREEN_SNAPSHOTS") else {
        return;
    };
    let path = std::path::Path::new(&folder).join(name);
    let _ = std::fs::remove_file(path.with_file_name(format!("{name}-tiny-skia.png")));
    let mut ui = Simulator::with_size(super::simulator_settings(), size, view);
    let theme = mpp_kiosk::ui::theme::theme(false);
    if let Ok(picture) = ui.snapshot(&theme) {
        let _ = picture.matches_image(&path);
    }
}
