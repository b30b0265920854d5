//! The open connections: a cap (a semaphore's permits), what each connection is doing (a
//! request in flight or not, when a byte last moved), a watchdog that closes one left idle,
//! and room made at the cap by closing the connection that has gone longest without a request.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use mpp_common::mutex::lock;

/// How long to wait for an evicted connection to make room before choosing another.
const EVICTION_WAIT: Duration = Duration::from_millis(20);
/// A connection is never closed to make room before it has had this long to send a request:
/// a client that just connected is sending its head right now.
const GRACE: Duration = Duration::from_millis(100);

/// What one connection is doing; shared by its IO, its service and its watchdog.
#[derive(Debug)]
pub struct Activity {
    epoch: Instant,
    /// Milliseconds since `epoch` when a byte was last read or written.
    last_io: AtomicU64,
    /// Milliseconds since `epoch` when the last request ended (or the connection opened).
    idle_since: AtomicU64,
    in_flight: AtomicUsize,
    /// Told to close because the server is full and this one is the longest without a request.
    shed: Notify,
}

impl Activity {
    fn new(epoch: Instant) -> Self {
        let now = millis(epoch, Instant::now());
        Self {
            epoch,
            last_io: AtomicU64::new(now),
            idle_since: AtomicU64::new(now),
            in_flight: AtomicUsize::new(0),
            shed: Notify::new(),
        }
    }

    fn now(&self) -> u64 {
        millis(self.epoch, Instant::now())
    }

    fn moved(&self) {
        self.last_io.store(self.now(), Ordering::Relaxed);
    }

    /// Marks a request in flight until the guard is dropped.
    pub fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(Arc::clone(self))
    }

    fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
    }

    /// How long nothing has happened: no request in flight and no byte moving; `None` while a
    /// request is in flight.
    fn quiet_for(&self) -> Option<Duration> {
        if self.busy() {
            return None;
        }
        let last = self
            .last_io
            .load(Ordering::Relaxed)
            .max(self.idle_since.load(Ordering::Relaxed));
        Some(Duration::from_millis(self.now().saturating_sub(last)))
    }

    /// Returns when the connection has been quiet for `idle`, or was told to make room.
    pub async fn idle(&self, idle: Duration) {
        loop {
            let wait = match self.quiet_for() {
                Some(quiet) if quiet >= idle => return,
                Some(quiet) => idle - quiet,
                None => idle,
            };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.shed.notified() => {
                    // A request that began since it was chosen is let finish.
                    if !self.busy() {
                        return;
                    }
                }
            }
        }
    }
}

fn millis(epoch: Instant, at: Instant) -> u64 {
    millis_of(at.saturating_duration_since(epoch))
}

fn millis_of(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// A request in flight on its connection.
pub struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let activity = &self.0;
        activity.idle_since.store(activity.now(), Ordering::Relaxed);
        activity.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The connections open now, at most `cap` of them.
pub struct Connections {
    permits: Arc<Semaphore>,
    open: Mutex<HashMap<u64, Arc<Activity>>>,
    next_id: AtomicU64,
    epoch: Instant,
    cap: usize,
    /// When the cap was last logged (milliseconds since `epoch`, plus one; 0: never), and how
    /// often it was reached since: a flood of connections logs a line now and then, not each.
    cap_logged: AtomicU64,
    cap_unlogged: AtomicU64,
}

/// How often reaching the connection cap is logged, at most.
const CAP_LOG_EVERY: Duration = Duration::from_secs(10);

/// A connection's place: its permit and its entry, both given back when dropped.
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    id: u64,
    pub activity: Arc<Activity>,
    connections: Arc<Connections>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        lock(&self.connections.open).remove(&self.id);
    }
}

impl Connections {
    pub fn new(cap: usize) -> Arc<Self> {
        Arc::new(Self {
            permits: Arc::new(Semaphore::new(cap)),
            open: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            epoch: Instant::now(),
            cap,
            cap_logged: AtomicU64::new(0),
            cap_unlogged: AtomicU64::new(0),
        })
    }

