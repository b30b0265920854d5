//! PostgreSQL's side of the numbers: those flagged for a person, and what a kiosk used
//! (statements and rows in [`crate::storage::numbers`]).

use chrono::NaiveDate;

use crate::storage::Numbers;
use crate::storage::error::DbError;
use crate::storage::numbers::{FlaggedRow, HighestRow, sql};
use crate::storage::postgres::Postgres;
use crate::storage::postgres::reads::Reads;

impl Numbers for Postgres {
    fn flagged_rows(&mut self, mpp: &str, limit: u32) -> Result<Vec<FlaggedRow>, DbError> {
        self.tuples(sql::FLAGGED, &[&mpp, &i64::from(limit)])
    }

    fn highest_rows(&mut self, kiosk: &str, day: NaiveDate) -> Result<Vec<HighestRow>, DbError> {
        self.tuples(sql::HIGHEST, &[&kiosk, &day.to_string()])
    }

    fn latest_day(&mut self, kiosk: &str) -> Result<Option<String>, DbError> {
        self.value(sql::LATEST_DAY, &[&kiosk])
    }
}
