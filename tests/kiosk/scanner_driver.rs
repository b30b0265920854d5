//! The ticket scanner's real driver (`mpp_station::scanner::Scanner`) against a simulated scan
//! engine on a real pseudo-terminal (`mpp_testkit::scanner_sim`): each line ending and none,
//! the same code twice, garbage and overlong lines dropped without losing the next code,
//! unplug and replug, a port missing at start. Every wait is on the driver's feed with a
//! generous deadline; nothing here measures speed.

use std::path::Path;
use std::time::{Duration, Instant};

use mpp_station::config::ScannerSettings;
use mpp_station::scanner::{MAX_SCAN_BYTES, Scan, Scanner, ScannerFeed, ScannerStatus};
use mpp_testkit::scanner_sim::{ScannerSim, Suffix};
use tokio::sync::watch;

/// Long enough for a loaded CI machine; a driver that works answers in milliseconds.
const DEADLINE: Duration = Duration::from_secs(20);
/// Much longer than the driver's quiet gap (100 ms): what a module with no suffix leaves
/// between two codes (a person moves the next ticket under the camera).
const BETWEEN_TICKETS: Duration = Duration::from_millis(600);

/// A ticket's QR link, as the kiosk prints it.
fn ticket_link(n: u32) -> String {
    format!("https://mpp.example.go.id/t/KIOSK-1/01JDQ7V3ZP8C1T0000000000{n:02}?s=3f9a1c0d7e2b4a65")
}

struct Rig {
    _folder: tempfile::TempDir,
    sim: ScannerSim,
    scanner: Scanner,
    feed: watch::Receiver<ScannerFeed>,
}

impl Rig {
    /// A scanner plugged in, the driver started and connected.
    fn connected() -> Rig {
        let rig = Rig::start(ScannerSim::start);
        rig.wait_connected();
        rig
    }

    /// The driver started with nothing at its port yet.
    fn unplugged() -> Rig {
        Rig::start(ScannerSim::unplugged)
    }

    fn start(sim: fn(&Path) -> ScannerSim) -> Rig {
        let folder = tempfile::tempdir().expect("temp dir");
        let sim = sim(&folder.path().join("kiosk-scanner"));
        let scanner = Scanner::start(&ScannerSettings {
            port: sim.device_path(),
            baud: 9600,
        });
        let feed = scanner.watch();
        Rig {
            _folder: folder,
            sim,
            scanner,
            feed,
        }
    }

    fn port(&self) -> String {
        self.sim.device_path().display().to_string()
    }

