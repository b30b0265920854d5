//! The JSON API v1 handlers: health, events, catalog, heartbeat, queues, numbers (kiosks) and
//! ticket reports (counters). Authentication comes first, then the body; every refused request
//! is an [`ApiError`](mpp_core::protocol::ApiError). Instants and business days a kiosk pushes
//! must be plausible on the server's clock, and a ticket's QR link must be the kiosk's own,
//! signed with its key: an event that is not (or is another kiosk's ticket) is refused alone,
//! in the batch's outcome, and never stored.

pub mod audit;
pub mod closures;
pub mod surveys;

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::Deserialize;

use crate::config::CounterEntry;
use crate::config::MAX_POINT_LEN;
use crate::http::auth::Counter;
use crate::http::auth::Kiosk;
use crate::http::auth::{FromKiosk, SentByKiosk};
use crate::http::extract::ApiFailure;
use crate::http::extract::ApiJson;
use crate::http::pages::ticket::local_time;
use crate::http::pages::ticket::plausible_id;
use crate::http::pages::ticket::plausible_kiosk;
use crate::http::state::AppState;
use crate::model::counter::CounterOutcome;
use crate::model::counter::Reporter;
use crate::model::refusal::RefusedEvent;
use crate::published::matches_etag;
use mpp_core::day::TimeZone;
use mpp_core::ids::{KioskId, QueueCode};
use mpp_core::protocol::{
    CounterReport, EventBatch, Heartbeat, NumbersUsed, QueueReport, Refusal, TicketEvent,
};
use mpp_core::ticket::{LinkProblem, check_link};

/// How far a kiosk's clock may run ahead of the server's.
const MOST_AHEAD: TimeDelta = TimeDelta::days(2);
/// How old a pushed instant may be: a kiosk offline for a year still drains its outbox.
const MOST_BEHIND: TimeDelta = TimeDelta::days(400);
/// How many days a business day may be from the local date its ticket was issued on.
const MOST_DAYS_FROM_ISSUE: i64 = 1;

/// `GET /api/v1/health`: 200 while the server runs; no authentication.
pub async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// `POST /api/v1/events`: 200 with the outcome, or 409 when some events conflicted. An event
/// that can never be right (another kiosk's ticket, an impossible instant) is refused alone,
/// with its reason in the outcome: it does not hold back the good events of its batch.
pub async fn events(
    State(state): State<AppState>,
    FromKiosk { kiosk, body: batch }: FromKiosk<EventBatch>,
) -> Result<Response, ApiFailure> {
    let now = state.now();
    let mpp = state.mpp_of(&kiosk)?;
    let (zone, mpp) = (mpp.time_zone, mpp.id.clone());
    // Every authenticated kiosk is configured with a key; an empty one would sign for anyone.
    let key = state
        .signing_key(&kiosk)
        .ok_or_else(|| ApiFailure::internal(&format!("kiosk {kiosk} has no signing key")))?;
    let (mut good, mut refused) = (Vec::new(), Vec::new());
    for (index, event) in batch.events.into_iter().enumerate() {
        match event_problem(index, &event, &kiosk, key, now, zone) {
            None => good.push(event),
            Some(reason) => refused.push(RefusedEvent {
                ticket_id: event.ticket.id.as_str().to_owned(),
                refusal: Refusal {
                    event_id: event.event_id,
                    reason,
                },
            }),
        }
    }
    let range = state.number_range(&kiosk);
    let outcome = state
        .storage(move |storage| storage.apply_batch(&mpp, &kiosk, range, &good, &refused, now))
        .await?;
    let status = if outcome.conflicts.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    Ok((status, Json(outcome)).into_response())
}

