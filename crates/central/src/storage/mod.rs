//! The storage interface: everything the handlers ask of the database, whichever it is — the
//! embedded SQLite file ([`Sqlite`]) or a PostgreSQL server ([`Postgres`]). A trait object
//! rather than an enum: a new kind of record (an audit log, a survey) is one more method here
//! and one implementation in each backend's own module, with no dispatch table to keep in step.
//! Every write is one transaction with the same guarantees in both: idempotent by kiosk,
//! ticket and event; conflicts and refusals recorded beside, never applied.

use crate::config::Location;

pub mod closures;
pub mod error;
pub mod instant;
pub mod pool;
pub mod postgres;
pub mod rows;
pub mod sqlite;
pub mod survey_rows;
pub mod surveys;

use chrono::{DateTime, NaiveDate, Utc};

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
use crate::storage::error::DbError;
use crate::storage::postgres::Postgres;
use crate::storage::sqlite::Sqlite;
use mpp_core::closure_sync::{ClosureChange, ClosureOutcome, SharedClosure};
use mpp_core::ids::QueueCode;
use mpp_core::numbering::NumberRange;
use mpp_core::protocol::{
    AuditOutcome, AuditRecord, BatchOutcome, CounterReport, Heartbeat, HighestNumber, QueueWaiting,
    SurveyResponse, TicketEvent,
};
use mpp_core::ticket::Ticket;

/// One connection to the server's database (see the module documentation).
pub trait Database: Send {
    /// Stores a batch of `mpp`'s kiosk in one transaction (see [`Sqlite::apply_batch`]).
    fn apply_batch(
        &mut self,
        mpp: &str,
        kiosk: &str,
        range: Option<NumberRange>,
        events: &[TicketEvent],
        refused: &[RefusedEvent],
        now: DateTime<Utc>,
    ) -> Result<BatchOutcome, DbError>;

    fn record_heartbeat(
        &mut self,
        mpp: &str,
        heartbeat: &Heartbeat,
        now: DateTime<Utc>,
    ) -> Result<(), DbError>;

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

    fn published_catalog(&mut self, mpp: &str) -> Result<Option<String>, DbError>;

