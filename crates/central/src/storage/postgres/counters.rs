//! PostgreSQL's side of the counters' reports, checked by the same rule as SQLite's.

use crate::model::counter::{CounterOutcome, Reporter};
use crate::rules::counter::TicketRow;
use crate::storage::Counters;
use crate::storage::error::DbError;
use crate::storage::postgres::Postgres;
use crate::storage::sqlite::counters;
use chrono::DateTime;
use chrono::Utc;
use mpp_common::instant;
use mpp_core::protocol::CounterReport;

impl Counters for Postgres {
    fn record_counter_report(
        &mut self,
        mpp: &str,
        kiosk: &str,
        ticket_id: &str,
        report: &CounterReport,
        reporter: Reporter<'_>,
        now: DateTime<Utc>,
    ) -> Result<CounterOutcome, DbError> {
        let server = crate::storage::postgres::server_of(&self.url);
        self.write(mpp, |transaction| {
            let row = transaction.query_opt(
                "SELECT number, queue, business_day, status, counter_status FROM tickets \
                 WHERE kiosk = $1 AND id = $2 AND mpp = $3 FOR UPDATE",
                &[&kiosk, &ticket_id, &mpp],
            )?;
            let Some(row) = row else {
                return Ok(Ok(CounterOutcome::Unknown));
            };
            let row: TicketRow = (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
            let found = match counters::found(std::path::Path::new(&server), row) {
                Ok(found) => found,
                Err(error) => return Ok(Err(error)),
            };
            if let Some(outcome) = crate::rules::counter::verdict(found, report, reporter) {
                return Ok(Ok(outcome));
            }
            let (status, at) = (report.status.as_str(), instant::to_text(now));
            transaction.execute(
                "UPDATE tickets SET counter_status = $3, counter_name = $4, counter_at = $5 \
                 WHERE kiosk = $1 AND id = $2",
                &[&kiosk, &ticket_id, &status, &report.counter, &at],
            )?;
            transaction.execute(
                "INSERT INTO counter_reports (mpp, kiosk, ticket_id, status, counter, credential, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[&mpp, &kiosk, &ticket_id, &status, &report.counter, &reporter.credential, &at],
            )?;
            Ok(Ok(CounterOutcome::Recorded))
        })?
    }
}
