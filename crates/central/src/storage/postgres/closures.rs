//! PostgreSQL's side of the closures (decided in [`crate::storage::closures`]): under the
//! MPP's write lock, two kiosks' changes to one service follow one another and the second is
//! decided against the first.

use chrono::NaiveDate;

use crate::storage::Closures;
use crate::storage::closures::{
    Changes, ClosureRow, ClosureTransaction, LastRow, change_values, sql,
};
use crate::storage::error::DbError;
use crate::storage::postgres::reads::Reads;
use crate::storage::postgres::{Postgres, Writing};
use mpp_common::instant;
use mpp_core::closure_sync::ClosureChange;

impl ClosureTransaction for Writing<'_> {
    fn record(&mut self, sent: &Changes<'_>, change: &ClosureChange) -> Result<bool, DbError> {
        let (day, notice, at) = change_values(change);
        let (service, received) = (change.service.as_str(), instant::to_text(sent.now));
        let (mpp, kiosk, id) = (sent.mpp, sent.kiosk, change.id);
        let inserted = self.execute(
            sql::RECORD,
            &[&mpp, &kiosk, &id, &day, &service, &notice, &at, &received],
        )?;
        Ok(inserted > 0)
    }

    fn last(&mut self, mpp: &str, change: &ClosureChange) -> Result<Option<LastRow>, DbError> {
        let (day, service) = (change.business_day.to_string(), change.service.as_str());
        self.tuple(sql::LAST, &[&mpp, &day, &service])
    }

    fn set_state(&mut self, mpp: &str, kiosk: &str, change: &ClosureChange) -> Result<(), DbError> {
        let (day, notice, at) = change_values(change);
        let service = change.service.as_str();
        self.execute(
            sql::SET_STATE,
            &[&mpp, &day, &service, &notice, &kiosk, &at, &change.id],
        )
        .map(drop)
    }
}

impl Closures for Postgres {
    fn closure_rows(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<ClosureRow>, DbError> {
        self.tuples(sql::DAY, &[&mpp, &day.to_string()])
    }
}
