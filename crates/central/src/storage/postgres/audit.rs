//! PostgreSQL's side of the kiosks' audit logs (decided in [`crate::storage::audit`]).

use crate::storage::Audit;
use crate::storage::audit::{AuditRow, AuditTransaction, Entries, sql};
use crate::storage::error::DbError;
use crate::storage::postgres::reads::Reads;
use crate::storage::postgres::{Postgres, Writing};
use mpp_common::instant;
use mpp_core::protocol::AuditRecord;

impl AuditTransaction for Writing<'_> {
    fn insert(&mut self, sent: &Entries<'_>, entry: &AuditRecord) -> Result<bool, DbError> {
        let (at, received) = (instant::to_text(entry.at), instant::to_text(sent.now));
        let (action, detail, outcome) = (&entry.action, &entry.detail, &entry.outcome);
        let (mpp, kiosk) = (sent.mpp, sent.kiosk);
        let inserted = self.execute(
            sql::RECORD,
            &[
                &mpp, &kiosk, &entry.id, &at, action, detail, outcome, &received,
            ],
        )?;
        Ok(inserted > 0)
    }
}

impl Audit for Postgres {
    fn audit_rows(&mut self, kiosk: &str, limit: u32) -> Result<Vec<AuditRow>, DbError> {
        self.tuples(sql::LATEST, &[&kiosk, &i64::from(limit)])
    }
}
