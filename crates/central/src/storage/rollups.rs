//! The dashboard's per-day tallies, as both backends keep them: for each MPP, business day,
//! service, point, figure and bucket, how many tickets count there ([`crate::rules::dashboard`]
//! says what each ticket adds). Every write that changes a ticket reads its tallies before and
//! after, inside its own transaction, and moves the sums by the difference ([`Tracked`]), so
//! the sums are always those of the tickets as stored; [`rebuild`] sums every ticket of an MPP
//! afresh (after a copy, or if ever in doubt). The same sums are kept per calendar month, so a
//! page reads a year as twelve months' sums and the odd days around them, never the tickets.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::rules::dashboard::daily::{DAILY_FIGURES, DailyRow};
use crate::rules::dashboard::figures::PeriodRow;
use crate::rules::dashboard::period::reading;
use crate::rules::dashboard::{Figure, TallyKey, TicketFacts, delta, summed, tallies};
use crate::storage::error::DbError;
use crate::storage::shared::{TextRow, TextStatements};
use mpp_common::instant;
use mpp_core::protocol::CounterStatus;
use mpp_core::ticket::TicketStatus;

/// The table, added to the SQLite file's migrations (PostgreSQL's is in `postgres/schema.rs`).
pub const MIGRATION: &str = r#"
-- The dashboard's tallies per day: tickets of MPP, business day, the service issued for and
-- the point that last had them ('' none), counted under a figure and its bucket.
CREATE TABLE day_tallies (
    mpp           TEXT NOT NULL,
    business_day  TEXT NOT NULL,
    queue         TEXT NOT NULL,
    point         TEXT NOT NULL,
    figure        TEXT NOT NULL,
    bucket        INTEGER NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (mpp, business_day, queue, point, figure, bucket)
) STRICT, WITHOUT ROWID;
-- The figures a span reads day by day (weeks, the weekday × hour map), found without the rest.
CREATE INDEX day_tallies_daily ON day_tallies (mpp, business_day, figure, bucket, count)
    WHERE figure IN ('issued', 'issued_hour', 'served', 'no_show');
-- The same summed per calendar month (month: its first day): a year is read as twelve sums.
CREATE TABLE month_tallies (
    mpp           TEXT NOT NULL,
    month         TEXT NOT NULL,
    queue         TEXT NOT NULL,
    point         TEXT NOT NULL,
    figure        TEXT NOT NULL,
    bucket        INTEGER NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (mpp, month, queue, point, figure, bucket)
) STRICT, WITHOUT ROWID;
"#;

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them
/// `$N`); numbers travel as text.
pub(crate) mod sql {
    /// What [`crate::rules::dashboard::TicketFacts`] needs of tickets, then the MPP.
    const FACTS: &str = "SELECT business_day, queue, issued_at, status, \
        CASE WHEN transferred_queue IS NULL THEN '' ELSE 'yes' END, counter_status, \
        counter_name, counter_at, \
        (SELECT MIN(calls.at) FROM calls WHERE calls.mpp = tickets.mpp \
         AND calls.kiosk = tickets.kiosk AND calls.ticket = tickets.id), \
        (SELECT MAX(calls.at) FROM calls WHERE calls.mpp = tickets.mpp \
         AND calls.kiosk = tickets.kiosk AND calls.ticket = tickets.id), mpp FROM tickets";

    /// Kiosk `?1`'s ticket `?2`.
    pub fn ticket() -> String {
        format!("{FACTS} WHERE kiosk = ?1 AND id = ?2")
    }

    /// Every ticket of MPP `?1` of day `?2`.
    pub fn of_day() -> String {
        format!("{FACTS} WHERE mpp = ?1 AND business_day = ?2")
    }

    /// The business days MPP `?1` has tickets of.
    pub const DAYS: &str = "SELECT DISTINCT business_day FROM tickets WHERE mpp = ?1";

    /// Adds `?7` to a tally of `table` (`day_tallies` by `business_day`, `month_tallies` by
    /// `month`), made at 0 if new.
    pub fn add(table: &str, period: &str) -> String {
        format!(
            "INSERT INTO {table} (mpp, {period}, queue, point, figure, bucket, count) \
             VALUES (?1, ?2, ?3, ?4, ?5, CAST(CAST(?6 AS TEXT) AS BIGINT), \
             CAST(CAST(?7 AS TEXT) AS BIGINT)) \
             ON CONFLICT (mpp, {period}, queue, point, figure, bucket) \
             DO UPDATE SET count = {table}.count + excluded.count"
        )
    }

