//! The open connections: a cap (a semaphore's permits), what each connection is doing (a
//! request in flight or not, when a byte last moved, how its request body is coming in), a
//! watchdog that closes one left idle, and room made at the cap: by closing the request body
//! furthest behind the slowest pace a body may keep, else the connection that has gone longest
//! without a request. A connection slot is never held by a body trickling in.

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

use crate::http::body_deadline::SLOWEST_PACE;

/// How long to wait for an evicted connection to make room before choosing another.
const EVICTION_WAIT: Duration = Duration::from_millis(20);
/// A connection is never closed to make room before it has had this long to send a request:
/// a client that just connected is sending its head right now.
const GRACE: Duration = Duration::from_millis(100);
/// How long a body is read before its pace is judged at the cap. Short: while every slot is
/// taken, new connections (the health check among them) wait in the listen queue behind the
/// trickling ones until slots are freed, and slots are freed no faster than this allows.
const PACE_MEASURED_AFTER: Duration = GRACE;

/// What one connection is doing; shared by its IO, its service and its watchdog.
#[derive(Debug)]
pub struct Activity {
    epoch: Instant,
    /// Milliseconds since `epoch` when a byte was last read or written.
    last_io: AtomicU64,
    /// Milliseconds since `epoch` when the last request ended (or the connection was first
    /// read: see [`Activity::first_read`]).
    idle_since: AtomicU64,
    /// Whether the connection's socket was read yet: until then its task has not run, and a
    /// busy server may take a while to run it, so it cannot be called idle.
    read_yet: std::sync::atomic::AtomicBool,
    in_flight: AtomicUsize,
    /// Milliseconds since `epoch`, plus one, when the request's body was first read; 0 while
    /// no body is being read.
    body_started: AtomicU64,
    /// Bytes of that body read so far.
    body_bytes: AtomicU64,
    /// Told to close because the server is full and this one is the longest without a request
    /// or the slowest body.
    shed: Notify,
}

impl Activity {
    fn new(epoch: Instant) -> Self {
        let now = millis(epoch, Instant::now());
        Self {
            epoch,
            last_io: AtomicU64::new(now),
            idle_since: AtomicU64::new(now),
            read_yet: std::sync::atomic::AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            body_started: AtomicU64::new(0),
            body_bytes: AtomicU64::new(0),
            shed: Notify::new(),
        }
    }

