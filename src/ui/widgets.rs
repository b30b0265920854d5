//! Building blocks shared by the screens: touch targets, headers, pagers, the QR picture.
//! They know iced and the theme only; every word they show comes in as an argument.

use iced::widget::{Column, Row, Space, container, image, mouse_area, row, text};
use iced::{Alignment, Color, Element, Length};
use qrcode::{Color as Module, EcLevel, QrCode};

use super::measure;
use super::theme::{self, Sizes};

/// The id every touch target carries, so a test can find each one with its bounds.
pub const TARGET: &str = "touch-target";

/// A touch target that acts on finger-down, exactly once. `mouse_area` is used instead of
/// `button` because a button drops a press when the pointer moved between press and release
/// (iced issue #3471), which is what a finger on a touch screen does.
pub fn tap<'a, M: Clone + 'a>(
    content: impl Into<Element<'a, M>>,
    message: Option<M>,
) -> Element<'a, M> {
    let target = container(content).id(iced::widget::Id::new(TARGET));
    match message {
        Some(message) => mouse_area(target).on_press(message).into(),
        None => target.into(),
    }
}

/// A large, filled button with a label; without a message it is shown greyed out. It is at
/// least a finger's height and grows with a label that wraps, never cutting it off.
pub fn big_button<'a, M: Clone + 'a>(
    label: &str,
    background: Color,
    message: Option<M>,
    sizes: Sizes,
) -> Element<'a, M> {
    let colour = if message.is_some() {
        background
    } else {
        theme::DISABLED
    };
    let label = text(label.to_owned())
        .size(button_text(sizes))
        .font(theme::BOLD)
        .center()
        .width(Length::Fill);
    let least = Space::new().height(Length::Fixed(
        button_height(sizes) - 2.0 * BUTTON_PADDING[0],
    ));
    let body = container(row![least, label].align_y(Alignment::Center))
        .padding(BUTTON_PADDING)
        .width(Length::Fill)
        .style(move |_| theme::panel(colour, theme::WHITE));
    tap(body, message)
}

const BUTTON_PADDING: [f32; 2] = [12.0, 24.0];

/// The height of a one-line big button.
pub fn button_height(sizes: Sizes) -> f32 {
    sizes.target() * 1.1
}

/// The size of a big button's label.
pub fn button_text(sizes: Sizes) -> f32 {
    sizes.body() * 1.15
}

/// Title bar with a back button (labelled `back_label`) on the left.
pub fn header<'a, M: Clone + 'a>(
    title: &str,
    back_label: &str,
    back: M,
    sizes: Sizes,
) -> Element<'a, M> {
    header_sized(title, sizes.heading(), back_label, back, sizes)
}

/// [`header`] with the title at `title_size`: smaller for a long title on a short screen.
pub fn header_sized<'a, M: Clone + 'a>(
    title: &str,
    title_size: f32,
    back_label: &str,
    back: M,
    sizes: Sizes,
) -> Element<'a, M> {
    let back_label = format!("‹  {back_label}");
    let back_button = container(text(back_label).size(sizes.body()).font(theme::BOLD))
        .padding([14.0, 28.0])
        .height(Length::Fixed(sizes.target()))
        .align_y(Alignment::Center)
        .style(|_| theme::panel(theme::WHITE, theme::NAVY));
    let bar = row![
        tap(back_button, Some(back)),
        text(title.to_owned())
            .size(title_size)
            .font(theme::BOLD)
            .width(Length::Fill),
    ]
    .spacing(24)
    .align_y(Alignment::Center);
    container(bar)
        .padding([12.0, 24.0])
        .width(Length::Fill)
        .style(|_| theme::banner(theme::NAVY, theme::WHITE))
        .into()
}

/// The words on a pager, in the visitor's language.
pub struct PagerLabels<'a> {
    pub previous: &'a str,
    pub next: &'a str,
}

/// The height of the pager row.
pub fn pager_height(sizes: Sizes) -> f32 {
    button_height(sizes)
}

