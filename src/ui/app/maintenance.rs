//! The technician's way in and what the menu asks for: the hidden corner opens the PIN pad,
//! the pad's check runs on the backend (off the UI thread), the right PIN opens the menu, and
//! each menu request is carried out and audited. Nothing here runs without the pad first.

use iced::{Task, window};

use mpp_core::issue_hold::FixedOn;

use super::{Kiosk, Message};
use crate::ui::screen::{Screen, maintenance as menu, pin_pad};

impl Kiosk {
    pub(super) fn open_pad(&mut self) {
        tracing::info!("the maintenance PIN pad was opened");
        self.history.clear();
        self.show(Screen::PinPad(pin_pad::State::default()));
    }

    pub(super) fn on_pin_pad(&mut self, message: pin_pad::Message) -> Task<Message> {
        let Screen::PinPad(state) = &mut self.screen else {
            return Task::none();
        };
        let action = state.update(message);
        // A lock counts down on the pad from when it was heard, on the screen's clock.
        let local_now = self.backend.time_zone().local(self.backend.now());
        state.lock_heard(local_now);
        self.mark_activity();
        match action {
            pin_pad::Action::None => Task::none(),
            pin_pad::Action::Run(task) => task.map(Message::PinPad),
            pin_pad::Action::Check(id, pin) => {
                Task::perform(self.backend.clone().check_pin(pin), move |result| {
                    Message::PinPad(pin_pad::Message::Checked(id, result))
                })
            }
            pin_pad::Action::OpenMenu => {
                let mut facts = self.settings.maintenance.facts.clone();
                facts.full_screen = self.full_screen.is_enabled();
                facts.syncs = self.backend.syncs();
                facts.time_zone = self.backend.time_zone();
                self.show(Screen::Maintenance(Box::new(menu::State::new(facts))));
                // The menu opens on the page that fixes what stops the kiosk, if anything does.
                match self.issue_hold().map(|hold| hold.fixed_on()) {
                    Some(FixedOn::Recovery) => {
                        self.on_menu(menu::Message::Show(menu::Page::Recovery))
                    }
                    Some(FixedOn::Kiosk) => self.on_menu(menu::Message::Show(menu::Page::Kiosk)),
                    None => Task::none(),
                }
            }
            pin_pad::Action::Close => {
                self.back_to_start();
                Task::none()
            }
        }
    }

    pub(super) fn on_menu(&mut self, message: menu::Message) -> Task<Message> {
        let Screen::Maintenance(state) = &mut self.screen else {
            return Task::none();
        };
        let action = state.update(message);
        self.mark_activity();
        match action {
            menu::Action::None => Task::none(),
            menu::Action::Run(task) => task.map(Message::Maintenance),
            menu::Action::Close => self.close_menu("closed by the technician"),
            menu::Action::Carry(request) => self.carry(request),
            menu::Action::ReadSync => Task::perform(self.backend.clone().sync_status(), |read| {
                Message::Maintenance(menu::Message::SyncRead(read))
            }),
            menu::Action::ReadStorage => {
                // In the MPP's zone, marked, like every time on the screen.
                let zone = self.backend.time_zone();
                let entries = mpp_common::logging::Recent::global().entries(menu::kiosk::LOG_LINES);
                let lines = (entries.into_iter())
                    .map(|(at, line)| {
                        let local = zone.local(at).format("%H:%M:%S");
                        format!("{local} {} {line}", zone.abbreviation())
                    })
                    .collect();
                Task::batch([
                    Task::perform(self.backend.clone().storage_figures(), |read| {
                        Message::Maintenance(menu::Message::StorageRead(read))
                    }),
                    Task::done(Message::Maintenance(menu::Message::LogRead(lines))),
                ])
            }
            menu::Action::ReadPreview => {
                Task::perform(self.backend.clone().ticket_preview(), |read| {
                    Message::Maintenance(menu::Message::PreviewRead(read))
                })
            }
            menu::Action::ReadToday(found) => {
                Task::perform(self.backend.clone().today(found), |read| {
                    Message::Maintenance(menu::Message::TodayRead(read.map(Box::new)))
                })
            }
            menu::Action::FindTicket(number) => {
                let typed = number.clone();
                Task::perform(self.backend.clone().find_today(number), move |found| {
                    Message::Maintenance(menu::Message::Found(typed, found))
                })
            }
            menu::Action::ReadCounts => self.load_counts(),
            menu::Action::ReadVerdict => {
                Task::perform(self.backend.clone().day_verdict(), |read| {
                    Message::Maintenance(menu::Message::VerdictRead(read))
                })
            }
        }
    }

