//! The kiosks as both backends keep them for the fleet page: each kiosk's latest word (its
//! last contact and heartbeat) and its figures. How a heartbeat is stored and what a kiosk's
//! state is made of are decided here once; the backends answer [`HeartbeatTransaction`] and
//! [`KioskReads`] in their own SQL.

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::fleet::KioskState;
use crate::model::refusal::RefusalRecord;
use crate::storage::error::{Corrupt, DbError};
use mpp_common::instant;
use mpp_core::protocol::Heartbeat;

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them `$N`).
pub(crate) mod sql {
    /// Makes a heartbeat (as [`super::Beat`]) its kiosk's latest word.
    pub const HEARTBEAT: &str = "INSERT INTO kiosks \
        (id, mpp, last_contact_at, heartbeat_json, heartbeat_received_at) \
        VALUES (?1, ?2, ?3, ?4, ?3) ON CONFLICT (id) DO UPDATE SET \
        mpp = excluded.mpp, last_contact_at = excluded.last_contact_at, \
        heartbeat_json = excluded.heartbeat_json, \
        heartbeat_received_at = excluded.heartbeat_received_at";
    /// A kiosk's row in `kiosks`, as [`super::ContactRow`].
    pub const CONTACT: &str = "SELECT last_contact_at, heartbeat_json, heartbeat_received_at \
        FROM kiosks WHERE id = ?1";
    /// A kiosk's tickets of a business day.
    pub const TICKETS_ON: &str =
        "SELECT count(*) FROM tickets WHERE kiosk = ?1 AND business_day = ?2";
    pub const CONFLICTS: &str = "SELECT count(*) FROM conflicts WHERE kiosk = ?1";
    pub const REFUSED: &str = "SELECT count(*) FROM refusals WHERE kiosk = ?1";
    pub const FLAGGED: &str = "SELECT count(*) FROM flagged_numbers WHERE kiosk = ?1";
    /// A kiosk's latest refusals (as [`super::RefusalRow`]), newest first, at most `?2`.
    pub const LATEST_REFUSALS: &str = "SELECT ticket_id, event_id, reason, received_at \
        FROM refusals WHERE kiosk = ?1 ORDER BY id DESC LIMIT ?2";
}

/// A heartbeat as it is stored: received (and the kiosk's last contact) `at`.
pub struct Beat<'a> {
    pub kiosk: &'a str,
    pub mpp: &'a str,
    pub at: String,
    pub json: String,
}

/// What [`record_heartbeat`] needs of a backend's write transaction.
pub trait HeartbeatTransaction: Corrupt {
    /// Runs [`sql::HEARTBEAT`].
    fn store_heartbeat(&mut self, beat: &Beat<'_>) -> Result<(), DbError>;
}

/// Makes `heartbeat` its kiosk's latest word, received (and the last contact) `now`.
pub(crate) fn record_heartbeat(
    transaction: &mut dyn HeartbeatTransaction,
    mpp: &str,
    heartbeat: &Heartbeat,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let json =
        serde_json::to_string(heartbeat).map_err(|error| transaction.corrupt(error.to_string()))?;
    transaction.store_heartbeat(&Beat {
        kiosk: heartbeat.kiosk.as_str(),
        mpp,
        at: instant::to_text(now),
        json,
    })
}

/// What [`kiosk_state`] asks a backend.
pub trait KioskReads: Corrupt {
    /// The kiosk's row read by [`sql::CONTACT`], if it has one.
    fn contact(&mut self, id: &str) -> Result<Option<ContactRow>, DbError>;
    /// The count of one of the `sql` statements, with text parameters.
    fn count(&mut self, sql: &'static str, params: &[&str]) -> Result<i64, DbError>;
    /// The rows of [`sql::LATEST_REFUSALS`] for the kiosk, at most `limit`.
    fn latest_refusals(&mut self, id: &str, limit: u32) -> Result<Vec<RefusalRow>, DbError>;
}

/// What the fleet page shows of kiosk `id`, with `today`'s tickets.
pub(crate) fn kiosk_state(
    reads: &mut (impl KioskReads + ?Sized),
    id: &str,
    today: NaiveDate,
) -> Result<KioskState, DbError> {
    let row = reads.contact(id)?;
    let (last_contact, heartbeat) = contact_from(id, row, &|detail| reads.corrupt(detail))?;
    let mut count = |sql, params: &[&str]| {
        let count = reads.count(sql, params)?;
        u32::try_from(count).map_err(|_| reads.corrupt(format!("count {count}")))
    };
    let tickets_today = count(sql::TICKETS_ON, &[id, &today.to_string()])?;
    let conflicts = count(sql::CONFLICTS, &[id])?;
    let refused = count(sql::REFUSED, &[id])?;
    let flagged_numbers = count(sql::FLAGGED, &[id])?;
    let latest = reads.latest_refusals(id, crate::model::refusal::LATEST_SHOWN)?;
    let latest_refusals = refusals_from(latest, &|detail| reads.corrupt(detail))?;
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

/// A kiosk's row in `kiosks`: last contact, heartbeat JSON, when that came.
pub type ContactRow = (String, Option<String>, Option<String>);

/// A kiosk's last contact and its latest heartbeat with when it came.
type Contact = (Option<DateTime<Utc>>, Option<(Heartbeat, DateTime<Utc>)>);

/// The last contact and latest heartbeat of kiosk `id` from its row, if it has one.
fn contact_from(
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

/// A refusal as [`sql::LATEST_REFUSALS`] reads it: ticket, event, reason, when received.
pub type RefusalRow = (String, i64, String, String);

fn refusals_from(
    rows: Vec<RefusalRow>,
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
