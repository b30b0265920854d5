//! Opening the database the configuration names, whichever backend: the one place that knows
//! both, above them.

use crate::config::Location;
use crate::storage::Database;
use crate::storage::error::DbError;
use crate::storage::postgres::Postgres;
use crate::storage::sqlite::Sqlite;

/// Connections to one database.
pub type Connections = Vec<Box<dyn Database>>;

/// Opens `count` connections at `location` for writing (SQLite: always one writer) and
/// `readers` for reading, bringing the schema up to date first.
pub fn open(
    location: &Location,
    writers: usize,
    readers: usize,
) -> Result<(Connections, Connections), DbError> {
    match location {
        Location::Sqlite(path) => {
            let writer: Box<dyn Database> = Box::new(Sqlite::open(path)?);
            let reads = (0..readers)
                .map(|_| {
                    Sqlite::open_reader(path).map(|reader| Box::new(reader) as Box<dyn Database>)
                })
                .collect::<Result<_, _>>()?;
            Ok((vec![writer], reads))
        }
        Location::Postgres(url) => {
            Postgres::migrate(url)?;
            let connect = |count| {
                (0..count)
                    .map(|_| {
                        Postgres::connect(url).map(|store| Box::new(store) as Box<dyn Database>)
                    })
                    .collect::<Result<Vec<_>, _>>()
            };
            Ok((connect(writers)?, connect(readers)?))
        }
    }
}
