//! The kiosks' audit logs, as both backends keep them: each entry once per kiosk and id, kept
//! as first sent. What a resend comes to and what the fleet page lists are decided here once;
//! the backends answer [`AuditTransaction`] and read [`sql::LATEST`] in their own SQL.

use crate::model::audit::KioskAudit;
use crate::storage::error::DbError;
use crate::storage::shared::Sent;
use mpp_common::instant;
use mpp_core::protocol::{AuditOutcome, AuditRecord};

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them `$N`).
pub(crate) mod sql {
    /// Stores an entry: nothing when its (kiosk, id) is there already.
    pub const RECORD: &str = "INSERT INTO audit_log \
        (mpp, kiosk, id, at, action, detail, outcome, received_at) \
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (kiosk, id) DO NOTHING";
    /// A kiosk's latest entries (as [`super::AuditRow`]), newest first, at most `?2`.
    pub const LATEST: &str = "SELECT id, at, action, detail, outcome FROM audit_log \
        WHERE kiosk = ?1 ORDER BY id DESC LIMIT ?2";
}

/// The entries a kiosk sent.
pub type Entries<'a> = Sent<'a, AuditRecord>;

/// What [`record`] needs of a backend's write transaction.
pub trait AuditTransaction {
    /// Stores `entry` of the sending kiosk; `false` when its (kiosk, id) is held already.
    fn insert(&mut self, sent: &Entries<'_>, entry: &AuditRecord) -> Result<bool, DbError>;
}

/// Stores each entry sent; one held already is a duplicate, kept as first sent.
pub(crate) fn record(
    transaction: &mut dyn AuditTransaction,
    sent: &Entries<'_>,
) -> Result<AuditOutcome, DbError> {
    let mut outcome = AuditOutcome::default();
    for entry in sent.items {
        if transaction.insert(sent, entry)? {
            outcome.stored.push(entry.id);
        } else {
            outcome.duplicates.push(entry.id);
        }
    }
    tracing::info!(
        kiosk = sent.kiosk,
        stored = outcome.stored.len(),
        duplicates = outcome.duplicates.len(),
        "audit entries received"
    );
    Ok(outcome)
}

/// An entry as [`sql::LATEST`] reads it: id, at, action, detail, outcome.
pub type AuditRow = (i64, String, String, String, String);

/// The latest entries of each kiosk in `ids` that sent any, in that order, as `latest` reads
/// them; an entry whose instant cannot be read is left out.
pub(crate) fn latest_of(
    ids: &[String],
    mut latest: impl FnMut(&str) -> Result<Vec<AuditRow>, DbError>,
) -> Result<Vec<KioskAudit>, DbError> {
    let mut fleet = Vec::new();
    for kiosk in ids {
        let entries: Vec<AuditRecord> = latest(kiosk)?
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
