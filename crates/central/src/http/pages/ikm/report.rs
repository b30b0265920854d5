//! The IKM report itself: its filter (the query of its address), and the index with its
//! breakdowns per agency, service and counter, computed from the stored responses.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::http::state::AppState;
use crate::model::survey::SurveyRow;
use crate::published::Snapshot;
use mpp_core::lang::Language;
use mpp_core::survey::index::Tally;
use mpp_core::url::encoded;

/// The longest period a report covers: a year and a bit, so one request stays small.
pub const LONGEST_PERIOD_DAYS: i64 = 400;

/// What a report is about (the query of its address).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub mpp: String,
    pub mpp_name: String,
    /// Every MPP of the server (id, name), to move between their reports.
    pub mpps: Vec<(String, String)>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub agency: Option<String>,
    pub service: Option<String>,
    pub counter: Option<String>,
}

impl Filter {
    /// The filter in `params`, with the defaults filled in; what is wrong, naming the key.
    pub fn read(state: &AppState, params: &HashMap<String, String>) -> Result<Self, String> {
        let given = |key: &str| {
            params
                .get(key)
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };
        let mpps = state.config.mpps();
        let mpp = match given("mpp") {
            None => &mpps[0],
            Some(id) => state
                .config
                .mpp(&id)
                .ok_or_else(|| format!("mpp: no MPP {id:?} is served here"))?,
        };
        let today = state.today(mpp);
        let day = |key: &str, default: NaiveDate| match given(key) {
            None => Ok(default),
            Some(text) => text.parse::<NaiveDate>().map_err(|_| {
                format!("{key}: {text:?} is not a date; write it as YYYY-MM-DD, e.g. {today}")
            }),
        };
        let from = day("from", today.with_day(1).unwrap_or(today))?;
        let to = day("to", today)?;
        if from > to {
            return Err(format!("from ({from}) is after to ({to})"));
        }
        if (to - from).num_days() >= LONGEST_PERIOD_DAYS {
            return Err(format!(
                "the period {from} to {to} is longer than {LONGEST_PERIOD_DAYS} days: ask for less"
            ));
        }
        Ok(Self {
            mpp: mpp.id.clone(),
            mpp_name: mpp.name.clone(),
            mpps: mpps
                .iter()
                .map(|mpp| (mpp.id.clone(), mpp.name.clone()))
                .collect(),
            from,
            to,
            agency: given("agency"),
            service: given("service"),
            counter: given("counter"),
        })
    }

    /// Whether `row` is one of this filter's (its period is already the query's).
    pub fn takes(&self, row: &SurveyRow) -> bool {
        let matches = |wanted: &Option<String>, value: Option<&str>| {
            wanted.as_deref().is_none_or(|wanted| Some(wanted) == value)
        };
        matches(&self.agency, Some(&row.agency))
            && matches(&self.service, Some(&row.service))
            && matches(&self.counter, row.counter.as_deref())
    }

    /// The query that asks for this report again (for the CSV link).
    pub fn query(&self) -> String {
        let mut pairs = vec![
            ("mpp", self.mpp.clone()),
            ("from", self.from.to_string()),
            ("to", self.to.to_string()),
        ];
        for (key, value) in [
            ("agency", &self.agency),
            ("service", &self.service),
            ("counter", &self.counter),
        ] {
            if let Some(value) = value {
                pairs.push((key, value.clone()));
            }
        }
        pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", encoded(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One line of a breakdown: an agency, a service or a counter, and its tally.
pub struct Group {
    pub key: String,
    pub name: String,
    pub tally: Tally,
}

/// The report's figures: the responses the filter takes, their tally, and the breakdowns.
pub struct Report {
    pub filter: Filter,
    pub rows: Vec<SurveyRow>,
    pub tally: Tally,
    pub agencies: Vec<Group>,
    pub services: Vec<Group>,
    pub counters: Vec<Group>,
}

impl Report {
    /// The figures over `rows` (the MPP's responses of the period), named from `catalog`.
    pub fn new(filter: Filter, rows: Vec<SurveyRow>, catalog: &Snapshot) -> Self {
        let rows: Vec<SurveyRow> = rows.into_iter().filter(|row| filter.takes(row)).collect();
        let tally: Tally = rows.iter().map(|row| &row.answers).collect();
        let catalog = catalog.served.as_ref().map(|served| &*served.catalog);
        let agency_name = |code: &str| {
            catalog
                .and_then(|catalog| catalog.agency(code))
                .map_or_else(|| code.to_owned(), |agency| named(&agency.name))
        };
        let service_name = |code: &str| {
            catalog
                .and_then(|catalog| catalog.service(code))
                .map_or_else(|| code.to_owned(), |service| named(&service.name))
        };
        let agencies = groups(&rows, |row| Some(&row.agency), agency_name);
        let services = groups(&rows, |row| Some(&row.service), service_name);
        let counters = groups(&rows, |row| row.counter.as_ref(), str::to_owned);
        Self {
            filter,
            rows,
            tally,
            agencies,
            services,
            counters,
        }
    }

    /// The name of the service `code`, as the breakdown writes it.
    pub fn service_name(&self, code: &str) -> String {
        self.services
            .iter()
            .find(|group| group.key == code)
            .map_or_else(|| code.to_owned(), |group| group.name.clone())
    }
}

/// `Indonesian / English` (once when the same).
fn named(name: &mpp_core::lang::Localized) -> String {
    let (id, en) = (name.get(Language::Indonesian), name.get(Language::English));
    if id == en {
        id.to_owned()
    } else {
        format!("{id} / {en}")
    }
}

/// A tally per value of `key` (rows without one left out), in the order of the keys.
fn groups(
    rows: &[SurveyRow],
    key: impl Fn(&SurveyRow) -> Option<&String>,
    name: impl Fn(&str) -> String,
) -> Vec<Group> {
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    for row in rows {
        if let Some(key) = key(row) {
            tallies.entry(key).or_default().add(&row.answers);
        }
    }
    tallies
        .into_iter()
        .map(|(key, tally)| Group {
            key: key.to_owned(),
            name: name(key),
            tally,
        })
        .collect()
}
