//! A span's figures day by day: visitors, served and no-shows per week (Monday to Sunday) and
//! tickets issued per weekday and hour of the day (the heat map), from the days' tallies.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::rules::dashboard::Figure;

/// The figures a day-by-day reading takes.
pub const DAILY_FIGURES: [Figure; 4] = [
    Figure::Issued,
    Figure::IssuedInHour,
    Figure::Served,
    Figure::NoShow,
];

/// One day's tallies of a figure and bucket, summed over queues and points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyRow {
    pub day: NaiveDate,
    pub figure: Figure,
    pub bucket: i64,
    pub count: u64,
}

/// A week's visitors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Week {
    pub issued: u64,
    pub served: u64,
    pub no_show: u64,
}

/// The Monday of `day`'s week.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday()))
}

/// Each week's visitors, by its Monday.
pub fn weeks(rows: &[DailyRow]) -> BTreeMap<NaiveDate, Week> {
    let mut weeks: BTreeMap<NaiveDate, Week> = BTreeMap::new();
    for row in rows {
        let week = weeks.entry(monday_of(row.day)).or_default();
        match row.figure {
            Figure::Issued => week.issued += row.count,
            Figure::Served => week.served += row.count,
            Figure::NoShow => week.no_show += row.count,
            _ => {}
        }
    }
    weeks
}

/// Tickets issued per weekday (0 = Monday) and hour of the day in the MPP's time.
pub fn heat(rows: &[DailyRow], hours_east: i32) -> [[u64; 24]; 7] {
    let mut heat = [[0; 24]; 7];
    for row in rows.iter().filter(|row| row.figure == Figure::IssuedInHour) {
        let shifted = row.bucket + i64::from(hours_east);
        // An hour past midnight UTC-wise stays on its business day: the heat map is by the
        // day the ticket counts for.
        let hour = shifted.rem_euclid(24) as usize;
        let weekday = row.day.weekday().num_days_from_monday() as usize;
        heat[weekday][hour] += row.count;
    }
    heat
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_and_hours_are_local() {
        let row = |day: &str, figure, bucket, count| DailyRow {
            day: day.parse().expect("day"),
            figure,
            bucket,
            count,
        };
        // 2026-11-22 is a Sunday, 2026-11-23 a Monday.
        let rows = [
            row("2026-11-22", Figure::Issued, 0, 5),
            row("2026-11-23", Figure::Issued, 0, 7),
            row("2026-11-23", Figure::Served, 0, 6),
            row("2026-11-23", Figure::IssuedInHour, 1, 7),
        ];
        let weeks = weeks(&rows);
        let keys: Vec<String> = weeks.keys().map(ToString::to_string).collect();
        assert_eq!(keys, ["2026-11-16", "2026-11-23"]);
        assert_eq!(weeks.values().last().map(|week| week.served), Some(6));
        assert_eq!(heat(&rows, 7)[0][8], 7, "Monday 08:00 WIB");
    }
}
