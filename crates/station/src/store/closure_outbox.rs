//! The services staff closed, shared with the MPP's other kiosks: this kiosk's closes and
//! reopens wait here for the sync round, and the MPP's closures of the day, as mpp-central
//! holds them, replace this kiosk's own view of that day, except for the services whose latest
//! change here is not sent yet (its newer word stands until the server has it) or was refused
//! by the server (it stands here alone, as before closures were shared).

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, TransactionBehavior, params};

use super::columns::{corrupt, notice_of, parse_instant};
use super::outbox_marks::Outbox;
use super::{Store, StoreError};
use mpp_common::instant;
use mpp_core::closure_sync::{ClosureChange, SharedClosure};
use mpp_core::ids::ServiceCode;
use mpp_core::staff_notice::StaffNotice;

/// Queues a close (`Some(notice)`) or reopen of `service` on `day`, inside the transaction
/// that made it.
pub(super) fn queue_change(
    connection: &Connection,
    day: NaiveDate,
    service: &ServiceCode,
    notice: Option<StaffNotice>,
    at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    connection
        .execute(
            "INSERT INTO closure_outbox (business_day, service, notice, at) VALUES (?1, ?2, ?3, ?4)",
            params![
                day.to_string(),
                service.as_str(),
                notice.map(StaffNotice::code),
                instant::to_text(at)
            ],
        )
        .map(|_| ())
}

impl Store {
    /// Unsent changes of `today` or later, oldest first. Older ones are marked sent first:
    /// a closure ends with its day, so another kiosk has no use for them any more.
    pub fn unsent_closure_changes(
        &mut self,
        today: NaiveDate,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<ClosureChange>, StoreError> {
        self.connection
            .execute(
                "UPDATE closure_outbox SET sent_at = ?2 WHERE sent_at IS NULL AND business_day < ?1",
                params![today.to_string(), instant::to_text(now)],
            )
            .map_err(|error| self.error(error))?;
        let rows: Vec<(i64, String, String, Option<String>, String)> = self.all_rows(
            "SELECT id, business_day, service, notice, at FROM closure_outbox \
             WHERE sent_at IS NULL ORDER BY id LIMIT ?1",
            params![limit],
            |row| row.try_into(),
        )?;
        rows.into_iter()
            .map(|(id, day, service, notice, at)| {
                Ok(ClosureChange {
                    id,
                    business_day: day.parse().map_err(|_| {
                        corrupt(
                            &self.path,
                            format!("closure change {id} has the day {day:?}"),
                        )
                    })?,
                    service: ServiceCode::new(service),
                    notice: notice.as_deref().map(notice_of),
                    at: parse_instant(&at, &self.path)?,
                })
            })
            .collect()
    }

    /// Changes not yet sent, and changes the server refused, for `sync status`.
    pub fn closure_depth(&self) -> Result<(u32, u32), StoreError> {
        self.connection
            .query_row(
                "SELECT count(*) FILTER (WHERE sent_at IS NULL), \
                 count(*) FILTER (WHERE refused_at IS NOT NULL) FROM closure_outbox",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|error| self.error(error))
    }

    /// Marks changes the server holds as sent.
    pub fn mark_closure_changes_sent(
        &mut self,
        ids: &[i64],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.mark_outbox_sent(Outbox::Closures, ids, at)
    }

    /// Sets aside a change the server will never take: not sent again, and its service keeps
    /// this kiosk's word on the day until a newer change of its own.
    pub fn set_aside_closure_change(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.connection
            .execute(
                "UPDATE closure_outbox SET sent_at = ?2, refused_at = ?2 WHERE id = ?1",
                params![id, instant::to_text(at)],
            )
            .map(|_| ())
            .map_err(|error| self.error(error))
    }

    /// Takes the MPP's closures of `day` from the server: services closed elsewhere close
    /// here, services reopened elsewhere open here; a service with an unsent change of this
    /// kiosk stays as this kiosk has it. How many services changed.
    pub fn apply_shared_closures(
        &mut self,
        day: NaiveDate,
        closed: &[SharedClosure],
    ) -> Result<usize, StoreError> {
        self.write(TransactionBehavior::Deferred, |transaction| {
            let day_text = day.to_string();
            // A service whose latest change here is unsent, or refused by the server, keeps this
            // kiosk's word.
            let pending: HashSet<String> = column(
                transaction,
                "SELECT service FROM closure_outbox AS latest WHERE business_day = ?1 \
             AND (sent_at IS NULL OR refused_at IS NOT NULL) AND id = (SELECT max(id) \
             FROM closure_outbox WHERE business_day = latest.business_day \
             AND service = latest.service)",
                &day_text,
            )?;
            let held: HashSet<String> = column(
                transaction,
                "SELECT service FROM service_closures WHERE business_day = ?1",
                &day_text,
            )?;
            let shared: HashSet<&str> = closed.iter().map(|c| c.service.as_str()).collect();
            let mut changed = 0;
            for service in held
                .iter()
                .filter(|s| !pending.contains(*s) && !shared.contains(s.as_str()))
            {
                changed += transaction.execute(
                    "DELETE FROM service_closures WHERE business_day = ?1 AND service = ?2",
                    params![day_text, service],
                )?;
            }
            for closure in closed
                .iter()
                .filter(|c| !pending.contains(c.service.as_str()))
            {
                changed += transaction.execute(
                    "INSERT INTO service_closures (business_day, service, notice, closed_at) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (business_day, service) DO UPDATE SET \
                     notice = excluded.notice, closed_at = excluded.closed_at \
                     WHERE notice IS NOT excluded.notice",
                    params![
                        day_text,
                        closure.service.as_str(),
                        closure.notice.code(),
                        instant::to_text(closure.at)
                    ],
                )?;
            }
            Ok(changed)
        })
    }
}

/// The first column of `sql`'s rows for `day`.
fn column(connection: &Connection, sql: &str, day: &str) -> rusqlite::Result<HashSet<String>> {
    let mut statement = connection.prepare(sql)?;
    let rows = statement.query_map(params![day], |row| row.get::<_, String>(0))?;
    rows.collect()
}
