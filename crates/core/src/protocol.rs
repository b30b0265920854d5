//! The JSON the kiosk and the central server exchange (API v1). Both sides use these types,
//! so they cannot drift apart. Unknown fields are refused: a typo is an error, not silence.

use crate::ids::{KioskId, QueueCode};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

use super::numbering::Lane;
use super::printer_state::PrinterState;
use super::ticket::{Ticket, TicketStatus};

/// The survey's messages (`POST /api/v1/surveys`), documented where they are defined.
pub use crate::survey::wire::{
    Channel, SURVEYS_PATH, SurveyBatch, SurveyOutcome, SurveyRefusal, SurveyResponse,
};

/// Path prefix of the kiosk API.
pub const API: &str = "/api/v1";

/// One status change of a ticket, as kept in the kiosk's outbox. The kiosk with
/// `(ticket.id, event_id)` is the idempotency key: sending it again changes nothing on the
/// server, and another kiosk's event never matches it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketEvent {
    /// The kiosk's own sequence number of this event (unique per kiosk).
    pub event_id: i64,
    pub status: TicketStatus,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
    /// The ticket as it was when the event happened.
    pub ticket: Ticket,
}

/// `POST /api/v1/events`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    pub kiosk: KioskId,
    pub events: Vec<TicketEvent>,
}

/// The answer to a batch: 200 when nothing conflicted, 409 when something did. Accepted and
/// duplicate events are stored either way; conflicting ones are kept aside for a person, and
/// refused ones (wrong for good, e.g. another kiosk's ticket) are recorded and never applied.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchOutcome {
    /// Event ids stored now.
    pub accepted: Vec<i64>,
    /// Event ids the server already had, with the same content.
    pub duplicates: Vec<i64>,
    /// Event ids the server already had with different content.
    pub conflicts: Vec<i64>,
    /// Events refused for good, with why; absent in an older server's answer.
    #[serde(default)]
    pub refused: Vec<Refusal>,
}

/// One event the server will never take, and why, in words for a technician.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refusal {
    pub event_id: i64,
    pub reason: String,
}

/// One line of a kiosk's audit log: who opened the technician's menu (or failed to), what was
/// done to the kiosk, how it ended. `(kiosk, id)` is the idempotency key. Never a PIN, a token
/// or anything about a visitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditRecord {
    /// The kiosk's own number of this entry (unique per kiosk, increasing).
    pub id: i64,
    pub at: DateTime<Utc>,
    pub action: String,
    pub detail: String,
    pub outcome: String,
}

/// `POST /api/v1/audit`: a batch of audit entries, sent by the sync round after the events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditBatch {
    pub kiosk: KioskId,
    pub entries: Vec<AuditRecord>,
}

/// The answer to an audit batch: every id the server now holds (stored now or before).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditOutcome {
    pub stored: Vec<i64>,
    pub duplicates: Vec<i64>,
}

/// `POST /api/v1/heartbeat`: how the kiosk is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heartbeat {
    pub kiosk: KioskId,
    /// Program version, e.g. `0.1.0`.
    pub version: String,
    pub printer: PrinterState,
    /// Events not yet sent, and the age of the oldest.
    pub outbox_unsent: u32,
    pub oldest_unsent: Option<DateTime<Utc>>,
    /// Catalog version in use.
    pub catalog_version: u64,
    pub at: DateTime<Utc>,
    /// Set while the kiosk cannot tell which business day is right; absent otherwise (and from
    /// older kiosks), so an older server still reads a healthy kiosk's heartbeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_doubt: Option<DayDoubt>,
}

/// The kiosk's clock and its numbering disagree by more than a day, and nothing settled it:
/// it issues nothing until a technician does (`mpp-kiosk day settle`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayDoubt {
    /// The business day the kiosk's numbers are on (its last ticket's day).
    pub held_day: NaiveDate,
    /// The day the kiosk's clock says it is.
    pub clock_day: NaiveDate,
    /// The day the server's clock said it is, when it was heard from.
    pub server_day: Option<NaiveDate>,
}

/// `GET /api/v1/numbers?day=YYYY-MM-DD`: the highest number the asking kiosk printed that day
/// in each queue and lane, as the server has them, and the server's own clock. A kiosk whose
/// database is new starts after these, so it never prints a number of that day twice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumbersUsed {
    pub business_day: NaiveDate,
    /// The server's clock when it answered.
    pub at: DateTime<Utc>,
    /// The latest business day of any ticket the server has from this kiosk.
    pub latest_business_day: Option<NaiveDate>,
    pub highest: Vec<HighestNumber>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HighestNumber {
    pub queue: QueueCode,
    pub lane: Lane,
    pub sequence: u32,
}

/// `GET /api/v1/queues?day=YYYY-MM-DD`: people waiting now, from the counters' reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueReport {
    pub business_day: NaiveDate,
    pub at: DateTime<Utc>,
    pub queues: Vec<QueueWaiting>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueWaiting {
    pub queue: QueueCode,
    pub waiting_regular: u32,
    pub waiting_priority: u32,
    /// How long the queue takes per visitor now (`mpp_core::wait`), when known. Sent only to
    /// a kiosk that asks (`estimates=1`): older kiosks refuse fields they do not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pace: Option<crate::wait::Pace>,
}

