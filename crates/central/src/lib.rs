//! `mpp-central`, the reference central server: kiosks push their ticket events and
//! heartbeats and fetch the catalog and waiting counts; counters report called and served
//! tickets; visitors open their ticket's page from its QR code and rate the visit (`survey`);
//! an MPP's kiosks share the services staff closed for the day (`closures`); staff watch the
//! fleet and read the satisfaction report.
//!
//! One server serves one MPP or a province's many (`config::MppEntry`): every row, count and
//! page is an MPP's. Everything lives in one SQLite file (one writer, WAL, `synchronous=FULL`,
//! and a few read-only connections beside it for the pages and queries) or, for a province, in
//! PostgreSQL (`pg`); both behind the storage interface `store::Store`, pooled, their work on
//! the blocking pool, never on the async executor. Connections have header, body and idle timeouts and a
//! cap under the descriptor limit (`serve`). Run it behind a reverse proxy for HTTPS: the staff
//! session cookie is `Secure`, which browsers send only over HTTPS.

mod api;
mod audit_log;
mod auth;
mod body_deadline;
mod closures;
pub mod config;
mod connections;
pub mod copy;
mod counters;
pub mod demo_secrets;
mod extract;
mod fleet_page;
mod fleet_state;
mod html;
mod login_page;
mod numbers;
mod pg;
mod published;
mod readers;
mod records;
mod refusals;
mod rows;
mod serve;
mod sessions;
mod storage;
mod store;
mod survey;
mod ticket_page;

use std::any::Any;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, Utc};
use tower_http::catch_panic::CatchPanicLayer;

pub use auth::hash_hex;
pub use config::{CentralConfig, ConfigError, Loaded, MppEntry};
pub use storage::{Storage, StorageError};
pub use store::{Location, Store};

use extract::{ApiFailure, BODY_LIMIT};
use mpp_core::protocol::API;
use published::{Published, Snapshot};
use readers::{Pool, ReadFailure};
use sessions::{Limiter, Sessions};

/// How old the catalog a ticket page shows may be (names of agencies and services).
const PAGE_CATALOG_AGE: std::time::Duration = std::time::Duration::from_secs(1);
/// Largest sign-in form accepted.
const LOGIN_BODY_LIMIT: usize = 4096;

/// What time it is; injected so tests can fix it.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

#[derive(Debug, thiserror::Error)]
pub enum CentralError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("cannot listen on {addr}: {source} (is another server using the port? see `listen`)")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server could not start: {0}")]
    Start(String),
}

/// A pool of connections to the database, whichever backend it is.
type Connections = Pool<Box<dyn Store>>;

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
    config: Arc<CentralConfig>,
    /// The connections that write (SQLite: one).
    writers: Arc<Connections>,
    /// Connections for the pages and queries (SQLite: read-only ones).
    readers: Arc<Connections>,
    /// Each MPP's published catalog, in the order of [`CentralConfig::mpps`].
    published: Vec<Arc<Published>>,
    sessions: Arc<Sessions>,
    limiter: Arc<Limiter>,
    clock: Clock,
}

