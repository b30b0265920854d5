//! The storage interface: everything the handlers ask of the database, whichever it is — the
//! embedded SQLite file ([`Sqlite`]) or a PostgreSQL server ([`Postgres`]). One small trait
//! per feature (tickets, counters, numbers, fleet, audit, closures, surveys, the published
//! catalog), and [`Database`], all of them together, which the pools hold as a trait object.
//!
//! Each feature is written once in its module here (`batches`, `counters`, `closures`,
//! `surveys`, `audit`, `fleet`, `catalogs`, `numbers`, `rows`): its statements (with SQLite's
//! `?N`, which [`shared::for_postgres`] makes PostgreSQL's), how its rows become records, and
//! what a write decides inside its transaction (which events are new, who wins a closure,
//! whether a counter's move or a survey response is allowed; the pure rules are in `rules/`).
//! The writes and most reads are the traits' provided methods: a write opens the backend's
//! transaction ([`Transact::begin`]) and its decision asks the few questions of [`Writes`]; a
//! read asks for the rows of its statement and shapes them. Each backend answers, in its own
//! file of the feature's name (`sqlite/closures.rs`, `postgres/closures.rs`…), with its own
//! SQL only where the dialects differ.
//!
//! Every write is one transaction with the same guarantees in both: idempotent by kiosk,
//! ticket and event; conflicts and refusals recorded beside, never applied.

pub mod audit;
pub mod batches;
pub mod call_log;
pub mod calls;
pub mod catalogs;
pub mod closures;
pub mod console;
pub mod counters;
pub mod error;
#[cfg(test)]
mod fixtures;
pub mod fleet;
pub mod numbers;
pub mod open;
pub mod points;
pub mod pool;
pub mod postgres;
pub mod rollups;
pub mod rows;
pub mod shared;
pub mod sqlite;
pub mod staff;
pub mod survey_rows;
pub mod surveys;
pub mod transfers;
pub mod waits;

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::audit::KioskAudit;
use crate::model::counter::{CounterOutcome, Reporter};
use crate::model::fleet::KioskState;
use crate::model::numbers::FlaggedNumber;
use crate::model::survey::SurveyRow;
use crate::model::ticket::TicketRecord;
use crate::rules::survey::{Decision, SurveyRules};
use crate::storage::audit::{AuditRow, AuditTransaction};
use crate::storage::batches::{Batch, BatchTransaction};
use crate::storage::calls::{CallTransaction, Next};
use crate::storage::catalogs::CatalogTransaction;
use crate::storage::closures::{ClosureRow, ClosureTransaction};
use crate::storage::counters::{CounterTransaction, Report};
use crate::storage::error::{Corrupt, DbError};
use crate::storage::fleet::{HeartbeatTransaction, KioskReads};
use crate::storage::numbers::{FlaggedRow, HighestRow};
use crate::storage::rows::{RecordRow, WaitingRow};
use crate::storage::shared::Sent;
use crate::storage::shared::TextStatements;
use crate::storage::staff::Staff;
use crate::storage::survey_rows::Cell;
use crate::storage::surveys::SurveyTransaction;
use mpp_core::closure_sync::{ClosureChange, ClosureOutcome, SharedClosure};
use mpp_core::ids::QueueCode;
use mpp_core::protocol::{
    AuditOutcome, AuditRecord, BatchOutcome, Called, CounterReport, Heartbeat, HighestNumber,
    QueueWaiting, SurveyResponse,
};
use mpp_core::ticket::Ticket;

/// One connection to the server's database, whichever backend (see the module documentation).
pub trait Database:
    Tickets + Counters + Numbers + Fleet + Audit + Closures + Surveys + Catalogs + Staff + Send
{
    /// Makes what is written safe on a clean stop (SQLite folds its log; PostgreSQL needs nothing).
    fn checkpoint(&mut self) -> Result<(), DbError>;

    /// Whether the database answers a query now, for the health check.
    fn answers(&mut self) -> Result<(), DbError>;
}

/// How a backend opens the one transaction each write runs in: on SQLite's one writer
/// (`BEGIN IMMEDIATE`), on PostgreSQL under `mpp`'s advisory lock, so writes within one MPP
/// follow one another in both while MPPs write side by side.
pub trait Transact {
    fn begin(&mut self, mpp: &str) -> Result<Box<dyn Writes + '_>, DbError>;
}

