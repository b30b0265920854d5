//! Queue numbers as both backends keep them: a number printed twice (the same day, queue, lane
//! and sequence on two tickets of an MPP) or outside its kiosk's configured range is stored
//! anyway, since the paper is real, and flagged for a person (which, is
//! [`crate::rules::numbers::flagged`]); and what a kiosk has used on a day, for a kiosk whose
//! database is new (`GET /api/v1/numbers`). The statements and the rows are written here once.

use chrono::NaiveDate;

use crate::model::numbers::{FlaggedNumber, NumberProblem};
use crate::storage::error::DbError;
use crate::storage::rows::small;
use mpp_common::instant;
use mpp_core::numbering::{Lane, NumberRange};
use mpp_core::protocol::HighestNumber;

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them `$N`).
pub(crate) mod sql {
    /// Stores a flagged number of MPP `?1` (as [`super::columns`] lays it out), once.
    pub const FLAG: &str = "INSERT INTO flagged_numbers (mpp, problem, kiosk, ticket_id, \
        number, business_day, first_kiosk, first_ticket_id, range_first, range_last, found_at) \
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING";
    /// MPP `?1`'s latest flagged numbers (as [`super::FlaggedRow`]), newest first, at most `?2`.
    pub const FLAGGED: &str = "SELECT problem, kiosk, ticket_id, number, business_day, \
        first_kiosk, first_ticket_id, range_first, range_last, found_at FROM flagged_numbers \
        WHERE mpp = ?1 ORDER BY id DESC LIMIT ?2";
    /// The highest sequence kiosk `?1` printed on day `?2` per queue and lane, by queue then lane.
    pub const HIGHEST: &str = "SELECT queue, lane, max(sequence) FROM tickets \
        WHERE kiosk = ?1 AND business_day = ?2 GROUP BY queue, lane ORDER BY queue, lane";
    /// The latest business day of any ticket of kiosk `?1`.
    pub const LATEST_DAY: &str = "SELECT max(business_day) FROM tickets WHERE kiosk = ?1";
}

/// The columns a flagged number is stored in: problem, first kiosk and ticket, range.
pub fn columns(
    problem: &NumberProblem,
) -> (
    &'static str,
    Option<&str>,
    Option<&str>,
    Option<NumberRange>,
) {
    match problem {
        NumberProblem::Duplicate {
            first_kiosk,
            first_ticket,
        } => ("duplicate", Some(first_kiosk), Some(first_ticket), None),
        NumberProblem::OutOfRange(range) => ("out_of_range", None, None, Some(*range)),
    }
}

/// One row of [`sql::FLAGGED`].
pub type FlaggedRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    String,
);

/// A flagged number as a row holds it; `corrupt` names what cannot be read.
pub(crate) fn flagged_from(
    row: FlaggedRow,
    corrupt: &dyn Fn(String) -> DbError,
) -> Result<FlaggedNumber, DbError> {
    let (problem, kiosk, ticket_id, number, day, first_kiosk, first_ticket, first, last, at) = row;
    let corrupt = || corrupt(format!("flagged number of ticket {ticket_id}"));
    let problem = match (problem.as_str(), first_kiosk, first_ticket, first, last) {
        ("duplicate", Some(first_kiosk), Some(first_ticket), _, _) => NumberProblem::Duplicate {
            first_kiosk,
            first_ticket,
        },
        ("out_of_range", _, _, Some(first), Some(last)) => {
            let bound = |value: i64| u32::try_from(value).map_err(|_| corrupt());
            NumberProblem::OutOfRange(
                NumberRange::new(bound(first)?, bound(last)?).map_err(|_| corrupt())?,
            )
        }
        _ => return Err(corrupt()),
    };
    Ok(FlaggedNumber {
        business_day: day.parse().map_err(|_| corrupt())?,
        found_at: instant::parse(&at).ok_or_else(corrupt)?,
        kiosk,
        ticket_id,
        number,
        problem,
    })
}

/// A row of [`sql::HIGHEST`]: queue, lane, sequence.
pub type HighestRow = (String, String, i64);

/// The highest numbers as [`sql::HIGHEST`] reads them.
pub(crate) fn highest_from(
    rows: Vec<HighestRow>,
    corrupt: &dyn Fn(String) -> DbError,
) -> Result<Vec<HighestNumber>, DbError> {
    rows.into_iter()
        .map(|(queue, lane, sequence)| {
            let lane = Lane::parse(&lane).ok_or_else(|| corrupt(format!("lane {lane:?}")))?;
            Ok(HighestNumber {
                queue: queue.into(),
                lane,
                sequence: small(sequence),
            })
        })
        .collect()
}

/// The business day [`sql::LATEST_DAY`] read, if the kiosk has any ticket.
pub(crate) fn latest_day_from(
    day: Option<String>,
    corrupt: &dyn Fn(String) -> DbError,
) -> Result<Option<NaiveDate>, DbError> {
    day.map(|day| {
        day.parse()
            .map_err(|_| corrupt(format!("business day {day:?}")))
    })
    .transpose()
}
