//! The technician's PIN pad and every page of the menu hold on every panel.

use super::*;
use mpp_core::maintenance::VoidReason;
use mpp_station::scanner::{Scan, ScannerFeed, ScannerStatus};

/// The technician's PIN: set in the kiosk's database, then the corner gesture and the pad.
const TECHNICIAN_PIN: &str = "80514";

impl Lobby {
    /// Sets the PIN and gives the hidden corner its five taps: the PIN pad shows.
    fn open_pad(&mut self) {
        let store = self.kiosk.backend().store();
        let now = self.kiosk.backend().now();
        let mut store = store.lock().expect("store");
        mpp_station::maintenance::set_pin(
            &mut store,
            &mpp_station::maintenance::Pin::new(TECHNICIAN_PIN),
            "test",
            now,
        )
        .expect("PIN");
        drop(store);
        for _ in 0..welcome::corner::TAPS {
            // Each tap's wait is left unrun: the next tap comes first.
            let _wait = self
                .kiosk
                .update(Message::Welcome(welcome::Message::CornerTapped));
        }
        assert_eq!(self.kiosk.screen().name(), "pin pad");
    }

    fn enter_pin(&mut self, pin: &str) {
        for digit in pin.bytes() {
            self.send(Message::PinPad(pin_pad::Message::Digit(digit - b'0')));
        }
        self.send(Message::PinPad(pin_pad::Message::Submit));
    }

    fn open_menu(&mut self) {
        self.open_pad();
        self.enter_pin(TECHNICIAN_PIN);
        assert_eq!(self.kiosk.screen().name(), "maintenance");
    }

    /// The menu, open on `page`.
    fn open_menu_at(&mut self, page: menu::Page) {
        self.open_menu();
        self.send(Message::Maintenance(menu::Message::Show(page)));
    }

    /// The menu's kiosk page, as the scanner's driver tells it `status` and the `last` scan.
    fn open_kiosk_page_hearing(&mut self, status: ScannerStatus, last: Option<Scan>) {
        self.open_menu_at(menu::Page::Kiosk);
        self.send(Message::Scanner(ScannerFeed { status, last }));
    }

    fn words(&self, texts: &[MenuText]) -> Vec<String> {
        let language = self.kiosk.language();
        texts
            .iter()
            .map(|text| text.get(language).to_owned())
            .collect()
    }
}

/// The longest reason an unplugged scanner gives.
const SCANNER_GONE: &str = "cannot open /dev/kiosk-scanner: No such file or directory";

#[test]
fn the_pin_pad_holds_with_its_lock_message() {
    holds_everywhere(
        "pin pad",
        |lobby| {
            lobby.open_pad();
            lobby.send(Message::PinPad(pin_pad::Message::Digit(4)));
        },
        |lobby| {
            let mut needed =
                lobby.words(&[MenuText::PadTitle, MenuText::EnterPin, MenuText::Cancel]);
            needed.extend(["0", "9", "●"].map(str::to_owned));
            needed
        },
    );
    holds_everywhere(
        "pin pad, locked",
        |lobby| {
            lobby.open_pad();
            for _ in 0..5 {
                lobby.enter_pin("1357");
            }
        },
        |lobby| {
            let language = lobby.kiosk.language();
            vec![MenuText::PadLockedFor.fill(language, &[("time", "1:00")])]
        },
    );
}

