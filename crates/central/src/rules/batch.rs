//! What makes a kiosk's pushed event or instant impossible on the server's clock, naming the
//! field: checked before anything is stored, so an event that is not plausible (or is another
//! kiosk's ticket, or names codes its catalog does not have) is refused alone, in the batch's
//! outcome.

use crate::rules::text::{Kind, control_problem};
use chrono::{DateTime, TimeDelta, Utc};

use mpp_core::catalog::Catalog;
use mpp_core::day::TimeZone;
use mpp_core::day::local_time;
use mpp_core::ids::KioskId;
use mpp_core::ids::plausible_ticket_id;
use mpp_core::protocol::TicketEvent;
use mpp_core::ticket::{LinkProblem, check_link};

/// How far a kiosk's clock may run ahead of the server's.
const MOST_AHEAD: TimeDelta = TimeDelta::days(2);

/// How old a pushed instant may be: a kiosk offline for a year still drains its outbox.
const MOST_BEHIND: TimeDelta = TimeDelta::days(400);

/// How many days a business day may be from the local date its ticket was issued on.
const MOST_DAYS_FROM_ISSUE: i64 = 1;

/// Why the event at `index` can never be stored, in words for the kiosk's technician.
pub(crate) fn event_problem(
    index: usize,
    event: &TicketEvent,
    kiosk: &KioskId,
    key: &[u8],
    now: DateTime<Utc>,
    zone: TimeZone,
) -> Option<String> {
    if event.ticket.kiosk != *kiosk {
        return Some(format!(
            "events[{index}].ticket.kiosk is {:?}: kiosk {kiosk} may only send its own tickets",
            event.ticket.kiosk
        ));
    }
    if !plausible_ticket_id(&event.ticket.id) {
        return Some(format!(
            "events[{index}].ticket.id must be 1–64 letters, digits, '-' or '_'"
        ));
    }
    text_problem(index, event)
        .or_else(|| link_problem(index, event, kiosk, key))
        .or_else(|| implausible_times(index, event, now, zone))
}

/// The longest text each of a pushed ticket's fields may hold, in characters: far above what
/// a kiosk writes (catalog codes are at most 24), far below what would bloat the database.
const TEXT_FIELDS: [(&str, usize); 6] = [
    ("number", 32),
    ("queue", 64),
    ("agency", 64),
    ("service", 64),
    ("qr_payload", 2048),
    ("reason", 1000),
];

/// A text field no database should hold: a NUL character (PostgreSQL refuses it, which would
/// fail the whole batch) or more characters than any kiosk writes.
fn text_problem(index: usize, event: &TicketEvent) -> Option<String> {
    let ticket = &event.ticket;
    let values = [
        ticket.number.as_str(),
        ticket.queue.as_str(),
        ticket.agency.as_str(),
        ticket.service.as_str(),
        ticket.qr_payload.as_str(),
        event.reason.as_deref().unwrap_or(""),
    ];
    TEXT_FIELDS
        .iter()
        .zip(values)
        .find_map(|(&(field, longest), value)| {
            let place = if field == "reason" {
                format!("events[{index}].reason")
            } else {
                format!("events[{index}].ticket.{field}")
            };
            let kind = if field == "reason" {
                Kind::Free
            } else {
                Kind::Code
            };
            if let Some(problem) = control_problem(value, kind) {
                Some(format!("field `{place}` {problem}"))
            } else if value.chars().count() > longest {
                Some(format!(
                    "field `{place}` is longer than {longest} characters"
                ))
            } else {
                None
            }
        })
}

/// Why the event at `index` names an agency, service or queue that `catalog` (its MPP's
/// published one) does not have, or a service with another agency or queue than the catalog
/// gives it, naming the field. Whether it stands is [`catalog_problem_stands`]'s to say.
pub(crate) fn catalog_problem(
    index: usize,
    event: &TicketEvent,
    mpp: &str,
    catalog: &Catalog,
) -> Option<String> {
    let ticket = &event.ticket;
    let place = |field: &str| format!("field `events[{index}].ticket.{field}`");
    let published = format!(
        "MPP {mpp}'s published catalog (version {})",
        catalog.version
    );
    if !catalog
        .agencies
        .iter()
        .any(|agency| agency.code == ticket.agency)
    {
        return Some(format!(
            "{} is {:?}: no such agency in {published}",
            place("agency"),
            ticket.agency.as_str()
        ));
    }
    let Some(service) = catalog.services.iter().find(|s| s.code == ticket.service) else {
        return Some(format!(
            "{} is {:?}: no such service in {published}",
            place("service"),
            ticket.service.as_str()
        ));
    };
    if service.agency != ticket.agency {
        return Some(format!(
            "{} is {:?}, a service of agency {} in {published}, not of {}",
            place("service"),
            ticket.service.as_str(),
            service.agency.as_str(),
            ticket.agency.as_str()
        ));
    }
    (service.queue != ticket.queue).then(|| {
        format!(
            "{} is {:?}: service {} joins queue {} in {published}",
            place("queue"),
            ticket.queue.as_str(),
            service.code.as_str(),
            service.queue.as_str()
        )
    })
}

/// Whether a [`catalog_problem`] refuses its event. Only the latest catalog is kept, and a
/// ticket may come from an earlier one (a service removed since): so the codes are held to the
/// published catalog only when the kiosk's last heartbeat said it runs that very version
/// (`reported`) — a kiosk still on an older catalog (offline when it changed, or on its
/// built-in one) or on a newer one (a server restored from a backup) sends what its own catalog
/// had — and never for a ticket the server already holds (`held`): it was taken when its catalog
/// was current, and its later events (voided, reprinted) must not be refused because the
/// service went since. With no catalog published nothing is checked (the caller's part).
pub(crate) fn catalog_problem_stands(published: u64, reported: Option<u64>, held: bool) -> bool {
    reported == Some(published) && !held
}