/// What a counter reports about a ticket (`POST /api/v1/counter/tickets/{kiosk}/{id}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CounterStatus {
    Called,
    Served,
    NoShow,
}

impl CounterStatus {
    /// Stable name for the database, logs, JSON and the central server (as serde writes it).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterReport {
    pub status: CounterStatus,
    /// The counter that called or served, e.g. `Loket 3`.
    pub counter: String,
}

/// `POST /api/v1/counter/next`: the point (loket) that calls the next visitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextCall {
    /// The point the visitor is sent to, e.g. `Loket 3`: one of the token's points.
    pub counter: String,
}

/// The answer to [`NextCall`]: the ticket now called to the point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Called {
    pub ticket: Ticket,
    pub counter: String,
    pub called_at: DateTime<Utc>,
}

/// Every error answer: what is wrong, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiError {
    pub error: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;

    use crate::testing::{sample_heartbeat, sample_instant as at, sample_ticket};

    fn ticket() -> Ticket {
        Ticket {
            people_ahead: Some(0),
            expected_wait: None,
            qr_payload: "https://mpp.example.go.id/t/x?s=00".into(),
            ..sample_ticket()
        }
    }

    /// `value` as JSON text is read back; with an `extra` field added to the object at
    /// `pointer` (a JSON pointer, "" for the top) it is refused, and the error says so.
    fn refused_with_extra_field<T: Serialize + DeserializeOwned>(value: &T, pointer: &str) {
        let mut json = serde_json::to_value(value).expect("json");
        serde_json::from_str::<T>(&json.to_string()).expect("the value as sent is accepted");
        json.pointer_mut(pointer)
            .and_then(serde_json::Value::as_object_mut)
            .unwrap_or_else(|| panic!("an object at {pointer:?}"))
            .insert("extra".into(), 1.into());
        let error = serde_json::from_str::<T>(&json.to_string())
            .err()
            .unwrap_or_else(|| panic!("an unknown field at {pointer:?} is refused"));
        assert!(
            error.to_string().contains("unknown field `extra`"),
            "{error}"
        );
    }

    #[test]
    fn an_unknown_field_inside_the_ticket_of_an_event_is_refused() {
        let event = TicketEvent {
            event_id: 1,
            status: TicketStatus::Printed,
            reason: None,
            at: at(),
            ticket: ticket(),
        };
        refused_with_extra_field(&event, "/ticket");
        refused_with_extra_field(&event, "");
        let batch = EventBatch {
            kiosk: "K1".into(),
            events: vec![event],
        };
        refused_with_extra_field(&batch, "/events/0/ticket");
        refused_with_extra_field(&batch, "/events/0");
        refused_with_extra_field(&ticket(), "");
    }

    #[test]
    fn an_older_servers_outcome_without_refusals_still_reads() {
        let outcome: BatchOutcome =
            serde_json::from_str(r#"{"accepted":[1],"duplicates":[],"conflicts":[]}"#)
                .expect("an older answer");
        assert_eq!(outcome.accepted, [1]);
        assert!(outcome.refused.is_empty());
    }

    #[test]
    fn a_healthy_heartbeat_reads_as_an_older_server_expects() {
        let json = serde_json::to_value(sample_heartbeat()).expect("json");
        assert!(json.get("day_doubt").is_none(), "{json}");
    }

    #[test]
    fn every_other_message_refuses_unknown_fields_too() {
        refused_with_extra_field(&BatchOutcome::default(), "");
        let refusal = Refusal {
            event_id: 1,
            reason: "no".into(),
        };
        refused_with_extra_field(&refusal, "");
        let heartbeat = Heartbeat {
            day_doubt: Some(DayDoubt {
                held_day: at().date_naive(),
                clock_day: at().date_naive(),
                server_day: None,
            }),
            ..sample_heartbeat()
        };
        refused_with_extra_field(&heartbeat, "");
        refused_with_extra_field(&heartbeat, "/day_doubt");
        let numbers = NumbersUsed {
            business_day: at().date_naive(),
            at: at(),
            latest_business_day: None,
            highest: vec![HighestNumber {
                queue: "DKC".into(),
                lane: Lane::Priority,
                sequence: 4,
            }],
        };
        refused_with_extra_field(&numbers, "");
        refused_with_extra_field(&numbers, "/highest/0");
        let report = QueueReport {
            business_day: at().date_naive(),
            at: at(),
            queues: vec![QueueWaiting {
                queue: "DKC".into(),
                waiting_regular: 2,
                waiting_priority: 0,
                pace: None,
            }],
        };
        refused_with_extra_field(&report, "");
        refused_with_extra_field(&report, "/queues/0");
        let counter = CounterReport {
            status: CounterStatus::Called,
            counter: "Loket 3".into(),
        };
        refused_with_extra_field(&counter, "");
        refused_with_extra_field(&ApiError { error: "no".into() }, "");
    }
}
