//! What counters report about tickets: called, served, missed. A ticket is named by its kiosk
//! and id; the older path that names the id alone still works while only one kiosk has it.
//! A ticket moves only along waiting → called (→ called again) → served or no-show, on its own
//! business day and while not voided, and only for a counter serving its queue; every report
//! is kept with the credential that made it.

use crate::model::counter::{CounterOutcome, Reporter, Standing};
use crate::rules::counter::{Found, TicketRow, verdict};
use crate::storage::Counters;
use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use crate::storage::error::DbError;
use crate::storage::sqlite::Sqlite;
use mpp_common::instant;
use mpp_core::protocol::{CounterReport, CounterStatus};
use mpp_core::ticket::TicketStatus;

impl Counters for Sqlite {
    /// Records what a counter of `mpp` said about `kiosk`'s ticket (unknown when the ticket
    /// is another MPP's), if the counter serves its queue and
    /// the move is allowed from where the ticket stands; checked and written in one transaction.
    #[tracing::instrument(skip_all, err)]
    fn record_counter_report(
        &mut self,
        mpp: &str,
        kiosk: &str,
        ticket_id: &str,
        report: &CounterReport,
        reporter: Reporter<'_>,
        now: DateTime<Utc>,
    ) -> Result<CounterOutcome, DbError> {
        let path = self.path.clone();
        let fail = |error| DbError::classify(&path, error);
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
        let at = instant::to_text(now);
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
) -> Result<Found, DbError> {
    let corrupt = |detail: String| DbError::Corrupt {
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
