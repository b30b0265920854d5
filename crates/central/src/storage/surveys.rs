//! The survey's write, decided once for both backends: each response's fate is judged by
//! [`crate::rules::survey::judge`] inside the transaction that stores it, through the few
//! questions [`SurveyTransaction`] asks the same way in SQLite and PostgreSQL.

use chrono::{DateTime, Utc};

use crate::rules::survey::{Decision, Refusal, SurveyRules, judge, may_yet_be_served};
use crate::storage::error::{Corrupt, DbError};
use crate::storage::rows::{RecordRow, record_from};
use crate::storage::survey_rows::NewRow;
use mpp_core::protocol::SurveyResponse;

/// The few questions a write transaction answers for [`decide_all`], asked the same way in
/// SQLite and PostgreSQL.
pub trait SurveyTransaction: Corrupt {
    /// The kiosk and ticket of the response stored under `response_id`, if there is one.
    fn owner_of(&mut self, response_id: &str) -> Result<Option<(String, String)>, DbError>;
    /// The row of [`crate::storage::rows::sql::TICKET`], if there is one.
    fn ticket_row(&mut self, kiosk: &str, id: &str) -> Result<Option<RecordRow>, DbError>;
    /// Whether the ticket has a response already.
    fn answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError>;
    /// Stores `row` unless the ticket or the response id is taken; whether it was stored.
    fn insert(&mut self, row: &NewRow<'_>) -> Result<bool, DbError>;
}

/// Each response's fate, decided and (when accepted) stored in the caller's transaction.
pub(crate) fn decide_all(
    transaction: &mut dyn SurveyTransaction,
    mpp: &str,
    responses: &[SurveyResponse],
    rules: SurveyRules,
    now: DateTime<Utc>,
) -> Result<Vec<Decision>, DbError> {
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
) -> Result<Decision, DbError> {
    let (kiosk, id) = (response.kiosk.as_str(), response.ticket_id.as_str());
    // A resend stays a duplicate whatever happened to the ticket since.
    if let Some(owner) = transaction.owner_of(&response.response_id)? {
        return Ok(if owner == (kiosk.to_owned(), id.to_owned()) {
            Decision::Duplicate
        } else {
            Decision::Refused(Refusal::IdTaken)
        });
    }
    let Some(row) = transaction.ticket_row(kiosk, id)? else {
        return Ok(Decision::NotYetKnown);
    };
    let record = record_from(row, |detail| transaction.corrupt(detail))?;
    let answered = transaction.answered(kiosk, id)?;
    match judge(&record, answered, rules.for_response(response)) {
        Err(Refusal::NotServed) if may_yet_be_served(&record, response.channel, rules) => {
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
