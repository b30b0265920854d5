//! What a counter point's console shows, read the same way on both backends: per queue, how
//! many wait for a first call and since when the longest has waited; the ticket the point has
//! called and not finished; how often a ticket was called.

use chrono::{DateTime, NaiveDate, Utc};

use crate::storage::error::DbError;
use crate::storage::shared::TextStatements;
use mpp_common::instant;

pub(crate) mod sql {
    /// Per queue of MPP `?1` on day `?2`: tickets nobody has called yet, and the earliest issue.
    pub fn queues() -> String {
        let queue = crate::storage::shared::QUEUE_NOW;
        format!(
            "SELECT {queue}, CAST(count(*) AS TEXT), MIN(issued_at) FROM tickets \
             WHERE mpp = ?1 AND business_day = ?2 AND status != 'voided' \
             AND counter_status IS NULL GROUP BY {queue}"
        )
    }
    /// The point's (`?3`) latest ticket still standing at "called": kiosk, id, number, when.
    pub const CURRENT: &str = "SELECT kiosk, id, number, counter_at FROM tickets \
        WHERE mpp = ?1 AND business_day = ?2 AND counter_name = ?3 AND counter_status = 'called' \
        ORDER BY counter_at DESC LIMIT 1";
    /// How many times a ticket (kiosk `?2`, id `?3`) of MPP `?1` was called.
    pub const TIMES_CALLED: &str =
        "SELECT CAST(count(*) AS TEXT) FROM calls WHERE mpp = ?1 AND kiosk = ?2 AND ticket = ?3";
}

/// One queue as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueNow {
    pub queue: String,
    /// Tickets waiting for a first call.
    pub waiting: u32,
    /// When the one waiting longest was issued.
    pub since: Option<DateTime<Utc>>,
}

/// The ticket a point has called and not yet finished.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Current {
    pub kiosk: String,
    pub id: String,
    pub number: String,
    /// When it was last called.
    pub called_at: DateTime<Utc>,
    /// How many times it was called (recalls included).
    pub times: u32,
}

/// The console's reads, over text statements.
pub trait ConsoleReads: TextStatements {
    /// Every queue in `queues`, in that order, with its waiting tickets on `day`.
    fn queues_now(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        queues: &[String],
    ) -> Result<Vec<QueueNow>, DbError> {
        let day = day.to_string();
        let rows = self.text_rows(&sql::queues(), &[Some(mpp), Some(&day)])?;
        let find = |queue: &str| rows.iter().find(|row| row[0].as_deref() == Some(queue));
        queues
            .iter()
            .map(|queue| {
                let Some(row) = find(queue) else {
                    return Ok(QueueNow {
                        queue: queue.clone(),
                        waiting: 0,
                        since: None,
                    });
                };
                let waiting = row[1].as_deref().and_then(|n| n.parse().ok());
                let waiting =
                    waiting.ok_or_else(|| self.corrupt(format!("waiting count {row:?}")))?;
                let since = row[2].as_deref().and_then(instant::parse);
                Ok(QueueNow {
                    queue: queue.clone(),
                    waiting,
                    since,
                })
            })
            .collect()
    }

    /// The ticket `point` has called and not finished on `day`, if any.
    fn current_call(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        point: &str,
    ) -> Result<Option<Current>, DbError> {
        let day = day.to_string();
        let rows = self.text_rows(sql::CURRENT, &[Some(mpp), Some(&day), Some(point)])?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let text = |index: usize| row.get(index).cloned().flatten().unwrap_or_default();
        let called_at = instant::parse(&text(3))
            .ok_or_else(|| self.corrupt(format!("counter_at {:?}", text(3))))?;
        let (kiosk, id) = (text(0), text(1));
        let times = self.text_rows(sql::TIMES_CALLED, &[Some(mpp), Some(&kiosk), Some(&id)])?;
        let times = times
            .first()
            .and_then(|row| row[0].as_deref())
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        Ok(Some(Current {
            kiosk,
            id,
            number: text(2),
            called_at,
            times,
        }))
    }
}

impl<T: TextStatements + ?Sized> ConsoleReads for T {}
