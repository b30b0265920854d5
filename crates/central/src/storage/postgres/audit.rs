//! PostgreSQL's side of the kiosks' audit logs.

use crate::model::audit::KioskAudit;
use crate::storage::Audit;
use crate::storage::error::DbError;
use crate::storage::postgres::Postgres;
use chrono::DateTime;
use chrono::Utc;
use mpp_common::instant;
use mpp_core::protocol::AuditOutcome;
use mpp_core::protocol::AuditRecord;

impl Audit for Postgres {
    fn record_audit(
        &mut self,
        mpp: &str,
        kiosk: &str,
        entries: &[AuditRecord],
        now: DateTime<Utc>,
    ) -> Result<AuditOutcome, DbError> {
        let url = self.url.clone();
        let fail = |error: postgres::Error| crate::storage::postgres::classify(&url, &error);
        let client = self.client()?;
        let mut transaction = client.transaction().map_err(fail)?;
        let mut outcome = AuditOutcome::default();
        let received = instant::to_text(now);
        for entry in entries {
            let inserted = transaction
                .execute(
                    "INSERT INTO audit_log \
                     (mpp, kiosk, id, at, action, detail, outcome, received_at) \
                     VALUES ($8, $1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kiosk, id) DO NOTHING",
                    &[
                        &kiosk,
                        &entry.id,
                        &instant::to_text(entry.at),
                        &entry.action,
                        &entry.detail,
                        &entry.outcome,
                        &received,
                        &mpp,
                    ],
                )
                .map_err(fail)?;
            match inserted {
                0 => outcome.duplicates.push(entry.id),
                _ => outcome.stored.push(entry.id),
            }
        }
        transaction.commit().map_err(fail)?;
        Ok(outcome)
    }

    fn latest_audit(&mut self, ids: &[String]) -> Result<Vec<KioskAudit>, DbError> {
        let mut fleet = Vec::new();
        for kiosk in ids {
            let rows = self.rows(
                "SELECT id, at, action, detail, outcome FROM audit_log WHERE kiosk = $1 \
                 ORDER BY id DESC LIMIT $2",
                &[kiosk, &i64::from(crate::model::audit::LATEST_SHOWN)],
            )?;
            let entries: Vec<AuditRecord> = rows
                .iter()
                .filter_map(|row| {
                    Some(AuditRecord {
                        id: row.get(0),
                        at: instant::parse(row.get(1))?,
                        action: row.get(2),
                        detail: row.get(3),
                        outcome: row.get(4),
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
