//! The accept loop: hyper's HTTP/1 connections with a timer, so a request head must arrive
//! within `header_read_timeout` (which also bounds a kept-alive connection waiting for its next
//! request); a watchdog closes a connection idle for `idle_timeout`; a cap on open connections
//! derived from the descriptor limit, where a body trickling in makes room first (`net::body`);
//! accept errors logged and waited out. On shutdown no connection is accepted any more and
//! those open finish their requests (for a while).

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use rustix::io::Errno;
use tokio::net::{TcpListener, TcpSocket};
use tokio::time::Instant;
use tower_service::Service;

use crate::config::HttpConfig;
use crate::net::body::WatchedBody;
use crate::net::connections::{CAP_LOG_EVERY, Connections, Slot, Watched};

/// Descriptors kept back from connections: the SQLite files of the writer and the readers
/// (database, log and shared memory each), the listener, the runtime, standard streams, the
/// catalog file being read.
pub const RESERVED_DESCRIPTORS: u64 = 48;
/// The cap when the descriptor limit does not bound it.
const MOST_CONNECTIONS: u64 = 16_384;
/// Fewer connections than this could not serve a fleet.
const FEWEST_CONNECTIONS: u64 = 4;
/// How long requests in flight get to finish once a stop is asked for.
const DRAIN_WITHIN: Duration = Duration::from_secs(10);
/// Accept errors are logged at most this often; the others are counted.
const ACCEPT_LOG_EVERY: Duration = Duration::from_secs(5);
/// How many connections may wait to be accepted (the kernel caps it at `net.core.somaxconn`).
/// More than the usual 128: at the cap, slots free up one connection at a time, and a client
/// whose SYN finds the queue full is dropped and tries again only 1, 3, 7 s later; in a longer
/// queue it waits its turn, which comes quickly once trickling bodies make room.
const LISTEN_BACKLOG: u32 = 1024;

/// The timeouts and the cap the loop runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub header_read: Duration,
    pub idle: Duration,
    pub max_connections: usize,
}

impl Limits {
    /// The configured limits, the cap bounded by the descriptor limit (`soft`, `None` for
    /// unlimited); a warning when the configured cap had to be lowered.
    pub fn resolve(http: &HttpConfig, soft: Option<u64>) -> Result<(Self, Option<String>), String> {
        let derived = derived_cap(soft)?;
        let (max_connections, warning) = match http.max_connections.map(u64::from) {
            Some(wanted) if wanted > derived => (
                derived,
                Some(format!(
                    "http.max_connections = {wanted} is more than the descriptor limit \
                     ({}) allows: {derived} connections at most; raise LimitNOFILE for more",
                    soft.map_or("unlimited".into(), |soft| soft.to_string())
                )),
            ),
            Some(wanted) => (wanted, None),
            None => (derived, None),
        };
        let limits = Self {
            header_read: http.header_read_timeout(),
            idle: http.idle_timeout(),
            max_connections: usize::try_from(max_connections).unwrap_or(usize::MAX),
        };
        Ok((limits, warning))
    }
}

/// Three quarters of the descriptors left after the reserved ones: the rest is room for the
/// moments a connection is accepted before another is closed, and for what SQLite opens.
fn derived_cap(soft: Option<u64>) -> Result<u64, String> {
    let Some(soft) = soft else {
        return Ok(MOST_CONNECTIONS);
    };
    let cap = (soft.saturating_sub(RESERVED_DESCRIPTORS) * 3 / 4).min(MOST_CONNECTIONS);
    if cap < FEWEST_CONNECTIONS {
        let needed = RESERVED_DESCRIPTORS + FEWEST_CONNECTIONS * 4 / 3 + 1;
        return Err(format!(
            "the descriptor limit (RLIMIT_NOFILE) is {soft}: too low to serve; at least \
             {needed} are needed, 8192 recommended (LimitNOFILE= in the systemd unit)"
        ));
    }
    Ok(cap)
}

/// A listener on `addr` with [`LISTEN_BACKLOG`].
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// The process's soft descriptor limit; `None` when unlimited.
pub fn descriptor_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

/// Serves `router` on `listener` until `shutdown` completes, then lets open connections
/// finish their requests for up to [`DRAIN_WITHIN`].
pub async fn run(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let connections = Connections::new(limits.max_connections);
    let cap_lines = {
        let connections = Arc::clone(&connections);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(CAP_LOG_EVERY);
            loop {
                every.tick().await;
                connections.log_cap();
            }
        })
    };
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .keep_alive(true);
    let mut errors = AcceptErrors::default();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => {
                errors.recovered();
                accepted
            }
            Err(error) => {
                errors.wait_out(&error).await;
                continue;
            }
        };
        let slot = tokio::select! {
            slot = connections.admit() => slot,
            () = &mut shutdown => break,
        };
        let connection = Connection {
            slot,
            stream,
            peer,
            router: router.clone(),
            idle: limits.idle,
        };
        tokio::spawn(connection.serve(builder.clone(), graceful.watcher()));
    }
    drop(listener);
    cap_lines.abort();
    tracing::info!(
        open = connections.open_now(),
        "no longer accepting connections; letting requests in flight finish"
    );
    if tokio::time::timeout(DRAIN_WITHIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still in flight after {} s: closing them",
            DRAIN_WITHIN.as_secs()
        );
    }
}

/// One accepted connection and what it needs.
struct Connection {
    slot: Slot,
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    router: Router,
    idle: Duration,
}