    /// Drops a tally of `table` that came down to 0.
    pub fn prune(table: &str, period: &str) -> String {
        format!(
            "DELETE FROM {table} WHERE mpp = ?1 AND {period} = ?2 AND queue = ?3 \
             AND point = ?4 AND figure = ?5 AND bucket = CAST(CAST(?6 AS TEXT) AS BIGINT) \
             AND count = 0"
        )
    }

    /// Forgets every tally of MPP `?1`.
    pub const FORGET: [&str; 2] = [
        "DELETE FROM day_tallies WHERE mpp = ?1",
        "DELETE FROM month_tallies WHERE mpp = ?1",
    ];

    /// MPP `?1`'s tallies of `table` from `?2` to `?3`, summed per service, point, figure,
    /// bucket.
    pub fn period(table: &str, period: &str) -> String {
        format!(
            "SELECT queue, point, figure, CAST(bucket AS TEXT), CAST(SUM(count) AS TEXT) \
             FROM {table} WHERE mpp = ?1 AND {period} >= ?2 AND {period} <= ?3 \
             GROUP BY queue, point, figure, bucket"
        )
    }

    /// MPP `?1`'s days `?2` to `?3` of the figures read day by day (the partial index's), summed
    /// per day, figure and bucket.
    pub const DAILY: &str = "SELECT business_day, figure, CAST(bucket AS TEXT), \
        CAST(SUM(count) AS TEXT) FROM day_tallies WHERE mpp = ?1 AND business_day >= ?2 \
        AND business_day <= ?3 AND figure IN ('issued', 'issued_hour', 'served', 'no_show') \
        GROUP BY business_day, figure, bucket";
}

/// Both tables a tally is kept in: its day's and its month's.
const TABLES: [(&str, &str); 2] = [("day_tallies", "business_day"), ("month_tallies", "month")];

/// A ticket's tallies before a write changed it; [`Tracked::settle`] after the write moves the
/// day's sums by what changed.
pub(crate) struct Tracked {
    kiosk: String,
    id: String,
    before: Option<(String, Vec<TallyKey>)>,
}

impl Tracked {
    /// Reads `kiosk`'s ticket `id` as it stands (it may not exist yet).
    pub fn before<T: TextStatements + ?Sized>(
        transaction: &mut T,
        kiosk: &str,
        id: &str,
    ) -> Result<Self, DbError> {
        Ok(Self {
            kiosk: kiosk.to_owned(),
            id: id.to_owned(),
            before: ticket_tallies(transaction, kiosk, id)?,
        })
    }

    /// Moves the sums by the ticket's change since [`Tracked::before`].
    pub fn settle<T: TextStatements + ?Sized>(self, transaction: &mut T) -> Result<(), DbError> {
        let after = ticket_tallies(transaction, &self.kiosk, &self.id)?;
        let mpp = match (&self.before, &after) {
            (_, Some((mpp, _))) | (Some((mpp, _)), None) => mpp.clone(),
            (None, None) => return Ok(()),
        };
        let before = self.before.map(|(_, keys)| keys).unwrap_or_default();
        let after = after.map(|(_, keys)| keys).unwrap_or_default();
        for (key, change) in delta(&before, &after) {
            add(transaction, &mpp, &key, change)?;
        }
        Ok(())
    }
}

/// Runs `work`, which changes `kiosk`'s ticket `id`, and moves the sums by its change.
pub(crate) fn tracking<T: TextStatements + ?Sized, R>(
    transaction: &mut T,
    (kiosk, id): (&str, &str),
    work: impl FnOnce(&mut T) -> Result<R, DbError>,
) -> Result<R, DbError> {
    let tracked = Tracked::before(transaction, kiosk, id)?;
    let value = work(transaction)?;
    tracked.settle(transaction)?;
    Ok(value)
}

