//! The SQLite file's side of the closures (decided in [`crate::storage::closures`]).

use chrono::NaiveDate;
use rusqlite::params;

use crate::storage::Closures;
use crate::storage::closures::{
    Changes, ClosureRow, ClosureTransaction, LastRow, change_values, sql,
};
use crate::storage::error::DbError;
use crate::storage::sqlite::reads::Statements;
use crate::storage::sqlite::{Sqlite, Writing};
use mpp_common::instant;
use mpp_core::closure_sync::ClosureChange;

impl ClosureTransaction for Writing<'_> {
    fn record(&mut self, sent: &Changes<'_>, change: &ClosureChange) -> Result<bool, DbError> {
        let (day, notice, at) = change_values(change);
        let (service, received) = (change.service.as_str(), instant::to_text(sent.now));
        let values = params![
            sent.mpp, sent.kiosk, change.id, day, service, notice, at, received
        ];
        Ok(self.execute(sql::RECORD, values)? > 0)
    }

    fn last(&mut self, mpp: &str, change: &ClosureChange) -> Result<Option<LastRow>, DbError> {
        let day = change.business_day.to_string();
        self.tuple(sql::LAST, params![mpp, day, change.service.as_str()])
    }

    fn set_state(&mut self, mpp: &str, kiosk: &str, change: &ClosureChange) -> Result<(), DbError> {
        let (day, notice, at) = change_values(change);
        let service = change.service.as_str();
        let values = params![mpp, day, service, notice, kiosk, at, change.id];
        self.execute(sql::SET_STATE, values).map(drop)
    }
}

impl Closures for Sqlite {
    fn closure_rows(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<ClosureRow>, DbError> {
        self.tuples(sql::DAY, params![mpp, day.to_string()])
    }
}
