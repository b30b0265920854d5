//! The kiosk's audit log to the central server: entries not yet confirmed go in batches after
//! the ticket events, idempotent by kiosk and entry id, marked sent once the server holds them.
//! An older server without `POST /api/v1/audit` (404) keeps them for later, quietly.

use mpp_core::protocol::AuditBatch;

use super::{SyncError, Syncer, held_of};

/// Entries per request: audit entries are few (a technician's visit makes tens).
const AUDIT_BATCH: u32 = 200;

impl Syncer {
    /// Sends every unsent audit entry; how many the server confirmed.
    #[tracing::instrument(skip_all, err)]
    pub async fn push_audit(&self) -> Result<usize, SyncError> {
        let mut confirmed = 0;
        loop {
            let entries = self
                .with_store(|store| store.unsent_audit(AUDIT_BATCH))
                .await?;
            if entries.is_empty() {
                return Ok(confirmed);
            }
            let sent: Vec<i64> = entries.iter().map(|entry| entry.id).collect();
            let batch = AuditBatch {
                kiosk: self.kiosk_id.clone(),
                entries,
            };
            let outcome = match self.client.push_audit(&batch).await {
                Err(SyncError::Server { status: 404, .. }) => {
                    tracing::debug!("the server takes no audit entries yet");
                    return Ok(confirmed);
                }
                outcome => outcome?,
            };
            let held = held_of(&sent, outcome.stored, outcome.duplicates);
            if held.is_empty() {
                return Ok(confirmed);
            }
            confirmed += held.len();
            let now = (self.clock)();
            self.with_store(move |store| store.mark_audit_sent(&held, now))
                .await?;
        }
    }
}
