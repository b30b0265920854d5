//! Offline-first sync with the central server: push the outbox in batches (idempotent by
//! ticket and event id), send heartbeats, read how many people wait, and take a newer catalog.
//! The kiosk never needs any of it to serve a visitor.

mod audit;
mod client;
mod closures;
mod link;
mod surveys;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder, Retryable};
use chrono::{DateTime, Utc};
use tokio::sync::watch;

pub use client::Client;
pub use closures::ClosuresShared;
pub use link::SyncLink;
pub use surveys::SurveysPushed;

use crate::store::{RefusedRow, Store, StoreError};
use mpp_core::day::TimeZone;
use mpp_core::day_check::{DayVerdict, ServerSample};
use mpp_core::ids::KioskId;
use mpp_core::printer_state::PrinterState;
use mpp_core::protocol::{BatchOutcome, EventBatch, Heartbeat};
use mpp_core::validate::ValidCatalog;

/// Events per request: big enough to drain a long outage quickly, small enough to stay well
/// under the server's body limit.
pub const BATCH_SIZE: u32 = 250;
/// Quick retries of one request before the round gives up and waits for the next.
const QUICK_RETRIES: usize = 3;
/// How many of the latest refusals `sync status` shows.
const LATEST_REFUSALS: u32 = 5;
/// Longest pause between rounds while the server is unreachable.
const LONGEST_PAUSE: Duration = Duration::from_secs(300);

const NOTE_LAST_OK: &str = "sync.last_ok";
const NOTE_LAST_ERROR: &str = "sync.last_error";
const NOTE_CATALOG_ETAG: &str = "sync.catalog_etag";

#[derive(Clone, Debug, thiserror::Error)]
pub enum SyncError {
    #[error("sync is not set up correctly: {0}")]
    Config(String),
    /// Wrong or missing token: a configuration problem, not a network blip.
    #[error("{0}")]
    Unauthorized(String),
    #[error("the central server cannot be reached: {0}")]
    Network(String),
    #[error("the server answered {status} on {endpoint}: {message}")]
    Server {
        endpoint: String,
        status: u16,
        message: String,
    },
    #[error("the server sent an answer that makes no sense on {endpoint}: {detail}")]
    Garbage { endpoint: String, detail: String },
    /// An answer larger than the endpoint ever needs: read no further, as for a server fault.
    #[error("the server's answer on {endpoint} is larger than {} KiB; it was not read", .limit / 1024)]
    TooLarge { endpoint: String, limit: usize },
    #[error("the server's catalog was refused, the last good one stays in use: {0}")]
    BadCatalog(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    fn network(error: reqwest::Error) -> Self {
        SyncError::Network(error.without_url().to_string())
    }

    fn garbage(endpoint: &str, error: &serde_json::Error, body: &[u8]) -> Self {
        let start = String::from_utf8_lossy(&body[..body.len().min(80)]).into_owned();
        SyncError::Garbage {
            endpoint: endpoint.to_owned(),
            detail: format!("{error} (body starts {start:?})"),
        }
    }

    /// Whether trying the same request again later can succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            SyncError::Network(_) | SyncError::Garbage { .. } | SyncError::TooLarge { .. } => true,
            SyncError::Server { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            _ => false,
        }
    }
}

/// What one round achieved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundReport {
    pub sent: u32,
    pub duplicates: u32,
    pub conflicts: u32,
    /// Events the server refused for good, now set aside with its reason.
    pub refused: u32,
    /// Survey responses the server confirmed in this round.
    pub surveys_sent: u32,
    /// The catalog version taken, when a newer one arrived.
    pub catalog: Option<u64>,
    pub unsent_left: u32,
}

/// Everything a sync round needs.
#[derive(Clone)]
pub struct Syncer {
    client: Client,
    store: Arc<Mutex<Store>>,
    kiosk_id: KioskId,
    time_zone: TimeZone,
    catalog: watch::Sender<Arc<ValidCatalog>>,
    printer: Arc<dyn Fn() -> PrinterState + Send + Sync>,
    clock: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
}