/// "‹ Previous  1 2 3  Next ›": a button for every page, so any page is one tap away, with
/// the current one marked; the words become arrows when `width` is too narrow for them, and
/// the numbers a window around the current page when there are too many for the row.
pub fn pager<'a, M: Clone + 'a>(
    page: usize,
    pages: usize,
    to_page: impl Fn(usize) -> M,
    labels: PagerLabels,
    sizes: Sizes,
    width: f32,
) -> Element<'a, M> {
    if pages <= 1 {
        return Space::new().height(Length::Fixed(0.0)).into();
    }
    let number_width = sizes.target() * 1.2;
    let slot = number_width + PAGER_GAP;
    let (previous_label, next_label) = (
        format!("‹  {}", labels.previous),
        format!("{}  ›", labels.next),
    );
    let worded = |label: &str| measure::text_width(label, theme::BOLD, button_text(sizes)) + 48.0;
    let words = worded(&previous_label).max(worded(&next_label)) + PAGER_GAP;
    let (previous_label, next_label, end_width) = if width - 2.0 * words >= pages as f32 * slot {
        (previous_label, next_label, words - PAGER_GAP)
    } else {
        ("‹".to_owned(), "›".to_owned(), number_width)
    };
    let room = ((width - 2.0 * (end_width + PAGER_GAP) + PAGER_GAP) / slot).max(1.0) as usize;
    let shown = numbers_around(page, pages, room);
    let mut bar = row![
        container(big_button(
            &previous_label,
            theme::NAVY,
            (page > 0).then(|| to_page(page - 1)),
            sizes
        ))
        .width(Length::Fixed(end_width))
    ]
    .spacing(PAGER_GAP)
    .align_y(Alignment::Center);
    bar = bar.push(Space::new().width(Length::Fill));
    for number in shown {
        let message = (number != page).then(|| to_page(number));
        bar = bar.push(
            container(page_button(number, message, sizes)).width(Length::Fixed(number_width)),
        );
    }
    bar = bar.push(Space::new().width(Length::Fill));
    bar.push(
        container(big_button(
            &next_label,
            theme::NAVY,
            (page + 1 < pages).then(|| to_page(page + 1)),
            sizes,
        ))
        .width(Length::Fixed(end_width)),
    )
    .into()
}

const PAGER_GAP: f32 = 12.0;

/// At most `room` page numbers (from 0), the current one among them, as centred as the ends allow.
pub fn numbers_around(page: usize, pages: usize, room: usize) -> std::ops::Range<usize> {
    let room = room.clamp(1, pages.max(1));
    let first = page.saturating_sub(room / 2).min(pages - room);
    first..first + room
}

/// One page's number: filled on the page on show (which has nothing to do), outlined otherwise.
fn page_button<'a, M: Clone + 'a>(
    number: usize,
    message: Option<M>,
    sizes: Sizes,
) -> Element<'a, M> {
    let current = message.is_none();
    let (background, foreground) = if current {
        (theme::NAVY, theme::WHITE)
    } else {
        (theme::WHITE, theme::NAVY)
    };
    let label = text((number + 1).to_string())
        .size(button_text(sizes))
        .font(theme::BOLD)
        .center()
        .width(Length::Fill);
    let body = container(label)
        .width(Length::Fill)
        .height(Length::Fixed(button_height(sizes)))
        .align_y(Alignment::Center)
        .style(move |_| theme::outlined(background, foreground));
    tap(body, message)
}

/// Cards in rows of `columns`, each row at least the height `rows` says it needs; the rows
/// share out room to spare, up to half as much again, and leave the rest empty below. The places
/// of a short last row stay empty, so cards keep their width.
pub fn cards_grid<'a, M: 'a>(
    cards: Vec<Element<'a, M>>,
    columns: usize,
    rows: &[f32],
    gap: f32,
) -> Element<'a, M> {
    let mut cards = cards.into_iter();
    let mut grid = Column::new().spacing(gap).height(Length::Fill);
    for needed in rows {
        let mut cells = Row::new()
            .spacing(gap)
            .height(Length::FillPortion(needed.ceil().max(1.0) as u16));
        for _ in 0..columns {
            cells = cells.push(match cards.next() {
                Some(card) => container(card)
                    .width(Length::Fill)
                    .height(Length::Fill)
                    .into(),
                None => Element::from(Space::new().width(Length::Fill)),
            });
        }
        grid = grid.push(cells);
    }
    let needed = rows.iter().sum::<f32>() + gap * rows.len().saturating_sub(1) as f32;
    let capped = container(grid)
        .height(Length::Fill)
        .max_height(needed * 1.5);
    // The outer box takes the whole room, so the pager below stays at the bottom.
    container(capped)
        .height(Length::Fill)
        .align_y(Alignment::Start)
        .into()
}

/// The ticket's QR code as a picture for the screen, with its quiet zone.
pub fn qr_picture(payload: &str) -> image::Handle {
    const SCALE: u32 = 8;
    const QUIET: u32 = 4;
    let Ok(code) = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M) else {
        return image::Handle::from_rgba(1, 1, vec![255, 255, 255, 255]);
    };
    let modules = code.width() as u32;
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; (side * side * 4) as usize];
    for (index, module) in code.to_colors().into_iter().enumerate() {
        if module != Module::Dark {
            continue;
        }
        let (mx, my) = (
            index as u32 % modules + QUIET,
            index as u32 / modules + QUIET,
        );
        for y in my * SCALE..(my + 1) * SCALE {
            for x in mx * SCALE..(mx + 1) * SCALE {
                let at = ((y * side + x) * 4) as usize;
                pixels[at..at + 3].copy_from_slice(&[0, 0, 0]);
            }
        }
    }
    image::Handle::from_rgba(side, side, pixels)
}
