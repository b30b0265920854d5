//! The satisfaction survey's rules on the server (SKM, PermenPANRB 14/2017): whether a ticket
//! may be rated now, and the words for a response that may not. The voided / answered /
//! too-old rules are the core's ([`eligibility::decide`], as on the kiosk); the server adds the
//! one thing only it knows: the counter marked the ticket served.
//!
//! A response names a ticket (kiosk + ticket id) and nothing else about the visit: the
//! service, agency and counter rated are taken from the server's own record of the ticket.
//! Whether it may be stored is decided inside the write transaction that stores it
//! ([`crate::storage::surveys::decide_all`]), so a kiosk and a phone answering the same ticket
//! at the same moment give one row, and the other is told the ticket was already answered.

use chrono::NaiveDate;

use crate::model::ticket::TicketRecord;
use mpp_core::day::TimeZone;
use mpp_core::day::local_time;
use mpp_core::protocol::{Channel, CounterStatus, SurveyResponse};
use mpp_core::survey::eligibility::{self, Candidate, Eligibility};

/// What the server's clock and configuration say about rating a ticket now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SurveyRules {
    /// The business day now in the ticket's MPP.
    pub today: NaiveDate,
    /// `[survey] window_days`.
    pub window_days: u32,
    /// The MPP's time zone, for the day a kiosk's answer was given.
    pub zone: TimeZone,
}

impl SurveyRules {
    /// The rules for `response`: a phone's answer is judged today; a kiosk's on the day it was
    /// given (the kiosk keeps answers through an outage and sends them days later, and it
    /// checked the window itself when the visitor answered), never on a day after today.
    pub fn for_response(self, response: &SurveyResponse) -> Self {
        let given = match response.channel {
            Channel::Phone => None,
            Channel::Kiosk => local_time(self.zone, response.at).map(|local| local.date()),
        };
        Self {
            today: given.map_or(self.today, |day| day.min(self.today)),
            ..self
        }
    }
}

/// What became of one response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Stored now.
    Accepted,
    /// This response id is stored already, for this ticket: nothing changes.
    Duplicate,
    /// Never to be stored.
    Refused(Refusal),
    /// The server has not heard of the ticket yet: the kiosk sends it again later.
    NotYetKnown,
    /// A kiosk's answer about a ticket no counter has marked served yet, while it still may
    /// be (the visitor often rates on the way out, before the counter's "served" arrives):
    /// left out like [`Decision::NotYetKnown`], so the kiosk sends it again.
    NotYetServed,
}

/// Why a response is never stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The ticket has another response (from the kiosk or a phone).
    Answered,
    Voided,
    /// No counter has marked the ticket served (waiting, called, or not there).
    NotServed,
    /// Its business day is before the window.
    TooOld,
    /// The response names a ticket of another kiosk than the one sending it.
    OtherKiosk,
    /// The response id is stored already, for another ticket.
    IdTaken,
    /// The response does not read as one (answers missing or out of scale, a suggestion
    /// that holds a NIK, a kiosk sending a phone response…): what is wrong.
    Invalid(String),
}

impl Refusal {
    /// The reason a kiosk's technician reads (in the outcome and the kiosk's log).
    pub fn reason(&self, window_days: u32) -> String {
        match self {
            Refusal::Answered => "the ticket was already answered by another response".into(),
            Refusal::Voided => "the ticket was voided".into(),
            Refusal::NotServed => "the ticket has not been served at a counter".into(),
            Refusal::TooOld => format!(
                "the ticket is too old: the survey takes tickets of the last {window_days} \
                 business day(s) (survey.window_days)"
            ),
            Refusal::OtherKiosk => "the ticket is another kiosk's".into(),
            Refusal::IdTaken => "this response id is already used for another ticket".into(),
            Refusal::Invalid(what) => format!("the response is invalid: {what}"),
        }
    }
}

/// Whether a kiosk's answer about unserved `record` is kept waiting rather than refused: the
/// ticket is not marked a no-show and its day is still in the window by the server's clock
/// today. A phone answer is refused at once (its page says why), and so is a kiosk's once the
/// window has passed without a "served" (an MPP whose counters do not report sees these
/// refused then, with the reason, on the kiosk's sync page).
pub fn may_yet_be_served(record: &TicketRecord, channel: Channel, rules: SurveyRules) -> bool {
    let no_show = record
        .counter
        .as_ref()
        .is_some_and(|mark| mark.status == CounterStatus::NoShow);
    let candidate = Candidate {
        ticket: record.ticket.clone(),
        answered: false,
    };
    let in_window = matches!(
        eligibility::decide(&candidate, rules.today, rules.window_days),
        Eligibility::Open(_)
    );
    channel == Channel::Kiosk && !no_show && in_window
}

