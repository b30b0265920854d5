//! The technician's menu on the real app, for the tests that drive it: a real SQLite file
//! with a PIN set, the pty printer simulator, iced's simulator for touches.

use chrono::TimeDelta;
use iced::{Point, Task};
use iced_test::Simulator;

use crate::common::instant;
use crate::support;
use mpp_kiosk::ui::app::{self, Kiosk, Message};
use mpp_kiosk::ui::screen::pin_pad::Notice;
use mpp_kiosk::ui::screen::{Screen, welcome};
use mpp_station::maintenance::{Pin, set_pin};
use mpp_station::store::{AuditEntry, Store};
use mpp_testkit::printer_sim::PrinterSim;

pub const MONDAY_MORNING: &str = "2026-11-23T09:30:00+07:00";
pub const PIN: &str = "80514";
pub const SCREEN: (f32, f32) = (1280.0, 800.0);
/// Inside the hidden corner, over the logo.
pub const CORNER: Point = Point::new(30.0, 30.0);

pub struct Rig {
    pub kiosk: Kiosk,
    pub sim: PrinterSim,
    pub runtime: tokio::runtime::Runtime,
    pub database: std::path::PathBuf,
    pub folder: tempfile::TempDir,
}

impl Rig {
    /// A kiosk whose technician's PIN is [`PIN`].
    pub fn new() -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let database = folder.path().join("kiosk.db");
        let mut store = Store::open(&database).expect("store");
        set_pin(&mut store, &Pin::new(PIN), "test", instant(MONDAY_MORNING)).expect("PIN set");
        drop(store);
        Self::reopen(folder, MONDAY_MORNING, TimeDelta::zero())
    }

    /// The kiosk started again on the same folder (its database), `later` after `at`.
    pub fn reopen(folder: tempfile::TempDir, at: &str, later: TimeDelta) -> Self {
        let database = folder.path().join("kiosk.db");
        let store = Store::open(&database).expect("store");
        let (sim, printer) = support::printer_on_sim(folder.path());
        let (kiosk, boot) = support::kiosk(store, printer, instant(at) + later);
        let mut rig = Self {
            kiosk,
            sim,
            runtime: support::runtime(),
            database,
            folder,
        };
        rig.run(boot);
        rig
    }

    pub fn run(&mut self, task: Task<Message>) {
        support::run(&mut self.kiosk, &self.runtime, task);
    }

    pub fn send(&mut self, message: Message) {
        support::send(&mut self.kiosk, &self.runtime, message);
    }

    pub fn screen(&self) -> &'static str {
        self.kiosk.screen().name()
    }

    pub fn simulator(&self) -> Simulator<'_, Message> {
        Simulator::with_size(
            support::simulator_settings(),
            SCREEN,
            app::view(&self.kiosk),
        )
    }

    /// The messages a finger's tap at `point` makes on the screen on show.
    pub fn messages_of_touch(&self, point: Point) -> Vec<Message> {
        support::finger_tap_at(self.simulator(), point)
    }

    /// Taps the text `label` with a finger and carries out what it asked.
    pub fn touch(&mut self, label: &str) {
        for message in support::finger_tap(self.simulator(), label) {
            self.send(message);
        }
    }

    /// Five quick taps in the corner, as a technician gives them: each tap's wait is left
    /// unrun (the next tap comes before it would end).
    pub fn gesture(&mut self) {
        for _ in 0..welcome::corner::TAPS {
            let messages = self.messages_of_touch(CORNER);
            assert!(
                matches!(
                    messages[..],
                    [Message::Welcome(welcome::Message::CornerTapped)]
                ),
                "{messages:?}"
            );
            let _wait = self
                .kiosk
                .update(Message::Welcome(welcome::Message::CornerTapped));
        }
    }

    /// Types `pin` on the pad with its keys and presses Enter ("Masuk").
    pub fn enter(&mut self, pin: &str) {
        for digit in pin.chars() {
            self.touch(&digit.to_string());
        }
        self.touch("Masuk");
    }

    pub fn notice(&self) -> Notice {
        match self.kiosk.screen() {
            Screen::PinPad(pad) => pad.notice(),
            other => panic!("not the pad: {}", other.name()),
        }
    }

    pub fn audit(&self) -> Vec<AuditEntry> {
        let mut entries = Store::open(&self.database)
            .expect("store")
            .audit_entries(100)
            .expect("audit");
        entries.reverse();
        entries
    }

    pub fn audited(&self, action: &str) -> Vec<String> {
        self.audit()
            .into_iter()
            .filter(|entry| entry.action == action)
            .map(|entry| entry.outcome)
            .collect()
    }
}

impl Rig {
    /// Whether any text on the screen on show holds `needle` (laid out in a window tall enough
    /// for the whole scrolling menu).
    pub fn says(&self, needle: &str) -> bool {
        let tall = iced::Size::new(SCREEN.0, 5000.0);
        support::audit::survey(tall, app::view(&self.kiosk))
            .texts
            .iter()
            .any(|text| text.content.contains(needle))
    }

    /// Every text on the screen on show, for failure messages.
    pub fn texts(&self) -> Vec<String> {
        let tall = iced::Size::new(SCREEN.0, 5000.0);
        support::audit::survey(tall, app::view(&self.kiosk))
            .texts
            .into_iter()
            .map(|text| text.content)
            .collect()
    }

    /// Opens the menu with [`PIN`].
    pub fn open_menu(&mut self) {
        self.gesture();
        self.enter(PIN);
        assert_eq!(self.screen(), "maintenance");
    }

    /// Opens the menu with [`PIN`] on its `page` (the page button's Indonesian label).
    pub fn open_menu_at(&mut self, page: &str) {
        self.open_menu();
        self.touch(page);
    }

    /// A visitor takes a regular number for `service` of `agency`; the ticket prints.
    pub fn take_number(&mut self, agency: &str, service: &str) {
        use mpp_core::numbering::Lane;
        use mpp_kiosk::ui::screen::{agencies, detail, done, services};
        self.send(Message::Welcome(welcome::Message::Start));
        self.send(Message::Agencies(agencies::Message::Open(agency.into())));
        self.send(Message::Services(services::Message::Open(service.into())));
        self.send(Message::Detail(detail::Message::Take(Lane::Regular)));
        // The same service a moment ago: the kiosk asks first; this visitor says yes.
        if self.screen() == "detail" {
            self.send(Message::Detail(detail::Message::TakeAgain));
        }
        assert_eq!(self.screen(), "done", "{:?}", self.texts());
        self.send(Message::Done(done::Message::Finish));
    }
}
