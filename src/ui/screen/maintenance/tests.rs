//! The menu's decisions, without a screen.
use super::*;

#[test]
fn a_request_is_carried_once_and_its_outcome_shown() {
    let mut menu = State::new(Facts::default());
    assert!(matches!(
        menu.update(Message::Ask(Request::PrintTestPage)),
        Action::Carry(Request::PrintTestPage)
    ));
    assert!(
        matches!(
            menu.update(Message::Ask(Request::PaperLoaded)),
            Action::None
        ),
        "one at a time"
    );
    menu.update(Message::Finished(
        Request::PrintTestPage,
        Err(BackendError::Maintenance("not printed: paper_out".into())),
    ));
    assert_eq!(menu.progress(), &Progress::Failed(Request::PrintTestPage));
    menu.update(Message::Show(Page::Kiosk));
    assert_eq!(menu.page(), Page::Kiosk);
    assert_eq!(menu.progress(), &Progress::Idle);
    assert!(matches!(menu.update(Message::Close), Action::Close));
}

#[test]
fn cleaning_ignores_every_touch_for_thirty_seconds() {
    let mut menu = State::new(Facts::default());
    let start = Instant::now();
    menu.update(Message::Tick(start));
    assert!(matches!(
        menu.update(Message::Ask(Request::CleanScreen)),
        Action::Carry(Request::CleanScreen)
    ));
    menu.update(Message::Finished(Request::CleanScreen, Ok("done".into())));
    assert!(menu.is_cleaning());
    assert!(
        matches!(menu.update(Message::Close), Action::None),
        "ignored"
    );
    menu.update(Message::Tick(start + CLEANING - Duration::from_secs(1)));
    assert!(matches!(
        menu.update(Message::Show(Page::Kiosk)),
        Action::None
    ));
    assert_eq!(menu.page(), Page::Printer);
    menu.update(Message::Tick(start + CLEANING + Duration::from_secs(1)));
    assert!(!menu.is_cleaning());
    assert!(matches!(menu.update(Message::Close), Action::Close));
}

#[test]
fn the_first_number_is_typed_and_sent_whole() {
    let mut menu = State::new(Facts::default());
    assert!(matches!(
        menu.update(Message::Show(Page::Recovery)),
        Action::ReadVerdict
    ));
    for digit in [0, 4, 2, 7, 9] {
        menu.update(Message::FirstDigit(digit));
    }
    assert_eq!(menu.first, "0427", "four digits at most");
    menu.update(Message::FirstDeleted);
    assert!(matches!(
        menu.update(Message::Ask(Request::StartAt(42))),
        Action::Carry(Request::StartAt(42))
    ));
    let done = menu.update(Message::Finished(Request::StartAt(42), Ok("done".into())));
    assert!(matches!(done, Action::ReadVerdict));
    assert!(menu.first.is_empty());
}
