//! The survey's screens hold on every panel.

use super::*;

/// Takes a ticket through the screens, then opens the survey with its number and code (or
/// `code` instead), in the language the lobby speaks.
fn into_survey(lobby: &mut Lobby, code: Option<&str>) {
    use support::survey::{code_of, start, tickets};
    let language = lobby.kiosk.language();
    lobby.take_a_ticket();
    lobby.send(Message::Welcome(welcome::Message::SetLanguage(language)));
    let ticket = tickets(&lobby.kiosk).pop().expect("a ticket");
    let code = code.map_or_else(|| code_of(&ticket), str::to_owned);
    for message in start(&ticket.number, &code) {
        lobby.send(message);
    }
}

/// Into the survey, every question answered 4 and the facts skipped, then `suggestion` typed
/// (if any) and the survey finished.
fn finish_survey(lobby: &mut Lobby, suggestion: Option<&str>) {
    use support::survey::{answer_all, finish, skip_facts, suggest};
    into_survey(lobby, None);
    let mut messages = answer_all(4);
    messages.extend(skip_facts());
    if let Some(suggestion) = suggestion {
        messages.extend(suggest(suggestion));
    }
    messages.push(finish());
    for message in messages {
        lobby.send(message);
    }
}

fn survey_texts(lobby: &Lobby, texts: &[SurveyText]) -> Vec<String> {
    let language = lobby.kiosk.language();
    texts
        .iter()
        .map(|text| text.get(language).to_owned())
        .collect()
}

#[test]
fn the_welcome_screen_holds_with_the_survey_button() {
    holds_everywhere(
        "welcome with the survey",
        |_| {},
        |lobby| {
            let mut needed = survey_texts(lobby, &[SurveyText::StartButton]);
            needed.extend(strings(
                lobby.texts(&[Text::TouchToStart, Text::PriorityTitle]),
            ));
            needed
        },
    );
}

#[test]
fn the_survey_entry_holds_with_its_refusal() {
    holds_everywhere(
        "survey entry, wrong code",
        |lobby| into_survey(lobby, Some("ZZZZZ")),
        |lobby| {
            survey_texts(
                lobby,
                &[
                    SurveyText::Title,
                    SurveyText::NumberLabel,
                    SurveyText::CodeLabel,
                    SurveyText::WrongCode,
                ],
            )
        },
    );
}

#[test]
fn the_survey_entry_holds_with_a_scanned_ticket_of_another_kiosk() {
    use mpp_station::scanner::{Scan, ScannerFeed, ScannerStatus};
    let other = mpp_core::ticket::qr_payload(
        "https://mpp.example.go.id",
        "KIOSK-LANTAI-2",
        "0192f0c2-0000-7000-8000-000000000000",
        b"another kiosk's key",
    );
    holds_everywhere(
        "survey entry, another kiosk's ticket scanned",
        |lobby| {
            lobby.send(Message::Scanner(ScannerFeed {
                status: ScannerStatus::Connected,
                last: Some(Scan {
                    seq: 1,
                    text: other.clone(),
                }),
            }));
            assert_eq!(lobby.kiosk.screen().name(), "survey entry");
        },
        |lobby| {
            let language = lobby.kiosk.language();
            let mut needed = survey_texts(lobby, &[SurveyText::Title, SurveyText::NumberLabel]);
            needed.push(SurveyText::ScanOtherKiosk.fill(language, &[("kiosk", "KIOSK-LANTAI-2")]));
            needed
        },
    );
}

#[test]
fn the_longest_survey_questions_hold() {
    use support::survey::answer_all;
    // Product has the longest question, behaviour and complaint handling the longest answers.
    for element in [
        Element::Product,
        Element::StaffBehaviour,
        Element::Complaints,
    ] {
        let index = Element::ALL
            .iter()
            .position(|e| *e == element)
            .expect("known");
        holds_everywhere(
            &format!("survey question {}", element.code()),
            |lobby| {
                into_survey(lobby, None);
                for message in answer_all(3).into_iter().take(index) {
                    lobby.send(message);
                }
            },
            |lobby| {
                let wording = element.wording(lobby.kiosk.language());
                let mut needed: Vec<String> =
                    wording.answers.iter().map(|a| (*a).to_owned()).collect();
                needed.push(wording.question.to_owned());
                needed
            },
        );
    }
}

#[test]
fn the_survey_facts_suggestion_and_thanks_hold() {
    use mpp_core::survey::respondent::Occupation;
    use mpp_kiosk::ui::screen::survey::{Message as Survey, facts};
    use support::survey::answer_all;
    holds_everywhere(
        "survey facts, occupation",
        |lobby| {
            into_survey(lobby, None);
            for message in answer_all(4) {
                lobby.send(message);
            }
            for _ in 0..3 {
                lobby.send(Message::Survey(Survey::Facts(facts::Message::Skip)));
            }
        },
        |lobby| {
            let language = lobby.kiosk.language();
            let mut needed = survey_texts(lobby, &[SurveyText::Occupation, SurveyText::Skip]);
            needed.extend(Occupation::ALL.iter().map(|o| o.label(language).to_owned()));
            needed
        },
    );
    holds_everywhere(
        "survey suggestion, a NIK refused",
        |lobby| {
            finish_survey(
                lobby,
                Some("antrian cepat tapi nik saya 3316012304850001 salah"),
            );
        },
        |lobby| survey_texts(lobby, &[SurveyText::SuggestionNik, SurveyText::Delete]),
    );
    holds_everywhere(
        "survey thanks",
        |lobby| finish_survey(lobby, None),
        |lobby| {
            survey_texts(
                lobby,
                &[SurveyText::Thanks, SurveyText::ThanksBody, SurveyText::Home],
            )
        },
    );
}

#[test]
fn a_refused_code_moves_no_key() {
    use support::survey::{code_of, start, tickets};
    for &(width, height) in &SIZES {
        let mut lobby = Lobby::looking(MONDAY_MORNING, Language::Indonesian, false);
        lobby.take_a_ticket();
        let ticket = tickets(&lobby.kiosk).pop().expect("a ticket");
        let wrong = if code_of(&ticket) == "ZZZZZ" {
            "YYYYY"
        } else {
            "ZZZZZ"
        };
        let mut messages = start(&ticket.number, wrong);
        let submit = messages.pop().expect("the last Submit");
        for message in messages {
            lobby.send(message);
        }
        let size = Size::new(width, height);
        let before = survey(size, app::view(&lobby.kiosk));
        lobby.send(submit);
        let after = survey(size, app::view(&lobby.kiosk));
        assert!(after.shows(SurveyText::WrongCode.get(Language::Indonesian)));
        assert_eq!(
            before.targets, after.targets,
            "{width}x{height}: the keys moved when the refusal showed"
        );
    }
}
