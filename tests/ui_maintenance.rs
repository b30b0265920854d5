//! The technician's way in and the menu, on the real app: a real SQLite file, the pty printer
//! simulator, iced's simulator for touches and keys. The hidden corner opens the PIN pad and
//! nothing else does; wrong PINs lock and the lock survives a restart; the right PIN opens the
//! menu; its actions print and are audited; it closes itself; no key leaves the kiosk.

mod common;
mod ui_support;

use std::time::Duration;

use chrono::TimeDelta;
use iced::keyboard::{self, Key, Modifiers, key::Named};
use iced::time::Instant;
use iced::{Event, Point, Task, touch};
use iced_test::Simulator;

use common::instant;
use mpp_core::printer_state::PrinterState;
use mpp_kiosk::maintenance::{Pin, set_pin};
use mpp_kiosk::printer::PrinterHandle;
use mpp_kiosk::printer::transport::SerialTransport;
use mpp_kiosk::store::{AuditEntry, Store};
use mpp_kiosk::ui::app::{self, Kiosk, Message};
use mpp_kiosk::ui::screen::pin_pad::{self, Notice};
use mpp_kiosk::ui::screen::{Screen, maintenance as menu, welcome};
use mpp_testkit::printer_sim::PrinterSim;

const MONDAY_MORNING: &str = "2026-11-23T09:30:00+07:00";
const PIN: &str = "80514";
const SCREEN: (f32, f32) = (1280.0, 800.0);
/// Inside the hidden corner, over the logo.
const CORNER: Point = Point::new(30.0, 30.0);

struct Rig {
    kiosk: Kiosk,
    sim: PrinterSim,
    runtime: tokio::runtime::Runtime,
    database: std::path::PathBuf,
    folder: tempfile::TempDir,
}

impl Rig {
    /// A kiosk whose technician's PIN is [`PIN`].
    fn new() -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let database = folder.path().join("kiosk.db");
        let mut store = Store::open(&database).expect("store");
        set_pin(&mut store, &Pin::new(PIN), "test", instant(MONDAY_MORNING)).expect("PIN set");
        drop(store);
        Self::reopen(folder, MONDAY_MORNING, TimeDelta::zero())
    }

    /// The kiosk started again on the same folder (its database), `later` after `at`.
    fn reopen(folder: tempfile::TempDir, at: &str, later: TimeDelta) -> Self {
        let database = folder.path().join("kiosk.db");
        let store = Store::open(&database).expect("store");
        let sim = PrinterSim::start(&folder.path().join("kiosk-printer"));
        let printer = PrinterHandle::start(Box::new(SerialTransport::new(
            common::serial_settings(sim.device_path(), 115_200),
        )));
        assert_eq!(
            printer.wait_first_status(Duration::from_secs(3)),
            PrinterState::Ready
        );
        let (kiosk, boot) = ui_support::kiosk(store, printer, instant(at) + later);
        let mut rig = Self {
            kiosk,
            sim,
            runtime: ui_support::runtime(),
            database,
            folder,
        };
        rig.run(boot);
        rig
    }

    fn run(&mut self, task: Task<Message>) {
        ui_support::run(&mut self.kiosk, &self.runtime, task);
    }

    fn send(&mut self, message: Message) {
        let task = self.kiosk.update(message);
        self.run(task);
    }

    fn screen(&self) -> &'static str {
        self.kiosk.screen().name()
    }

    fn simulator(&self) -> Simulator<'_, Message> {
        Simulator::with_size(
            ui_support::simulator_settings(),
            SCREEN,
            app::view(&self.kiosk),
        )
    }

    /// The messages a finger's tap at `point` makes on the screen on show.
    fn messages_of_touch(&self, point: Point) -> Vec<Message> {
        let mut ui = self.simulator();
        ui.point_at(point);
        let finger = touch::Finger(0);
        ui.simulate([
            Event::Touch(touch::Event::FingerPressed {
                id: finger,
                position: point,
            }),
            Event::Touch(touch::Event::FingerLifted {
                id: finger,
                position: point,
            }),
        ]);
        ui.into_messages().collect()
    }

    /// Taps the text `label` with a finger and carries out what it asked.
    fn touch(&mut self, label: &str) {
        let centre = {
            let mut ui = self.simulator();
            let target = ui
                .find(label)
                .unwrap_or_else(|error| panic!("no {label:?}: {error:?}"));
            iced_test::selector::Bounded::visible_bounds(&target)
                .expect("visible")
                .center()
        };
        let messages = self.messages_of_touch(centre);
        assert!(!messages.is_empty(), "touching {label:?} did nothing");
        for message in messages {
            self.send(message);
        }
    }

    /// Five quick taps in the corner, as a technician gives them: each tap's wait is left
    /// unrun (the next tap comes before it would end).
    fn gesture(&mut self) {
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
    fn enter(&mut self, pin: &str) {
        for digit in pin.chars() {
            self.touch(&digit.to_string());
        }
        self.touch("Masuk");
    }

    fn notice(&self) -> Notice {
        match self.kiosk.screen() {
            Screen::PinPad(pad) => pad.notice(),
            other => panic!("not the pad: {}", other.name()),
        }
    }

    fn audit(&self) -> Vec<AuditEntry> {
        let mut entries = Store::open(&self.database)
            .expect("store")
            .audit_entries(100)
            .expect("audit");
        entries.reverse();
        entries
    }

    fn audited(&self, action: &str) -> Vec<String> {
        self.audit()
            .into_iter()
            .filter(|entry| entry.action == action)
            .map(|entry| entry.outcome)
            .collect()
    }
}

