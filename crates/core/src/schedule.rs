//! Whether a service gives out numbers at a given local moment, and if not, why and when again.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};

use super::catalog::{Catalog, ClockTime, Service};
use super::lang::Localized;

/// How far ahead to look for the next opening: a month covers Lebaran's collective leave.
const LOOKAHEAD_DAYS: u64 = 31;

#[derive(Clone, Debug, PartialEq)]
pub enum Availability {
    /// Numbers can be taken now.
    Open {
        /// Numbers still to be had today, when the service has a quota.
        quota_left: Option<u32>,
        /// The last moment a number can be taken today.
        cutoff: ClockTime,
    },
    Closed(Closure),
}

impl Availability {
    pub fn is_open(&self) -> bool {
        matches!(self, Availability::Open { .. })
    }
}

/// Why a service gives no number now and when it will again.
#[derive(Clone, Debug, PartialEq)]
pub struct Closure {
    pub reason: ClosedReason,
    /// `None` when nothing is open in the next month (the catalog needs attention).
    pub reopens: Option<Reopening>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ClosedReason {
    /// A public holiday or collective leave, with its name.
    Holiday(Localized),
    /// The agency closed this date on its own schedule.
    ClosedDate,
    /// The service does not open on this weekday.
    NotOpenToday,
    BeforeOpening,
    /// A break such as Friday prayers, with its name.
    OnBreak(Localized),
    /// Past the last time for new numbers.
    CutoffPassed,
    /// Today's quota is used up.
    QuotaFull,
    /// Staff closed it for the rest of the day, with the notice visitors read.
    ClosedByStaff(crate::staff_notice::StaffNotice),
}

/// The next moment numbers can be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reopening {
    pub date: NaiveDate,
    pub time: ClockTime,
}

/// Decides availability for `service` at `now` (local time on the business day), with
/// `issued_today` numbers of this service already given out today (voided ones excluded).
pub fn availability(
    catalog: &Catalog,
    service: &Service,
    now: NaiveDateTime,
    issued_today: u32,
) -> Availability {
    let today = now.date();
    let time = ClockTime::of(now.time());
    let closed = |reason, reopens| Availability::Closed(Closure { reason, reopens });
    let from_tomorrow = || next_opening(catalog, service, today);
    let Some(schedule) = catalog.schedules.get(&service.schedule) else {
        return closed(ClosedReason::NotOpenToday, None);
    };
    if let Some(holiday) = catalog.holiday(today) {
        return closed(ClosedReason::Holiday(holiday.name.clone()), from_tomorrow());
    }
    if schedule.closed_dates.contains(&today) {
        return closed(ClosedReason::ClosedDate, from_tomorrow());
    }
    let Some(hours) = schedule.day(today.weekday()) else {
        return closed(ClosedReason::NotOpenToday, from_tomorrow());
    };
    if time < hours.open {
        let reopens = Reopening {
            date: today,
            time: hours.open,
        };
        return closed(ClosedReason::BeforeOpening, Some(reopens));
    }
    if time >= hours.cutoff {
        return closed(ClosedReason::CutoffPassed, from_tomorrow());
    }
    if let Some(pause) = hours.breaks.iter().find(|b| b.from <= time && time < b.to) {
        let reopens = if pause.to < hours.cutoff {
            Some(Reopening {
                date: today,
                time: pause.to,
            })
        } else {
            from_tomorrow()
        };
        return closed(ClosedReason::OnBreak(pause.name.clone()), reopens);
    }
    match service.daily_quota {
        Some(quota) if issued_today >= quota => closed(ClosedReason::QuotaFull, from_tomorrow()),
        quota => Availability::Open {
            quota_left: quota.map(|quota| quota - issued_today),
            cutoff: hours.cutoff,
        },
    }
}

