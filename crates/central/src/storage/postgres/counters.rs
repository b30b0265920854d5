//! PostgreSQL's side of the counters' reports (decided in [`crate::storage::counters`]): the
//! ticket's row is locked (`FOR UPDATE`) while it is checked.

use postgres::types::ToSql;

use crate::rules::counter::TicketRow;
use crate::storage::Counters;
use crate::storage::calls::{self, CallTransaction, Next};
use crate::storage::counters::{CounterTransaction, Mark, Report, sql};
use crate::storage::error::DbError;
use crate::storage::postgres::reads::Reads;
use crate::storage::postgres::{Postgres, Writing};

impl CounterTransaction for Writing<'_> {
    fn standing(&mut self, report: &Report<'_>) -> Result<Option<TicketRow>, DbError> {
        let standing = format!("{} FOR UPDATE", sql::standing());
        self.tuple(&standing, &[&report.kiosk, &report.ticket_id, &report.mpp])
    }

    fn mark_and_keep(&mut self, mark: &Mark<'_>) -> Result<(), DbError> {
        let values: [&(dyn ToSql + Sync); 7] = [
            &mark.kiosk,
            &mark.id,
            &mark.status,
            &mark.counter,
            &mark.at,
            &mark.credential,
            &mark.mpp,
        ];
        self.execute(sql::MARK, &values[..5])?;
        self.execute(sql::KEEP, &values).map(drop)
    }
}

impl CallTransaction for Writing<'_> {
    fn latest_call(
        &mut self,
        next: &Next<'_>,
    ) -> Result<Option<(String, String, String)>, DbError> {
        let day = next.today.to_string();
        self.tuple(calls::sql::LATEST_CALL, &[&next.mpp, &day, &next.point])
    }

    fn first_waiting(
        &mut self,
        next: &Next<'_>,
        queue: &str,
    ) -> Result<Option<(String, String, String, String)>, DbError> {
        let day = next.today.to_string();
        let first = format!("{} FOR UPDATE", calls::sql::first_waiting());
        self.tuple(&first, &[&next.mpp, &day, &queue])
    }

    fn ticket_json(&mut self, kiosk: &str, id: &str) -> Result<Option<String>, DbError> {
        let row: Option<(String,)> = self.tuple(calls::sql::TICKET_JSON, &[&kiosk, &id])?;
        Ok(row.map(|(json,)| json))
    }
}

impl Counters for Postgres {}
