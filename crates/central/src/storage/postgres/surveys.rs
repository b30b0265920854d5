//! PostgreSQL's side of the survey: decisions and inserts in one transaction under the MPP's
//! write lock (as every write), so a kiosk's and a phone's response to one ticket follow one
//! another; the unique keys stand behind it.

use crate::storage::Surveys;
use chrono::{DateTime, NaiveDate, Utc};
use postgres::types::ToSql;

use crate::model::survey::SurveyRow;
use crate::model::ticket::TicketRecord;
use crate::rules::survey::{Decision, SurveyRules};
use crate::storage::error::DbError;
use crate::storage::postgres::{Postgres, Writing};
use crate::storage::rows::record_from;
use crate::storage::survey_rows as rows;
use crate::storage::survey_rows::{Cell, NewRow};
use crate::storage::surveys::{SurveyTransaction, decide_all};
use mpp_core::protocol::SurveyResponse;

fn numbered(n: usize) -> String {
    format!("${n}")
}

/// Whether a ticket has a response.
const ANSWERED: &str =
    "SELECT EXISTS (SELECT 1 FROM survey_responses WHERE kiosk = $1 AND ticket_id = $2)";

impl SurveyTransaction for Writing<'_, '_> {
    fn owner_of(&mut self, response_id: &str) -> Result<Option<(String, String)>, DbError> {
        let row = self.transaction.query_opt(
            "SELECT kiosk, ticket_id FROM survey_responses WHERE response_id = $1",
            &[&response_id],
        );
        row.map(|row| row.map(|row| (row.get(0), row.get(1))))
            .map_err(|error| self.fail(&error))
    }

    fn ticket(&mut self, kiosk: &str, id: &str) -> Result<Option<TicketRecord>, DbError> {
        let row = self
            .transaction
            .query_opt(
                "SELECT ticket_json, counter_status, counter_name, counter_at FROM tickets \
                 WHERE kiosk = $1 AND id = $2",
                &[&kiosk, &id],
            )
            .map_err(|error| self.fail(&error))?;
        row.map(|row| {
            let raw = (row.get(0), row.get(1), row.get(2), row.get(3));
            record_from(raw, |detail| self.corrupt(detail))
        })
        .transpose()
    }

    fn answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError> {
        let row = self.transaction.query_one(ANSWERED, &[&kiosk, &id]);
        row.map(|row| row.get(0)).map_err(|error| self.fail(&error))
    }

    fn insert(&mut self, row: &NewRow<'_>) -> Result<bool, DbError> {
        let values: Vec<Box<dyn ToSql + Sync>> = row.cells().into_iter().map(pg_value).collect();
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|value| &**value).collect();
        let inserted = self
            .transaction
            .execute(&rows::insert_sql(numbered), &params);
        inserted
            .map(|count| count > 0)
            .map_err(|error| self.fail(&error))
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
    fn record_surveys(
        &mut self,
        mpp: &str,
        responses: &[SurveyResponse],
        rules: SurveyRules,
        now: DateTime<Utc>,
    ) -> Result<Vec<Decision>, DbError> {
        self.deciding(mpp, |writing| {
            decide_all(writing, mpp, responses, rules, now)
        })
    }

    fn survey_answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError> {
        let rows = self.rows(ANSWERED, &[&kiosk, &id])?;
        Ok(rows.first().is_some_and(|row| row.get(0)))
    }

    fn survey_rows(
        &mut self,
        mpp: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<SurveyRow>, DbError> {
        let (first, last) = (first.to_string(), last.to_string());
        let found = self.rows(&rows::select_sql(numbered), &[&mpp, &first, &last])?;
        let width = rows::read_columns().len();
        found
            .iter()
            .map(|row| {
                let cells = (0..width)
                    .map(|index| {
                        if rows::is_answer(index) {
                            Cell::Integer(row.get(index))
                        } else {
                            row.get::<_, Option<String>>(index)
                                .map_or(Cell::Null, Cell::Text)
                        }
                    })
                    .collect();
                rows::row_from(cells).map_err(|detail| self.corrupt(detail))
            })
            .collect()
    }
}
