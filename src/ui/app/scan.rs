//! The ticket scanner, where one is fitted: its state for the screen's words, and each code
//! it reads. A code starts the survey for its ticket when nobody is in the middle of something
//! (the start screen, browsing, the survey's entry or its thanks); a number being printed or a
//! half-answered survey is never interrupted, and the technician's screens ignore it.

use iced::Task;

use super::{Kiosk, Message};
use crate::ui::screen::{Screen, survey};
use mpp_station::scanner::{Scan, ScannerFeed};

impl Kiosk {
    pub(super) fn on_scanner(&mut self, feed: ScannerFeed) -> Task<Message> {
        if feed.status != self.scanner {
            tracing::debug!(status = ?feed.status, "ticket scanner");
            self.scanner = feed.status;
        }
        match feed.last {
            Some(scan) if scan.seq > self.scans_seen => {
                self.scans_seen = scan.seq;
                self.last_scan = Some(self.backend.now());
                self.on_scan(scan)
            }
            _ => Task::none(),
        }
    }

    fn on_scan(&mut self, scan: Scan) -> Task<Message> {
        let Some(window_days) = self.settings.survey_days else {
            tracing::info!("a code was scanned, but the survey is off");
            return Task::none();
        };
        if !self.takes_scan() {
            tracing::info!(
                screen = self.screen.name(),
                "a code scanned here was ignored"
            );
            return Task::none();
        }
        tracing::info!(bytes = scan.text.len(), "a code was scanned: checking it");
        self.history.clear();
        self.show(Screen::Survey(survey::State::scanning(window_days)));
        Task::perform(
            self.backend
                .clone()
                .check_scanned_survey(scan.text, window_days),
            |result| Message::Survey(survey::Message::ScanChecked(result)),
        )
    }

    /// Whether the screen on show gives way to a scanned ticket.
    fn takes_scan(&self) -> bool {
        match &self.screen {
            Screen::Welcome(_) | Screen::Agencies(_) | Screen::Services(_) | Screen::Detail(_) => {
                true
            }
            Screen::Survey(state) => state.accepts_scan(),
            Screen::Printing(_)
            | Screen::Done(_)
            | Screen::Problem(_)
            | Screen::PinPad(_)
            | Screen::Maintenance(_) => false,
        }
    }
}