    /// The clock's tick, for the menu's countdowns.
    pub(super) fn tick_menu(&mut self, now: iced::time::Instant) {
        if let Screen::Maintenance(state) = &mut self.screen {
            state.update(menu::Message::Tick(now));
        }
    }

    /// Leaves the menu for the welcome screen, with why in the audit log.
    pub(super) fn close_menu(&mut self, why: &'static str) -> Task<Message> {
        self.back_to_start();
        let audit =
            self.backend
                .clone()
                .audit("maintenance_menu_closed", String::new(), why.into());
        Task::perform(audit, |result| {
            if let Err(error) = result {
                tracing::warn!(%error, "cannot audit the menu's closing");
            }
        })
        .discard()
    }

    fn carry(&mut self, request: menu::Request) -> Task<Message> {
        let backend = self.backend.clone();
        let action = request.action();
        let asked = request.clone();
        let finished = move |result| Message::Maintenance(menu::Message::Finished(asked, result));
        let audited = |outcome: String| backend.clone().audit(action, String::new(), outcome);
        match request {
            menu::Request::CloseService(service, notice) => Task::perform(
                self.backend.clone().close_service(service, notice),
                finished,
            ),
            menu::Request::ChangePin(pin) => {
                Task::perform(self.backend.clone().change_pin(pin), finished)
            }
            menu::Request::ReloadCatalog => {
                Task::perform(self.backend.clone().reload_catalog(), finished)
            }
            menu::Request::RestartApp => {
                tracing::info!("the technician restarted the kiosk app from the menu");
                self.backend.request_restart();
                Task::perform(audited("done".into()), |_| ()).then(|()| iced::exit())
            }
            menu::Request::ReopenService(service) => {
                Task::perform(self.backend.clone().reopen_service(service), finished)
            }
            menu::Request::PrintTestPage => {
                Task::perform(self.backend.clone().print_test_page(), finished)
            }
            menu::Request::TestSound => Task::perform(self.test_sound(), finished),
            menu::Request::SyncNow => Task::perform(self.backend.clone().sync_now(), finished),
            menu::Request::SettleDay => Task::perform(self.backend.clone().settle_day(), finished),
            menu::Request::StartAt(first) => {
                Task::perform(self.backend.clone().start_numbers_at(first), finished)
            }
            menu::Request::Reprint | menu::Request::Void(..) => {
                let finished = finished.clone();
                // The ticket on show, never whatever is the latest by now.
                let shown = match &self.screen {
                    Screen::Maintenance(state) => state.shown_ticket(),
                    _ => None,
                };
                let Some(id) = shown else {
                    return Task::done(finished(Err(
                        crate::ui::backend::BackendError::Maintenance("no ticket on show".into()),
                    )));
                };
                match request {
                    menu::Request::Void(reason, note) => {
                        Task::perform(self.backend.clone().void(id, reason, note), finished)
                    }
                    _ => Task::perform(self.backend.clone().reprint(id), finished),
                }
            }
            menu::Request::CleanScreen => {
                Task::perform(audited("touches ignored for 30 s".into()), finished)
            }
            menu::Request::PaperLoaded => {
                let state = self.printer.as_str();
                Task::perform(audited(format!("done; printer {state}")), finished)
            }
            menu::Request::LeaveFullScreen => {
                self.full_screen.leave();
                let windowed = window::oldest().then(|id| match id {
                    Some(id) => window::set_mode(id, window::Mode::Windowed),
                    None => Task::none(),
                });
                Task::batch([windowed, Task::perform(audited("done".into()), finished)])
            }
            menu::Request::QuitApp => {
                tracing::info!("the technician closed the kiosk app from the menu");
                Task::perform(audited("done".into()), |_| ()).then(|()| iced::exit())
            }
        }
    }
}
