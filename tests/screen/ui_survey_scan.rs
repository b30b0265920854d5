//! A ticket's QR code held under the kiosk's scanner starts the survey for that ticket. The
//! real app on a real SQLite file, with the scanner's feed a real watch channel followed by
//! the app's own subscription (the driver behind it is tested against a pty in
//! `scanner_driver.rs`, and end to end in `scan_to_survey.rs`). What is not one of this
//! kiosk's tickets is named; a half-answered survey, a number being printed and the
//! technician's screens are never interrupted.

use crate::common;
use crate::support;

use std::time::Duration;

use iced::Task;
use iced_test::Simulator;
use tokio::sync::watch;

use crate::common::instant;
use mpp_core::lang::Language;
use mpp_core::survey::scan::ScanProblem;
use mpp_core::survey::text::Text as SurveyText;
use mpp_core::ticket::{Ticket, qr_payload};
use mpp_kiosk::ui::app::{self, Kiosk, Message};
use mpp_kiosk::ui::screen::Screen;
use mpp_kiosk::ui::screen::survey;
use mpp_kiosk::ui::screen::survey::entry::Problem;
use mpp_kiosk::ui::screen::welcome;
use mpp_station::printer::PrinterHandle;
use mpp_station::scanner::{Scan, ScannerFeed, ScannerStatus};
use mpp_station::store::Store;
use support::TestPrinter;
use support::survey::{KEY, answer_all, finish, skip_facts, take_ticket, unsent};

const MONDAY_MORNING: &str = "2026-11-23T09:30:00+07:00";
const SCREEN: (f32, f32) = (1280.0, 800.0);

struct Rig {
    kiosk: Kiosk,
    runtime: tokio::runtime::Runtime,
    scanner: watch::Sender<ScannerFeed>,
    scans: u64,
    _folder: tempfile::TempDir,
}

impl Rig {
    fn new(survey_days: Option<u32>) -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&folder.path().join("kiosk.db")).expect("store");
        let printer = PrinterHandle::start(Box::new(TestPrinter::ready()));
        printer.wait_first_status(Duration::from_secs(1));
        let (scanner, feed) = watch::channel(ScannerFeed {
            status: ScannerStatus::Connected,
            last: None,
        });
        let backend = support::backend(
            store,
            printer,
            instant(MONDAY_MORNING),
            common::small_catalog(),
        )
        .with_scanner(feed);
        let settings = app::Settings {
            survey_days,
            ..support::kiosk_settings()
        };
        let (kiosk, boot) = Kiosk::new(backend, settings);
        let mut rig = Self {
            kiosk,
            runtime: support::runtime(),
            scanner,
            scans: 0,
            _folder: folder,
        };
        rig.run(boot);
        rig.follow();
        rig
    }

    fn run(&mut self, task: Task<Message>) {
        support::run(&mut self.kiosk, &self.runtime, task);
    }

    fn send_all(&mut self, messages: Vec<Message>) {
        for message in messages {
            support::send(&mut self.kiosk, &self.runtime, message);
        }
    }

    /// What the app's subscriptions tell now, fed into `update`.
    fn follow(&mut self) {
        support::follow(&mut self.kiosk, &self.runtime, Duration::from_millis(150));
    }

    /// The scanner reads `code`; the app hears it through its subscription.
    fn scan(&mut self, code: &str) {
        self.scans += 1;
        self.scanner.send_modify(|feed| {
            feed.last = Some(Scan {
                seq: self.scans,
                text: code.to_owned(),
            })
        });
        self.follow();
    }

    fn take_ticket(&mut self) -> Ticket {
        take_ticket(&mut self.kiosk, &self.runtime)
    }

    fn screen(&self) -> &'static str {
        self.kiosk.screen().name()
    }

    /// The ticket the survey on show rates.
    fn rated(&self) -> String {
        match self.kiosk.screen() {
            Screen::Survey(state) => state.draft.as_ref().expect("a draft").ticket.id.to_string(),
            other => panic!("not in the survey: {}", other.name()),
        }
    }

    fn entry_problem(&self) -> Option<Problem> {
        support::survey::entry_problem(&self.kiosk)
    }

    /// The words are on screen.
    fn shows(&self, words: &str) -> bool {
        let mut ui = Simulator::with_size(
            support::simulator_settings(),
            SCREEN,
            app::view(&self.kiosk),
        );
        ui.find(words).is_ok()
    }
}

/// Back, on a question of the survey.
fn question_back() -> Message {
    Message::Survey(survey::Message::Question(survey::question::Message::Back))
}

fn other_kiosks_link(ticket: &Ticket) -> String {
    qr_payload(
        "https://mpp.example.go.id",
        "K2",
        &ticket.id,
        b"kiosk two's key",
    )
}

