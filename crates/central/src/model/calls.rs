//! A call of a visitor to a counter point, as the lobby displays receive it.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// A first call, or the same ticket called again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    Call,
    Recall,
}

impl CallKind {
    pub fn code(self) -> &'static str {
        match self {
            CallKind::Call => "call",
            CallKind::Recall => "recall",
        }
    }

    pub fn from_code(code: &str) -> Option<CallKind> {
        [CallKind::Call, CallKind::Recall]
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

/// One call in an MPP's log: its number there (1, 2, 3… per MPP), the ticket number, the
/// point and its zone ("" for none), and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallEvent {
    pub id: i64,
    pub number: String,
    pub point: String,
    pub zone: String,
    pub kind: CallKind,
    pub at: DateTime<Utc>,
}
