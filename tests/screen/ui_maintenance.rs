//! The technician's way in and the menu, on the real app: a real SQLite file, the pty printer
//! simulator, iced's simulator for touches and keys. The hidden corner opens the PIN pad and
//! nothing else does; wrong PINs lock and the lock survives a restart; the right PIN opens the
//! menu; its actions print and are audited; it closes itself; no key leaves the kiosk.

use std::time::Duration;

use chrono::TimeDelta;
use iced::keyboard::{self, Key, Modifiers, key::Named};
use iced::time::Instant;
use iced::{Event, Point};

use mpp_kiosk::ui::app::Message;
use mpp_kiosk::ui::screen::pin_pad::{self, Notice};
use mpp_kiosk::ui::screen::{Screen, maintenance as menu, welcome};
use mpp_station::store::Store;

use crate::support::menu_rig::{CORNER, MONDAY_MORNING, PIN, Rig, SCREEN};

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
    // The keys are greyed out while it lasts: a finger on them does nothing.
    let mut ui = rig.simulator();
    let key = ui.find("8").expect("the key");
    let centre = iced_test::selector::Bounded::visible_bounds(&key).expect("visible");
    drop(ui);
    assert!(rig.messages_of_touch(centre.center()).is_empty());
    // The kiosk restarts (power cut, systemd): the lock is still there, and even the right
    // PIN is not checked.
    let mut rig = Rig::reopen(rig.folder, MONDAY_MORNING, TimeDelta::seconds(30));
    rig.gesture();
    rig.enter(PIN);
    assert_eq!(rig.notice(), Notice::Locked { minutes_left: 1 });
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
    // Once the minute is over the right PIN opens the menu.
    let mut rig = Rig::reopen(rig.folder, MONDAY_MORNING, TimeDelta::seconds(61));
    rig.open_menu();
    assert_eq!(
        rig.audited("maintenance_pin").last().map(String::as_str),
        Some("accepted")
    );
}

#[test]
fn the_right_pin_opens_the_menu_whose_actions_print_and_are_audited() {
    let mut rig = Rig::new();
    rig.open_menu();
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
    rig.open_menu();
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
    let config = mpp_station::config::Loaded::parse(
        mpp_station::config::EMBEDDED_DEFAULT,
        mpp_station::config::Origin::Embedded,
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
    // The screen's clock stands still in the test: the whole minute is left.
    let mut ui = rig.simulator();
    assert!(
        ui.find("Terlalu banyak PIN salah. Tombol terkunci, coba lagi dalam 1:00.")
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
    rig.open_menu_at("Hari ini");
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
    rig.open_menu_at("Pemulihan");
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
