//! Every call of a visitor to a counter point, as both backends keep it: one row per call or
//! recall, numbered per MPP (1, 2, 3…) inside the write transaction that made the call, so
//! the lobby displays can follow them in order and resume from the last number they saw. Every
//! way of calling (the console, `next`, a counter's report) writes here, in the same
//! transaction as the ticket's move: a call is on the displays exactly when it happened.

use chrono::{DateTime, Utc};

use crate::model::calls::{CallEvent, CallKind};
use crate::storage::error::{Corrupt, DbError};
use crate::storage::shared::{TextRow, TextStatements};
use mpp_common::instant;

/// The table, added to the SQLite file's migrations (PostgreSQL's is in `postgres/schema.rs`).
pub const MIGRATION: &str = r#"
-- Calls of visitors to counter points, numbered per MPP in the order they were made.
CREATE TABLE calls (
    mpp     TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    kiosk   TEXT NOT NULL,
    ticket  TEXT NOT NULL,
    number  TEXT NOT NULL,
    point   TEXT NOT NULL,
    zone    TEXT NOT NULL,
    kind    TEXT NOT NULL,
    at      TEXT NOT NULL,
    -- Why a ticket was called out of turn (by its number); '' for a call in turn.
    reason  TEXT NOT NULL,
    account TEXT NOT NULL,
    PRIMARY KEY (mpp, seq)
) STRICT;
"#;

/// Most calls one read returns (a display catching up reads again).
pub const READ_AT_MOST: usize = 100;

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them `$N`).
/// Numbers travel as text both ways, so both backends read them with the same code; the casts
/// tell PostgreSQL each parameter is text.
pub(crate) mod sql {
    /// Appends a call as the MPP's next number (under the MPP's write lock).
    pub const APPEND: &str = "INSERT INTO calls \
        (mpp, seq, kiosk, ticket, number, point, zone, kind, at, reason, account) \
        SELECT ?1, COALESCE(MAX(seq), 0) + 1, CAST(?2 AS TEXT), CAST(?3 AS TEXT), \
        CAST(?4 AS TEXT), CAST(?5 AS TEXT), CAST(?6 AS TEXT), CAST(?7 AS TEXT), CAST(?8 AS TEXT), \
        CAST(?9 AS TEXT), CAST(?10 AS TEXT) FROM calls WHERE mpp = ?1 RETURNING CAST(seq AS TEXT)";
    const COLUMNS: &str = "CAST(seq AS TEXT), number, point, zone, kind, at";
    /// The MPP's calls after number `?2`, in order (zone `?3`, or every zone when empty).
    pub fn after() -> String {
        format!(
            "SELECT {COLUMNS} FROM calls WHERE mpp = ?1 AND seq > CAST(CAST(?2 AS TEXT) AS BIGINT) \
             AND (zone = ?3 OR ?3 = '') ORDER BY seq LIMIT {}",
            crate::storage::call_log::READ_AT_MOST
        )
    }
    /// The MPP's latest calls, newest first (zone `?2`, or every zone when empty), at most `?3`.
    pub fn latest() -> String {
        format!(
            "SELECT {COLUMNS} FROM calls WHERE mpp = ?1 AND (zone = ?2 OR ?2 = '') \
             ORDER BY seq DESC LIMIT CAST(CAST(?3 AS TEXT) AS BIGINT)"
        )
    }
    /// One call of the MPP by number.
    pub fn one() -> String {
        format!(
            "SELECT {COLUMNS} FROM calls WHERE mpp = ?1 AND seq = CAST(CAST(?2 AS TEXT) AS BIGINT)"
        )
    }
}

/// A call about to be logged.
pub struct NewCall<'a> {
    pub mpp: &'a str,
    pub kiosk: &'a str,
    pub ticket: &'a str,
    pub number: &'a str,
    pub point: &'a str,
    pub zone: &'a str,
    pub kind: CallKind,
    pub at: DateTime<Utc>,
    /// Why it was called out of turn; "" in turn.
    pub reason: &'a str,
    /// Who called: the account, or the counter credential.
    pub account: &'a str,
}

/// Logs `call` inside the write transaction that made it; its number in the MPP's log.
pub fn append(transaction: &mut dyn TextStatements, call: &NewCall<'_>) -> Result<i64, DbError> {
    let at = instant::to_text(call.at);
    let values = [
        Some(call.mpp),
        Some(call.kiosk),
        Some(call.ticket),
        Some(call.number),
        Some(call.point),
        Some(call.zone),
        Some(call.kind.code()),
        Some(at.as_str()),
        Some(call.reason),
        Some(call.account),
    ];
    let rows = transaction.text_rows(sql::APPEND, &values)?;
    let seq = rows.first().and_then(|row| row.first().cloned().flatten());
    seq.and_then(|seq| seq.parse().ok())
        .ok_or_else(|| transaction.corrupt("a call was logged without a number".into()))
}

/// Reading the call log, for the displays and the audio of each call.
pub trait CallLog: TextStatements {
    /// `mpp`'s calls after number `after` in order, at most [`READ_AT_MOST`]; `zone` empty for
    /// every zone.
    fn calls_after(
        &mut self,
        mpp: &str,
        zone: &str,
        after: i64,
    ) -> Result<Vec<CallEvent>, DbError> {
        let after = after.to_string();
        let rows = self.text_rows(&sql::after(), &[Some(mpp), Some(&after), Some(zone)])?;
        events(self, rows)
    }

    /// `mpp`'s latest `count` calls, oldest first.
    fn latest_calls(
        &mut self,
        mpp: &str,
        zone: &str,
        count: u32,
    ) -> Result<Vec<CallEvent>, DbError> {
        let count = count.to_string();
        let rows = self.text_rows(&sql::latest(), &[Some(mpp), Some(zone), Some(&count)])?;
        let mut calls = events(self, rows)?;
        calls.reverse();
        Ok(calls)
    }

    /// `mpp`'s call number `seq`, if there is one.
    fn call(&mut self, mpp: &str, seq: i64) -> Result<Option<CallEvent>, DbError> {
        let seq = seq.to_string();
        let rows = self.text_rows(&sql::one(), &[Some(mpp), Some(&seq)])?;
        Ok(events(self, rows)?.into_iter().next())
    }
}

impl<T: TextStatements + ?Sized> CallLog for T {}

fn events(
    corrupt: &(impl Corrupt + ?Sized),
    rows: Vec<TextRow>,
) -> Result<Vec<CallEvent>, DbError> {
    rows.into_iter()
        .map(|row| event(&row).ok_or_else(|| corrupt.corrupt(format!("call row {row:?}"))))
        .collect()
}

fn event(row: &[Option<String>]) -> Option<CallEvent> {
    let text = |index: usize| row.get(index).cloned().flatten();
    Some(CallEvent {
        id: text(0)?.parse().ok()?,
        number: text(1)?,
        point: text(2)?,
        zone: text(3)?,
        kind: CallKind::from_code(&text(4)?)?,
        at: instant::parse(&text(5)?)?,
    })
}
