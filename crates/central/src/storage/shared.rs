//! What the statements and decisions written once for both backends share: SQLite's
//! placeholders made PostgreSQL's, and what a kiosk sent.

use chrono::{DateTime, Utc};

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