/// The ticket's MPP and tallies, if it is stored.
fn ticket_tallies<T: TextStatements + ?Sized>(
    transaction: &mut T,
    kiosk: &str,
    id: &str,
) -> Result<Option<(String, Vec<TallyKey>)>, DbError> {
    let rows = transaction.text_rows(&sql::ticket(), &[Some(kiosk), Some(id)])?;
    let Some(row) = rows.into_iter().next() else {
        return Ok(None);
    };
    let facts = facts_from(&row).ok_or_else(|| transaction.corrupt(format!("ticket {row:?}")))?;
    let mpp = row.get(10).cloned().flatten().unwrap_or_default();
    Ok(Some((mpp, tallies(&facts))))
}

fn add<T: TextStatements + ?Sized>(
    transaction: &mut T,
    mpp: &str,
    key: &TallyKey,
    change: i64,
) -> Result<(), DbError> {
    let (bucket, change_text) = (key.bucket.to_string(), change.to_string());
    let day = key.day.to_string();
    let month = key.day.with_day(1).unwrap_or(key.day).to_string();
    for ((table, period), when) in TABLES.into_iter().zip([&day, &month]) {
        let values = [
            Some(mpp),
            Some(when.as_str()),
            Some(key.queue.as_str()),
            Some(key.point.as_str()),
            Some(key.figure.code()),
            Some(bucket.as_str()),
            Some(change_text.as_str()),
        ];
        transaction.text_execute(&sql::add(table, period), &values)?;
        if change < 0 {
            transaction.text_execute(&sql::prune(table, period), &values[..6])?;
        }
    }
    Ok(())
}

/// A ticket row of [`sql::ticket`] as the figures see it; `None` when a column is not what it
/// must be.
fn facts_from(row: &TextRow) -> Option<TicketFacts> {
    let text = |index: usize| row.get(index).cloned().flatten();
    let instant = |index: usize| -> Option<Option<chrono::DateTime<chrono::Utc>>> {
        match text(index) {
            None => Some(None),
            Some(value) => instant::parse(&value).map(Some),
        }
    };
    let counter = match text(5) {
        None => None,
        Some(value) => Some(CounterStatus::parse(&value)?),
    };
    Some(TicketFacts {
        day: text(0)?.parse().ok()?,
        queue: text(1)?,
        issued_at: instant::parse(&text(2)?)?,
        voided: text(3)? == TicketStatus::Voided.as_str(),
        transferred: text(4)? == "yes",
        counter,
        point: text(6),
        counter_at: instant(7)?,
        first_call: instant(8)?,
        last_call: instant(9)?,
    })
}

/// Sums every ticket of `mpp` afresh inside the caller's write transaction, a day at a time
/// (a year of a busy MPP is never in memory at once): the day tallies written.
pub(crate) fn rebuild<T: TextStatements + ?Sized>(
    writes: &mut T,
    mpp: &str,
) -> Result<usize, DbError> {
    for forget in sql::FORGET {
        writes.text_execute(forget, &[Some(mpp)])?;
    }
    let days = writes.text_rows(sql::DAYS, &[Some(mpp)])?;
    let mut written = 0;
    let mut months: BTreeMap<TallyKey, i64> = BTreeMap::new();
    for day in days
        .into_iter()
        .filter_map(|row| row.into_iter().next().flatten())
    {
        let rows = writes.text_rows(&sql::of_day(), &[Some(mpp), Some(&day)])?;
        let mut tickets = Vec::with_capacity(rows.len());
        for row in rows {
            let facts =
                facts_from(&row).ok_or_else(|| writes.corrupt(format!("ticket {row:?}")))?;
            tickets.push(facts);
        }
        let sums = summed(&tickets);
        for (key, count) in &sums {
            let month = key.day.with_day(1).unwrap_or(key.day);
            *months
                .entry(TallyKey {
                    day: month,
                    ..key.clone()
                })
                .or_default() += count;
        }
        insert_all(writes, mpp, TABLES[0], &sums)?;
        written += sums.len();
    }
    insert_all(writes, mpp, TABLES[1], &months)?;
    Ok(written)
}

/// Rows a rebuild inserts with one statement: few round trips to PostgreSQL, well under
/// either backend's limit of parameters.
const ROWS_PER_INSERT: usize = 500;

