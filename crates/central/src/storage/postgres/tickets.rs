//! PostgreSQL's side of the tickets: the queue reads (event batches are decided in
//! [`crate::storage::batches`], counter reports in [`crate::storage::counters`]). The first
//! heard of comes first by `seen`, standing in for SQLite's rowid.

use chrono::NaiveDate;

use crate::storage::Tickets;
use crate::storage::error::DbError;
use crate::storage::postgres::Postgres;
use crate::storage::postgres::reads::Reads;
use crate::storage::rows::{RecordRow, WaitingRow, small, sql};
use mpp_common::instant;
use mpp_core::ticket::Ticket;

impl Tickets for Postgres {
    fn kiosks_with_ticket(&mut self, mpp: &str, ticket_id: &str) -> Result<Vec<String>, DbError> {
        let sql = "SELECT kiosk FROM tickets WHERE mpp = $1 AND id = $2 ORDER BY seen";
        self.column(sql, &[&mpp, &ticket_id])
    }

    fn owners_of(&mut self, id: &str) -> Result<Vec<String>, DbError> {
        self.column(
            "SELECT kiosk FROM tickets WHERE id = $1 ORDER BY seen",
            &[&id],
        )
    }

    fn waiting_rows(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<WaitingRow>, DbError> {
        self.tuples(&sql::waiting(), &[&mpp, &day.to_string()])
    }

    fn ticket_row(&mut self, kiosk: &str, id: &str) -> Result<Option<RecordRow>, DbError> {
        self.tuple(sql::TICKET, &[&kiosk, &id])
    }

    fn ahead_of(&mut self, mpp: &str, ticket: &Ticket) -> Result<u32, DbError> {
        let ahead = self.value(
            &sql::ahead(),
            &[
                &ticket.business_day.to_string(),
                &ticket.queue.as_str(),
                &instant::to_text(ticket.issued_at),
                &ticket.id.as_str(),
                &ticket.lane.as_str(),
                &ticket.kiosk.as_str(),
                &mpp,
            ],
        )?;
        Ok(small(ahead))
    }
}
