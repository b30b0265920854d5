//! The fleet page's figures for each kiosk: last contact, latest heartbeat, today's tickets,
//! conflicts, refused events and flagged numbers.

use crate::model::fleet::KioskState;
use crate::storage::Fleet;
use chrono::{DateTime, NaiveDate, Utc};
use mpp_common::instant;
use rusqlite::{OptionalExtension, params};

use crate::storage::error::DbError;

use crate::storage::sqlite::Sqlite;
use mpp_core::protocol::Heartbeat;

/// A kiosk's row in `kiosks` (last contact, heartbeat JSON, when it came), as both backends
/// read it.
pub(crate) type ContactRow = (String, Option<String>, Option<String>);

/// A kiosk's last contact and its latest heartbeat with when it came.
pub(crate) type Contact = (Option<DateTime<Utc>>, Option<(Heartbeat, DateTime<Utc>)>);

/// The last contact and latest heartbeat of kiosk `id` from its row, if it has one.
pub(crate) fn contact_from(
    id: &str,
    row: Option<ContactRow>,
    corrupt: &dyn Fn(String) -> DbError,
) -> Result<Contact, DbError> {
    let Some((contact, json, received)) = row else {
        return Ok((None, None));
    };
    let heartbeat = match (json, received) {
        (Some(json), Some(received)) => Some((
            serde_json::from_str(&json)
                .map_err(|error| corrupt(format!("heartbeat of {id}: {error}")))?,
            instant::parse(&received).ok_or_else(|| corrupt(format!("instant {received:?}")))?,
        )),
        _ => None,
    };
    Ok((instant::parse(&contact), heartbeat))
}

impl Sqlite {
    pub(crate) fn kiosk_state(&self, id: &str, today: NaiveDate) -> Result<KioskState, DbError> {
        let fail = |error| self.error(error);
        let row = self
            .connection
            .query_row(
                "SELECT last_contact_at, heartbeat_json, heartbeat_received_at FROM kiosks \
                 WHERE id = ?1",
                params![id],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, Option<String>>(1)?,
                        row.get::<_, Option<String>>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(fail)?;
        let (last_contact, heartbeat) = contact_from(id, row, &|detail| self.corrupt(detail))?;
        let tickets_today = self
            .connection
            .query_row(
                "SELECT count(*) FROM tickets WHERE kiosk = ?1 AND business_day = ?2",
                params![id, today.to_string()],
                |row| row.get(0),
            )
            .map_err(fail)?;
        let conflicts = self
            .connection
            .query_row(
                "SELECT count(*) FROM conflicts WHERE kiosk = ?1",
                params![id],
                |row| row.get(0),
            )
            .map_err(fail)?;
        let (refused, latest_refusals) = self.refusals(id)?;
        let flagged_numbers = self.flagged_count(id)?;
        Ok(KioskState {
            id: id.to_owned(),
            last_contact,
            heartbeat,
            tickets_today,
            conflicts,
            refused,
            latest_refusals,
            flagged_numbers,
        })
    }
}

impl Fleet for Sqlite {
    /// The state of each kiosk in `ids`, in that order.
    fn fleet(&mut self, ids: &[String], today: NaiveDate) -> Result<Vec<KioskState>, DbError> {
        ids.iter().map(|id| self.kiosk_state(id, today)).collect()
    }

    #[tracing::instrument(skip_all, err)]
    fn record_heartbeat(
        &mut self,
        mpp: &str,
        heartbeat: &Heartbeat,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let json =
            serde_json::to_string(heartbeat).map_err(|error| self.corrupt(error.to_string()))?;
        self.connection
            .execute(
                "INSERT INTO kiosks (id, last_contact_at, heartbeat_json, heartbeat_received_at, mpp) \
                 VALUES (?1, ?2, ?3, ?2, ?4) ON CONFLICT (id) DO UPDATE SET \
                 last_contact_at = excluded.last_contact_at, heartbeat_json = excluded.heartbeat_json, \
                 heartbeat_received_at = excluded.heartbeat_received_at, mpp = excluded.mpp",
                params![heartbeat.kiosk.as_str(), instant::to_text(now), json, mpp],
            )
            .map(drop)
            .map_err(|error| self.error(error))
    }
}
