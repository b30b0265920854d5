//! The kiosk's audit log: what was done to its numbering and business day, who opened the
//! technician's menu (or failed to) and what was done in it, when, and how it ended. Never a PIN, a token or
//! anything about a visitor.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::columns::parse_instant;
use super::outbox_marks::Outbox;
use super::{Store, StoreError};
use mpp_common::instant;
use mpp_core::protocol::AuditRecord;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub action: String,
    pub detail: String,
    pub outcome: String,
}

impl Store {
    /// Records what a technician did (from the maintenance menu or a command) and how it
    /// ended. `detail` must hold no PIN, token or visitor's data.
    #[tracing::instrument(skip_all, err)]
    pub fn audit(
        &self,
        at: DateTime<Utc>,
        action: &str,
        detail: &str,
        outcome: &str,
    ) -> Result<(), StoreError> {
        record_audit(&self.connection, at, action, detail, outcome)
            .map_err(|error| self.error(error))
    }

    /// The latest `limit` audit entries, newest first.
    pub fn audit_entries(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<(String, String, String, String)> = self.all_rows(
            "SELECT at, action, detail, outcome FROM audit ORDER BY id DESC LIMIT ?1",
            params![limit],
            |row| row.try_into(),
        )?;
        rows.into_iter()
            .map(|(at, action, detail, outcome)| {
                Ok(AuditEntry {
                    at: parse_instant(&at, &self.path)?,
                    action,
                    detail,
                    outcome,
                })
            })
            .collect()
    }
}

impl Store {
    /// Up to `limit` audit entries the central server does not have yet, oldest first.
    pub fn unsent_audit(&self, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
        let rows: Vec<(i64, String, String, String, String)> = self.all_rows(
            "SELECT id, at, action, detail, outcome FROM audit WHERE sent_at IS NULL \
             ORDER BY id LIMIT ?1",
            params![limit],
            |row| row.try_into(),
        )?;
        rows.into_iter()
            .map(|(id, at, action, detail, outcome)| {
                Ok(AuditRecord {
                    id,
                    at: parse_instant(&at, &self.path)?,
                    action,
                    detail,
                    outcome,
                })
            })
            .collect()
    }

    /// Marks audit entries the server confirmed as sent.
    #[tracing::instrument(skip_all, err)]
    pub fn mark_audit_sent(&mut self, ids: &[i64], at: DateTime<Utc>) -> Result<(), StoreError> {
        self.mark_outbox_sent(Outbox::Audit, ids, at)
    }
}

pub(super) fn record_audit(
    connection: &Connection,
    at: DateTime<Utc>,
    action: &str,
    detail: &str,
    outcome: &str,
) -> rusqlite::Result<()> {
    tracing::info!(action, detail, outcome, "audit");
    connection
        .execute(
            "INSERT INTO audit (at, action, detail, outcome) VALUES (?1, ?2, ?3, ?4)",
            params![instant::to_text(at), action, detail, outcome],
        )
        .map(drop)
}