#[test]
fn each_page_of_the_menu_holds() {
    holds_everywhere(
        "menu: printer, out of paper",
        |lobby| {
            lobby.open_menu();
            lobby.send(Message::PrinterChanged(PrinterState::PaperOut));
        },
        |lobby| {
            let mut needed = lobby.words(&[
                MenuText::PagePrinter,
                MenuText::PageKiosk,
                MenuText::CloseMenu,
                MenuText::PrintTestPage,
                MenuText::PaperLoaded,
            ]);
            needed.extend(strings(
                lobby.texts(&[Text::PrinterPaperOut, Text::PrinterFixPaper]),
            ));
            needed
        },
    );
    holds_everywhere(
        "menu: kiosk, the scanner unplugged",
        |lobby| {
            let reason = SCANNER_GONE.into();
            lobby.open_kiosk_page_hearing(ScannerStatus::Absent { reason }, None);
        },
        |lobby| {
            let language = lobby.kiosk.language();
            let mut needed = lobby.words(&[MenuText::ExitToDesktop, MenuText::CloseMenu]);
            // The database's size, read when the page opened.
            needed.push("MB".to_owned());
            needed.push(MenuText::ScannerAbsent.fill(language, &[("reason", SCANNER_GONE)]));
            needed
        },
    );
    holds_everywhere(
        "menu: kiosk, a ticket scanned to test the scanner",
        |lobby| {
            let scan = Scan {
                seq: 1,
                text: "https://mpp.example.go.id/t/K1/x?s=00".into(),
            };
            lobby.open_kiosk_page_hearing(ScannerStatus::Connected, Some(scan));
            assert_eq!(lobby.kiosk.screen().name(), "maintenance", "the menu stays");
        },
        |lobby| {
            let language = lobby.kiosk.language();
            vec![MenuText::ScannerLastRead.fill(language, &[("time", "09:30:00")])]
        },
    );
    holds_everywhere(
        "menu: today, after a ticket",
        Lobby::open_today_with_a_ticket,
        |lobby| {
            let language = lobby.kiosk.language();
            vec![
                MenuText::TodayTotal.fill(language, &[("day", "2026-11-23"), ("count", "1")]),
                "DKC-001".to_owned(),
            ]
        },
    );
    holds_everywhere(
        "menu: sync, off",
        |lobby| lobby.open_menu_at(menu::Page::Sync),
        |lobby| lobby.words(&[MenuText::SyncOff, MenuText::CloseMenu]),
    );
    holds_everywhere(
        "menu: recovery, typing a first number",
        |lobby| {
            lobby.open_menu_at(menu::Page::Recovery);
            for digit in [4, 2] {
                lobby.send(Message::Maintenance(menu::Message::FirstDigit(digit)));
            }
        },
        |lobby| {
            let language = lobby.kiosk.language();
            let mut needed = lobby.words(&[MenuText::StartAt, MenuText::CleanScreen]);
            needed.push(MenuText::StartAtLabel.fill(language, &[("first", "42")]));
            needed.push(MenuText::DayServing.fill(language, &[("day", "2026-11-23")]));
            needed
        },
    );
    holds_everywhere(
        "menu: cleaning the screen",
        |lobby| {
            lobby.open_menu_at(menu::Page::Recovery);
            lobby.send(Message::Maintenance(menu::Message::Ask(
                menu::Request::CleanScreen,
            )));
        },
        |lobby| {
            let language = lobby.kiosk.language();
            vec![MenuText::Cleaning.fill(language, &[("seconds", "30")])]
        },
    );
}

impl Lobby {
    /// The first service of `agency` in the shipped catalog.
    fn first_service_of(&self, agency: &str) -> String {
        let catalog = self.kiosk.backend().catalog();
        let service = catalog.services_of(agency).next().expect("a service");
        service.code.as_str().to_owned()
    }

    fn menu(&mut self, message: menu::Message) {
        self.send(Message::Maintenance(message));
    }

    /// The menu's page of today, after a visitor took a ticket.
    fn open_today_with_a_ticket(&mut self) {
        self.take_a_ticket();
        self.open_menu_at(menu::Page::Today);
    }

    /// Today's page, voiding the ticket a visitor took, `reason` picked.
    fn void_the_ticket_because(&mut self, reason: VoidReason) {
        use menu::today::Choice;
        self.open_today_with_a_ticket();
        self.menu(menu::Message::Today(Choice::VoidOpened));
        self.menu(menu::Message::Today(Choice::Reason(reason)));
    }

