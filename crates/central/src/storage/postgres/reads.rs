//! PostgreSQL's reads, and [`Database`] for [`Postgres`]: the same questions as the SQLite file
//! answers, the rows turned into records by the same functions.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::types::ToSql;

use crate::model::audit::KioskAudit;
use crate::model::counter::CounterOutcome;
use crate::model::counter::Reporter;
use crate::model::fleet::KioskState;
use crate::model::numbers::FlaggedNumber;
use crate::model::refusal::RefusedEvent;
use crate::model::survey::SurveyRow;
use crate::model::ticket::TicketRecord;
use crate::rules::survey::Decision;
use crate::rules::survey::SurveyRules;
use crate::storage::Database;
use crate::storage::error::DbError;
use crate::storage::instant::instant_text;
use crate::storage::instant::parse_instant;
use crate::storage::postgres::Postgres;
use crate::storage::rows;
use crate::storage::sqlite::fleet::contact_from;
use crate::storage::sqlite::numbers;
use crate::storage::sqlite::refusals;
use mpp_core::closure_sync::{ClosureChange, ClosureOutcome, SharedClosure};
use mpp_core::ids::QueueCode;
use mpp_core::numbering::NumberRange;
use mpp_core::protocol::{
    AuditOutcome, AuditRecord, BatchOutcome, CounterReport, Heartbeat, HighestNumber, QueueWaiting,
    SurveyResponse, TicketEvent,
};
use mpp_core::ticket::Ticket;

