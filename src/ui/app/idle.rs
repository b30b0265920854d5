//! The idle warning: the screen returns to the start in a few seconds unless touched.

use iced::widget::{column, container, opaque, text};
use iced::{Element, Length};

use super::Message;
use crate::ui::screen::Context;
use crate::ui::theme;
use mpp_core::strings::Text;

/// "Still there?": over the screen, which stays where it was, so a finger aimed at a button
/// does not land on another one. The layer takes the touch that answers it (any touch counts
/// as activity), so that touch does nothing underneath.
pub fn warning<'a>(context: &Context, seconds: u64) -> Element<'a, Message> {
    let sizes = context.sizes;
    let card = container(
        column![
            text(context.fill(Text::ReturningIn, &[("seconds", &seconds.to_string())]))
                .size(sizes.heading())
                .font(theme::BOLD)
                .center(),
            text(context.t(Text::TouchToContinue))
                .size(sizes.body())
                .center(),
        ]
        .spacing(16)
        .align_x(iced::Alignment::Center),
    )
    .padding(32)
    .max_width(720.0 * sizes.scale)
    .style(|_| theme::panel(theme::AMBER, theme::INK));
    opaque(
        container(card)
            .center(Length::Fill)
            .padding(24)
            .style(|_| theme::scrim()),
    )
}