    /// The request's body is being read: from its first read until it ends.
    pub fn body_read(&self, bytes: usize) {
        if self.body_started.load(Ordering::Relaxed) == 0 {
            self.body_bytes.store(0, Ordering::Relaxed);
            self.body_started.store(self.now() + 1, Ordering::Relaxed);
        }
        self.body_bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// The request's body ended (whole, cut off, or dropped unread).
    pub fn body_ended(&self) {
        self.body_started.store(0, Ordering::Relaxed);
    }

    fn reading_body(&self) -> bool {
        self.body_started.load(Ordering::Relaxed) != 0
    }

    /// The pace (bytes a second) of a body read for [`PACE_MEASURED_AFTER`] at least, `now`
    /// (milliseconds since `epoch`), when it is below [`SLOWEST_PACE`]; with when it started.
    fn slow_body(&self, now: u64) -> Option<(u64, u64)> {
        let started = self.body_started.load(Ordering::Relaxed).checked_sub(1)?;
        let elapsed = now.saturating_sub(started);
        if elapsed < millis_of(PACE_MEASURED_AFTER) {
            return None;
        }
        let bytes = self.body_bytes.load(Ordering::Relaxed);
        let pace = bytes.saturating_mul(1000) / elapsed;
        (pace < SLOWEST_PACE).then_some((pace, started))
    }

    fn now(&self) -> u64 {
        millis(self.epoch, Instant::now())
    }

    fn moved(&self) {
        self.last_io.store(self.now(), Ordering::Relaxed);
    }

    /// The connection's task reads its socket for the first time: its grace starts now.
    fn first_read(&self) {
        if !self.read_yet.swap(true, Ordering::Relaxed) {
            self.idle_since.store(self.now(), Ordering::Relaxed);
        }
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
                    // A request that began since it was chosen, or whose body has come in
                    // since, is let finish.
                    if !self.busy() || self.reading_body() {
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
    /// When the cap was last logged (milliseconds since `epoch`, plus one; 0: never), how
    /// often it was reached since, and the connections closed to make room since (idle ones,
    /// slow bodies): a flood of connections logs a line a minute with counts, not one each.
    cap_logged: AtomicU64,
    cap_reached: AtomicU64,
    shed_idle: AtomicU64,
    shed_bodies: AtomicU64,
}

/// How often reaching the connection cap is logged, at most: the first time at once, then
/// what happened since, a line a minute (see [`Connections::log_cap`]).
pub const CAP_LOG_EVERY: Duration = Duration::from_secs(60);

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
            cap_reached: AtomicU64::new(0),
            shed_idle: AtomicU64::new(0),
            shed_bodies: AtomicU64::new(0),
        })
    }

    /// A warning with what happened at the cap since the last one (times it was reached,
    /// connections closed to make room), when there is something to say and the last one is
    /// [`CAP_LOG_EVERY`] old: many connections at once is how a slow-body attack looks. Called
    /// whenever the cap is reached, and once a minute (`net::serve`) for a flood's tail.
    pub fn log_cap(&self) {
        let now = millis(self.epoch, Instant::now()) + 1;
        let last = self.cap_logged.load(Ordering::Relaxed);
        let due = last == 0 || now.saturating_sub(last) >= millis_of(CAP_LOG_EVERY);
        if !due
            || self.cap_reached.load(Ordering::Relaxed) == 0
            || self
                .cap_logged
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        let reached = self.cap_reached.swap(0, Ordering::Relaxed);
        let closed_idle = self.shed_idle.swap(0, Ordering::Relaxed);
        let closed_slow_bodies = self.shed_bodies.swap(0, Ordering::Relaxed);
        tracing::warn!(
            cap = self.cap,
            reached,
            closed_idle,
            closed_slow_bodies,
            "at the connection cap (http.max_connections): closing bodies slower than \
             {SLOWEST_PACE} bytes a second and idle connections to make room (counts since \
             the last line; a line a minute at most)"
        );
    }

    pub fn open_now(&self) -> usize {
        lock(&self.open).len()
    }

    /// A place for a connection just accepted. At the cap, a connection is told to close (see
    /// [`Connections::make_room`]) and its place taken; while none can be, this waits for one
    /// to end.
    pub async fn admit(self: &Arc<Self>) -> Slot {
        let permit = loop {
            if let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() {
                break permit;
            }
            self.make_room();
            self.cap_reached.fetch_add(1, Ordering::Relaxed);
            self.log_cap();
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

    /// Tells one connection to close: the body furthest behind [`SLOWEST_PACE`] (read for
    /// [`PACE_MEASURED_AFTER`] at least; the earliest of equals), else the one that has gone
    /// longest without a request in flight (and had [`GRACE`] at least since its socket was
    /// first read). A body keeping the pace is never chosen, nor a connection whose task has
    /// not run yet: on a busy server a health check may wait that long for its first read.
    fn make_room(&self) {
        let open = lock(&self.open);
        let now = millis(self.epoch, Instant::now());
        let slowest = open
            .values()
            .filter_map(|activity| activity.slow_body(now).map(|pace| (activity, pace)))
            .min_by_key(|(_, pace)| *pace)
            .map(|(activity, _)| activity);
        if let Some(activity) = slowest {
            tracing::debug!("connection cap: closing the slowest request body");
            self.shed_bodies.fetch_add(1, Ordering::Relaxed);
            activity.shed.notify_one();
            return;
        }
        let Some(due) = now.checked_sub(millis_of(GRACE)) else {
            return;
        };
        let longest = open
            .values()
            .filter(|activity| !activity.busy() && activity.read_yet.load(Ordering::Relaxed))
            .map(|activity| (activity, activity.idle_since.load(Ordering::Relaxed)))
            .filter(|(_, since)| *since <= due)
            .min_by_key(|(_, since)| *since)
            .map(|(activity, _)| activity);
        if let Some(activity) = longest {
            tracing::debug!("connection cap: closing the longest idle connection");
            self.shed_idle.fetch_add(1, Ordering::Relaxed);
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
        self.activity.first_read();
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
        oldest.activity.first_read();
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
        first.activity.first_read();
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

    /// Waits for `slot`'s connection to be told to close (or its long idle time), then closes it.
    fn close_when_told(slot: Slot) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            slot.activity.idle(Duration::from_secs(600)).await;
            drop(slot);
        })
    }

    #[tokio::test(start_paused = true)]
    async fn at_the_cap_the_slowest_body_makes_room_first_and_a_steady_one_never() {
        let connections = Connections::new(3);
        let (idle, steady, slow) = (
            connections.admit().await,
            connections.admit().await,
            connections.admit().await,
        );
        idle.activity.first_read();
        let _steady_request = steady.activity.begin();
        let _slow_request = slow.activity.begin();
        steady.activity.body_read(0);
        slow.activity.body_read(1);
        tokio::time::sleep(PACE_MEASURED_AFTER).await;
        steady.activity.body_read(2048);
        slow.activity.body_read(1);
        let (steady_activity, slow_activity) =
            (Arc::clone(&steady.activity), Arc::clone(&slow.activity));
        let closing = [idle, steady, slow].map(close_when_told);

        let fourth = tokio::time::timeout(Duration::from_secs(1), connections.admit())
            .await
            .expect("room made at once");
        let _fourth_request = fourth.activity.begin();
        assert!(slow_activity.reading_body(), "its body was still coming");
        let fifth = tokio::time::timeout(Duration::from_secs(1), connections.admit())
            .await
            .expect("then the idle one makes room");
        let _fifth_request = fifth.activity.begin();
        assert_eq!(connections.open_now(), 3);
        let [idle_closed, steady_closing, slow_closed] = closing;
        assert!(idle_closed.is_finished() && slow_closed.is_finished());

        // Only the steady body is left to choose: it keeps its place.
        steady_activity.body_read(2048);
        let sixth = tokio::time::timeout(Duration::from_secs(1), connections.admit()).await;
        assert!(sixth.is_err(), "a body keeping the pace is never closed");
        assert!(!steady_closing.is_finished());
        assert!(steady_activity.reading_body());
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_whose_task_has_not_read_yet_is_never_called_idle() {
        let connections = Connections::new(1);
        let unread = connections.admit().await;
        tokio::time::sleep(Duration::from_secs(5)).await;
        let activity = Arc::clone(&unread.activity);
        let closing = close_when_told(unread);
        let waited = tokio::time::timeout(Duration::from_secs(1), connections.admit()).await;
        assert!(waited.is_err(), "its task may be late on a busy server");
        activity.first_read();
        let room = tokio::time::timeout(GRACE * 2, connections.admit()).await;
        assert!(room.is_ok(), "then idle after its grace");
        assert!(closing.is_finished());
    }
}
