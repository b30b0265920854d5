//! The SQLite file's side of the kiosks' audit logs: one row per kiosk and entry id.

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::model::audit::{KioskAudit, LATEST_SHOWN};
use crate::storage::Audit;
use crate::storage::error::DbError;
use crate::storage::sqlite::Sqlite;
use mpp_common::instant;
use mpp_core::protocol::{AuditOutcome, AuditRecord};

impl Audit for Sqlite {
    /// Stores `entries` of `kiosk`; one it already holds is a duplicate (kept as first sent).
    fn record_audit(
        &mut self,
        mpp: &str,
        kiosk: &str,
        entries: &[AuditRecord],
        now: DateTime<Utc>,
    ) -> Result<AuditOutcome, DbError> {
        let path = self.path.clone();
        let fail = |error| DbError::classify(&path, error);
        let transaction = self.connection.transaction().map_err(fail)?;
        let mut outcome = AuditOutcome::default();
        {
            let mut insert = transaction
                .prepare(
                    "INSERT INTO audit_log \
                     (mpp, kiosk, id, at, action, detail, outcome, received_at) \
                     VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (kiosk, id) DO NOTHING",
                )
                .map_err(fail)?;
            for entry in entries {
                let inserted = insert
                    .execute(params![
                        kiosk,
                        entry.id,
                        instant::to_text(entry.at),
                        entry.action,
                        entry.detail,
                        entry.outcome,
                        instant::to_text(now),
                        mpp
                    ])
                    .map_err(fail)?;
                match inserted {
                    0 => outcome.duplicates.push(entry.id),
                    _ => outcome.stored.push(entry.id),
                }
            }
        }
        transaction.commit().map_err(fail)?;
        tracing::info!(
            kiosk,
            stored = outcome.stored.len(),
            duplicates = outcome.duplicates.len(),
            "audit entries received"
        );
        Ok(outcome)
    }

    /// The latest entries of each kiosk in `ids` that sent any, in that order.
    fn latest_audit(&mut self, ids: &[String]) -> Result<Vec<KioskAudit>, DbError> {
        let fail = |error| self.error(error);
        let mut statement = self
            .connection
            .prepare(
                "SELECT id, at, action, detail, outcome FROM audit_log WHERE kiosk = ?1 \
                 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(fail)?;
        let mut fleet = Vec::new();
        for kiosk in ids {
            let rows = statement
                .query_map(params![kiosk, LATEST_SHOWN], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, String>(4)?,
                    ))
                })
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(fail)?;
            let entries: Vec<AuditRecord> = rows
                .into_iter()
                .filter_map(|(id, at, action, detail, outcome)| {
                    Some(AuditRecord {
                        id,
                        at: instant::parse(&at)?,
                        action,
                        detail,
                        outcome,
                    })
                })
                .collect();
            if !entries.is_empty() {
                fleet.push(KioskAudit {
                    kiosk: kiosk.clone(),
                    entries,
                });
            }
        }
        Ok(fleet)
    }
}
