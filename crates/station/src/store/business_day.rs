//! The business day tickets go on: the kiosk's clock, the day of its last ticket and the
//! server's clock, weighed by `mpp_core::day_check`. A day in doubt issues nothing until a
//! technician settles it, and every change of day that is not the calendar's is audited.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use super::audit::record_audit;
use super::columns::parse_day;
use super::meta;
use super::{Store, StoreError};
use mpp_common::instant;
use mpp_core::day::TimeZone;
use mpp_core::day_check::{DayEvidence, DayVerdict, ServerSample, decide};
use mpp_core::issue_hold::IssueHold;

/// The latest business day numbers were given on (or settled on by a technician).
pub(super) const BUSINESS_DAY_KEY: &str = "business_day";
/// The server's clock as last heard: `<server instant> <kiosk instant>`.
const SERVER_CLOCK_KEY: &str = "server_clock";

/// What settling the business day did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Settled {
    /// Nothing was in doubt: numbering goes on on this day.
    Nothing(NaiveDate),
    /// Numbering left the held day for the clock's; numbers given on `from` stay taken.
    Returned { from: NaiveDate, to: NaiveDate },
}

impl Store {
    /// Remembers the server's clock, as read at `sample.local_at` on the kiosk's.
    pub fn note_server_clock(&mut self, sample: ServerSample) -> Result<(), StoreError> {
        let text = format!(
            "{} {}",
            instant::to_text(sample.server_at),
            instant::to_text(sample.local_at)
        );
        self.note(SERVER_CLOCK_KEY, &text)
    }

    pub fn server_sample(&self) -> Result<Option<ServerSample>, StoreError> {
        server_sample(&self.connection).map_err(|error| self.error(error))
    }

    /// The business day numbering is on: the latest one a number was given on, or the one a
    /// technician settled on (which may have no ticket yet); `None` before the first.
    pub fn latest_business_day(&self) -> Result<Option<NaiveDate>, StoreError> {
        self.read_note(BUSINESS_DAY_KEY)?
            .map(|text| parse_day(&text, &self.path))
            .transpose()
    }

    /// Which day a ticket issued `now` would go on, or the doubt that stops it.
    pub fn day_verdict(
        &self,
        zone: TimeZone,
        now: DateTime<Utc>,
    ) -> Result<DayVerdict, StoreError> {
        verdict(&self.connection, zone, now, &self.path)
    }

    /// What stops every number now, if anything: numbers awaited, or a day in doubt. (A fault
    /// shows only when a number fails; a closed service or a full quota stops only its own.)
    pub fn issue_hold(
        &self,
        zone: TimeZone,
        now: DateTime<Utc>,
    ) -> Result<Option<IssueHold>, StoreError> {
        if super::numbering::awaiting_numbers(&self.connection)
            .map_err(|error| self.error(error))?
        {
            return Ok(Some(IssueHold::NumbersAwaited));
        }
        Ok(match self.day_verdict(zone, now)? {
            DayVerdict::Doubt(_) => Some(IssueHold::DayInDoubt),
            DayVerdict::Serve(_) | DayVerdict::Return { .. } => None,
        })
    }

    /// The day the screen and the commands show figures for: the day tickets go on, or while
    /// in doubt the day the numbers are held on.
    pub fn current_day(&self, zone: TimeZone, now: DateTime<Utc>) -> Result<NaiveDate, StoreError> {
        Ok(match self.day_verdict(zone, now)? {
            DayVerdict::Doubt(doubt) => doubt.held_day,
            verdict => verdict.day().unwrap_or_else(|| zone.local(now).date()),
        })
    }

    /// The technician's one action for a day in doubt: numbering goes on on the clock's day.
    /// Refused while the server's clock says the kiosk's is wrong: that needs the clock set.
    pub fn settle_day(
        &mut self,
        zone: TimeZone,
        now: DateTime<Utc>,
    ) -> Result<Settled, StoreError> {
        self.write(TransactionBehavior::Immediate, |transaction| {
            let (from, to) = match verdict(transaction, zone, now, transaction.path)? {
                DayVerdict::Serve(day) => return Ok(Settled::Nothing(day)),
                DayVerdict::Return { from, to } => (from, to),
                DayVerdict::Doubt(doubt) => match doubt.server_day {
                    Some(server_day) if server_day != doubt.clock_day => {
                        return Err(StoreError::ClockWrong {
                            clock_day: doubt.clock_day,
                            server_day,
                        }
                        .into());
                    }
                    _ => (doubt.held_day, doubt.clock_day),
                },
            };
            meta::set(transaction, BUSINESS_DAY_KEY, &to.to_string())?;
            let detail = format!(
                "numbering held on {from} returns to the clock's day {to}; numbers given on {from} stay taken"
            );
            record_audit(transaction, now, "day_settled", &detail, "done")?;
            Ok(Settled::Returned { from, to })
        })
    }
}

pub(super) fn verdict(
    connection: &Connection,
    zone: TimeZone,
    now: DateTime<Utc>,
    path: &std::path::Path,
) -> Result<DayVerdict, StoreError> {
    let fail = |error| StoreError::classify(path, error);
    let held_day = meta::get(connection, BUSINESS_DAY_KEY)
        .map_err(fail)?
        .map(|text| parse_day(&text, path))
        .transpose()?;
    let server = server_sample(connection).map_err(fail)?;
    Ok(decide(&DayEvidence {
        now,
        zone,
        held_day,
        server,
    }))
}

/// The last sample of the server's clock; an unreadable one counts as none.
fn server_sample(connection: &Connection) -> rusqlite::Result<Option<ServerSample>> {
    let Some(text) = meta::get(connection, SERVER_CLOCK_KEY)? else {
        return Ok(None);
    };
    Ok(text.split_once(' ').and_then(|(server, local)| {
        Some(ServerSample {
            server_at: instant::parse(server)?,
            local_at: instant::parse(local)?,
        })
    }))
}