/// An open write transaction: the few questions each write's decision asks, answered by each
/// backend in its own SQL. Dropped without [`Writes::commit`], it writes nothing.
pub trait Writes:
    BatchTransaction
    + ClosureTransaction
    + SurveyTransaction
    + CounterTransaction
    + CallTransaction
    + AuditTransaction
    + HeartbeatTransaction
    + CatalogTransaction
    + TextStatements
{
    fn commit(self: Box<Self>) -> Result<(), DbError>;
}

/// Runs `work` in one write transaction of `mpp` and commits when it succeeds.
fn deciding<D: Transact + ?Sized, T>(
    database: &mut D,
    mpp: &str,
    work: impl FnOnce(&mut dyn Writes) -> Result<T, DbError>,
) -> Result<T, DbError> {
    let mut writes = database.begin(mpp)?;
    let value = work(&mut *writes)?;
    writes.commit()?;
    Ok(value)
}

/// Sums every ticket of `mpp` afresh into the dashboard's tallies, in one write transaction
/// (see [`rollups`]): the day tallies written.
#[tracing::instrument(skip_all, err)]
pub fn rebuild_tallies<D: Transact + ?Sized>(
    database: &mut D,
    mpp: &str,
) -> Result<usize, DbError> {
    deciding(database, mpp, |writes| rollups::rebuild(writes, mpp))
}

/// The kiosks' tickets: their event batches, and where each stands in its queue.
pub trait Tickets: Transact + Corrupt {
    /// Stores a batch of `mpp`'s kiosk in one transaction, decided by
    /// [`batches::apply_batch`]: each event new, a duplicate or a conflict (by kiosk + ticket +
    /// event), the refused ones beside, numbers flagged.
    #[tracing::instrument(skip_all, err, fields(kiosk = %batch.kiosk, events = batch.events.len()))]
    fn apply_batch(&mut self, batch: &Batch<'_>) -> Result<BatchOutcome, DbError> {
        let (outcome, flagged) = deciding(self, batch.mpp, |writes| {
            batches::apply_batch(writes, batch)
        })?;
        batches::report(batch, &outcome, &flagged);
        Ok(outcome)
    }

    /// The kiosks of `mpp` that have a ticket `ticket_id`, in the order first heard of.
    fn kiosks_with_ticket(&mut self, mpp: &str, ticket_id: &str) -> Result<Vec<String>, DbError>;

    /// People waiting per queue of `mpp` on `day`; every queue in `known` appears.
    fn waiting(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        known: &[QueueCode],
    ) -> Result<Vec<QueueWaiting>, DbError> {
        let rows = self.waiting_rows(mpp, day)?;
        Ok(rows::waiting_from(known, rows))
    }

    /// The rows of [`rows::sql::waiting`].
    fn waiting_rows(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<WaitingRow>, DbError>;

    /// `kiosk`'s ticket `id`, if the server has it.
    fn ticket(&mut self, kiosk: &str, id: &str) -> Result<Option<TicketRecord>, DbError> {
        let row = self.ticket_row(kiosk, id)?;
        row.map(|row| rows::record_from(row, |detail| self.corrupt(detail)))
            .transpose()
    }

    /// The row of [`rows::sql::TICKET`], if there is one.
    fn ticket_row(&mut self, kiosk: &str, id: &str) -> Result<Option<RecordRow>, DbError>;

    /// The kiosks of any MPP that have a ticket `id`, in the order first heard of.
    fn owners_of(&mut self, id: &str) -> Result<Vec<String>, DbError>;

    /// The first ticket `id` the server heard of among those of `kiosks`: a legacy link names
    /// no kiosk, only a key that verified it.
    fn ticket_of_any(
        &mut self,
        kiosks: &[&str],
        id: &str,
    ) -> Result<Option<TicketRecord>, DbError> {
        let owners = self.owners_of(id)?;
        match owners.iter().find(|owner| kiosks.contains(&owner.as_str())) {
            Some(owner) => self.ticket(owner, id),
            None => Ok(None),
        }
    }

    /// The tickets of `mpp` that will be called before `ticket`.
    fn ahead_of(&mut self, mpp: &str, ticket: &Ticket) -> Result<u32, DbError>;
}

/// What counters report about tickets: called, served, missed.
pub trait Counters: Tickets {
    /// A counter's report on `kiosk`'s ticket, checked and written in one transaction (see
    /// [`counters::record`]).
    #[tracing::instrument(skip_all, err)]
    fn record_counter_report(
        &mut self,
        mpp: &str,
        kiosk: &str,
        ticket_id: &str,
        report: &CounterReport,
        reporter: Reporter<'_>,
        now: DateTime<Utc>,
    ) -> Result<CounterOutcome, DbError> {
        let report = Report {
            mpp,
            kiosk,
            ticket_id,
            report,
            reporter,
            now,
        };
        deciding(self, mpp, |writes| counters::record(writes, &report))
    }

