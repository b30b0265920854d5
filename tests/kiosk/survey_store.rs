//! Survey responses in the kiosk's store, on real SQLite files: one response per ticket, the
//! raw answers kept by element, the queue for the server surviving a restart, and the checks a
//! typed number and code go through (wrong code, voided, old, answered twice).

use crate::common::{instant, issue_as_k1, temp_store};
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::survey::code::survey_code;
use mpp_core::survey::eligibility::{Eligibility, check};
use mpp_core::survey::respondent::{AgeBand, Respondent, Sex};
use mpp_core::survey::suggestion::Suggestion;
use mpp_core::survey::{Answers, Element, Rating};
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_station::store::{NewResponse, Recorded, Store};

const KEY: &[u8] = b"test-signing-key-0001";
const MONDAY: &str = "2026-11-23T09:00:00+07:00";

fn issue(store: &mut Store, at: &str) -> Ticket {
    issue_as_k1(store, "DKC-KK", Lane::Regular, instant(at)).expect("issued")
}

fn response(ticket: &Ticket) -> NewResponse {
    let mut answers = Answers::uniform(Rating::new(3).expect("3"));
    answers.set(Element::Facilities, Rating::new(1).expect("1"));
    answers.set(Element::Complaints, Rating::new(4).expect("4"));
    NewResponse {
        ticket_id: ticket.id.clone(),
        answers,
        respondent: Respondent {
            age: Some(AgeBand::From30To39),
            sex: Some(Sex::Female),
            ..Respondent::default()
        },
        suggestion: Suggestion::new("Kursi tunggu kurang").expect("fine"),
        language: Language::Indonesian,
    }
}

fn decide(store: &Store, number: &str, code: &str, today: &str, window: u32) -> Eligibility {
    let candidates = store.survey_candidates(number).expect("candidates");
    check(&candidates, code, KEY, today.parse().expect("day"), window)
}

#[test]
fn a_response_is_kept_once_per_ticket_and_its_queue_survives_a_restart() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("kiosk.db");
    let (ticket, other) = {
        let mut store = Store::open(&path).expect("store");
        let ticket = issue(&mut store, MONDAY);
        let other = issue(&mut store, MONDAY);
        let saved = store
            .record_survey(&response(&ticket), instant("2026-11-23T10:00:00+07:00"))
            .expect("stored");
        assert!(matches!(saved, Recorded::Saved(_)));
        let again = store
            .record_survey(&response(&ticket), instant("2026-11-23T10:00:05+07:00"))
            .expect("second try");
        assert_eq!(again, Recorded::AlreadyAnswered, "one response per ticket");
        (ticket, other)
    };
    // The kiosk restarts: the response is still waiting, with every answer as given.
    let mut store = Store::open(&path).expect("reopened");
    let unsent = store.unsent_surveys(100).expect("unsent");
    assert_eq!(unsent.len(), 1);
    let sent = &unsent[0].response;
    assert_eq!(sent.ticket_id, ticket.id);
    assert_eq!(sent.kiosk.as_str(), "K1");
    assert_eq!(sent.answers, response(&ticket).answers);
    assert_eq!(sent.answers.get(Element::Facilities).value(), 1);
    assert_eq!(sent.respondent.sex, Some(Sex::Female));
    assert_eq!(
        sent.suggestion.as_ref().map(Suggestion::as_str),
        Some("Kursi tunggu kurang")
    );
    assert_eq!(store.survey_depth().expect("depth"), (1, 0));
    // Sent once: confirmed, it is not offered again, also after another restart.
    store
        .mark_surveys_sent(&[unsent[0].seq], instant("2026-11-23T10:01:00+07:00"))
        .expect("marked");
    drop(store);
    let mut store = Store::open(&path).expect("reopened again");
    assert!(store.unsent_surveys(100).expect("unsent").is_empty());
    assert_eq!(store.survey_depth().expect("depth"), (0, 0));
    // A refused one is kept aside with its reason and never offered again.
    store
        .record_survey(&response(&other), instant("2026-11-23T10:02:00+07:00"))
        .expect("stored");
    let seq = store.unsent_surveys(100).expect("unsent")[0].seq;
    store
        .mark_surveys_refused(&[(seq, "the ticket was voided".into())], instant(MONDAY))
        .expect("refused");
    assert!(store.unsent_surveys(100).expect("unsent").is_empty());
    assert_eq!(store.survey_depth().expect("depth"), (0, 1));
}

#[test]
fn a_typed_number_and_code_are_checked_against_the_kiosks_own_tickets() {
    let (_folder, mut store) = temp_store();
    let ticket = issue(&mut store, MONDAY);
    assert_eq!(ticket.number, "DKC-001");
    let code = survey_code("K1", &ticket.id, KEY);
    // Typed as a visitor might: small letters, no dash.
    assert!(matches!(
        decide(&store, "dkc001", &code.to_lowercase(), "2026-11-23", 1),
        Eligibility::Open(open) if open.id == ticket.id
    ));
    assert_eq!(
        decide(&store, "DKC-001", "ZZZZZ", "2026-11-23", 1),
        Eligibility::NoMatch,
        "a wrong code"
    );
    assert_eq!(
        decide(&store, "DKC-002", &code, "2026-11-23", 1),
        Eligibility::NoMatch,
        "a number never issued"
    );
    assert_eq!(
        decide(&store, "DKC-001", &code, "2026-11-24", 1),
        Eligibility::TooOld,
        "yesterday's ticket"
    );
    assert!(matches!(
        decide(&store, "DKC-001", &code, "2026-11-24", 2),
        Eligibility::Open(_)
    ));
    store
        .record_survey(&response(&ticket), instant("2026-11-23T10:00:00+07:00"))
        .expect("stored");
    assert_eq!(
        decide(&store, "DKC-001", &code, "2026-11-23", 1),
        Eligibility::Answered
    );
    // Tuesday's DKC-001 is another ticket with another code.
    let tuesday = issue(&mut store, "2026-11-24T09:00:00+07:00");
    assert_eq!(tuesday.number, "DKC-001");
    let tuesday_code = survey_code("K1", &tuesday.id, KEY);
    assert!(matches!(
        decide(&store, "DKC-001", &tuesday_code, "2026-11-24", 1),
        Eligibility::Open(open) if open.id == tuesday.id
    ));
    store
        .set_status(
            &tuesday.id,
            TicketStatus::Voided,
            Some("test"),
            instant("2026-11-24T09:05:00+07:00"),
        )
        .expect("voided");
    assert_eq!(
        decide(&store, "DKC-001", &tuesday_code, "2026-11-24", 1),
        Eligibility::Voided
    );
}