impl Connection {
    async fn serve(self, builder: http1::Builder, watcher: Watcher) {
        let Connection {
            slot,
            stream,
            peer,
            router,
            idle,
        } = self;
        let activity = Arc::clone(&slot.activity);
        let io = TokioIo::new(Watched::new(stream, Arc::clone(&activity)));
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            let in_flight = activity.begin();
            let body_activity = Arc::clone(&activity);
            request.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            async move {
                let body = |incoming| Body::new(WatchedBody::new(incoming, body_activity));
                let response = router.call(request.map(body)).await;
                drop(in_flight);
                Ok::<_, Infallible>(response.unwrap_or_else(|never| match never {}))
            }
        });
        let served = watcher.watch(builder.serve_connection(io, service));
        tokio::select! {
            result = served => {
                if let Err(error) = result {
                    // A client that hangs up or is too slow: worth a debug line, no more.
                    tracing::debug!(%error, "connection ended");
                }
            }
            () = slot.activity.idle(idle) => tracing::debug!("idle connection closed"),
        }
        drop(slot);
    }
}

/// Accept errors seen lately, to log them without flooding the journal and to back off.
#[derive(Default)]
struct AcceptErrors {
    backoff: Option<Duration>,
    last_logged: Option<Instant>,
    unlogged: u64,
}

impl AcceptErrors {
    fn recovered(&mut self) {
        if self.backoff.take().is_some() {
            tracing::info!("accepting connections again");
        }
    }

    /// Logs `error` (or counts it), then waits: briefly for a connection that vanished,
    /// longer (doubling to a second) while descriptors or memory run out.
    async fn wait_out(&mut self, error: &io::Error) {
        let exhausted = is_exhaustion(error);
        let now = Instant::now();
        let due = self
            .last_logged
            .is_none_or(|logged| now.duration_since(logged) >= ACCEPT_LOG_EVERY);
        if due {
            let unlogged = std::mem::take(&mut self.unlogged);
            if exhausted {
                tracing::warn!(%error, more_since_last_line = unlogged, "cannot accept a connection: out of descriptors or memory; waiting (raise LimitNOFILE or lower http.max_connections)");
            } else {
                tracing::debug!(%error, more_since_last_line = unlogged, "a connection failed while it was accepted");
            }
            self.last_logged = Some(now);
        } else {
            self.unlogged += 1;
        }
        if exhausted {
            let wait = self.backoff.map_or(Duration::from_millis(10), |wait| {
                (wait * 2).min(Duration::from_secs(1))
            });
            self.backoff = Some(wait);
            tokio::time::sleep(wait).await;
        }
    }
}

/// Whether an accept error means the process or system ran out of something, as opposed to
/// one connection that went away before it was accepted.
fn is_exhaustion(error: &io::Error) -> bool {
    Errno::from_io_error(error).is_some_and(|errno| {
        [Errno::MFILE, Errno::NFILE, Errno::NOBUFS, Errno::NOMEM].contains(&errno)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_follows_the_descriptor_limit_and_a_configured_one_is_lowered_to_it() {
        let http = HttpConfig::default();
        let cap = |soft| Limits::resolve(&http, soft).map(|(limits, _)| limits.max_connections);
        assert_eq!(cap(Some(64)), Ok(12));
        assert_eq!(cap(Some(1024)), Ok(732));
        assert_eq!(cap(Some(8192)), Ok(6108));
        assert_eq!(cap(None), Ok(16_384));
        let error = cap(Some(50)).expect_err("too low");
        assert!(
            error.contains("RLIMIT_NOFILE") && error.contains("LimitNOFILE"),
            "{error}"
        );

        let wanted = HttpConfig {
            max_connections: Some(5000),
            ..HttpConfig::default()
        };
        let (limits, warning) = Limits::resolve(&wanted, Some(1024)).expect("lowered");
        assert_eq!(limits.max_connections, 732);
        assert!(warning.expect("a warning").contains("LimitNOFILE"));
        let (limits, warning) = Limits::resolve(&wanted, Some(65536)).expect("kept");
        assert_eq!((limits.max_connections, warning), (5000, None));
    }

    #[test]
    fn running_out_of_descriptors_is_told_apart_from_a_vanished_connection() {
        assert!(is_exhaustion(&io::Error::from_raw_os_error(
            Errno::MFILE.raw_os_error()
        )));
        assert!(is_exhaustion(&io::Error::from_raw_os_error(
            Errno::NFILE.raw_os_error()
        )));
        assert!(!is_exhaustion(&io::Error::from_raw_os_error(
            Errno::CONNABORTED.raw_os_error()
        )));
    }

    #[tokio::test(start_paused = true)]
    async fn accept_errors_back_off_up_to_a_second() {
        let mut errors = AcceptErrors::default();
        let emfile = io::Error::from_raw_os_error(Errno::MFILE.raw_os_error());
        let started = Instant::now();
        for _ in 0..10 {
            errors.wait_out(&emfile).await;
        }
        // 10 + 20 + ... + 640 ms, then 1 s each.
        assert_eq!(started.elapsed(), Duration::from_millis(1270 + 3000));
        errors.recovered();
        assert!(errors.backoff.is_none());
        let vanished = io::Error::from_raw_os_error(Errno::CONNABORTED.raw_os_error());
        let started = Instant::now();
        errors.wait_out(&vanished).await;
        assert_eq!(started.elapsed(), Duration::ZERO);
    }
}