/// Tickets still waiting: live at the kiosk and not finished at a counter.
const WAITING: &str =
    "status != 'voided' AND (counter_status IS NULL OR counter_status = 'called')";

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

    fn kiosk_state(&mut self, id: &str, today: NaiveDate) -> Result<KioskState, DbError> {
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
fn small(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

impl Database for Postgres {
    fn apply_batch(
        &mut self,
        mpp: &str,
        kiosk: &str,
        range: Option<NumberRange>,
        events: &[TicketEvent],
        refused: &[RefusedEvent],
        now: DateTime<Utc>,
    ) -> Result<BatchOutcome, DbError> {
        Postgres::apply_batch(self, mpp, kiosk, range, events, refused, now)
    }

    fn record_heartbeat(
        &mut self,
        mpp: &str,
        heartbeat: &Heartbeat,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        Postgres::record_heartbeat(self, mpp, heartbeat, now)
    }

    fn record_counter_report(
        &mut self,
        mpp: &str,
        kiosk: &str,
        ticket_id: &str,
        report: &CounterReport,
        reporter: Reporter<'_>,
        now: DateTime<Utc>,
    ) -> Result<CounterOutcome, DbError> {
        Postgres::record_counter_report(self, mpp, kiosk, ticket_id, report, reporter, now)
    }

    fn published_catalog(&mut self, mpp: &str) -> Result<Option<String>, DbError> {
        let rows = self.rows(
            "SELECT json FROM published_catalogs WHERE mpp = $1",
            &[&mpp],
        )?;
        Ok(rows.first().map(|row| row.get(0)))
    }

    fn store_published_catalog(
        &mut self,
        mpp: &str,
        version: u64,
        json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        Postgres::store_published_catalog(self, mpp, version, json, now)
    }

    fn kiosks_with_ticket(&mut self, mpp: &str, ticket_id: &str) -> Result<Vec<String>, DbError> {
        let rows = self.rows(
            "SELECT kiosk FROM tickets WHERE mpp = $1 AND id = $2 ORDER BY seen",
            &[&mpp, &ticket_id],
        )?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    fn waiting(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        known: &[QueueCode],
    ) -> Result<Vec<QueueWaiting>, DbError> {
        let sql = format!(
            "SELECT queue, lane, count(*) FROM tickets WHERE mpp = $1 AND business_day = $2 \
             AND {WAITING} GROUP BY queue, lane"
        );
        let rows = self.rows(&sql, &[&mpp, &day.to_string()])?;
        let counts = rows
            .iter()
            .map(|row| (row.get(0), row.get(1), small(row.get(2))))
            .collect();
        Ok(rows::waiting_from(known, counts))
    }

    fn ticket(&mut self, kiosk: &str, id: &str) -> Result<Option<TicketRecord>, DbError> {
        let rows = self.rows(
            "SELECT ticket_json, counter_status, counter_name, counter_at FROM tickets \
             WHERE kiosk = $1 AND id = $2",
            &[&kiosk, &id],
        )?;
        rows.first()
            .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
            .map(|row| rows::record_from(row, |detail| self.corrupt(detail)))
            .transpose()
    }

    fn ticket_of_any(
        &mut self,
        kiosks: &[&str],
        id: &str,
    ) -> Result<Option<TicketRecord>, DbError> {
        let rows = self.rows(
            "SELECT kiosk FROM tickets WHERE id = $1 ORDER BY seen",
            &[&id],
        )?;
        let owners: Vec<String> = rows.iter().map(|row| row.get(0)).collect();
        match owners.iter().find(|owner| kiosks.contains(&owner.as_str())) {
            Some(owner) => self.ticket(owner, id),
            None => Ok(None),
        }
    }

    fn ahead_of(&mut self, mpp: &str, ticket: &Ticket) -> Result<u32, DbError> {
        let sql = format!(
            "SELECT (SELECT count(*) FROM tickets WHERE mpp = $7 AND business_day = $1 \
                     AND queue = $2 AND lane = 'priority' AND $5 = 'regular' AND {WAITING}) \
                  + (SELECT count(*) FROM tickets WHERE mpp = $7 AND business_day = $1 \
                     AND queue = $2 AND lane = $5 AND {WAITING} AND (issued_at < $3 \
                     OR (issued_at = $3 AND (kiosk, id) < ($6, $4))))"
        );
        let rows = self.rows(
            &sql,
            &[
                &ticket.business_day.to_string(),
                &ticket.queue.as_str(),
                &instant_text(ticket.issued_at),
                &ticket.id.as_str(),
                &ticket.lane.as_str(),
                &ticket.kiosk.as_str(),
                &mpp,
            ],
        )?;
        Ok(rows.first().map_or(0, |row| small(row.get(0))))
    }

    fn fleet(&mut self, ids: &[String], today: NaiveDate) -> Result<Vec<KioskState>, DbError> {
        ids.iter().map(|id| self.kiosk_state(id, today)).collect()
    }

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

    fn record_audit(
        &mut self,
        mpp: &str,
        kiosk: &str,
        entries: &[AuditRecord],
        now: DateTime<Utc>,
    ) -> Result<AuditOutcome, DbError> {
        let url = self.url.clone();
        let fail = |error: postgres::Error| crate::storage::postgres::classify(&url, &error);
        let client = self.client()?;
        let mut transaction = client.transaction().map_err(fail)?;
        let mut outcome = AuditOutcome::default();
        let received = instant_text(now);
        for entry in entries {
            let inserted = transaction
                .execute(
                    "INSERT INTO audit_log \
                     (mpp, kiosk, id, at, action, detail, outcome, received_at) \
                     VALUES ($8, $1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kiosk, id) DO NOTHING",
                    &[
                        &kiosk,
                        &entry.id,
                        &instant_text(entry.at),
                        &entry.action,
                        &entry.detail,
                        &entry.outcome,
                        &received,
                        &mpp,
                    ],
                )
                .map_err(fail)?;
            match inserted {
                0 => outcome.duplicates.push(entry.id),
                _ => outcome.stored.push(entry.id),
            }
        }
        transaction.commit().map_err(fail)?;
        Ok(outcome)
    }

    fn latest_audit(&mut self, ids: &[String]) -> Result<Vec<KioskAudit>, DbError> {
        let mut fleet = Vec::new();
        for kiosk in ids {
            let rows = self.rows(
                "SELECT id, at, action, detail, outcome FROM audit_log WHERE kiosk = $1 \
                 ORDER BY id DESC LIMIT $2",
                &[kiosk, &i64::from(crate::model::audit::LATEST_SHOWN)],
            )?;
            let entries: Vec<AuditRecord> = rows
                .iter()
                .filter_map(|row| {
                    Some(AuditRecord {
                        id: row.get(0),
                        at: parse_instant(row.get(1))?,
                        action: row.get(2),
                        detail: row.get(3),
                        outcome: row.get(4),
                    })
                })
                .collect();
            if !entries.is_empty() {
                fleet.push(KioskAudit {
                    kiosk: kiosk.clone(),
                    entries,
                });
            }
        }
        Ok(fleet)
    }

    fn record_closures(
        &mut self,
        mpp: &str,
        kiosk: &str,
        changes: &[ClosureChange],
        now: DateTime<Utc>,
    ) -> Result<ClosureOutcome, DbError> {
        Postgres::record_closures(self, mpp, kiosk, changes, now)
    }

    fn day_closures(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<SharedClosure>, DbError> {
        Postgres::day_closures(self, mpp, day)
    }

    fn record_surveys(
        &mut self,
        mpp: &str,
        responses: &[SurveyResponse],
        rules: SurveyRules,
        now: DateTime<Utc>,
    ) -> Result<Vec<Decision>, DbError> {
        Postgres::record_surveys(self, mpp, responses, rules, now)
    }

    fn survey_answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError> {
        Postgres::survey_answered(self, kiosk, id)
    }

    fn survey_rows(
        &mut self,
        mpp: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<SurveyRow>, DbError> {
        Postgres::survey_rows(self, mpp, first, last)
    }

    fn checkpoint(&mut self) -> Result<(), DbError> {
        Ok(())
    }
}
