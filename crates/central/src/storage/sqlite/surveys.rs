//! The SQLite file's side of the survey (decided in [`crate::storage::surveys`]): the one
//! writer's `BEGIN IMMEDIATE`, so two responses for one ticket follow one another and the
//! second sees the first.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter};

use crate::storage::Surveys;
use crate::storage::error::DbError;
use crate::storage::rows::{RecordRow, sql};
use crate::storage::sqlite::reads::Statements;
use crate::storage::sqlite::{Sqlite, Writing};
use crate::storage::survey_rows::{ANSWERED, Cell, NewRow, OWNER, insert_sql};
use crate::storage::surveys::SurveyTransaction;

impl SurveyTransaction for Writing<'_> {
    fn owner_of(&mut self, response_id: &str) -> Result<Option<(String, String)>, DbError> {
        self.tuple(OWNER, [response_id])
    }

    fn ticket_row(&mut self, kiosk: &str, id: &str) -> Result<Option<RecordRow>, DbError> {
        self.tuple(sql::TICKET, params![kiosk, id])
    }

    fn answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError> {
        self.value(ANSWERED, params![kiosk, id])
    }

    fn insert(&mut self, row: &NewRow<'_>) -> Result<bool, DbError> {
        let values: Vec<Value> = row.cells().into_iter().map(sqlite_value).collect();
        Ok(self.execute(&insert_sql(), params_from_iter(values))? > 0)
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
    fn survey_answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError> {
        self.value(ANSWERED, params![kiosk, id])
    }

    fn cells(&mut self, sql: &str, params: &[&str]) -> Result<Vec<Vec<Cell>>, DbError> {
        let rows = self
            .connection
            .prepare_cached(sql)
            .and_then(|mut statement| {
                let width = statement.column_count();
                let rows = statement.query_map(params_from_iter(params), |row| {
                    (0..width)
                        .map(|index| row.get::<_, Value>(index).map(cell_of))
                        .collect::<Result<Vec<_>, _>>()
                })?;
                rows.collect()
            });
        rows.map_err(|error| self.error(error))
    }
}

fn cell_of(value: Value) -> Cell {
    match value {
        Value::Text(text) => Cell::Text(text),
        Value::Integer(number) => Cell::Integer(number),
        _ => Cell::Null,
    }
}