    /// The menu's services page, with Dukcapil's first service closed (the system is down).
    fn open_services_with_one_closed(&mut self) {
        self.open_menu_at(menu::Page::Services);
        let first = self.first_service_of("DUKCAPIL");
        self.menu(menu::Message::Ask(menu::Request::CloseService(
            first.into(),
            mpp_core::staff_closure::StaffNotice::SystemDown,
        )));
    }
}

#[test]
fn the_menus_services_page_holds_while_closing_and_with_a_service_closed() {
    use menu::services::Choice;
    holds_everywhere(
        "menu: services, picking a notice",
        |lobby| {
            lobby.open_menu_at(menu::Page::Services);
            lobby.menu(menu::Message::Services(Choice::Agency("DUKCAPIL".into())));
            let first = lobby.first_service_of("DUKCAPIL");
            lobby.menu(menu::Message::Services(Choice::Close(first.into())));
        },
        |lobby| {
            lobby.words(&[
                MenuText::CloseWithNotice,
                MenuText::NoticeOfficerAway,
                MenuText::NoticeClosedToday,
                MenuText::KeepOpen,
            ])
        },
    );
    holds_everywhere(
        "menu: services, one closed",
        Lobby::open_services_with_one_closed,
        |lobby| {
            let language = lobby.kiosk.language();
            let mut needed = lobby.words(&[MenuText::PickAgency]);
            needed.push(MenuText::ShowClosed.fill(language, &[("count", "1")]));
            needed.push(
                MenuText::AgencyClosedCount
                    .fill(language, &[("agency", "Dukcapil"), ("closed", "1")]),
            );
            needed
        },
    );
    holds_everywhere(
        "menu: services, an agency's",
        |lobby| {
            lobby.open_services_with_one_closed();
            lobby.menu(menu::Message::Services(Choice::Agency("DUKCAPIL".into())));
        },
        |lobby| {
            lobby.words(&[
                MenuText::BackToAgencies,
                MenuText::ReopenService,
                MenuText::CloseService,
            ])
        },
    );
}

#[test]
fn the_menus_today_page_holds_while_finding_and_voiding() {
    use menu::today::Choice;
    use mpp_kiosk::ui::screen::survey::keypad::Key;
    holds_everywhere(
        "menu: today, finding a number",
        |lobby| {
            lobby.open_today_with_a_ticket();
            lobby.menu(menu::Message::Today(Choice::FindOpened));
            for key in "DKC-9".chars() {
                lobby.menu(menu::Message::Today(Choice::NumberKey(Key::Char(key))));
            }
            lobby.menu(menu::Message::Today(Choice::Find));
        },
        |lobby| {
            let language = lobby.kiosk.language();
            let mut needed = lobby.words(&[MenuText::FindIt]);
            needed.push(MenuText::NumberNotFound.fill(language, &[("number", "DKC-9")]));
            needed.extend(["A", "Z", "-", "0"].map(str::to_owned));
            needed
        },
    );
    holds_everywhere(
        "menu: today, a void's reason",
        |lobby| lobby.void_the_ticket_because(VoidReason::VisitorLeft),
        |lobby| {
            lobby.words(&[
                MenuText::VoidBecause,
                MenuText::VoidVisitorLeft,
                MenuText::VoidIt,
                MenuText::AddNote,
                MenuText::Cancel,
            ])
        },
    );
    holds_everywhere(
        "menu: today, voiding with a note refused",
        |lobby| {
            lobby.void_the_ticket_because(VoidReason::Test);
            lobby.menu(menu::Message::Today(Choice::NoteOpened));
            for key in "081234567890".chars() {
                lobby.menu(menu::Message::Today(Choice::NoteKey(Key::Char(key))));
            }
            lobby.menu(menu::Message::Today(Choice::VoidConfirmed));
        },
        |lobby| {
            let mut needed =
                lobby.words(&[MenuText::VoidIt, MenuText::Cancel, MenuText::NotePhone]);
            needed.extend(["q", "m", "?"].map(str::to_owned));
            needed
        },
    );
}

