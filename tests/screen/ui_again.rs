//! One person, one number: a second number of the same service within a few minutes of the
//! first is asked about before it is given ("Nomor DKC-001 untuk layanan ini baru saja
//! diambil …"), and given only when the visitor says so; another service, or later, is not.

use std::time::Duration;

use iced::time::Instant;

use crate::support;
use crate::support::lobby::{Lobby, MONDAY_MORNING};
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::strings::Text;
use mpp_kiosk::ui::app::{self, Message};
use mpp_kiosk::ui::screen::{Screen, detail, done};

fn numbers(lobby: &Lobby) -> Vec<String> {
    support::survey::tickets(&lobby.kiosk)
        .into_iter()
        .map(|ticket| ticket.number)
        .collect()
}

fn asking(lobby: &Lobby) -> Option<String> {
    match lobby.screen() {
        Screen::Detail(state) => state.again.as_ref().map(|again| again.taken.clone()),
        _ => None,
    }
}

fn take(lobby: &mut Lobby, service: &str, lane: Lane) {
    lobby.walk_to_detail("DUKCAPIL", service);
    lobby.send(Message::Detail(detail::Message::Take(lane)));
}

#[test]
fn a_second_number_of_the_same_service_soon_after_is_asked_about_first() {
    let mut lobby = Lobby::at(MONDAY_MORNING);
    take(&mut lobby, "DKC-KK", Lane::Regular);
    lobby.send(Message::Done(done::Message::Finish));
    assert_eq!(numbers(&lobby), ["DKC-001"]);

    // The same service again, even in the priority lane: asked, and "no" gives nothing.
    take(&mut lobby, "DKC-KK", Lane::Priority);
    assert_eq!(asking(&lobby).as_deref(), Some("DKC-001"));
    let said = Text::JustTook.fill(Language::Indonesian, &[("number", "DKC-001")]);
    let layout = support::audit::survey(iced::Size::new(1280.0, 800.0), app::view(&lobby.kiosk));
    assert!(layout.shows(&said), "{:?}", layout.contents());
    lobby.send(Message::Detail(detail::Message::KeepMine));
    assert_eq!(asking(&lobby), None);
    assert_eq!(lobby.screen().name(), "detail");
    assert_eq!(numbers(&lobby), ["DKC-001"]);

    // Asked again; "yes" gives one, in the lane first asked for.
    lobby.send(Message::Detail(detail::Message::Take(Lane::Priority)));
    lobby.send(Message::Detail(detail::Message::TakeAgain));
    assert_eq!(lobby.screen().name(), "done");
    assert_eq!(numbers(&lobby), ["DKC-001", "DKC-P001"]);
    lobby.send(Message::Done(done::Message::Finish));

    // Another service is another errand: not asked.
    take(&mut lobby, "KTP-PRINT", Lane::Regular);
    assert_eq!(lobby.screen().name(), "done", "{:?}", asking(&lobby));
    lobby.send(Message::Done(done::Message::Finish));

    // Three minutes later the same service is not asked about either.
    lobby.send(Message::Tick(
        Instant::now() + Duration::from_secs(3 * 60 + 1),
    ));
    take(&mut lobby, "DKC-KK", Lane::Regular);
    assert_eq!(lobby.screen().name(), "done", "{:?}", asking(&lobby));
    assert_eq!(numbers(&lobby).len(), 4);
}