/// Why the event at `index` can never be stored, in words for the kiosk's technician.
fn event_problem(
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
    if !plausible_id(&event.ticket.id) {
        return Some(format!(
            "events[{index}].ticket.id must be 1–64 letters, digits, '-' or '_'"
        ));
    }
    link_problem(index, event, kiosk, key).or_else(|| implausible_times(index, event, now, zone))
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

/// `GET /api/v1/catalog`: the kiosk's MPP's published catalog with `ETag: "v<version>"`; 304
/// when the kiosk already has it, 503 when no valid catalog was ever published.
pub async fn catalog(
    State(state): State<AppState>,
    Kiosk(kiosk): Kiosk,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let mpp = state.mpp_of(&kiosk)?.id.clone();
    let snapshot = state.catalog(&mpp).await;
    let Some(served) = snapshot.served else {
        return Err(ApiFailure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "no valid catalog is published yet: {}",
                snapshot
                    .problem
                    .as_deref()
                    .unwrap_or("the catalog file is missing")
            ),
        ));
    };
    let etag = HeaderValue::from_str(&served.etag).map_err(|error| ApiFailure::internal(&error))?;
    let unchanged = headers
        .get(IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| matches_etag(value, &served.etag));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = (StatusCode::OK, served.body.clone()).into_response();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    };
    let headers = response.headers_mut();
    headers.insert(ETAG, etag);
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// `POST /api/v1/heartbeat`: kept as the kiosk's latest state, with our receive time.
pub async fn heartbeat(
    State(state): State<AppState>,
    FromKiosk {
        kiosk,
        body: mut heartbeat,
    }: FromKiosk<Heartbeat>,
) -> Result<StatusCode, ApiFailure> {
    let now = state.now();
    let problem = implausible_instant("at", heartbeat.at, now).or_else(|| {
        heartbeat
            .oldest_unsent
            .and_then(|oldest| implausible_instant("oldest_unsent", oldest, now))
    });
    if let Some(problem) = problem {
        if heartbeat.day_doubt.is_none() {
            return Err(ApiFailure::unprocessable(problem));
        }
        // The kiosk knows its clock is off and says so: its word must reach /fleet, kept on
        // the server's clock instead of its own.
        tracing::warn!(%kiosk, "heartbeat from a kiosk whose clock is off, kept at the server's time");
        heartbeat.at = now;
        heartbeat.oldest_unsent = heartbeat
            .oldest_unsent
            .filter(|oldest| implausible_instant("oldest_unsent", *oldest, now).is_none());
    }
    let mpp = state.mpp_of(&kiosk)?.id.clone();
    state
        .storage(move |storage| storage.record_heartbeat(&mpp, &heartbeat, now))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct QueuesQuery {
    day: Option<String>,
}

/// `GET /api/v1/queues?day=YYYY-MM-DD` (today when absent): people waiting per queue of the
/// kiosk's MPP.
pub async fn queues(
    State(state): State<AppState>,
    Kiosk(kiosk): Kiosk,
    query: Result<Query<QueuesQuery>, QueryRejection>,
) -> Result<Json<QueueReport>, ApiFailure> {
    let Query(query) = query.map_err(|rejection| {
        ApiFailure::bad_request(format!("bad query: {}", rejection.body_text()))
    })?;
    let mpp = state.mpp_of(&kiosk)?;
    let day = match query.day.as_deref() {
        None | Some("") => state.today(mpp),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            ApiFailure::bad_request(format!("day {text:?} is not a date written YYYY-MM-DD"))
        })?,
    };
    let mpp = mpp.id.clone();
    let known: Vec<QueueCode> = state
        .catalog(&mpp)
        .await
        .served
        .map(|served| {
            served
                .catalog
                .agencies
                .iter()
                .flat_map(|agency| agency.queues.iter().map(|queue| queue.prefix.clone()))
                .collect()
        })
        .unwrap_or_default();
    let at = state.now();
    let queues = state
        .read(move |storage| storage.waiting(&mpp, day, &known))
        .await?;
    Ok(Json(QueueReport {
        business_day: day,
        at,
        queues,
    }))
}

/// `?day=YYYY-MM-DD`, which [`required_day`] reads.
#[derive(Deserialize)]
pub struct DayQuery {
    day: Option<String>,
}

/// `GET /api/v1/numbers?day=YYYY-MM-DD`: the highest numbers the asking kiosk printed that day,
/// per queue and lane, so a kiosk whose database is new carries on after them.
pub async fn numbers(
    State(state): State<AppState>,
    Kiosk(kiosk): Kiosk,
    query: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Json<NumbersUsed>, ApiFailure> {
    let day = required_day(query)?;
    let (highest, latest_business_day) = state
        .read(move |storage| {
            let highest = storage.highest_numbers(&kiosk, day)?;
            Ok((highest, storage.latest_business_day(&kiosk)?))
        })
        .await?;
    Ok(Json(NumbersUsed {
        business_day: day,
        at: state.now(),
        latest_business_day,
        highest,
    }))
}

/// The `day` query parameter, which these endpoints cannot do without: a new database must not
/// take the server's "today" for its own, nor a kiosk another day's closures.
pub(crate) fn required_day(
    query: Result<Query<DayQuery>, QueryRejection>,
) -> Result<NaiveDate, ApiFailure> {
    let Query(query) = query.map_err(|rejection| {
        ApiFailure::bad_request(format!("bad query: {}", rejection.body_text()))
    })?;
    let day = query.day.as_deref();
    let text = day.filter(|text| !text.is_empty()).ok_or_else(|| {
        ApiFailure::bad_request(
            "query parameter `day` is required: ?day=YYYY-MM-DD, the business day asked about",
        )
    })?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        ApiFailure::bad_request(format!(
            "query parameter `day` is {text:?}, not a date written YYYY-MM-DD"
        ))
    })
}

