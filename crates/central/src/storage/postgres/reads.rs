//! PostgreSQL's reads, and [`Database`] for [`Postgres`]: the same questions as the SQLite file
//! answers, the rows turned into records by the same functions.

use chrono::NaiveDate;
use postgres::types::ToSql;

use crate::model::fleet::KioskState;
use crate::storage::error::DbError;
use crate::storage::postgres::Postgres;
use crate::storage::sqlite::fleet::contact_from;
use crate::storage::sqlite::refusals;

impl Postgres {
    pub(crate) fn rows(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, DbError> {
        let statement = match self.prepared.get(sql) {
            Some(statement) => statement.clone(),
            None => {
                let prepared = self.client()?.prepare(sql);
                let statement = prepared.map_err(|error| self.fail(&error))?;
                self.prepared.insert(sql.to_owned(), statement.clone());
                statement
            }
        };
        let result = self.client()?.query(&statement, params);
        result.map_err(|error| self.fail(&error))
    }

    fn count(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u32, DbError> {
        let rows = self.rows(sql, params)?;
        let count: i64 = rows.first().map_or(0, |row| row.get(0));
        u32::try_from(count).map_err(|_| self.corrupt(format!("count {count}")))
    }

    pub(crate) fn kiosk_state(
        &mut self,
        id: &str,
        today: NaiveDate,
    ) -> Result<KioskState, DbError> {
        let row = self
            .rows(
                "SELECT last_contact_at, heartbeat_json, heartbeat_received_at FROM kiosks \
                 WHERE id = $1",
                &[&id],
            )?
            .first()
            .map(|row| (row.get(0), row.get(1), row.get(2)));
        let (last_contact, heartbeat) = contact_from(id, row, &|detail| self.corrupt(detail))?;
        let day = today.to_string();
        let tickets_today = self.count(
            "SELECT count(*) FROM tickets WHERE kiosk = $1 AND business_day = $2",
            &[&id, &day],
        )?;
        let conflicts = self.count("SELECT count(*) FROM conflicts WHERE kiosk = $1", &[&id])?;
        let refused = self.count("SELECT count(*) FROM refusals WHERE kiosk = $1", &[&id])?;
        let latest: Vec<(String, i64, String, String)> = self
            .rows(
                "SELECT ticket_id, event_id, reason, received_at FROM refusals \
                 WHERE kiosk = $1 ORDER BY id DESC LIMIT $2",
                &[&id, &i64::from(crate::model::refusal::LATEST_SHOWN)],
            )?
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
            .collect();
        let latest_refusals = refusals::refusals_from(latest, &|detail| self.corrupt(detail))?;
        let flagged_numbers = self.count(
            "SELECT count(*) FROM flagged_numbers WHERE kiosk = $1",
            &[&id],
        )?;
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

/// A non-negative count or sequence read as BIGINT.
pub(crate) fn small(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
