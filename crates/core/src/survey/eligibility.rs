//! Whether a ticket may be rated: the number and code a visitor typed, checked against the
//! kiosk's own tickets with that number. One response per ticket, only for tickets of the last
//! `window_days` days, never for a voided one.

use chrono::{Days, NaiveDate};

use super::code;
use crate::ticket::{Ticket, TicketStatus};

/// A ticket the number was found on, and whether it already has a response.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub ticket: Ticket,
    pub answered: bool,
}

/// What the kiosk says to a number and code.
#[derive(Clone, Debug, PartialEq)]
pub enum Eligibility {
    /// The survey may start for this ticket.
    Open(Box<Ticket>),
    /// No ticket of this kiosk has this number and code: the visitor sees the same words
    /// whichever of the two was wrong, so a guess learns nothing.
    NoMatch,
    Voided,
    /// Issued before the window: the visit is too long ago.
    TooOld,
    Answered,
}

/// A ticket number as typed: upper case, without spaces and dashes (`dkc 014` is `DKC014`).
pub fn normalise_number(typed: &str) -> String {
    code::normalise(typed)
}

/// The decision for `typed_code` among `candidates` (this kiosk's tickets whose number reads
/// as the typed one, on any day). The latest ticket the code is right for is the one meant.
pub fn check(
    candidates: &[Candidate],
    typed_code: &str,
    key: &[u8],
    today: NaiveDate,
    window_days: u32,
) -> Eligibility {
    let found = candidates
        .iter()
        .filter(|candidate| {
            code::matches(
                typed_code,
                &candidate.ticket.kiosk,
                &candidate.ticket.id,
                key,
            )
        })
        .max_by_key(|candidate| candidate.ticket.issued_at);
    match found {
        Some(candidate) => decide(candidate, today, window_days),
        None => Eligibility::NoMatch,
    }
}

/// The decision for a ticket already known to be the one meant (the kiosk found it by its
/// code; the server by its signed link or its id): voided, answered, too old or open.
pub fn decide(candidate: &Candidate, today: NaiveDate, window_days: u32) -> Eligibility {
    let earliest = today
        .checked_sub_days(Days::new(u64::from(window_days.max(1) - 1)))
        .unwrap_or(NaiveDate::MIN);
    if candidate.ticket.status == TicketStatus::Voided {
        Eligibility::Voided
    } else if candidate.answered {
        Eligibility::Answered
    } else if candidate.ticket.business_day < earliest {
        Eligibility::TooOld
    } else {
        Eligibility::Open(Box::new(candidate.ticket.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::code::survey_code;
    use crate::testing::sample_ticket;

    const KEY: &[u8] = b"kiosk-01 secret";

    fn ticket(id: &str, day: &str, status: TicketStatus) -> Ticket {
        let business_day: NaiveDate = day.parse().expect("day");
        Ticket {
            id: id.into(),
            number: "DKC-014".into(),
            sequence: 14,
            business_day,
            issued_at: business_day.and_hms_opt(2, 0, 0).expect("time").and_utc(),
            status,
            ..sample_ticket()
        }
    }

    fn candidate(id: &str, day: &str, status: TicketStatus, answered: bool) -> Candidate {
        Candidate {
            ticket: ticket(id, day, status),
            answered,
        }
    }

    fn today() -> NaiveDate {
        "2026-11-23".parse().expect("day")
    }

    #[test]
    fn the_right_code_opens_the_survey_and_a_wrong_one_says_only_no_match() {
        let candidates = [candidate("t1", "2026-11-23", TicketStatus::Printed, false)];
        let code = survey_code("K1", "t1", KEY);
        assert!(matches!(
            check(&candidates, &code.to_lowercase(), KEY, today(), 1),
            Eligibility::Open(ticket) if ticket.id == "t1"
        ));
        assert_eq!(
            check(&candidates, "ABCDE", KEY, today(), 1),
            Eligibility::NoMatch
        );
        assert_eq!(check(&[], &code, KEY, today(), 1), Eligibility::NoMatch);
        assert_eq!(
            check(&candidates, &code, b"another key", today(), 1),
            Eligibility::NoMatch
        );
    }

    #[test]
    fn voided_answered_and_old_tickets_are_told_apart() {
        let code = |id| survey_code("K1", id, KEY);
        let voided = [candidate("t1", "2026-11-23", TicketStatus::Voided, false)];
        assert_eq!(
            check(&voided, &code("t1"), KEY, today(), 1),
            Eligibility::Voided
        );
        let answered = [candidate("t1", "2026-11-23", TicketStatus::Printed, true)];
        assert_eq!(
            check(&answered, &code("t1"), KEY, today(), 1),
            Eligibility::Answered
        );
        let yesterday = [candidate("t1", "2026-11-22", TicketStatus::Printed, false)];
        assert_eq!(
            check(&yesterday, &code("t1"), KEY, today(), 1),
            Eligibility::TooOld
        );
        assert!(matches!(
            check(&yesterday, &code("t1"), KEY, today(), 2),
            Eligibility::Open(_)
        ));
        let week = [candidate("t1", "2026-11-16", TicketStatus::Printed, false)];
        assert_eq!(
            check(&week, &code("t1"), KEY, today(), 7),
            Eligibility::TooOld
        );
    }

    #[test]
    fn the_same_number_on_two_days_is_told_apart_by_its_code() {
        let candidates = [
            candidate("old", "2026-11-20", TicketStatus::Printed, true),
            candidate("new", "2026-11-23", TicketStatus::Printed, false),
        ];
        let new = survey_code("K1", "new", KEY);
        assert!(matches!(
            check(&candidates, &new, KEY, today(), 1),
            Eligibility::Open(ticket) if ticket.id == "new"
        ));
        let old = survey_code("K1", "old", KEY);
        assert_eq!(
            check(&candidates, &old, KEY, today(), 1),
            Eligibility::Answered
        );
        assert_eq!(normalise_number(" dkc-014 "), "DKC014");
    }
}
