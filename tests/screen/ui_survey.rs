//! The satisfaction survey on the real screen: a visitor taps through it in each language
//! (iced's simulator on the real views, every message through the real `update`, the store a
//! real SQLite file), and the kiosk's decisions on a wrong code, a voided, an old or an
//! answered ticket, and on a visitor who walks away halfway.

use crate::support;

use std::time::Duration;

use iced::Task;
use iced::time::Instant;
use iced_test::Simulator;

use crate::common::{instant, issue_as_k1, small_catalog};
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::survey::Element;
use mpp_core::survey::respondent::Sex;
use mpp_core::survey::text::Text as SurveyText;
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_kiosk::ui::app::{self, Kiosk, Message};
use mpp_kiosk::ui::screen::Screen;
use mpp_kiosk::ui::screen::survey::Step;
use mpp_kiosk::ui::screen::survey::entry::{self, Problem};
use mpp_kiosk::ui::screen::welcome;
use mpp_station::printer::PrinterHandle;
use mpp_station::store::Store;
use support::TestPrinter;
use support::survey::{answer_all, code_of, finish, on_entry, skip_facts, start, suggest, unsent};

const MONDAY_MORNING: &str = "2026-11-23T09:30:00+07:00";
const TUESDAY_MORNING: &str = "2026-11-24T09:30:00+07:00";
const SCREEN: (f32, f32) = (1280.0, 800.0);

struct Rig {
    kiosk: Kiosk,
    runtime: tokio::runtime::Runtime,
    _folder: tempfile::TempDir,
}

impl Rig {
    /// A kiosk at `at` whose store `prepare` may give tickets before the screen starts.
    fn prepared(at: &str, prepare: impl FnOnce(&mut Store)) -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&folder.path().join("kiosk.db")).expect("store");
        prepare(&mut store);
        let printer = PrinterHandle::start(Box::new(TestPrinter::ready()));
        printer.wait_first_status(Duration::from_secs(1));
        let (kiosk, boot) = support::kiosk(store, printer, instant(at));
        let mut rig = Self {
            kiosk,
            runtime: support::runtime(),
            _folder: folder,
        };
        rig.run(boot);
        rig
    }

    fn new(at: &str) -> Self {
        Self::prepared(at, |_| {})
    }

    fn run(&mut self, task: Task<Message>) {
        support::run(&mut self.kiosk, &self.runtime, task);
    }

    fn send(&mut self, message: Message) {
        support::send(&mut self.kiosk, &self.runtime, message);
    }

    fn send_all(&mut self, messages: Vec<Message>) {
        for message in messages {
            self.send(message);
        }
    }

    /// Takes a number through the ticket screens and goes back to the start with it.
    fn take_ticket(&mut self) -> Ticket {
        support::survey::take_ticket(&mut self.kiosk, &self.runtime)
    }

    fn screen(&self) -> &'static str {
        self.kiosk.screen().name()
    }

    fn entry_problem(&self) -> Option<Problem> {
        support::survey::entry_problem(&self.kiosk)
    }

    fn simulator(&self) -> Simulator<'_, Message> {
        Simulator::with_size(
            support::simulator_settings(),
            SCREEN,
            app::view(&self.kiosk),
        )
    }

    /// Clicks the text on screen and feeds back the messages the click produced.
    fn click(&mut self, label: &str) {
        let messages: Vec<Message> = {
            let mut ui = self.simulator();
            ui.click(label)
                .unwrap_or_else(|error| panic!("cannot click {label:?}: {error:?}"));
            ui.into_messages().collect()
        };
        assert!(!messages.is_empty(), "clicking {label:?} did nothing");
        self.send_all(messages);
    }

    /// Types on the pad by clicking its keys.
    fn click_keys(&mut self, text: &str) {
        for character in text.chars() {
            self.click(&character.to_string());
        }
    }

    /// Taps with a finger only: no mouse events at all.
    fn touch(&mut self, label: &str) {
        let messages = support::finger_tap(self.simulator(), label);
        self.send_all(messages);
    }
}

/// The label of a form's green key (Continue, Finish).
fn action_label(text: SurveyText, language: Language) -> String {
    format!("{}  ›", text.get(language))
}

