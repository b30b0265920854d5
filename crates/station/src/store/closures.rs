//! Services closed by staff for the rest of a business day (the maintenance menu's services
//! page and `mpp-kiosk service close`). Issuing reads the same table inside its transaction, so
//! a closed service gives no number even to a screen that has not caught up yet.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::audit::record_audit;
use super::closure_outbox::queue_change;
use super::columns::notice_of;
use super::{Store, StoreError};
use mpp_common::instant;
use mpp_core::ids::ServiceCode;
use mpp_core::staff_notice::StaffNotice;

impl Store {
    /// Closes `service` for the rest of `day` with `notice` (replacing an earlier notice);
    /// audited.
    pub fn close_service(
        &mut self,
        day: NaiveDate,
        service: &ServiceCode,
        notice: StaffNotice,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(TransactionBehavior::Deferred, |transaction| {
            transaction.execute(
                "INSERT INTO service_closures (business_day, service, notice, closed_at) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (business_day, service) DO UPDATE SET \
                 notice = excluded.notice, closed_at = excluded.closed_at",
                params![
                    day.to_string(),
                    service.as_str(),
                    notice.code(),
                    instant::to_text(now)
                ],
            )?;
            let detail = format!("{service} on {day}: {}", notice.code());
            record_audit(transaction, now, "service_close", &detail, "done")?;
            queue_change(transaction, day, service, Some(notice), now)?;
            Ok(())
        })
    }

    /// Opens `service` again on `day`; audited. `Ok(false)` when it was not closed.
    pub fn reopen_service(
        &mut self,
        day: NaiveDate,
        service: &ServiceCode,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.write(TransactionBehavior::Deferred, |transaction| {
            let removed = transaction.execute(
                "DELETE FROM service_closures WHERE business_day = ?1 AND service = ?2",
                params![day.to_string(), service.as_str()],
            )?;
            let outcome = if removed > 0 {
                "done"
            } else {
                "was not closed"
            };
            let detail = format!("{service} on {day}");
            record_audit(transaction, now, "service_reopen", &detail, outcome)?;
            if removed > 0 {
                queue_change(transaction, day, service, None, now)?;
            }
            Ok(removed > 0)
        })
    }

    /// The services staff closed on `day`, with their notices.
    pub fn closed_services(
        &self,
        day: NaiveDate,
    ) -> Result<HashMap<ServiceCode, StaffNotice>, StoreError> {
        let rows = self.all_rows(
            "SELECT service, notice FROM service_closures WHERE business_day = ?1",
            params![day.to_string()],
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
        )?;
        Ok(rows
            .into_iter()
            .map(|(service, code)| (ServiceCode::new(service), notice_of(&code)))
            .collect())
    }
}

/// The notice `service` was closed with on `day`, inside an open transaction.
pub(super) fn closed_by_staff(
    connection: &Connection,
    day: NaiveDate,
    service: &str,
) -> rusqlite::Result<Option<StaffNotice>> {
    let code: Option<String> = connection
        .query_row(
            "SELECT notice FROM service_closures WHERE business_day = ?1 AND service = ?2",
            params![day.to_string(), service],
            |row| row.get(0),
        )
        .optional()?;
    Ok(code.as_deref().map(notice_of))
}
