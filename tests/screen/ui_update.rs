//! The app's decisions, fast: `update` driven directly on the real `Kiosk` with a real SQLite
//! file and a printer driver over an in-memory test transport. No pty, no simulator: each test
//! takes milliseconds. The simulator flows in `ui.rs` check what the visitor sees.

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use iced::time::Instant;

use crate::common::small_catalog;
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_kiosk::ui::app::Message;
use mpp_kiosk::ui::screen::problem::{self, Problem};
use mpp_kiosk::ui::screen::{Screen, agencies, detail, done, printing, services, welcome};
use mpp_station::store::Store;
use support::lobby::{Lobby, MONDAY_EVENING, MONDAY_MORNING};

impl Lobby {
    fn follow_subscriptions(&mut self) {
        support::follow(&mut self.kiosk, &self.runtime, Duration::from_millis(20));
    }

    fn tickets(&self) -> Vec<Ticket> {
        Store::open(&self.database)
            .expect("store")
            .tickets_on("2026-11-23".parse().expect("day"))
            .expect("tickets")
    }

    fn take(lane: Lane) -> Message {
        Message::Detail(detail::Message::Take(lane))
    }

    /// From the welcome screen, a tap on `lane`'s button for `service` of `agency`.
    fn take_number(&mut self, agency: &str, service: &str, lane: Lane) {
        self.walk_to_detail(agency, service);
        self.send(Self::take(lane));
    }

    fn done(&self) -> &done::State {
        let Screen::Done(done) = self.screen() else {
            panic!("not done: {}", self.screen().name());
        };
        done
    }

    fn problem(&self) -> &problem::State {
        let Screen::Problem(problem) = self.screen() else {
            panic!("no problem shown: {}", self.screen().name());
        };
        problem
    }
}

#[test]
fn a_tap_issues_prints_and_shows_the_number() {
    let mut lobby = Lobby::at(MONDAY_MORNING);
    lobby.take_number("DUKCAPIL", "DKC-KK", Lane::Regular);
    assert_eq!(lobby.done().ticket.number, "DKC-001");
    assert_eq!(lobby.printer.jobs(), ["DKC-001"]);
    assert_eq!(lobby.tickets()[0].status, TicketStatus::Printed);
    assert!(!lobby.kiosk.is_busy());
    lobby.send(Message::Done(done::Message::Finish));
    assert_eq!(lobby.screen().name(), "welcome");
}

#[test]
fn a_printer_fault_shows_the_number_on_the_problem_screen() {
    let mut lobby = Lobby::at(MONDAY_MORNING);
    lobby.walk_to_detail("DUKCAPIL", "DKC-KK");
    lobby.printer.set(PrinterState::CoverOpen);
    lobby.send(Lobby::take(Lane::Regular));
    let problem = lobby.problem();
    let Problem::NotPrinted {
        ticket, printer, ..
    } = &problem.problem
    else {
        panic!("not the printer's problem: {:?}", problem.problem);
    };
    assert_eq!(ticket.number, "DKC-001", "the number is on screen");
    assert_eq!(*printer, PrinterState::CoverOpen);
    assert!(lobby.printer.jobs().is_empty());
    assert_eq!(lobby.tickets()[0].status, TicketStatus::PrintFailed);
    // The driver saw the cover open; the screen hears of it through its subscription.
    lobby.follow_subscriptions();
    assert_eq!(lobby.kiosk.context().printer, PrinterState::CoverOpen);
}

#[test]
fn a_closed_service_is_refused_with_when_to_return() {
    let mut lobby = Lobby::at(MONDAY_EVENING);
    lobby.take_number("DUKCAPIL", "DKC-KK", Lane::Regular);
    assert!(matches!(lobby.problem().problem, Problem::Closed { .. }));
    assert!(lobby.tickets().is_empty());
    assert!(lobby.printer.jobs().is_empty());
    assert!(!lobby.kiosk.is_busy(), "the next tap is served");
}

#[test]
fn back_returns_to_the_page_the_visitor_left() {
    let mut lobby = Lobby::at(MONDAY_MORNING);
    lobby.send(Message::Welcome(welcome::Message::Start));
    lobby.send(Message::Agencies(agencies::Message::ShowPage(1)));
    lobby.send(Message::Agencies(agencies::Message::Open(
        "DUKCAPIL".into(),
    )));
    lobby.send(Message::Services(services::Message::ShowPage(1)));
    lobby.send(Message::Services(services::Message::Open("DKC-KK".into())));
    lobby.send(Message::Detail(detail::Message::Back));
    assert!(
        matches!(lobby.screen(), Screen::Services(state) if state.page == 1 && state.agency == "DUKCAPIL"),
        "{:?}",
        lobby.screen()
    );
    lobby.send(Message::Services(services::Message::Back));
    assert!(
        matches!(lobby.screen(), Screen::Agencies(state) if state.page == 1),
        "{:?}",
        lobby.screen()
    );
    lobby.send(Message::Agencies(agencies::Message::Back));
    assert_eq!(lobby.screen().name(), "welcome");
    // The next visitor starts from the first page.
    lobby.send(Message::Welcome(welcome::Message::Start));
    assert!(matches!(lobby.screen(), Screen::Agencies(state) if state.page == 0));
}

