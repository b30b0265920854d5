//! What counters report about tickets, as both backends write it: a ticket is named by its
//! kiosk and id (the older path that names the id alone works while one kiosk has it); it moves
//! only as [`crate::rules::counter::verdict`] allows, judged here once inside the transaction
//! that writes it, and every report is kept with the credential that made it. The backends
//! answer [`CounterTransaction`] in their own SQL.

use chrono::{DateTime, Utc};

use crate::model::calls::CallKind;
use crate::model::counter::{CounterOutcome, Reporter, Standing};
use crate::rules::counter::{Found, TicketRow, verdict};
use crate::storage::call_log::{self, NewCall};
use crate::storage::error::{Corrupt, DbError};
use crate::storage::rollups::Tracked;
use crate::storage::shared::TextStatements;
use mpp_common::instant;
use mpp_core::protocol::{CounterReport, CounterStatus};
use mpp_core::ticket::TicketStatus;

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them `$N`).
pub(crate) mod sql {
    /// The ticket a report is about, as [`crate::rules::counter::TicketRow`]: kiosk `?1`, id
    /// `?2`, MPP `?3`.
    pub fn standing() -> String {
        format!(
            "SELECT number, {}, business_day, status, counter_status \
             FROM tickets WHERE kiosk = ?1 AND id = ?2 AND mpp = ?3",
            crate::storage::shared::QUEUE_NOW
        )
    }
    /// Marks the ticket with what the counter said: status `?3`, counter `?4`, at `?5`.
    pub const MARK: &str = "UPDATE tickets SET counter_status = ?3, counter_name = ?4, \
        counter_at = ?5 WHERE kiosk = ?1 AND id = ?2";
    /// Keeps the report: as [`MARK`], then the credential `?6` and the MPP `?7`.
    pub const KEEP: &str = "INSERT INTO counter_reports \
        (kiosk, ticket_id, status, counter, at, credential, mpp) \
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
}

/// A counter's report on `kiosk`'s ticket `ticket_id` of `mpp`, made `now`.
pub struct Report<'a> {
    pub mpp: &'a str,
    pub kiosk: &'a str,
    pub ticket_id: &'a str,
    pub report: &'a CounterReport,
    pub reporter: Reporter<'a>,
    pub now: DateTime<Utc>,
}

/// A report as [`sql::MARK`] and [`sql::KEEP`] write it.
pub struct Mark<'a> {
    pub mpp: &'a str,
    pub kiosk: &'a str,
    pub id: &'a str,
    pub status: &'static str,
    pub counter: &'a str,
    pub credential: &'a str,
    pub at: String,
}

/// What [`record`] needs of a backend's write transaction.
pub trait CounterTransaction: Corrupt + TextStatements {
    /// The reported ticket's row by [`sql::standing`], kept from changing until the
    /// transaction ends; `None` when the MPP has no such ticket.
    fn standing(&mut self, report: &Report<'_>) -> Result<Option<TicketRow>, DbError>;
    /// Runs [`sql::MARK`] (with the first five of [`sql::KEEP`]'s values) and [`sql::KEEP`].
    fn mark_and_keep(&mut self, mark: &Mark<'_>) -> Result<(), DbError>;
}

/// Records `report` if the counter serves the ticket's queue and the move is allowed from where
/// the ticket stands; otherwise says why not, writing nothing.
pub(crate) fn record(
    transaction: &mut dyn CounterTransaction,
    report: &Report<'_>,
) -> Result<CounterOutcome, DbError> {
    let Some(row) = transaction.standing(report)? else {
        return Ok(CounterOutcome::Unknown);
    };
    let found = found(row, &|detail| transaction.corrupt(detail))?;
    let (number, before) = (found.number.clone(), found.standing.counter);
    if let Some(outcome) = verdict(found, report.report, report.reporter) {
        return Ok(outcome);
    }
    let tracked = Tracked::before(transaction, report.kiosk, report.ticket_id)?;
    transaction.mark_and_keep(&Mark {
        mpp: report.mpp,
        kiosk: report.kiosk,
        id: report.ticket_id,
        status: report.report.status.as_str(),
        counter: &report.report.counter,
        credential: report.reporter.credential,
        at: instant::to_text(report.now),
    })?;
    if report.report.status == CounterStatus::Called {
        let kind = match before {
            Some(CounterStatus::Called) => CallKind::Recall,
            _ => CallKind::Call,
        };
        call_log::append(
            transaction,
            &NewCall {
                mpp: report.mpp,
                kiosk: report.kiosk,
                ticket: report.ticket_id,
                number: &number,
                point: &report.report.counter,
                zone: report.reporter.zone,
                kind,
                at: report.now,
                reason: "",
                account: report.reporter.credential,
            },
        )?;
    }
    tracked.settle(transaction)?;
    Ok(CounterOutcome::Recorded)
}

/// The ticket's row as the checks need it.
fn found(
    (number, queue, day, status, counter): TicketRow,
    corrupt: &dyn Fn(String) -> DbError,
) -> Result<Found, DbError> {
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
