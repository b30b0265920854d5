//! What every handler shares ([`AppState`]): the configuration, the database's writing and
//! reading connections, each MPP's published catalog, the sign-in guards, the clock; and how
//! database work is answered when it fails.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::{self, CentralConfig, MppEntry};
use crate::http::account_guard::AccountGuard;
use crate::http::extract::ApiFailure;
use crate::http::throttle::Limiter;
use crate::published::{Published, Snapshot};
use crate::storage::Database;
use crate::storage::error::DbError;
use crate::storage::open::open;
use crate::storage::pool::{self as readers, Pool, ReadFailure};

/// How old the catalog a ticket page shows may be (names of agencies and services).
const PAGE_CATALOG_AGE: std::time::Duration = std::time::Duration::from_secs(1);
/// Passwords checked at once.
const PASSWORD_CHECKS: usize = 4;
/// What time it is; injected so tests and rehearsals can set it (`--now`).
pub use mpp_common::instant::Clock;

/// Calls spoken already (MP3), by [`mpp_core::speech::Announcement::cache_key`] (the words,
/// the languages, the clips): each rendered once (`/api/v1/calls/{id}/audio`).
#[derive(Default)]
pub struct Phrases(pub(crate) std::sync::Mutex<std::collections::HashMap<String, Arc<Vec<u8>>>>);

/// The MPP's recorded clips (`[calling] clips_dir`) and their names, read once at start.
#[derive(Default)]
pub struct Voice {
    pub(crate) clips: mpp_voice::Clips,
    pub(crate) names: mpp_core::speech::ClipNames,
}

impl Voice {
    pub fn new(clips: mpp_voice::Clips) -> Self {
        let names = clips.names();
        Voice { clips, names }
    }
}

/// A pool of connections to the database, whichever backend it is.
type Connections = Pool<Box<dyn Database>>;

/// What every handler shares: one reference, cloned for every request.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub(crate) config: Arc<CentralConfig>,
    /// The connections that write (SQLite: one).
    pub(crate) writers: Arc<Connections>,
    /// Connections for the pages and queries (SQLite: read-only ones).
    pub(crate) readers: Arc<Connections>,
    /// Each MPP's published catalog, in the order of [`CentralConfig::mpps`].
    pub(crate) published: Vec<Arc<Published>>,
    /// Sign-in attempts per client address.
    pub(crate) limiter: Arc<Limiter>,
    /// Wrong passwords per account.
    pub(crate) account_guard: Arc<AccountGuard>,
    /// Passwords checked at once (each Argon2id check takes 19 MiB and a core for ~50 ms).
    pub(crate) password_checks: Arc<tokio::sync::Semaphore>,
    pub(crate) clock: Clock,
    /// Rung after a call is written: the lobby displays' streams of this process look at the
    /// log at once (those of other processes find it on their next look).
    pub(crate) calls: tokio::sync::watch::Sender<u64>,
    /// Calls spoken already, by phrase.
    pub(crate) phrases: Arc<Phrases>,
    /// The recorded clips the calls use.
    pub(crate) voice: Arc<Voice>,
}

impl AppState {
    /// Opens the database and reads the catalog file. Blocking: call it off the executor.
    pub fn open(config: CentralConfig, clock: Clock, voice: Voice) -> Result<Self, DbError> {
        let (writers, readers) = open(&config.location(), readers::PG_WRITERS, readers::READERS)?;
        let (writers, readers) = (Arc::new(Pool::new(writers)), Arc::new(Pool::new(readers)));
        let published = config
            .mpps()
            .iter()
            .map(|mpp| {
                let catalog = mpp.catalog.clone();
                Arc::new(Published::open(catalog, &mpp.id, &writers, clock()))
            })
            .collect();
        Ok(Self(Arc::new(Shared {
            config: Arc::new(config),
            writers,
            readers,
            published,
            limiter: Arc::new(Limiter::default()),
            account_guard: Arc::new(AccountGuard::default()),
            password_checks: Arc::new(tokio::sync::Semaphore::new(PASSWORD_CHECKS)),
            calls: tokio::sync::watch::Sender::new(0),
            phrases: Arc::default(),
            voice: Arc::new(voice),
            clock,
        })))
    }

