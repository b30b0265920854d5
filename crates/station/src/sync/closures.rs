//! Services closed by staff, shared with the MPP's other kiosks: this kiosk's closes and
//! reopens go up (`POST /api/v1/closures`, idempotent by kiosk and change id), then the MPP's
//! closures of today come down and are applied (`GET /api/v1/closures?day=`). An older server
//! without the endpoint (404) leaves the changes queued, quietly; the kiosk then keeps its own
//! closures, as before.

use mpp_core::closure_sync::ClosureBatch;

use super::{SyncError, Syncer, held_of};

/// Changes per request: a technician's morning makes a handful.
const CLOSURE_BATCH: u32 = 200;

/// What sharing the closures did in a round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClosuresShared {
    /// Changes of this kiosk the server now holds.
    pub sent: usize,
    /// Services whose closure changed here because of another kiosk.
    pub taken: usize,
}

impl Syncer {
    /// Sends this kiosk's changes, then takes the MPP's closures of today.
    #[tracing::instrument(skip_all, err)]
    pub async fn share_closures(&self) -> Result<ClosuresShared, SyncError> {
        let sent = self.push_closures().await?;
        let now = (self.clock)();
        let zone = self.time_zone;
        let today = self
            .with_store(move |store| store.current_day(zone, now))
            .await?;
        let shared = self.client.day_closures(today).await?;
        if shared.day != today {
            return Err(SyncError::Garbage {
                endpoint: "closures".into(),
                detail: format!("asked for {today}, the answer is for {}", shared.day),
            });
        }
        let taken = self
            .with_store(move |store| store.apply_shared_closures(today, &shared.closed))
            .await?;
        if taken > 0 {
            tracing::info!(taken, "services closed or opened at another kiosk");
        }
        Ok(ClosuresShared { sent, taken })
    }

    async fn push_closures(&self) -> Result<usize, SyncError> {
        let mut confirmed = 0;
        let mut batch_size = CLOSURE_BATCH;
        loop {
            let now = (self.clock)();
            let zone = self.time_zone;
            let changes = self
                .with_store(move |store| {
                    let today = store.current_day(zone, now)?;
                    store.unsent_closure_changes(today, batch_size, now)
                })
                .await?;
            if changes.is_empty() {
                return Ok(confirmed);
            }
            let sent: Vec<i64> = changes.iter().map(|change| change.id).collect();
            let batch = ClosureBatch {
                kiosk: self.kiosk_id.clone(),
                changes,
            };
            let outcome = match self.client.push_closures(&batch).await {
                // Wrong for good (a change the server will never take): sending it again
                // changes nothing. The closures stay as this kiosk has them.
                // One change the server will never take refuses its whole batch: send fewer
                // until it stands alone, then set it aside (the closure stays as this kiosk
                // has it), so it never holds up the changes behind it.
                Err(SyncError::Server {
                    status: 400 | 422,
                    message,
                    ..
                }) => {
                    if sent.len() > 1 {
                        batch_size = (sent.len() as u32 / 2).max(1);
                        continue;
                    }
                    tracing::warn!(%message, "the server refused a closure change; kept here only");
                    let refused = sent[0];
                    self.with_store(move |store| store.set_aside_closure_change(refused, now))
                        .await?;
                    continue;
                }
                outcome => outcome?,
            };
            let held = held_of(&sent, outcome.stored, outcome.duplicates);
            if held.is_empty() {
                return Err(SyncError::Garbage {
                    endpoint: "closures".into(),
                    detail: "the answer confirmed none of the changes sent".into(),
                });
            }
            confirmed += held.len();
            self.with_store(move |store| store.mark_closure_changes_sent(&held, now))
                .await?;
        }
    }
}
