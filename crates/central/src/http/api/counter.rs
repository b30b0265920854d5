//! `POST /api/v1/counter/tickets/{kiosk}/{id}` (and the older `…/{id}`): a counter reports
//! a ticket called, served or missed, checked by the counters' rule. `POST
//! /api/v1/counter/next`: a point calls the next visitor of its queues.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use crate::config::{CounterEntry, MAX_POINT_LEN};
use crate::http::auth::Counter;
use crate::http::extract::{ApiFailure, ApiJson};
use crate::http::state::AppState;
use crate::model::counter::{CounterOutcome, Reporter};
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use mpp_core::ids::{plausible_kiosk_id, plausible_ticket_id};
use mpp_core::protocol::API;
use mpp_core::protocol::{CounterReport, NextCall};

use crate::storage::calls::Next;

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
        .route(&format!("{API}/counter/next"), post(next))
}

/// `POST /api/v1/counter/next`: the first visitor nobody has called yet in the token's queues
/// (priority lane first, then the earliest issued) is called to the point in the body: 200
/// with the ticket, or 204 when nobody waits. The same point pressing again within a few
/// seconds gets the same ticket (a double click is one call).
pub async fn next(
    State(state): State<AppState>,
    Counter(entry, mpp): Counter,
    ApiJson(call): ApiJson<NextCall>,
) -> Result<Response, ApiFailure> {
    let point = checked_point(&call.counter, &entry)?;
    let (now, today) = (state.now(), state.today(state.mpp(&mpp)?));
    let called = state
        .storage(move |storage| {
            storage.call_next(&Next {
                mpp: &mpp,
                today,
                point: &point,
                queues: &entry.queues,
                credential: &entry.name,
                zone: entry.zone(),
                now,
            })
        })
        .await?;
    if called.is_some() {
        state.calls_changed();
    }
    Ok(match called {
        Some(called) => axum::Json(called).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

fn no_such_ticket() -> ApiFailure {
    ApiFailure::not_found("no such ticket")
}

/// `POST /api/v1/counter/tickets/{kiosk}/{id}`: a counter called, served or missed a ticket.
pub async fn counter(
    State(state): State<AppState>,
    counter: Counter,
    path: Result<Path<(String, String)>, PathRejection>,
    ApiJson(report): ApiJson<CounterReport>,
) -> Result<StatusCode, ApiFailure> {
    let Ok(Path((kiosk, id))) = path else {
        return Err(no_such_ticket());
    };
    if !plausible_kiosk_id(&kiosk) || !plausible_ticket_id(&id) {
        return Err(no_such_ticket());
    }
    record(&state, counter, Some(kiosk), id, report).await
}

/// `POST /api/v1/counter/tickets/{id}`, as counters sent it before tickets were keyed by kiosk:
/// still right while exactly one kiosk has a ticket with this id, 409 once two have.
pub async fn counter_by_id(
    State(state): State<AppState>,
    counter: Counter,
    id: Result<Path<String>, PathRejection>,
    ApiJson(report): ApiJson<CounterReport>,
) -> Result<StatusCode, ApiFailure> {
    let Ok(Path(id)) = id else {
        return Err(no_such_ticket());
    };
    if !plausible_ticket_id(&id) {
        return Err(no_such_ticket());
    }
    record(&state, counter, None, id, report).await
}

/// Records `report` on ticket `id` of `kiosk`, or of whichever kiosk has one when the path
/// named none, once its point is checked.
async fn record(
    state: &AppState,
    Counter(entry, mpp): Counter,
    kiosk: Option<String>,
    id: String,
    report: CounterReport,
) -> Result<StatusCode, ApiFailure> {
    let report = checked_report(report, &entry)?;
    let called = report.status == mpp_core::protocol::CounterStatus::Called;
    let (now, today) = (state.now(), state.today(state.mpp(&mpp)?));
    let outcome = state
        .storage(move |storage| {
            let reporter = Reporter {
                credential: &entry.name,
                queues: &entry.queues,
                today,
                zone: entry.zone(),
            };
            match kiosk {
                Some(kiosk) => {
                    storage.record_counter_report(&mpp, &kiosk, &id, &report, reporter, now)
                }
                None => storage.record_counter_report_by_id(&mpp, &id, &report, reporter, now),
            }
        })
        .await?;
    if outcome == CounterOutcome::Recorded && called {
        state.calls_changed();
    }
    answer(outcome)
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

/// The report with its point trimmed, or why the point is refused.
fn checked_report(
    report: CounterReport,
    entry: &CounterEntry,
) -> Result<CounterReport, ApiFailure> {
    Ok(CounterReport {
        status: report.status,
        counter: checked_point(&report.counter, entry)?,
    })
}

/// The point trimmed, or why it is refused: a counter sends visitors only to the points its
/// credential lists.
fn checked_point(point: &str, entry: &CounterEntry) -> Result<String, ApiFailure> {
    let point = point.trim();
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
    Ok(point.to_owned())
}
