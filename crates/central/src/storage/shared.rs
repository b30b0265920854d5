//! What the statements and decisions written once for both backends share: SQLite's
//! placeholders made PostgreSQL's, and what a kiosk sent.

use chrono::{DateTime, Utc};

/// A statement written once with SQLite's `?N` placeholders, as PostgreSQL takes it (`$N`);
/// no statement holds another `?`.
pub fn for_postgres(sql: &str) -> String {
    sql.replace('?', "$")
}

/// What a kiosk of an MPP sent, as received at `now`.
pub struct Sent<'a, T> {
    pub mpp: &'a str,
    pub kiosk: &'a str,
    pub items: &'a [T],
    pub now: DateTime<Utc>,
}