    /// Waits until the feed satisfies `done`; fails with what it last saw.
    fn wait(&self, what: &str, done: impl Fn(&ScannerFeed) -> bool) -> ScannerFeed {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let feed = self.feed.borrow().clone();
            if done(&feed) {
                return feed;
            }
            assert!(
                Instant::now() < deadline,
                "waited {DEADLINE:?} for {what}; the feed is {feed:?}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn wait_connected(&self) {
        self.wait("connected", |feed| feed.status == ScannerStatus::Connected);
    }

    /// Waits until the driver reports the port absent; the reason.
    fn wait_absent(&self) -> String {
        let feed = self.wait("absent", |feed| {
            matches!(feed.status, ScannerStatus::Absent { .. })
        });
        match feed.status {
            ScannerStatus::Absent { reason } => reason,
            _ => unreachable!("waited for it"),
        }
    }

    /// Waits until the latest code read is `text`; that scan.
    fn wait_scan(&self, text: &str) -> Scan {
        let feed = self.wait(&format!("a scan of {text:?}"), |feed| {
            feed.last.as_ref().is_some_and(|scan| scan.text == text)
        });
        feed.last.expect("waited for it")
    }
}

#[test]
fn each_line_ending_and_none_ends_a_code() {
    let rig = Rig::connected();
    let mut seq = 0;
    for (n, suffix) in (1..).zip(Suffix::ALL) {
        let link = ticket_link(n);
        rig.sim.scan(&link, suffix);
        seq += 1;
        assert_eq!(
            rig.wait_scan(&link).seq,
            seq,
            "{suffix:?}: one scan per code"
        );
    }
    // Two codes in one burst: only the ending tells them apart, not the quiet after them.
    for (n, suffix) in (10..).zip([Suffix::Cr, Suffix::CrLf, Suffix::Lf]) {
        let (first, second) = (ticket_link(n), ticket_link(n + 50));
        let mut burst = [first.as_bytes(), suffix.bytes()].concat();
        burst.extend_from_slice(&[second.as_bytes(), suffix.bytes()].concat());
        rig.sim.send_raw(&burst);
        seq += 2;
        assert_eq!(rig.wait_scan(&second).seq, seq, "{suffix:?}: two codes");
    }
}

#[test]
fn codes_without_a_suffix_are_told_apart_by_the_quiet_between_them() {
    let rig = Rig::connected();
    rig.sim.scan(&ticket_link(1), Suffix::None);
    assert_eq!(rig.wait_scan(&ticket_link(1)).seq, 1);
    std::thread::sleep(BETWEEN_TICKETS);
    rig.sim.scan(&ticket_link(2), Suffix::None);
    assert_eq!(rig.wait_scan(&ticket_link(2)).seq, 2);
}

#[test]
fn the_same_code_twice_is_two_scans() {
    let rig = Rig::connected();
    let link = ticket_link(7);
    rig.sim.scan(&link, Suffix::CrLf);
    assert_eq!(rig.wait_scan(&link).seq, 1);
    rig.sim.scan(&link, Suffix::CrLf);
    let again = rig.wait("the second scan", |feed| {
        feed.last.as_ref().is_some_and(|scan| scan.seq == 2)
    });
    assert_eq!(again.last.expect("a scan").text, link);
}

#[test]
fn garbage_is_dropped_and_the_next_code_read() {
    let rig = Rig::connected();
    rig.sim.send_raw(b"\xff\xfe\x80\x81 not text \xc3\x28\r\n");
    rig.sim.send_raw(b" \t\x02\r\n");
    rig.sim.scan(&ticket_link(3), Suffix::CrLf);
    let scan = rig.wait_scan(&ticket_link(3));
    assert_eq!(
        scan.seq, 1,
        "neither the bytes that are not text nor the blank line"
    );
}

#[test]
fn a_ten_kilobyte_line_is_dropped_and_the_next_code_read() {
    let rig = Rig::connected();
    let stuck = vec![b'x'; 10 * 1024];
    // No ending: it ends when the line goes quiet.
    rig.sim.send_raw(&stuck);
    std::thread::sleep(BETWEEN_TICKETS);
    rig.sim.scan(&ticket_link(4), Suffix::Cr);
    assert_eq!(rig.wait_scan(&ticket_link(4)).seq, 1);
    // With an ending right behind it, and the next code right behind that.
    let mut burst = stuck.clone();
    burst.extend_from_slice(b"\r\n");
    burst.extend_from_slice(ticket_link(5).as_bytes());
    burst.extend_from_slice(b"\r\n");
    rig.sim.send_raw(&burst);
    assert_eq!(rig.wait_scan(&ticket_link(5)).seq, 2);
    // The bound itself is a code.
    let longest = "y".repeat(MAX_SCAN_BYTES);
    rig.sim.scan(&longest, Suffix::Lf);
    assert_eq!(rig.wait_scan(&longest).seq, 3);
}

#[test]
fn unplugged_is_absent_naming_the_port_and_replugged_reads_again() {
    let rig = Rig::connected();
    rig.sim.scan(&ticket_link(1), Suffix::Cr);
    assert_eq!(rig.wait_scan(&ticket_link(1)).seq, 1);
    rig.sim.unplug();
    let reason = rig.wait_absent();
    assert!(reason.contains(&rig.port()), "{reason}");
    rig.sim.replug();
    rig.wait_connected();
    rig.sim.scan(&ticket_link(2), Suffix::Cr);
    assert_eq!(rig.wait_scan(&ticket_link(2)).seq, 2, "numbers go on");
}

#[test]
fn a_port_missing_at_start_is_absent_then_read_once_it_appears() {
    let rig = Rig::unplugged();
    let reason = rig.wait("the first try", |feed| {
        matches!(&feed.status, ScannerStatus::Absent { reason } if !reason.contains("not opened yet"))
    });
    let ScannerStatus::Absent { reason } = reason.status else {
        unreachable!("waited for it")
    };
    assert!(
        reason.contains(&rig.port()) && reason.contains("No such file"),
        "{reason}"
    );
    rig.sim.replug();
    rig.wait_connected();
    rig.sim.scan(&ticket_link(9), Suffix::Lf);
    assert_eq!(rig.wait_scan(&ticket_link(9)).seq, 1);
}

#[test]
fn dropping_the_scanner_stops_its_thread() {
    let rig = Rig::connected();
    let Rig { scanner, feed, .. } = rig;
    assert!(
        feed.has_changed().is_ok(),
        "the driver holds the feed's sender"
    );
    drop(scanner);
    // Joined: the thread, and with it the sender, is gone.
    assert!(feed.has_changed().is_err(), "the feed is closed");
}

#[test]
fn what_was_queued_before_the_port_opened_is_thrown_away() {
    let folder = tempfile::tempdir().expect("temp dir");
    let sim = ScannerSim::start(&folder.path().join("kiosk-scanner"));
    // Half a code and a whole one, waiting in the pty for whoever opens it next.
    sim.send_raw(b"https://mpp.example.go.id/t/KIOSK-1/01JD");
    sim.scan(&ticket_link(1), Suffix::CrLf);
    let scanner = Scanner::start(&ScannerSettings {
        port: sim.device_path(),
        baud: 9600,
    });
    let rig = Rig {
        feed: scanner.watch(),
        _folder: folder,
        sim,
        scanner,
    };
    rig.wait_connected();
    rig.sim.scan(&ticket_link(2), Suffix::CrLf);
    let scan = rig.wait_scan(&ticket_link(2));
    assert_eq!(scan.seq, 1, "the stale bytes were not read");
}
