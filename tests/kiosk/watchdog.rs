//! The systemd watchdog end to end, without systemd: the real kiosk screen runs under Xvfb with
//! `NOTIFY_SOCKET` pointing at a Unix datagram socket this test reads, and `WATCHDOG_PID`
//! naming another process (as under cage). A healthy kiosk says `READY=1` and keeps sending
//! `WATCHDOG=1`; one whose screen loop or store hangs (a fault injected through
//! `MPP_KIOSK_TEST`, honoured by debug builds only) stops, and this test then does what systemd
//! does: kills it and starts it again. A kiosk whose program file is replaced by an upgrade
//! exits by itself once its welcome screen is idle.
//!
//! Needs Xvfb (`apt-get install xvfb`): .ci/run installs it, and with `CI` set a missing Xvfb
//! fails the tests; elsewhere they say they were skipped, so `cargo test` stays true on a
//! machine without it.

use crate::common;

use std::io::Write;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// What systemd would be told: `WatchdogSec=2s`.
const WATCHDOG: Duration = Duration::from_secs(2);
/// A debug build on a busy 2-core machine: room to draw the first frame.
const READY_WITHIN: Duration = Duration::from_secs(90);

/// An X server of our own on a free display, killed when dropped.
struct Display {
    child: Child,
    number: u32,
}

impl Display {
    /// A display, or `None` (the test is skipped) where Xvfb is not installed outside CI.
    fn start() -> Option<Self> {
        let installed = Command::new("Xvfb")
            .arg("-help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        if !installed {
            assert!(
                std::env::var_os("CI").is_none(),
                "Xvfb is missing: apt-get install xvfb"
            );
            // Straight to the stream: the test harness keeps `eprintln!` of a passing test to
            // itself.
            let _ = writeln!(
                std::io::stderr(),
                "\n!!!!! SKIPPED: the watchdog test cannot run here: Xvfb is not installed (apt-get install xvfb) !!!!!\n"
            );
            return None;
        }
        Some(Self::on_free_number())
    }

