//! `POST /api/v1/counter/tickets/{kiosk}/{id}` (and the older `…/{id}`): a counter reports
//! a ticket called, served or missed, checked by the counters' rule.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;

use crate::config::{CounterEntry, MAX_POINT_LEN};
use crate::http::auth::Counter;
use crate::http::extract::{ApiFailure, ApiJson};
use crate::http::state::AppState;
use crate::model::counter::{CounterOutcome, Reporter};
use axum::Router;
use axum::routing::post;
use mpp_core::ids::{plausible_kiosk_id, plausible_ticket_id};
use mpp_core::protocol::API;
use mpp_core::protocol::CounterReport;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            &format!("{API}/counter/tickets/{{kiosk}}/{{id}}"),
            post(counter),
        )
        .route(
            &format!("{API}/counter/tickets/{{id}}"),
            post(counter_by_id),
        )
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
    if !plausible_kiosk_id(&kiosk) || !plausible_ticket_id(&id) {
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
    if !plausible_ticket_id(&id) {
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
