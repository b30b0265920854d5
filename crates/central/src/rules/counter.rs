//! The counters' rules: a ticket moves only along waiting → called (→ called again) → served
//! or no-show, on its own business day, in a queue the counter serves.

use chrono::NaiveDate;
use mpp_core::protocol::{CounterReport, CounterStatus};

use crate::model::counter::{CounterOutcome, Reporter, Standing};

/// Why `to` cannot follow where the ticket `number` stands on `today`, in words for the counter.
pub fn refusal(
    number: &str,
    standing: Standing,
    to: CounterStatus,
    today: NaiveDate,
) -> Option<String> {
    use CounterStatus::{Called, NoShow, Served};
    if standing.voided {
        return Some(format!(
            "ticket {number} was voided at the kiosk: it cannot be called or served"
        ));
    }
    if standing.business_day != today {
        return Some(format!(
            "ticket {number} is for {}, not today ({today}): counters handle only today's tickets",
            standing.business_day
        ));
    }
    match (standing.counter, to) {
        (None, Called) | (Some(Called), Called | Served | NoShow) => None,
        (None, Served | NoShow) => Some(format!(
            "ticket {number} is still waiting: call it before marking it {}",
            to.as_str()
        )),
        (Some(done @ (Served | NoShow)), _) => Some(format!(
            "ticket {number} is already {}: nothing follows",
            done.as_str()
        )),
    }
}

/// What a report on the ticket `found` comes to before anything is written; `None` when it
/// may be recorded.
pub(crate) fn verdict(
    found: Found,
    report: &CounterReport,
    reporter: Reporter<'_>,
) -> Option<CounterOutcome> {
    if !reporter.queues.contains(&found.queue) {
        return Some(CounterOutcome::OtherQueue(found.queue));
    }
    refusal(&found.number, found.standing, report.status, reporter.today)
        .map(CounterOutcome::Refused)
}

/// The row a report is checked against.
pub(crate) struct Found {
    pub number: String,
    pub queue: String,
    pub standing: Standing,
}

/// A ticket's number, queue, business day, status and counter status, as both backends read it.
pub(crate) type TicketRow = (String, String, String, String, Option<String>);

/// A second "next" from the same point within this long is the same press (a double click, a
/// retried request): it answers with the ticket already called instead of calling another.
pub const SAME_PRESS: chrono::TimeDelta = chrono::TimeDelta::seconds(3);

/// A ticket waiting for its first call, as "next" weighs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub kiosk: String,
    pub id: String,
    pub priority: bool,
    /// As stored: fixed-width UTC text, whose order is the time's order.
    pub issued_at: String,
}

/// Who "next" calls among the first waiting ticket of each of the point's queues: the
/// priority lane first, then the earliest issued; at the same instant, kiosk and id decide, so
/// every server and every retry picks the same ticket.
pub fn first_to_call(candidates: impl IntoIterator<Item = Waiting>) -> Option<Waiting> {
    candidates.into_iter().min_by(|a, b| {
        (!a.priority, &a.issued_at, &a.kiosk, &a.id).cmp(&(
            !b.priority,
            &b.issued_at,
            &b.kiosk,
            &b.id,
        ))
    })
}

/// Why a ticket is called out of turn, by its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutOfTurn {
    /// The visitor came back after being marked a no-show (or missed their call).
    Returned,
    /// The visitor has an appointment at this time.
    Appointment,
    /// A need the priority lane did not catch (elderly, pregnant, disabled).
    SpecialNeed,
    /// The order was wrong (a ticket still in a kiosk's outbox, a mistake).
    Correction,
}

impl OutOfTurn {
    pub const ALL: [OutOfTurn; 4] = [
        OutOfTurn::Returned,
        OutOfTurn::Appointment,
        OutOfTurn::SpecialNeed,
        OutOfTurn::Correction,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OutOfTurn::Returned => "returned",
            OutOfTurn::Appointment => "appointment",
            OutOfTurn::SpecialNeed => "special_need",
            OutOfTurn::Correction => "correction",
        }
    }

    pub fn from_code(code: &str) -> Option<OutOfTurn> {
        OutOfTurn::ALL
            .into_iter()
            .find(|reason| reason.code() == code)
    }

    /// In Indonesian and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            OutOfTurn::Returned => (
                "Kembali setelah terlewat",
                "Came back after missing the call",
            ),
            OutOfTurn::Appointment => ("Janji temu", "Appointment"),
            OutOfTurn::SpecialNeed => ("Kebutuhan khusus", "Special need"),
            OutOfTurn::Correction => ("Koreksi urutan", "Order correction"),
        }
    }
}

/// Why a clerk pauses their point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pause {
    Break,
    Prayer,
    OtherDuty,
    SystemFault,
    ClosedForTheDay,
}

