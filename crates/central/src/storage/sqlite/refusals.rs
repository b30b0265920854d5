//! Events refused for good: recorded with the reason the kiosk was told (in the batch's own
//! transaction), counted and listed for the fleet page. Never applied, never deleted.

use crate::model::refusal::{LATEST_SHOWN, RefusalRecord, RefusedEvent};
use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};

use crate::storage::error::DbError;
use crate::storage::sqlite::Sqlite;
use mpp_common::instant;

/// Records `refused` for `kiosk`; a resent refusal with the same reason is stored once.
pub fn record(
    transaction: &Transaction<'_>,
    mpp: &str,
    kiosk: &str,
    refused: &[RefusedEvent],
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    let mut statement = transaction.prepare(
        "INSERT INTO refusals (kiosk, ticket_id, event_id, reason, received_at, mpp) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM refusals \
         WHERE kiosk = ?1 AND ticket_id = ?2 AND event_id = ?3 AND reason = ?4)",
    )?;
    for event in refused {
        statement.execute(params![
            kiosk,
            event.ticket_id,
            event.refusal.event_id,
            event.refusal.reason,
            instant::to_text(now),
            mpp
        ])?;
    }
    Ok(())
}

impl Sqlite {
    /// How many events of `kiosk` were refused, and the latest few, newest first.
    pub fn refusals(&self, kiosk: &str) -> Result<(u32, Vec<RefusalRecord>), DbError> {
        let fail = |error| self.error(error);
        let count = self
            .connection
            .query_row(
                "SELECT count(*) FROM refusals WHERE kiosk = ?1",
                params![kiosk],
                |row| row.get(0),
            )
            .map_err(fail)?;
        let mut statement = self
            .connection
            .prepare(
                "SELECT ticket_id, event_id, reason, received_at FROM refusals \
                 WHERE kiosk = ?1 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(fail)?;
        let rows = statement
            .query_map(params![kiosk, LATEST_SHOWN], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
            .map_err(fail)?;
        Ok((count, refusals_from(rows, &|detail| self.corrupt(detail))?))
    }
}

/// Refusals as both backends read them (ticket, event, reason, when received).
pub(crate) fn refusals_from(
    rows: Vec<(String, i64, String, String)>,
    corrupt: &dyn Fn(String) -> DbError,
) -> Result<Vec<RefusalRecord>, DbError> {
    rows.into_iter()
        .map(|(ticket_id, event_id, reason, received)| {
            let received_at = instant::parse(&received)
                .ok_or_else(|| corrupt(format!("instant {received:?}")))?;
            Ok(RefusalRecord {
                ticket_id,
                event_id,
                reason,
                received_at,
            })
        })
        .collect()
}
