//! The survey's JSON between kiosk and central server (API v1), for `POST /api/v1/surveys`.
//!
//! A kiosk sends each response until the server confirms it; the response id is the
//! idempotency key, and the ticket (kiosk + ticket id) may have one response only, from the
//! kiosk or from a phone. The server answers 200 with a [`SurveyOutcome`]:
//!
//! - `accepted`: stored now;
//! - `duplicates`: the server already has this response id (a resend): nothing changes;
//! - `refused`: never to be stored, with why (the ticket already has another response, the
//!   ticket is voided, a no-show or never served within the window, too old, another
//!   kiosk's, or the answers are invalid). The kiosk keeps such a response aside and never
//!   sends it again.
//!
//! A response the server cannot judge yet (its ticket's events have not arrived, or no
//! counter has marked the ticket served while it still may be: visitors often rate on the way
//! out) is left out of all three lists: the kiosk sends it again in a later round. An older server without the
//! endpoint answers 404: the kiosk keeps its responses and tries again later. The kiosk pushes
//! its ticket events before its surveys in every round, so the ticket is normally there.
//! Unknown fields are refused on both sides, as everywhere in the protocol.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Answers;
use super::respondent::Respondent;
use super::suggestion::Suggestion;
use crate::ids::{KioskId, TicketId};
use crate::lang::Language;

/// Where the kiosk sends its responses, under [`crate::protocol::API`].
pub const SURVEYS_PATH: &str = "/surveys";

/// Where a response was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Kiosk,
    Phone,
}

/// One respondent's answers about one visit (one ticket). The service, agency and counter
/// rated are the ticket's, as the server has them from its events: not repeated here, so a
/// response cannot claim another service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyResponse {
    /// Opaque, unique (UUID v7): the idempotency key.
    pub response_id: String,
    /// The kiosk that issued the ticket; with `ticket_id` it names the visit.
    pub kiosk: KioskId,
    pub ticket_id: TicketId,
    pub channel: Channel,
    /// The nine answers by element code, e.g. `{"requirements": 4, "procedure": 3, …}`.
    pub answers: Answers,
    /// What the respondent chose to say about themselves: `{}` when nothing.
    #[serde(default)]
    pub respondent: Respondent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Suggestion>,
    /// The language the questions were asked in.
    pub language: Language,
    /// When the respondent finished, on the kiosk's clock.
    pub at: DateTime<Utc>,
}

/// `POST /api/v1/surveys`: at most a few hundred responses, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyBatch {
    /// The kiosk sending, as its token says; every response's `kiosk` is this one.
    pub kiosk: KioskId,
    pub responses: Vec<SurveyResponse>,
}

/// The answer to a [`SurveyBatch`] (see the module's words for each list).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyOutcome {
    pub accepted: Vec<String>,
    pub duplicates: Vec<String>,
    pub refused: Vec<SurveyRefusal>,
}

/// A response the server will never store, and why, in words for a technician.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyRefusal {
    pub response_id: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{Element, Rating};

    fn response() -> SurveyResponse {
        let mut answers = Answers::uniform(Rating::new(3).expect("3"));
        answers.set(Element::Facilities, Rating::new(4).expect("4"));
        SurveyResponse {
            response_id: "0192f0c2-0000-7000-8000-00000000000a".into(),
            kiosk: "K1".into(),
            ticket_id: "0192f0c2-0000-7000-8000-000000000001".into(),
            channel: Channel::Kiosk,
            answers,
            respondent: Respondent::default(),
            suggestion: Suggestion::new("Ruang tunggu sejuk").expect("fine"),
            language: Language::Indonesian,
            at: "2026-11-23T03:00:00Z".parse().expect("instant"),
        }
    }

    #[test]
    fn a_batch_reads_back_and_its_shape_is_the_documented_one() {
        let batch = SurveyBatch {
            kiosk: "K1".into(),
            responses: vec![response()],
        };
        let json = serde_json::to_value(&batch).expect("json");
        assert_eq!(json["responses"][0]["answers"]["facilities"], 4);
        assert_eq!(json["responses"][0]["channel"], "kiosk");
        assert_eq!(json["responses"][0]["respondent"], serde_json::json!({}));
        assert_eq!(json["responses"][0]["language"], "id");
        let back: SurveyBatch = serde_json::from_value(json).expect("reads");
        assert_eq!(back, batch);
    }

    #[test]
    fn unknown_fields_and_bad_suggestions_are_refused_when_read() {
        let mut json = serde_json::to_value(response()).expect("json");
        json["nik"] = "3316012304850001".into();
        assert!(serde_json::from_value::<SurveyResponse>(json).is_err());
        let mut json = serde_json::to_value(response()).expect("json");
        json["suggestion"] = "WA 081234567890".into();
        let error = serde_json::from_value::<SurveyResponse>(json).expect_err("a phone");
        assert!(error.to_string().contains("phone number"), "{error}");
        let outcome: SurveyOutcome = serde_json::from_str(
            r#"{"accepted":["a"],"duplicates":[],"refused":[{"response_id":"b","reason":"voided"}]}"#,
        )
        .expect("reads");
        assert_eq!(outcome.refused[0].reason, "voided");
        assert!(
            serde_json::from_str::<SurveyOutcome>(
                r#"{"accepted":[],"duplicates":[],"refused":[],"x":1}"#
            )
            .is_err()
        );
    }
}