#[test]
fn the_menus_preview_and_pin_change_hold() {
    holds_everywhere(
        "menu: printer, the ticket preview",
        |lobby| {
            lobby.open_menu();
            lobby.menu(menu::Message::PreviewAsked);
        },
        |lobby| lobby.words(&[MenuText::ShowPreview, MenuText::PreviewNote]),
    );
    holds_everywhere(
        "menu: kiosk, a new PIN being typed",
        |lobby| {
            lobby.open_menu_at(menu::Page::Kiosk);
            lobby.menu(menu::Message::ChangePinOpened);
            for digit in [2, 7, 1, 8] {
                lobby.menu(menu::Message::PinChange(menu::pin_change::Choice::Digit(
                    digit,
                )));
            }
        },
        |lobby| {
            let mut needed = lobby.words(&[MenuText::NewPin, MenuText::NextStep, MenuText::Cancel]);
            needed.extend(["● ● ● ●", "0", "9"].map(str::to_owned));
            needed
        },
    );
}

#[test]
fn the_kiosk_page_keeps_to_the_screen_with_a_long_log() {
    let line = "09:31:07 WIB WARN mpp_station::sync: the server did not answer in time \
                url=https://mpp-central.blorakab.go.id/api/v1/batches attempt=3";
    for high_contrast in [false, true] {
        // Every panel from 1280x720 up and the portrait ones; with the larger text, those at
        // least 1080 px wide and taller than 768 px. On the others (1024x768, whose page
        // buttons take two rows; the larger text on small panels) the menu scrolls as a whole,
        // its log box kept to a few lines.
        let fits = |(width, height): (f32, f32)| {
            let tall_enough = !high_contrast || (height > 768.0 && width >= 1080.0);
            (width >= 1280.0 || height > width) && tall_enough
        };
        for &(width, height) in panels() {
            if !fits((width, height)) {
                continue;
            }
            let mut lobby = Lobby::looking(MONDAY_MORNING, Language::Indonesian, high_contrast);
            lobby.open_kiosk_page_hearing(
                ScannerStatus::Absent {
                    reason: SCANNER_GONE.into(),
                },
                None,
            );
            let lines = vec![line.to_owned(); menu::kiosk::LOG_LINES];
            lobby.send(Message::Maintenance(menu::Message::LogRead(lines)));
            let layout = survey(Size::new(width, height), app::view(&lobby.kiosk));
            let picture = format!("menu-kiosk-long-log-{width}x{height}-large-{high_contrast}");
            snapshot(Size::new(width, height), app::view(&lobby.kiosk), &picture);
            let footer = MenuText::MenuClosesIn.fill(Language::Indonesian, &[("minutes", "3")]);
            assert!(
                layout.shows(&footer)
                    && layout.shows(MenuText::ChangePin.get(Language::Indonesian)),
                "{width}x{height} large={high_contrast}: the page runs past the screen"
            );
            assert!(
                layout.texts.iter().any(|text| text.content == line),
                "the log is there"
            );
        }
    }
}

#[test]
fn the_menus_agencies_come_in_the_order_visitors_see() {
    let mut lobby = Lobby::looking(MONDAY_MORNING, Language::Indonesian, false);
    let visitors: Vec<String> = (agencies::ordered(&lobby.kiosk.context()).iter())
        .map(|agency| agency.short_name.clone())
        .collect();
    lobby.open_menu_at(menu::Page::Services);
    let layout = survey(Size::new(1920.0, 1080.0), app::view(&lobby.kiosk));
    let mut placed: Vec<_> = (layout.texts.iter())
        .filter(|text| visitors.contains(&text.content))
        .collect();
    placed.sort_by(|a, b| {
        (a.bounds.y, a.bounds.x)
            .partial_cmp(&(b.bounds.y, b.bounds.x))
            .expect("numbers")
    });
    let shown: Vec<&str> = placed.iter().map(|text| text.content.as_str()).collect();
    assert!(shown.len() >= 6, "{shown:?}");
    assert_eq!(
        shown,
        visitors[..shown.len()],
        "the first page, in the visitors' order"
    );
}