impl Syncer {
    pub fn new(
        client: Client,
        store: Arc<Mutex<Store>>,
        kiosk_id: KioskId,
        time_zone: TimeZone,
        catalog: watch::Sender<Arc<ValidCatalog>>,
        printer: Arc<dyn Fn() -> PrinterState + Send + Sync>,
        clock: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    ) -> Self {
        Self {
            client,
            store,
            kiosk_id,
            time_zone,
            catalog,
            printer,
            clock,
        }
    }

    /// The store back, once no task holds it any more.
    pub fn into_store(self) -> Option<Store> {
        Arc::try_unwrap(self.store).ok()?.into_inner().ok()
    }

    /// Runs a store operation on a blocking thread: the database lock is never held across
    /// network IO.
    async fn with_store<T: Send + 'static>(
        &self,
        operation: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, SyncError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = store.lock().map_err(|_| StoreError::Open {
                path: "kiosk database".into(),
                reason: "a previous operation panicked while holding it".into(),
            })?;
            operation(&mut store)
        })
        .await
        .map_err(|error| SyncError::Config(format!("store task failed: {error}")))?
        .map_err(SyncError::Store)
    }

    /// One round: the outbox first (what matters most), then heartbeat, queues and catalog.
    #[tracing::instrument(skip_all, err)]
    pub async fn round(&self) -> Result<RoundReport, SyncError> {
        // Tickets issued after this moment may not be on the server yet: the queue figures
        // are counted from here with the kiosk's own clock, not the server's.
        let push_started = (self.clock)();
        let pushed = self.push_all().await;
        match self.learn_numbers().await {
            // An older server without the endpoint: nothing to learn, nothing to warn about.
            Err(SyncError::Server { status: 404, .. }) => {
                tracing::debug!("the server does not say where numbers stand")
            }
            Err(error) => tracing::warn!(%error, "the server's clock and numbers not read"),
            Ok(()) => {}
        }
        if pushed.is_ok()
            && let Err(error) = self.push_audit().await
        {
            tracing::warn!(%error, "audit entries not sent");
        }
        // The heartbeat goes even when the push failed, so the fleet page shows a kiosk that
        // is stuck with unsent tickets rather than a silent one.
        if let Err(error) = self.heartbeat().await {
            tracing::warn!(%error, "heartbeat not sent");
        }
        match self.share_closures().await {
            Ok(_) => {}
            Err(SyncError::Server { status: 404, .. }) => {
                tracing::debug!("the server does not share closures yet")
            }
            Err(error) => tracing::warn!(%error, "closures not shared"),
        }
        let mut report = pushed?;
        match self.push_surveys().await {
            Ok(surveys) => report.surveys_sent = surveys.sent + surveys.duplicates,
            // An older server without the endpoint: keep the responses and try again later.
            Err(SyncError::Server { status: 404, .. }) => {
                tracing::debug!("the server does not take survey responses yet")
            }
            Err(error) => tracing::warn!(%error, "survey responses not sent"),
        }
        if let Err(error) = self.queues(push_started).await {
            tracing::warn!(%error, "queue figures not read");
        }
        match self.pull_catalog().await {
            Ok(version) => report.catalog = version,
            Err(SyncError::Unauthorized(message)) => return Err(SyncError::Unauthorized(message)),
            Err(error) => {
                tracing::warn!(%error, "catalog not taken");
                let text = error.to_string();
                self.with_store(move |store| store.note(NOTE_LAST_ERROR, &text))
                    .await?;
            }
        }
        report.unsent_left = self.with_store(|store| store.outbox_depth()).await?.unsent;
        Ok(report)
    }

    /// Sends every unsent event, batch by batch; marks events sent only once the server
    /// confirmed them.
    pub async fn push_all(&self) -> Result<RoundReport, SyncError> {
        let mut report = RoundReport::default();
        let mut batch_size = BATCH_SIZE;
        loop {
            let (seqs, events) = self
                .with_store(move |store| {
                    let rows = store.unsent(batch_size)?;
                    let events = rows
                        .iter()
                        .map(|row| store.event_for_server(row))
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok((
                        rows.into_iter()
                            .map(|row| (row.event_id, row.seq))
                            .collect::<Vec<_>>(),
                        events,
                    ))
                })
                .await?;
            if events.is_empty() {
                return Ok(report);
            }
            let batch = EventBatch {
                kiosk: self.kiosk_id.clone(),
                events,
            };
            let outcome = match (|| self.client.push(&batch))
                .retry(quick_retries())
                .when(SyncError::is_retryable)
                .await
            {
                Err(SyncError::Server {
                    status, message, ..
                }) if refuses_the_events(status) => {
                    if seqs.len() > 1 {
                        // Too large (long reasons add up), or one event in it is wrong:
                        // send fewer at a time until the one at fault stands alone.
                        batch_size = (seqs.len() as u32 / 2).max(1);
                        tracing::warn!(status, batch_size, "batch refused; sending fewer");
                        continue;
                    }
                    let reason = format!("the server answered {status}: {message}");
                    self.set_aside(&mut report, vec![(seqs[0].1, reason)])
                        .await?;
                    continue;
                }
                result => result?,
            };
            self.take_outcome(&mut report, &seqs, &outcome).await?;
        }
    }

    /// Marks what the server confirmed as sent, and sets conflicting and refused events aside.
    async fn take_outcome(
        &self,
        report: &mut RoundReport,
        seqs: &[(i64, i64)],
        outcome: &BatchOutcome,
    ) -> Result<(), SyncError> {
        let seq_of = |event: &i64| seqs.iter().find(|(id, _)| id == event).map(|(_, seq)| *seq);
        let done: Vec<i64> = outcome
            .accepted
            .iter()
            .chain(&outcome.duplicates)
            .filter_map(seq_of)
            .collect();
        let conflicted: Vec<i64> = outcome.conflicts.iter().filter_map(seq_of).collect();
        let refused: Vec<(i64, String)> = outcome
            .refused
            .iter()
            .filter_map(|refusal| {
                seq_of(&refusal.event_id).map(|seq| (seq, refusal.reason.clone()))
            })
            .collect();
        if done.is_empty() && conflicted.is_empty() && refused.is_empty() {
            return Err(SyncError::Garbage {
                endpoint: "events".into(),
                detail: "the answer confirmed none of the events sent".into(),
            });
        }
        let now = (self.clock)();
        let known = |ids: &[i64]| ids.iter().filter(|id| seq_of(id).is_some()).count() as u32;
        report.sent += known(&outcome.accepted);
        report.duplicates += known(&outcome.duplicates);
        report.conflicts += conflicted.len() as u32;
        if !conflicted.is_empty() {
            tracing::error!(
                count = conflicted.len(),
                "events conflict with the server's copy; kept aside"
            );
        }
        self.with_store(move |store| {
            store.mark_sent(&done, now)?;
            store.mark_conflict(&conflicted)
        })
        .await?;
        self.set_aside(report, refused).await
    }

    /// Sets events the server refused for good aside, `(seq, reason)`: kept, never resent.
    async fn set_aside(
        &self,
        report: &mut RoundReport,
        refused: Vec<(i64, String)>,
    ) -> Result<(), SyncError> {
        if refused.is_empty() {
            return Ok(());
        }
        report.refused += refused.len() as u32;
        tracing::error!(
            count = refused.len(),
            "events refused by the server; set aside with its reason"
        );
        let now = (self.clock)();
        self.with_store(move |store| store.mark_refused(&refused, now))
            .await
    }

    /// Reads the server's clock (a second opinion on the business day) and, while this
    /// database is new, the numbers the server has of its day, so none is given twice.
    pub async fn learn_numbers(&self) -> Result<(), SyncError> {
        let zone = self.time_zone;
        let asked_day = zone.local((self.clock)()).date();
        let used = self.client.numbers_used(asked_day).await?;
        let sample = ServerSample {
            server_at: used.at,
            local_at: (self.clock)(),
        };
        let pending = self
            .with_store(move |store| {
                store.note_server_clock(sample)?;
                store.server_numbers_pending()
            })
            .await?;
        if !pending {
            return Ok(());
        }
        let mut answers = vec![used.clone()];
        // The server's day and this kiosk's latest day may differ from the clock's: ask for those too.
        let server_day = zone.local(used.at).date();
        for day in [Some(server_day), used.latest_business_day]
            .into_iter()
            .flatten()
        {
            if answers.iter().all(|answer| answer.business_day != day) {
                answers.push(self.client.numbers_used(day).await?);
            }
        }
        let now = (self.clock)();
        let learnt = self
            .with_store(move |store| {
                let mut raised = 0;
                for answer in &answers {
                    raised += store.learn_numbers(answer, now)?;
                }
                Ok(raised)
            })
            .await?;
        tracing::info!(learnt, "numbers of the new database learnt from the server");
        Ok(())
    }

    pub async fn heartbeat(&self) -> Result<(), SyncError> {
        let zone = self.time_zone;
        let now = (self.clock)();
        let day_doubt = self
            .with_store(move |store| match store.day_verdict(zone, now)? {
                DayVerdict::Doubt(doubt) => Ok(Some(doubt)),
                _ => Ok(None),
            })
            .await?;
        let depth = self.with_store(|store| store.outbox_depth()).await?;
        let heartbeat = Heartbeat {
            kiosk: self.kiosk_id.clone(),
            version: env!("CARGO_PKG_VERSION").into(),
            printer: (self.printer)(),
            outbox_unsent: depth.unsent,
            oldest_unsent: depth.oldest_unsent,
            catalog_version: self.catalog.borrow().version,
            at: now,
            day_doubt,
        };
        self.client.heartbeat(&heartbeat).await
    }

    /// Records how many people wait in each queue, for "people ahead" on tickets, as of
    /// `pushed_at` (when the outbox was last read for sending, on the kiosk's clock).
    pub async fn queues(&self, pushed_at: DateTime<Utc>) -> Result<(), SyncError> {
        let zone = self.time_zone;
        let now = (self.clock)();
        let day = self
            .with_store(move |store| store.current_day(zone, now))
            .await?;
        let report = self.client.queues(day).await?;
        self.with_store(move |store| {
            for queue in &report.queues {
                store.record_queue_status(
                    report.business_day,
                    &queue.queue,
                    queue.waiting_regular,
                    queue.waiting_priority,
                    queue.pace,
                    pushed_at,
                )?;
            }
            Ok(())
        })
        .await
    }

    /// Takes a newer catalog: validated, strictly newer, stored atomically, then published to
    /// the screen. Anything else leaves the last good catalog in use.
    pub async fn pull_catalog(&self) -> Result<Option<u64>, SyncError> {
        let etag = self
            .with_store(|store| store.read_note(NOTE_CATALOG_ETAG))
            .await?;
        let Some(fetched) = self.client.catalog(etag.as_deref()).await? else {
            return Ok(None);
        };
        let current = self.catalog.borrow().clone();
        if fetched.catalog.version <= current.version {
            if fetched.catalog == *current {
                return Ok(None);
            }
            return Err(SyncError::BadCatalog(format!(
                "version {} is not newer than the one in use ({})",
                fetched.catalog.version, current.version
            )));
        }
        let version = fetched.catalog.version;
        let (json, etag) = (fetched.json, fetched.etag);
        let now = (self.clock)();
        self.with_store(move |store| {
            store.save_catalog(version, &json, now)?;
            if let Some(etag) = etag {
                store.note(NOTE_CATALOG_ETAG, &etag)?;
            }
            Ok(())
        })
        .await?;
        tracing::info!(version, "catalog updated from the server");
        self.catalog.send_replace(Arc::new(fetched.catalog));
        Ok(Some(version))
    }

    /// One round with its result noted for `sync status`: what the background loop and
    /// `mpp-kiosk sync now` both run.
    pub async fn recorded_round(&self) -> Result<RoundReport, SyncError> {
        let result = self.round().await;
        self.record(&result).await;
        result
    }

    async fn record(&self, result: &Result<RoundReport, SyncError>) {
        let now = (self.clock)().to_rfc3339();
        let note = match result {
            Ok(_) => (NOTE_LAST_OK, now),
            Err(error) => (NOTE_LAST_ERROR, format!("{now} {error}")),
        };
        if let Err(error) = self
            .with_store(move |store| store.note(note.0, &note.1))
            .await
        {
            tracing::warn!(%error, "cannot record the sync result");
        }
    }

    /// Syncs forever: every `interval` while all is well, backing off (with jitter, up to five
    /// minutes) while the server is down or refuses the token.
    pub async fn run(self, interval: Duration) {
        self.run_linked(interval, SyncLink::default()).await
    }

    /// [`Syncer::run`], with a round started early whenever `link` is nudged (the menu's
    /// "sync now") and each finished round told to it.
    pub async fn run_linked(self, interval: Duration, link: SyncLink) {
        let mut pauses = long_backoff();
        loop {
            let result = self.recorded_round().await;
            link.finished();
            let pause = match &result {
                Ok(report) => {
                    pauses = long_backoff();
                    tracing::debug!(?report, "sync round done");
                    interval
                }
                Err(error) => {
                    tracing::warn!(%error, "sync round failed");
                    pauses.next().unwrap_or(LONGEST_PAUSE)
                }
            };
            link.pause(pause).await;
        }
    }
}

