//! Whether a queue number a kiosk printed needs a person: printed twice in the MPP (another
//! ticket already has its day, queue, lane and sequence), or outside the kiosk's configured
//! range. The paper is real, so the ticket is stored either way; this only says what to flag.

use chrono::{DateTime, Utc};

use crate::model::numbers::{FlaggedNumber, NumberProblem};
use mpp_core::numbering::NumberRange;
use mpp_core::ticket::Ticket;

/// The problems of `ticket`, printed by `kiosk` (allowed `range`, when configured), given the
/// kiosk and id of the first other ticket with its number, if there is one.
pub fn flagged(
    kiosk: &str,
    ticket: &Ticket,
    first_with_number: Option<(String, String)>,
    range: Option<NumberRange>,
    now: DateTime<Utc>,
) -> Vec<FlaggedNumber> {
    let duplicate = first_with_number.map(|(first_kiosk, first_ticket)| NumberProblem::Duplicate {
        first_kiosk,
        first_ticket,
    });
    let out_of_range = range
        .filter(|range| !(range.first..=range.last).contains(&ticket.sequence))
        .map(NumberProblem::OutOfRange);
    duplicate
        .into_iter()
        .chain(out_of_range)
        .map(|problem| FlaggedNumber {
            kiosk: kiosk.to_owned(),
            ticket_id: ticket.id.as_str().to_owned(),
            number: ticket.number.clone(),
            business_day: ticket.business_day,
            problem,
            found_at: now,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpp_core::testing::sample_ticket;

    fn ticket(sequence: u32) -> Ticket {
        Ticket {
            id: "t1".into(),
            number: format!("DKC-{sequence:03}"),
            sequence,
            agency: "DKC".into(),
            service: "DKC-KTP".into(),
            kiosk: "K2".into(),
            issued_at: "2026-11-23T01:00:00Z".parse().expect("instant"),
            ..sample_ticket()
        }
    }

    #[test]
    fn a_number_is_flagged_when_printed_twice_or_outside_its_range_and_not_otherwise() {
        let now = "2026-11-23T01:00:05Z".parse().expect("instant");
        let allowed = NumberRange {
            first: 1,
            last: 499,
        };
        let range = Some(allowed);
        for sequence in [1, 499] {
            assert!(
                flagged("K2", &ticket(sequence), None, range, now).is_empty(),
                "{sequence}"
            );
        }
        let first = Some(("K1".to_owned(), "t0".to_owned()));
        let found = flagged("K2", &ticket(500), first, range, now);
        let problems: Vec<_> = found.iter().map(|found| found.problem.clone()).collect();
        assert_eq!(
            problems,
            [
                NumberProblem::Duplicate {
                    first_kiosk: "K1".into(),
                    first_ticket: "t0".into()
                },
                NumberProblem::OutOfRange(allowed),
            ]
        );
        assert!(
            found
                .iter()
                .all(|found| found.number == "DKC-500" && found.kiosk == "K2")
        );
        assert!(
            flagged("K2", &ticket(900), None, None, now).is_empty(),
            "no range configured"
        );
    }
}
