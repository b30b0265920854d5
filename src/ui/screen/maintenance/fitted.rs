//! Lists of lines on the menu's pages that page instead of scrolling, so that no button ever
//! lies below the screen's edge: each line's height is measured with the screen's fonts at
//! the width it gets, and a page holds the lines that fit the room left for the list (what the
//! menu's title, page buttons and footer leave: [`super::State::body_room`]).

use iced::widget::{column, row, text};
use iced::{Alignment, Element, Length, Size};

use super::{Message, sized_button};
use crate::ui::measure::{text_height, text_width};
use crate::ui::screen::Context;
use crate::ui::theme;
use crate::ui::widgets::{PagerLabels, button_height, button_text, pager, pager_height};
use mpp_core::strings::maintenance::Text;

/// Space between lines and around the list's parts.
const GAP: f32 = 12.0;

/// One line: what it names, a second line about it, and its one button.
pub struct Line {
    pub title: String,
    pub detail: String,
    pub button: String,
    pub colour: iced::Color,
    pub message: Option<Message>,
}

/// The page `page` of `lines` in `room` (clamped to the last page), with the pager under it
/// when there is more than one page; `to_page` names a page.
pub fn list<'a>(
    context: &Context,
    lines: Vec<Line>,
    page: usize,
    room: Size,
    to_page: impl Fn(usize) -> Message,
) -> Element<'a, Message> {
    let pages = paginate(context, &lines, room);
    let page = page.min(pages.len().saturating_sub(1));
    let shown = pages.get(page).cloned().unwrap_or(0..0);
    let mut list = column![].spacing(GAP).width(Length::Fill);
    for line in lines.into_iter().skip(shown.start).take(shown.len()) {
        list = list.push(line_view(context, line));
    }
    if pages.len() > 1 {
        let labels = PagerLabels {
            previous: mpp_core::strings::Text::PreviousPage.get(context.language),
            next: mpp_core::strings::Text::NextPage.get(context.language),
        };
        list = list.push(pager(
            page,
            pages.len(),
            to_page,
            labels,
            context.sizes,
            room.width,
        ));
    }
    list.into()
}

/// The lines of each page, in order.
fn paginate(context: &Context, lines: &[Line], room: Size) -> Vec<std::ops::Range<usize>> {
    let sizes = context.sizes;
    let whole: f32 = lines
        .iter()
        .map(|line| line_height(context, line, room.width) + GAP)
        .sum();
    // A pager is needed unless everything fits without one.
    let height = if whole <= room.height {
        room.height
    } else {
        room.height - pager_height(sizes) - GAP
    };
    let mut pages = Vec::new();
    let (mut start, mut used) = (0, 0.0);
    for (index, line) in lines.iter().enumerate() {
        let needed = line_height(context, line, room.width) + GAP;
        if used + needed > height && index > start {
            pages.push(start..index);
            (start, used) = (index, 0.0);
        }
        used += needed;
    }
    pages.push(start..lines.len());
    pages
}

fn button_width(context: &Context, label: &str) -> f32 {
    text_width(label, theme::BOLD, button_text(context.sizes)) + 64.0
}

/// How tall `line` is at `width`: its two texts beside its button, or the button.
fn line_height(context: &Context, line: &Line, width: f32) -> f32 {
    let sizes = context.sizes;
    let words = (width - button_width(context, &line.button) - GAP).max(1.0);
    let title = text_height(&line.title, theme::BOLD, sizes.body(), words);
    let detail = text_height(&line.detail, theme::FONT, sizes.small(), words);
    (title + 4.0 + detail).max(button_height(sizes))
}

fn line_view<'a>(context: &Context, line: Line) -> Element<'a, Message> {
    let sizes = context.sizes;
    let words = column![
        text(line.title).size(sizes.body()).font(theme::BOLD),
        text(line.detail).size(sizes.small()),
    ]
    .spacing(4)
    .width(Length::Fill);
    row![
        words,
        sized_button(&line.button, line.colour, line.message, context)
    ]
    .spacing(GAP)
    .align_y(Alignment::Center)
    .into()
}

