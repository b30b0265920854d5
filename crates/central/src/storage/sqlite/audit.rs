//! The SQLite file's side of the kiosks' audit logs (decided in [`crate::storage::audit`]).

use rusqlite::params;

use crate::storage::Audit;
use crate::storage::audit::{AuditRow, AuditTransaction, Entries, sql};
use crate::storage::error::DbError;
use crate::storage::sqlite::reads::Statements;
use crate::storage::sqlite::{Sqlite, Writing};
use mpp_common::instant;
use mpp_core::protocol::AuditRecord;

impl AuditTransaction for Writing<'_> {
    fn insert(&mut self, sent: &Entries<'_>, entry: &AuditRecord) -> Result<bool, DbError> {
        let (at, received) = (instant::to_text(entry.at), instant::to_text(sent.now));
        let (action, detail, outcome) = (&entry.action, &entry.detail, &entry.outcome);
        let values = params![
            sent.mpp, sent.kiosk, entry.id, at, action, detail, outcome, received
        ];
        Ok(self.execute(sql::RECORD, values)? > 0)
    }
}

impl Audit for Sqlite {
    fn audit_rows(&mut self, kiosk: &str, limit: u32) -> Result<Vec<AuditRow>, DbError> {
        self.tuples(sql::LATEST, params![kiosk, limit])
    }
}