#[test]
fn the_corner_gesture_opens_the_pad_and_nothing_else_does() {
    let mut rig = Rig::new();
    let centre = Point::new(SCREEN.0 / 2.0, SCREEN.1 / 2.0);
    assert!(matches!(
        rig.messages_of_touch(centre)[..],
        [Message::Welcome(welcome::Message::Start)]
    ));
    rig.gesture();
    assert_eq!(rig.screen(), "pin pad");
    rig.touch("Batal");
    assert_eq!(rig.screen(), "welcome");
    // Four taps, then nothing: the visitor's touch starts a visit, as anywhere else.
    for _ in 0..welcome::corner::TAPS - 2 {
        let _wait = rig
            .kiosk
            .update(Message::Welcome(welcome::Message::CornerTapped));
    }
    assert_eq!(
        rig.screen(),
        "welcome",
        "nothing moves while taps may follow"
    );
    let last = rig
        .kiosk
        .update(Message::Welcome(welcome::Message::CornerTapped));
    rig.run(last);
    assert_eq!(rig.screen(), "agencies");
    // One chance tap in the corner: a visit, exactly as a tap anywhere.
    let mut rig = Rig::reopen(rig.folder, MONDAY_MORNING, TimeDelta::zero());
    rig.send(Message::Welcome(welcome::Message::CornerTapped));
    assert_eq!(rig.screen(), "agencies");
    // The corner on the agencies screen is nothing special.
    let messages = rig.messages_of_touch(CORNER);
    assert!(
        !messages
            .iter()
            .any(|message| matches!(message, Message::Welcome(_))),
        "{messages:?}"
    );
}

#[test]
fn wrong_pins_lock_the_pad_and_the_lock_survives_a_restart() {
    let mut rig = Rig::new();
    rig.gesture();
    for tries_left in (1..5).rev() {
        rig.enter("1357");
        assert_eq!(rig.notice(), Notice::Wrong { tries_left });
    }
    rig.enter("1357");
    assert_eq!(rig.notice(), Notice::Locked { minutes_left: 1 });
    rig.enter(PIN);
    assert_eq!(
        rig.notice(),
        Notice::Locked { minutes_left: 1 },
        "locked: even the right PIN is not checked"
    );
    assert_eq!(
        rig.audited("maintenance_pin"),
        [
            "wrong",
            "wrong",
            "wrong",
            "wrong",
            "wrong, locked",
            "refused, locked"
        ]
    );
    // The kiosk restarts (power cut, systemd): the lock is still there.
    let mut rig = Rig::reopen(rig.folder, MONDAY_MORNING, TimeDelta::seconds(30));
    rig.gesture();
    rig.enter(PIN);
    assert_eq!(rig.notice(), Notice::Locked { minutes_left: 1 });
    // Once the minute is over the right PIN opens the menu.
    let mut rig = Rig::reopen(rig.folder, MONDAY_MORNING, TimeDelta::seconds(61));
    rig.gesture();
    rig.enter(PIN);
    assert_eq!(rig.screen(), "maintenance");
    assert_eq!(
        rig.audited("maintenance_pin").last().map(String::as_str),
        Some("accepted")
    );
}

