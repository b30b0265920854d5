//! End to end, every part real: a visitor takes a number on the screen, the ticket is printed
//! on the pty printer simulator (which decodes the ESC/POS, QR code included), that printed
//! code is held under the pty scan engine, the kiosk's own scanner driver reads it, and the
//! survey opens for that ticket and is stored. The scanner unplugged and back on the way.

use crate::common;
use crate::support;

use std::time::{Duration, Instant};

use iced::Task;

use crate::common::instant;
use mpp_core::lang::Language;
use mpp_core::printer_state::PrinterState;
use mpp_core::survey::text::Text as SurveyText;
use mpp_kiosk::ui::app::{self, Kiosk, Message};
use mpp_kiosk::ui::screen::Screen;
use mpp_station::config::ScannerSettings;
use mpp_station::printer::PrinterHandle;
use mpp_station::printer::transport::SerialTransport;
use mpp_station::scanner::Scanner;
use mpp_station::store::Store;
use mpp_testkit::printer_sim::PrinterSim;
use mpp_testkit::scanner_sim::{ScannerSim, Suffix};
use support::survey::{answer_all, finish, skip_facts, take_ticket, unsent};

/// Long enough for a loaded CI machine; the parts answer in milliseconds.
const DEADLINE: Duration = Duration::from_secs(20);

struct Rig {
    kiosk: Kiosk,
    runtime: tokio::runtime::Runtime,
    printer: PrinterSim,
    scanner_sim: ScannerSim,
    _scanner: Scanner,
    _folder: tempfile::TempDir,
}

impl Rig {
    fn new() -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&folder.path().join("kiosk.db")).expect("store");
        let printer = PrinterSim::start(&folder.path().join("kiosk-printer"));
        let handle = PrinterHandle::start(Box::new(SerialTransport::new(common::serial_settings(
            printer.device_path(),
            115_200,
        ))));
        assert_eq!(handle.wait_first_status(DEADLINE), PrinterState::Ready);
        let scanner_sim = ScannerSim::start(&folder.path().join("kiosk-scanner"));
        let scanner = Scanner::start(&ScannerSettings {
            port: scanner_sim.device_path(),
            baud: 9600,
        });
        let backend = support::backend(
            store,
            handle,
            instant("2026-11-23T09:30:00+07:00"),
            common::small_catalog(),
        )
        .with_scanner(scanner.watch());
        let (kiosk, boot) = Kiosk::new(backend, support::kiosk_settings());
        let mut rig = Self {
            kiosk,
            runtime: support::runtime(),
            printer,
            scanner_sim,
            _scanner: scanner,
            _folder: folder,
        };
        rig.run(boot);
        rig
    }

    fn run(&mut self, task: Task<Message>) {
        support::run(&mut self.kiosk, &self.runtime, task);
    }

    /// Follows the app's subscriptions (the scanner's feed among them) until `done`.
    fn follow_until(&mut self, what: &str, done: impl Fn(&Kiosk) -> bool) {
        let deadline = Instant::now() + DEADLINE;
        while !done(&self.kiosk) {
            assert!(Instant::now() < deadline, "never came: {what}");
            support::follow(&mut self.kiosk, &self.runtime, Duration::from_millis(100));
        }
    }

    fn shows(&self, words: &str) -> bool {
        let mut ui = iced_test::Simulator::with_size(
            support::simulator_settings(),
            (1280.0, 800.0),
            app::view(&self.kiosk),
        );
        ui.find(words).is_ok()
    }
}

fn rated(kiosk: &Kiosk) -> Option<String> {
    match kiosk.screen() {
        Screen::Survey(state) => state.draft.as_ref().map(|d| d.ticket.id.to_string()),
        _ => None,
    }
}

#[test]
fn the_printed_code_under_the_scanner_opens_and_stores_its_survey_through_an_unplug() {
    let mut rig = Rig::new();
    let language = Language::Indonesian;
    let scan_hint = SurveyText::StartHintScan.get(language);
    rig.follow_until("the scanner connected", |kiosk| {
        kiosk.context().scanner_ready()
    });
    assert!(rig.shows(scan_hint));
    let ticket = take_ticket(&mut rig.kiosk, &rig.runtime);
    let jobs = rig.printer.wait_for_jobs(1, DEADLINE);
    let printed = jobs[0].qr_codes.clone();
    assert_eq!(
        printed,
        vec![ticket.qr_payload.clone()],
        "the code on the paper"
    );

    // Unplugged: the screen stops offering the scan; back: it offers it again.
    rig.scanner_sim.unplug();
    rig.follow_until("the scanner gone", |kiosk| !kiosk.context().scanner_ready());
    assert!(!rig.shows(scan_hint));
    rig.scanner_sim.replug();
    rig.follow_until("the scanner back", |kiosk| kiosk.context().scanner_ready());

    rig.scanner_sim.scan(&printed[0], Suffix::Cr);
    rig.follow_until("the survey for the ticket scanned", |kiosk| {
        rated(kiosk).is_some()
    });
    assert_eq!(rated(&rig.kiosk), Some(ticket.id.to_string()));
    for message in answer_all(3)
        .into_iter()
        .chain(skip_facts())
        .chain([finish()])
    {
        support::send(&mut rig.kiosk, &rig.runtime, message);
    }
    assert_eq!(rig.kiosk.screen().name(), "survey thanks");
    let stored = unsent(&rig.kiosk);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].ticket_id, ticket.id);
}