    fn on_free_number() -> Self {
        // Tests of this binary run at once: each takes numbers of its own.
        static TAKEN: AtomicU32 = AtomicU32::new(0);
        let first = 200 + std::process::id() % 400;
        for _ in 0..50 {
            let number = first + TAKEN.fetch_add(1, Ordering::Relaxed);
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
            if socket.exists() || Path::new(&format!("/tmp/.X{number}-lock")).exists() {
                continue;
            }
            let child = Command::new("Xvfb")
                .arg(format!(":{number}"))
                .args(["-screen", "0", "1024x768x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            let mut child = match child {
                Ok(child) => child,
                Err(error) => panic!("cannot run Xvfb ({error}): apt-get install xvfb"),
            };
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if socket.exists() && child.try_wait().expect("wait").is_none() {
                    return Self { child, number };
                }
                if child.try_wait().expect("wait").is_some() {
                    break; // Display taken meanwhile: try the next.
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("no free X display for Xvfb");
    }

    fn name(&self) -> String {
        format!(":{}", self.number)
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the kiosk's notifications arrive.
struct NotifySocket {
    socket: UnixDatagram,
    path: PathBuf,
}

impl NotifySocket {
    fn bind(folder: &Path) -> Self {
        let path = folder.join("notify.sock");
        let socket = UnixDatagram::bind(&path).expect("bind the notify socket");
        Self { socket, path }
    }

    /// The next message, if one comes before `deadline`.
    fn next(&self, deadline: Instant) -> Option<String> {
        let left = deadline.checked_duration_since(Instant::now())?;
        self.socket
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .expect("timeout");
        let mut buffer = [0u8; 4096];
        let length = self.socket.recv(&mut buffer).ok()?;
        Some(String::from_utf8_lossy(&buffer[..length]).into_owned())
    }

    /// Waits for a message containing `line`, returning every message seen until then.
    fn wait_for(&self, line: &str, within: Duration) -> Option<Vec<String>> {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        while let Some(message) = self.next(deadline) {
            let found = message.lines().any(|l| l == line);
            seen.push(message);
            if found {
                return Some(seen);
            }
        }
        None
    }

    /// The instants at which `WATCHDOG=1` arrived during `span`.
    fn feeds_during(&self, span: Duration) -> Vec<Instant> {
        let deadline = Instant::now() + span;
        let mut feeds = Vec::new();
        while let Some(message) = self.next(deadline) {
            if message.lines().any(|line| line == "WATCHDOG=1") {
                feeds.push(Instant::now());
            }
        }
        feeds
    }
}

/// What systemd gives the kiosk service here: an X display, the socket it notifies, and the
/// folder its files live in.
struct Service {
    display: Display,
    notify: NotifySocket,
    folder: tempfile::TempDir,
}

impl Service {
    /// The service's surroundings, or `None` (the test is skipped) where Xvfb is not installed
    /// outside CI.
    fn start() -> Option<Self> {
        let folder = tempfile::tempdir().expect("temp dir");
        let display = Display::start()?;
        let notify = NotifySocket::bind(folder.path());
        Some(Self {
            display,
            notify,
            folder,
        })
    }

    /// Starts the program at `binary` with `faults` (as `MPP_KIOSK_TEST` takes them), and
    /// insists it says `READY=1` and is still running.
    fn start_kiosk(&self, binary: &Path, faults: &str) -> Kiosk {
        let mut kiosk = Kiosk::start(binary, self, faults);
        kiosk.expect_ready(&self.notify);
        kiosk
    }

    /// Insists the watchdog is fed all along `span`: systemd would not kill `kiosk`.
    fn assert_fed_for(&self, span: Duration, kiosk: &Kiosk) {
        assert!(
            !starves(&self.notify, span),
            "the watchdog would have killed it:\n{}",
            kiosk.log()
        );
    }

    /// Insists the watchdog goes hungry within `within` (systemd would kill `kiosk`) after
    /// `what` hung.
    fn assert_starves_after(&self, what: &str, within: Duration, kiosk: &Kiosk) {
        assert!(
            starves(&self.notify, within),
            "still fed after {what} hung:\n{}",
            kiosk.log()
        );
    }
}

/// One kiosk screen process, killed when dropped, its log kept in its folder.
struct Kiosk {
    child: Child,
    log: PathBuf,
}

impl Kiosk {
    fn start(binary: &Path, service: &Service, faults: &str) -> Self {
        let folder = service.folder.path();
        let config = common::write_config(
            folder,
            "[ui]\nfullscreen = false\nwindow_width = 800\nwindow_height = 600\n",
        );
        // Each run in the folder its own log (a restarted kiosk beside the one it replaced).
        static RUNS: AtomicU32 = AtomicU32::new(0);
        let log = folder.join(format!(
            "kiosk-{}.log",
            RUNS.fetch_add(1, Ordering::Relaxed)
        ));
        let child = Command::new(binary)
            .arg("--config")
            .arg(config)
            .env("DISPLAY", service.display.name())
            .env_remove("WAYLAND_DISPLAY")
            .env("NOTIFY_SOCKET", &service.notify.path)
            .env("WATCHDOG_USEC", WATCHDOG.as_micros().to_string())
            // As under cage: the pid systemd watches is not the kiosk's.
            .env("WATCHDOG_PID", "1")
            .env("MPP_KIOSK_TEST", faults)
            .env("MPP_KIOSK_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start the kiosk");
        Self { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }

    fn expect_ready(&mut self, notify: &NotifySocket) {
        let seen = notify.wait_for("READY=1", READY_WITHIN);
        assert!(
            seen.is_some(),
            "no READY=1 within {READY_WITHIN:?}:\n{}",
            self.log()
        );
        assert!(self.running(), "exited after READY=1:\n{}", self.log());
    }

    /// Waits for the process to end, reading the socket meanwhile as systemd does (a full
    /// socket would block the kiosk's next message); returns the messages read too.
    fn wait_exit(
        &mut self,
        notify: &NotifySocket,
        within: Duration,
    ) -> (Option<ExitStatus>, Vec<String>) {
        let deadline = Instant::now() + within;
        let mut messages = Vec::new();
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return (Some(status), messages);
            }
            let slice = (Instant::now() + Duration::from_millis(50)).min(deadline);
            messages.extend(notify.next(slice));
        }
        (None, messages)
    }

    /// What systemd does when the watchdog fires (`WatchdogSignal=SIGABRT`, then SIGKILL).
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Kiosk {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The longest silence between `start`, the feeds and `end`.
fn longest_gap(start: Instant, feeds: &[Instant], end: Instant) -> Duration {
    let mut previous = start;
    let mut longest = Duration::ZERO;
    for &at in feeds.iter().chain([&end]) {
        longest = longest.max(at.saturating_duration_since(previous));
        previous = at;
    }
    longest
}

/// Feeds the watchdog as systemd would watch it: true when it went `WATCHDOG` without a feed
/// (the moment systemd kills the service) within `within`.
fn starves(notify: &NotifySocket, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    let mut last_feed = Instant::now();
    while Instant::now() < deadline {
        let wait_until = (last_feed + WATCHDOG).min(deadline);
        match notify.next(wait_until) {
            Some(message) if message.lines().any(|line| line == "WATCHDOG=1") => {
                last_feed = Instant::now();
            }
            Some(_) => {}
            None if Instant::now() >= last_feed + WATCHDOG => return true,
            None => {}
        }
    }
    false
}

/// The kiosk as installed in tests: the program cargo built.
fn built() -> &'static Path {
    Path::new(common::KIOSK_BINARY)
}

#[test]
fn a_healthy_kiosk_says_ready_and_keeps_feeding_the_watchdog() {
    let Some(service) = Service::start() else {
        return;
    };
    let mut kiosk = service.start_kiosk(built(), "");
    let start = Instant::now();
    let span = Duration::from_secs(8);
    let feeds = service.notify.feeds_during(span);
    let gap = longest_gap(start, &feeds, start + span);
    assert!(
        feeds.len() >= 8 && gap < WATCHDOG,
        "{} feeds in {span:?}, longest silence {gap:?}:\n{}",
        feeds.len(),
        kiosk.log()
    );
    assert!(kiosk.running(), "{}", kiosk.log());
    service.assert_fed_for(Duration::from_secs(4), &kiosk);
}

#[test]
fn a_hung_screen_stops_feeding_and_is_restarted() {
    let Some(service) = Service::start() else {
        return;
    };
    let mut hung = service.start_kiosk(built(), "hang-screen-after:4");
    service.assert_starves_after("the screen", Duration::from_secs(30), &hung);
    assert!(hung.running(), "the hung kiosk is still there, just silent");
    let log = hung.log();
    assert!(
        log.contains("the screen has not ticked") && log.contains("no longer feeding"),
        "{log}"
    );
    // systemd: the watchdog fired, kill and start again (this time without the fault).
    hung.kill();
    let restarted = service.start_kiosk(built(), "");
    service.assert_fed_for(Duration::from_secs(5), &restarted);
}

#[test]
fn a_hung_store_stops_feeding_while_the_screen_still_ticks() {
    let Some(service) = Service::start() else {
        return;
    };
    let kiosk = service.start_kiosk(built(), "hang-store-after:3");
    service.assert_starves_after("the store", Duration::from_secs(30), &kiosk);
    let log = kiosk.log();
    assert!(log.contains("the database has not answered"), "{log}");
}

#[test]
fn a_replaced_program_exits_once_the_welcome_screen_is_idle() {
    let Some(service) = Service::start() else {
        return;
    };
    let folder = service.folder.path();
    // The program at a path of our own, as /usr/bin/mpp-kiosk is dpkg's.
    let installed = folder.join("mpp-kiosk");
    if std::fs::hard_link(common::KIOSK_BINARY, &installed).is_err() {
        std::fs::copy(common::KIOSK_BINARY, &installed).expect("copy the kiosk");
    }
    let mut kiosk = service.start_kiosk(&installed, "restart-idle:2,restart-settle:1");
    let (status, _) = kiosk.wait_exit(&service.notify, Duration::from_secs(4));
    assert_eq!(status, None, "nothing changed yet: {}", kiosk.log());
    // What dpkg does: unpack beside, then rename over the running program.
    let unpacked = folder.join("mpp-kiosk.dpkg-new");
    std::fs::write(&unpacked, b"#!/bin/sh\nexit 0\n").expect("write");
    std::fs::rename(&unpacked, &installed).expect("rename over");
    let (status, messages) = kiosk.wait_exit(&service.notify, Duration::from_secs(30));
    let log = kiosk.log();
    assert!(
        status.is_some_and(|status| status.success()),
        "{status:?}:\n{log}"
    );
    assert!(log.contains("a new version is installed"), "{log}");
    assert!(
        messages
            .iter()
            .any(|message| message.contains("STATUS=restarting into the new version")),
        "{messages:?}"
    );
}
