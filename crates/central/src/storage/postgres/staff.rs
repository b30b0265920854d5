//! PostgreSQL's side of the staff tables (written in [`crate::storage::staff`]): text
//! statements on the connection and in a write transaction alike.

use postgres::types::ToSql;

use crate::storage::error::DbError;
use crate::storage::postgres::reads::Reads;
use crate::storage::postgres::{Postgres, Writing, classify};
use crate::storage::shared::for_postgres;
use crate::storage::shared::{TextRow, TextStatement, TextStatements};
use crate::storage::staff::Staff;

/// The parameters as the client takes them.
fn parameters<'a>(values: &'a [Option<&'a str>]) -> Vec<&'a (dyn ToSql + Sync)> {
    values
        .iter()
        .map(|value| value as &(dyn ToSql + Sync))
        .collect()
}

/// Each row's columns as text or NULL; a column of another type is corrupt.
fn texts(
    reads: &mut impl Reads,
    sql: &str,
    values: &[Option<&str>],
) -> Result<Vec<TextRow>, DbError> {
    let rows = reads.rows(sql, &parameters(values))?;
    rows.iter()
        .map(|row| {
            (0..row.len())
                .map(|index| row.try_get::<_, Option<String>>(index))
                .collect::<Result<TextRow, _>>()
                .map_err(|error| reads.corrupt(error.to_string()))
        })
        .collect()
}

impl TextStatements for Postgres {
    fn text_rows(&mut self, sql: &str, values: &[Option<&str>]) -> Result<Vec<TextRow>, DbError> {
        texts(self, sql, values)
    }

    fn text_execute(&mut self, sql: &str, values: &[Option<&str>]) -> Result<u64, DbError> {
        let sql = for_postgres(sql);
        let done = self.client()?.execute(&sql, &parameters(values));
        done.map_err(|error| self.fail(&error))
    }

    fn text_batch(&mut self, statements: &[TextStatement<'_>]) -> Result<Vec<u64>, DbError> {
        let url = self.url.clone();
        let fail = |error: postgres::Error| classify(&url, &error);
        let mut transaction = self.client()?.transaction().map_err(fail)?;
        let mut changed = Vec::with_capacity(statements.len());
        for (sql, values) in statements {
            let done = transaction.execute(&for_postgres(sql), &parameters(values));
            changed.push(done.map_err(fail)?);
        }
        transaction.commit().map_err(fail)?;
        Ok(changed)
    }
}

impl TextStatements for Writing<'_> {
    fn text_rows(&mut self, sql: &str, values: &[Option<&str>]) -> Result<Vec<TextRow>, DbError> {
        texts(self, sql, values)
    }

    fn text_execute(&mut self, sql: &str, values: &[Option<&str>]) -> Result<u64, DbError> {
        self.execute(sql, &parameters(values))
    }

    /// Inside the write transaction already: all or none with it.
    fn text_batch(&mut self, statements: &[TextStatement<'_>]) -> Result<Vec<u64>, DbError> {
        statements
            .iter()
            .map(|(sql, values)| self.text_execute(sql, values))
            .collect()
    }
}

impl Staff for Postgres {}