impl Pause {
    pub const ALL: [Pause; 5] = [
        Pause::Break,
        Pause::Prayer,
        Pause::OtherDuty,
        Pause::SystemFault,
        Pause::ClosedForTheDay,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Pause::Break => "break",
            Pause::Prayer => "prayer",
            Pause::OtherDuty => "other_duty",
            Pause::SystemFault => "system_fault",
            Pause::ClosedForTheDay => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Pause> {
        Pause::ALL.into_iter().find(|pause| pause.code() == code)
    }

    /// In Indonesian and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Pause::Break => ("Istirahat", "Break"),
            Pause::Prayer => ("Ibadah", "Prayer"),
            Pause::OtherDuty => ("Tugas lain", "Other duty"),
            Pause::SystemFault => ("Gangguan sistem", "System fault"),
            Pause::ClosedForTheDay => ("Tutup untuk hari ini", "Closed for the day"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CounterStatus::{Called, NoShow, Served};

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    fn standing(counter: Option<CounterStatus>) -> Standing {
        Standing {
            counter,
            voided: false,
            business_day: day("2026-11-23"),
        }
    }

    #[test]
    fn tickets_move_only_forward_from_waiting_through_called() {
        let today = day("2026-11-23");
        let allowed = [
            (None, Called),
            (Some(Called), Called),
            (Some(Called), Served),
            (Some(Called), NoShow),
        ];
        let every = [None, Some(Called), Some(Served), Some(NoShow)];
        for from in every {
            for to in [Called, Served, NoShow] {
                let refused = refusal("DKC-001", standing(from), to, today);
                assert_eq!(
                    refused.is_none(),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}: {refused:?}"
                );
            }
        }
        let waiting = refusal("DKC-001", standing(None), Served, today).expect("refused");
        assert!(waiting.contains("still waiting"), "{waiting}");
        let done = refusal("DKC-001", standing(Some(Served)), Called, today).expect("refused");
        assert!(done.contains("already served"), "{done}");
    }

    #[test]
    fn voided_tickets_and_other_days_are_refused_whatever_the_move() {
        let today = day("2026-11-23");
        let voided = Standing {
            voided: true,
            ..standing(None)
        };
        let yesterday = Standing {
            business_day: day("2026-11-22"),
            ..standing(Some(Called))
        };
        for to in [Called, Served, NoShow] {
            let reason = refusal("DKC-001", voided, to, today).expect("refused");
            assert!(reason.contains("voided"), "{reason}");
            let reason = refusal("DKC-001", yesterday, to, today).expect("refused");
            assert!(
                reason.contains("2026-11-22") && reason.contains("today"),
                "{reason}"
            );
        }
    }

    fn waiting(id: &str, priority: bool, issued_at: &str) -> Waiting {
        Waiting {
            kiosk: "K1".into(),
            id: id.into(),
            priority,
            issued_at: issued_at.into(),
        }
    }

    #[test]
    fn next_calls_the_priority_lane_first_then_the_earliest() {
        let early = waiting("a", false, "2026-11-23T01:00:00.000000Z");
        let later_priority = waiting("b", true, "2026-11-23T02:00:00.000000Z");
        let later = waiting("c", false, "2026-11-23T03:00:00.000000Z");
        let all = [later.clone(), early.clone(), later_priority.clone()];
        assert_eq!(first_to_call(all), Some(later_priority));
        assert_eq!(first_to_call([later, early.clone()]), Some(early));
        assert_eq!(first_to_call([]), None);
    }

    #[test]
    fn pauses_read_back_from_their_codes() {
        for pause in Pause::ALL {
            assert_eq!(Pause::from_code(pause.code()), Some(pause));
        }
        assert_eq!(Pause::from_code(""), None, "'' is open");
    }

    #[test]
    fn out_of_turn_reasons_read_back_from_their_codes() {
        for reason in OutOfTurn::ALL {
            assert_eq!(OutOfTurn::from_code(reason.code()), Some(reason));
            let (indonesian, english) = reason.label();
            assert_ne!(indonesian, english);
        }
        assert_eq!(OutOfTurn::from_code("bribe"), None);
    }

    #[test]
    fn at_the_same_instant_kiosk_and_id_decide() {
        let at = "2026-11-23T01:00:00.000000Z";
        let mut other_kiosk = waiting("a", false, at);
        other_kiosk.kiosk = "K2".into();
        let first = waiting("b", false, at);
        assert_eq!(
            first_to_call([other_kiosk.clone(), first.clone()]),
            Some(first.clone())
        );
        assert_eq!(first_to_call([first.clone(), other_kiosk]), Some(first));
    }
}
