//! Which business day a ticket belongs to when the clocks disagree.
//!
//! The day never goes backwards by a small step (a clock set back across midnight must not
//! restart numbering at 1), but a day held far ahead of the clock is not trusted blindly: it
//! usually means the clock ran ahead once (a bad NTP step, an RTC reset) and pinned the
//! numbering in the future. The server's clock, when heard from recently, says which is right;
//! without it the kiosk issues nothing until a technician settles it.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::day::TimeZone;
use crate::protocol::DayDoubt;

/// How far the held day may run ahead of the clock's and still be kept silently: a clock set
/// back by minutes across midnight stays on the later day.
const HELD_AHEAD_TOLERANCE: TimeDelta = TimeDelta::days(1);
/// A sample of the server's clock older than this (on the kiosk's clock) says nothing: the
/// kiosk's clock may have jumped since.
pub const SERVER_SAMPLE_FRESHNESS: TimeDelta = TimeDelta::minutes(15);
/// A sample this far ahead of the kiosk's clock still counts: the kiosk's own reading at
/// the moment of the sample and a later one may differ by a tick (or a rehearsal's restart).
const SAMPLE_AHEAD_SLACK: TimeDelta = TimeDelta::minutes(1);
/// Clocks this close are taken to agree even when midnight falls between them.
const CLOCK_AGREEMENT: TimeDelta = TimeDelta::minutes(10);

/// The server's clock as last heard: what it said, and what the kiosk's clock said then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerSample {
    pub server_at: DateTime<Utc>,
    pub local_at: DateTime<Utc>,
}

impl ServerSample {
    /// The server's time now, if the sample is recent on the kiosk's own clock.
    pub fn server_now(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let age = now - self.local_at;
        let recent = age >= -SAMPLE_AHEAD_SLACK && age <= SERVER_SAMPLE_FRESHNESS;
        recent.then(|| now + (self.server_at - self.local_at))
    }
}

