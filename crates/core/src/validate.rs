//! Checks the meaning of a catalog and reports every problem at once, so that whoever publishes
//! a catalog fixes it in one go. A catalog with any problem is never used.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use super::catalog::{Catalog, DayHours, WeeklySchedule};
use super::ids::{AgencyCode, QueueCode};
use super::lang::Localized;

/// One thing wrong with a catalog, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where, e.g. `services[12] DKC-KTP .queue`.
    pub place: String,
    pub what: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.what)
    }
}

/// Every problem found in a catalog.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the catalog has {} problem(s):", self.0.len())?;
        for problem in &self.0 {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

/// Collects problems while walking the catalog.
#[derive(Default)]
struct Report(Vec<Problem>);

impl Report {
    fn add(&mut self, place: impl Into<String>, what: impl Into<String>) {
        self.0.push(Problem {
            place: place.into(),
            what: what.into(),
        });
    }

    fn text(&mut self, place: &str, field: &str, text: &Localized) {
        if text.is_incomplete() {
            self.add(
                format!("{place}.{field}"),
                "needs both Indonesian (id) and English (en) text",
            );
        }
    }

    fn code(&mut self, place: &str, code: &str) {
        let valid = !code.is_empty()
            && code.len() <= 24
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            self.add(
                format!("{place}.code"),
                format!("{code:?} must be 1–24 characters of A–Z, 0–9 and '-'"),
            );
        }
    }

    /// The code of one item of a list (`what`: "agency"): well formed, and not one an earlier
    /// item has (`codes` holds theirs).
    fn unique_code<'a>(
        &mut self,
        place: &str,
        code: &'a str,
        codes: &mut HashSet<&'a str>,
        what: &str,
    ) {
        self.code(place, code);
        if !codes.insert(code) {
            self.add(place, format!("{what} code is used twice"));
        }
    }
}

/// A catalog that passed [`validate`]: the only kind a kiosk serves or a server publishes.
/// It can be read as a [`Catalog`]; to change one, take it apart and validate it again.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct ValidCatalog(Catalog);

impl ValidCatalog {
    pub fn new(catalog: Catalog) -> Result<Self, Problems> {
        validate(&catalog)?;
        Ok(Self(catalog))
    }

    pub fn into_inner(self) -> Catalog {
        self.0
    }
}

impl std::ops::Deref for ValidCatalog {
    type Target = Catalog;
    fn deref(&self) -> &Catalog {
        &self.0
    }
}

/// Every problem of `catalog`; outside the core, [`ValidCatalog::new`] is the way in.
pub(crate) fn validate(catalog: &Catalog) -> Result<(), Problems> {
    let mut report = Report::default();
    if catalog.version == 0 {
        report.add("version", "must be 1 or more");
    }
    check_holidays(catalog, &mut report);
    for (key, schedule) in &catalog.schedules {
        check_schedule(&format!("schedules.{key}"), schedule, &mut report);
    }
    let queue_owner = check_agencies(catalog, &mut report);
    check_services(catalog, &queue_owner, &mut report);
    check_agencies_have_services(catalog, &mut report);
    if report.0.is_empty() {
        Ok(())
    } else {
        Err(Problems(report.0))
    }
}

fn check_holidays(catalog: &Catalog, report: &mut Report) {
    let mut seen = HashSet::new();
    for (index, holiday) in catalog.holidays.iter().enumerate() {
        let place = format!("holidays[{index}] {}", holiday.date);
        if !seen.insert(holiday.date) {
            report.add(&place, "this date is listed twice");
        }
        report.text(&place, "name", &holiday.name);
    }
}

fn check_schedule(place: &str, schedule: &WeeklySchedule, report: &mut Report) {
    let mut open_days = 0;
    for (weekday, hours) in schedule.days() {
        if let Some(hours) = hours {
            open_days += 1;
            check_day(&format!("{place}.{}", weekday_key(weekday)), hours, report);
        }
    }
    if open_days == 0 {
        report.add(place, "is never open: give at least one weekday hours");
    }
}

fn weekday_key(weekday: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match weekday {
        Mon => "mon",
        Tue => "tue",
        Wed => "wed",
        Thu => "thu",
        Fri => "fri",
        Sat => "sat",
        Sun => "sun",
    }
}

fn check_day(place: &str, hours: &DayHours, report: &mut Report) {
    let times = [
        ("open", hours.open.is_valid(), hours.open),
        ("close", hours.close.is_valid_end(), hours.close),
        ("cutoff", hours.cutoff.is_valid_end(), hours.cutoff),
    ];
    let mut all_valid = true;
    for (name, valid, time) in times {
        if !valid {
            all_valid = false;
            report.add(
                format!("{place}.{name}"),
                format!("{time} is not a time of day"),
            );
        }
    }
    for (index, pause) in hours.breaks.iter().enumerate() {
        let break_place = format!("{place}.breaks[{index}]");
        report.text(&break_place, "name", &pause.name);
        for (name, time) in [("from", pause.from), ("to", pause.to)] {
            if !time.is_valid() {
                all_valid = false;
                report.add(
                    format!("{break_place}.{name}"),
                    format!("{time} is not a time of day"),
                );
            }
        }
    }
    if !all_valid {
        return;
    }
    if hours.open >= hours.close {
        report.add(
            place,
            format!("opens at {} but closes at {}", hours.open, hours.close),
        );
    }
    if hours.cutoff <= hours.open || hours.cutoff > hours.close {
        report.add(
            format!("{place}.cutoff"),
            format!(
                "{} must be after opening ({}) and no later than closing ({})",
                hours.cutoff, hours.open, hours.close
            ),
        );
    }
    let mut breaks: Vec<_> = hours.breaks.iter().enumerate().collect();
    breaks.sort_by_key(|(_, pause)| pause.from);
    for (index, pause) in &breaks {
        if pause.from >= pause.to || pause.from < hours.open || pause.to > hours.close {
            report.add(
                format!("{place}.breaks[{index}]"),
                format!(
                    "{}–{} must be a forward span inside opening hours {}–{}",
                    pause.from, pause.to, hours.open, hours.close
                ),
            );
        }
    }
    for pair in breaks.windows(2) {
        let ((first_index, first), (second_index, second)) = (&pair[0], &pair[1]);
        if second.from < first.to {
            report.add(
                format!("{place}.breaks[{second_index}]"),
                format!("overlaps breaks[{first_index}]"),
            );
        }
    }
}

