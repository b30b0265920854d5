//! The screen's way to the store and the printer. Everything here that touches a file or a
//! port runs on a blocking thread; the screen only ever gets futures whose results come back
//! as messages.

mod maintenance;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::watch;

use mpp_core::day::TimeZone;
use mpp_core::ids::ServiceCode;
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::schedule::Closure;
use mpp_core::survey::eligibility::{self, Eligibility};
use mpp_core::survey::scan::{ScanProblem, read_ticket_link};
use mpp_core::ticket::Ticket;
use mpp_core::validate::ValidCatalog;
use mpp_station::printer::{Layout, PrintOutcome, PrinterHandle};
use mpp_station::printing::print_ticket;
use mpp_station::store::{IssueSettings, LiveCounts, NewResponse, Recorded, Store, StoreError};

/// Where "now" comes from: the system clock in the kiosk, a fixed one in tests.
pub use mpp_common::instant::Clock;

/// Why a number was not given, in the terms the screen explains to the visitor.
#[derive(Clone, Debug)]
pub enum IssueFailure {
    Closed {
        day: NaiveDate,
        closure: Closure,
    },
    OutOfNumbers,
    /// Anything a visitor cannot act on (database trouble): the kiosk asks for staff.
    Fault(BackendError),
}

/// What went wrong behind the screen. `Clone`, to travel in a message; never shown as is.
#[derive(Clone, Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A maintenance action went wrong (the words are for the log, never the screen).
    #[error("{0}")]
    Maintenance(String),
    /// The blocking thread that did the work panicked or was cancelled.
    #[error("the worker thread failed: {0}")]
    Worker(Arc<tokio::task::JoinError>),
}

impl From<tokio::task::JoinError> for BackendError {
    fn from(error: tokio::task::JoinError) -> Self {
        BackendError::Worker(Arc::new(error))
    }
}

#[derive(Clone)]
pub struct Backend {
    store: Arc<Mutex<Store>>,
    printer: Arc<PrinterHandle>,
    layout: Arc<Layout>,
    settings: Arc<IssueSettings>,
    /// The catalog in use; sync replaces it when the server publishes a newer one.
    catalog: watch::Receiver<Arc<ValidCatalog>>,
    catalog_sender: watch::Sender<Arc<ValidCatalog>>,
    clock: Clock,
    /// The sync loop's "round now", when sync runs.
    sync: Option<mpp_station::sync::SyncLink>,
    /// Where the configured catalog comes from, for the menu's "reload the catalog".
    catalog_source: mpp_station::catalog_source::CatalogSource,
    /// Set by the menu's "restart the app": the program starts itself again once the window
    /// has closed.
    restart: Arc<std::sync::atomic::AtomicBool>,
    /// The ticket scanner's state and codes read, where one is fitted.
    scanner: watch::Receiver<mpp_station::scanner::ScannerFeed>,
}

impl Backend {
    pub fn new(
        store: Store,
        printer: PrinterHandle,
        layout: Layout,
        settings: IssueSettings,
        catalog: ValidCatalog,
        clock: Clock,
    ) -> Self {
        let (catalog_sender, catalog) = watch::channel(Arc::new(catalog));
        Self {
            store: Arc::new(Mutex::new(store)),
            printer: Arc::new(printer),
            layout: Arc::new(layout),
            settings: Arc::new(settings),
            catalog,
            catalog_sender,
            clock,
            sync: None,
            catalog_source: mpp_station::catalog_source::CatalogSource::Builtin,
            restart: Arc::default(),
            scanner: mpp_station::scanner::not_fitted(),
        }
    }

    /// This backend following a fitted ticket scanner.
    pub fn with_scanner(
        mut self,
        feed: watch::Receiver<mpp_station::scanner::ScannerFeed>,
    ) -> Self {
        self.scanner = feed;
        self
    }

