//! The kiosk's four outboxes (ticket events, survey responses, closure changes, audit entries)
//! mark a row sent, or set it aside with the server's reason, the same way: written once here.
//! A row already sent is never marked again, so a late confirmation changes nothing.

use chrono::{DateTime, Utc};
use mpp_common::instant;

use super::{Store, StoreError};

/// An outbox table and the column that names its rows.
#[derive(Clone, Copy, Debug)]
pub(super) enum Outbox {
    Events,
    Surveys,
    Closures,
    Audit,
}

impl Outbox {
    fn table_and_key(self) -> (&'static str, &'static str) {
        match self {
            Outbox::Events => ("outbox", "seq"),
            Outbox::Surveys => ("survey_outbox", "seq"),
            Outbox::Closures => ("closure_outbox", "id"),
            Outbox::Audit => ("audit", "id"),
        }
    }
}

impl Store {
    /// Marks rows the server confirmed (stored now or held already) as sent.
    pub(super) fn mark_outbox_sent(
        &mut self,
        outbox: Outbox,
        keys: &[i64],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (table, key) = outbox.table_and_key();
        let now = instant::to_text(now);
        self.execute_each(
            &format!("UPDATE {table} SET sent_at = ?2 WHERE {key} = ?1 AND sent_at IS NULL"),
            keys.iter().map(|row| (row, &now)),
        )
    }

    /// Sets rows the server refused for good aside with its reason, `(key, reason)`: kept for
    /// a person, never resent, never deleted.
    pub(super) fn mark_outbox_refused(
        &mut self,
        outbox: Outbox,
        refused: &[(i64, String)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (table, key) = outbox.table_and_key();
        let now = instant::to_text(now);
        self.execute_each(
            &format!(
                "UPDATE {table} SET refused_reason = ?2, refused_at = ?3 \
                 WHERE {key} = ?1 AND sent_at IS NULL"
            ),
            refused.iter().map(|(row, reason)| (row, reason, &now)),
        )
    }
}
