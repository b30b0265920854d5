//! The kiosks' audit logs: `POST /api/v1/audit` takes a kiosk's entries (who opened the
//! technician's menu or failed to, what was done there, how it ended), idempotent by kiosk and
//! entry id, with the kiosk token as for events; `/fleet` lists each kiosk's latest ones. Kept
//! in its own table; never applied to anything else.

use crate::http::auth::{FromKiosk, SentByKiosk};
use crate::rules::text::{Kind, control_problem};
use axum::Json;
use axum::extract::State;
use mpp_core::ids::KioskId;

use crate::http::extract::ApiFailure;
use crate::http::state::AppState;
use mpp_core::protocol::{AuditBatch, AuditOutcome, AuditRecord};

use axum::Router;
use axum::routing::post;
use mpp_core::protocol::API;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{API}/audit"), post(receive))
}

/// Entries in one batch, and the longest action, detail and outcome taken: an audit line is a
/// few words, and a long one is a kiosk gone wrong.
const MOST_ENTRIES: usize = 1000;
const LONGEST_FIELD: usize = 500;
/// `POST /api/v1/audit`.
pub async fn receive(
    State(state): State<AppState>,
    FromKiosk { kiosk, body: batch }: FromKiosk<AuditBatch>,
) -> Result<Json<AuditOutcome>, ApiFailure> {
    if let Some(problem) = batch_problem(&batch.entries) {
        return Err(ApiFailure::unprocessable(problem));
    }
    let now = state.now();
    let mpp = state.mpp_of(&kiosk)?.id.clone();
    let kiosk = kiosk.as_str().to_owned();
    let outcome = state
        .storage(move |storage| storage.record_audit(&mpp, &kiosk, &batch.entries, now))
        .await?;
    Ok(Json(outcome))
}

fn batch_problem(entries: &[AuditRecord]) -> Option<String> {
    if entries.len() > MOST_ENTRIES {
        return Some(format!(
            "{} audit entries in one batch; at most {MOST_ENTRIES}",
            entries.len()
        ));
    }
    entries.iter().enumerate().find_map(|(index, entry)| {
        let fields = [
            ("action", &entry.action),
            ("detail", &entry.detail),
            ("outcome", &entry.outcome),
        ];
        fields.iter().find_map(|(name, value)| {
            // PostgreSQL refuses NUL: named here rather than failing the batch there.
            if let Some(problem) = control_problem(value, Kind::Free) {
                Some(format!("entries[{index}].{name} {problem}"))
            } else {
                (value.len() > LONGEST_FIELD).then(|| {
                    format!("entries[{index}].{name} is longer than {LONGEST_FIELD} bytes")
                })
            }
        })
    })
}

impl SentByKiosk for AuditBatch {
    fn sender(&self) -> &KioskId {
        &self.kiosk
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Audit;
    use crate::storage::sqlite::Sqlite;
    use chrono::{DateTime, Utc};

    fn entry(id: i64, action: &str) -> AuditRecord {
        AuditRecord {
            id,
            at: DateTime::from_timestamp(1_790_000_000 + id, 0).expect("instant"),
            action: action.into(),
            detail: String::new(),
            outcome: "done".into(),
        }
    }

    #[test]
    fn entries_are_kept_once_per_kiosk_and_listed_newest_first() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut storage = Sqlite::open(&folder.path().join("central.db")).expect("storage");
        let now = Utc::now();
        let mut record = |kiosk: &str, entries: &[AuditRecord]| {
            storage.record_audit("default", kiosk, entries, now)
        };
        let first = record("K1", &[entry(1, "maintenance_pin"), entry(2, "sync_now")]);
        assert_eq!(first.expect("stored").stored, [1, 2]);
        let again =
            record("K1", &[entry(2, "changed"), entry(3, "printer_test_page")]).expect("stored");
        assert_eq!((again.stored, again.duplicates), (vec![3], vec![2]));
        record("K2", &[entry(1, "<script>")]).expect("another kiosk's id 1 is its own");
        let fleet = storage
            .latest_audit(&["K1".into(), "K2".into(), "K3".into()])
            .expect("read");
        assert_eq!(fleet.len(), 2, "a kiosk that sent nothing is left out");
        let actions: Vec<&str> = fleet[0].entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["printer_test_page", "sync_now", "maintenance_pin"]
        );
        assert_eq!(fleet[1].entries[0].action, "<script>", "kept as sent");
    }

    #[test]
    fn an_oversized_batch_or_field_is_refused_with_what_is_wrong() {
        let mut long = entry(1, "x");
        long.detail = "y".repeat(LONGEST_FIELD + 1);
        assert_eq!(
            batch_problem(&[entry(0, "a"), long]).as_deref(),
            Some("entries[1].detail is longer than 500 bytes")
        );
        assert!(batch_problem(&[entry(0, "a")]).is_none());
    }
}