    /// The ticket scanner's feed, for the screen's subscription.
    pub fn scanner_watch(&self) -> watch::Receiver<mpp_station::scanner::ScannerFeed> {
        self.scanner.clone()
    }

    /// This backend reloading its catalog from `source` when the menu asks.
    pub fn with_catalog_source(
        mut self,
        source: mpp_station::catalog_source::CatalogSource,
    ) -> Self {
        self.catalog_source = source;
        self
    }

    /// This backend with the sync loop's link, for the menu's "sync now".
    pub fn with_sync(mut self, link: mpp_station::sync::SyncLink) -> Self {
        self.sync = Some(link);
        self
    }

    /// The catalog in use now.
    pub fn catalog(&self) -> Arc<ValidCatalog> {
        self.catalog.borrow().clone()
    }

    /// A receiver told of every newly published catalog (for the screen).
    pub fn catalog_watch(&self) -> watch::Receiver<Arc<ValidCatalog>> {
        self.catalog.clone()
    }

    /// A receiver told of every change of the printer's state (for the screen).
    pub fn printer_watch(&self) -> watch::Receiver<PrinterState> {
        self.printer.watch()
    }

    /// Where a newer catalog is published (by sync).
    pub fn catalog_publisher(&self) -> watch::Sender<Arc<ValidCatalog>> {
        self.catalog_sender.clone()
    }

    pub fn store(&self) -> Arc<Mutex<Store>> {
        self.store.clone()
    }

    pub fn printer(&self) -> Arc<PrinterHandle> {
        self.printer.clone()
    }

    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn time_zone(&self) -> TimeZone {
        self.settings.time_zone
    }

    pub fn printer_state(&self) -> PrinterState {
        self.printer.state()
    }

