//! "Thank you": the answers are kept (they reach the server when it can be reached). Returns
//! to the start on its own soon after.

use iced::widget::{column, container, text};
use iced::{Alignment, Element, Length};

use crate::ui::screen::Context;
use crate::ui::theme;
use crate::ui::widgets::big_button;
use mpp_core::survey::text::Text;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// The ticket had a response already (two taps on Finish, or a second visitor): the
    /// words say so instead of thanking twice.
    pub already_answered: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// Back to the start for the next visitor.
    Home,
}

impl State {
    pub fn view<'a>(&self, context: &Context<'a>) -> Element<'a, Message> {
        let sizes = context.sizes;
        let language = context.language;
        let body = if self.already_answered {
            Text::Answered
        } else {
            Text::ThanksBody
        };
        let words = column![
            text(Text::Thanks.get(language))
                .size(sizes.title())
                .font(theme::BOLD),
            text(body.get(language)).size(sizes.body()).center(),
        ]
        .spacing(16)
        .align_x(Alignment::Center);
        column![
            container(words)
                .center_x(Length::Fill)
                .center_y(Length::Fill)
                .padding(24),
            container(big_button(
                Text::Home.get(language),
                theme::NAVY,
                Some(Message::Home),
                sizes
            ))
            .padding(24)
            .width(Length::Fill),
        ]
        .width(Length::Fill)
        .height(Length::Fill)
        .into()
    }
}
