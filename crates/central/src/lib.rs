//! `mpp-central`, the reference central server: kiosks push their ticket events and
//! heartbeats and fetch the catalog and waiting counts; counters report called and served
//! tickets; visitors open their ticket's page from its QR code; staff watch the fleet.
//!
//! Everything lives in one SQLite file (one writer, WAL, `synchronous=FULL`, and a few
//! read-only connections beside it for the pages and queries); SQLite work runs on the blocking
//! pool, never on the async executor. Connections have header, body and idle timeouts and a
//! cap under the descriptor limit (`serve`). Run it behind a reverse proxy for HTTPS: the staff
//! session cookie is `Secure`, which browsers send only over HTTPS.

mod api;
mod audit_log;
mod auth;
mod body_deadline;
pub mod config;
mod connections;
mod counters;
pub mod demo_secrets;
mod extract;
mod fleet_page;
mod fleet_state;
mod html;
mod login_page;
mod numbers;
mod published;
mod readers;
mod records;
mod refusals;
mod serve;
mod sessions;
mod storage;
mod ticket_page;

use std::any::Any;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, Utc};
use tower_http::catch_panic::CatchPanicLayer;

pub use auth::hash_hex;
pub use config::{CentralConfig, ConfigError, Loaded};
pub use storage::{Storage, StorageError};

use extract::{ApiFailure, BODY_LIMIT};
use mpp_core::protocol::API;
use published::{Published, Snapshot, lock};
use readers::{ReadFailure, Readers};
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
    /// The one writer.
    storage: Arc<Mutex<Storage>>,
    /// Read-only connections for the pages and queries.
    readers: Arc<Readers>,
    published: Arc<Published>,
    sessions: Arc<Sessions>,
    limiter: Arc<Limiter>,
    clock: Clock,
}

impl AppState {
    /// Opens the database and reads the catalog file. Blocking: call it off the executor.
    pub fn open(config: CentralConfig, clock: Clock) -> Result<Self, StorageError> {
        let storage = Arc::new(Mutex::new(Storage::open(&config.database)?));
        let readers = Arc::new(Readers::open(&config.database, readers::READERS)?);
        let published = Arc::new(Published::open(config.catalog.clone(), &storage, clock()));
        let sessions = Arc::new(Sessions::new(config.staff.session_lifetime()));
        Ok(Self(Arc::new(Shared {
            config: Arc::new(config),
            storage,
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

    /// The business day now, in the MPP's time zone.
    pub fn today(&self) -> NaiveDate {
        self.config.time_zone.local(self.now()).date()
    }

    fn kiosk(&self, kiosk: &str) -> Option<&config::KioskEntry> {
        self.config.kiosks.iter().find(|entry| entry.id == kiosk)
    }

    fn signing_key(&self, kiosk: &str) -> Option<&[u8]> {
        self.kiosk(kiosk).map(|entry| entry.signing_key.as_bytes())
    }

    /// The numbers `kiosk` may print, when the configuration says.
    fn number_range(&self, kiosk: &str) -> Option<mpp_core::numbering::NumberRange> {
        self.kiosk(kiosk).and_then(|entry| entry.number_range)
    }

    /// Runs `work` on the database on the blocking pool.
    async fn storage<T, F>(&self, work: F) -> Result<T, ApiFailure>
    where
        T: Send + 'static,
        F: FnOnce(&mut Storage) -> Result<T, StorageError> + Send + 'static,
    {
        let storage = Arc::clone(&self.storage);
        let result = tokio::task::spawn_blocking(move || work(&mut lock(&storage))).await;
        match result {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) if error.is_temporary() => {
                tracing::warn!(%error, "storage busy");
                Err(ApiFailure::new(
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    "the server's database is busy or full; try again later",
                ))
            }
            Ok(Err(error)) => Err(ApiFailure::internal(&error)),
            Err(error) => Err(ApiFailure::internal(&error)),
        }
    }

    /// Runs `work` on a read-only connection: never behind the writer.
    async fn read<T, F>(&self, work: F) -> Result<T, ApiFailure>
    where
        T: Send + 'static,
        F: FnOnce(&Storage) -> Result<T, StorageError> + Send + 'static,
    {
        match self.readers.read(work).await {
            Ok(value) => Ok(value),
            Err(ReadFailure::Storage(error)) if error.is_temporary() => {
                tracing::warn!(%error, "storage busy");
                Err(ApiFailure::new(
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    "the server's database is busy; try again later",
                ))
            }
            Err(ReadFailure::Storage(error)) => Err(ApiFailure::internal(&error)),
            Err(ReadFailure::Task(error)) => Err(ApiFailure::internal(&error)),
        }
    }

    /// The published catalog, checking the file again if it changed.
    async fn catalog(&self) -> Snapshot {
        let published = Arc::clone(&self.published);
        let storage = Arc::clone(&self.storage);
        let now = self.now();
        tokio::task::spawn_blocking(move || published.current(&storage, now))
            .await
            .unwrap_or_else(|error| {
                tracing::error!(%error, "catalog check failed");
                Snapshot::default()
            })
    }

    /// The published catalog as the visitor's page needs it: the file is looked at again at
    /// most every [`PAGE_CATALOG_AGE`], not for every page.
    async fn catalog_for_page(&self) -> Snapshot {
        match self.published.recent(PAGE_CATALOG_AGE) {
            Some(snapshot) => snapshot,
            None => self.catalog().await,
        }
    }

    /// Writes the log into the database file; for a clean stop.
    pub fn checkpoint(&self) -> Result<(), StorageError> {
        lock(&self.storage).checkpoint()
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
        .route("/t/{kiosk}/{id}", get(ticket_page::show))
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
    if config.kiosks.is_empty() {
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
    serve::run(listener, router(state.clone()), limits, shutdown).await;
    tracing::info!("stopped; writing the database log");
    tokio::task::spawn_blocking(move || state.checkpoint())
        .await
        .map_err(|error| CentralError::Start(error.to_string()))??;
    Ok(())
}

/// Completes on ctrl-c or SIGTERM (what systemd sends to stop a service).
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("ctrl-c: stopping"),
        () = terminate => tracing::info!("SIGTERM: stopping"),
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
