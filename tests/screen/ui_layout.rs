//! Every screen holds on every common panel: at each window size, in both languages, with the
//! shipped catalog (31 agencies, long names, Dukcapil's many services), nothing is cut off, no
//! text loses lines, every touch target is at least a finger high, and the words the visitor
//! needs are on screen. Laid out by iced's simulator on the real views of the real app.

use crate::support;
#[path = "ui_layout/detail.rs"]
mod detail_screen;
#[path = "ui_layout/menu.rs"]
mod menu_pages;
#[path = "ui_layout/survey.rs"]
mod survey_screens;

use std::time::Duration;

use iced::Size;
use iced::time::Instant;

use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::strings::Text;
use mpp_core::strings::maintenance::Text as MenuText;
use mpp_core::survey::Element;
use mpp_core::survey::text::Text as SurveyText;
use mpp_kiosk::ui::app::{self, Message, Settings};
use mpp_kiosk::ui::backend::IssueFailure;
use mpp_kiosk::ui::screen::{
    Screen, agencies, detail, maintenance as menu, pin_pad, problem, services, welcome,
};
use support::audit::{SIZES, audit, panels, snapshot, survey};
use support::lobby::{Lobby, MONDAY_EVENING, MONDAY_MORNING};

/// The panels a look is checked on: larger text is for the kiosk panels, not the demo window.
fn sizes_for(high_contrast: bool) -> &'static [(f32, f32)] {
    if high_contrast { panels() } else { &SIZES }
}

/// Both languages (English is longer), and Indonesian in high contrast (larger text).
const LOOKS: [(Language, bool); 3] = [
    (Language::Indonesian, false),
    (Language::English, false),
    (Language::Indonesian, true),
];

impl Lobby {
    /// The kiosk with the shipped catalog at `at`, speaking `language`, high contrast or not.
    /// The kiosk syncs, and the server has just said that every queue has 100 people waiting
    /// at 90 s each: the longest wait line ("110–190 menit") on the detail and ticket screens.
    fn looking(at: &str, language: Language, high_contrast: bool) -> Self {
        let settings = Settings {
            high_contrast,
            syncs: true,
            ..support::kiosk_settings()
        };
        let catalog = support::shipped_catalog();
        let queues: Vec<String> = (catalog.agencies.iter())
            .flat_map(|agency| agency.queues.iter().map(|queue| queue.prefix.to_string()))
            .collect();
        let day = "2026-11-23".parse().expect("day");
        let pace = Some(mpp_core::wait::Pace {
            seconds_per_visitor: 90,
        });
        let heard = crate::common::instant(at);
        let mut lobby = Self::prepared(at, catalog, settings, |store| {
            for queue in queues {
                (store.record_queue_status(day, &queue, 95, 5, pace, heard)).expect("recorded");
            }
        });
        lobby.send(Message::Welcome(welcome::Message::SetLanguage(language)));
        lobby
    }

    /// Lets the idle timer run until the countdown shows.
    fn wait_for_countdown(&mut self) {
        self.send(Message::Tick(Instant::now() + Duration::from_secs(52)));
        assert!(self.kiosk.countdown().is_some(), "no countdown");
    }

    /// A visitor takes a regular DKC-KK number and finishes with it: the welcome screen again.
    fn take_a_ticket(&mut self) {
        self.walk_to_detail("DUKCAPIL", "DKC-KK");
        self.send(Message::Detail(detail::Message::Take(Lane::Regular)));
        self.send(Message::Done(mpp_kiosk::ui::screen::done::Message::Finish));
    }

    fn texts(&self, texts: &[Text]) -> Vec<&'static str> {
        let language = self.kiosk.language();
        texts.iter().map(|text| text.get(language)).collect()
    }
}