#[test]
fn an_idle_screen_returns_home_and_to_indonesian() {
    let mut lobby = Lobby::at(MONDAY_MORNING);
    lobby.send(Message::Welcome(welcome::Message::SetLanguage(
        Language::English,
    )));
    lobby.send(Message::Welcome(welcome::Message::Start));
    let shown = Instant::now();
    lobby.send(Message::Tick(shown + Duration::from_secs(55)));
    assert_eq!(lobby.kiosk.countdown(), Some(5));
    assert_eq!(lobby.screen().name(), "agencies");
    lobby.send(Message::Tick(shown + Duration::from_secs(61)));
    assert_eq!(lobby.screen().name(), "welcome");
    assert_eq!(lobby.kiosk.language(), Language::Indonesian);
}

#[test]
fn the_done_screen_returns_home_sooner() {
    let mut lobby = Lobby::at(MONDAY_MORNING);
    lobby.take_number("SAMSAT", "SAM-PKB", Lane::Priority);
    assert_eq!(lobby.screen().name(), "done");
    assert_eq!(lobby.kiosk.countdown(), None, "no warning over a number");
    let shown = Instant::now();
    let left = lobby
        .kiosk
        .leaving_in()
        .expect("the done screen counts down");
    assert!((19..=20).contains(&left), "{left}");
    lobby.send(Message::Tick(shown + Duration::from_secs(16)));
    assert_eq!(lobby.screen().name(), "done");
    let left = lobby.kiosk.leaving_in().expect("still counting");
    assert!((3..=4).contains(&left), "{left}");
    lobby.send(Message::Tick(shown + Duration::from_secs(21)));
    assert_eq!(lobby.screen().name(), "welcome");
    assert_eq!(lobby.kiosk.leaving_in(), None, "the start screen stays");
}

#[test]
fn the_language_chosen_holds_until_the_visitor_leaves() {
    let mut lobby = Lobby::at(MONDAY_MORNING);
    lobby.send(Message::Welcome(welcome::Message::SetLanguage(
        Language::English,
    )));
    lobby.walk_to_detail("DUKCAPIL", "DKC-KK");
    assert_eq!(lobby.kiosk.context().language, Language::English);
    lobby.send(Message::Detail(detail::Message::Back));
    lobby.send(Message::Services(services::Message::Back));
    assert_eq!(lobby.kiosk.language(), Language::English);
    lobby.send(Message::Agencies(agencies::Message::Back));
    assert_eq!(lobby.kiosk.language(), Language::Indonesian);
}

#[test]
fn a_second_tap_while_printing_is_ignored() {
    let mut lobby = Lobby::at(MONDAY_MORNING);
    lobby.walk_to_detail("DUKCAPIL", "DKC-KK");
    let first = lobby.kiosk.update(Lobby::take(Lane::Regular));
    assert!(lobby.kiosk.is_busy());
    assert_eq!(lobby.screen().name(), "printing");
    let second = lobby.kiosk.update(Lobby::take(Lane::Priority));
    assert!(
        iced_test::runtime::task::into_stream(second).is_none(),
        "the second tap starts nothing"
    );
    lobby.run(first);
    assert_eq!(lobby.screen().name(), "done");
    assert_eq!(lobby.tickets().len(), 1);
    assert_eq!(lobby.printer.jobs(), ["DKC-001"]);
}

#[test]
fn an_answer_to_another_request_is_ignored() {
    let mut lobby = Lobby::at(MONDAY_MORNING);
    lobby.walk_to_detail("DUKCAPIL", "DKC-KK");
    let issuing = lobby.kiosk.update(Lobby::take(Lane::Regular));
    let Screen::Printing(state) = lobby.screen() else {
        panic!("not printing");
    };
    let stale = state.request + 100;
    lobby.send(Message::Printing(printing::Message::Issued(
        stale,
        Err(mpp_kiosk::ui::backend::IssueFailure::OutOfNumbers),
    )));
    assert_eq!(
        lobby.screen().name(),
        "printing",
        "a stale answer changes nothing"
    );
    lobby.run(issuing);
    assert_eq!(lobby.screen().name(), "done");
}

#[test]
fn a_published_catalog_waits_for_the_start_screen() {
    let mut lobby = Lobby::at(MONDAY_MORNING);
    let shipped = lobby.kiosk.context().catalog.version;
    lobby.walk_to_detail("DUKCAPIL", "DKC-KK");
    let mut newer = small_catalog().into_inner();
    newer.version = shipped + 1;
    let newer = mpp_core::validate::ValidCatalog::new(newer).expect("valid");
    lobby
        .kiosk
        .backend()
        .catalog_publisher()
        .send_replace(Arc::new(newer));
    lobby.follow_subscriptions();
    assert_eq!(
        lobby.kiosk.context().catalog.version,
        shipped,
        "never in the middle of a visitor's path"
    );
    lobby.send(Message::Detail(detail::Message::Back));
    lobby.send(Message::Services(services::Message::Back));
    lobby.send(Message::Agencies(agencies::Message::Back));
    assert_eq!(lobby.kiosk.context().catalog.version, shipped + 1);
}