impl AppState {
    /// Opens the database and reads the catalog file. Blocking: call it off the executor.
    pub fn open(config: CentralConfig, clock: Clock) -> Result<Self, StorageError> {
        let (writers, readers) =
            store::open(&config.location(), readers::PG_WRITERS, readers::READERS)?;
        let (writers, readers) = (Arc::new(Pool::new(writers)), Arc::new(Pool::new(readers)));
        let published = config
            .mpps()
            .iter()
            .map(|mpp| {
                let catalog = mpp.catalog.clone();
                Arc::new(Published::open(catalog, &mpp.id, &writers, clock()))
            })
            .collect();
        let sessions = Arc::new(Sessions::new(config.staff.session_lifetime()));
        Ok(Self(Arc::new(Shared {
            config: Arc::new(config),
            writers,
            readers,
            published,
            sessions,
            limiter: Arc::new(Limiter::default()),
            clock,
        })))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The business day now, in `mpp`'s time zone.
    pub fn today(&self, mpp: &MppEntry) -> NaiveDate {
        mpp.time_zone.local(self.now()).date()
    }

    fn kiosk(&self, kiosk: &str) -> Option<&config::KioskEntry> {
        self.config.kiosk_entry(kiosk).map(|(_, entry)| entry)
    }

    /// The MPP of an authenticated kiosk (every configured kiosk has one).
    fn mpp_of(&self, kiosk: &str) -> Result<&MppEntry, ApiFailure> {
        self.config
            .kiosk_entry(kiosk)
            .map(|(mpp, _)| mpp)
            .ok_or_else(|| ApiFailure::internal(&format!("kiosk {kiosk} is in no MPP")))
    }

    /// The MPP with `id`, which the configuration names.
    fn mpp(&self, id: &str) -> Result<&MppEntry, ApiFailure> {
        self.config
            .mpp(id)
            .ok_or_else(|| ApiFailure::internal(&format!("no MPP {id} is configured")))
    }

    /// `mpp`'s published catalog, kept beside its entry in the configuration.
    fn published(&self, mpp: &str) -> Option<&Arc<Published>> {
        let index = self
            .config
            .mpps()
            .iter()
            .position(|entry| entry.id == mpp)?;
        self.published.get(index)
    }

    fn signing_key(&self, kiosk: &str) -> Option<&[u8]> {
        self.kiosk(kiosk).map(|entry| entry.signing_key.as_bytes())
    }

    /// The numbers `kiosk` may print, when the configuration says.
    fn number_range(&self, kiosk: &str) -> Option<mpp_core::numbering::NumberRange> {
        self.kiosk(kiosk).and_then(|entry| entry.number_range)
    }

    /// Runs `work` on a writing connection, on the blocking pool.
    async fn storage<T, F>(&self, work: F) -> Result<T, ApiFailure>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, StorageError> + Send + 'static,
    {
        answer(self.writers.run(move |store| work(store.as_mut())).await)
    }

    /// Runs `work` on a reading connection: never behind the writer.
    async fn read<T, F>(&self, work: F) -> Result<T, ApiFailure>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, StorageError> + Send + 'static,
    {
        answer(self.readers.run(move |store| work(store.as_mut())).await)
    }

    /// `mpp`'s published catalog, checking the file again if it changed.
    async fn catalog(&self, mpp: &str) -> Snapshot {
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
    async fn catalog_for_page(&self, mpp: &str) -> Snapshot {
        let recent = self
            .published(mpp)
            .and_then(|published| published.recent(PAGE_CATALOG_AGE));
        match recent {
            Some(snapshot) => snapshot,
            None => self.catalog(mpp).await,
        }
    }

    /// Writes the log into the database file; for a clean stop.
    pub fn checkpoint(&self) -> Result<(), StorageError> {
        self.writers.run_blocking(|store| store.checkpoint())?
    }
}

/// What became of database work, as the API answers it: "try again" is 503, "fix this" 500.
fn answer<T>(result: Result<T, ReadFailure>) -> Result<T, ApiFailure> {
    match result {
        Ok(value) => Ok(value),
        Err(ReadFailure::Storage(error)) if error.is_temporary() => {
            tracing::warn!(%error, "storage busy");
            Err(ApiFailure::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "the server's database is busy, full or away; try again later",
            ))
        }
        Err(ReadFailure::Storage(error)) => Err(ApiFailure::internal(&error)),
        Err(ReadFailure::Task(error)) => Err(ApiFailure::internal(&error)),
    }
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route(&format!("{API}/health"), get(api::health))
        .route(&format!("{API}/events"), post(api::events))
        .route(&format!("{API}/catalog"), get(api::catalog))
        .route(&format!("{API}/heartbeat"), post(api::heartbeat))
        .route(&format!("{API}/audit"), post(audit_log::receive))
        .route(
            mpp_core::closure_sync::CLOSURES_PATH,
            post(closures::receive).get(closures::day),
        )
        .route(&format!("{API}/queues"), get(api::queues))
        .route(&format!("{API}/numbers"), get(api::numbers))
        .route(
            &format!("{API}/counter/tickets/{{kiosk}}/{{id}}"),
            post(api::counter),
        )
        .route(
            &format!("{API}/counter/tickets/{{id}}"),
            post(api::counter_by_id),
        )
        .route(&format!("{API}/surveys"), post(survey::intake::receive))
        .route("/t/{kiosk}/{id}", get(ticket_page::show))
        .route(
            "/t/{kiosk}/{id}/survey",
            get(survey::phone::show)
                .post(survey::phone::submit)
                .layer(DefaultBodyLimit::max(survey::phone::FORM_LIMIT)),
        )
        .route("/reports/ikm", get(survey::report::show))
        .route("/reports/ikm.csv", get(survey::export::download))
        .route("/t/{id}", get(ticket_page::show_legacy))
        .route("/fleet", get(fleet_page::show))
        .route(
            "/login",
            get(login_page::show)
                .post(login_page::sign_in)
                .layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
        .route("/logout", post(login_page::sign_out))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed);
    let body_timeout = state.config.http.body_timeout();
    let routes = routes.layer(axum::middleware::map_request(move |request| {
        body_deadline::with_deadline(body_timeout, request)
    }));
    with_layers(routes).with_state(state)
}

/// What every route shares: the body limit, and an answer even from a handler that panics.
fn with_layers<S: Clone + Send + Sync + 'static>(routes: Router<S>) -> Router<S> {
    routes
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CatchPanicLayer::custom(panic_answer))
}

