//! What the screen shows when the kiosk cannot serve at all (its database cannot be opened,
//! no usable catalog): a plain "out of order" notice for visitors, the reason in small print
//! for the technician, and an exit after a minute so systemd starts the kiosk again and retries.

use std::time::Duration;

use iced::time::Instant;
use iced::widget::{column, container, text};
use iced::{Alignment, Element, Length, Subscription, Task};

use super::full_screen::{self, FullScreen};
use super::theme::{self, Sizes};
use mpp_core::lang::Language;
use mpp_core::strings::Text;

/// How long the notice stays before the process exits to be restarted.
pub const RETRY_AFTER: Duration = Duration::from_secs(60);

pub struct OutOfOrder {
    reason: String,
    started: Instant,
    full_screen: FullScreen,
}

#[derive(Clone, Debug)]
pub enum Message {
    /// The one-second clock.
    Tick(Instant),
    /// The window is being fitted to the output.
    FullScreen(full_screen::Message),
}

impl OutOfOrder {
    /// The notice in a window of its own size.
    pub fn new(reason: String) -> Self {
        Self::boot(reason, false).0
    }

    /// The notice, filling the output when `fullscreen`, and what it asks to run at start.
    pub fn boot(reason: String, fullscreen: bool) -> (Self, Task<Message>) {
        let (full_screen, fitting) = FullScreen::new(fullscreen);
        let notice = Self {
            reason,
            started: Instant::now(),
            full_screen,
        };
        (notice, fitting.map(Message::FullScreen))
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Tick(now) if now.saturating_duration_since(self.started) >= RETRY_AFTER => {
                tracing::info!("leaving the out-of-order screen to try again");
                iced::exit()
            }
            Message::Tick(_) => Task::none(),
            Message::FullScreen(message) => {
                self.full_screen.update(message).map(Message::FullScreen)
            }
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([
            iced::time::every(Duration::from_secs(1)).map(Message::Tick),
            self.full_screen.subscription().map(Message::FullScreen),
        ])
    }
}

pub fn view(state: &OutOfOrder) -> Element<'_, Message> {
    let sizes = Sizes::new(false);
    let mut body = column![].spacing(16).align_x(Alignment::Center);
    for language in Language::ALL {
        body = body
            .push(
                text(Text::OutOfOrder.get(language))
                    .size(sizes.title())
                    .font(theme::BOLD)
                    .center(),
            )
            .push(
                text(Text::OutOfOrderHelp.get(language))
                    .size(sizes.body())
                    .center(),
            );
    }
    let body = body.push(
        text(state.reason.clone())
            .size(sizes.small())
            .style(theme::muted)
            .center(),
    );
    container(body).padding(48).center(Length::Fill).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_leaves_after_a_minute_to_be_restarted() {
        let mut screen = OutOfOrder::new("the database is locked".into());
        let started = screen.started;
        let soon = screen.update(Message::Tick(started + Duration::from_secs(5)));
        assert!(
            iced_test::runtime::task::into_stream(soon).is_none(),
            "nothing to do yet"
        );
        let later = screen.update(Message::Tick(started + RETRY_AFTER));
        assert!(
            iced_test::runtime::task::into_stream(later).is_some(),
            "exits to be restarted"
        );
    }
}
