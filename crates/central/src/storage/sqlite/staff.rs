//! The SQLite file's side of the staff tables (written in [`crate::storage::staff`]): text
//! statements on the connection and in a write transaction alike.

use rusqlite::params_from_iter;

use crate::storage::error::DbError;
use crate::storage::sqlite::reads::Statements;
use crate::storage::sqlite::{Sqlite, Writing};
use crate::storage::staff::{Staff, TextRow, TextStatements};

/// The rows of `sql` on any connection of the file, each column as text or NULL.
fn rows(
    statements: &impl Statements,
    sql: &str,
    values: &[Option<&str>],
) -> Result<Vec<TextRow>, DbError> {
    statements.run(|connection| {
        let mut statement = connection.prepare_cached(sql)?;
        let width = statement.column_count();
        statement
            .query_map(params_from_iter(values), |row| {
                (0..width).map(|index| row.get(index)).collect()
            })?
            .collect()
    })
}

impl TextStatements for Sqlite {
    fn text_rows(&mut self, sql: &str, values: &[Option<&str>]) -> Result<Vec<TextRow>, DbError> {
        rows(self, sql, values)
    }

    fn text_execute(&mut self, sql: &str, values: &[Option<&str>]) -> Result<u64, DbError> {
        Ok(self.execute(sql, params_from_iter(values))? as u64)
    }
}

impl TextStatements for Writing<'_> {
    fn text_rows(&mut self, sql: &str, values: &[Option<&str>]) -> Result<Vec<TextRow>, DbError> {
        rows(self, sql, values)
    }

    fn text_execute(&mut self, sql: &str, values: &[Option<&str>]) -> Result<u64, DbError> {
        Ok(self.execute(sql, params_from_iter(values))? as u64)
    }
}

impl Staff for Sqlite {}