/// The first opening strictly after `day`.
pub fn next_opening(catalog: &Catalog, service: &Service, day: NaiveDate) -> Option<Reopening> {
    let schedule = catalog.schedules.get(&service.schedule)?;
    (1..=LOOKAHEAD_DAYS)
        .filter_map(|offset| day.checked_add_days(Days::new(offset)))
        .find_map(|date| {
            if catalog.holiday(date).is_some() || schedule.closed_dates.contains(&date) {
                return None;
            }
            let hours = schedule.day(date.weekday())?;
            Some(Reopening {
                date,
                time: hours.open,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, sample_catalog};

    fn service_availability(code: &str, when: &str, issued: u32) -> Availability {
        let catalog = sample_catalog();
        let service = catalog.service(code).expect("service in sample");
        availability(&catalog, service, at(when), issued)
    }

    fn reason(availability: Availability) -> (ClosedReason, Option<Reopening>) {
        match availability {
            Availability::Closed(closure) => (closure.reason, closure.reopens),
            open => panic!("expected closed, got {open:?}"),
        }
    }

    fn reopening(date: &str, hour: u8, minute: u8) -> Option<Reopening> {
        Some(Reopening {
            date: date.parse().expect("date"),
            time: ClockTime::new(hour, minute),
        })
    }

    // 2026-11-23 is a Monday; 2026-11-27 a Friday.
    #[test]
    fn open_during_hours_with_quota_left() {
        let open = service_availability("KTP-PRINT", "2026-11-23 09:00:00", 148);
        assert_eq!(
            open,
            Availability::Open {
                quota_left: Some(2),
                cutoff: ClockTime::new(14, 30)
            }
        );
    }

    #[test]
    fn a_closed_service_says_why_and_when_it_reopens() {
        // (local time, tickets issued so far, why, the day and time it reopens)
        let cases = [
            // Before opening: later the same day.
            (
                "2026-11-23 07:59:59",
                0,
                ClosedReason::BeforeOpening,
                "2026-11-23",
            ),
            // The cutoff is exclusive to the minute: the next day.
            (
                "2026-11-23 14:30:00",
                0,
                ClosedReason::CutoffPassed,
                "2026-11-24",
            ),
            // A Saturday (not in its schedule): Monday.
            (
                "2026-11-28 09:00:00",
                0,
                ClosedReason::NotOpenToday,
                "2026-11-30",
            ),
            // 2026-12-25 (Friday) is a holiday in the sample, the weekend follows: Monday.
            (
                "2026-12-24 15:00:00",
                0,
                ClosedReason::CutoffPassed,
                "2026-12-28",
            ),
            // The quota is full: tomorrow.
            (
                "2026-11-23 09:00:00",
                150,
                ClosedReason::QuotaFull,
                "2026-11-24",
            ),
        ];
        for (when, issued, why, reopens) in cases {
            let closed = reason(service_availability("KTP-PRINT", when, issued));
            assert_eq!(closed, (why, reopening(reopens, 8, 0)), "at {when}");
        }
    }

    #[test]
    fn friday_prayer_break_reopens_after_it() {
        assert!(service_availability("KTP-PRINT", "2026-11-27 11:29:00", 0).is_open());
        let (why, when) = reason(service_availability("KTP-PRINT", "2026-11-27 11:30:00", 0));
        assert!(matches!(why, ClosedReason::OnBreak(name) if name.id.contains("Jumat")));
        assert_eq!(when, reopening("2026-11-27", 13, 0));
        assert!(service_availability("KTP-PRINT", "2026-11-27 13:00:00", 0).is_open());
    }

    #[test]
    fn a_holiday_is_named() {
        let (why, _) = reason(service_availability("KTP-PRINT", "2026-12-25 09:00:00", 0));
        assert!(matches!(why, ClosedReason::Holiday(name) if name.en == "Christmas Day"));
    }

    #[test]
    fn open_up_to_the_cutoff_without_a_quota_and_on_its_own_days() {
        let cases = [
            // Up to the minute of the cutoff.
            ("KTP-PRINT", "2026-11-23 14:29:59", 0),
            // A service without quota never fills up.
            ("DKC-KK", "2026-11-23 09:00:00", 10_000),
            // The Saturday schedule opens on Saturday.
            ("SAM-PKB", "2026-11-28 09:00:00", 0),
        ];
        for (code, when, issued) in cases {
            let open = service_availability(code, when, issued);
            assert!(open.is_open(), "{code} at {when}: {open:?}");
        }
    }
}
