//! What counters report about tickets: called, served, missed. A ticket is named by its kiosk
//! and id; the older path that names the id alone still works while only one kiosk has it.
//! A ticket moves only along waiting → called (→ called again) → served or no-show, on its own
//! business day and while not voided, and only for a counter serving its queue; every report
//! is kept with the credential that made it.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::storage::{Storage, StorageError, instant_text};
use mpp_core::protocol::{CounterReport, CounterStatus};
use mpp_core::ticket::TicketStatus;

/// What became of a counter's report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CounterOutcome {
    Recorded,
    /// No such ticket (for the path without the kiosk: no kiosk has one with this id).
    Unknown,
    /// Several kiosks have a ticket with this id: the report must name the kiosk.
    Ambiguous,
    /// The ticket is in a queue this counter does not serve (named).
    OtherQueue(String),
    /// The move is not allowed from where the ticket stands; the reason.
    Refused(String),
}

/// Who reports, and what it may touch: the credential's name and queues, and today.
#[derive(Clone, Copy, Debug)]
pub struct Reporter<'a> {
    pub credential: &'a str,
    pub queues: &'a [String],
    pub today: NaiveDate,
}

/// Where a ticket stands, as far as counters are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub counter: Option<CounterStatus>,
    pub voided: bool,
    pub business_day: NaiveDate,
}

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

/// The row a report is checked against.
pub(crate) struct Found {
    number: String,
    queue: String,
    standing: Standing,
}

/// A ticket's number, queue, business day, status and counter status, as both backends read it.
pub(crate) type TicketRow = (String, String, String, String, Option<String>);

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

impl Storage {
    /// Records what a counter of `mpp` said about `kiosk`'s ticket (unknown when the ticket
    /// is another MPP's), if the counter serves its queue and
    /// the move is allowed from where the ticket stands; checked and written in one transaction.
    #[tracing::instrument(skip_all, err)]
    pub fn record_counter_report(
        &mut self,
        mpp: &str,
        kiosk: &str,
        ticket_id: &str,
        report: &CounterReport,
        reporter: Reporter<'_>,
        now: DateTime<Utc>,
    ) -> Result<CounterOutcome, StorageError> {
        let path = self.path.clone();
        let fail = |error| StorageError::classify(&path, error);
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let row = transaction
            .query_row(
                "SELECT number, queue, business_day, status, counter_status FROM tickets \
                 WHERE kiosk = ?1 AND id = ?2 AND mpp = ?3",
                params![kiosk, ticket_id, mpp],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, Option<String>>(4)?,
                    ))
                },
            )
            .optional()
            .map_err(fail)?;
        let Some(row) = row else {
            return Ok(CounterOutcome::Unknown);
        };
        if let Some(outcome) = verdict(found(&path, row)?, report, reporter) {
            return Ok(outcome);
        }
        let status = report.status.as_str();
        let at = instant_text(now);
        transaction
            .execute(
                "UPDATE tickets SET counter_status = ?3, counter_name = ?4, counter_at = ?5 \
                 WHERE kiosk = ?1 AND id = ?2",
                params![kiosk, ticket_id, status, report.counter, at],
            )
            .map_err(fail)?;
        transaction
            .execute(
                "INSERT INTO counter_reports \
                 (kiosk, ticket_id, status, counter, credential, at, mpp) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    kiosk,
                    ticket_id,
                    status,
                    report.counter,
                    reporter.credential,
                    at,
                    mpp
                ],
            )
            .map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(CounterOutcome::Recorded)
    }
}

/// The ticket's row as the checks need it.
pub(crate) fn found(
    path: &Path,
    (number, queue, day, status, counter): TicketRow,
) -> Result<Found, StorageError> {
    let corrupt = |detail: String| StorageError::Corrupt {
        path: path.to_owned(),
        detail,
    };
    let business_day = day
        .parse()
        .map_err(|_| corrupt(format!("business day {day:?}")))?;
    let counter = match counter {
        None => None,
        Some(text) => Some(
            CounterStatus::parse(&text)
                .ok_or_else(|| corrupt(format!("counter status {text:?}")))?,
        ),
    };
    Ok(Found {
        number,
        queue,
        standing: Standing {
            counter,
            voided: status == TicketStatus::Voided.as_str(),
            business_day,
        },
    })
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
}