/// Buttons labelled `labels`, as many rows of them as fit `room` a page (with the pager under
/// them when there is more than one page), on page `page`; `pressed` names each button's
/// message by its index.
pub fn buttons<'a>(
    context: &Context,
    labels: Vec<(String, iced::Color)>,
    page: usize,
    room: Size,
    pressed: impl Fn(usize) -> Message,
    to_page: impl Fn(usize) -> Message,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let widths: Vec<f32> = labels
        .iter()
        .map(|(label, _)| button_width(context, label).min(room.width))
        .collect();
    let rows = wrap_rows(&widths, room.width);
    let row_height = button_height(sizes) + GAP;
    let fit_all = (room.height / row_height).floor().max(1.0) as usize;
    let per_page = if rows.len() <= fit_all {
        fit_all
    } else {
        (((room.height - pager_height(sizes) - GAP) / row_height).floor() as usize).max(1)
    };
    let pages: Vec<&[std::ops::Range<usize>]> = rows.chunks(per_page).collect();
    let page = page.min(pages.len().saturating_sub(1));
    let mut grid = column![].spacing(GAP).width(Length::Fill);
    for line in pages.get(page).copied().unwrap_or_default() {
        let buttons = line.clone().map(|index| {
            let (label, colour) = &labels[index];
            sized_button(label, *colour, Some(pressed(index)), context)
        });
        grid = grid.push(row(buttons).spacing(GAP));
    }
    if pages.len() > 1 {
        let labels = PagerLabels {
            previous: mpp_core::strings::Text::PreviousPage.get(context.language),
            next: mpp_core::strings::Text::NextPage.get(context.language),
        };
        grid = grid.push(pager(page, pages.len(), to_page, labels, sizes, room.width));
    }
    grid.into()
}

/// The buttons of each row when buttons `widths` wide wrap in `width`.
fn wrap_rows(widths: &[f32], width: f32) -> Vec<std::ops::Range<usize>> {
    let mut rows = Vec::new();
    let (mut start, mut used) = (0, 0.0);
    for (index, button) in widths.iter().enumerate() {
        if index > start && used + GAP + button > width {
            rows.push(start..index);
            (start, used) = (index, 0.0);
        }
        used += if index > start { GAP + button } else { *button };
    }
    if start < widths.len() {
        rows.push(start..widths.len());
    }
    rows
}

impl super::State {
    /// The room a page's body has on a screen of `size`: what the title, the page buttons, the
    /// line under the page and the closing notice leave, as the menu lays them out.
    pub(super) fn body_room(
        &self,
        context: &Context,
        size: iced::Size,
        short: bool,
        typing: bool,
    ) -> iced::Size {
        use crate::ui::measure::text_height;
        let sizes = context.sizes;
        let (padding, spacing) = if short { (12.0, 8.0) } else { (24.0, 16.0) };
        let width = size.width - 2.0 * padding;
        let t = |words: Text| words.get(context.language);
        let mut used = 2.0 * padding;
        if !short && !typing {
            used += text_height(t(Text::PadTitle), theme::BOLD, sizes.heading(), width) + spacing;
        }
        if !typing {
            let mut labels: Vec<&str> = super::Page::ALL
                .iter()
                .map(|page| t(page.label()))
                .collect();
            labels.push(t(Text::CloseMenu));
            used += wrapped_height(context, &labels, width) + spacing;
        }
        let line = text_height(t(Text::ActionFailed), theme::BOLD, sizes.body(), width);
        let footer = Text::MenuClosesIn.fill(context.language, &[("minutes", "60")]);
        let footer = text_height(&footer, theme::FONT, sizes.small(), width);
        used += line + footer + 2.0 * spacing;
        iced::Size::new(width, (size.height - used).max(0.0))
    }
}

/// The height of a wrapping row of big buttons labelled `labels` in `width`.
pub(super) fn wrapped_height(context: &Context, labels: &[&str], width: f32) -> f32 {
    let sizes = context.sizes;
    let mut rows = 1;
    let mut used = 0.0;
    for label in labels {
        let button = crate::ui::measure::text_width(label, theme::BOLD, button_text(sizes)) + 64.0;
        if used > 0.0 && used + 12.0 + button > width {
            rows += 1;
            used = button;
        } else {
            used += if used > 0.0 { 12.0 + button } else { button };
        }
    }
    rows as f32 * crate::ui::widgets::button_height(sizes) + (rows - 1) as f32 * 12.0
}