/// Inserts `sums` into a table that holds none of their keys, many rows a statement.
fn insert_all<T: TextStatements + ?Sized>(
    writes: &mut T,
    mpp: &str,
    (table, period): (&str, &str),
    sums: &BTreeMap<TallyKey, i64>,
) -> Result<(), DbError> {
    let rows: Vec<[String; 5]> = sums
        .iter()
        .map(|(key, count)| {
            [
                key.day.to_string(),
                key.queue.clone(),
                key.point.clone(),
                key.bucket.to_string(),
                count.to_string(),
            ]
        })
        .collect();
    let figures: Vec<&str> = sums.keys().map(|key| key.figure.code()).collect();
    for (chunk, codes) in rows
        .chunks(ROWS_PER_INSERT)
        .zip(figures.chunks(ROWS_PER_INSERT))
    {
        let mut values: Vec<Option<&str>> = vec![Some(mpp)];
        let mut tuples = Vec::with_capacity(chunk.len());
        for (row, code) in chunk.iter().zip(codes) {
            let at = values.len() + 1;
            tuples.push(format!(
                "(?1, ?{at}, ?{}, ?{}, ?{}, CAST(CAST(?{} AS TEXT) AS BIGINT), \
                 CAST(CAST(?{} AS TEXT) AS BIGINT))",
                at + 1,
                at + 2,
                at + 3,
                at + 4,
                at + 5
            ));
            values.extend([
                Some(row[0].as_str()),
                Some(row[1].as_str()),
                Some(row[2].as_str()),
                Some(*code),
                Some(row[3].as_str()),
                Some(row[4].as_str()),
            ]);
        }
        let sql = format!(
            "INSERT INTO {table} (mpp, {period}, queue, point, figure, bucket, count) VALUES {}",
            tuples.join(", ")
        );
        writes.text_execute(&sql, &values)?;
    }
    Ok(())
}

/// Reading the tallies.
pub trait RollupReads: TextStatements {
    /// `mpp`'s tallies of the days `first` to `last`, summed per service, point, figure and
    /// bucket.
    fn period_rows(
        &mut self,
        mpp: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<PeriodRow>, DbError> {
        let plan = reading(first, last);
        let mut ranges: Vec<(usize, NaiveDate, NaiveDate)> =
            plan.days.iter().map(|(from, to)| (0, *from, *to)).collect();
        if let Some((from, to)) = plan.months {
            ranges.push((1, from, to));
        }
        let mut found = Vec::new();
        for (table, from, to) in ranges {
            let (name, period) = TABLES[table];
            let (from, to) = (from.to_string(), to.to_string());
            let sql = sql::period(name, period);
            for row in self.text_rows(&sql, &[Some(mpp), Some(&from), Some(&to)])? {
                found.push(period_row(&row).ok_or_else(|| self.corrupt(format!("tally {row:?}")))?);
            }
        }
        Ok(found)
    }

    /// `mpp`'s days `first` to `last`, of the figures of [`DAILY_FIGURES`], per day.
    fn daily_rows(
        &mut self,
        mpp: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<DailyRow>, DbError> {
        let (first, last) = (first.to_string(), last.to_string());
        let rows = self.text_rows(sql::DAILY, &[Some(mpp), Some(&first), Some(&last)])?;
        rows.into_iter()
            .map(|row| daily_row(&row).ok_or_else(|| self.corrupt(format!("tally {row:?}"))))
            .collect()
    }
}

impl<T: TextStatements + ?Sized> RollupReads for T {}

fn daily_row(row: &TextRow) -> Option<DailyRow> {
    let text = |index: usize| row.get(index).cloned().flatten();
    let row = DailyRow {
        day: text(0)?.parse().ok()?,
        figure: Figure::from_code(&text(1)?)?,
        bucket: text(2)?.parse().ok()?,
        count: text(3)?.parse().ok()?,
    };
    DAILY_FIGURES.contains(&row.figure).then_some(row)
}

fn period_row(row: &TextRow) -> Option<PeriodRow> {
    let text = |index: usize| row.get(index).cloned().flatten();
    Some(PeriodRow {
        queue: text(0)?,
        point: text(1)?,
        figure: Figure::from_code(&text(2)?)?,
        bucket: text(3)?.parse().ok()?,
        count: text(4)?.parse().ok()?,
    })
}

#[cfg(test)]
mod tests;
