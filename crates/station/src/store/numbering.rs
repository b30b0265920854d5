//! Where a database's numbers start. A database that is new on a day that already had tickets
//! (the old one moved aside after damage, a replaced disk) must not start at 1 again: it starts
//! after the numbers in the record beside it, the server's, or the technician's first number.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, TransactionBehavior, params};
use serde::Serialize;

use super::audit::record_audit;
use super::clock_kind::ClockKind;
use super::columns::{corrupt, parse_day};
use super::meta;
use super::numbers_record::NumbersRecord;
use super::{Store, StoreError};
use mpp_core::ids::KioskId;
use mpp_core::numbering::{Lane, NumberRange};
use mpp_core::protocol::NumbersUsed;

const NUMBERING_KEY: &str = "numbering";
/// Set while the server has not yet been asked what a new database's day already used.
const SERVER_NUMBERS_KEY: &str = "server_numbers";
const CLOCK_KEY: &str = "clock";
/// Queue and lane of a floor that holds for every queue (the technician's first number).
const EVERY: &str = "*";

/// Where a database's numbering came from, as kept in its `meta`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum NumberingOrigin {
    /// The database held tickets before this was tracked: it is the truth about its numbers.
    Database,
    /// A first life: no record beside it and no server to ask.
    New,
    /// Continued after the numbers record beside the database.
    Record,
    /// Continued after the numbers the server had.
    Server,
    /// Started at the number a technician gave.
    Technician,
    /// New, and nothing yet says where today's numbers stand: nothing is issued.
    Awaiting,
}

/// What the kiosk tells the store about its numbering when it starts.
#[derive(Clone, Debug)]
pub struct NumberingPlan {
    /// The numbers record that outlives the database (`None`: keep none).
    pub record: Option<PathBuf>,
    pub kiosk: KioskId,
    /// Whether a central server can be asked (sync is on).
    pub server_expected: bool,
}

/// A least number for a day, queue and lane (queue and lane `*` for every queue).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Floor {
    pub business_day: NaiveDate,
    pub queue: String,
    pub lane: String,
    pub sequence: u32,
    pub source: String,
}

impl Store {
    /// Refuses a database holding tickets of the other kind of clock; one without tickets
    /// is marked as `kind` (so a demo opened once on the real clock can still rehearse).
    pub fn claim_clock(&mut self, kind: ClockKind) -> Result<(), StoreError> {
        let found = self.read_note(CLOCK_KEY)?;
        let found = match found.as_deref().map(str::parse::<ClockKind>) {
            None => None,
            Some(Ok(found)) => Some(found),
            Some(Err(_)) => {
                return Err(corrupt(&self.path, format!("unknown clock kind {found:?}")));
            }
        };
        match found {
            Some(found) if found == kind => Ok(()),
            Some(found) if self.has_tickets()? => Err(StoreError::OtherClock {
                path: self.path.clone(),
                database: found,
            }),
            _ => self.note(CLOCK_KEY, kind.into()),
        }
    }

    fn has_tickets(&self) -> Result<bool, StoreError> {
        self.connection
            .query_row("SELECT EXISTS (SELECT 1 FROM tickets)", [], |row| {
                row.get(0)
            })
            .map_err(|error| self.error(error))
    }

    /// Settles, once per database, where its numbers start; remembers the numbers record so
    /// every issue raises it. Returns where the numbering comes from.
    pub fn prepare_numbering(
        &mut self,
        plan: &NumberingPlan,
        now: DateTime<Utc>,
    ) -> Result<NumberingOrigin, StoreError> {
        self.numbers_record = plan.record.clone().map(|path| (path, plan.kiosk.clone()));
        if let Some(origin) = self.numbering_origin()? {
            return Ok(origin);
        }
        let has_tickets = self.has_tickets()?;
        let origin = if has_tickets {
            NumberingOrigin::Database
        } else {
            self.start_new_database(plan, now)?
        };
        self.note(NUMBERING_KEY, origin.into())?;
        if plan.server_expected && !has_tickets {
            self.note(SERVER_NUMBERS_KEY, "pending")?;
        }
        tracing::info!(origin = <&str>::from(origin), "numbering prepared");
        Ok(origin)
    }

