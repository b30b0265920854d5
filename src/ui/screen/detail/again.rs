//! Asked in place of the service's page when a number of it was taken here a moment ago: one
//! person pulling four numbers takes four places of the day's quota from others.

use iced::widget::{column, container, row, text};
use iced::{Alignment, Element, Length};

use super::{Again, Message};
use crate::ui::screen::Context;
use crate::ui::theme;
use crate::ui::widgets::big_button;
use mpp_core::strings::Text;

/// How long after a number another of the same service is asked about first.
pub const WINDOW: std::time::Duration = std::time::Duration::from_secs(3 * 60);

pub fn question<'a>(again: &Again, context: &Context) -> Element<'a, Message> {
    let sizes = context.sizes;
    let said = context.fill(Text::JustTook, &[("number", &again.taken)]);
    let card = container(
        column![
            text(said).size(sizes.heading()).font(theme::BOLD).center(),
            text(context.t(Text::TakeAnotherAsk))
                .size(sizes.body())
                .center(),
            row![
                container(big_button(
                    context.t(Text::KeepMine),
                    theme::MUTED,
                    Some(Message::KeepMine),
                    sizes
                ))
                .width(Length::FillPortion(1)),
                container(big_button(
                    context.t(Text::TakeAnother),
                    theme::GREEN,
                    Some(Message::TakeAgain),
                    sizes
                ))
                .width(Length::FillPortion(1)),
            ]
            .spacing(20),
        ]
        .spacing(20)
        .align_x(Alignment::Center),
    )
    .padding(32)
    .max_width(900.0 * sizes.scale)
    .style(move |_| theme::card(true));
    container(card).center(Length::Fill).padding(24).into()
}
