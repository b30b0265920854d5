//! The SQLite file's side of the staff tables (written in [`crate::storage::staff`]): text
//! statements on the connection and in a write transaction alike.

use rusqlite::params_from_iter;

use crate::storage::error::DbError;
use crate::storage::shared::{TextRow, TextStatement, TextStatements};
use crate::storage::sqlite::reads::Statements;
use crate::storage::sqlite::{Sqlite, Writing};
use crate::storage::staff::Staff;

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

    fn text_batch(&mut self, statements: &[TextStatement<'_>]) -> Result<Vec<u64>, DbError> {
        let path = self.path.clone();
        let fail = |error| DbError::classify(&path, error);
        let transaction = self.connection.transaction().map_err(fail)?;
        let mut changed = Vec::with_capacity(statements.len());
        for (sql, values) in statements {
            let mut statement = transaction.prepare_cached(sql).map_err(fail)?;
            changed.push(
                statement
                    .execute(params_from_iter(values.iter()))
                    .map_err(fail)? as u64,
            );
        }
        transaction.commit().map_err(fail)?;
        Ok(changed)
    }
}

impl TextStatements for Writing<'_> {
    fn text_rows(&mut self, sql: &str, values: &[Option<&str>]) -> Result<Vec<TextRow>, DbError> {
        rows(self, sql, values)
    }

    fn text_execute(&mut self, sql: &str, values: &[Option<&str>]) -> Result<u64, DbError> {
        Ok(self.execute(sql, params_from_iter(values))? as u64)
    }

    /// Inside the write transaction already: all or none with it.
    fn text_batch(&mut self, statements: &[TextStatement<'_>]) -> Result<Vec<u64>, DbError> {
        statements
            .iter()
            .map(|(sql, values)| self.text_execute(sql, values))
            .collect()
    }
}

impl Staff for Sqlite {}
