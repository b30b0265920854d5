//! Local time in Indonesia and the business day a ticket belongs to.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};

/// Indonesia's three time zones. None observes daylight saving, so a fixed offset is exact and
/// the kiosk needs no time-zone database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeZone {
    name: &'static str,
    abbreviation: &'static str,
    hours_east: i32,
}

/// IANA names accepted in `kiosk.toml`, with Indonesia's own abbreviations.
const ZONES: [TimeZone; 5] = [
    TimeZone::new("Asia/Jakarta", "WIB", 7),
    TimeZone::new("Asia/Pontianak", "WIB", 7),
    TimeZone::new("Asia/Makassar", "WITA", 8),
    TimeZone::new("Asia/Jayapura", "WIT", 9),
    TimeZone::new("UTC", "UTC", 0),
];

impl TimeZone {
    const fn new(name: &'static str, abbreviation: &'static str, hours_east: i32) -> Self {
        Self {
            name,
            abbreviation,
            hours_east,
        }
    }

    pub const JAKARTA: TimeZone = ZONES[0];

    pub fn name(self) -> &'static str {
        self.name
    }

    /// WIB, WITA or WIT, as printed on tickets.
    pub fn abbreviation(self) -> &'static str {
        self.abbreviation
    }

    pub fn offset(self) -> FixedOffset {
        FixedOffset::east_opt(self.hours_east * 3600).expect("offsets in ZONES are valid")
    }

    /// `instant` on the wall clocks of this zone. Panics past the last (or before the first)
    /// date chrono can hold; [`local_time`] says `None` there instead.
    pub fn local(self, instant: DateTime<Utc>) -> NaiveDateTime {
        instant.with_timezone(&self.offset()).naive_local()
    }

    pub fn known_names() -> impl Iterator<Item = &'static str> {
        ZONES.iter().map(|zone| zone.name)
    }
}

impl Default for TimeZone {
    fn default() -> Self {
        Self::JAKARTA
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}; use one of: {known}", known = TimeZone::known_names().collect::<Vec<_>>().join(", "))]
pub struct UnknownTimeZone(pub String);

impl FromStr for TimeZone {
    type Err = UnknownTimeZone;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        ZONES
            .into_iter()
            .find(|zone| zone.name == name)
            .ok_or_else(|| UnknownTimeZone(name.to_owned()))
    }
}

/// `instant` on the wall clocks of `zone`; `None` where the offset would carry it past the
/// last (or before the first) date chrono can hold (an instant read from outside, such as a
/// ticket's on a page).
pub fn local_time(zone: TimeZone, instant: DateTime<Utc>) -> Option<NaiveDateTime> {
    instant.naive_utc().checked_add_offset(zone.offset())
}

/// The business day at local time `local`, given the latest business day already used.
///
/// The day never goes backwards: if the clock is set back across midnight (a dead RTC battery,
/// a bad NTP answer), numbering stays on the later day instead of restarting at 1 and
/// printing numbers that were already handed out.
pub fn business_day(local: NaiveDateTime, latest_used: Option<NaiveDate>) -> NaiveDate {
    let today = local.date();
    match latest_used {
        Some(latest) if latest > today => latest,
        _ => today,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().expect("RFC 3339 instant")
    }

    #[test]
    fn midnight_in_jakarta_is_five_pm_utc() {
        let zone = TimeZone::JAKARTA;
        let before = zone.local(utc("2026-11-23T16:59:59Z"));
        let after = zone.local(utc("2026-11-23T17:00:00Z"));
        assert_eq!(business_day(before, None).to_string(), "2026-11-23");
        assert_eq!(business_day(after, None).to_string(), "2026-11-24");
    }

    #[test]
    fn eastern_zones_turn_the_day_earlier() {
        let instant = utc("2026-11-23T15:30:00Z");
        let day = |name: &str| {
            let zone: TimeZone = name.parse().expect("zone");
            business_day(zone.local(instant), None).to_string()
        };
        assert_eq!(day("Asia/Jakarta"), "2026-11-23");
        assert_eq!(day("Asia/Jayapura"), "2026-11-24");
    }

    #[test]
    fn the_day_never_goes_backwards() {
        let local = TimeZone::JAKARTA.local(utc("2026-11-23T03:00:00Z"));
        let later: NaiveDate = "2026-11-24".parse().expect("date");
        assert_eq!(business_day(local, Some(later)), later);
        let earlier: NaiveDate = "2026-11-20".parse().expect("date");
        assert_eq!(business_day(local, Some(earlier)).to_string(), "2026-11-23");
    }

    #[test]
    fn local_time_is_checked_at_the_edges_of_chrono() {
        for name in ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"] {
            let zone: TimeZone = name.parse().expect("a known zone");
            assert_eq!(local_time(zone, DateTime::<Utc>::MAX_UTC), None);
            let edge = DateTime::<Utc>::MAX_UTC - chrono::TimeDelta::hours(9);
            assert!(local_time(zone, edge).is_some());
            // West of UTC would underflow at the other edge; Indonesia is east of it.
            assert!(local_time(zone, DateTime::<Utc>::MIN_UTC).is_some());
        }
        let utc_zone: TimeZone = "UTC".parse().expect("a known zone");
        assert!(local_time(utc_zone, DateTime::<Utc>::MAX_UTC).is_some());
        let morning = utc("2026-11-23T02:05:00Z");
        let local = local_time(TimeZone::JAKARTA, morning).expect("in range");
        assert_eq!(local.to_string(), "2026-11-23 09:05:00");
        assert_eq!(
            local,
            TimeZone::JAKARTA.local(morning),
            "the same as local inside the range"
        );
    }

    #[test]
    fn unknown_zone_names_the_known_ones() {
        let error = "Europe/Paris".parse::<TimeZone>().expect_err("refused");
        assert!(error.to_string().contains("Asia/Makassar"));
    }
}