fn no_such_ticket() -> ApiFailure {
    ApiFailure::not_found("no such ticket")
}

/// `POST /api/v1/counter/tickets/{kiosk}/{id}`: a counter called, served or missed a ticket.
pub async fn counter(
    State(state): State<AppState>,
    Counter(entry, mpp): Counter,
    path: Result<Path<(String, String)>, PathRejection>,
    ApiJson(report): ApiJson<CounterReport>,
) -> Result<StatusCode, ApiFailure> {
    let Ok(Path((kiosk, id))) = path else {
        return Err(no_such_ticket());
    };
    if !plausible_kiosk(&kiosk) || !plausible_id(&id) {
        return Err(no_such_ticket());
    }
    let report = checked_report(report, &entry)?;
    let (now, today) = (state.now(), state.today(state.mpp(&mpp)?));
    let outcome = state
        .storage(move |storage| {
            let reporter = reporter(&entry, today);
            storage.record_counter_report(&mpp, &kiosk, &id, &report, reporter, now)
        })
        .await?;
    answer(outcome)
}

/// `POST /api/v1/counter/tickets/{id}`, as counters sent it before tickets were keyed by kiosk:
/// still right while exactly one kiosk has a ticket with this id, 409 once two have.
pub async fn counter_by_id(
    State(state): State<AppState>,
    Counter(entry, mpp): Counter,
    id: Result<Path<String>, PathRejection>,
    ApiJson(report): ApiJson<CounterReport>,
) -> Result<StatusCode, ApiFailure> {
    let Ok(Path(id)) = id else {
        return Err(no_such_ticket());
    };
    if !plausible_id(&id) {
        return Err(no_such_ticket());
    }
    let report = checked_report(report, &entry)?;
    let (now, today) = (state.now(), state.today(state.mpp(&mpp)?));
    let outcome = state
        .storage(move |storage| {
            let reporter = reporter(&entry, today);
            storage.record_counter_report_by_id(&mpp, &id, &report, reporter, now)
        })
        .await?;
    answer(outcome)
}

fn reporter(entry: &CounterEntry, today: NaiveDate) -> Reporter<'_> {
    Reporter {
        credential: &entry.name,
        queues: &entry.queues,
        today,
    }
}

/// The answer to what became of a report: 204, or why not.
fn answer(outcome: CounterOutcome) -> Result<StatusCode, ApiFailure> {
    match outcome {
        CounterOutcome::Recorded => Ok(StatusCode::NO_CONTENT),
        CounterOutcome::Unknown => Err(no_such_ticket()),
        CounterOutcome::Ambiguous => Err(ApiFailure::new(
            StatusCode::CONFLICT,
            "two kiosks have a ticket with this id: use /api/v1/counter/tickets/{kiosk}/{id}",
        )),
        CounterOutcome::OtherQueue(queue) => Err(ApiFailure::forbidden(format!(
            "this counter token does not serve queue {queue}: see its `queues` in mpp-central.toml"
        ))),
        CounterOutcome::Refused(reason) => Err(ApiFailure::new(StatusCode::CONFLICT, reason)),
    }
}

/// The report with its point trimmed, or why the point is refused: a counter sends visitors
/// only to the points its credential lists.
fn checked_report(
    report: CounterReport,
    entry: &CounterEntry,
) -> Result<CounterReport, ApiFailure> {
    let point = report.counter.trim();
    if point.is_empty() || point.chars().count() > MAX_POINT_LEN {
        return Err(ApiFailure::unprocessable(format!(
            "field `counter` must name the counter point in 1–{MAX_POINT_LEN} characters, e.g. \"Loket 3\""
        )));
    }
    if !entry.points.iter().any(|listed| listed == point) {
        return Err(ApiFailure::forbidden(format!(
            "field `counter`: this token calls visitors only to {}, not to {point:?} (its \
             `points` in mpp-central.toml)",
            entry.points.join(", ")
        )));
    }
    Ok(CounterReport {
        status: report.status,
        counter: point.to_owned(),
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

/// Any other path.
pub async fn not_found() -> ApiFailure {
    ApiFailure::not_found("no such endpoint: the API lives under /api/v1")
}

/// A known path with another method.
pub async fn method_not_allowed() -> ApiFailure {
    ApiFailure::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "this endpoint does not take that method",
    )
}

impl SentByKiosk for EventBatch {
    const WHAT: &'static str = "the batch";

    fn sender(&self) -> &KioskId {
        &self.kiosk
    }
}

impl SentByKiosk for Heartbeat {
    const WHAT: &'static str = "the heartbeat";

    fn sender(&self) -> &KioskId {
        &self.kiosk
    }
}