    /// Issues a number (the committed transaction) on a blocking thread; the sync loop is
    /// asked for a round at once, so the ticket is callable in seconds.
    pub async fn issue(self, service: ServiceCode, lane: Lane) -> Result<Ticket, IssueFailure> {
        let sync = self.sync.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let catalog = self.catalog();
            let mut store = self.store.lock().map_err(|_| poisoned())?;
            store.issue(&catalog, &self.settings, &service, lane, self.now())
        })
        .await;
        match joined {
            Ok(Ok(ticket)) => {
                if let Some(link) = &sync {
                    link.round_soon();
                }
                Ok(ticket)
            }
            Ok(Err(StoreError::Closed { day, closure, .. })) => {
                Err(IssueFailure::Closed { day, closure })
            }
            Ok(Err(StoreError::RangeExhausted { .. })) => Err(IssueFailure::OutOfNumbers),
            Ok(Err(error)) => {
                tracing::error!(%error, "issuing failed");
                Err(IssueFailure::Fault(error.into()))
            }
            Err(error) => {
                tracing::error!(%error, "the issuing thread failed");
                Err(IssueFailure::Fault(error.into()))
            }
        }
    }

    /// Prints a committed ticket in the visitor's language and records the outcome, on a
    /// blocking thread.
    pub async fn print(self, ticket: Ticket, language: Language) -> Result<Printed, BackendError> {
        let sync = self.sync.clone();
        let printed = tokio::task::spawn_blocking(move || {
            let catalog = self.catalog();
            let layout = self.layout.in_language(language);
            let mut store = self.store.lock().map_err(|_| poisoned())?;
            let clock = self.clock.clone();
            let (ticket, outcome) = print_ticket(
                &mut store,
                &self.printer,
                &layout,
                &catalog,
                &ticket,
                false,
                move || clock(),
            )?;
            let preview = match &outcome {
                PrintOutcome::Printed {
                    saved: Some(path), ..
                } => preview(path),
                _ => None,
            };
            Ok::<_, StoreError>(Printed {
                ticket,
                outcome,
                preview,
            })
        })
        .await
        .map_err(BackendError::from)
        .and_then(|recorded| recorded.map_err(BackendError::from))
        .inspect_err(|error| tracing::error!(%error, "recording a print failed"));
        // The print's outcome goes to the server now too (the ticket went when issued).
        if let Some(link) = &sync {
            link.round_soon();
        }
        printed
    }

    /// Whether the ticket with this number and survey code may be rated now (its own
    /// tickets only, of the last `window_days` days), on a blocking thread.
    pub async fn check_survey(
        self,
        number: String,
        code: String,
        window_days: u32,
    ) -> Result<Eligibility, BackendError> {
        tokio::task::spawn_blocking(move || {
            let store = self.store.lock().map_err(|_| poisoned())?;
            let today = store.current_day(self.time_zone(), self.now())?;
            let candidates = store.survey_candidates(&number)?;
            let key = &self.settings.signing_key;
            Ok::<_, StoreError>(eligibility::check(
                &candidates,
                &code,
                key,
                today,
                window_days,
            ))
        })
        .await?
        .map_err(BackendError::from)
    }

    /// Whether the ticket whose QR code the scanner read may be rated now: the link's
    /// signature first, then the store's record, as for a typed number and code.
    pub async fn check_scanned_survey(
        self,
        scanned: String,
        window_days: u32,
    ) -> Result<Result<Eligibility, ScanProblem>, BackendError> {
        let ticket_id = match read_ticket_link(
            &scanned,
            &self.settings.kiosk_id,
            &self.settings.signing_key,
        ) {
            Ok(ticket_id) => ticket_id,
            Err(problem) => return Ok(Err(problem)),
        };
        tokio::task::spawn_blocking(move || {
            let store = self.store.lock().map_err(|_| poisoned())?;
            let today = store.current_day(self.time_zone(), self.now())?;
            let found = store.survey_candidate(&ticket_id)?;
            Ok::<_, StoreError>(
                found
                    .map(|candidate| eligibility::decide(&candidate, today, window_days))
                    .ok_or(ScanProblem::NotOnRecord),
            )
        })
        .await?
        .map_err(BackendError::from)
    }

    /// Keeps a finished survey and queues it for the server, on a blocking thread: it needs
    /// no network.
    pub async fn save_survey(self, response: NewResponse) -> Result<Recorded, BackendError> {
        tokio::task::spawn_blocking(move || {
            let mut store = self.store.lock().map_err(|_| poisoned())?;
            store.record_survey(&response, self.now())
        })
        .await?
        .map_err(BackendError::from)
        .inspect_err(|error| tracing::error!(%error, "a survey response was not stored"))
    }

    /// Today's live tickets per service and queue.
    pub async fn counts(self) -> Result<LiveCounts, BackendError> {
        tokio::task::spawn_blocking(move || {
            let store = self.store.lock().map_err(|_| poisoned())?;
            let day = store.current_day(self.time_zone(), self.now())?;
            let hold = store.issue_hold(self.time_zone(), self.now())?;
            Ok::<_, BackendError>(LiveCounts {
                hold,
                ..store.live_counts(day, self.now())?
            })
        })
        .await?
    }
}

/// A print's result as the screen needs it.
#[derive(Clone, Debug)]
pub struct Printed {
    pub ticket: Ticket,
    pub outcome: PrintOutcome,
    /// The virtual printer's picture of the ticket, for the screen.
    pub preview: Option<iced::widget::image::Handle>,
}

/// Reads a saved ticket picture (PNG from the virtual printer) for the screen.
fn preview(path: &std::path::Path) -> Option<iced::widget::image::Handle> {
    if path.extension().is_none_or(|ext| ext != "png") {
        return None;
    }
    let picture = image::open(path).ok()?.to_rgba8();
    let (width, height) = picture.dimensions();
    Some(iced::widget::image::Handle::from_rgba(
        width,
        height,
        picture.into_raw(),
    ))
}

fn poisoned() -> StoreError {
    StoreError::Open {
        path: "kiosk database".into(),
        reason: "a previous operation panicked while holding it".into(),
    }
}
