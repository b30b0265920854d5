//! The catalog: agencies, their queues and services, opening schedules and holidays.
//!
//! The same JSON shape is shipped in `assets/catalog.json` and served by the central server.
//! Deserialising only checks the shape; [`validate`](crate::validate) checks the meaning
//! and reports every problem at once. A catalog is used only once it has passed validation.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ids::{AgencyCode, QueueCode, ServiceCode};
use super::lang::Localized;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Moves forward with every published change; a kiosk never accepts an older one.
    pub version: u64,
    /// Public holidays and collective leave: the whole MPP is closed.
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    /// Named weekly schedules that services refer to.
    pub schedules: BTreeMap<String, WeeklySchedule>,
    pub agencies: Vec<Agency>,
    pub services: Vec<Service>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: Localized,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Stable identifier, e.g. `DUKCAPIL`.
    pub code: AgencyCode,
    pub name: Localized,
    /// Short name for tiles and tickets, e.g. `Dukcapil`.
    pub short_name: String,
    pub kind: AgencyKind,
    /// Tile colour as `#RRGGBB`.
    pub colour: String,
    /// Icon name from `assets/icons` (without extension).
    pub icon: String,
    /// Popular agencies are shown first.
    #[serde(default)]
    pub popular: bool,
    /// Where the agency's counters are in the building.
    pub location: Localized,
    pub queues: Vec<Queue>,
}

/// Who runs the agency: it decides grouping on screen, not behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// Regency/city government office (OPD).
    Local,
    /// National ("vertical") agency.
    Vertical,
    /// State- or region-owned company, bank, utility.
    Company,
}

/// A line of people waiting for the same counters. Its prefix starts every number it gives out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Queue {
    /// 1–4 capital letters or digits, starting with a letter; unique in the building.
    pub prefix: QueueCode,
    pub name: Localized,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Stable identifier, e.g. `DKC-KTP`.
    pub code: ServiceCode,
    /// Code of the agency that runs it.
    pub agency: AgencyCode,
    /// Prefix of the agency queue it joins.
    pub queue: QueueCode,
    pub name: Localized,
    pub requirements: Vec<Localized>,
    pub procedure: Vec<Localized>,
    /// Time to complete, as the service standard states it.
    pub duration: Localized,
    pub fee: Fee,
    /// What the visitor receives.
    pub product: Localized,
    /// Where to go once the number is called.
    pub counter: Localized,
    /// Key into [`Catalog::schedules`].
    pub schedule: String,
    /// Numbers per business day; absent means no quota.
    #[serde(default)]
    pub daily_quota: Option<u32>,
    /// Whether a priority number is offered (UU 25/2009 art. 29 groups).
    #[serde(default = "yes")]
    pub priority: bool,
    /// Extra notes such as "book first in M-Paspor".
    #[serde(default)]
    pub note: Option<Localized>,
}

fn yes() -> bool {
    true
}

/// What a service costs, in whole rupiah.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Fee {
    /// A fixed tariff; 0 is free and is said plainly.
    Fixed(u64),
    /// Depends on the case (vehicle tax, land tax): the text says on what.
    Varies { varies: Localized },
}

impl Fee {
    pub fn is_free(&self) -> bool {
        matches!(self, Fee::Fixed(0))
    }
}

/// Opening hours for each weekday; a missing day is closed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklySchedule {
    #[serde(default)]
    pub mon: Option<DayHours>,
    #[serde(default)]
    pub tue: Option<DayHours>,
    #[serde(default)]
    pub wed: Option<DayHours>,
    #[serde(default)]
    pub thu: Option<DayHours>,
    #[serde(default)]
    pub fri: Option<DayHours>,
    #[serde(default)]
    pub sat: Option<DayHours>,
    #[serde(default)]
    pub sun: Option<DayHours>,
    /// Dates this schedule is closed besides the MPP-wide holidays (agency leave, system outage).
    #[serde(default)]
    pub closed_dates: Vec<NaiveDate>,
}

impl WeeklySchedule {
    pub fn day(&self, weekday: chrono::Weekday) -> Option<&DayHours> {
        use chrono::Weekday::*;
        match weekday {
            Mon => self.mon.as_ref(),
            Tue => self.tue.as_ref(),
            Wed => self.wed.as_ref(),
            Thu => self.thu.as_ref(),
            Fri => self.fri.as_ref(),
            Sat => self.sat.as_ref(),
            Sun => self.sun.as_ref(),
        }
    }