/// `Ok` when `record` may be rated now; `answered` says whether it has a response already.
pub fn judge(record: &TicketRecord, answered: bool, rules: SurveyRules) -> Result<(), Refusal> {
    let candidate = Candidate {
        ticket: record.ticket.clone(),
        answered,
    };
    match eligibility::decide(&candidate, rules.today, rules.window_days) {
        Eligibility::Voided => Err(Refusal::Voided),
        Eligibility::Answered => Err(Refusal::Answered),
        Eligibility::TooOld => Err(Refusal::TooOld),
        // `decide` never answers NoMatch: the ticket is the one meant.
        Eligibility::NoMatch => Err(Refusal::Invalid("no such ticket".into())),
        Eligibility::Open(_) => match &record.counter {
            Some(mark) if mark.status == CounterStatus::Served => Ok(()),
            _ => Err(Refusal::NotServed),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ticket::CounterMark;
    use mpp_core::testing::sample_ticket;
    use mpp_core::ticket::{Ticket, TicketStatus};

    fn record(day: &str, status: TicketStatus, counter: Option<CounterStatus>) -> TicketRecord {
        let business_day = day.parse().expect("day");
        TicketRecord {
            ticket: Ticket {
                id: "t1".into(),
                business_day,
                status,
                ..sample_ticket()
            },
            counter: counter.map(|status| CounterMark {
                status,
                counter: "Loket 2".into(),
                at: "2026-11-23T03:00:00Z".parse().expect("instant"),
            }),
        }
    }

    fn rules(window_days: u32) -> SurveyRules {
        SurveyRules {
            today: "2026-11-24".parse().expect("day"),
            window_days,
            zone: mpp_core::day::TimeZone::JAKARTA,
        }
    }

    #[test]
    fn only_a_served_live_unanswered_ticket_in_the_window_may_be_rated() {
        let served = Some(CounterStatus::Served);
        let printed = TicketStatus::Printed;
        let today = record("2026-11-24", printed, served);
        assert_eq!(judge(&today, false, rules(1)), Ok(()));
        assert_eq!(judge(&today, true, rules(1)), Err(Refusal::Answered));
        for counter in [
            None,
            Some(CounterStatus::Called),
            Some(CounterStatus::NoShow),
        ] {
            let unserved = record("2026-11-24", printed, counter);
            assert_eq!(judge(&unserved, false, rules(1)), Err(Refusal::NotServed));
        }
        let voided = record("2026-11-24", TicketStatus::Voided, served);
        assert_eq!(judge(&voided, false, rules(1)), Err(Refusal::Voided));
        let yesterday = record("2026-11-23", printed, served);
        assert_eq!(judge(&yesterday, false, rules(1)), Err(Refusal::TooOld));
        assert_eq!(judge(&yesterday, false, rules(2)), Ok(()));
        assert!(Refusal::TooOld.reason(2).contains("last 2 business day(s)"));
    }

    #[test]
    fn a_kiosk_answer_is_judged_on_the_day_it_was_given_a_phone_answer_today() {
        use mpp_core::protocol::{Channel, SurveyResponse};
        use mpp_core::survey::{Answers, Rating};
        let mut response = SurveyResponse {
            response_id: "r".into(),
            kiosk: "K1".into(),
            ticket_id: "t1".into(),
            channel: Channel::Kiosk,
            answers: Answers::uniform(Rating::new(4).expect("4")),
            respondent: Default::default(),
            suggestion: None,
            language: mpp_core::lang::Language::Indonesian,
            // 15:00 WIB on the 23rd: the kiosk was offline until the 24th.
            at: "2026-11-23T08:00:00Z".parse().expect("instant"),
        };
        let day = |response: &SurveyResponse| rules(1).for_response(response).today.to_string();
        assert_eq!(day(&response), "2026-11-23");
        let served_yesterday = record(
            "2026-11-23",
            TicketStatus::Printed,
            Some(CounterStatus::Served),
        );
        assert_eq!(
            judge(&served_yesterday, false, rules(1).for_response(&response)),
            Ok(())
        );
        // A kiosk clock ahead of the server's counts as today, never as a later day.
        response.at = "2026-12-30T08:00:00Z".parse().expect("instant");
        assert_eq!(day(&response), "2026-11-24");
        response.at = chrono::DateTime::<chrono::Utc>::MAX_UTC;
        assert_eq!(day(&response), "2026-11-24");
        response.channel = Channel::Phone;
        response.at = "2026-11-23T08:00:00Z".parse().expect("instant");
        assert_eq!(day(&response), "2026-11-24", "a phone answers now");
        assert_eq!(
            judge(&served_yesterday, false, rules(1).for_response(&response)),
            Err(Refusal::TooOld)
        );
    }

    #[test]
    fn a_kiosk_answer_about_an_unserved_ticket_waits_until_a_no_show_or_the_window_ends() {
        let waiting = record("2026-11-24", TicketStatus::Printed, None);
        let called = record(
            "2026-11-24",
            TicketStatus::Printed,
            Some(CounterStatus::Called),
        );
        let gone = record(
            "2026-11-24",
            TicketStatus::Printed,
            Some(CounterStatus::NoShow),
        );
        let old = record("2026-11-23", TicketStatus::Printed, None);
        assert!(may_yet_be_served(&waiting, Channel::Kiosk, rules(1)));
        assert!(may_yet_be_served(&called, Channel::Kiosk, rules(1)));
        assert!(!may_yet_be_served(&gone, Channel::Kiosk, rules(1)));
        assert!(!may_yet_be_served(&old, Channel::Kiosk, rules(1)));
        assert!(may_yet_be_served(&old, Channel::Kiosk, rules(2)));
        assert!(!may_yet_be_served(&waiting, Channel::Phone, rules(1)));
    }
}