#[test]
fn the_right_pin_opens_the_menu_whose_actions_print_and_are_audited() {
    let mut rig = Rig::new();
    rig.gesture();
    rig.enter(PIN);
    assert_eq!(rig.screen(), "maintenance");
    rig.touch("Cetak halaman uji");
    let jobs = rig.sim.wait_for_jobs(1, Duration::from_secs(5));
    assert_eq!(jobs.len(), 1, "the test page reached the printer");
    let printed: Vec<String> = jobs[0].lines.iter().map(|line| line.text.clone()).collect();
    assert!(
        printed.iter().any(|line| line.contains("HALAMAN UJI")),
        "{printed:?}"
    );
    let Screen::Maintenance(state) = rig.kiosk.screen() else {
        panic!("left the menu");
    };
    assert_eq!(
        state.progress(),
        &menu::Progress::Done(menu::Request::PrintTestPage)
    );
    rig.touch("Gulungan kertas baru sudah dipasang");
    rig.touch("Kios ini");
    rig.touch("Tutup menu");
    assert_eq!(rig.screen(), "welcome");
    assert_eq!(rig.audited("printer_test_page"), ["printed"]);
    assert_eq!(rig.audited("printer_paper_loaded"), ["done; printer ready"]);
    assert_eq!(
        rig.audited("maintenance_menu_closed"),
        ["closed by the technician"]
    );
}

#[test]
fn the_menu_closes_itself_after_its_timeout() {
    let mut rig = Rig::new();
    rig.gesture();
    rig.enter(PIN);
    assert_eq!(rig.screen(), "maintenance");
    rig.send(Message::Tick(Instant::now() + Duration::from_secs(60)));
    assert_eq!(
        rig.screen(),
        "maintenance",
        "a minute is not the menu's timeout"
    );
    rig.send(Message::Tick(Instant::now() + Duration::from_secs(181)));
    assert_eq!(rig.screen(), "welcome");
    assert_eq!(
        rig.audited("maintenance_menu_closed"),
        ["closed itself: no touch for the timeout"]
    );
    // The pad too goes back to the start on the screen's own idle timeout.
    rig.gesture();
    rig.send(Message::Tick(
        Instant::now() + Duration::from_secs(181 + 61),
    ));
    assert_eq!(rig.screen(), "welcome");
}

#[test]
fn no_key_leaves_the_kiosk_or_its_full_screen() {
    let mut rig = Rig::new();
    let keys = [
        (Key::Named(Named::Escape), Modifiers::empty()),
        (Key::Named(Named::F11), Modifiers::empty()),
        (Key::Named(Named::F4), Modifiers::ALT),
        (Key::Character("q".into()), Modifiers::CTRL),
        (Key::Character("w".into()), Modifiers::CTRL),
    ];
    let press = |key: &Key, modifiers: Modifiers| {
        Event::Keyboard(keyboard::Event::KeyPressed {
            key: key.clone(),
            modified_key: key.clone(),
            physical_key: keyboard::key::Physical::Unidentified(
                keyboard::key::NativeCode::Unidentified,
            ),
            location: keyboard::Location::Standard,
            modifiers,
            text: None,
            repeat: false,
        })
    };
    for screen in ["welcome", "pin pad", "maintenance"] {
        if screen == "pin pad" {
            rig.gesture();
        }
        if screen == "maintenance" {
            rig.enter(PIN);
        }
        assert_eq!(rig.screen(), screen);
        let mut ui = rig.simulator();
        ui.simulate(keys.iter().map(|(key, modifiers)| press(key, *modifiers)));
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(messages.is_empty(), "{screen}: {messages:?}");
    }
    // The window manager's close (Alt+F4) is ignored: iced is told not to exit on it.
    let config = mpp_kiosk::config::Loaded::parse(
        mpp_kiosk::config::EMBEDDED_DEFAULT,
        mpp_kiosk::config::Origin::Embedded,
        std::path::Path::new("."),
    )
    .expect("config")
    .config;
    assert!(!mpp_kiosk::ui::window_settings(&config).exit_on_close_request);
}

