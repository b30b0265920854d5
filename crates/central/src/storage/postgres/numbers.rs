//! PostgreSQL's side of the numbers: those flagged for a person, and what a kiosk used.

use crate::model::numbers::FlaggedNumber;
use crate::storage::Numbers;
use crate::storage::error::DbError;
use crate::storage::postgres::Postgres;
use crate::storage::postgres::reads::small;
use crate::storage::sqlite::numbers;
use chrono::NaiveDate;
use mpp_core::protocol::HighestNumber;

impl Numbers for Postgres {
    fn flagged_numbers(&mut self, mpp: &str) -> Result<Vec<FlaggedNumber>, DbError> {
        let rows = self.rows(
            "SELECT problem, kiosk, ticket_id, number, business_day, first_kiosk, \
             first_ticket_id, range_first, range_last, found_at FROM flagged_numbers \
             WHERE mpp = $1 ORDER BY id DESC LIMIT $2",
            &[&mpp, &i64::from(crate::model::numbers::LATEST_SHOWN)],
        )?;
        let corrupt = |detail| self.corrupt(detail);
        rows.iter()
            .map(|row| {
                let first: Option<i64> = row.get(7);
                let last: Option<i64> = row.get(8);
                let flagged = (
                    row.get(0),
                    row.get(1),
                    row.get(2),
                    row.get(3),
                    row.get(4),
                    row.get(5),
                    row.get(6),
                    first.map(small),
                    last.map(small),
                    row.get(9),
                );
                numbers::flagged_from(flagged, &corrupt)
            })
            .collect()
    }

    fn highest_numbers(
        &mut self,
        kiosk: &str,
        day: NaiveDate,
    ) -> Result<Vec<HighestNumber>, DbError> {
        let rows = self.rows(
            "SELECT queue, lane, max(sequence) FROM tickets \
             WHERE kiosk = $1 AND business_day = $2 GROUP BY queue, lane ORDER BY queue, lane",
            &[&kiosk, &day.to_string()],
        )?;
        let rows = rows
            .iter()
            .map(|row| (row.get(0), row.get(1), small(row.get(2))))
            .collect();
        numbers::highest_from(rows, &|detail| self.corrupt(detail))
    }

    fn latest_business_day(&mut self, kiosk: &str) -> Result<Option<NaiveDate>, DbError> {
        let rows = self.rows(
            "SELECT max(business_day) FROM tickets WHERE kiosk = $1",
            &[&kiosk],
        )?;
        let day: Option<String> = rows.first().and_then(|row| row.get(0));
        day.map(|day| {
            day.parse()
                .map_err(|_| self.corrupt(format!("business day {day:?}")))
        })
        .transpose()
    }
}