#[test]
fn a_scanned_ticket_opens_its_own_survey_from_the_start_and_while_browsing() {
    let mut rig = Rig::new(Some(1));
    let first = rig.take_ticket();
    let second = rig.take_ticket();
    let language = Language::Indonesian;
    assert!(
        rig.shows(SurveyText::StartHintScan.get(language)),
        "the start screen says a scan starts the survey"
    );
    rig.scan(&format!("{}\r\n", first.qr_payload));
    assert_eq!(rig.screen(), "survey question");
    assert_eq!(
        rig.rated(),
        first.id.to_string(),
        "the ticket scanned, not the last one"
    );
    rig.send_all(answer_all(4));
    rig.send_all(skip_facts());
    rig.send_all(vec![finish()]);
    assert_eq!(rig.screen(), "survey thanks");
    // The next visitor scans over the thanks screen.
    rig.send_all(vec![Message::Welcome(welcome::Message::Start)]);
    rig.scan(&second.qr_payload);
    assert_eq!(rig.rated(), second.id.to_string());
    rig.send_all(vec![question_back()]);
    assert_eq!(
        rig.screen(),
        "welcome",
        "back from the first question leaves"
    );
    // A visitor browsing the agencies who scans a ticket is taken to its survey.
    rig.send_all(vec![Message::Welcome(welcome::Message::Start)]);
    assert_eq!(rig.screen(), "agencies");
    rig.scan(&second.qr_payload);
    assert_eq!(rig.rated(), second.id.to_string());
    let sent = unsent(&rig.kiosk);
    assert_eq!(sent.len(), 1, "one response, for the first ticket");
    assert_eq!(sent[0].ticket_id, first.id);
    // Scanned again once answered: said so, nothing stored twice.
    rig.send_all(vec![question_back()]);
    assert_eq!(rig.screen(), "welcome");
    rig.scan(&first.qr_payload);
    assert_eq!(
        rig.entry_problem(),
        Some(Problem::Answered),
        "{:?}",
        rig.screen()
    );
}

#[test]
fn codes_that_are_not_this_kiosks_tickets_are_named_on_screen() {
    let mut rig = Rig::new(Some(1));
    let ticket = rig.take_ticket();
    let genuine_unknown = qr_payload(
        "https://mpp.example.go.id",
        "K1",
        "0192f0c2-0000-7000-8000-000000000000",
        KEY,
    );
    let forged = ticket.qr_payload.replace("?s=", "?s=0");
    let cases = [
        (
            "00020101021126570011ID.DANA.WWW".to_owned(),
            ScanProblem::NotATicket,
        ),
        (
            other_kiosks_link(&ticket),
            ScanProblem::OtherKiosk { kiosk: "K2".into() },
        ),
        (forged[..forged.len() - 1].to_owned(), ScanProblem::Forged),
        (genuine_unknown, ScanProblem::NotOnRecord),
    ];
    for (code, problem) in cases {
        rig.scan(&code);
        assert_eq!(rig.screen(), "survey entry", "{problem:?}");
        assert_eq!(rig.entry_problem(), Some(Problem::Scan(problem.clone())));
        let words = match &problem {
            ScanProblem::NotATicket => SurveyText::ScanNotTicket.get(Language::Indonesian).into(),
            ScanProblem::OtherKiosk { kiosk } => {
                SurveyText::ScanOtherKiosk.fill(Language::Indonesian, &[("kiosk", kiosk)])
            }
            ScanProblem::Forged => SurveyText::ScanForged.get(Language::Indonesian).into(),
            ScanProblem::NotOnRecord => {
                SurveyText::ScanNotOnRecord.get(Language::Indonesian).into()
            }
        };
        assert!(rig.shows(&words), "{problem:?}: {words:?} not on screen");
    }
    assert!(unsent(&rig.kiosk).is_empty());
    // After all that, the right ticket still starts its survey from the entry screen.
    rig.scan(&ticket.qr_payload);
    assert_eq!(rig.rated(), ticket.id.to_string());
}

#[test]
fn a_scan_never_interrupts_a_half_answered_survey_or_the_technician() {
    let mut rig = Rig::new(Some(1));
    let first = rig.take_ticket();
    let second = rig.take_ticket();
    rig.scan(&first.qr_payload);
    rig.send_all(answer_all(3)[..3].to_vec());
    let before = format!("{:?}", rig.kiosk.screen().name());
    rig.scan(&second.qr_payload);
    assert_eq!(format!("{:?}", rig.kiosk.screen().name()), before);
    assert_eq!(rig.rated(), first.id.to_string(), "the half survey is kept");
    // The subscription's value seen again (the same seq) is not a second scan.
    rig.scanner.send_modify(|_| {});
    rig.follow();
    assert_eq!(rig.rated(), first.id.to_string());
    let mut rig = Rig::new(Some(1));
    let ticket = rig.take_ticket();
    for _ in 0..welcome::corner::TAPS {
        // The task each tap returns only waits to settle it: not run, as a quick hand is.
        let _settle = rig
            .kiosk
            .update(Message::Welcome(welcome::Message::CornerTapped));
    }
    assert_eq!(rig.screen(), "pin pad");
    rig.scan(&ticket.qr_payload);
    assert_eq!(
        rig.screen(),
        "pin pad",
        "the technician's pad ignores scans"
    );
}

#[test]
fn with_the_survey_off_or_the_scanner_gone_a_scan_does_nothing() {
    let mut rig = Rig::new(None);
    let ticket = rig.take_ticket();
    rig.scan(&ticket.qr_payload);
    assert_eq!(rig.screen(), "welcome");

    let mut rig = Rig::new(Some(1));
    rig.scanner.send_modify(|feed| {
        feed.status = ScannerStatus::Absent {
            reason: "/dev/kiosk-scanner: No such file or directory".into(),
        }
    });
    rig.follow();
    let language = Language::Indonesian;
    assert!(
        rig.shows(SurveyText::StartHint.get(language))
            && !rig.shows(SurveyText::StartHintScan.get(language)),
        "an unplugged scanner is not offered"
    );
}