    /// A new database: floors from the record beside it, or wait for the server or a
    /// technician when something may have been issued before (the server, a damaged record).
    fn start_new_database(
        &mut self,
        plan: &NumberingPlan,
        now: DateTime<Utc>,
    ) -> Result<NumberingOrigin, StoreError> {
        let read = match &plan.record {
            Some(path) => NumbersRecord::read(path),
            None => Ok(None),
        };
        let record = match read {
            Ok(Some(record)) if record.kiosk == plan.kiosk => record,
            Ok(Some(record)) => {
                tracing::warn!(recorded = %record.kiosk, "the numbers record is another kiosk's: not used");
                return Ok(NumberingOrigin::Awaiting);
            }
            Ok(None) if plan.server_expected => return Ok(NumberingOrigin::Awaiting),
            Ok(None) => return Ok(NumberingOrigin::New),
            Err(error) => {
                tracing::error!(%error, "numbering of the new database waits for the server or a technician");
                return Ok(NumberingOrigin::Awaiting);
            }
        };
        let detail = record
            .highest
            .iter()
            .map(|entry| {
                raise_floor(
                    &self.connection,
                    entry.business_day,
                    entry.queue.as_str(),
                    entry.lane.as_str(),
                    entry.sequence,
                    "record",
                )
                .map(|()| {
                    format!(
                        "{} {} {} after {}",
                        entry.business_day,
                        entry.queue,
                        entry.lane.as_str(),
                        entry.sequence
                    )
                })
            })
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|error| self.error(error))?;
        record_audit(
            &self.connection,
            now,
            "numbers_from_record",
            &detail.join("; "),
            "done",
        )
        .map_err(|error| self.error(error))?;
        Ok(NumberingOrigin::Record)
    }

    pub fn numbering_origin(&self) -> Result<Option<NumberingOrigin>, StoreError> {
        let Some(text) = self.read_note(NUMBERING_KEY)? else {
            return Ok(None);
        };
        text.parse()
            .map(Some)
            .map_err(|_| corrupt(&self.path, format!("unknown numbering origin {text:?}")))
    }

    /// Whether the server still has to be asked what this new database's day already used.
    pub fn server_numbers_pending(&self) -> Result<bool, StoreError> {
        Ok(self.read_note(SERVER_NUMBERS_KEY)?.as_deref() == Some("pending"))
    }

    /// Takes the server's highest numbers of a day as floors; a database waiting for them may
    /// issue again. Returns how many floors were raised.
    pub fn learn_numbers(
        &mut self,
        used: &NumbersUsed,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        self.write(TransactionBehavior::Deferred, |transaction| {
            for number in &used.highest {
                raise_floor(
                    transaction,
                    used.business_day,
                    number.queue.as_str(),
                    number.lane.as_str(),
                    number.sequence,
                    "server",
                )?;
            }
            let detail = format!(
                "{}: {} queue(s) and lane(s)",
                used.business_day,
                used.highest.len()
            );
            record_audit(transaction, now, "numbers_from_server", &detail, "done")?;
            meta::set(transaction, SERVER_NUMBERS_KEY, "done")?;
            transaction.execute(
                "UPDATE meta SET value = 'server' WHERE key = ?1 AND value = 'awaiting'",
                params![NUMBERING_KEY],
            )?;
            Ok(used.highest.len())
        })
    }

    /// The technician's answer for a new database: today's numbers start at `first` in every
    /// queue and lane (after the last one printed today, read from the tickets in the tray).
    pub fn start_numbers_at(
        &mut self,
        day: NaiveDate,
        first: u32,
        range: NumberRange,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if first < range.first || first > range.last {
            return Err(StoreError::StartOutsideRange { first, range });
        }
        self.write(TransactionBehavior::Deferred, |transaction| {
            raise_floor(transaction, day, EVERY, EVERY, first - 1, "technician")?;
            let detail = format!("{day}: every queue starts at {first} or after");
            record_audit(transaction, now, "numbers_started", &detail, "done")?;
            transaction.execute(
                "UPDATE meta SET value = 'technician' WHERE key = ?1 AND value = 'awaiting'",
                params![NUMBERING_KEY],
            )?;
            Ok(())
        })?;
        tracing::info!(%day, first, "numbering started by a technician");
        Ok(())
    }

    pub fn floors(&self) -> Result<Vec<Floor>, StoreError> {
        let rows: Vec<(String, String, String, u32, String)> = self.all_rows(
            "SELECT business_day, queue, lane, sequence, source FROM number_floors \
             ORDER BY business_day DESC, queue, lane",
            [],
            |row| row.try_into(),
        )?;
        rows.into_iter()
            .map(|(day, queue, lane, sequence, source)| {
                Ok(Floor {
                    business_day: parse_day(&day, &self.path)?,
                    queue,
                    lane,
                    sequence,
                    source,
                })
            })
            .collect()
    }

    /// The numbers record this store raises on every issue, if any.
    pub fn numbers_record_path(&self) -> Option<&std::path::Path> {
        self.numbers_record.as_ref().map(|(path, _)| path.as_path())
    }
}

/// Whether issuing must wait until the server or a technician says where numbers start.
pub(super) fn awaiting_numbers(connection: &Connection) -> rusqlite::Result<bool> {
    Ok(meta::get(connection, NUMBERING_KEY)?.as_deref() == Some("awaiting"))
}

/// The least number `(day, queue, lane)` starts after: its own floor or the every-queue one.
pub(super) fn floor_of(
    connection: &Connection,
    day: NaiveDate,
    queue: &str,
    lane: Lane,
) -> rusqlite::Result<Option<u32>> {
    connection.query_row(
        "SELECT max(sequence) FROM number_floors WHERE business_day = ?1 \
         AND ((queue = ?2 AND lane = ?3) OR (queue = ?4 AND lane = ?4))",
        params![day.to_string(), queue, lane.as_str(), EVERY],
        |row| row.get(0),
    )
}

fn raise_floor(
    connection: &Connection,
    day: NaiveDate,
    queue: &str,
    lane: &str,
    sequence: u32,
    source: &str,
) -> rusqlite::Result<()> {
    connection
        .execute(
            "INSERT INTO number_floors (business_day, queue, lane, sequence, source) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (business_day, queue, lane) DO UPDATE SET \
             sequence = max(sequence, excluded.sequence), source = excluded.source \
             WHERE excluded.sequence > sequence",
            params![day.to_string(), queue, lane, sequence, source],
        )
        .map(drop)
}
