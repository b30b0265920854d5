//! A stored survey response, as the report reads it.

use chrono::{DateTime, NaiveDate, Utc};
use mpp_core::lang::Language;
use mpp_core::protocol::Channel;
use mpp_core::survey::Answers;
use mpp_core::survey::respondent::Respondent;

/// A stored response, as the report reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyRow {
    pub response_id: String,
    pub kiosk: String,
    pub ticket_id: String,
    pub channel: Channel,
    /// The ticket's business day: the report's period is over these.
    pub business_day: NaiveDate,
    pub agency: String,
    pub service: String,
    /// The counter point that served the ticket, as the counter reported it.
    pub counter: Option<String>,
    pub answers: Answers,
    pub respondent: Respondent,
    pub suggestion: Option<String>,
    pub language: Language,
    pub answered_at: DateTime<Utc>,
}
