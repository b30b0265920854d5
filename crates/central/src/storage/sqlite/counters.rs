//! The SQLite file's side of the counters' reports (decided in [`crate::storage::counters`]):
//! the one writer's `BEGIN IMMEDIATE` holds the ticket still while it is checked.

use rusqlite::params;

use crate::rules::counter::TicketRow;
use crate::storage::Counters;
use crate::storage::calls::{self, CallTransaction, Next};
use crate::storage::counters::{CounterTransaction, Mark, Report, sql};
use crate::storage::error::DbError;
use crate::storage::sqlite::reads::Statements;
use crate::storage::sqlite::{Sqlite, Writing};

impl CounterTransaction for Writing<'_> {
    fn standing(&mut self, report: &Report<'_>) -> Result<Option<TicketRow>, DbError> {
        let key = params![report.kiosk, report.ticket_id, report.mpp];
        self.tuple(&sql::standing(), key)
    }

    fn mark_and_keep(&mut self, mark: &Mark<'_>) -> Result<(), DbError> {
        let values = params![
            mark.kiosk,
            mark.id,
            mark.status,
            mark.counter,
            mark.at,
            mark.credential,
            mark.mpp
        ];
        self.execute(sql::MARK, &values[..5])?;
        self.execute(sql::KEEP, values).map(drop)
    }
}

impl CallTransaction for Writing<'_> {
    fn latest_call(
        &mut self,
        next: &Next<'_>,
    ) -> Result<Option<(String, String, String)>, DbError> {
        let day = next.today.to_string();
        self.tuple(calls::sql::LATEST_CALL, params![next.mpp, day, next.point])
    }

    fn first_waiting(
        &mut self,
        next: &Next<'_>,
        queue: &str,
    ) -> Result<Option<(String, String, String, String)>, DbError> {
        let day = next.today.to_string();
        self.tuple(&calls::sql::first_waiting(), params![next.mpp, day, queue])
    }

    fn ticket_json(&mut self, kiosk: &str, id: &str) -> Result<Option<String>, DbError> {
        let row: Option<(String,)> = self.tuple(calls::sql::TICKET_JSON, params![kiosk, id])?;
        Ok(row.map(|(json,)| json))
    }
}

impl Counters for Sqlite {}
