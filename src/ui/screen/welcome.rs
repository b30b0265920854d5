//! The welcome screen: the MPP's name, the date and time, "touch to take a number", the language
//! switch and what priority service means.

use chrono::Timelike;
use iced::widget::{Space, column, container, image, row, text};
use iced::{Alignment, Element, Length, Task};

use super::Context;
use crate::ui::theme;
use crate::ui::widgets::{big_button, tap};
use mpp_core::lang::Language;
use mpp_core::strings::{Text, long_date};

/// The welcome screen keeps nothing of its own: the language lives in the app, for every screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The visitor touched the screen to begin.
    Start,
    /// The visitor picked a language.
    SetLanguage(Language),
}

/// What the app should do after a message.
pub enum Action {
    None,
    Run(Task<Message>),
    /// Show the agencies.
    Start,
    /// Speak this language from now on.
    SetLanguage(Language),
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Start => Action::Start,
            Message::SetLanguage(language) => Action::SetLanguage(language),
        }
    }

    pub fn view<'a>(&self, context: &Context) -> Element<'a, Message> {
        view(context)
    }
}

fn view<'a>(context: &Context) -> Element<'a, Message> {
    let sizes = context.sizes;
    let high_contrast = context.high_contrast;
    let now = context.local_now;
    let clock = format!(
        "{}  ·  {:02}:{:02}",
        long_date(now.date(), context.language),
        now.hour(),
        now.minute()
    );
    let languages = Language::ALL.into_iter().map(|language| {
        let chosen = language == context.language;
        let colour = if chosen { theme::NAVY } else { theme::MUTED };
        let label = if chosen {
            format!("✓ {}", language.native_name())
        } else {
            language.native_name().to_owned()
        };
        container(big_button(
            &label,
            colour,
            Some(Message::SetLanguage(language)),
            sizes,
        ))
        .width(Length::Fixed(340.0 * sizes.scale))
        .into()
    });
    let priority = container(
        column![
            text(context.t(Text::PriorityTitle))
                .size(sizes.body())
                .font(theme::BOLD),
            text(context.t(Text::PriorityExplain)).size(sizes.small()),
        ]
        .spacing(8),
    )
    .padding(20)
    .width(Length::Fill)
    .style(move |_| theme::card(high_contrast));
    let start = container(
        column![
            text(context.t(Text::TouchToStart))
                .size(sizes.heading())
                .font(theme::BOLD)
                .center(),
            text(format!("›  {}", context.t(Text::Start)))
                .size(sizes.body())
                .center(),
        ]
        .spacing(16)
        .align_x(Alignment::Center),
    )
    .padding(32)
    .center_x(Length::Fill)
    .height(Length::Fill)
    .align_y(Alignment::Center)
    .style(|_| theme::panel(theme::NAVY, theme::WHITE));
    let heading = row![
        image(theme::logo()).height(Length::Fixed(96.0 * sizes.scale)),
        column![
            text(context.t(Text::Welcome))
                .size(sizes.body())
                .style(theme::muted),
            text(context.mpp_name.to_owned())
                .size(sizes.title())
                .font(theme::BOLD),
            text(clock).size(sizes.body()),
        ]
        .spacing(4),
    ]
    .spacing(28)
    .align_y(Alignment::Center);
    let mut page = column![heading]
        .spacing(8)
        .padding(32)
        .width(Length::Fill)
        .height(Length::Fill);
    if !context.printer.can_print() {
        page = page.push(
            container(
                text(context.t(Text::PrinterBanner))
                    .size(sizes.body())
                    .font(theme::SEMIBOLD),
            )
            .padding(16)
            .width(Length::Fill)
            .style(|_| theme::panel(theme::AMBER, theme::INK)),
        );
    }
    page.push(Space::new().height(Length::Fixed(16.0)))
        .push(tap(start, Some(Message::Start)))
        .push(Space::new().height(Length::Fixed(16.0)))
        .push(priority)
        .push(row(languages).spacing(24).align_y(Alignment::Center))
        .into()
}
