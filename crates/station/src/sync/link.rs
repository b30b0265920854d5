//! "Sync now" from the technician's menu, and a new ticket: a nudge that cuts the sync loop's
//! pause short, and
//! a count of finished rounds the menu waits on. The round is the loop's own
//! (`Syncer::recorded_round`, as `mpp-kiosk sync now` runs it): nothing is done twice.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};

#[derive(Clone, Debug)]
pub struct SyncLink {
    nudge: Arc<Notify>,
    rounds: watch::Sender<u64>,
}

impl Default for SyncLink {
    fn default() -> Self {
        Self {
            nudge: Arc::new(Notify::new()),
            rounds: watch::Sender::new(0),
        }
    }
}

impl SyncLink {
    /// Asks the loop for a round now and waits up to `patience` for a round to finish:
    /// `true` once one has.
    pub async fn round_now(&self, patience: Duration) -> bool {
        let mut rounds = self.rounds.subscribe();
        let seen = *rounds.borrow_and_update();
        self.nudge.notify_one();
        let finished = rounds.wait_for(|done| *done > seen);
        matches!(tokio::time::timeout(patience, finished).await, Ok(Ok(_)))
    }

    /// Asks the loop for a round as soon as it can, without waiting: a ticket just issued or
    /// printed reaches the server in seconds, not at the next interval, so counters never
    /// call past a ticket still in the outbox.
    pub fn round_soon(&self) {
        self.nudge.notify_one();
    }

    /// The loop's pause between rounds, over early when nudged.
    pub(super) async fn pause(&self, pause: Duration) {
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = self.nudge.notified() => tracing::debug!("sync round asked for"),
        }
    }

    pub(super) fn finished(&self) {
        self.rounds.send_modify(|done| *done += 1);
    }
}
