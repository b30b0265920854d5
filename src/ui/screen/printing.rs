//! While the number is being taken and printed: clear progress, and the number as soon as it
//! is committed.

use iced::widget::{column, container, text};
use iced::{Alignment, Element, Length};

use super::Context;
use crate::ui::theme;
use mpp_core::strings::Text;
use mpp_core::ticket::Ticket;

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub service: String,
    /// Known once the number is committed.
    pub ticket: Option<Ticket>,
}

pub fn view<'a, M: 'a>(state: &'a State, context: &Context) -> Element<'a, M> {
    let sizes = context.sizes;
    let mut body = column![
        text(context.t(Text::Printing))
            .size(sizes.heading())
            .font(theme::BOLD)
    ]
    .spacing(24)
    .align_x(Alignment::Center);
    if let Some(ticket) = &state.ticket {
        body = body
            .push(text(context.t(Text::NumberSaved)).size(sizes.body()))
            .push(
                text(ticket.number.clone())
                    .size(sizes.number())
                    .font(theme::BOLD),
            );
    }
    container(body).center(Length::Fill).into()
}
