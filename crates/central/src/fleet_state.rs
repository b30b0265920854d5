//! The fleet page's figures for each kiosk: last contact, latest heartbeat, today's tickets,
//! conflicts, refused events and flagged numbers.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

use super::refusals::RefusalRecord;
use super::storage::{Storage, StorageError, parse_instant};
use mpp_core::protocol::Heartbeat;

/// What the fleet page shows for one kiosk.
#[derive(Clone, Debug, PartialEq)]
pub struct KioskState {
    pub id: String,
    pub last_contact: Option<DateTime<Utc>>,
    /// The latest heartbeat and when the server received it.
    pub heartbeat: Option<(Heartbeat, DateTime<Utc>)>,
    pub tickets_today: u32,
    pub conflicts: u32,
    /// Events refused for good, and the latest of them, newest first.
    pub refused: u32,
    pub latest_refusals: Vec<RefusalRecord>,
    /// Its tickets whose numbers were printed twice or fell outside its range, ever.
    pub flagged_numbers: u32,
}

/// A kiosk's row in `kiosks` (last contact, heartbeat JSON, when it came), as both backends
/// read it.
pub(crate) type ContactRow = (String, Option<String>, Option<String>);

/// A kiosk's last contact and its latest heartbeat with when it came.
pub(crate) type Contact = (Option<DateTime<Utc>>, Option<(Heartbeat, DateTime<Utc>)>);

/// The last contact and latest heartbeat of kiosk `id` from its row, if it has one.
pub(crate) fn contact_from(
    id: &str,
    row: Option<ContactRow>,
    corrupt: &dyn Fn(String) -> StorageError,
) -> Result<Contact, StorageError> {
    let Some((contact, json, received)) = row else {
        return Ok((None, None));
    };
    let heartbeat = match (json, received) {
        (Some(json), Some(received)) => Some((
            serde_json::from_str(&json)
                .map_err(|error| corrupt(format!("heartbeat of {id}: {error}")))?,
            parse_instant(&received).ok_or_else(|| corrupt(format!("instant {received:?}")))?,
        )),
        _ => None,
    };
    Ok((parse_instant(&contact), heartbeat))
}

impl Storage {
    /// The state of each kiosk in `ids`, in that order.
    pub fn fleet(&self, ids: &[String], today: NaiveDate) -> Result<Vec<KioskState>, StorageError> {
        ids.iter().map(|id| self.kiosk_state(id, today)).collect()
    }

    fn kiosk_state(&self, id: &str, today: NaiveDate) -> Result<KioskState, StorageError> {
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
