//! A service closed by staff for the rest of a business day (the officer is away, the agency's
//! own system is down): how such a closure weighs against the catalog's own schedule. The
//! notices it is closed with are `staff_notice`'s (re-exported here).

use chrono::NaiveDateTime;

use crate::catalog::{Catalog, Service};
use crate::schedule::{Availability, ClosedReason, Closure, availability, next_opening};
pub use crate::staff_notice::StaffNotice;

/// The service's availability at `now` (local time on the business day) when staff may have
/// closed it for the day. A day the catalog already closes (a holiday, no hours today, past the
/// cutoff) says so as before; any other moment of a day staff closed it is closed for the
/// notice, until the service's next opening day.
pub fn availability_today(
    catalog: &Catalog,
    service: &Service,
    now: NaiveDateTime,
    issued_today: u32,
    closed_by_staff: Option<StaffNotice>,
) -> Availability {
    let scheduled = availability(catalog, service, now, issued_today);
    let Some(notice) = closed_by_staff else {
        return scheduled;
    };
    if let Availability::Closed(Closure { reason, .. }) = &scheduled
        && closed_all_day(reason)
    {
        return scheduled;
    }
    Availability::Closed(Closure {
        reason: ClosedReason::ClosedByStaff(notice),
        reopens: next_opening(catalog, service, now.date()),
    })
}

/// Whether the catalog's own reason keeps the service shut for the rest of the day anyway.
fn closed_all_day(reason: &ClosedReason) -> bool {
    matches!(
        reason,
        ClosedReason::Holiday(_)
            | ClosedReason::ClosedDate
            | ClosedReason::NotOpenToday
            | ClosedReason::CutoffPassed
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, sample_catalog};

    fn decided(when: &str, notice: Option<StaffNotice>) -> Availability {
        let catalog = sample_catalog();
        let service = catalog.service("KTP-PRINT").expect("in the sample").clone();
        availability_today(&catalog, &service, at(when), 0, notice)
    }

    #[test]
    fn a_closure_by_staff_closes_an_open_service_until_its_next_day() {
        let open = decided("2026-11-23 10:00:00", None);
        assert!(open.is_open(), "{open:?}");
        let closed = decided("2026-11-23 10:00:00", Some(StaffNotice::OfficerAway));
        let Availability::Closed(closure) = closed else {
            panic!("still open: {closed:?}");
        };
        assert_eq!(
            closure.reason,
            ClosedReason::ClosedByStaff(StaffNotice::OfficerAway)
        );
        let reopens = closure.reopens.expect("a next day");
        assert!(reopens.date > at("2026-11-23 10:00:00").date());
    }

    #[test]
    fn before_opening_a_closure_by_staff_is_shown_but_after_the_cutoff_the_schedule_speaks() {
        let early = decided("2026-11-23 06:00:00", Some(StaffNotice::SystemDown));
        assert!(
            matches!(&early, Availability::Closed(c) if c.reason == ClosedReason::ClosedByStaff(StaffNotice::SystemDown)),
            "{early:?}"
        );
        let late = decided("2026-11-23 23:00:00", Some(StaffNotice::SystemDown));
        assert!(
            matches!(&late, Availability::Closed(c) if c.reason == ClosedReason::CutoffPassed),
            "{late:?}"
        );
    }
}
