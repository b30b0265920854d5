//! The SQLite file's side of the fleet: heartbeats and each kiosk's figures (decided in
//! [`crate::storage::fleet`]).

use rusqlite::{params, params_from_iter};

use crate::storage::Fleet;
use crate::storage::error::DbError;
use crate::storage::fleet::{Beat, ContactRow, HeartbeatTransaction, KioskReads, RefusalRow, sql};
use crate::storage::sqlite::reads::Statements;
use crate::storage::sqlite::{Sqlite, Writing};

impl HeartbeatTransaction for Writing<'_> {
    fn store_heartbeat(&mut self, beat: &Beat<'_>) -> Result<(), DbError> {
        let values = params![beat.kiosk, beat.mpp, beat.at, beat.json];
        self.execute(sql::HEARTBEAT, values).map(drop)
    }
}

impl KioskReads for Sqlite {
    fn contact(&mut self, id: &str) -> Result<Option<ContactRow>, DbError> {
        self.tuple(sql::CONTACT, [id])
    }

    fn count(&mut self, sql: &'static str, params: &[&str]) -> Result<i64, DbError> {
        self.value(sql, params_from_iter(params))
    }

    fn latest_refusals(&mut self, id: &str, limit: u32) -> Result<Vec<RefusalRow>, DbError> {
        self.tuples(sql::LATEST_REFUSALS, params![id, limit])
    }
}

impl Fleet for Sqlite {}
