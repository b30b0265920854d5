//! The business day and where numbers start, tried as the issue describes, through the real
//! command line (each command a new process: the kiosk restarted between steps): a clock that
//! ran ahead and came back, a rehearsal clock against real tickets, a database moved aside
//! mid-day with the server reachable and with it down. Never a (day, queue, number) twice.

use crate::common;

use std::path::PathBuf;
use std::process::{Command, Output};

use chrono::{TimeDelta, Utc};
use mpp_testkit::central::{KioskAccount, Server};

/// As `common::write_config` writes them.
const KIOSK: &str = "KIOSK-T";
const SIGNING_KEY: &str = "test-signing-key-0001";
const TOKEN: &str = "day-test-token-0001";

/// A kiosk's folder: its kiosk.toml (rewritten at will), database and numbers record.
struct Kiosk {
    folder: tempfile::TempDir,
    config: PathBuf,
}

impl Kiosk {
    /// A kiosk open around the clock (real-time tests run at any hour), syncing to `server`
    /// when given.
    fn new(server: Option<&str>) -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let kiosk = Self {
            config: folder.path().join("kiosk.toml"),
            folder,
        };
        kiosk.configure(server);
        kiosk
    }

    /// Rewrites kiosk.toml: sync with `server`, or none.
    fn configure(&self, server: Option<&str>) {
        let sync = server
            .map(|url| {
                format!("[sync]\nenabled = true\nserver_url = \"{url}\"\ntoken = \"{TOKEN}\"\n")
            })
            .unwrap_or_default();
        let written = common::write_config_open_all_day(self.folder.path(), &sync);
        assert_eq!(written, self.config);
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    /// Runs the kiosk at `now` (`None`: the real clock).
    fn run(&self, now: Option<&str>, args: &[&str]) -> Output {
        let mut command = Command::new(common::KIOSK_BINARY);
        command.arg("--config").arg(&self.config);
        if let Some(now) = now {
            command.args(["--now", now]);
        }
        command.args(args).output().expect("run mpp-kiosk")
    }

    fn ok(&self, now: Option<&str>, args: &[&str]) -> String {
        let output = self.run(now, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?} at {now:?}: {stderr}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Refused, with the error text.
    fn refused(&self, now: Option<&str>, args: &[&str]) -> String {
        let output = self.run(now, args);
        assert!(!output.status.success(), "{args:?} at {now:?} should fail");
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    /// Issues one ticket and returns `(number, business day)`.
    fn issue(&self, now: Option<&str>, priority: bool) -> (String, String) {
        let mut args = vec!["ticket", "issue", "--service", "DKC-KK"];
        if priority {
            args.push("--priority");
        }
        let said = self.ok(now, &args);
        let fields: Vec<&str> = said.split_whitespace().collect();
        (fields[0].to_owned(), fields[2].to_owned())
    }

    /// Issues a regular ticket, then a priority one: their `(number, business day)`.
    fn issue_in_both_lanes(&self, now: Option<&str>) -> [(String, String); 2] {
        [self.issue(now, false), self.issue(now, true)]
    }

    /// Moves the database aside as a technician would after damage (with its WAL files).
    fn move_database_aside(&self, suffix: &str) {
        for name in ["kiosk.db", "kiosk.db-wal", "kiosk.db-shm"] {
            let from = self.path(name);
            if from.exists() {
                std::fs::rename(&from, self.path(&format!("{name}.{suffix}"))).expect("move");
            }
        }
    }
}

fn pair(number: &str, day: &str) -> (String, String) {
    (number.to_owned(), day.to_owned())
}

#[test]
fn a_clock_that_ran_ahead_and_came_back_is_settled_without_reusing_a_number() {
    let kiosk = Kiosk::new(None);
    let first_of_december = "2026-12-01T02:00:00Z";
    assert_eq!(
        kiosk.issue(Some(first_of_december), false),
        pair("DKC-001", "2026-12-01")
    );
    // A bad NTP step: the clock says 23 December, and nothing can say otherwise.
    assert_eq!(
        kiosk.issue(Some("2026-12-23T02:00:00Z"), false),
        pair("DKC-001", "2026-12-23")
    );
    // The clock is corrected; the kiosk restarted. It cannot tell which day is right.
    let corrected = "2026-12-01T03:00:00Z";
    let refused = kiosk.refused(Some(corrected), &["ticket", "issue", "--service", "DKC-KK"]);
    common::assert_contains_all(
        &refused,
        &[
            "in doubt",
            "2026-12-23",
            "2026-12-01",
            "mpp-kiosk day settle",
        ],
    );
    let status = kiosk.run(Some(corrected), &["day", "status"]);
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(
        !status.status.success() && said.contains("IN DOUBT"),
        "{said}"
    );
    let doctor = kiosk.run(Some(corrected), &["doctor"]);
    let said = String::from_utf8_lossy(&doctor.stdout);
    assert!(
        said.contains("business day") && said.contains("in doubt"),
        "{said}"
    );

    let settled = kiosk.ok(Some(corrected), &["day", "settle"]);
    assert!(settled.contains("now goes on on 2026-12-01"), "{settled}");
    assert_eq!(
        kiosk.issue(Some("2026-12-01T03:01:00Z"), false),
        pair("DKC-002", "2026-12-01")
    );
    let status: serde_json::Value =
        serde_json::from_str(&kiosk.ok(Some("2026-12-01T03:02:00Z"), &["day", "status", "--json"]))
            .expect("status JSON");
    assert_eq!(
        status["latest_changes"][0]["action"], "day_settled",
        "{status}"
    );
    assert_eq!(status["business_day"], "2026-12-01", "{status}");
    // When 23 December really comes, its number 001 is already on a visitor's ticket.
    assert_eq!(
        kiosk.issue(Some("2026-12-23T02:00:00Z"), false),
        pair("DKC-002", "2026-12-23")
    );
    let settled_again = kiosk.ok(Some("2026-12-23T02:01:00Z"), &["day", "settle"]);
    assert!(
        settled_again.contains("nothing to settle"),
        "{settled_again}"
    );
}

#[test]
fn a_rehearsal_clock_never_writes_into_real_tickets_nor_the_other_way() {
    let real = Kiosk::new(None);
    real.issue(None, false);
    let refused = real.refused(
        Some("2026-12-23T02:00:00Z"),
        &["ticket", "issue", "--service", "DKC-KK"],
    );
    assert!(refused.contains("holds real tickets"), "{refused}");
    let listed = real.ok(None, &["ticket", "list"]);
    assert!(listed.starts_with("1 ticket(s)"), "{listed}");

    // Opened once on the real clock without a ticket (the demo outside opening hours): a
    // rehearsal may still use it, and then it is the rehearsal's.
    let rehearsal = Kiosk::new(None);
    rehearsal.ok(None, &["ticket", "list"]);
    rehearsal.issue(Some("2026-12-23T02:00:00Z"), false);
    let refused = rehearsal.refused(None, &["ticket", "issue", "--service", "DKC-KK"]);
    assert!(refused.contains("used for a rehearsal"), "{refused}");
}

#[test]
fn a_database_moved_aside_with_the_server_down_goes_on_after_the_record() {
    let kiosk = Kiosk::new(None);
    let morning = "2026-12-01T02:00:00Z";
    for _ in 0..3 {
        kiosk.issue(Some(morning), false);
    }
    assert_eq!(
        kiosk.issue(Some(morning), true),
        pair("DKC-P001", "2026-12-01")
    );
    assert!(kiosk.path("numbers-record.json").exists());
    // Damaged at 10:00: moved aside; the server is configured but down.
    kiosk.move_database_aside("damaged");
    let down = format!("http://127.0.0.1:{}", mpp_testkit::free_port());
    kiosk.configure(Some(&down));
    let later = "2026-12-01T03:00:00Z";
    assert_eq!(
        kiosk.issue_in_both_lanes(Some(later)),
        [
            pair("DKC-004", "2026-12-01"),
            pair("DKC-P002", "2026-12-01")
        ]
    );

    // Moved aside again, and this time the record is lost too: nothing can say where
    // today's numbers stand, so the technician is asked for the first number.
    kiosk.move_database_aside("again");
    std::fs::remove_file(kiosk.path("numbers-record.json")).expect("remove record");
    let refused = kiosk.refused(Some(later), &["ticket", "issue", "--service", "DKC-KK"]);
    assert!(refused.contains("mpp-kiosk day start-at"), "{refused}");
    let outside = kiosk.refused(Some(later), &["day", "start-at", "0"]);
    assert!(
        outside.contains("outside this kiosk's numbers"),
        "{outside}"
    );
    kiosk.ok(Some(later), &["day", "start-at", "10"]);
    assert_eq!(
        kiosk.issue_in_both_lanes(Some(later)),
        [
            pair("DKC-010", "2026-12-01"),
            pair("DKC-P010", "2026-12-01")
        ]
    );
}

fn central() -> Server {
    Server::builder()
        .kiosks([KioskAccount::new(KIOSK, TOKEN, SIGNING_KEY)])
        .start()
}

/// An instant as `--now` takes it.
fn text(instant: chrono::DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[test]
fn a_database_moved_aside_with_the_server_reachable_learns_its_numbers_from_it() {
    let central = central();
    let kiosk = Kiosk::new(Some(&central.url("")));
    let now = common::real_now();
    let today = mpp_core::day::TimeZone::JAKARTA
        .local(common::instant(&now))
        .date()
        .to_string();
    for _ in 0..3 {
        kiosk.issue(Some(&now), false);
    }
    kiosk.ok(Some(&now), &["sync", "now"]);
    kiosk.move_database_aside("damaged");
    std::fs::remove_file(kiosk.path("numbers-record.json")).expect("remove record");
    assert_eq!(kiosk.issue(Some(&now), false), pair("DKC-004", &today));
    let status: serde_json::Value =
        serde_json::from_str(&kiosk.ok(Some(&now), &["day", "status", "--json"])).expect("json");
    assert_eq!(status["numbering"], "server", "{status}");
}

#[test]
fn the_servers_clock_refuses_a_clock_far_ahead_and_brings_back_a_day_held_ahead() {
    let central = central();
    let kiosk = Kiosk::new(None);
    let real_now = Utc::now();
    let ahead = text(real_now + TimeDelta::days(22));
    let ahead_day = mpp_core::day::TimeZone::JAKARTA
        .local(real_now + TimeDelta::days(22))
        .date()
        .to_string();
    // Offline, the clock ran ahead and a ticket went on the wrong day.
    assert_eq!(
        kiosk.issue(Some(&ahead), false),
        pair("DKC-001", &ahead_day)
    );
    // Online again, still ahead: the server's clock says it is wrong.
    kiosk.configure(Some(&central.url("")));
    kiosk.ok(Some(&ahead), &["sync", "now"]);
    let refused = kiosk.refused(Some(&ahead), &["ticket", "issue", "--service", "DKC-KK"]);
    assert!(refused.contains("set the clock right"), "{refused}");
    // The fleet page says so too, although the kiosk's clock is far off the server's.
    let fleet = common::runtime(1).block_on(mpp_testkit::central::fleet(&central));
    assert!(
        fleet.contains(&format!("its clock says {ahead_day}")) && fleet.contains("day settle"),
        "{fleet}"
    );
    assert!(
        kiosk
            .refused(Some(&ahead), &["day", "settle"])
            .contains("cannot fix a wrong clock")
    );
    // The clock corrected: the server agrees with it, so the kiosk goes back by itself.
    let corrected = Utc::now();
    let now = text(corrected);
    kiosk.ok(Some(&now), &["sync", "now"]);
    let today = mpp_core::day::TimeZone::JAKARTA
        .local(corrected)
        .date()
        .to_string();
    assert_eq!(kiosk.issue(Some(&now), false), pair("DKC-001", &today));
    let status: serde_json::Value =
        serde_json::from_str(&kiosk.ok(Some(&now), &["day", "status", "--json"])).expect("json");
    assert_eq!(
        status["latest_changes"][0]["action"], "day_returned",
        "{status}"
    );
}
