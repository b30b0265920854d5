//! The span of days a dashboard shows, and the one it is compared with: a day with the same
//! weekday a week before, a week (Monday to Sunday) with the week before, a month with the
//! month before, any other span with as many days just before it.

use chrono::{Datelike, Months, NaiveDate, TimeDelta};

/// How the span was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Day,
    Week,
    Month,
    Range,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Day, Kind::Week, Kind::Month, Kind::Range];

    /// The word of the address (`period=week`).
    pub fn code(self) -> &'static str {
        match self {
            Kind::Day => "day",
            Kind::Week => "week",
            Kind::Month => "month",
            Kind::Range => "range",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// Its name on the page: Indonesian / English.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Day => "Hari / Day",
            Kind::Week => "Minggu / Week",
            Kind::Month => "Bulan / Month",
            Kind::Range => "Rentang / Range",
        }
    }
}

/// Days `from` to `to`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub kind: Kind,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Span {
    /// The day, week or month around `date` (a range is that one day).
    pub fn around(kind: Kind, date: NaiveDate) -> Span {
        let (from, to) = match kind {
            Kind::Day | Kind::Range => (date, date),
            Kind::Week => {
                let monday =
                    date - TimeDelta::days(i64::from(date.weekday().num_days_from_monday()));
                (monday, monday + TimeDelta::days(6))
            }
            Kind::Month => {
                let first = date.with_day(1).unwrap_or(date);
                let last = first + Months::new(1) - TimeDelta::days(1);
                (first, last)
            }
        };
        Span { kind, from, to }
    }

    /// How many days it covers.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The span it is compared with (see the module documentation).
    pub fn earlier(&self) -> Span {
        match self.kind {
            Kind::Day | Kind::Week => self.shifted(TimeDelta::days(7)),
            Kind::Month => Span::around(Kind::Month, self.from - Months::new(1)),
            Kind::Range => self.shifted(TimeDelta::days(self.days())),
        }
    }

    /// The next span of its kind (a range: as many days after it).
    pub fn later(&self) -> Span {
        match self.kind {
            Kind::Day => self.shifted(TimeDelta::days(-1)),
            Kind::Week => self.shifted(TimeDelta::days(-7)),
            Kind::Month => Span::around(Kind::Month, self.from + Months::new(1)),
            Kind::Range => self.shifted(TimeDelta::days(-self.days())),
        }
    }

    /// The span before of its kind (a day: the day before).
    pub fn previous(&self) -> Span {
        match self.kind {
            Kind::Day => self.shifted(TimeDelta::days(1)),
            _ => self.earlier(),
        }
    }

    fn shifted(&self, back: TimeDelta) -> Span {
        Span {
            kind: self.kind,
            from: self.from - back,
            to: self.to - back,
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// How a span is read from the tallies: its whole calendar months from the month sums (first
/// of the first month, last day of the last), the days before and after them from the day sums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub months: Option<(NaiveDate, NaiveDate)>,
    pub days: Vec<(NaiveDate, NaiveDate)>,
}

/// The cheapest reading of days `from` to `to` (see [`Reading`]).
pub fn reading(from: NaiveDate, to: NaiveDate) -> Reading {
    let first_whole = if from.day() == 1 {
        from
    } else {
        from.with_day(1).unwrap_or(from) + Months::new(1)
    };
    let after_to = to + TimeDelta::days(1);
    let end_whole = after_to.with_day(1).unwrap_or(after_to);
    if first_whole >= end_whole {
        return Reading {
            months: None,
            days: vec![(from, to)],
        };
    }
    let mut days = Vec::new();
    if from < first_whole {
        days.push((from, first_whole - TimeDelta::days(1)));
    }
    if end_whole <= to {
        days.push((end_whole, to));
    }
    Reading {
        months: Some((first_whole, end_whole - TimeDelta::days(1))),
        days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    #[test]
    fn each_span_is_compared_with_the_one_before_it() {
        // 2026-11-25 is a Wednesday.
        let today = Span::around(Kind::Day, day("2026-11-25"));
        assert_eq!(today.earlier().from, day("2026-11-18"), "the same weekday");
        assert_eq!(today.previous().from, day("2026-11-24"));
        assert_eq!(today.later().from, day("2026-11-26"));
        let week = Span::around(Kind::Week, day("2026-11-25"));
        assert_eq!((week.from, week.to), (day("2026-11-23"), day("2026-11-29")));
        assert_eq!(week.earlier().from, day("2026-11-16"));
        let month = Span::around(Kind::Month, day("2026-03-31"));
        assert_eq!(
            (month.from, month.to),
            (day("2026-03-01"), day("2026-03-31"))
        );
        let february = month.earlier();
        assert_eq!(
            (february.from, february.to),
            (day("2026-02-01"), day("2026-02-28"))
        );
        let range = Span {
            kind: Kind::Range,
            from: day("2026-01-10"),
            to: day("2026-01-19"),
        };
        assert_eq!(range.days(), 10);
        let before = range.earlier();
        assert_eq!(
            (before.from, before.to),
            (day("2025-12-31"), day("2026-01-09"))
        );
    }

    #[test]
    fn whole_months_are_read_from_the_month_sums_and_the_rest_by_day() {
        let within = reading(day("2026-11-03"), day("2026-11-20"));
        assert_eq!(within.months, None);
        assert_eq!(within.days, [(day("2026-11-03"), day("2026-11-20"))]);
        let year = reading(day("2025-11-23"), day("2026-11-22"));
        assert_eq!(year.months, Some((day("2025-12-01"), day("2026-10-31"))));
        assert_eq!(
            year.days,
            [
                (day("2025-11-23"), day("2025-11-30")),
                (day("2026-11-01"), day("2026-11-22"))
            ]
        );
        let march = reading(day("2026-03-01"), day("2026-03-31"));
        assert_eq!(march.months, Some((day("2026-03-01"), day("2026-03-31"))));
        assert!(march.days.is_empty());
    }
}
