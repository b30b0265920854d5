//! A service's page shows everything about it without scrolling — notice, requirements,
//! procedure, product, location, fee and time — on every panel, for the services with the most
//! to say; and the idle warning moves nothing under a finger.

use super::*;
use support::audit::Layout;

/// The services with the most words in the visitor's language, and those with a notice.
fn wordiest_services(lobby: &Lobby, language: Language, count: usize) -> Vec<(String, String)> {
    let catalog = lobby.kiosk.context().catalog;
    let words = |service: &mpp_core::catalog::Service| {
        let lists = service.requirements.iter().chain(&service.procedure);
        lists.map(|item| item.get(language).len()).sum::<usize>()
            + service.name.get(language).len()
            + service
                .note
                .as_ref()
                .map_or(0, |note| note.get(language).len())
    };
    let mut services: Vec<_> = catalog.services.iter().collect();
    services.sort_by_key(|service| std::cmp::Reverse(words(service)));
    let with_notice = services.iter().filter(|service| service.note.is_some());
    (services.iter().take(count).chain(with_notice.take(count)))
        .map(|service| (service.agency.to_string(), service.code.to_string()))
        .collect()
}

/// The service's information that is not entirely within what its scrolling area shows.
fn hidden_by_scrolling(
    layout: &Layout,
    service: &mpp_core::catalog::Service,
    language: Language,
) -> Vec<String> {
    let lists = service.requirements.iter().chain(&service.procedure);
    let mut words: Vec<String> = lists.map(|item| item.get(language).to_owned()).collect();
    words.extend(
        service
            .note
            .as_ref()
            .map(|note| note.get(language).to_owned()),
    );
    words.push(service.product.get(language).to_owned());
    words.push(service.counter.get(language).to_owned());
    let visible = |bounds: iced::Rectangle| {
        layout.scrolling.iter().any(|area| {
            bounds.y >= area.y - 0.5 && bounds.y + bounds.height <= area.y + area.height + 0.5
        })
    };
    words
        .into_iter()
        .filter(|words| {
            !layout
                .texts
                .iter()
                .any(|text| text.content.contains(words.as_str()) && visible(text.bounds))
        })
        .collect()
}

#[test]
fn the_wordiest_services_show_everything_without_scrolling() {
    let mut problems = Vec::new();
    let (mut scrolled, mut checked) = (0, 0);
    for language in [Language::Indonesian, Language::English] {
        let mut lobby = Lobby::looking(MONDAY_MORNING, language, false);
        let typical = longest_priority_service(&lobby);
        let mut services = wordiest_services(&lobby, language, 4);
        services.push(typical.clone());
        for (agency, service) in services {
            lobby.send(Message::Welcome(welcome::Message::SetLanguage(language)));
            lobby.walk_to_detail(&agency, &service);
            let shown = lobby.kiosk.context().catalog.service(&service);
            for &(width, height) in panels() {
                let size = Size::new(width, height);
                let layout = survey(size, app::view(&lobby.kiosk));
                let hidden = hidden_by_scrolling(&layout, shown.expect("service"), language);
                let picture = format!("wordy-{service}-{width}x{height}-{}", language.code());
                snapshot(size, app::view(&lobby.kiosk), &picture);
                let found = format!("{service} {width}x{height} {language:?}: {hidden:?}");
                // The longest few may scroll on the smallest panels, but never silently; a
                // long title with long lists still fits whole.
                let says_so = layout.shows(Text::ScrollForMore.get(language));
                if !hidden.is_empty()
                    && (!says_so || (&agency, &service) == (&typical.0, &typical.1))
                {
                    problems.push(found);
                }
                scrolled += usize::from(says_so);
                checked += 1;
            }
            lobby.send(Message::Detail(detail::Message::Back));
        }
    }
    eprintln!("{scrolled} of {checked} pages of the wordiest services scroll");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_idle_warning_moves_nothing_under_a_finger() {
    for &(width, height) in &SIZES {
        let mut lobby = Lobby::looking(MONDAY_MORNING, Language::Indonesian, false);
        let (agency, service) = longest_priority_service(&lobby);
        lobby.walk_to_detail(&agency, &service);
        let size = Size::new(width, height);
        let before = survey(size, app::view(&lobby.kiosk));
        lobby.wait_for_countdown();
        let after = survey(size, app::view(&lobby.kiosk));
        assert!(after.shows(Text::TouchToContinue.get(Language::Indonesian)));
        for target in &before.targets {
            assert!(
                after.targets.contains(target),
                "{width}x{height}: {target:?} moved when the warning showed: {:?}",
                after.targets
            );
        }
        lobby.send(Message::Touched);
        assert!(
            lobby.kiosk.countdown().is_none(),
            "a touch answers the warning"
        );
    }
}

#[test]
fn the_question_before_a_second_number_holds() {
    holds_everywhere(
        "detail, a second number asked about",
        |lobby| {
            lobby.take_a_ticket();
            lobby.walk_to_detail("DUKCAPIL", "DKC-KK");
            lobby.send(Message::Detail(detail::Message::Take(Lane::Regular)));
        },
        |lobby| {
            let language = lobby.kiosk.language();
            let mut needed = strings(lobby.texts(&[Text::KeepMine, Text::TakeAnother]));
            needed.push(Text::JustTook.fill(language, &[("number", "DKC-001")]));
            needed
        },
    );
}

#[test]
fn on_a_portrait_screen_the_survey_button_is_as_wide_as_the_page() {
    for (width, height) in [(1080.0, 1920.0), (800.0, 1280.0)] {
        let lobby = Lobby::looking(MONDAY_MORNING, Language::Indonesian, false);
        let layout = survey(Size::new(width, height), app::view(&lobby.kiosk));
        let lowest = (layout.targets.iter())
            .max_by(|a, b| a.y.total_cmp(&b.y))
            .expect("targets");
        assert!(
            lowest.width >= 0.9 * width,
            "{width}x{height}: the survey button is {} px wide",
            lowest.width
        );
    }
}
