//! How large the detail screen's information can be set so that all of it — notice,
//! requirements, procedure, product and location — shows without scrolling: measured with the
//! fonts the screen draws with, for the window's size, trying the body size first and smaller
//! sizes after. A service too long even for the smallest size scrolls, and says so.

use iced::Size;

use crate::ui::measure::{text_height, text_width};
use crate::ui::theme::{self, Sizes};
use crate::ui::widgets::button_height;

/// What the information column holds, in the visitor's language.
pub struct Information {
    pub notice: Option<String>,
    pub requirements: (String, Vec<String>),
    pub procedure: (String, Vec<String>),
    /// Product and location: no heading, bullets.
    pub facts: Vec<String>,
}

/// The lines of the action card over its buttons.
pub struct Card {
    pub lines: Vec<CardLine>,
    /// The words under the priority button, when it is offered.
    pub priority_hint: Option<String>,
}

pub struct CardLine {
    pub words: String,
    pub font: iced::Font,
    /// Set in small print.
    pub small: bool,
    pub colour: Option<iced::Color>,
}

impl CardLine {
    pub fn new(words: String, font: iced::Font, small: bool) -> Self {
        Self {
            words,
            font,
            small,
            colour: None,
        }
    }
}

/// Gaps of the information column, at scale 1.
pub const SECTION_GAP: f32 = 20.0;
pub const LINE_GAP: f32 = 6.0;
pub const NOTICE_PADDING: f32 = 14.0;
/// The width of a list's number column, at scale 1.
pub const LEAD: f32 = 40.0;

/// Where the information column is and how large its text is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Room {
    /// Information beside the action card (a wide landscape screen), else above it.
    pub side_by_side: bool,
    pub compact: bool,
    pub title_size: f32,
    /// The information's text size: the largest that fits.
    pub text_size: f32,
    /// Requirements and procedure side by side.
    pub two_columns: bool,
    /// Even the smallest size does not fit: the column scrolls and says so.
    pub scrolls: bool,
    /// Padding around the information, vertical and horizontal.
    pub padding: [f32; 2],
    /// The card is set tighter and one size smaller, so that its buttons stay on screen.
    pub tight_card: bool,
}

/// The least width of the information for requirements and procedure side by side.
const TWO_COLUMNS: f32 = 800.0;
/// The gap between the two columns, at scale 1.
pub const COLUMN_GAP: f32 = 24.0;

/// Below this height the screen is set closer together.
const SHORT: f32 = 700.0;

impl Room {
    /// The room for a screen of `size`: beside the card where the screen is wide and that
    /// fits, else above it; `card` gives the card's lines for either place.
    pub fn for_screen(
        size: Size,
        sizes: Sizes,
        title: &str,
        back: &str,
        info: &Information,
        card: impl Fn(bool) -> Card,
    ) -> Self {
        let preferred = side_by_side(size, sizes);
        // A 4:3 screen is wide enough for the two side by side when the information fits so.
        let possible = size.width >= size.height * 1.2 && size.width >= 960.0 * sizes.scale;
        let mut arrangements = vec![preferred];
        if possible && !preferred {
            arrangements.insert(0, true);
        }
        let rooms: Vec<Self> = arrangements
            .into_iter()
            .filter_map(|beside| {
                Self::arranged(size, sizes, title, back, info, &card(beside), beside)
            })
            .collect();
        rooms
            .iter()
            .find(|room| !room.scrolls)
            .or(rooms.last())
            .copied()
            .unwrap_or_else(|| {
                Self::arranged(size, sizes, title, back, info, &card(false), false)
                    .expect("under the information there is always room")
            })
    }

    /// The room with the card beside the information or under it; `None` when the card
    /// beside it would not fit the screen's height.
    fn arranged(
        size: Size,
        sizes: Sizes,
        title: &str,
        back: &str,
        info: &Information,
        card: &Card,
        side_by_side: bool,
    ) -> Option<Self> {
        let compact = size.height < SHORT * sizes.scale;
        // On a short screen a long name in the title would leave no room for what it needs.
        let title_size = if compact {
            sizes.body() * 1.15
        } else {
            sizes.heading()
        };
        let padding = [if compact { 8.0 } else { 16.0 }, 24.0];
        let header = header_height(size.width, sizes, title, title_size, back);
        let card_width = if side_by_side {
            size.width * 2.0 / 5.0
        } else {
            size.width
        } - 48.0;
        let card_room = size.height - header;
        let tight_card =
            compact || card_height(card_width, sizes, false, side_by_side, card) > card_room;
        let card = card_height(card_width, sizes, tight_card, side_by_side, card);
        if side_by_side && card > card_room {
            return None;
        }
        let (width, height) = if side_by_side {
            (size.width * 3.0 / 5.0, card_room)
        } else {
            (size.width, card_room - card)
        };
        // The column's padding, its own inner margin and the scroll bar's lane.
        let text_width = width - 2.0 * padding[1] - 16.0 - 16.0;
        let room = height - 2.0 * padding[0];
        let candidates = [sizes.body(), sizes.small(), sizes.small() * 0.9];
        // One column at the sizes that read best, then requirements and procedure side by
        // side where each still has a reasonable line.
        let columns = if text_width >= TWO_COLUMNS * sizes.scale {
            2
        } else {
            1
        };
        let fitting = (1..=columns)
            .flat_map(|columns| candidates.iter().map(move |&size| (columns, size)))
            .find(|&(columns, size)| {
                needed_height(info, size, sizes.scale, text_width, columns) <= room
            });
        let (columns, text_size) = fitting.unwrap_or((columns, candidates[2]));
        Some(Self {
            side_by_side,
            compact,
            title_size,
            text_size,
            two_columns: columns == 2,
            scrolls: fitting.is_none(),
            padding,
            tight_card,
        })
    }

