//! The kiosk's systemd watchdog, and its restart into a new version.
//!
//! The screen calls two tiny hooks: [`frames`] (a subscription that notes the first frame
//! drawn and never produces a message) and [`screen_ticked`] on each tick of its one-second
//! clock, saying whether the welcome screen shows and since when nobody touched it. The first
//! tick starts a `watchdog` thread (only under a service manager, `NOTIFY_SOCKET` set) that
//! looks every few seconds at the last tick, the first frame and a cheap probe of the store
//! (taking the shared store as issuing does, and reading one row). It sends `READY=1` once the
//! first frame is drawn, the screen ticks and the store answers (the store, catalog and printer
//! driver are up before the screen starts), then `WATCHDOG=1` only while the screen ticks AND
//! the store answers: a screen or a store that hangs stops the feeding, and systemd kills and
//! restarts the kiosk. The decision itself is pure, in [`decision`].
//!
//! A package upgrade does not restart the kiosk (it could be printing a visitor's number).
//! Instead this thread notices that the program file was replaced, and once the welcome screen
//! has been untouched for a while it exits with 0 so that systemd (`Restart=always`) starts the
//! new version.

mod binary;
pub mod decision;
pub mod faults;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock, TryLockError};

use mpp_common::mutex::lock;
use std::time::{Duration, Instant};

use crate::ui::backend::Backend;
pub use decision::{Facts, Policy, Step, Stuck, decide};
use faults::Faults;
use mpp_station::store::Store;
use mpp_station::systemd;

/// Longest wait for the store at one look: a print holds it for a few seconds.
const PROBE_WAIT: Duration = Duration::from_secs(1);
/// What `systemctl status` says while all is well.
const SERVING: &str = "serving visitors";

static SHARED: LazyLock<Shared> = LazyLock::new(Shared::default);

/// What the screen's hooks leave for the watchdog thread.
#[derive(Default)]
struct Shared {
    screen: Mutex<ScreenBeat>,
    frame_drawn: AtomicBool,
    ticks: AtomicU64,
    started: OnceLock<()>,
    faults: OnceLock<Faults>,
}

#[derive(Clone, Copy, Debug, Default)]
struct ScreenBeat {
    last_tick: Option<Instant>,
    /// When the welcome screen was last touched or appeared; `None` on any other screen.
    welcome_since: Option<Instant>,
}

impl Shared {
    fn faults(&self) -> Faults {
        *self.faults.get_or_init(Faults::from_env)
    }
}

/// The screen's hook, on every tick of its clock: `welcome_since` is when the welcome screen
/// was last touched (or appeared), `None` while any other screen shows.
pub fn screen_ticked(backend: &Backend, welcome_since: Option<Instant>) {
    let shared = &*SHARED;
    shared.started.get_or_init(|| start(backend.store()));
    *lock(&shared.screen) = ScreenBeat {
        last_tick: Some(Instant::now()),
        welcome_since,
    };
    let ticks = shared.ticks.fetch_add(1, Ordering::Relaxed) + 1;
    let faults = shared.faults();
    if faults.hang_store_after == Some(ticks) {
        hang_store(backend.store());
    }
    if faults.hang_screen_after == Some(ticks) {
        tracing::warn!("test fault: the screen's loop hangs for ever");
        loop {
            std::thread::park();
        }
    }
}

/// The screen's other hook, one more subscription: notes that a frame was drawn (iced
/// broadcasts `RedrawRequested` right after drawing) and produces no message, so it causes
/// no redraw of its own.
pub fn frames<Message: Send + 'static>() -> iced::Subscription<Message> {
    iced::event::listen_raw(note_frame::<Message>)
}

fn note_frame<Message>(
    event: iced::Event,
    _status: iced::event::Status,
    _window: iced::window::Id,
) -> Option<Message> {
    if let iced::Event::Window(iced::window::Event::RedrawRequested(_)) = event {
        SHARED.frame_drawn.store(true, Ordering::Relaxed);
    }
    None
}

