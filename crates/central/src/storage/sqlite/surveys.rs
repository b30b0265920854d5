//! The SQLite backend's side of the survey ([`crate::storage::Database`] calls these): decisions
//! and inserts in one `BEGIN IMMEDIATE` transaction on the one writer, so two responses for
//! one ticket follow one another and the second sees the first.

use crate::storage::Surveys;
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};

use crate::model::survey::SurveyRow;
use crate::model::ticket::TicketRecord;
use crate::rules::survey::{Decision, SurveyRules};
use crate::storage::error::DbError;
use crate::storage::rows::record_from;
use crate::storage::sqlite::{Sqlite, Writing};
use crate::storage::survey_rows as rows;
use crate::storage::survey_rows::{Cell, NewRow};
use crate::storage::surveys::{SurveyTransaction, decide_all};
use mpp_core::protocol::SurveyResponse;

fn numbered(n: usize) -> String {
    format!("?{n}")
}

/// Whether a ticket has a response.
const ANSWERED: &str =
    "SELECT EXISTS (SELECT 1 FROM survey_responses WHERE kiosk = ?1 AND ticket_id = ?2)";

impl SurveyTransaction for Writing<'_> {
    fn owner_of(&mut self, response_id: &str) -> Result<Option<(String, String)>, DbError> {
        self.transaction
            .query_row(
                "SELECT kiosk, ticket_id FROM survey_responses WHERE response_id = ?1",
                [response_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|error| self.fail(error))
    }

    fn ticket(&mut self, kiosk: &str, id: &str) -> Result<Option<TicketRecord>, DbError> {
        let row = self
            .transaction
            .query_row(
                "SELECT ticket_json, counter_status, counter_name, counter_at FROM tickets \
                 WHERE kiosk = ?1 AND id = ?2",
                params![kiosk, id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()
            .map_err(|error| self.fail(error))?;
        row.map(|row| record_from(row, |detail| self.corrupt(detail)))
            .transpose()
    }

    fn answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError> {
        self.transaction
            .query_row(ANSWERED, params![kiosk, id], |row| row.get(0))
            .map_err(|error| self.fail(error))
    }

    fn insert(&mut self, row: &NewRow<'_>) -> Result<bool, DbError> {
        let values: Vec<Value> = row.cells().into_iter().map(sqlite_value).collect();
        self.transaction
            .prepare_cached(&rows::insert_sql(numbered))
            .and_then(|mut statement| statement.execute(rusqlite::params_from_iter(values)))
            .map(|inserted| inserted > 0)
            .map_err(|error| self.fail(error))
    }
}

fn sqlite_value(cell: Cell) -> Value {
    match cell {
        Cell::Text(text) => Value::Text(text),
        Cell::Integer(number) => Value::Integer(number),
        Cell::Null => Value::Null,
    }
}

impl Surveys for Sqlite {
    /// Decides and stores `responses` of `mpp` in one transaction.
    #[tracing::instrument(skip_all, err, fields(responses = responses.len()))]
    fn record_surveys(
        &mut self,
        mpp: &str,
        responses: &[SurveyResponse],
        rules: SurveyRules,
        now: DateTime<Utc>,
    ) -> Result<Vec<Decision>, DbError> {
        self.deciding(|writing| decide_all(writing, mpp, responses, rules, now))
    }

    /// Whether `kiosk`'s ticket `id` has a response.
    fn survey_answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError> {
        self.connection
            .query_row(ANSWERED, params![kiosk, id], |row| row.get(0))
            .map_err(|error| self.error(error))
    }

    /// `mpp`'s responses about tickets of `first` to `last` (business days), oldest first.
    fn survey_rows(
        &mut self,
        mpp: &str,
        first: chrono::NaiveDate,
        last: chrono::NaiveDate,
    ) -> Result<Vec<SurveyRow>, DbError> {
        let width = rows::read_columns().len();
        let cells: Vec<Vec<Cell>> = self
            .connection
            .prepare_cached(&rows::select_sql(numbered))
            .and_then(|mut statement| {
                statement
                    .query_map(params![mpp, first.to_string(), last.to_string()], |row| {
                        (0..width)
                            .map(|index| row.get::<_, Value>(index).map(cell_of))
                            .collect::<Result<Vec<_>, _>>()
                    })?
                    .collect()
            })
            .map_err(|error| self.error(error))?;
        cells
            .into_iter()
            .map(|cells| rows::row_from(cells).map_err(|detail| self.corrupt(detail)))
            .collect()
    }
}

fn cell_of(value: Value) -> Cell {
    match value {
        Value::Text(text) => Cell::Text(text),
        Value::Integer(number) => Cell::Integer(number),
        _ => Cell::Null,
    }
}
