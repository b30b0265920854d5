//! What the survey's screen tests share: the ticket a visitor holds (taken through the real
//! screens), its code as printed, and the messages that type on the survey's keys.

use mpp_core::survey::Rating;
use mpp_core::survey::code::survey_code;
use mpp_core::ticket::Ticket;
use mpp_kiosk::ui::app::{Kiosk, Message};
use mpp_kiosk::ui::screen::survey::keypad::Key;
use mpp_kiosk::ui::screen::survey::{self, entry, facts, question, suggestion};
use mpp_kiosk::ui::screen::welcome;

/// The signing key of the kiosk the tests build (common::settings).
pub const KEY: &[u8] = b"test-signing-key-0001";

/// The code printed at the foot of `ticket`.
pub fn code_of(ticket: &Ticket) -> String {
    survey_code(&ticket.kiosk, &ticket.id, KEY)
}

/// The tickets the kiosk's store holds, latest last.
pub fn tickets(kiosk: &Kiosk) -> Vec<Ticket> {
    let store = kiosk.backend().store();
    let store = store.lock().expect("store");
    let day = store
        .latest_business_day()
        .expect("day")
        .expect("a ticket was issued");
    store.tickets_on(day).expect("tickets")
}

/// Survey responses waiting for the server.
pub fn unsent(kiosk: &Kiosk) -> Vec<mpp_core::protocol::SurveyResponse> {
    let store = kiosk.backend().store();
    let store = store.lock().expect("store");
    store
        .unsent_surveys(100)
        .expect("unsent")
        .into_iter()
        .map(|row| row.response)
        .collect()
}

/// Takes a number for Dukcapil's KK through the ticket screens and goes back to the start
/// with it: the ticket as the store holds it.
pub fn take_ticket(kiosk: &mut Kiosk, on: &tokio::runtime::Runtime) -> Ticket {
    use mpp_core::numbering::Lane;
    use mpp_kiosk::ui::screen::{agencies, detail, done, services};
    for message in [
        Message::Welcome(welcome::Message::Start),
        Message::Agencies(agencies::Message::Open("DUKCAPIL".into())),
        Message::Services(services::Message::Open("DKC-KK".into())),
        Message::Detail(detail::Message::Take(Lane::Regular)),
    ] {
        let task = kiosk.update(message);
        super::run(kiosk, on, task);
    }
    // The same service a moment ago: the kiosk asks first; this visitor says yes.
    if kiosk.screen().name() == "detail" {
        let task = kiosk.update(Message::Detail(detail::Message::TakeAgain));
        super::run(kiosk, on, task);
    }
    assert_eq!(kiosk.screen().name(), "done");
    let task = kiosk.update(Message::Done(done::Message::Finish));
    super::run(kiosk, on, task);
    assert_eq!(kiosk.screen().name(), "welcome");
    tickets(kiosk).pop().expect("a ticket")
}

/// Why the survey's entry screen on show refused the ticket, if it did.
pub fn entry_problem(kiosk: &Kiosk) -> Option<entry::Problem> {
    use mpp_kiosk::ui::screen::Screen;
    match kiosk.screen() {
        Screen::Survey(state) => match &state.step {
            survey::Step::Entry(entry) => entry.problem.clone(),
            other => panic!("not on the entry screen: {other:?}"),
        },
        other => panic!("not in the survey: {}", other.name()),
    }
}

pub fn on_entry(message: entry::Message) -> Message {
    Message::Survey(survey::Message::Entry(message))
}

/// The key presses that type `text` on the survey's pad (a space is the space bar).
pub fn keys(text: &str) -> Vec<Key> {
    text.chars()
        .map(|character| match character {
            ' ' => Key::Space,
            other => Key::Char(other),
        })
        .collect()
}

/// From the welcome screen: the survey button, the number, Continue, the code, Continue.
pub fn start(number: &str, code: &str) -> Vec<Message> {
    let mut messages = vec![Message::Welcome(welcome::Message::StartSurvey)];
    messages.extend(
        keys(number)
            .into_iter()
            .map(|key| on_entry(entry::Message::Key(key))),
    );
    messages.push(on_entry(entry::Message::Submit));
    messages.extend(
        keys(code)
            .into_iter()
            .map(|key| on_entry(entry::Message::Key(key))),
    );
    messages.push(on_entry(entry::Message::Submit));
    messages
}

/// Every question answered with `rating`.
pub fn answer_all(rating: u8) -> Vec<Message> {
    let rating = Rating::new(rating).expect("1 to 4");
    (0..9)
        .map(|_| Message::Survey(survey::Message::Question(question::Message::Answer(rating))))
        .collect()
}

/// Every fact skipped.
pub fn skip_facts() -> Vec<Message> {
    (0..facts::Fact::ALL.len())
        .map(|_| Message::Survey(survey::Message::Facts(facts::Message::Skip)))
        .collect()
}

/// The suggestion typed.
pub fn suggest(text: &str) -> Vec<Message> {
    keys(text)
        .into_iter()
        .map(|key| Message::Survey(survey::Message::Suggestion(suggestion::Message::Key(key))))
        .collect()
}

pub fn finish() -> Message {
    Message::Survey(survey::Message::Suggestion(suggestion::Message::Finish))
}
