//! The idle warning: the screen returns to the start in a few seconds unless touched.

use std::time::Duration;

use iced::time::Instant;
use iced::widget::{column, container, opaque, text};
use iced::{Element, Length, Task};

use super::{COUNTDOWN, COUNTS_REFRESH, COUNTS_REFRESH_BROWSING, DONE_TIMEOUT, Kiosk, Message};
use crate::ui::screen::{Context, Screen};
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

/// The idle timer: back to the start (or the menu closed) after the screen's time without a
/// touch, with a countdown before it; and today's figures read again now and then.
impl Kiosk {
    pub(super) fn on_tick(&mut self, now: Instant) -> Task<Message> {
        let welcome = matches!(self.screen, Screen::Welcome(_));
        crate::watchdog::screen_ticked(&self.backend, welcome.then_some(self.last_activity));
        self.now = now;
        self.tick_menu(now);
        self.speech_tick(now);
        let browsing = matches!(
            self.screen,
            Screen::Agencies(_) | Screen::Services(_) | Screen::Detail(_)
        );
        let every = if browsing {
            COUNTS_REFRESH_BROWSING
        } else {
            COUNTS_REFRESH
        };
        let counts = if now.saturating_duration_since(self.counts_asked) >= every {
            self.counts_asked = now;
            self.load_counts()
        } else {
            Task::none()
        };
        Task::batch([counts, self.return_when_idle(now)])
    }

    /// Back to the start (or the menu closed) after the screen's time without a touch.
    fn return_when_idle(&mut self, now: Instant) -> Task<Message> {
        if self.is_busy() || matches!(self.screen, Screen::Welcome(_)) {
            return Task::none();
        }
        let idle = now.saturating_duration_since(self.last_activity);
        if idle < self.idle_limit() {
            return Task::none();
        }
        if matches!(self.screen, Screen::Maintenance(_)) {
            return self.close_menu("closed itself: no touch for the timeout");
        }
        self.back_to_start();
        Task::none()
    }

    /// How long the screen on show may stay untouched.
    fn idle_limit(&self) -> Duration {
        match self.screen {
            Screen::Maintenance(_) => self.settings.maintenance.timeout,
            _ if self.speech_active() => crate::ui::speech::idle_limit(self.settings.idle_timeout),
            _ if self.screen.returns_soon() => DONE_TIMEOUT.min(self.settings.idle_timeout),
            _ => self.settings.idle_timeout,
        }
    }

    /// Seconds left before returning to the start, when the countdown is showing.
    pub fn countdown(&self) -> Option<u64> {
        if self.is_busy() || matches!(self.screen, Screen::Welcome(_)) || self.screen.returns_soon()
        {
            return None;
        }
        let left = self.time_left();
        (left <= COUNTDOWN).then(|| whole_seconds(left))
    }

    /// How long the screen on show may still stay untouched.
    pub(super) fn time_left(&self) -> Duration {
        let idle = self.now.saturating_duration_since(self.last_activity);
        self.idle_limit().saturating_sub(idle)
    }

    /// Seconds left on a screen that goes back to the start by itself.
    pub fn leaving_in(&self) -> Option<u64> {
        self.screen
            .returns_soon()
            .then(|| whole_seconds(self.time_left()))
    }
}

/// Seconds as a countdown shows them: rounded up, never 0 while still on screen.
fn whole_seconds(left: Duration) -> u64 {
    left.as_millis().div_ceil(1000).max(1) as u64
}
