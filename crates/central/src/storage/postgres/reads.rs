//! How PostgreSQL reads rows, in the connection and in a write transaction alike: each read
//! prepared once per connection, the statements shared with SQLite taken as they are written
//! (`?N`, see [`for_postgres`]), each row as the tuple of its columns, as rusqlite reads
//! SQLite's.

use postgres::Row;
use postgres::types::{FromSqlOwned, ToSql};

use crate::storage::error::{Corrupt, DbError};
use crate::storage::postgres::{Postgres, Writing};
use crate::storage::shared::for_postgres;

/// The parameters of a statement.
pub(crate) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// A row read as the tuple of its columns.
pub(crate) trait Tuple: Sized {
    fn from_row(row: &Row) -> Result<Self, postgres::Error>;
}

macro_rules! tuple {
    ($($column:ident $index:tt),+) => {
        impl<$($column: FromSqlOwned),+> Tuple for ($($column,)+) {
            fn from_row(row: &Row) -> Result<Self, postgres::Error> {
                Ok(($(row.try_get($index)?,)+))
            }
        }
    };
}

// The widths the storage reads.
tuple!(A 0);
tuple!(A 0, B 1);
tuple!(A 0, B 1, C 2);
tuple!(A 0, B 1, C 2, D 3);
tuple!(A 0, B 1, C 2, D 3, E 4);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);

/// A connection or a write transaction to read through.
pub(crate) trait Reads: Corrupt {
    /// The rows `sql` reads with `params`.
    fn rows(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, DbError>;

    /// The rows `sql` reads with `params`, each as the tuple `T`; a column of another type is
    /// corrupt.
    fn tuples<T: Tuple>(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<T>, DbError> {
        let rows = self.rows(sql, params)?;
        let tuple = |row| T::from_row(row).map_err(|error| self.corrupt(error.to_string()));
        rows.iter().map(tuple).collect()
    }

    /// The first row `sql` reads with `params`, if any.
    fn tuple<T: Tuple>(&mut self, sql: &str, params: Params<'_>) -> Result<Option<T>, DbError> {
        Ok(self.tuples(sql, params)?.into_iter().next())
    }

    /// The first column of each row `sql` reads with `params`.
    fn column<T: FromSqlOwned>(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<T>, DbError> {
        let rows: Vec<(T,)> = self.tuples(sql, params)?;
        Ok(rows.into_iter().map(|(value,)| value).collect())
    }

    /// The one value `sql` reads with `params` (a count, a maximum, whether one exists).
    fn value<T: FromSqlOwned>(&mut self, sql: &str, params: Params<'_>) -> Result<T, DbError> {
        let value = self.column(sql, params)?.into_iter().next();
        value.ok_or_else(|| self.corrupt(format!("no row: {sql}")))
    }
}

impl Reads for Postgres {
    /// Prepared once per connection, by the statement's text; once more on a new connection
    /// when the server closed this one under it.
    fn rows(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, DbError> {
        self.retrying(|store| {
            // The connection first: a new one forgets the statements of the one before.
            store.client()?;
            let statement = match store.prepared.get(sql) {
                Some(statement) => statement.clone(),
                None => {
                    let prepared = store.client()?.prepare(&for_postgres(sql));
                    let statement = prepared.map_err(|error| store.fail(&error))?;
                    store.prepared.insert(sql.to_owned(), statement.clone());
                    statement
                }
            };
            let result = store.client()?.query(&statement, params);
            result.map_err(|error| store.fail(&error))
        })
    }
}

impl Reads for Writing<'_> {
    fn rows(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, DbError> {
        let rows = self.transaction.query(&for_postgres(sql), params);
        rows.map_err(|error| self.fail(&error))
    }
}

impl Writing<'_> {
    /// Runs `sql` with `params`; the rows it changed.
    pub(crate) fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, DbError> {
        let done = self.transaction.execute(&for_postgres(sql), params);
        done.map_err(|error| self.fail(&error))
    }
}
