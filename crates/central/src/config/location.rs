//! Where the server keeps its data: `database` in mpp-central.toml.

/// Where the configuration keeps the data: a SQLite file or a PostgreSQL server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Sqlite(std::path::PathBuf),
    /// A `postgres://` address (it may hold a password: never logged as it is).
    Postgres(String),
}
