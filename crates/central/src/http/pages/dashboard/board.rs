//! What a dashboard shows, read for one request: the MPP, the span and the one compared with,
//! both periods' figures from the per-day tallies, and the catalog's names.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::http::state::AppState;
use crate::model::survey::SurveyRow;
use crate::published::Snapshot;
use crate::rules::dashboard::daily::{DailyRow, Week, heat, monday_of, weeks};
use crate::rules::dashboard::figures::{Period, figures};
use crate::rules::dashboard::period::{Kind, Span};
use crate::storage::rollups::RollupReads;
use mpp_core::lang::{Language, Localized};
use mpp_core::survey::index::{Hundredths, Tally, Verdict};

/// The longest span a dashboard covers: a year and a bit.
pub const LONGEST_SPAN_DAYS: i64 = 400;

/// What a dashboard shows (see the module documentation).
pub struct Board {
    pub mpp: String,
    pub mpp_name: String,
    /// The MPPs the account reads (id, name), to move between their dashboards.
    pub mpps: Vec<(String, String)>,
    pub span: Span,
    pub earlier: Span,
    /// The MPP's business day now.
    pub today: NaiveDate,
    pub now: Period,
    pub before: Period,
    /// The satisfaction index of each period (regulation weight), `None` with too few
    /// respondents; and how many answered.
    pub ikm: [(Option<Hundredths>, u32); 2],
    /// The span's weeks (by Monday): visitors, and the IKM of the week's responses.
    pub weeks: BTreeMap<NaiveDate, (Week, Option<Hundredths>)>,
    /// Tickets issued per weekday (0 = Monday) and hour, in the MPP's time.
    pub heat: [[u64; 24]; 7],
    /// Queue code → (agency code, queue name), from the catalog.
    queues: HashMap<String, (String, String)>,
    /// Agency code → name.
    agencies: HashMap<String, String>,
}

impl Board {
    /// Whether the span holds today (the page then refreshes itself).
    pub fn live(&self) -> bool {
        self.span.contains(self.today)
    }

    /// The agency of `queue` ("?" when the catalog no longer has it).
    pub fn agency_of(&self, queue: &str) -> String {
        self.queues
            .get(queue)
            .map_or_else(|| "?".to_owned(), |(agency, _)| agency.clone())
    }

    pub fn agency_name(&self, code: &str) -> String {
        self.agencies
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }

    pub fn queue_name(&self, queue: &str) -> String {
        self.queues
            .get(queue)
            .map_or_else(|| queue.to_owned(), |(_, name)| name.clone())
    }
}

/// The span of the address: `period` (day, week, month, range) around `date`, or `from`–`to`
/// for a range; today's day by default. What is wrong, naming the key.
pub fn span_of(params: &HashMap<String, String>, today: NaiveDate) -> Result<Span, String> {
    let given = |key: &str| {
        params
            .get(key)
            .map(|value| value.trim())
            .filter(|value| !value.is_empty())
    };
    let day = |key: &str, default: NaiveDate| match given(key) {
        None => Ok(default),
        Some(text) => text.parse::<NaiveDate>().map_err(|_| {
            format!("{key}: {text:?} is not a date; write it as YYYY-MM-DD, e.g. {today}")
        }),
    };
    let kind = match given("period") {
        None => Kind::Day,
        Some(code) => Kind::from_code(code)
            .ok_or_else(|| format!("period: {code:?} is none of day, week, month, range"))?,
    };
    let span = match kind {
        Kind::Range => Span {
            kind,
            from: day("from", today)?,
            to: day("to", today)?,
        },
        _ => Span::around(kind, day("date", today)?),
    };
    if span.from > span.to {
        return Err(format!("from ({}) is after to ({})", span.from, span.to));
    }
    if span.days() > LONGEST_SPAN_DAYS {
        return Err(format!(
            "the period {} to {} is longer than {LONGEST_SPAN_DAYS} days: ask for less",
            span.from, span.to
        ));
    }
    Ok(span)
}

/// Reads `mpp`'s board for `span` (the caller checked the account reads it).
pub async fn read(
    state: &AppState,
    (mpp, span): (&crate::config::MppEntry, Span),
    mpps: Vec<(String, String)>,
) -> Result<Board, crate::http::extract::ApiFailure> {
    let earlier = span.earlier();
    let id = mpp.id.clone();
    let (now_rows, before_rows, daily, surveys, ikm_before) = state
        .read(move |storage| {
            let now = storage.period_rows(&id, span.from, span.to)?;
            let before = storage.period_rows(&id, earlier.from, earlier.to)?;
            let daily = storage.daily_rows(&id, span.from, span.to)?;
            let surveys = storage.survey_rows(&id, span.from, span.to)?;
            let ikm_before = ikm_of(&storage.survey_rows(&id, earlier.from, earlier.to)?);
            Ok((now, before, daily, surveys, ikm_before))
        })
        .await?;
    let hours_east = mpp.time_zone.offset().local_minus_utc() / 3600;
    let catalog = state.catalog(&mpp.id).await;
    let (queues, agencies) = names(&catalog);
    Ok(Board {
        mpp: mpp.id.clone(),
        mpp_name: mpp.name.clone(),
        mpps,
        span,
        earlier,
        today: state.today(mpp),
        now: figures(&now_rows, hours_east),
        before: figures(&before_rows, hours_east),
        ikm: [ikm_of(&surveys), ikm_before],
        weeks: weekly(&daily, &surveys),
        heat: heat(&daily, hours_east),
        queues,
        agencies,
    })
}

type Names = (HashMap<String, (String, String)>, HashMap<String, String>);

/// Queue and agency names from the catalog, in Indonesian.
fn names(catalog: &Snapshot) -> Names {
    let mut queues = HashMap::new();
    let mut agencies = HashMap::new();
    let Some(served) = &catalog.served else {
        return (queues, agencies);
    };
    for agency in &served.catalog.agencies {
        let code = agency.code.to_string();
        agencies.insert(code.clone(), named(&agency.name));
        for queue in &agency.queues {
            queues.insert(queue.prefix.to_string(), (code.clone(), named(&queue.name)));
        }
    }
    (queues, agencies)
}

fn named(name: &Localized) -> String {
    name.get(Language::Indonesian).to_owned()
}

/// The satisfaction index of these responses (the regulation's weight), `None` with too few;
/// and how many responded. The core computes it, as for the IKM report.
pub fn ikm_of(rows: &[SurveyRow]) -> (Option<Hundredths>, u32) {
    let tally: Tally = rows.iter().map(|row| &row.answers).collect();
    let index = match tally.verdict() {
        Verdict::Index { regulation, .. } => Some(regulation.value),
        Verdict::TooFew { .. } => None,
    };
    (index, tally.respondents())
}

/// Each week's visitors beside the IKM of its responses.
fn weekly(
    daily: &[DailyRow],
    surveys: &[SurveyRow],
) -> BTreeMap<NaiveDate, (Week, Option<Hundredths>)> {
    let mut answered: BTreeMap<NaiveDate, Vec<SurveyRow>> = BTreeMap::new();
    for row in surveys {
        answered
            .entry(monday_of(row.business_day))
            .or_default()
            .push(row.clone());
    }
    weeks(daily)
        .into_iter()
        .map(|(monday, week)| {
            let ikm = answered.get(&monday).and_then(|rows| ikm_of(rows).0);
            (monday, (week, ikm))
        })
        .collect()
}
