//! Building blocks shared by the screens: touch targets, headers, pagers, the QR picture.
//! They know iced and the theme only; every word they show comes in as an argument.

use iced::widget::{Space, column, container, image, mouse_area, row, text};
use iced::{Alignment, Color, Element, Length};
use qrcode::{Color as Module, EcLevel, QrCode};

use super::theme::{self, Sizes};

/// A touch target that acts on finger-down, exactly once. `mouse_area` is used instead of
/// `button` because a button drops a press when the pointer moved between press and release
/// (iced issue #3471), which is what a finger on a touch screen does.
pub fn tap<'a, M: Clone + 'a>(
    content: impl Into<Element<'a, M>>,
    message: Option<M>,
) -> Element<'a, M> {
    match message {
        Some(message) => mouse_area(content).on_press(message).into(),
        None => content.into(),
    }
}

/// A large, filled button with a label; without a message it is shown greyed out.
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
        .size(sizes.body() * 1.15)
        .font(theme::BOLD)
        .center()
        .width(Length::Fill);
    let body = container(label)
        .padding([16.0, 24.0])
        .center_y(Length::Shrink)
        .width(Length::Fill)
        .height(Length::Fixed(sizes.target() * 1.1))
        .align_y(Alignment::Center)
        .style(move |_| theme::panel(colour, theme::WHITE));
    tap(body, message)
}

/// Title bar with a back button (labelled `back_label`) on the left.
pub fn header<'a, M: Clone + 'a>(
    title: &str,
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
            .size(sizes.heading())
            .font(theme::BOLD)
            .width(Length::Fill),
    ]
    .spacing(24)
    .align_y(Alignment::Center);
    container(bar)
        .padding([16.0, 24.0])
        .width(Length::Fill)
        .style(|_| theme::banner(theme::NAVY, theme::WHITE))
        .into()
}

/// The words on a pager, in the visitor's language.
pub struct PagerLabels<'a> {
    pub previous: &'a str,
    pub next: &'a str,
    /// "Page 1 of 3", already filled in.
    pub position: String,
}

/// "Previous · Page 1 of 3 · Next", with the buttons only where there is somewhere to go.
pub fn pager<'a, M: Clone + 'a>(
    page: usize,
    pages: usize,
    to_page: impl Fn(usize) -> M,
    labels: PagerLabels,
    sizes: Sizes,
) -> Element<'a, M> {
    if pages <= 1 {
        return Space::new().height(Length::Fixed(0.0)).into();
    }
    let previous = (page > 0).then(|| to_page(page - 1));
    let next = (page + 1 < pages).then(|| to_page(page + 1));
    row![
        container(big_button(
            &format!("‹ {}", labels.previous),
            theme::NAVY,
            previous,
            sizes
        ))
        .width(Length::FillPortion(2)),
        text(labels.position)
            .size(sizes.body())
            .center()
            .width(Length::FillPortion(2)),
        container(big_button(
            &format!("{} ›", labels.next),
            theme::NAVY,
            next,
            sizes
        ))
        .width(Length::FillPortion(2)),
    ]
    .spacing(24)
    .align_y(Alignment::Center)
    .into()
}

/// Splits `count` items into pages of `per_page`; returns (pages, the clamped page).
pub fn paginate(count: usize, per_page: usize, page: usize) -> (usize, usize) {
    let pages = count.div_ceil(per_page.max(1)).max(1);
    (pages, page.min(pages - 1))
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

/// A labelled block of information in the detail screen.
pub fn section<'a, M: 'a>(
    title: &str,
    lines: Vec<String>,
    numbered: bool,
    sizes: Sizes,
) -> Element<'a, M> {
    let mut body = column![text(title.to_owned()).size(sizes.body()).font(theme::BOLD)].spacing(8);
    for (index, line) in lines.into_iter().enumerate() {
        let lead = if numbered {
            format!("{}.", index + 1)
        } else {
            "•".to_owned()
        };
        body = body.push(
            row![
                text(lead)
                    .size(sizes.body())
                    .width(Length::Fixed(40.0 * sizes.scale)),
                text(line).size(sizes.body()).width(Length::Fill),
            ]
            .spacing(8),
        );
    }
    body.into()
}
