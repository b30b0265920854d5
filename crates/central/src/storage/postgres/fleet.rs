//! PostgreSQL's side of the fleet: heartbeats and each kiosk's figures.

use crate::model::fleet::KioskState;
use crate::storage::Fleet;
use crate::storage::error::DbError;
use crate::storage::postgres::Postgres;
use chrono::DateTime;
use chrono::NaiveDate;
use chrono::Utc;
use mpp_common::instant;
use mpp_core::protocol::Heartbeat;

impl Fleet for Postgres {
    fn fleet(&mut self, ids: &[String], today: NaiveDate) -> Result<Vec<KioskState>, DbError> {
        ids.iter().map(|id| self.kiosk_state(id, today)).collect()
    }

    fn record_heartbeat(
        &mut self,
        mpp: &str,
        heartbeat: &Heartbeat,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let json =
            serde_json::to_string(heartbeat).map_err(|error| self.corrupt(error.to_string()))?;
        let kiosk = heartbeat.kiosk.as_str();
        self.write(mpp, |transaction| {
            transaction.execute(
                "INSERT INTO kiosks (id, mpp, last_contact_at, heartbeat_json, heartbeat_received_at) \
                 VALUES ($1, $2, $3, $4, $3) ON CONFLICT (id) DO UPDATE SET \
                 mpp = excluded.mpp, last_contact_at = excluded.last_contact_at, \
                 heartbeat_json = excluded.heartbeat_json, \
                 heartbeat_received_at = excluded.heartbeat_received_at",
                &[&kiosk, &mpp, &instant::to_text(now), &json],
            )
        })
        .map(drop)
    }
}
