//! The kiosk's audit log: what was done to its numbering and business day, when, and how it
//! ended. Never a PIN, a token or anything about a visitor.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub action: String,
    pub detail: String,
    pub outcome: String,
}

impl Store {
    /// The latest `limit` audit entries, newest first.
    pub fn audit_entries(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = self.all_rows(
            "SELECT at, action, detail, outcome FROM audit ORDER BY id DESC LIMIT ?1",
            params![limit],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                ))
            },
        )?;
        rows.into_iter()
            .map(|(at, action, detail, outcome)| {
                Ok(AuditEntry {
                    at: super::tickets::parse_instant(&at, &self.path)?,
                    action,
                    detail,
                    outcome,
                })
            })
            .collect()
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
            params![super::tickets::instant_text(at), action, detail, outcome],
        )
        .map(drop)
}