/// Checks agencies and their queues; returns each queue prefix with its agency's code.
fn check_agencies(catalog: &Catalog, report: &mut Report) -> HashMap<QueueCode, AgencyCode> {
    let mut codes = HashSet::new();
    let mut queue_owner: HashMap<QueueCode, AgencyCode> = HashMap::new();
    let mut prefixes_folded: BTreeMap<String, AgencyCode> = BTreeMap::new();
    if catalog.agencies.is_empty() {
        report.add("agencies", "no agency is listed");
    }
    for (index, agency) in catalog.agencies.iter().enumerate() {
        let place = format!("agencies[{index}] {}", agency.code);
        report.unique_code(&place, &agency.code, &mut codes, "agency");
        report.text(&place, "name", &agency.name);
        report.text(&place, "location", &agency.location);
        if agency.short_name.trim().is_empty() {
            report.add(format!("{place}.short_name"), "is empty");
        }
        if !is_hex_colour(&agency.colour) {
            report.add(
                format!("{place}.colour"),
                format!("{:?} is not a colour written #RRGGBB", agency.colour),
            );
        }
        if agency.queues.is_empty() {
            report.add(&place, "has no queue");
        }
        for (queue_index, queue) in agency.queues.iter().enumerate() {
            let queue_place = format!("{place}.queues[{queue_index}] {}", queue.prefix);
            report.text(&queue_place, "name", &queue.name);
            if !is_valid_prefix(&queue.prefix) {
                report.add(
                    format!("{queue_place}.prefix"),
                    "must be 1–4 capital letters or digits, starting with a letter",
                );
            }
            let folded = queue.prefix.to_ascii_uppercase();
            if let Some(other) = prefixes_folded.insert(folded, agency.code.clone()) {
                report.add(
                    format!("{queue_place}.prefix"),
                    format!("clashes with a queue prefix of {other}: numbers would be ambiguous"),
                );
            }
            queue_owner.insert(queue.prefix.clone(), agency.code.clone());
        }
    }
    queue_owner
}

fn is_valid_prefix(prefix: &str) -> bool {
    let bytes = prefix.as_bytes();
    (1..=4).contains(&bytes.len())
        && bytes[0].is_ascii_uppercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn is_hex_colour(colour: &str) -> bool {
    colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn check_services(
    catalog: &Catalog,
    queue_owner: &HashMap<QueueCode, AgencyCode>,
    report: &mut Report,
) {
    let mut codes = HashSet::new();
    if catalog.services.is_empty() {
        report.add("services", "no service is listed");
    }
    for (index, service) in catalog.services.iter().enumerate() {
        let place = format!("services[{index}] {}", service.code);
        report.unique_code(&place, &service.code, &mut codes, "service");
        if catalog.agency(&service.agency).is_none() {
            report.add(
                format!("{place}.agency"),
                format!("no agency has the code {:?}", service.agency),
            );
        }
        match queue_owner.get(&service.queue) {
            None => report.add(
                format!("{place}.queue"),
                format!("no queue has the prefix {:?}", service.queue),
            ),
            Some(owner) if *owner != service.agency => report.add(
                format!("{place}.queue"),
                format!(
                    "queue {} belongs to {owner}, not {}",
                    service.queue, service.agency
                ),
            ),
            Some(_) => {}
        }
        if !catalog.schedules.contains_key(&service.schedule) {
            report.add(
                format!("{place}.schedule"),
                format!("no schedule is named {:?}", service.schedule),
            );
        }
        if service.daily_quota == Some(0) {
            report.add(
                format!("{place}.daily_quota"),
                "0 would never issue a number; leave it out for no quota",
            );
        }
        check_service_texts(&place, service, report);
    }
}

fn check_service_texts(place: &str, service: &super::catalog::Service, report: &mut Report) {
    report.text(place, "name", &service.name);
    report.text(place, "duration", &service.duration);
    report.text(place, "product", &service.product);
    report.text(place, "counter", &service.counter);
    if let Some(note) = &service.note {
        report.text(place, "note", note);
    }
    if let super::catalog::Fee::Varies { varies } = &service.fee {
        report.text(place, "fee.varies", varies);
    }
    if service.requirements.is_empty() {
        report.add(
            format!("{place}.requirements"),
            "lists nothing: say what to bring, even if only the KTP",
        );
    }
    for (index, text) in service.requirements.iter().enumerate() {
        report.text(place, &format!("requirements[{index}]"), text);
    }
    for (index, text) in service.procedure.iter().enumerate() {
        report.text(place, &format!("procedure[{index}]"), text);
    }
}

fn check_agencies_have_services(catalog: &Catalog, report: &mut Report) {
    for agency in &catalog.agencies {
        if catalog.services_of(&agency.code).next().is_none() {
            report.add(
                format!("agency {}", agency.code),
                "has no service: its tile would lead nowhere",
            );
        }
    }
}