    /// A card line's size.
    pub fn card_text(&self, small: bool, sizes: Sizes) -> f32 {
        card_text(small, sizes, self.tight_card)
    }

    pub fn card_spacing(&self) -> f32 {
        if self.tight_card { 4.0 } else { 10.0 }
    }

    pub fn card_padding(&self) -> f32 {
        if self.tight_card { 16.0 } else { 24.0 }
    }
}

fn card_text(small: bool, sizes: Sizes, tight: bool) -> f32 {
    match (small, tight) {
        (false, false) => sizes.body(),
        (true, false) | (false, true) => sizes.small(),
        (true, true) => sizes.small() * 0.9,
    }
}

/// Whether the screen is wide enough for the information and the card side by side.
pub fn side_by_side(size: Size, sizes: Sizes) -> bool {
    size.width >= size.height * 1.2 && size.width >= 1200.0 * sizes.scale
}

/// The height the information needs at `size`, wrapped at `width`.
pub fn needed_height(info: &Information, size: f32, scale: f32, width: f32, columns: usize) -> f32 {
    let list_width = if columns == 2 {
        (width - COLUMN_GAP * scale) / 2.0
    } else {
        width
    };
    let line_width = |width: f32| width - (LEAD + 8.0) * scale;
    let lines = |lines: &[String], width: f32| -> f32 {
        lines
            .iter()
            .map(|line| text_height(line, theme::FONT, size, line_width(width)) + LINE_GAP * scale)
            .sum()
    };
    let section = |(title, items): &(String, Vec<String>)| {
        text_height(title, theme::BOLD, size, list_width)
            + LINE_GAP * scale
            + lines(items, list_width)
    };
    let notice = info.notice.as_ref().map_or(0.0, |notice| {
        text_height(
            notice,
            theme::FONT,
            size,
            width - 2.0 * NOTICE_PADDING * scale,
        ) + (2.0 * NOTICE_PADDING + SECTION_GAP) * scale
    });
    let lists = if columns == 2 {
        section(&info.requirements).max(section(&info.procedure))
    } else {
        section(&info.requirements) + section(&info.procedure) + SECTION_GAP * scale
    };
    notice + lists + lines(&info.facts, width) + SECTION_GAP * scale
}

/// The title bar's height: the back button or the wrapped title, whichever is taller.
fn header_height(width: f32, sizes: Sizes, title: &str, title_size: f32, back: &str) -> f32 {
    let button = text_width(&format!("‹  {back}"), theme::BOLD, sizes.body()) + 56.0;
    let title_width = width - 48.0 - button - 24.0;
    text_height(title, theme::BOLD, title_size, title_width).max(sizes.target()) + 24.0
}

/// The action card's height, its lines wrapped at its width; its buttons side by side under
/// the information, stacked beside it.
fn card_height(width: f32, sizes: Sizes, tight: bool, stacked: bool, card: &Card) -> f32 {
    let (padding, spacing) = if tight { (16.0, 4.0) } else { (24.0, 10.0) };
    let inner = width - 2.0 * padding;
    let lines: f32 = card
        .lines
        .iter()
        .map(|line| {
            let size = card_text(line.small, sizes, tight);
            text_height(&line.words, line.font, size, inner) + spacing
        })
        .sum();
    let hint = |width: f32| {
        card.priority_hint.as_ref().map_or(0.0, |hint| {
            4.0 + text_height(hint, theme::FONT, sizes.small(), width)
        })
    };
    let buttons = if stacked {
        let priority = card
            .priority_hint
            .as_ref()
            .map_or(0.0, |_| 16.0 + button_height(sizes));
        button_height(sizes) + priority + hint(inner)
    } else {
        // The priority button takes 2 of 5 parts of the row, its words wrap under it.
        button_height(sizes) + hint((inner - 20.0) * 2.0 / 5.0)
    };
    // The card's own margin from the screen's edges.
    2.0 * padding + lines + buttons + 2.0 * 16.0
}