    /// A point's "next": the first visitor nobody has called yet in its queues, now called to
    /// it, decided inside one transaction (see [`calls::call_next`]); `None` when nobody waits.
    #[tracing::instrument(skip_all, err)]
    fn call_next(&mut self, next: &Next<'_>) -> Result<Option<Called>, DbError> {
        deciding(self, next.mpp, |writes| calls::call_next(writes, next))
    }

    /// A called visitor sent on to another queue (see [`transfers::transfer`]).
    #[tracing::instrument(skip_all, err)]
    fn transfer(
        &mut self,
        transfer: &transfers::Transfer<'_>,
    ) -> Result<transfers::TransferOutcome, DbError> {
        deciding(self, transfer.mpp, |writes| {
            transfers::transfer(writes, transfer)
        })
    }

    /// A ticket called out of turn by its number (see [`calls::call_number`]).
    #[tracing::instrument(skip_all, err)]
    fn call_number(&mut self, call: &calls::ByNumber<'_>) -> Result<calls::NumberOutcome, DbError> {
        deciding(self, call.next.mpp, |writes| {
            calls::call_number(writes, call)
        })
    }

    /// A report on the ticket `ticket_id` of whichever kiosk of `mpp` has one (only one may).
    fn record_counter_report_by_id(
        &mut self,
        mpp: &str,
        ticket_id: &str,
        report: &CounterReport,
        reporter: Reporter<'_>,
        now: DateTime<Utc>,
    ) -> Result<CounterOutcome, DbError> {
        let kiosks = self.kiosks_with_ticket(mpp, ticket_id)?;
        match kiosks.as_slice() {
            [] => Ok(CounterOutcome::Unknown),
            [kiosk] => self.record_counter_report(mpp, kiosk, ticket_id, report, reporter, now),
            _ => Ok(CounterOutcome::Ambiguous),
        }
    }
}

/// Queue numbers across kiosks: those flagged for a person, and what a kiosk has used.
pub trait Numbers: Corrupt {
    /// `mpp`'s numbers printed twice or outside their kiosk's range, the latest first.
    fn flagged_numbers(&mut self, mpp: &str) -> Result<Vec<FlaggedNumber>, DbError> {
        let rows = self.flagged_rows(mpp, crate::model::numbers::LATEST_SHOWN)?;
        let corrupt = |detail| self.corrupt(detail);
        rows.into_iter()
            .map(|row| numbers::flagged_from(row, &corrupt))
            .collect()
    }

    /// The rows of [`numbers::sql::FLAGGED`], at most `limit`.
    fn flagged_rows(&mut self, mpp: &str, limit: u32) -> Result<Vec<FlaggedRow>, DbError>;

    /// The highest number `kiosk` printed on `day`, per queue and lane (voided tickets count:
    /// their numbers are never given out again), by queue then lane.
    fn highest_numbers(
        &mut self,
        kiosk: &str,
        day: NaiveDate,
    ) -> Result<Vec<HighestNumber>, DbError> {
        let rows = self.highest_rows(kiosk, day)?;
        numbers::highest_from(rows, &|detail| self.corrupt(detail))
    }

    /// The rows of [`numbers::sql::HIGHEST`].
    fn highest_rows(&mut self, kiosk: &str, day: NaiveDate) -> Result<Vec<HighestRow>, DbError>;

    /// The latest business day `kiosk` printed a ticket on.
    fn latest_business_day(&mut self, kiosk: &str) -> Result<Option<NaiveDate>, DbError> {
        let day = self.latest_day(kiosk)?;
        numbers::latest_day_from(day, &|detail| self.corrupt(detail))
    }

    /// What [`numbers::sql::LATEST_DAY`] reads.
    fn latest_day(&mut self, kiosk: &str) -> Result<Option<String>, DbError>;
}

/// The kiosks as the fleet page shows them: heartbeats and each kiosk's figures.
pub trait Fleet: Transact + KioskReads {
    /// Stores `heartbeat` as its kiosk's latest word (see [`fleet::record_heartbeat`]).
    #[tracing::instrument(skip_all, err)]
    fn record_heartbeat(
        &mut self,
        mpp: &str,
        heartbeat: &Heartbeat,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        deciding(self, mpp, |writes| {
            fleet::record_heartbeat(writes, mpp, heartbeat, now)
        })
    }