/// Whether a batch's answer refuses its events rather than the kiosk: too large, unreadable or
/// invalid. For a batch of one event, that event is the one at fault.
fn refuses_the_events(status: u16) -> bool {
    matches!(status, 400 | 413 | 422)
}

/// The ids of `sent` the server now holds: stored by this request or held already. Ids the
/// answer names that were not sent are ignored.
fn held_of(sent: &[i64], stored: Vec<i64>, duplicates: Vec<i64>) -> Vec<i64> {
    stored
        .into_iter()
        .chain(duplicates)
        .filter(|id| sent.contains(id))
        .collect()
}

fn quick_retries() -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_jitter()
        .with_min_delay(Duration::from_millis(200))
        .with_max_delay(Duration::from_secs(5))
        .with_max_times(QUICK_RETRIES)
}

fn long_backoff() -> impl Iterator<Item = Duration> {
    ExponentialBuilder::default()
        .with_jitter()
        .with_min_delay(Duration::from_secs(2))
        .with_max_delay(LONGEST_PAUSE)
        .without_max_times()
        .build()
}

/// What a technician reads in `mpp-kiosk sync status`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Status {
    pub unsent: u32,
    pub oldest_unsent: Option<DateTime<Utc>>,
    pub conflicts: u32,
    /// Events the server refused for good, and the latest of them, newest first.
    pub refused: u32,
    pub latest_refusals: Vec<RefusedRow>,
    /// Survey responses not yet confirmed by the server, and those it refused for good.
    pub surveys_unsent: u32,
    pub surveys_refused: u32,
    /// Closes and reopens not yet shared with the MPP's other kiosks, and those the server
    /// refused (kept here only).
    pub closures_unsent: u32,
    pub closures_refused: u32,
    pub last_ok: Option<String>,
    pub last_error: Option<String>,
}

pub fn status(store: &Store) -> Result<Status, StoreError> {
    let depth = store.outbox_depth()?;
    let (refused, latest_refusals) = store.refusals(LATEST_REFUSALS)?;
    let (surveys_unsent, surveys_refused) = store.survey_depth()?;
    let (closures_unsent, closures_refused) = store.closure_depth()?;
    Ok(Status {
        unsent: depth.unsent,
        oldest_unsent: depth.oldest_unsent,
        conflicts: store.conflict_count()?,
        refused,
        latest_refusals,
        surveys_unsent,
        surveys_refused,
        closures_unsent,
        closures_refused,
        last_ok: store.read_note(NOTE_LAST_OK)?,
        last_error: store.read_note(NOTE_LAST_ERROR)?,
    })
}
