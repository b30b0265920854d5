//! How the SQLite file reads and writes rows, in the connection and in a write transaction
//! alike ([`Statements`]): each statement prepared once per connection, each row read as the
//! tuple of its columns.

use rusqlite::types::FromSql;
use rusqlite::{Connection, OptionalExtension, Params, Row};

use crate::storage::error::DbError;
use crate::storage::sqlite::{Sqlite, Writing};

/// A row read as the tuple of its columns (rusqlite converts each).
pub(crate) trait Tuple: for<'a> TryFrom<&'a Row<'a>, Error = rusqlite::Error> {}

impl<T> Tuple for T where T: for<'a> TryFrom<&'a Row<'a>, Error = rusqlite::Error> {}

/// A connection to run statements on, with the errors of its file.
pub(crate) trait Statements {
    fn connection(&self) -> &Connection;

    fn fail(&self, error: rusqlite::Error) -> DbError;

    /// What `work` does on the connection, its error the file's.
    fn run<T>(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, DbError> {
        work(self.connection()).map_err(|error| self.fail(error))
    }

    /// The rows `sql` reads with `params`, each as the tuple `T`.
    fn tuples<T: Tuple>(&self, sql: &str, params: impl Params) -> Result<Vec<T>, DbError> {
        self.run(|connection| {
            let mut statement = connection.prepare_cached(sql)?;
            statement
                .query_map(params, |row| T::try_from(row))?
                .collect()
        })
    }

    /// The row `sql` reads with `params`, if any.
    fn tuple<T: Tuple>(&self, sql: &str, params: impl Params) -> Result<Option<T>, DbError> {
        self.run(|connection| {
            let mut statement = connection.prepare_cached(sql)?;
            statement
                .query_row(params, |row| T::try_from(row))
                .optional()
        })
    }

    /// The first column of each row `sql` reads with `params`.
    fn column<T: FromSql>(&self, sql: &str, params: impl Params) -> Result<Vec<T>, DbError> {
        let rows: Vec<(T,)> = self.tuples(sql, params)?;
        Ok(rows.into_iter().map(|(value,)| value).collect())
    }

    /// The one value `sql` reads with `params` (a count, a maximum, whether one exists).
    fn value<T: FromSql>(&self, sql: &str, params: impl Params) -> Result<T, DbError> {
        self.run(|connection| {
            connection
                .prepare_cached(sql)?
                .query_row(params, |row| row.get(0))
        })
    }

    /// Runs `sql` with `params`; the rows it changed.
    fn execute(&self, sql: &str, params: impl Params) -> Result<usize, DbError> {
        self.run(|connection| connection.prepare_cached(sql)?.execute(params))
    }
}

impl Statements for Sqlite {
    fn connection(&self) -> &Connection {
        &self.connection
    }

    fn fail(&self, error: rusqlite::Error) -> DbError {
        self.error(error)
    }
}

impl Statements for Writing<'_> {
    fn connection(&self) -> &Connection {
        &self.transaction
    }

    fn fail(&self, error: rusqlite::Error) -> DbError {
        Writing::fail(self, error)
    }
}