/// What the kiosk knows when it decides the business day of a ticket.
#[derive(Clone, Copy, Debug)]
pub struct DayEvidence {
    pub now: DateTime<Utc>,
    pub zone: TimeZone,
    /// The business day of the latest ticket (or the one a technician settled on).
    pub held_day: Option<NaiveDate>,
    pub server: Option<ServerSample>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayVerdict {
    /// Issue on this day.
    Serve(NaiveDate),
    /// The held day ran ahead and the server's clock agrees with the kiosk's: go back to the
    /// clock's day. Numbers already given on the held day stay taken for when it comes.
    Return { from: NaiveDate, to: NaiveDate },
    /// Nothing says which day is right: issue nothing until a technician settles it.
    Doubt(DayDoubt),
}

impl DayVerdict {
    /// The day to issue on, or `None` while in doubt.
    pub fn day(&self) -> Option<NaiveDate> {
        match self {
            DayVerdict::Serve(day) => Some(*day),
            DayVerdict::Return { to, .. } => Some(*to),
            DayVerdict::Doubt(_) => None,
        }
    }
}

/// Decides the business day from the kiosk's clock, the held day and the server's clock.
pub fn decide(evidence: &DayEvidence) -> DayVerdict {
    let clock_day = evidence.zone.local(evidence.now).date();
    let server_now = evidence
        .server
        .and_then(|sample| sample.server_now(evidence.now));
    let server_day = server_now.map(|at| evidence.zone.local(at).date());
    let doubt = |held_day: NaiveDate| {
        DayVerdict::Doubt(DayDoubt {
            held_day,
            clock_day,
            server_day,
        })
    };
    if let (Some(server_now), Some(server_day)) = (server_now, server_day) {
        let apart = (server_now - evidence.now).abs();
        if server_day != clock_day && apart > CLOCK_AGREEMENT {
            // The kiosk's clock is wrong by a day or more: every ticket would carry it.
            return doubt(evidence.held_day.unwrap_or(clock_day));
        }
    }
    match evidence.held_day {
        Some(held) if held > clock_day + HELD_AHEAD_TOLERANCE => match server_day {
            Some(_) => DayVerdict::Return {
                from: held,
                to: clock_day,
            },
            None => doubt(held),
        },
        Some(held) if held > clock_day => DayVerdict::Serve(held),
        _ => DayVerdict::Serve(clock_day),
    }
}

/// How the kiosk's clock stands against the server's, in words for a technician.
pub fn describe_offset(offset: TimeDelta) -> String {
    let minutes = offset.num_minutes();
    let (amount, unit) = match minutes.abs() {
        0 => return "agrees with the server's".into(),
        m if m < 120 => (m, "minute(s)"),
        m if m < 48 * 60 => (m / 60, "hour(s)"),
        m => (m / (24 * 60), "day(s)"),
    };
    let side = if minutes > 0 { "behind" } else { "ahead of" };
    format!("is {amount} {unit} {side} the server's")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(text: &str) -> DateTime<Utc> {
        text.parse().expect("RFC 3339 instant")
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    fn evidence(now: &str, held: Option<&str>, server: Option<&str>) -> DayEvidence {
        let now = instant(now);
        DayEvidence {
            now,
            zone: TimeZone::JAKARTA,
            held_day: held.map(day),
            server: server.map(|at| ServerSample {
                server_at: instant(at),
                local_at: now - TimeDelta::seconds(30),
            }),
        }
    }

    #[test]
    fn an_ordinary_morning_serves_the_clocks_day() {
        let verdict = decide(&evidence("2026-12-01T02:00:00Z", Some("2026-11-30"), None));
        assert_eq!(verdict, DayVerdict::Serve(day("2026-12-01")));
        let first = decide(&evidence("2026-12-01T02:00:00Z", None, None));
        assert_eq!(first.day(), Some(day("2026-12-01")));
    }

    #[test]
    fn a_clock_set_back_across_midnight_stays_on_the_later_day() {
        // 23:58 WIB on 1 December, after a ticket of 2 December.
        let verdict = decide(&evidence("2026-12-01T16:58:00Z", Some("2026-12-02"), None));
        assert_eq!(verdict, DayVerdict::Serve(day("2026-12-02")));
    }

    #[test]
    fn a_day_held_far_ahead_without_the_server_is_a_doubt() {
        let verdict = decide(&evidence("2026-12-01T02:00:00Z", Some("2026-12-23"), None));
        assert_eq!(
            verdict,
            DayVerdict::Doubt(DayDoubt {
                held_day: day("2026-12-23"),
                clock_day: day("2026-12-01"),
                server_day: None,
            })
        );
        assert_eq!(verdict.day(), None);
    }

    #[test]
    fn the_servers_clock_agreeing_with_the_kiosks_returns_to_the_clocks_day() {
        let verdict = decide(&evidence(
            "2026-12-01T02:00:00Z",
            Some("2026-12-23"),
            Some("2026-12-01T02:00:40Z"),
        ));
        assert_eq!(
            verdict,
            DayVerdict::Return {
                from: day("2026-12-23"),
                to: day("2026-12-01"),
            }
        );
    }

    #[test]
    fn a_clock_a_day_or_more_off_the_servers_is_a_doubt_even_with_no_ticket_yet() {
        // The clock ran ahead to 23 December; the server says 1 December.
        let verdict = decide(&evidence(
            "2026-12-23T02:00:00Z",
            Some("2026-12-01"),
            Some("2026-12-01T02:00:00Z"),
        ));
        let DayVerdict::Doubt(doubt) = verdict else {
            panic!("{verdict:?}");
        };
        assert_eq!(doubt.server_day, Some(day("2026-12-01")));
        assert_eq!(doubt.clock_day, day("2026-12-23"));
        let fresh = decide(&evidence(
            "2026-12-23T02:00:00Z",
            None,
            Some("2026-12-01T02:00:00Z"),
        ));
        assert!(matches!(fresh, DayVerdict::Doubt(_)), "{fresh:?}");
    }

    #[test]
    fn clocks_minutes_apart_around_midnight_agree() {
        // Kiosk 23:57 WIB, server 00:02 WIB the next day.
        let verdict = decide(&evidence(
            "2026-12-01T16:57:00Z",
            Some("2026-12-01"),
            Some("2026-12-01T17:02:00Z"),
        ));
        assert_eq!(verdict, DayVerdict::Serve(day("2026-12-01")));
    }

    #[test]
    fn an_old_or_future_sample_of_the_server_says_nothing() {
        let now = instant("2026-12-01T02:00:00Z");
        let sample = |local_at| ServerSample {
            server_at: instant("2026-12-01T02:00:00Z"),
            local_at,
        };
        assert!(
            sample(now - TimeDelta::minutes(20))
                .server_now(now)
                .is_none()
        );
        assert!(
            sample(now + TimeDelta::minutes(2))
                .server_now(now)
                .is_none()
        );
        let a_tick_ahead = sample(now + TimeDelta::seconds(1)).server_now(now);
        assert!(a_tick_ahead.is_some());
        let recent = sample(now - TimeDelta::minutes(1)).server_now(now);
        assert_eq!(recent, Some(now + TimeDelta::minutes(1)));
    }

    #[test]
    fn offsets_read_plainly() {
        assert_eq!(
            describe_offset(TimeDelta::zero()),
            "agrees with the server's"
        );
        assert_eq!(
            describe_offset(TimeDelta::days(-22)),
            "is 22 day(s) ahead of the server's"
        );
        assert_eq!(
            describe_offset(TimeDelta::minutes(5)),
            "is 5 minute(s) behind the server's"
        );
        assert_eq!(
            describe_offset(TimeDelta::hours(3)),
            "is 3 hour(s) behind the server's"
        );
    }
}
