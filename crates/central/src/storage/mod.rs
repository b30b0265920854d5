//! The storage interface: everything the handlers ask of the database, whichever it is — the
//! embedded SQLite file ([`Sqlite`]) or a PostgreSQL server ([`Postgres`]). One small trait
//! per feature (tickets, counters, numbers, fleet, audit, closures, surveys, the published
//! catalog), each implemented directly by each backend in its own file of the feature's name
//! (`sqlite/tickets.rs`, `postgres/tickets.rs`…), and [`Database`], all of them together,
//! which the pools hold as a trait object. A decision both backends make (who wins a closure,
//! whether a survey response may be stored, whether a counter's move is allowed) is written
//! once above them (`rules/`, or here when it runs inside a write transaction) and handed the
//! rows; only the SQL dialect differs below it.
//!
//! Every write is one transaction with the same guarantees in both: idempotent by kiosk,
//! ticket and event; conflicts and refusals recorded beside, never applied.

pub mod batches;
pub mod closures;
pub mod error;
pub mod open;
pub mod pool;
pub mod postgres;
pub mod rows;
pub mod sqlite;
pub mod survey_rows;
pub mod surveys;

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::audit::KioskAudit;
use crate::model::counter::{CounterOutcome, Reporter};
use crate::model::fleet::KioskState;
use crate::model::numbers::FlaggedNumber;
use crate::model::survey::SurveyRow;
use crate::model::ticket::TicketRecord;
use crate::rules::survey::{Decision, SurveyRules};
use crate::storage::batches::Batch;
use crate::storage::error::DbError;
use mpp_core::closure_sync::{ClosureChange, ClosureOutcome, SharedClosure};
use mpp_core::ids::QueueCode;
use mpp_core::protocol::{
    AuditOutcome, AuditRecord, BatchOutcome, CounterReport, Heartbeat, HighestNumber, QueueWaiting,
    SurveyResponse,
};
use mpp_core::ticket::Ticket;

/// One connection to the server's database, whichever backend (see the module documentation).
pub trait Database:
    Tickets + Counters + Numbers + Fleet + Audit + Closures + Surveys + Catalogs + Send
{
    /// Makes what is written safe on a clean stop (SQLite folds its log; PostgreSQL needs nothing).
    fn checkpoint(&mut self) -> Result<(), DbError>;
}

/// The kiosks' tickets: their event batches, and where each stands in its queue.
pub trait Tickets {
    /// Stores a batch of `mpp`'s kiosk in one transaction: each event new, a duplicate or a
    /// conflict (by kiosk + ticket + event), the refused ones beside, numbers flagged.
    fn apply_batch(&mut self, batch: &Batch<'_>) -> Result<BatchOutcome, DbError>;

    /// The kiosks of `mpp` that have a ticket `ticket_id`, in the order first heard of.
    fn kiosks_with_ticket(&mut self, mpp: &str, ticket_id: &str) -> Result<Vec<String>, DbError>;

    /// People waiting per queue of `mpp` on `day`; every queue in `known` appears.
    fn waiting(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        known: &[QueueCode],
    ) -> Result<Vec<QueueWaiting>, DbError>;

    fn ticket(&mut self, kiosk: &str, id: &str) -> Result<Option<TicketRecord>, DbError>;

    /// The first ticket `id` the server heard of among those of `kiosks` (a legacy link).
    fn ticket_of_any(&mut self, kiosks: &[&str], id: &str)
    -> Result<Option<TicketRecord>, DbError>;

    /// The tickets of `mpp` that will be called before `ticket`.
    fn ahead_of(&mut self, mpp: &str, ticket: &Ticket) -> Result<u32, DbError>;
}

/// What counters report about tickets: called, served, missed.
pub trait Counters: Tickets {
    /// A counter's report on `kiosk`'s ticket, checked and written in one transaction.
    fn record_counter_report(
        &mut self,
        mpp: &str,
        kiosk: &str,
        ticket_id: &str,
        report: &CounterReport,
        reporter: Reporter<'_>,
        now: DateTime<Utc>,
    ) -> Result<CounterOutcome, DbError>;

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
pub trait Numbers {
    /// `mpp`'s numbers printed twice or outside their kiosk's range, the latest first.
    fn flagged_numbers(&mut self, mpp: &str) -> Result<Vec<FlaggedNumber>, DbError>;

    /// The highest number `kiosk` printed on `day`, per queue and lane.
    fn highest_numbers(
        &mut self,
        kiosk: &str,
        day: NaiveDate,
    ) -> Result<Vec<HighestNumber>, DbError>;

    /// The latest business day `kiosk` printed a ticket on.
    fn latest_business_day(&mut self, kiosk: &str) -> Result<Option<NaiveDate>, DbError>;
}

/// The kiosks as the fleet page shows them: heartbeats and each kiosk's figures.
pub trait Fleet {
    fn record_heartbeat(
        &mut self,
        mpp: &str,
        heartbeat: &Heartbeat,
        now: DateTime<Utc>,
    ) -> Result<(), DbError>;

    /// The state of each kiosk in `ids`, in that order, with `today`'s figures.
    fn fleet(&mut self, ids: &[String], today: NaiveDate) -> Result<Vec<KioskState>, DbError>;
}

/// The kiosks' audit logs.
pub trait Audit {
    /// Stores `kiosk`'s audit entries; one already held is a duplicate (kept as first sent).
    fn record_audit(
        &mut self,
        mpp: &str,
        kiosk: &str,
        entries: &[AuditRecord],
        now: DateTime<Utc>,
    ) -> Result<AuditOutcome, DbError>;

    /// The latest audit entries of each kiosk in `ids` that sent any, in that order.
    fn latest_audit(&mut self, ids: &[String]) -> Result<Vec<KioskAudit>, DbError>;
}

/// Services closed by staff, shared by an MPP's kiosks.
pub trait Closures {
    /// Records `kiosk`'s closure changes and applies those that win, in one transaction (see
    /// [`closures::apply_changes`]); one already held is a duplicate, applied once.
    fn record_closures(
        &mut self,
        mpp: &str,
        kiosk: &str,
        changes: &[ClosureChange],
        now: DateTime<Utc>,
    ) -> Result<ClosureOutcome, DbError>;

    /// `mpp`'s services closed on `day` (their latest change a close), by service.
    fn day_closures(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<SharedClosure>, DbError>;
}

/// The satisfaction survey's responses.
pub trait Surveys {
    /// Decides each survey response of `mpp` and stores those accepted, in one transaction
    /// (see [`surveys::decide_all`]).
    fn record_surveys(
        &mut self,
        mpp: &str,
        responses: &[SurveyResponse],
        rules: SurveyRules,
        now: DateTime<Utc>,
    ) -> Result<Vec<Decision>, DbError>;

    /// Whether `kiosk`'s ticket `id` has a survey response.
    fn survey_answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError>;

    /// `mpp`'s survey responses about tickets of the business days `first` to `last`.
    fn survey_rows(
        &mut self,
        mpp: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<SurveyRow>, DbError>;
}

/// The catalog each MPP published last, kept across restarts.
pub trait Catalogs {
    /// The last catalog that was published and valid for `mpp`, if any.
    fn published_catalog(&mut self, mpp: &str) -> Result<Option<String>, DbError>;

    fn store_published_catalog(
        &mut self,
        mpp: &str,
        version: u64,
        json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError>;
}
