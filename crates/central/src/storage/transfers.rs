//! A visitor sent on to another service by the counter that called them: the ticket waits again,
//! in the other service's queue, with its original issue time, so nobody waits twice and the
//! waits reported stay honest. The ticket keeps its number (the visitor's paper); the queue it
//! waits in now is `transferred_queue` ([`crate::storage::shared::QUEUE_NOW`]), which only the
//! server writes. Decided in the MPP's write transaction; kept in `counter_reports` as
//! `transferred`.

use chrono::{DateTime, Utc};

use crate::storage::counters::{CounterTransaction, sql as counters};
use crate::storage::error::DbError;
use crate::storage::rollups;
use crate::storage::shared::QUEUE_NOW;
use mpp_common::instant;

/// The column, added to the SQLite file's migrations (PostgreSQL's is in `postgres/schema.rs`).
pub const MIGRATION: &str = r#"
-- The queue a counter sent the ticket on to (NULL: the one it was issued for).
ALTER TABLE tickets ADD COLUMN transferred_queue TEXT;
-- Waiting counts and "next" by the queue a ticket waits in now, still from the index alone.
DROP INDEX tickets_waiting;
CREATE INDEX tickets_waiting ON tickets (mpp, business_day, COALESCE(transferred_queue, queue),
    lane, issued_at, kiosk, id, status, counter_status, queue, transferred_queue);
"#;

/// A transfer asked for by `point`.
pub struct Transfer<'a> {
    pub mpp: &'a str,
    pub kiosk: &'a str,
    pub id: &'a str,
    /// The queue it goes on to (a queue of the MPP's catalog).
    pub to: &'a str,
    pub point: &'a str,
    pub account: &'a str,
    pub now: DateTime<Utc>,
}

/// What a transfer came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransferOutcome {
    /// Waiting again in the other queue.
    Moved,
    /// Not called at this point now (finished, or called elsewhere since).
    NotCalledHere,
    /// It waits in that queue already.
    SameQueue,
}

fn standing_sql() -> String {
    format!(
        "SELECT {QUEUE_NOW}, counter_status, counter_name FROM tickets \
         WHERE mpp = ?1 AND kiosk = ?2 AND id = ?3"
    )
}

const MOVE: &str = "UPDATE tickets SET transferred_queue = ?3, counter_status = NULL, \
    counter_name = NULL, counter_at = NULL WHERE kiosk = ?1 AND id = ?2";

/// Moves the ticket on to `transfer.to` if `transfer.point` has it called now.
pub(crate) fn transfer(
    transaction: &mut dyn CounterTransaction,
    transfer: &Transfer<'_>,
) -> Result<TransferOutcome, DbError> {
    let key = [Some(transfer.mpp), Some(transfer.kiosk), Some(transfer.id)];
    let rows = transaction.text_rows(&standing_sql(), &key)?;
    let Some(row) = rows.into_iter().next() else {
        return Ok(TransferOutcome::NotCalledHere);
    };
    let text = |index: usize| row.get(index).cloned().flatten();
    let called_here =
        text(1).as_deref() == Some("called") && text(2).as_deref() == Some(transfer.point);
    if !called_here {
        return Ok(TransferOutcome::NotCalledHere);
    }
    if text(0).as_deref() == Some(transfer.to) {
        return Ok(TransferOutcome::SameQueue);
    }
    let at = instant::to_text(transfer.now);
    let moved = [Some(transfer.kiosk), Some(transfer.id), Some(transfer.to)];
    let key = (transfer.kiosk, transfer.id);
    rollups::tracking(transaction, key, |transaction| {
        transaction.text_execute(MOVE, &moved)
    })?;
    let kept = [
        Some(transfer.kiosk),
        Some(transfer.id),
        Some("transferred"),
        Some(transfer.point),
        Some(at.as_str()),
        Some(transfer.account),
        Some(transfer.mpp),
    ];
    transaction.text_execute(counters::KEEP, &kept)?;
    Ok(TransferOutcome::Moved)
}
