//! PostgreSQL's side of the survey (decided in [`crate::storage::surveys`]): under the MPP's
//! write lock, a kiosk's and a phone's response to one ticket follow one another; the unique
//! keys stand behind it.

use postgres::types::{ToSql, Type};

use crate::storage::Surveys;
use crate::storage::error::{Corrupt, DbError};
use crate::storage::postgres::reads::Reads;
use crate::storage::postgres::{Postgres, Writing};
use crate::storage::rows::{RecordRow, sql};
use crate::storage::survey_rows::{ANSWERED, Cell, NewRow, OWNER, insert_sql};
use crate::storage::surveys::SurveyTransaction;

impl SurveyTransaction for Writing<'_> {
    fn owner_of(&mut self, response_id: &str) -> Result<Option<(String, String)>, DbError> {
        self.tuple(OWNER, &[&response_id])
    }

    fn ticket_row(&mut self, kiosk: &str, id: &str) -> Result<Option<RecordRow>, DbError> {
        self.tuple(sql::TICKET, &[&kiosk, &id])
    }

    fn answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError> {
        self.value(ANSWERED, &[&kiosk, &id])
    }

    fn insert(&mut self, row: &NewRow<'_>) -> Result<bool, DbError> {
        let values: Vec<Box<dyn ToSql + Sync>> = row.cells().into_iter().map(pg_value).collect();
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|value| &**value).collect();
        Ok(self.execute(&insert_sql(), &params)? > 0)
    }
}

fn pg_value(cell: Cell) -> Box<dyn ToSql + Sync> {
    match cell {
        Cell::Text(text) => Box::new(text),
        Cell::Integer(number) => Box::new(number),
        Cell::Null => Box::new(None::<String>),
    }
}

impl Surveys for Postgres {
    fn survey_answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError> {
        self.value(ANSWERED, &[&kiosk, &id])
    }

    /// Each column read by its type: the survey's are BIGINT or TEXT.
    fn cells(&mut self, sql: &str, params: &[&str]) -> Result<Vec<Vec<Cell>>, DbError> {
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|param| param as _).collect();
        let rows = self.rows(sql, &params)?;
        let cell = |row: &postgres::Row, index: usize| {
            let cell = if *row.columns()[index].type_() == Type::INT8 {
                row.try_get::<_, Option<i64>>(index)?.map(Cell::Integer)
            } else {
                row.try_get::<_, Option<String>>(index)?.map(Cell::Text)
            };
            Ok(cell.unwrap_or(Cell::Null))
        };
        rows.iter()
            .map(|row| (0..row.len()).map(|index| cell(row, index)).collect())
            .collect::<Result<_, postgres::Error>>()
            .map_err(|error| self.corrupt(error.to_string()))
    }
}
