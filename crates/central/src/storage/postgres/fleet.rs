//! PostgreSQL's side of the fleet: heartbeats and each kiosk's figures (decided in
//! [`crate::storage::fleet`]).

use postgres::types::ToSql;

use crate::storage::Fleet;
use crate::storage::error::DbError;
use crate::storage::fleet::{Beat, ContactRow, HeartbeatTransaction, KioskReads, RefusalRow, sql};
use crate::storage::postgres::reads::Reads;
use crate::storage::postgres::{Postgres, Writing};

impl HeartbeatTransaction for Writing<'_> {
    fn store_heartbeat(&mut self, beat: &Beat<'_>) -> Result<(), DbError> {
        let values: [&(dyn ToSql + Sync); 4] = [&beat.kiosk, &beat.mpp, &beat.at, &beat.json];
        self.execute(sql::HEARTBEAT, &values).map(drop)
    }
}

impl KioskReads for Postgres {
    fn contact(&mut self, id: &str) -> Result<Option<ContactRow>, DbError> {
        self.tuple(sql::CONTACT, &[&id])
    }

    fn count(&mut self, sql: &'static str, params: &[&str]) -> Result<i64, DbError> {
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|param| param as _).collect();
        self.value(sql, &params)
    }

    fn latest_refusals(&mut self, id: &str, limit: u32) -> Result<Vec<RefusalRow>, DbError> {
        self.tuples(sql::LATEST_REFUSALS, &[&id, &i64::from(limit)])
    }
}

impl Fleet for Postgres {}
