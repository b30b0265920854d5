//! Survey responses to the central server: after the ticket events in every round, so the
//! server knows the ticket a response is about. Idempotent by response id; marked sent only
//! once the server confirmed them. A server without the endpoint (404) is an older one: the
//! responses stay queued for a later round.

use super::{BATCH_SIZE, SyncError, Syncer};
use mpp_core::protocol::{SurveyBatch, SurveyOutcome};

/// What one push of the survey outbox achieved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SurveysPushed {
    pub sent: u32,
    pub duplicates: u32,
    pub refused: u32,
    /// Left for a later round: the server could not judge them yet.
    pub deferred: u32,
}

impl Syncer {
    /// Sends every queued response, batch by batch, until the queue is empty or the server
    /// defers the rest.
    #[tracing::instrument(skip_all, err)]
    pub async fn push_surveys(&self) -> Result<SurveysPushed, SyncError> {
        let mut pushed = SurveysPushed::default();
        loop {
            let unsent = self
                .with_store(|store| store.unsent_surveys(BATCH_SIZE))
                .await?;
            if unsent.is_empty() {
                return Ok(pushed);
            }
            let seq_of: Vec<(String, i64)> = unsent
                .iter()
                .map(|row| (row.response.response_id.clone(), row.seq))
                .collect();
            let batch = SurveyBatch {
                kiosk: self.kiosk_id.clone(),
                responses: unsent.into_iter().map(|row| row.response).collect(),
            };
            let outcome = self.client.push_surveys(&batch).await?;
            let progressed = self
                .take_survey_outcome(&mut pushed, &seq_of, &outcome)
                .await?;
            if !progressed {
                pushed.deferred += seq_of.len() as u32;
                return Ok(pushed);
            }
        }
    }

    /// Marks what the server confirmed and sets refused responses aside; whether anything in
    /// the batch was settled (otherwise the rest waits for the next round).
    async fn take_survey_outcome(
        &self,
        pushed: &mut SurveysPushed,
        seq_of: &[(String, i64)],
        outcome: &SurveyOutcome,
    ) -> Result<bool, SyncError> {
        let seq = |id: &String| {
            seq_of
                .iter()
                .find(|(sent, _)| sent == id)
                .map(|(_, seq)| *seq)
        };
        let accepted: Vec<i64> = outcome.accepted.iter().filter_map(seq).collect();
        let duplicates: Vec<i64> = outcome.duplicates.iter().filter_map(seq).collect();
        let refused: Vec<(i64, String)> = outcome
            .refused
            .iter()
            .filter_map(|refusal| seq(&refusal.response_id).map(|s| (s, refusal.reason.clone())))
            .collect();
        pushed.sent += accepted.len() as u32;
        pushed.duplicates += duplicates.len() as u32;
        pushed.refused += refused.len() as u32;
        if !refused.is_empty() {
            tracing::error!(
                count = refused.len(),
                "survey responses refused by the server; set aside with its reason"
            );
        }
        let settled = accepted.len() + duplicates.len() + refused.len();
        let done: Vec<i64> = accepted.into_iter().chain(duplicates).collect();
        let now = (self.clock)();
        self.with_store(move |store| {
            store.mark_surveys_sent(&done, now)?;
            store.mark_surveys_refused(&refused, now)
        })
        .await?;
        Ok(settled > 0)
    }
}