    /// The state of each kiosk in `ids`, in that order, with `today`'s figures.
    fn fleet(&mut self, ids: &[String], today: NaiveDate) -> Result<Vec<KioskState>, DbError> {
        ids.iter()
            .map(|id| fleet::kiosk_state(self, id, today))
            .collect()
    }
}

/// The kiosks' audit logs.
pub trait Audit: Transact {
    /// Stores `kiosk`'s audit entries; one already held is a duplicate (kept as first sent).
    fn record_audit(
        &mut self,
        mpp: &str,
        kiosk: &str,
        entries: &[AuditRecord],
        now: DateTime<Utc>,
    ) -> Result<AuditOutcome, DbError> {
        let sent = Sent {
            mpp,
            kiosk,
            items: entries,
            now,
        };
        deciding(self, mpp, |writes| audit::record(writes, &sent))
    }

    /// The latest audit entries of each kiosk in `ids` that sent any, in that order.
    fn latest_audit(&mut self, ids: &[String]) -> Result<Vec<KioskAudit>, DbError> {
        let limit = crate::model::audit::LATEST_SHOWN;
        audit::latest_of(ids, |kiosk| self.audit_rows(kiosk, limit))
    }

    /// The rows of [`audit::sql::LATEST`], at most `limit`.
    fn audit_rows(&mut self, kiosk: &str, limit: u32) -> Result<Vec<AuditRow>, DbError>;
}

/// Services closed by staff, shared by an MPP's kiosks.
pub trait Closures: Transact + Corrupt {
    /// Records `kiosk`'s closure changes and applies those that win, in one transaction (see
    /// [`closures::apply_changes`]); one already held is a duplicate, applied once.
    fn record_closures(
        &mut self,
        mpp: &str,
        kiosk: &str,
        changes: &[ClosureChange],
        now: DateTime<Utc>,
    ) -> Result<ClosureOutcome, DbError> {
        let sent = Sent {
            mpp,
            kiosk,
            items: changes,
            now,
        };
        deciding(self, mpp, |writes| closures::apply_changes(writes, &sent))
    }

    /// `mpp`'s services closed on `day` (their latest change a close), by service.
    fn day_closures(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<SharedClosure>, DbError> {
        let rows = self.closure_rows(mpp, day)?;
        rows.into_iter()
            .map(|row| closures::closure_from(row, |detail| self.corrupt(detail)))
            .collect()
    }

    /// The rows of [`closures::sql::DAY`].
    fn closure_rows(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<ClosureRow>, DbError>;
}

/// The satisfaction survey's responses.
pub trait Surveys: Transact + Corrupt {
    /// Decides each survey response of `mpp` and stores those accepted, in one transaction
    /// (see [`surveys::decide_all`]).
    #[tracing::instrument(skip_all, err, fields(responses = responses.len()))]
    fn record_surveys(
        &mut self,
        mpp: &str,
        responses: &[SurveyResponse],
        rules: SurveyRules,
        now: DateTime<Utc>,
    ) -> Result<Vec<Decision>, DbError> {
        deciding(self, mpp, |writes| {
            surveys::decide_all(writes, mpp, responses, rules, now)
        })
    }

    /// Whether `kiosk`'s ticket `id` has a survey response.
    fn survey_answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError>;

    /// `mpp`'s survey responses about tickets of the business days `first` to `last`, oldest
    /// first.
    fn survey_rows(
        &mut self,
        mpp: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<SurveyRow>, DbError> {
        let (first, last) = (first.to_string(), last.to_string());
        let rows = self.cells(&survey_rows::select_sql(), &[mpp, &first, &last])?;
        rows.into_iter()
            .map(|cells| survey_rows::row_from(cells).map_err(|detail| self.corrupt(detail)))
            .collect()
    }

    /// The rows `sql` reads with text `params`, each value as a [`Cell`].
    fn cells(&mut self, sql: &str, params: &[&str]) -> Result<Vec<Vec<Cell>>, DbError>;
}

/// The catalog each MPP published last, kept across restarts.
pub trait Catalogs: Transact {
    /// The last catalog that was published and valid for `mpp`, if any.
    fn published_catalog(&mut self, mpp: &str) -> Result<Option<String>, DbError>;

    /// Keeps `json` as `mpp`'s last valid catalog, in place of the one before.
    #[tracing::instrument(skip_all, err)]
    fn store_published_catalog(
        &mut self,
        mpp: &str,
        version: u64,
        json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        deciding(self, mpp, |writes| {
            catalogs::store(writes, mpp, version, json, now)
        })
    }
}
