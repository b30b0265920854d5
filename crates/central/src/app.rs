//! The server as a whole: open the database, bind, serve until told to stop, write the log.

use std::future::Future;
use std::net::SocketAddr;

use crate::config::Loaded;
use crate::http::router;
use crate::http::state::{AppState, Clock};
use crate::net::serve;
use crate::storage::error::DbError;

#[derive(Debug, thiserror::Error)]
pub enum CentralError {
    #[error(transparent)]
    Sqlite(#[from] DbError),
    #[error("cannot listen on {addr}: {source} (is another server using the port? see `listen`)")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server could not start: {0}")]
    Start(String),
}

/// Creates the configured accounts the database does not have yet (an existing account is
/// left as it is: its password may have been changed since).
async fn create_accounts(
    state: &AppState,
    seeds: Vec<(crate::rules::staff::Account, String)>,
) -> Result<(), CentralError> {
    use crate::storage::staff::NewAccount;
    let now = state.now();
    let created = state
        .storage(move |db| {
            let mut created = Vec::new();
            for (account, password) in &seeds {
                let new = NewAccount { account, password };
                if db.add_account(&new, now)? {
                    created.push(account.name.clone());
                }
            }
            Ok(created)
        })
        .await
        .map_err(|failure| CentralError::Start(failure.message))?;
    for name in created {
        tracing::info!(account = %name, "staff account created from the configuration");
    }
    Ok(())
}

/// Runs the server until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    loaded: Loaded,
    clock: Clock,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), CentralError> {
    for key in &loaded.unknown_keys {
        tracing::warn!(key, config = %loaded.path.display(), "unknown configuration key ignored");
    }
    let config = loaded.config;
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
    let seeds = crate::rules::staff::seeds(&config).map_err(|(key, problem)| {
        CentralError::Start(format!("{}: key `{key}` {problem}", loaded.path.display()))
    })?;
    let listen = config.listen;
    let voice = match config.calling.clips_dir.clone() {
        Some(folder) => tokio::task::spawn_blocking(move || mpp_voice::Clips::load(&folder))
            .await
            .map_err(|error| CentralError::Start(error.to_string()))?
            .map_err(|error| {
                CentralError::Start(format!(
                    "{}: key `calling.clips_dir`: {error}",
                    loaded.path.display()
                ))
            })?,
        None => mpp_voice::Clips::default(),
    };
    let voice = crate::http::state::Voice::new(voice);
    let state = tokio::task::spawn_blocking(move || AppState::open(config, clock, voice))
        .await
        .map_err(|error| CentralError::Start(error.to_string()))??;
    create_accounts(&state, seeds).await?;
    let listener = match serve::bind(listen) {
        Ok(listener) => listener,
        Err(source) => {
            // PostgreSQL's blocking client starts a runtime of its own when dropped, which
            // panics on this one: the state goes on a blocking thread, as at a clean stop.
            let _ = tokio::task::spawn_blocking(move || drop(state)).await;
            return Err(CentralError::Bind {
                addr: listen,
                source,
            });
        }
    };
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