#[test]
fn a_visitor_rates_a_visit_by_tapping_through_in_each_language() {
    for language in Language::ALL {
        let mut rig = Rig::new(MONDAY_MORNING);
        let ticket = rig.take_ticket();
        rig.send(Message::Welcome(welcome::Message::SetLanguage(language)));
        // The button is its own target: it opens the survey, not the agencies.
        rig.click(SurveyText::StartButton.get(language));
        assert_eq!(rig.screen(), "survey entry", "{language:?}");
        rig.click_keys(&ticket.number);
        rig.click(&action_label(SurveyText::Continue, language));
        rig.click_keys(&code_of(&ticket));
        rig.click(&action_label(SurveyText::Continue, language));
        assert_eq!(rig.screen(), "survey question", "{language:?}");
        // Each question by its answer's words: the best, then the one below, in turn.
        for (index, element) in Element::ALL.into_iter().enumerate() {
            let answer = element.wording(language).answers[3 - index % 2];
            rig.click(answer);
        }
        assert_eq!(rig.screen(), "survey facts");
        rig.click(mpp_core::survey::respondent::AgeBand::From40To49.label(language));
        rig.click(Sex::Female.label(language));
        rig.click(SurveyText::Skip.get(language));
        rig.click(SurveyText::Skip.get(language));
        assert_eq!(rig.screen(), "survey suggestion");
        rig.click_keys("bagus");
        rig.click(&action_label(SurveyText::Finish, language));
        assert_eq!(rig.screen(), "survey thanks");
        let sent = unsent(&rig.kiosk);
        assert_eq!(sent.len(), 1, "{language:?}");
        let response = &sent[0];
        assert_eq!(response.ticket_id, ticket.id);
        assert_eq!(response.language, language);
        assert_eq!(response.answers.get(Element::Requirements).value(), 4);
        assert_eq!(response.answers.get(Element::Procedure).value(), 3);
        assert_eq!(response.answers.get(Element::Facilities).value(), 4);
        assert_eq!(response.respondent.sex, Some(Sex::Female));
        assert_eq!(response.respondent.education, None);
        assert_eq!(
            response.suggestion.as_ref().map(|s| s.as_str()),
            Some("bagus")
        );
        rig.click(SurveyText::Home.get(language));
        assert_eq!(rig.screen(), "welcome");
    }
}

#[test]
fn a_finger_on_the_survey_button_opens_the_survey_and_back_keeps_the_answers() {
    let mut rig = Rig::new(MONDAY_MORNING);
    let ticket = rig.take_ticket();
    rig.touch(SurveyText::StartButton.get(Language::Indonesian));
    assert_eq!(rig.screen(), "survey entry");
    rig.send_all(start(&ticket.number, &code_of(&ticket))[1..].to_vec());
    assert_eq!(rig.screen(), "survey question");
    rig.touch("Sangat sesuai");
    rig.touch("Mudah");
    rig.touch(&format!(
        "‹  {}",
        SurveyText::Back.get(Language::Indonesian)
    ));
    // Back on the second question, its answer from before still marked: tapping another
    // changes it.
    rig.touch("Sangat mudah");
    let Screen::Survey(state) = rig.kiosk.screen() else {
        panic!("left the survey");
    };
    let draft = state.draft.as_ref().expect("a draft");
    assert_eq!(draft.answers[&Element::Procedure].value(), 4);
    assert_eq!(draft.answers.len(), 2);
}

#[test]
fn a_wrong_code_a_voided_an_old_and_an_answered_ticket_are_refused() {
    // A wrong code: said, and typed again.
    let mut rig = Rig::new(MONDAY_MORNING);
    let ticket = rig.take_ticket();
    rig.send_all(start(&ticket.number, "ZZZZZ"));
    assert_eq!(rig.entry_problem(), Some(Problem::NoMatch));
    // Somebody else's number with this ticket's code is no better.
    let mut rig = Rig::new(MONDAY_MORNING);
    let first = rig.take_ticket();
    let second = rig.take_ticket();
    rig.send_all(start(&second.number, &code_of(&first)));
    assert_eq!(rig.entry_problem(), Some(Problem::NoMatch));

    // Answered once, refused the second time.
    let mut rig = Rig::new(MONDAY_MORNING);
    let ticket = rig.take_ticket();
    let code = code_of(&ticket);
    rig.send_all(start(&ticket.number, &code));
    rig.send_all(answer_all(4));
    rig.send_all(skip_facts());
    rig.send(finish());
    assert_eq!(rig.screen(), "survey thanks");
    rig.send(Message::Survey(
        mpp_kiosk::ui::screen::survey::Message::Thanks(
            mpp_kiosk::ui::screen::survey::thanks::Message::Home,
        ),
    ));
    rig.send_all(start(&ticket.number, &code));
    assert_eq!(rig.entry_problem(), Some(Problem::Answered));
    assert_eq!(unsent(&rig.kiosk).len(), 1);

    // Yesterday's ticket, and a voided one.
    let issue = |store: &mut Store, at: &str| {
        issue_as_k1(store, "DKC-KK", Lane::Regular, instant(at)).expect("issued")
    };
    let mut monday = None;
    let mut voided = None;
    let mut rig = Rig::prepared(TUESDAY_MORNING, |store| {
        monday = Some(issue(store, MONDAY_MORNING));
        let ticket = issue(store, TUESDAY_MORNING);
        store
            .set_status(
                &ticket.id,
                TicketStatus::Voided,
                Some("test"),
                instant(TUESDAY_MORNING),
            )
            .expect("voided");
        voided = Some(ticket);
    });
    let (monday, voided) = (monday.expect("monday"), voided.expect("voided"));
    rig.send_all(start(&monday.number, &code_of(&monday)));
    assert_eq!(rig.entry_problem(), Some(Problem::TooOld { days: 1 }));
    rig.send(on_entry(entry::Message::Cancel));
    assert_eq!(rig.screen(), "welcome");
    rig.send_all(start(&voided.number, &code_of(&voided)));
    assert_eq!(rig.entry_problem(), Some(Problem::Voided));
    assert!(unsent(&rig.kiosk).is_empty());
}

