//! What the wait estimates read, the same way on both backends: the day's finished tickets with
//! their last call (service times), the points that called someone lately, and the points
//! paused now. The estimate itself is `mpp_core::wait`, fed by `rules::waits`.

use chrono::{DateTime, NaiveDate, Utc};

use crate::rules::waits::Finished;
use crate::storage::error::DbError;
use crate::storage::shared::TextStatements;
use mpp_common::instant;
use mpp_core::wait::ServiceTime;

/// The index a ticket's calls are found by (SQLite's migration; PostgreSQL's is in
/// `postgres/schema.rs`): the service times and the console's call count look calls up by ticket.
pub const MIGRATION: &str = r#"
CREATE INDEX calls_by_ticket ON calls (mpp, kiosk, ticket, at);
"#;

pub(crate) mod sql {
    use crate::storage::shared::QUEUE_NOW;

    /// MPP `?1`'s tickets of day `?2` finished at a counter since `?3`: the queue they were
    /// served in, when they were finished, when they were last called.
    pub fn finished() -> String {
        format!(
            "SELECT {QUEUE_NOW}, counter_at, (SELECT MAX(calls.at) FROM calls \
             WHERE calls.mpp = tickets.mpp AND calls.kiosk = tickets.kiosk \
             AND calls.ticket = tickets.id) FROM tickets \
             WHERE mpp = ?1 AND business_day = ?2 AND counter_status IN ('served', 'no_show') \
             AND counter_at >= ?3"
        )
    }

    /// The points of MPP `?1` that called or finished a ticket of day `?2` since `?3`.
    pub const ACTIVE: &str = "SELECT DISTINCT counter_name FROM tickets \
        WHERE mpp = ?1 AND business_day = ?2 AND counter_at >= ?3 AND counter_name IS NOT NULL";

    /// Every pause and opening of MPP `?1`'s points on day `?2`, oldest first.
    pub const CHANGES: &str = "SELECT point, reason FROM point_changes \
        WHERE mpp = ?1 AND business_day = ?2 ORDER BY at, point";
}

pub trait WaitReads: TextStatements {
    /// Tickets of `day` finished since `since`, with their last call.
    fn finished_since(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        since: DateTime<Utc>,
    ) -> Result<Vec<Finished>, DbError> {
        let (day, since) = (day.to_string(), instant::to_text(since));
        let rows = self.text_rows(&sql::finished(), &[Some(mpp), Some(&day), Some(&since)])?;
        let mut finished = Vec::with_capacity(rows.len());
        for row in rows {
            let at = |index: usize| row.get(index).cloned().flatten();
            // A ticket finished through the counter API without a call has no service time.
            let (Some(queue), Some(done), Some(called)) = (at(0), at(1), at(2)) else {
                continue;
            };
            let (Some(finished_at), Some(called_at)) =
                (instant::parse(&done), instant::parse(&called))
            else {
                return Err(self.corrupt(format!("finished ticket times {row:?}")));
            };
            finished.push(Finished {
                queue,
                time: ServiceTime {
                    called_at,
                    finished_at,
                },
            });
        }
        Ok(finished)
    }

    /// The points that called or finished someone on `day` since `since`.
    fn points_active_since(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        since: DateTime<Utc>,
    ) -> Result<Vec<String>, DbError> {
        let (day, since) = (day.to_string(), instant::to_text(since));
        let rows = self.text_rows(sql::ACTIVE, &[Some(mpp), Some(&day), Some(&since)])?;
        Ok(rows
            .into_iter()
            .filter_map(|row| row.into_iter().next().flatten())
            .collect())
    }

    /// The points paused now: those whose latest change of `day` is a pause.
    fn points_paused(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<String>, DbError> {
        let day = day.to_string();
        let rows = self.text_rows(sql::CHANGES, &[Some(mpp), Some(&day)])?;
        let mut paused: Vec<String> = Vec::new();
        for row in rows {
            let text = |index: usize| row.get(index).cloned().flatten().unwrap_or_default();
            let (point, reason) = (text(0), text(1));
            paused.retain(|other| *other != point);
            if !reason.is_empty() {
                paused.push(point);
            }
        }
        Ok(paused)
    }
}

impl<T: TextStatements + ?Sized> WaitReads for T {}