/// A panicking handler answers the usual 500 `ApiError` (logged, retried by the kiosk) rather
/// than dropping the connection.
fn panic_answer(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    ApiFailure::internal(&format!("a request handler panicked: {detail}")).into_response()
}

/// Runs the server until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    loaded: Loaded,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), CentralError> {
    for key in &loaded.unknown_keys {
        tracing::warn!(key, config = %loaded.path.display(), "unknown configuration key ignored");
    }
    let config = loaded.config;
    if config.admin_token_sha256.is_none() {
        tracing::warn!("admin_token_sha256 is not set: nobody can sign in to the /fleet page");
    }
    let descriptors = serve::descriptor_limit();
    let (limits, lowered) =
        serve::Limits::resolve(&config.http, descriptors).map_err(CentralError::Start)?;
    if let Some(lowered) = lowered {
        tracing::warn!(config = %loaded.path.display(), "{lowered}");
    }
    if config.all_kiosks().next().is_none() {
        tracing::warn!("no [[kiosk]] is configured: no kiosk can sync");
    }
    for warning in config.warnings() {
        tracing::warn!(config = %loaded.path.display(), "{warning}");
    }
    let listen = config.listen;
    let state = tokio::task::spawn_blocking(move || AppState::open(config, system_clock()))
        .await
        .map_err(|error| CentralError::Start(error.to_string()))??;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|source| CentralError::Bind {
            addr: listen,
            source,
        })?;
    let addr = listener.local_addr().unwrap_or(listen);
    tracing::info!(
        %addr,
        max_connections = limits.max_connections,
        descriptor_limit = descriptors.map_or("unlimited".into(), |limit| limit.to_string()),
        header_read_timeout_s = limits.header_read.as_secs(),
        idle_timeout_s = limits.idle.as_secs(),
        body_timeout_s = state.config.http.body_timeout_seconds,
        "mpp-central listening on http://{addr}"
    );
    tell_systemd(&[
        sd_notify::NotifyState::Ready,
        sd_notify::NotifyState::Status(&format!("listening on http://{addr}")),
    ]);
    serve::run(listener, router(state.clone()), limits, shutdown).await;
    tell_systemd(&[sd_notify::NotifyState::Stopping]);
    tracing::info!("stopped; writing the database log");
    tokio::task::spawn_blocking(move || state.checkpoint())
        .await
        .map_err(|error| CentralError::Start(error.to_string()))??;
    Ok(())
}

/// Tells systemd (`Type=notify`) how the server stands; nothing without `$NOTIFY_SOCKET`.
fn tell_systemd(states: &[sd_notify::NotifyState]) {
    if let Err(error) = sd_notify::notify(states) {
        tracing::warn!(%error, "cannot tell systemd how the server stands");
    }
}

/// Completes on ctrl-c or SIGTERM (what systemd sends to stop a service). The handlers are
/// installed when this is called, not when the future is first polled: systemd may stop the
/// server the moment it said READY=1, and a SIGTERM before the handler would kill it outright.
/// Call it inside the runtime.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    use tokio::signal::unix::{Signal, SignalKind, signal};
    let interrupt = signal(SignalKind::interrupt());
    let terminate = signal(SignalKind::terminate());
    async fn heard(stream: std::io::Result<Signal>, name: &str) {
        match stream {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for {name}");
                std::future::pending::<()>().await;
            }
        }
    }
    async move {
        tokio::select! {
            () = heard(interrupt, "ctrl-c") => tracing::info!("ctrl-c: stopping"),
            () = heard(terminate, "SIGTERM") => tracing::info!("SIGTERM: stopping"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpp_core::protocol::ApiError;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_with_an_api_error() {
        let routes = Router::new().route(
            "/boom",
            get(|| async {
                let edge = DateTime::<Utc>::MAX_UTC;
                edge.with_timezone(&mpp_core::day::TimeZone::JAKARTA.offset())
                    .naive_local()
                    .to_string()
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, with_layers(routes)).await });
        let response = mpp_testkit::central::client()
            .get(format!("http://{addr}/boom"))
            .send()
            .await
            .expect("an answer, not a dropped connection");
        assert_eq!(response.status(), 500);
        let body: ApiError = response.json().await.expect("an ApiError body");
        assert!(body.error.contains("try again later"), "{}", body.error);
    }
}