    /// Every weekday with its hours, Monday first, for validation and display.
    pub fn days(&self) -> [(chrono::Weekday, Option<&DayHours>); 7] {
        use chrono::Weekday::*;
        [Mon, Tue, Wed, Thu, Fri, Sat, Sun].map(|day| (day, self.day(day)))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayHours {
    /// Counters open.
    pub open: ClockTime,
    /// Counters close.
    pub close: ClockTime,
    /// No new numbers from this time on, so the counters can serve everyone before closing.
    pub cutoff: ClockTime,
    #[serde(default)]
    pub breaks: Vec<Break>,
}

/// A pause during the day, such as the Friday prayer break: no numbers are issued.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Break {
    pub from: ClockTime,
    pub to: ClockTime,
    pub name: Localized,
}

/// A wall-clock time written `HH:MM`. Out-of-range values (`25:70`) are kept as written so that
/// validation can report them together with every other problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    pub hour: u8,
    pub minute: u8,
}

impl ClockTime {
    pub const fn new(hour: u8, minute: u8) -> Self {
        Self { hour, minute }
    }

    /// `24:00`: allowed as closing and cut-off time of a service that runs until midnight.
    pub const END_OF_DAY: ClockTime = ClockTime::new(24, 0);

    /// A time of day from 00:00 to 23:59.
    pub fn is_valid(self) -> bool {
        self.hour < 24 && self.minute < 60
    }

    /// A valid time of day, or the end of the day.
    pub fn is_valid_end(self) -> bool {
        self.is_valid() || self == Self::END_OF_DAY
    }

    pub fn minutes(self) -> u32 {
        u32::from(self.hour) * 60 + u32::from(self.minute)
    }

    pub fn of(time: NaiveTime) -> Self {
        // Seconds are dropped on purpose: 14:00:59 is still "14:00" for a cut-off at 14:00.
        Self::new(time.hour() as u8, time.minute() as u8)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_clock_time(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("time {text:?} is not written as HH:MM"))
        })
    }
}

fn parse_clock_time(text: &str) -> Option<ClockTime> {
    let (hour, minute) = text.split_once(':')?;
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hour) || !two_digits(minute) {
        return None;
    }
    Some(ClockTime::new(hour.parse().ok()?, minute.parse().ok()?))
}

impl Catalog {
    /// Parses the JSON shape only: [`crate::catalog_json::parse`] also validates, and is what serves.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    pub fn agency(&self, code: &str) -> Option<&Agency> {
        self.agencies.iter().find(|agency| agency.code == code)
    }

    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|service| service.code == code)
    }

    pub fn services_of<'a>(&'a self, agency: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        self.services
            .iter()
            .filter(move |service| service.agency == agency)
    }

    pub fn holiday(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays.iter().find(|holiday| holiday.date == date)
    }

    pub fn queue(&self, prefix: &str) -> Option<(&Agency, &Queue)> {
        self.agencies.iter().find_map(|agency| {
            agency
                .queues
                .iter()
                .find(|queue| queue.prefix == prefix)
                .map(|queue| (agency, queue))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_parse_only_hh_mm() {
        assert_eq!(parse_clock_time("07:30"), Some(ClockTime::new(7, 30)));
        assert_eq!(parse_clock_time("25:70"), Some(ClockTime::new(25, 70)));
        assert_eq!(parse_clock_time("7:30"), None);
        assert_eq!(parse_clock_time("07.30"), None);
        assert_eq!(parse_clock_time("0730"), None);
        assert!(!ClockTime::new(25, 70).is_valid());
        assert!(ClockTime::new(23, 59).is_valid());
        assert!(!ClockTime::END_OF_DAY.is_valid());
        assert!(ClockTime::END_OF_DAY.is_valid_end());
        assert!(!ClockTime::new(24, 1).is_valid_end());
    }

    #[test]
    fn fee_is_a_number_or_a_description() {
        let free: Fee = serde_json::from_str("0").expect("free");
        assert!(free.is_free());
        let skck: Fee = serde_json::from_str("30000").expect("fixed");
        assert_eq!(skck, Fee::Fixed(30000));
        let varies: Fee =
            serde_json::from_str(r#"{"varies":{"id":"Sesuai tagihan","en":"As billed"}}"#)
                .expect("varies");
        assert!(!varies.is_free());
    }
}