    /// A warning that the cap was reached, at most every [`CAP_LOG_EVERY`], with how many
    /// times since the last one: many connections at once is how a slow-body attack looks.
    fn note_cap(&self) {
        let now = millis(self.epoch, Instant::now()) + 1;
        let last = self.cap_logged.load(Ordering::Relaxed);
        let due = last == 0 || now.saturating_sub(last) >= millis_of(CAP_LOG_EVERY);
        if due
            && self
                .cap_logged
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            let more_since_last_line = self.cap_unlogged.swap(0, Ordering::Relaxed);
            tracing::warn!(
                cap = self.cap,
                more_since_last_line,
                "at the connection cap (http.max_connections): closing the longest idle connections"
            );
        } else {
            self.cap_unlogged.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn open_now(&self) -> usize {
        lock(&self.open).len()
    }

    /// A place for a connection just accepted. At the cap, the connection that has gone
    /// longest without a request in flight (and had [`GRACE`] at least) is told to close, and
    /// its place taken; while none can be, this waits for one to end.
    pub async fn admit(self: &Arc<Self>) -> Slot {
        let permit = loop {
            if let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() {
                break permit;
            }
            self.note_cap();
            self.evict_longest_idle();
            let waited =
                tokio::time::timeout(EVICTION_WAIT, Arc::clone(&self.permits).acquire_owned())
                    .await;
            if let Ok(Ok(permit)) = waited {
                break permit;
            }
        };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(Activity::new(self.epoch));
        lock(&self.open).insert(id, Arc::clone(&activity));
        Slot {
            _permit: permit,
            id,
            activity,
            connections: Arc::clone(self),
        }
    }

    fn evict_longest_idle(&self) {
        let open = lock(&self.open);
        let Some(due) = millis(self.epoch, Instant::now()).checked_sub(millis_of(GRACE)) else {
            return;
        };
        let longest = open
            .values()
            .filter(|activity| !activity.busy())
            .map(|activity| (activity, activity.idle_since.load(Ordering::Relaxed)))
            .filter(|(_, since)| *since <= due)
            .min_by_key(|(_, since)| *since)
            .map(|(activity, _)| activity);
        if let Some(activity) = longest {
            tracing::debug!("at the connection cap: closing the longest idle connection");
            activity.shed.notify_one();
        }
    }
}

/// A TCP stream that notes when a byte moves.
pub struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl Watched {
    pub fn new(stream: TcpStream, activity: Arc<Activity>) -> Self {
        Self { stream, activity }
    }

    fn note<T>(&self, poll: &Poll<io::Result<T>>) {
        if matches!(poll, Poll::Ready(Ok(_))) {
            self.activity.moved();
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.stream).poll_read(cx, buf);
        self.note(&poll);
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.note(&poll);
        poll
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.note(&poll);
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_quiet_connection_is_idle_after_the_timeout_and_a_busy_one_never() {
        let connections = Connections::new(2);
        let slot = connections.admit().await;
        let started = Instant::now();
        slot.activity.idle(Duration::from_secs(3)).await;
        assert_eq!(started.elapsed().as_secs(), 3);

        let busy = slot.activity.begin();
        let waited = tokio::time::timeout(
            Duration::from_secs(30),
            slot.activity.idle(Duration::from_secs(3)),
        )
        .await;
        assert!(waited.is_err(), "a request in flight keeps it open");
        drop(busy);
        let started = Instant::now();
        slot.activity.idle(Duration::from_secs(3)).await;
        assert_eq!(
            started.elapsed().as_secs(),
            3,
            "counted from the request's end"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn at_the_cap_the_longest_idle_connection_makes_room() {
        let connections = Connections::new(2);
        let oldest = connections.admit().await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let newer = connections.admit().await;
        let _busy = newer.activity.begin();
        let oldest_activity = Arc::clone(&oldest.activity);
        let closing = tokio::spawn(async move {
            oldest_activity.idle(Duration::from_secs(600)).await;
            drop(oldest);
        });
        let third = tokio::time::timeout(Duration::from_secs(1), connections.admit())
            .await
            .expect("room made at once");
        closing.await.expect("closed");
        assert_eq!(connections.open_now(), 2);
        drop((third, newer));
        assert_eq!(connections.open_now(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_just_opened_has_its_grace_before_it_can_make_room() {
        let connections = Connections::new(1);
        let first = connections.admit().await;
        let activity = Arc::clone(&first.activity);
        let started = Instant::now();
        let closing = tokio::spawn(async move {
            activity.idle(Duration::from_secs(600)).await;
            drop(first);
        });
        let _second = connections.admit().await;
        closing.await.expect("closed");
        assert!(started.elapsed() >= GRACE, "{:?}", started.elapsed());
        assert!(started.elapsed() < GRACE * 2, "{:?}", started.elapsed());
    }
}
