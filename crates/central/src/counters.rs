//! What counters report about tickets: called, served, missed. A ticket is named by its kiosk
//! and id; the older path that names the id alone still works while only one kiosk has it.

use chrono::{DateTime, Utc};
use rusqlite::{TransactionBehavior, params};

use super::storage::{Storage, StorageError, instant_text};
use mpp_core::protocol::CounterReport;

/// What became of a counter's report on a ticket named by its id alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CounterOutcome {
    Recorded,
    /// No kiosk has a ticket with this id.
    Unknown,
    /// Several kiosks have one: the report must name the kiosk.
    Ambiguous,
}

impl Storage {
    /// Records what a counter said about `kiosk`'s ticket; `false` when no such ticket is known.
    #[tracing::instrument(skip_all, err)]
    pub fn record_counter_report(
        &mut self,
        kiosk: &str,
        ticket_id: &str,
        report: &CounterReport,
        credential: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let path = self.path.clone();
        let fail = |error| StorageError::classify(&path, error);
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let status = report.status.as_str();
        let at = instant_text(now);
        let changed = transaction
            .execute(
                "UPDATE tickets SET counter_status = ?3, counter_name = ?4, counter_at = ?5 \
                 WHERE kiosk = ?1 AND id = ?2",
                params![kiosk, ticket_id, status, report.counter, at],
            )
            .map_err(fail)?;
        if changed == 0 {
            return Ok(false);
        }
        transaction
            .execute(
                "INSERT INTO counter_reports (kiosk, ticket_id, status, counter, credential, at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![kiosk, ticket_id, status, report.counter, credential, at],
            )
            .map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(true)
    }

    /// Records a report on the ticket `ticket_id` when exactly one kiosk has a ticket with that
    /// id (what the path without the kiosk meant before tickets were keyed by kiosk).
    #[tracing::instrument(skip_all, err)]
    pub fn record_counter_report_by_id(
        &mut self,
        ticket_id: &str,
        report: &CounterReport,
        credential: &str,
        now: DateTime<Utc>,
    ) -> Result<CounterOutcome, StorageError> {
        let kiosks = self.kiosks_with_ticket(ticket_id)?;
        match kiosks.as_slice() {
            [] => Ok(CounterOutcome::Unknown),
            [kiosk] => {
                let found =
                    self.record_counter_report(kiosk, ticket_id, report, credential, now)?;
                Ok(if found {
                    CounterOutcome::Recorded
                } else {
                    CounterOutcome::Unknown
                })
            }
            _ => Ok(CounterOutcome::Ambiguous),
        }
    }
}