/// Why the ticket's QR link would not open its page: not the kiosk's link for this ticket, or
/// signed with another key than the one the server has for the kiosk (never shown).
fn link_problem(index: usize, event: &TicketEvent, kiosk: &KioskId, key: &[u8]) -> Option<String> {
    let ticket = &event.ticket;
    let problem = check_link(&ticket.qr_payload, kiosk, &ticket.id, key).err()?;
    let field = format!("events[{index}].ticket.qr_payload");
    Some(match problem {
        LinkProblem::NotThisTicketsLink => format!(
            "field `{field}` is not kiosk {kiosk}'s link for ticket {}: it must end in \
             /t/{kiosk}/{}?s=<signature> (check ticket.qr_base_url in kiosk.toml)",
            ticket.id, ticket.id
        ),
        LinkProblem::BadSignature => format!(
            "field `{field}` is not signed with kiosk {kiosk}'s signing_key in mpp-central.toml: \
             ticket.signing_key in the kiosk's kiosk.toml and that signing_key differ; make them \
             the same (the ticket's QR code would not open its page)"
        ),
    })
}

/// What makes an event's instants or business day impossible, naming the field.
fn implausible_times(
    index: usize,
    event: &TicketEvent,
    now: DateTime<Utc>,
    zone: TimeZone,
) -> Option<String> {
    let ticket = &event.ticket;
    let field = format!("events[{index}].ticket.issued_at");
    if let Some(problem) = implausible_instant(&field, ticket.issued_at, now)
        .or_else(|| implausible_instant(&format!("events[{index}].at"), event.at, now))
    {
        return Some(problem);
    }
    let issued_on = local_time(zone, ticket.issued_at).map(|local| local.date());
    let near = issued_on.is_some_and(|issued_on| {
        // Two dates always differ by a representable span: no overflow at chrono's edges.
        let apart = ticket.business_day.signed_duration_since(issued_on);
        apart.num_days().abs() <= MOST_DAYS_FROM_ISSUE
    });
    (!near).then(|| {
        format!(
            "field `events[{index}].ticket.business_day` is {}, more than {MOST_DAYS_FROM_ISSUE} \
             day from the local date of its issued_at",
            ticket.business_day
        )
    })
}

/// Why an instant is implausibly far from the server's clock `now`, naming `field`: a broken
/// kiosk clock or a forged request, and near chrono's limits not even a date to show.
pub(crate) fn implausible_instant(
    field: &str,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<String> {
    // Any two instants differ by a representable span: no overflow at chrono's edges.
    let ahead = at.signed_duration_since(now);
    let (limit, direction) = if ahead > MOST_AHEAD {
        (MOST_AHEAD, "ahead of")
    } else if ahead < -MOST_BEHIND {
        (MOST_BEHIND, "behind")
    } else {
        return None;
    };
    Some(format!(
        "field `{field}` is {at}, more than {} days {direction} the server's clock ({now}): \
         check the kiosk's clock",
        limit.num_days()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpp_core::catalog_json;
    use mpp_core::numbering::Lane;
    use mpp_core::ticket::{Ticket, TicketStatus};

    const SMALL: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testkit/fixtures/small-catalog.json"
    ));

    fn event(agency: &str, service: &str, queue: &str) -> TicketEvent {
        let at: DateTime<Utc> = "2026-11-23T02:00:00Z".parse().expect("instant");
        TicketEvent {
            event_id: 1,
            status: TicketStatus::Printed,
            reason: None,
            at,
            ticket: Ticket {
                id: "t1".into(),
                number: "DKC-001".into(),
                queue: queue.into(),
                lane: Lane::Regular,
                sequence: 1,
                agency: agency.into(),
                service: service.into(),
                kiosk: "K1".into(),
                business_day: at.date_naive(),
                issued_at: at,
                people_ahead: None,
                expected_wait: None,
                status: TicketStatus::Printed,
                print_count: 1,
                qr_payload: String::new(),
            },
        }
    }

    #[test]
    fn codes_not_in_the_catalog_are_named_by_field() {
        let catalog = catalog_json::parse(SMALL, "small").expect("valid");
        let problem = |agency, service, queue| {
            catalog_problem(3, &event(agency, service, queue), "kudus", &catalog)
        };
        assert_eq!(problem("DUKCAPIL", "DKC-KK", "DKC"), None);
        let field = |problem: Option<String>| {
            let problem = problem.expect("a problem");
            assert!(problem.contains("kudus's published catalog"), "{problem}");
            problem
                .split('`')
                .nth(1)
                .map(str::to_owned)
                .expect("a field")
        };
        assert_eq!(
            field(problem("NOPE", "DKC-KK", "DKC")),
            "events[3].ticket.agency"
        );
        assert_eq!(
            field(problem("DUKCAPIL", "DKC-NOPE", "DKC")),
            "events[3].ticket.service"
        );
        assert_eq!(
            field(problem("POLRES", "DKC-KK", "DKC")),
            "events[3].ticket.service",
        );
        assert_eq!(
            field(problem("DUKCAPIL", "DKC-KK", "KTP")),
            "events[3].ticket.queue"
        );
    }

    #[test]
    fn codes_are_held_to_the_catalog_the_kiosk_runs_and_never_for_a_ticket_held() {
        assert!(catalog_problem_stands(7, Some(7), false));
        assert!(!catalog_problem_stands(7, Some(7), true), "held already");
        assert!(
            !catalog_problem_stands(7, Some(6), false),
            "an older catalog"
        );
        assert!(!catalog_problem_stands(7, Some(8), false), "a newer one");
        assert!(!catalog_problem_stands(7, None, false), "never said");
    }
}