    /// Tells this process's display streams a call was logged.
    pub(crate) fn calls_changed(&self) {
        self.calls.send_modify(|rung| *rung = rung.wrapping_add(1));
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The business day now, in `mpp`'s time zone.
    pub fn today(&self, mpp: &MppEntry) -> NaiveDate {
        mpp.time_zone.local(self.now()).date()
    }

    pub(crate) fn kiosk(&self, kiosk: &str) -> Option<&config::KioskEntry> {
        self.config.kiosk_entry(kiosk).map(|(_, entry)| entry)
    }

    /// The MPP of an authenticated kiosk (every configured kiosk has one).
    pub(crate) fn mpp_of(&self, kiosk: &str) -> Result<&MppEntry, ApiFailure> {
        self.config
            .kiosk_entry(kiosk)
            .map(|(mpp, _)| mpp)
            .ok_or_else(|| ApiFailure::internal(&format!("kiosk {kiosk} is in no MPP")))
    }

    /// The MPP with `id`, which the configuration names.
    pub(crate) fn mpp(&self, id: &str) -> Result<&MppEntry, ApiFailure> {
        self.config
            .mpp(id)
            .ok_or_else(|| ApiFailure::internal(&format!("no MPP {id} is configured")))
    }

    /// `mpp`'s published catalog, kept beside its entry in the configuration.
    pub(crate) fn published(&self, mpp: &str) -> Option<&Arc<Published>> {
        let index = self
            .config
            .mpps()
            .iter()
            .position(|entry| entry.id == mpp)?;
        self.published.get(index)
    }

    pub(crate) fn signing_key(&self, kiosk: &str) -> Option<&[u8]> {
        self.kiosk(kiosk).map(|entry| entry.signing_key.as_bytes())
    }

    /// The numbers `kiosk` may print, when the configuration says.
    pub(crate) fn number_range(&self, kiosk: &str) -> Option<mpp_core::numbering::NumberRange> {
        self.kiosk(kiosk).and_then(|entry| entry.number_range)
    }

    /// Runs `work` on a writing connection, on the blocking pool.
    pub(crate) async fn storage<T, F>(&self, work: F) -> Result<T, ApiFailure>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Database) -> Result<T, DbError> + Send + 'static,
    {
        answer(self.writers.run(move |store| work(store.as_mut())).await)
    }

    /// Runs `work` on a reading connection: never behind the writer.
    pub(crate) async fn read<T, F>(&self, work: F) -> Result<T, ApiFailure>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Database) -> Result<T, DbError> + Send + 'static,
    {
        answer(self.readers.run(move |store| work(store.as_mut())).await)
    }

    /// `mpp`'s published catalog, checking the file again if it changed.
    pub(crate) async fn catalog(&self, mpp: &str) -> Snapshot {
        let Some(published) = self.published(mpp).cloned() else {
            return Snapshot::default();
        };
        let writers = Arc::clone(&self.writers);
        let now = self.now();
        tokio::task::spawn_blocking(move || published.current(&writers, now))
            .await
            .unwrap_or_else(|error| {
                tracing::error!(%error, "catalog check failed");
                Snapshot::default()
            })
    }

    /// The published catalog as the visitor's page needs it: the file is looked at again at
    /// most every [`PAGE_CATALOG_AGE`], not for every page.
    pub(crate) async fn catalog_for_page(&self, mpp: &str) -> Snapshot {
        let recent = self
            .published(mpp)
            .and_then(|published| published.recent(PAGE_CATALOG_AGE));
        match recent {
            Some(snapshot) => snapshot,
            None => self.catalog(mpp).await,
        }
    }

    /// Writes the log into the database file; for a clean stop.
    pub fn checkpoint(&self) -> Result<(), DbError> {
        self.writers.run_blocking(|store| store.checkpoint())?
    }
}

/// What became of database work, as the API answers it: "try again" is 503, "fix this" 500.
fn answer<T>(result: Result<T, ReadFailure>) -> Result<T, ApiFailure> {
    match result {
        Ok(value) => Ok(value),
        Err(ReadFailure::Sqlite(error)) if error.is_temporary() => {
            tracing::warn!(%error, "storage busy");
            Err(ApiFailure::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "the server's database is busy, full or away; try again later",
            ))
        }
        Err(ReadFailure::Sqlite(error)) => Err(ApiFailure::internal(&error)),
        Err(ReadFailure::Task(error)) => Err(ApiFailure::internal(&error)),
    }
}
