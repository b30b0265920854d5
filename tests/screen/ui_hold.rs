//! A kiosk that runs but cannot give numbers (its day in doubt: the clock two weeks behind the
//! server's) says so on its first screen, in both languages with a hint for staff, starts no
//! visit on a touch, still offers the survey, shows every service as not giving numbers, and
//! the technician's menu opens on the page that fixes it.

use chrono::TimeDelta;
use iced::Point;

use crate::common::instant;
use crate::support::menu_rig::{MONDAY_MORNING, Rig, SCREEN};
use mpp_core::day_check::ServerSample;
use mpp_core::issue_hold::IssueHold;
use mpp_core::lang::Language;
use mpp_core::strings::Text;
use mpp_core::survey::text::Text as SurveyText;
use mpp_kiosk::ui::app::Message;
use mpp_kiosk::ui::screen::{Screen, agencies, detail, maintenance as menu, services, welcome};
use mpp_station::store::Store;

/// A kiosk whose server said, a moment ago, that it is two weeks later than the kiosk thinks.
fn kiosk_two_weeks_behind() -> Rig {
    let rig = Rig::new();
    let now = instant(MONDAY_MORNING);
    let sample = ServerSample {
        server_at: now + TimeDelta::days(14),
        local_at: now,
    };
    let mut store = Store::open(&rig.database).expect("store");
    store.note_server_clock(sample).expect("noted");
    drop(store);
    Rig::reopen(rig.folder, MONDAY_MORNING, TimeDelta::seconds(5))
}

#[test]
fn a_kiosk_that_cannot_give_numbers_says_so_first_and_opens_its_menu_where_it_is_fixed() {
    let mut rig = kiosk_two_weeks_behind();
    assert_eq!(rig.kiosk.issue_hold(), Some(IssueHold::DayInDoubt));
    // Both languages, who to ask, and the staff's hint; the survey is still there.
    for words in [
        Text::CannotIssueTitle.get(Language::Indonesian),
        Text::CannotIssueTitle.get(Language::English),
        Text::CannotIssueAsk.get(Language::Indonesian),
        Text::HoldDayInDoubt.get(Language::Indonesian),
        SurveyText::StartButton.get(Language::Indonesian),
    ] {
        assert!(rig.says(words), "{words:?} not in {:?}", rig.texts());
    }
    assert!(!rig.says(Text::TouchToStart.get(Language::Indonesian)));
    // A touch in the middle starts nothing.
    let middle = Point::new(SCREEN.0 / 2.0, SCREEN.1 / 2.0);
    let heard = rig.messages_of_touch(middle);
    assert!(!starts(&heard), "{heard:?}");
    // A visitor already browsing when it happened reads it on the service, and cannot take one.
    rig.send(Message::Welcome(welcome::Message::Start));
    rig.send(Message::Agencies(agencies::Message::Open(
        "DUKCAPIL".into(),
    )));
    rig.send(Message::Services(services::Message::Open("DKC-KK".into())));
    assert!(rig.says(Text::CannotIssueShort.get(Language::Indonesian)));
    let mut ui = rig.simulator();
    let button = ui
        .find(Text::TakeNumber.get(Language::Indonesian))
        .expect("the button");
    let centre = iced_test::selector::Bounded::visible_bounds(&button).expect("visible");
    let heard = crate::support::finger_tap_at(ui, centre.center());
    assert!(
        heard.is_empty(),
        "a disabled button takes no number: {heard:?}"
    );
    // The technician's menu opens on Recovery, where the day is put right.
    go_home(&mut rig);
    rig.open_menu();
    let Screen::Maintenance(state) = rig.kiosk.screen() else {
        panic!("not the menu");
    };
    assert_eq!(state.page(), menu::Page::Recovery);
}

#[test]
fn a_kiosk_that_can_give_numbers_starts_on_a_touch_and_opens_its_menu_on_the_printer() {
    let mut rig = Rig::new();
    assert_eq!(rig.kiosk.issue_hold(), None);
    assert!(rig.says(Text::TouchToStart.get(Language::Indonesian)));
    assert!(!rig.says(Text::CannotIssueTitle.get(Language::Indonesian)));
    let middle = Point::new(SCREEN.0 / 2.0, SCREEN.1 / 2.0);
    assert!(starts(&rig.messages_of_touch(middle)));
    rig.open_menu();
    let Screen::Maintenance(state) = rig.kiosk.screen() else {
        panic!("not the menu");
    };
    assert_eq!(state.page(), menu::Page::Printer);
}

fn starts(messages: &[Message]) -> bool {
    (messages.iter()).any(|message| matches!(message, Message::Welcome(welcome::Message::Start)))
}

/// Back to the welcome screen, as the idle timer would.
fn go_home(rig: &mut Rig) {
    while rig.screen() != "welcome" {
        rig.send(Message::Detail(detail::Message::Back));
        rig.send(Message::Services(services::Message::Back));
        rig.send(Message::Agencies(agencies::Message::Back));
    }
}