#[test]
fn walking_away_halfway_keeps_nothing_and_the_ticket_can_be_rated_later() {
    let mut rig = Rig::new(MONDAY_MORNING);
    let ticket = rig.take_ticket();
    let code = code_of(&ticket);
    rig.send_all(start(&ticket.number, &code));
    rig.send_all(answer_all(2)[..5].to_vec());
    assert_eq!(rig.screen(), "survey question");
    rig.send(Message::Tick(Instant::now() + Duration::from_secs(61)));
    assert_eq!(
        rig.screen(),
        "welcome",
        "the idle timeout returns to the start"
    );
    assert!(unsent(&rig.kiosk).is_empty(), "a half survey is not kept");
    rig.send_all(start(&ticket.number, &code));
    assert_eq!(rig.screen(), "survey question", "the ticket is still open");
    let Screen::Survey(state) = rig.kiosk.screen() else {
        panic!("left the survey");
    };
    assert!(state.draft.as_ref().is_some_and(|d| d.answers.is_empty()));
}

#[test]
fn a_suggestion_with_a_phone_number_is_refused_until_it_is_removed() {
    let mut rig = Rig::new(MONDAY_MORNING);
    let ticket = rig.take_ticket();
    rig.send_all(start(&ticket.number, &code_of(&ticket)));
    rig.send_all(answer_all(3));
    rig.send_all(skip_facts());
    rig.send_all(suggest("wa 081234567890"));
    rig.send(finish());
    assert_eq!(rig.screen(), "survey suggestion", "not stored");
    let Screen::Survey(state) = rig.kiosk.screen() else {
        panic!("left the survey");
    };
    let Step::Suggestion(suggestion) = &state.step else {
        panic!("not on the suggestion");
    };
    assert_eq!(
        suggestion.problem,
        Some(mpp_core::survey::suggestion::SuggestionError::LooksLikePhone)
    );
    assert!(unsent(&rig.kiosk).is_empty());
    // The visitor deletes the number (13 characters and its space) and finishes.
    for _ in 0.."081234567890".len() + 1 {
        rig.send(Message::Survey(
            mpp_kiosk::ui::screen::survey::Message::Suggestion(
                mpp_kiosk::ui::screen::survey::suggestion::Message::Key(
                    mpp_kiosk::ui::screen::survey::keypad::Key::Delete,
                ),
            ),
        ));
    }
    rig.send(finish());
    assert_eq!(rig.screen(), "survey thanks");
    let sent = unsent(&rig.kiosk);
    assert_eq!(sent[0].suggestion.as_ref().map(|s| s.as_str()), Some("wa"));
}

#[test]
fn with_the_survey_off_there_is_no_button_and_no_way_in() {
    let folder = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&folder.path().join("kiosk.db")).expect("store");
    let printer = PrinterHandle::start(Box::new(TestPrinter::ready()));
    let settings = mpp_kiosk::ui::app::Settings {
        survey_days: None,
        syncs: false,
        ..support::kiosk_settings()
    };
    let (kiosk, boot) = support::kiosk_with(
        store,
        printer,
        instant(MONDAY_MORNING),
        small_catalog(),
        settings,
    );
    let mut rig = Rig {
        kiosk,
        runtime: support::runtime(),
        _folder: folder,
    };
    rig.run(boot);
    let label = SurveyText::StartButton.get(Language::Indonesian);
    assert!(rig.simulator().find(label).is_err(), "no survey button");
    rig.send(Message::Welcome(welcome::Message::StartSurvey));
    assert_eq!(rig.screen(), "welcome");
}