/// Audits the app's screen at every size; `prepare` brings the kiosk to the screen, `needed` are
/// the words that must be on it.
fn holds_everywhere(
    name: &str,
    prepare: impl Fn(&mut Lobby),
    needed: impl Fn(&Lobby) -> Vec<String>,
) {
    let mut problems = Vec::new();
    for (language, high_contrast) in LOOKS {
        let mut lobby = Lobby::looking(MONDAY_MORNING, language, high_contrast);
        prepare(&mut lobby);
        let needed = needed(&lobby);
        let look = if high_contrast { "-large" } else { "" };
        for &(width, height) in sizes_for(high_contrast) {
            let size = Size::new(width, height);
            let found =
                |problem: String| format!("{name} {width}x{height} {language:?}{look}: {problem}");
            problems.extend(
                audit(size, || app::view(&lobby.kiosk))
                    .into_iter()
                    .map(found),
            );
            let layout = survey(size, app::view(&lobby.kiosk));
            let picture = format!("{name}-{width}x{height}-{}{look}", language.code())
                .replace([' ', ',', ':'], "_");
            snapshot(size, app::view(&lobby.kiosk), &picture);
            for words in &needed {
                if !layout.shows(words) {
                    problems.push(found(format!(
                        "{words:?} is not on screen: {:?}",
                        layout.contents()
                    )));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn strings(texts: Vec<&str>) -> Vec<String> {
    texts.into_iter().map(str::to_owned).collect()
}

#[test]
fn the_welcome_screen_holds() {
    holds_everywhere(
        "welcome",
        |_| {},
        |lobby| {
            let mut needed = strings(lobby.texts(&[Text::TouchToStart, Text::PriorityTitle]));
            needed.extend(Language::ALL.map(|language| language.native_name().to_owned()));
            needed.push("Mal Pelayanan Publik".into());
            needed
        },
    );
}

#[test]
fn the_welcome_screen_holds_with_the_printer_warning() {
    holds_everywhere(
        "welcome with the printer out of paper",
        |lobby| lobby.send(Message::PrinterChanged(PrinterState::PaperOut)),
        |lobby| strings(lobby.texts(&[Text::TouchToStart, Text::PrinterBanner])),
    );
}

#[test]
fn the_welcome_screen_holds_when_no_number_can_be_given() {
    use mpp_core::issue_hold::IssueHold;
    holds_everywhere(
        "welcome, no number can be given",
        |lobby| {
            let counts = mpp_station::store::LiveCounts {
                hold: Some(IssueHold::NumbersAwaited),
                ..Default::default()
            };
            lobby.send(Message::CountsLoaded(Ok(counts)));
            // The printer's trouble is not said over the kiosk's: one thing at a time.
            lobby.send(Message::PrinterChanged(PrinterState::PaperOut));
        },
        |lobby| {
            let mut needed = strings(lobby.texts(&[Text::CannotIssueTitle, Text::CannotIssueAsk]));
            needed.push(
                Text::HoldNumbersAwaited
                    .get(lobby.kiosk.language())
                    .to_owned(),
            );
            needed
        },
    );
}

#[test]
fn the_agencies_hold_on_every_page() {
    holds_everywhere(
        "agencies",
        |lobby| lobby.send(Message::Welcome(welcome::Message::Start)),
        |lobby| {
            let mut needed = strings(lobby.texts(&[Text::ChooseAgency, Text::Back]));
            needed.push("Dukcapil".into());
            needed
        },
    );
    holds_everywhere(
        "agencies, last page, counting down",
        |lobby| {
            lobby.send(Message::Welcome(welcome::Message::Start));
            lobby.send(Message::Agencies(agencies::Message::ShowPage(usize::MAX)));
            lobby.wait_for_countdown();
        },
        |lobby| strings(lobby.texts(&[Text::ChooseAgency, Text::TouchToContinue])),
    );
}

#[test]
fn the_services_hold_for_the_largest_agencies() {
    for agency in ["DUKCAPIL", "DPMPTSP"] {
        holds_everywhere(
            &format!("services of {agency}"),
            |lobby| lobby.open_agency(agency),
            |lobby| strings(lobby.texts(&[Text::Back])),
        );
    }
    holds_everywhere(
        "services, last page, counting down",
        |lobby| {
            lobby.open_agency("DPMPTSP");
            lobby.send(Message::Services(services::Message::ShowPage(usize::MAX)));
            lobby.wait_for_countdown();
        },
        |lobby| strings(lobby.texts(&[Text::TouchToContinue])),
    );
}

/// The service with the longest name that also offers priority numbers: the tallest header
/// and the widest row of buttons.
fn longest_priority_service(lobby: &Lobby) -> (String, String) {
    let catalog = lobby.kiosk.context().catalog;
    let service = catalog
        .services
        .iter()
        .filter(|service| service.priority)
        .max_by_key(|service| service.name.get(Language::English).len())
        .expect("a priority service");
    (service.agency.to_string(), service.code.to_string())
}

#[test]
fn the_details_hold_with_both_buttons_and_the_countdown() {
    holds_everywhere(
        "detail",
        |lobby| {
            let (agency, service) = longest_priority_service(lobby);
            lobby.walk_to_detail(&agency, &service);
            lobby.wait_for_countdown();
        },
        |lobby| {
            strings(lobby.texts(&[
                Text::TakeNumber,
                Text::TakePriority,
                Text::Requirements,
                Text::TouchToContinue,
            ]))
        },
    );
}

#[test]
fn printing_and_the_ticket_hold() {
    holds_everywhere(
        "printing",
        |lobby| {
            lobby.walk_to_detail("DUKCAPIL", "DKC-KK");
            let issuing = lobby
                .kiosk
                .update(Message::Detail(detail::Message::Take(Lane::Priority)));
            assert_eq!(lobby.kiosk.screen().name(), "printing");
            drop(issuing);
        },
        |lobby| strings(lobby.texts(&[Text::Printing])),
    );
    holds_everywhere(
        "done",
        |lobby| {
            lobby.walk_to_detail("DUKCAPIL", "DKC-KK");
            lobby.send(Message::Detail(detail::Message::Take(Lane::Priority)));
            assert_eq!(lobby.kiosk.screen().name(), "done");
        },
        |lobby| {
            let mut needed =
                strings(lobby.texts(&[Text::PleaseTakeTicket, Text::Finish, Text::PriorityTicket]));
            needed.push("DKC-P001".into());
            needed
        },
    );
}

#[test]
fn a_ticket_not_printed_holds() {
    holds_everywhere(
        "problem: not printed",
        |lobby| {
            lobby.walk_to_detail("DUKCAPIL", "DKC-KK");
            lobby.printer.set(PrinterState::CoverOpen);
            lobby.send(Message::Detail(detail::Message::Take(Lane::Regular)));
            assert_eq!(lobby.kiosk.screen().name(), "problem");
            lobby.wait_for_countdown();
        },
        |lobby| {
            let mut needed = strings(lobby.texts(&[Text::ShowToOfficer, Text::Finish]));
            needed.push("DKC-001".into());
            needed
        },
    );
}

#[test]
fn the_other_problems_hold() {
    let mut problems = Vec::new();
    for (language, high_contrast) in LOOKS {
        let mut evening = Lobby::looking(MONDAY_EVENING, language, high_contrast);
        evening.walk_to_detail("DUKCAPIL", "DKC-KK");
        evening.send(Message::Detail(detail::Message::Take(Lane::Regular)));
        let Screen::Problem(closed) = evening.kiosk.screen() else {
            panic!("not refused");
        };
        let refusals = [
            closed.clone(),
            problem::State::refused(IssueFailure::OutOfNumbers),
            problem::State::fault(),
        ];
        let context = evening.kiosk.context();
        for state in &refusals {
            for &(width, height) in sizes_for(high_contrast) {
                let size = Size::new(width, height);
                problems.extend(
                    audit(size, || state.view(&context))
                        .into_iter()
                        .map(|problem| format!("{:?} {width}x{height}: {problem}", state.problem)),
                );
                let layout = survey(size, state.view(&context));
                if !layout.shows(Text::Finish.get(language)) {
                    problems.push(format!("{:?} {width}x{height}: no way out", state.problem));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_out_of_order_notice_holds() {
    use mpp_kiosk::ui::out_of_order::{OutOfOrder, view};
    let notice = OutOfOrder::new("kiosk.db: the database file is locked by another program".into());
    let mut problems = Vec::new();
    for (width, height) in SIZES {
        let size = Size::new(width, height);
        problems.extend(
            audit(size, || view(&notice))
                .into_iter()
                .map(|problem| format!("out of order {width}x{height}: {problem}")),
        );
        let layout = survey(size, view(&notice));
        for language in Language::ALL {
            if !layout.shows(Text::OutOfOrder.get(language)) {
                problems.push(format!(
                    "out of order {width}x{height}: not said in {language:?}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