/// Starts the watchdog thread when a service manager listens.
fn start(store: Arc<Mutex<Store>>) {
    if !systemd::listening() {
        tracing::debug!("no service manager (NOTIFY_SOCKET unset): no watchdog");
        return;
    }
    let timeout = systemd::watchdog_timeout();
    let faults = SHARED.faults();
    let mut policy = Policy::for_timeout(timeout);
    policy.restart_idle = faults.restart_idle.unwrap_or(policy.restart_idle);
    policy.restart_settle = faults.restart_settle.unwrap_or(policy.restart_settle);
    let watch = Watch {
        store,
        policy,
        feeding: timeout.is_some(),
        running: binary::Running::this_process(),
        ready: false,
        stuck: false,
        store_ok: None,
        replaced_since: None,
    };
    tracing::info!(?timeout, ?policy, "watchdog started");
    let spawned = std::thread::Builder::new()
        .name("watchdog".into())
        .spawn(move || watch.run());
    if let Err(error) = spawned {
        // Without it systemd never hears READY=1 and restarts the kiosk after its timeout.
        tracing::error!(%error, "cannot start the watchdog thread");
    }
}

/// The watchdog thread's state.
struct Watch {
    store: Arc<Mutex<Store>>,
    policy: Policy,
    /// systemd expects `WATCHDOG=1` (`WATCHDOG_USEC` is set).
    feeding: bool,
    running: Option<binary::Running>,
    ready: bool,
    stuck: bool,
    store_ok: Option<Instant>,
    replaced_since: Option<Instant>,
}

impl Watch {
    fn run(mut self) {
        loop {
            let step = self.look();
            self.act(step);
            std::thread::sleep(self.policy.interval);
        }
    }

    fn look(&mut self) -> Step {
        if self.probe_store() {
            self.store_ok = Some(Instant::now());
        }
        let now = Instant::now();
        if self.replaced_since.is_none() && self.running.as_ref().is_some_and(|r| r.replaced()) {
            self.replaced_since = Some(now);
            tracing::info!(
                "a new version is installed: restarting into it once the welcome screen is idle"
            );
        }
        let beat = *lock(&SHARED.screen);
        let age = |at: Option<Instant>| at.map(|at| now.saturating_duration_since(at));
        let facts = Facts {
            since_tick: age(beat.last_tick),
            frame_drawn: SHARED.frame_drawn.load(Ordering::Relaxed),
            since_store_ok: age(self.store_ok),
            replaced_for: age(self.replaced_since),
            idle_for: age(beat.welcome_since),
        };
        decide(&facts, &self.policy, self.ready)
    }

    /// Takes the store as issuing does and reads one row, waiting at most [`PROBE_WAIT`].
    fn probe_store(&self) -> bool {
        let deadline = Instant::now() + PROBE_WAIT.min(self.policy.interval);
        loop {
            match self.store.try_lock() {
                Ok(store) => return store.numbering_origin().is_ok(),
                // A panic while holding the store: only a restart makes it whole again.
                Err(TryLockError::Poisoned(_)) => return false,
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(TryLockError::WouldBlock) => return false,
            }
        }
    }

    fn act(&mut self, step: Step) {
        match step {
            Step::Starting => {}
            Step::Healthy => {
                if !self.ready {
                    self.ready = true;
                    tracing::info!("ready: first frame drawn, the screen ticks, the store answers");
                    systemd::ready(SERVING);
                } else if self.stuck {
                    tracing::warn!("the kiosk makes progress again: feeding the watchdog");
                    systemd::status(SERVING);
                }
                self.stuck = false;
                if self.feeding {
                    systemd::watchdog();
                }
            }
            Step::Stuck(why) => {
                if !self.stuck {
                    tracing::error!(%why, "no longer feeding the watchdog: systemd will restart the kiosk");
                    systemd::status(&format!("stuck: {why}"));
                }
                self.stuck = true;
            }
            Step::Restart => self.restart(),
        }
    }

    fn restart(&self) -> ! {
        let path = self
            .running
            .as_ref()
            .map(|r| r.path().display().to_string());
        tracing::info!(
            path,
            "the welcome screen is idle: exiting so systemd starts the new version"
        );
        systemd::status("restarting into the new version");
        // Held to the end: no ticket is being issued or printed as the process ends.
        let _store = lock(&self.store);
        std::process::exit(0);
    }
}

/// Test fault: a thread takes the store and never gives it back.
fn hang_store(store: Arc<Mutex<Store>>) {
    tracing::warn!("test fault: the store is taken for ever");
    let spawned = std::thread::Builder::new()
        .name("hung-store".into())
        .spawn(move || {
            let _held = lock(&store);
            loop {
                std::thread::park();
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "cannot start the hung-store thread");
    }
}