    fn store_published_catalog(
        &mut self,
        mpp: &str,
        version: u64,
        json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError>;

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

    fn fleet(&mut self, ids: &[String], today: NaiveDate) -> Result<Vec<KioskState>, DbError>;

    fn flagged_numbers(&mut self, mpp: &str) -> Result<Vec<FlaggedNumber>, DbError>;

    fn highest_numbers(
        &mut self,
        kiosk: &str,
        day: NaiveDate,
    ) -> Result<Vec<HighestNumber>, DbError>;

    fn latest_business_day(&mut self, kiosk: &str) -> Result<Option<NaiveDate>, DbError>;

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

    /// Records `kiosk`'s closure changes and applies those that win, in one transaction (see
    /// [`crate::storage::closures::apply_changes`]); one already held is a duplicate, applied once.
    fn record_closures(
        &mut self,
        mpp: &str,
        kiosk: &str,
        changes: &[ClosureChange],
        now: DateTime<Utc>,
    ) -> Result<ClosureOutcome, DbError>;

    /// `mpp`'s services closed on `day` (their latest change a close), by service.
    fn day_closures(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<SharedClosure>, DbError>;

    /// Decides each survey response of `mpp` and stores those accepted, in one transaction
    /// (see [`crate::storage::surveys::decide_all`]).
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

    /// Makes what is written safe on a clean stop (SQLite folds its log; PostgreSQL needs nothing).
    fn checkpoint(&mut self) -> Result<(), DbError>;
}

/// The embedded backend: each method is [`Sqlite`]'s own.
impl Database for Sqlite {
    fn apply_batch(
        &mut self,
        mpp: &str,
        kiosk: &str,
        range: Option<NumberRange>,
        events: &[TicketEvent],
        refused: &[RefusedEvent],
        now: DateTime<Utc>,
    ) -> Result<BatchOutcome, DbError> {
        Sqlite::apply_batch(self, mpp, kiosk, range, events, refused, now)
    }

    fn record_heartbeat(
        &mut self,
        mpp: &str,
        heartbeat: &Heartbeat,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        Sqlite::record_heartbeat(self, mpp, heartbeat, now)
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
        Sqlite::record_counter_report(self, mpp, kiosk, ticket_id, report, reporter, now)
    }

    fn published_catalog(&mut self, mpp: &str) -> Result<Option<String>, DbError> {
        Sqlite::published_catalog(self, mpp)
    }

    fn store_published_catalog(
        &mut self,
        mpp: &str,
        version: u64,
        json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        Sqlite::store_published_catalog(self, mpp, version, json, now)
    }

    fn kiosks_with_ticket(&mut self, mpp: &str, ticket_id: &str) -> Result<Vec<String>, DbError> {
        Sqlite::kiosks_with_ticket(self, mpp, ticket_id)
    }

    fn waiting(
        &mut self,
        mpp: &str,
        day: NaiveDate,
        known: &[QueueCode],
    ) -> Result<Vec<QueueWaiting>, DbError> {
        Sqlite::waiting(self, mpp, day, known)
    }

    fn ticket(&mut self, kiosk: &str, id: &str) -> Result<Option<TicketRecord>, DbError> {
        Sqlite::ticket(self, kiosk, id)
    }

    fn ticket_of_any(
        &mut self,
        kiosks: &[&str],
        id: &str,
    ) -> Result<Option<TicketRecord>, DbError> {
        Sqlite::ticket_of_any(self, kiosks, id)
    }

    fn ahead_of(&mut self, mpp: &str, ticket: &Ticket) -> Result<u32, DbError> {
        Sqlite::ahead_of(self, mpp, ticket)
    }

    fn fleet(&mut self, ids: &[String], today: NaiveDate) -> Result<Vec<KioskState>, DbError> {
        Sqlite::fleet(self, ids, today)
    }

    fn flagged_numbers(&mut self, mpp: &str) -> Result<Vec<FlaggedNumber>, DbError> {
        Sqlite::flagged_numbers(self, mpp)
    }

    fn highest_numbers(
        &mut self,
        kiosk: &str,
        day: NaiveDate,
    ) -> Result<Vec<HighestNumber>, DbError> {
        Sqlite::highest_numbers(self, kiosk, day)
    }

    fn latest_business_day(&mut self, kiosk: &str) -> Result<Option<NaiveDate>, DbError> {
        Sqlite::latest_business_day(self, kiosk)
    }

    fn record_audit(
        &mut self,
        mpp: &str,
        kiosk: &str,
        entries: &[AuditRecord],
        now: DateTime<Utc>,
    ) -> Result<AuditOutcome, DbError> {
        Sqlite::record_audit(self, mpp, kiosk, entries, now)
    }

    fn latest_audit(&mut self, ids: &[String]) -> Result<Vec<KioskAudit>, DbError> {
        Sqlite::latest_audit(self, ids)
    }

    fn record_closures(
        &mut self,
        mpp: &str,
        kiosk: &str,
        changes: &[ClosureChange],
        now: DateTime<Utc>,
    ) -> Result<ClosureOutcome, DbError> {
        Sqlite::record_closures(self, mpp, kiosk, changes, now)
    }

    fn day_closures(&mut self, mpp: &str, day: NaiveDate) -> Result<Vec<SharedClosure>, DbError> {
        Sqlite::day_closures(self, mpp, day)
    }

    fn record_surveys(
        &mut self,
        mpp: &str,
        responses: &[SurveyResponse],
        rules: SurveyRules,
        now: DateTime<Utc>,
    ) -> Result<Vec<Decision>, DbError> {
        Sqlite::record_surveys(self, mpp, responses, rules, now)
    }

    fn survey_answered(&mut self, kiosk: &str, id: &str) -> Result<bool, DbError> {
        Sqlite::survey_answered(self, kiosk, id)
    }

    fn survey_rows(
        &mut self,
        mpp: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<SurveyRow>, DbError> {
        Sqlite::survey_rows(self, mpp, first, last)
    }

    fn checkpoint(&mut self) -> Result<(), DbError> {
        Sqlite::checkpoint(self)
    }
}

/// Connections to one database.
pub type Connections = Vec<Box<dyn Database>>;

/// Opens `count` connections at `location` for writing (SQLite: always one writer) and
/// `readers` for reading, bringing the schema up to date first.
pub fn open(
    location: &Location,
    writers: usize,
    readers: usize,
) -> Result<(Connections, Connections), DbError> {
    match location {
        Location::Sqlite(path) => {
            let writer: Box<dyn Database> = Box::new(Sqlite::open(path)?);
            let reads = (0..readers)
                .map(|_| {
                    Sqlite::open_reader(path).map(|reader| Box::new(reader) as Box<dyn Database>)
                })
                .collect::<Result<_, _>>()?;
            Ok((vec![writer], reads))
        }
        Location::Postgres(url) => {
            Postgres::migrate(url)?;
            let connect = |count| {
                (0..count)
                    .map(|_| {
                        Postgres::connect(url).map(|store| Box::new(store) as Box<dyn Database>)
                    })
                    .collect::<Result<Vec<_>, _>>()
            };
            Ok((connect(writers)?, connect(readers)?))
        }
    }
}