/// The pad's own words, in the simulator: the title, the dots and the lock's minutes.
#[test]
fn the_pad_shows_dots_for_digits_and_the_minutes_a_lock_has_left() {
    let mut rig = Rig::new();
    rig.gesture();
    rig.touch("8");
    rig.touch("0");
    let mut ui = rig.simulator();
    assert!(ui.find("●  ●").is_ok(), "two digits show as two dots");
    assert!(ui.find(PIN).is_err());
    drop(ui);
    rig.touch("Hapus");
    rig.touch("Hapus");
    for _ in 0..5 {
        rig.enter("1357");
    }
    let mut ui = rig.simulator();
    assert!(
        ui.find("Terlalu banyak PIN salah. Coba lagi dalam 1 menit.")
            .is_ok()
    );
    let _ = pin_pad::Message::Cancel;
}

#[test]
fn the_today_page_reprints_and_voids_the_ticket_it_shows() {
    use mpp_core::numbering::Lane;
    use mpp_core::ticket::TicketStatus;
    use mpp_kiosk::ui::screen::{agencies, detail, done, services};
    let mut rig = Rig::new();
    rig.send(Message::Welcome(welcome::Message::Start));
    rig.send(Message::Agencies(agencies::Message::Open(
        "DUKCAPIL".into(),
    )));
    rig.send(Message::Services(services::Message::Open("DKC-KK".into())));
    rig.send(Message::Detail(detail::Message::Take(Lane::Regular)));
    assert_eq!(rig.screen(), "done");
    assert_eq!(rig.sim.wait_for_jobs(1, Duration::from_secs(5)).len(), 1);
    rig.send(Message::Done(done::Message::Finish));
    rig.gesture();
    rig.enter(PIN);
    rig.touch("Hari ini");
    rig.touch("Cetak ulang nomor ini");
    let jobs = rig.sim.wait_for_jobs(2, Duration::from_secs(5));
    assert_eq!(jobs.len(), 2, "printed again");
    rig.touch("Batalkan nomor ini…");
    rig.touch("Pengunjung pergi");
    rig.touch("Batalkan");
    let store = Store::open(&rig.database).expect("store");
    let ticket = store.find_ticket("DKC-001").expect("ticket");
    assert_eq!(ticket.status, TicketStatus::Voided);
    let history = store.ticket_history(ticket.id.as_str()).expect("history");
    assert_eq!(
        history.last().and_then(|entry| entry.reason.as_deref()),
        Some("technician: the visitor left")
    );
    assert_eq!(rig.audited("ticket_reprint"), ["printed"]);
    assert_eq!(rig.audited("ticket_void"), ["technician: the visitor left"]);
    // A voided ticket offers no reprint and no void.
    let mut ui = rig.simulator();
    assert!(ui.find("Cetak ulang nomor ini").is_err());
}

#[test]
fn the_recovery_page_starts_todays_numbers_and_cleans_the_screen() {
    let mut rig = Rig::new();
    rig.gesture();
    rig.enter(PIN);
    rig.touch("Pemulihan");
    rig.touch("4");
    rig.touch("2");
    rig.touch("Mulai dari nomor ini");
    let store = Store::open(&rig.database).expect("store");
    let floors = store.floors().expect("floors");
    assert!(
        floors
            .iter()
            .any(|floor| floor.sequence == 41 && floor.source == "technician"),
        "{floors:?}"
    );
    assert_eq!(
        rig.audited("numbers_started").len(),
        1,
        "the store's own entry"
    );
    rig.touch("Bersihkan layar (30 detik)");
    let Screen::Maintenance(state) = rig.kiosk.screen() else {
        panic!("left the menu");
    };
    assert!(state.is_cleaning());
    // While cleaning, a touch anywhere does nothing.
    let centre = Point::new(SCREEN.0 / 2.0, SCREEN.1 / 2.0);
    assert!(rig.messages_of_touch(centre).is_empty());
    assert!(rig.messages_of_touch(Point::new(60.0, 100.0)).is_empty());
    assert_eq!(rig.audited("screen_cleaning"), ["touches ignored for 30 s"]);
}
