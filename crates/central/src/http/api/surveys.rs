//! `POST /api/v1/surveys`: a kiosk's survey responses (the rules are in the module
//! documentation of `mpp_core::survey::wire`). Authenticated by the kiosk's token, with the
//! body limit and timeout of every API call. Each response is read on its own: one that does
//! not read (answers missing or out of scale, a suggestion holding a phone number) is refused
//! alone with what is wrong, never holding back the rest of its batch; only a batch whose
//! shape is wrong, or a response without a usable id, is refused whole.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use crate::http::auth::{FromKiosk, SentByKiosk};
use crate::http::extract::ApiFailure;
use crate::http::state::AppState;
use crate::rules::survey::{Decision, Refusal, SurveyRules};
use mpp_core::ids::KioskId;
use mpp_core::ids::plausible_ticket_id;
use mpp_core::protocol::{Channel, SurveyOutcome, SurveyRefusal, SurveyResponse};

use axum::Router;
use axum::routing::post;
use mpp_core::protocol::API;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{API}/surveys"), post(receive))
}

/// Most responses in one batch: the kiosk sends a few hundred at most.
pub const MOST_RESPONSES: usize = 1000;
/// Longest response id taken (a UUID is 36 characters).
const LONGEST_ID: usize = 64;

/// A [`mpp_core::protocol::SurveyBatch`] whose responses are still to be read one by one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBatch {
    kiosk: KioskId,
    responses: Vec<serde_json::Value>,
}

/// `POST /api/v1/surveys`.
pub async fn receive(
    State(state): State<AppState>,
    FromKiosk { kiosk, body: batch }: FromKiosk<RawBatch>,
) -> Result<Json<SurveyOutcome>, ApiFailure> {
    if batch.responses.len() > MOST_RESPONSES {
        return Err(ApiFailure::unprocessable(format!(
            "{} survey responses in one batch; at most {MOST_RESPONSES}",
            batch.responses.len()
        )));
    }
    let window_days = state.config.survey.window_days;
    let mut outcome = SurveyOutcome::default();
    let mut readable = Vec::new();
    for (index, raw) in batch.responses.into_iter().enumerate() {
        match read(index, raw, &kiosk)? {
            Ok(response) => readable.push(response),
            Err((response_id, refusal)) => outcome.refused.push(SurveyRefusal {
                response_id,
                reason: refusal.reason(window_days),
            }),
        }
    }
    let mpp = state.mpp_of(&kiosk)?;
    let rules = SurveyRules {
        today: state.today(mpp),
        window_days,
        zone: mpp.time_zone,
    };
    let (mpp, now) = (mpp.id.clone(), state.now());
    let (readable, decisions) = state
        .storage(move |storage| {
            let decisions = storage.record_surveys(&mpp, &readable, rules, now)?;
            Ok((readable, decisions))
        })
        .await?;
    let mut deferred = 0;
    for (response, decision) in readable.into_iter().zip(decisions) {
        let id = response.response_id;
        match decision {
            Decision::Accepted => outcome.accepted.push(id),
            Decision::Duplicate => outcome.duplicates.push(id),
            Decision::Refused(refusal) => outcome.refused.push(SurveyRefusal {
                response_id: id,
                reason: refusal.reason(window_days),
            }),
            Decision::NotYetKnown | Decision::NotYetServed => deferred += 1,
        }
    }
    tracing::info!(
        %kiosk,
        accepted = outcome.accepted.len(),
        duplicates = outcome.duplicates.len(),
        refused = outcome.refused.len(),
        deferred,
        "survey responses received"
    );
    Ok(Json(outcome))
}

/// One response read: `Ok(Ok)` to decide, `Ok(Err)` refused alone, `Err` refuses the batch
/// (no id to refuse it by).
fn read(
    index: usize,
    raw: serde_json::Value,
    kiosk: &KioskId,
) -> Result<Result<SurveyResponse, (String, Refusal)>, ApiFailure> {
    let id = raw
        .get("response_id")
        .and_then(serde_json::Value::as_str)
        .filter(|id| id.len() <= LONGEST_ID && plausible_ticket_id(id))
        .map(str::to_owned)
        .ok_or_else(|| {
            ApiFailure::unprocessable(format!(
                "responses[{index}].response_id is missing or not an id (1 to {LONGEST_ID} \
                 letters, digits, '-' and '_')"
            ))
        })?;
    let refused = |refusal| Ok(Err((id.clone(), refusal)));
    let response: SurveyResponse = match serde_path_to_error::deserialize(&raw) {
        Ok(response) => response,
        Err(error) => {
            return refused(Refusal::Invalid(format!(
                "responses[{index}].{}: {}",
                error.path(),
                error.inner()
            )));
        }
    };
    if response.kiosk != *kiosk {
        return refused(Refusal::OtherKiosk);
    }
    if response.channel != Channel::Kiosk {
        return refused(Refusal::Invalid(format!(
            "responses[{index}].channel: a kiosk sends \"kiosk\" responses only"
        )));
    }
    if !plausible_ticket_id(response.ticket_id.as_str()) {
        return refused(Refusal::Invalid(format!(
            "responses[{index}].ticket_id is not a ticket id"
        )));
    }
    Ok(Ok(response))
}

impl SentByKiosk for RawBatch {
    fn sender(&self) -> &KioskId {
        &self.kiosk
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn raw() -> serde_json::Value {
        json!({
            "response_id": "r-1",
            "kiosk": "K1",
            "ticket_id": "t-1",
            "channel": "kiosk",
            "answers": {
                "requirements": 4, "procedure": 3, "completion_time": 3, "cost": 4,
                "product": 3, "staff_competence": 4, "staff_behaviour": 4,
                "complaints": 2, "facilities": 3
            },
            "language": "id",
            "at": "2026-11-23T03:00:00Z"
        })
    }

    fn refusal(raw: serde_json::Value) -> Option<Refusal> {
        read(0, raw, &"K1".into())
            .expect("has an id")
            .err()
            .map(|(_, r)| r)
    }

    #[test]
    fn a_good_response_reads_and_a_bad_one_is_refused_alone_with_what_is_wrong() {
        assert_eq!(refusal(raw()), None);
        let mut five = raw();
        five["answers"]["cost"] = 5.into();
        let Some(Refusal::Invalid(what)) = refusal(five) else {
            panic!("refused");
        };
        assert!(what.contains("answers") && what.contains("not 5"), "{what}");
        let mut phone = raw();
        phone["suggestion"] = "WA 081234567890".into();
        assert!(matches!(refusal(phone), Some(Refusal::Invalid(what)) if what.contains("phone")));
        let mut other = raw();
        other["kiosk"] = "K2".into();
        assert_eq!(refusal(other), Some(Refusal::OtherKiosk));
        let mut channel = raw();
        channel["channel"] = "phone".into();
        assert!(matches!(refusal(channel), Some(Refusal::Invalid(_))));
        let mut no_id = raw();
        no_id["response_id"] = "../x".into();
        let failure = read(3, no_id, &"K1".into()).expect_err("the batch");
        assert!(
            failure.message.contains("responses[3].response_id"),
            "{}",
            failure.message
        );
    }
}
