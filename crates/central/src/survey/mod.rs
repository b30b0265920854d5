//! The satisfaction survey (SKM, PermenPANRB 14/2017) on the server: responses from the kiosks
//! (`POST /api/v1/surveys`, [`intake`]) and from the visitor's phone (the form under the
//! ticket's signed link, [`phone`]), stored once per ticket in both backends, and the staff's
//! IKM report with its CSV export ([`report`], [`export`]).
//!
//! A response names a ticket (kiosk + ticket id) and nothing else about the visit: the
//! service, agency and counter rated are taken from the server's own record of the ticket.
//! Whether it may be stored is decided inside the write transaction that stores it
//! ([`decide_all`]), so a kiosk and a phone answering the same ticket at the same moment give
//! one row, and the other is told the ticket was already answered.

pub mod export;
pub mod intake;
mod judge;
pub mod phone;
mod phone_form;
mod phone_text;
pub mod report;
mod report_view;
pub mod rows;
mod sqlite;

use chrono::{DateTime, NaiveDate, Utc};

pub use judge::{Decision, Refusal, judge};
use rows::NewRow;
pub use rows::SurveyRow;

use super::records::TicketRecord;
use super::storage::StorageError;
use super::ticket_page::local_time;
use mpp_core::day::TimeZone;
use mpp_core::protocol::{Channel, SurveyResponse};

/// What the server's clock and configuration say about rating a ticket now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SurveyRules {
    /// The business day now in the ticket's MPP.
    pub today: NaiveDate,
    /// `[survey] window_days`.
    pub window_days: u32,
    /// The MPP's time zone, for the day a kiosk's answer was given.
    pub zone: TimeZone,
}

impl SurveyRules {
    /// The rules for `response`: a phone's answer is judged today; a kiosk's on the day it was
    /// given (the kiosk keeps answers through an outage and sends them days later, and it
    /// checked the window itself when the visitor answered), never on a day after today.
    pub fn for_response(self, response: &SurveyResponse) -> Self {
        let given = match response.channel {
            Channel::Phone => None,
            Channel::Kiosk => local_time(self.zone, response.at).map(|local| local.date()),
        };
        Self {
            today: given.map_or(self.today, |day| day.min(self.today)),
            ..self
        }
    }
}

/// The few questions a write transaction answers for [`decide_all`], asked the same way in
/// SQLite and PostgreSQL.
pub(crate) trait SurveyTransaction {
    /// The kiosk and ticket of the response stored under `response_id`, if there is one.
    fn owner_of(&mut self, response_id: &str) -> Result<Option<(String, String)>, StorageError>;
    fn ticket(&mut self, kiosk: &str, id: &str) -> Result<Option<TicketRecord>, StorageError>;
    /// Whether the ticket has a response already.
    fn answered(&mut self, kiosk: &str, id: &str) -> Result<bool, StorageError>;
    /// Stores `row` unless the ticket or the response id is taken; whether it was stored.
    fn insert(&mut self, row: &NewRow<'_>) -> Result<bool, StorageError>;
}

/// Each response's fate, decided and (when accepted) stored in the caller's transaction.
pub(crate) fn decide_all(
    transaction: &mut dyn SurveyTransaction,
    mpp: &str,
    responses: &[SurveyResponse],
    rules: SurveyRules,
    now: DateTime<Utc>,
) -> Result<Vec<Decision>, StorageError> {
    responses
        .iter()
        .map(|response| decide_one(transaction, mpp, response, rules, now))
        .collect()
}

fn decide_one(
    transaction: &mut dyn SurveyTransaction,
    mpp: &str,
    response: &SurveyResponse,
    rules: SurveyRules,
    now: DateTime<Utc>,
) -> Result<Decision, StorageError> {
    let (kiosk, id) = (response.kiosk.as_str(), response.ticket_id.as_str());
    // A resend stays a duplicate whatever happened to the ticket since.
    if let Some(owner) = transaction.owner_of(&response.response_id)? {
        return Ok(if owner == (kiosk.to_owned(), id.to_owned()) {
            Decision::Duplicate
        } else {
            Decision::Refused(Refusal::IdTaken)
        });
    }
    let Some(record) = transaction.ticket(kiosk, id)? else {
        return Ok(Decision::NotYetKnown);
    };
    let answered = transaction.answered(kiosk, id)?;
    match judge(&record, answered, rules.for_response(response)) {
        Err(Refusal::NotServed) if judge::may_yet_be_served(&record, response.channel, rules) => {
            return Ok(Decision::NotYetServed);
        }
        Err(refusal) => return Ok(Decision::Refused(refusal)),
        Ok(()) => {}
    }
    let row = NewRow::new(mpp, response, &record, now);
    Ok(if transaction.insert(&row)? {
        Decision::Accepted
    } else {
        // The unique keys caught what the look before did not: answered meanwhile.
        Decision::Refused(Refusal::Answered)
    })
}
