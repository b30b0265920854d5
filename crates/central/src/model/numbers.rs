//! Numbers flagged for a person: printed twice, or outside their kiosk's range.

use chrono::{DateTime, NaiveDate, Utc};
use mpp_core::numbering::NumberRange;

/// What is wrong with a ticket's number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberProblem {
    /// Another ticket, stored earlier, has the same day, queue, lane and sequence.
    Duplicate {
        first_kiosk: String,
        first_ticket: String,
    },
    /// The sequence lies outside the kiosk's `number_range`.
    OutOfRange(NumberRange),
}

/// A ticket whose number should not exist, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlaggedNumber {
    pub kiosk: String,
    pub ticket_id: String,
    pub number: String,
    pub business_day: NaiveDate,
    pub problem: NumberProblem,
    pub found_at: DateTime<Utc>,
}

impl FlaggedNumber {
    /// One warning line: ids, day and number only (there is nothing personal on a ticket).
    pub fn log(&self) {
        match &self.problem {
            NumberProblem::Duplicate {
                first_kiosk,
                first_ticket,
            } => tracing::warn!(
                kiosk = %self.kiosk,
                ticket = %self.ticket_id,
                number = %self.number,
                day = %self.business_day,
                first_kiosk = %first_kiosk,
                first_ticket = %first_ticket,
                "a number was printed twice: both tickets are kept, see /fleet"
            ),
            NumberProblem::OutOfRange(range) => tracing::warn!(
                kiosk = %self.kiosk,
                ticket = %self.ticket_id,
                number = %self.number,
                day = %self.business_day,
                range = %format!("[{}, {}]", range.first, range.last),
                "a number outside the kiosk's number_range: the ticket is kept, see /fleet"
            ),
        }
    }
}

/// How many flagged numbers the fleet page lists.
pub const LATEST_SHOWN: u32 = 20;
