//! What the statements and decisions written once for both backends share: SQLite's
//! placeholders made PostgreSQL's, what a kiosk sent, and text statements (the features whose
//! values are all text run those, written once above both backends).

use chrono::{DateTime, Utc};

use crate::storage::error::{Corrupt, DbError};

/// A statement written once with SQLite's `?N` placeholders, as PostgreSQL takes it (`$N`);
/// no statement holds another `?`.
pub fn for_postgres(sql: &str) -> String {
    sql.replace('?', "$")
}

/// The queue a ticket waits in now: the one it was transferred to by a counter, else the one
/// it was issued for (`transferred_queue` is the server's; a kiosk's events never touch it).
pub const QUEUE_NOW: &str = "COALESCE(transferred_queue, queue)";

/// What a kiosk of an MPP sent, as received at `now`.
pub struct Sent<'a, T> {
    pub mpp: &'a str,
    pub kiosk: &'a str,
    pub items: &'a [T],
    pub now: DateTime<Utc>,
}

/// A row of text columns; NULL is `None`.
pub type TextRow = Vec<Option<String>>;

/// What the staff tables need of a backend (its connection and its write transaction): text
/// statements with text parameters.
pub trait TextStatements: Corrupt {
    fn text_rows(&mut self, sql: &str, values: &[Option<&str>]) -> Result<Vec<TextRow>, DbError>;

    /// Runs `sql`; the rows it changed.
    fn text_execute(&mut self, sql: &str, values: &[Option<&str>]) -> Result<u64, DbError>;

    /// Runs `statements` in one transaction, all or none (inside a write transaction: in that
    /// one); the rows each changed.
    fn text_batch(&mut self, statements: &[TextStatement<'_>]) -> Result<Vec<u64>, DbError>;
}

/// A statement and its text values, for [`TextStatements::text_batch`].
pub type TextStatement<'a> = (&'a str, &'a [Option<&'a str>]);
