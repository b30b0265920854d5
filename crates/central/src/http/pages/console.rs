//! `GET /counter?point=`, `POST /counter`: the counter console, for counter staff signed in with
//! their account, on the counter PC or a tablet. The point's queues with how many wait and for
//! how long, the ticket it has called, and four big buttons (keys N, R, S, X): call the next
//! visitor, call again, served, no-show. Every move goes through the same storage decisions as
//! the counters' API (`next`'s compare-and-set, the counters' rules), so two points pressing
//! together never get one visitor and every call reaches the lobby displays.

mod view;

use std::collections::HashMap;

use axum::Router;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use chrono::TimeDelta;
use serde::Deserialize;

use crate::config::MppEntry;
use crate::http::html::respond;
use crate::http::pages::login::{not_yours, signed_or_page, staff_only};
use crate::http::sessions::Signed;
use crate::http::state::AppState;
use crate::model::counter::{CounterOutcome, Reporter};
use crate::rules::counter::SAME_PRESS;
use crate::rules::counter::{OutOfTurn, Pause};
use crate::storage::calls::{ByNumber, Next, NumberOutcome};
use crate::storage::console::{ConsoleReads, Current};
use crate::storage::points::Points;
use crate::storage::transfers::{Transfer, TransferOutcome};
use mpp_core::protocol::{CounterReport, CounterStatus};

pub use view::Said;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/counter", get(show).post(act))
}

/// The point a console works, with what the configuration says of it.
pub struct Point<'a> {
    pub mpp: &'a MppEntry,
    pub name: String,
    /// The queues of every `[[counter]]` entry that lists the point.
    pub queues: Vec<String>,
    pub zone: String,
}

/// The point `wanted` (or the account's first) if the account works it.
fn point_of<'a>(state: &'a AppState, signed: &Signed, wanted: Option<&str>) -> Option<Point<'a>> {
    let account = &signed.account;
    let mpp = (account.mpp.as_deref()).and_then(|id| state.config.mpp(id))?;
    let name = match wanted {
        Some(point) => point.to_owned(),
        None => account.points.first().cloned()?,
    };
    if !account.works(&mpp.id, &name) {
        return None;
    }
    let entries: Vec<_> = (mpp.counters.iter())
        .filter(|entry| entry.points.contains(&name))
        .collect();
    let mut queues: Vec<String> = Vec::new();
    for queue in entries.iter().flat_map(|entry| entry.queues.iter()) {
        if !queues.contains(queue) {
            queues.push(queue.clone());
        }
    }
    let zone = entries.first().map_or("", |entry| entry.zone()).to_owned();
    Some(Point {
        mpp,
        name,
        queues,
        zone,
    })
}

/// A press at a point, owned so it can go to the database's thread.
struct Press {
    mpp: String,
    today: chrono::NaiveDate,
    point: String,
    queues: Vec<String>,
    account: String,
    zone: String,
    now: chrono::DateTime<chrono::Utc>,
}

impl Press {
    fn of(state: &AppState, signed: &Signed, point: &Point<'_>) -> Press {
        Press {
            mpp: point.mpp.id.clone(),
            today: state.today(point.mpp),
            point: point.name.clone(),
            queues: point.queues.clone(),
            account: signed.account.name.clone(),
            zone: point.zone.clone(),
            now: state.now(),
        }
    }

    fn next(&self) -> Next<'_> {
        Next {
            mpp: &self.mpp,
            today: self.today,
            point: &self.point,
            queues: &self.queues,
            credential: &self.account,
            zone: &self.zone,
            now: self.now,
        }
    }
}

/// `GET /counter`.
async fn show(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let wanted = query
        .as_ref()
        .ok()
        .and_then(|Query(params)| params.get("point").cloned());
    let signed = match staff_only(&state, query, &headers).await {
        Ok(signed) => signed,
        Err(page) => return page,
    };
    match point_of(&state, &signed, wanted.as_deref()) {
        Some(point) => render(&state, &signed, &point, StatusCode::OK, None).await,
        None => not_yours(),
    }
}

async fn render(
    state: &AppState,
    signed: &Signed,
    point: &Point<'_>,
    status: StatusCode,
    said: Option<Said>,
) -> Response {
    let (mpp, today) = (point.mpp.id.clone(), state.today(point.mpp));
    let (queues, name) = (point.queues.clone(), point.name.clone());
    let read = state
        .read(move |db| {
            let current = db.current_call(&mpp, today, &name)?;
            let paused = db.paused(&mpp, &name, today)?;
            Ok((db.queues_now(&mpp, today, &queues)?, current, paused))
        })
        .await;
    let targets = catalog_queues(state, point).await;
    match read {
        Ok((queues, current, paused)) => {
            let page = view::Page {
                signed,
                point,
                queues: &queues,
                current: current.as_ref(),
                paused,
                targets: &targets,
                said,
                now: state.now(),
                zone: point.mpp.time_zone,
            };
            respond(status, page.render())
        }
        Err(failure) => respond(failure.status, failure.message),
    }
}

#[derive(Deserialize)]
struct Act {
    form: String,
    point: String,
    action: String,
    /// For "transfer": the queue the called visitor goes on to.
    #[serde(default)]
    to: String,
    /// For "number": the ticket number to call out of turn, and why.
    #[serde(default)]
    number: String,
    #[serde(default)]
    reason: String,
}

/// `POST /counter`: one of the four moves, then the console again with what came of it.
async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<Act>, FormRejection>,
) -> Response {
    let signed = match signed_or_page(&state, &headers).await {
        Ok(signed) => signed,
        Err(page) => return page,
    };
    let Ok(Form(act)) = form else {
        return not_yours();
    };
    if signed.session.is_none() || act.form != signed.form_token() {
        return not_yours();
    }
    let Some(point) = point_of(&state, &signed, Some(&act.point)) else {
        return not_yours();
    };
    let said = match decide(&state, &signed, &point, &act).await {
        Ok(said) => said,
        Err(failure) => return respond(failure.status, failure.message),
    };
    let status = if said.refused() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    render(&state, &signed, &point, status, Some(said)).await
}

/// What the move comes to: checked against the point's current ticket, then written.
async fn decide(
    state: &AppState,
    signed: &Signed,
    point: &Point<'_>,
    act: &Act,
) -> Result<Said, crate::http::extract::ApiFailure> {
    let action = act.action.as_str();
    let (mpp, today, now) = (point.mpp.id.clone(), state.today(point.mpp), state.now());
    let name = point.name.clone();
    let (current, paused) = state
        .read(move |db| {
            Ok((
                db.current_call(&mpp, today, &name)?,
                db.paused(&mpp, &name, today)?,
            ))
        })
        .await?;
    let calling = &state.config.calling;
    match action {
        "pause" | "open" => return set_pause(state, signed, point, act).await,
        "next" | "number" if paused.is_some() => {
            return Ok(Said::Paused(paused.map_or(Pause::Break, |p| p.reason)));
        }
        _ => {}
    }
    match (action, current) {
        ("next", Some(current)) if now - current.called_at >= SAME_PRESS => {
            Ok(Said::FinishFirst(current.number))
        }
        ("number", Some(current)) => Ok(Said::FinishFirst(current.number)),
        ("next", _) => call_next(state, signed, point).await,
        ("number", None) => call_number(state, signed, point, act).await,
        (_, None) => Ok(Said::NobodyCalled),
        ("recall", Some(current)) => {
            let gap = TimeDelta::from_std(calling.recall_gap()).unwrap_or(TimeDelta::seconds(5));
            let since = now - current.called_at;
            if since < gap {
                let wait = (gap - since).num_seconds().max(1) as u64;
                return Ok(Said::RecallTooSoon(wait));
            }
            report(state, signed, point, &current, CounterStatus::Called).await
        }
        ("transfer", Some(current)) => transfer(state, signed, point, &current, &act.to).await,
        ("served", Some(current)) => {
            report(state, signed, point, &current, CounterStatus::Served).await
        }
        ("no_show", Some(current)) if current.times < calling.no_show_after_calls => Ok(
            Said::CallAgainFirst(current.number, current.times, calling.no_show_after_calls),
        ),
        ("no_show", Some(current)) => {
            report(state, signed, point, &current, CounterStatus::NoShow).await
        }
        _ => Ok(Said::Unknown),
    }
}

async fn call_next(
    state: &AppState,
    signed: &Signed,
    point: &Point<'_>,
) -> Result<Said, crate::http::extract::ApiFailure> {
    let press = Press::of(state, signed, point);
    let called = state.storage(move |db| db.call_next(&press.next())).await?;
    Ok(match called {
        Some(called) => {
            state.calls_changed();
            Said::Called(called.ticket.number)
        }
        None => Said::NobodyWaits,
    })
}

/// Sends the called visitor on to queue `to` of the MPP's catalog, their issue time kept.
async fn transfer(
    state: &AppState,
    signed: &Signed,
    point: &Point<'_>,
    current: &Current,
    to: &str,
) -> Result<Said, crate::http::extract::ApiFailure> {
    let queues = catalog_queues(state, point).await;
    let Some((to, _)) = queues.into_iter().find(|(prefix, _)| prefix == to) else {
        return Ok(Said::TransferWhere);
    };
    let (mpp, now) = (point.mpp.id.clone(), state.now());
    let (kiosk, id, name) = (
        current.kiosk.clone(),
        current.id.clone(),
        point.name.clone(),
    );
    let (account, queue) = (signed.account.name.clone(), to.clone());
    let outcome = state
        .storage(move |db| {
            db.transfer(&Transfer {
                mpp: &mpp,
                kiosk: &kiosk,
                id: &id,
                to: &queue,
                point: &name,
                account: &account,
                now,
            })
        })
        .await?;
    Ok(match outcome {
        TransferOutcome::Moved => {
            tracing::info!(account = %signed.account.name, number = %current.number, to = %to, "a visitor transferred");
            Said::Transferred(current.number.clone(), to)
        }
        TransferOutcome::SameQueue => Said::TransferSameQueue(current.number.clone(), to),
        TransferOutcome::NotCalledHere => Said::NobodyCalled,
    })
}

/// Every queue of the MPP's published catalog: prefix and name (Indonesian).
pub async fn catalog_queues(state: &AppState, point: &Point<'_>) -> Vec<(String, String)> {
    let snapshot = state.catalog(&point.mpp.id).await;
    let Some(served) = snapshot.served else {
        return Vec::new();
    };
    (served.catalog.agencies.iter())
        .flat_map(|agency| agency.queues.iter())
        .map(|queue| (queue.prefix.to_string(), queue.name.id.clone()))
        .collect()
}

/// Pauses the point with the reason given, or opens it again.
async fn set_pause(
    state: &AppState,
    signed: &Signed,
    point: &Point<'_>,
    act: &Act,
) -> Result<Said, crate::http::extract::ApiFailure> {
    let pause = match act.action.as_str() {
        "open" => None,
        _ => match Pause::from_code(&act.reason) {
            Some(pause) => Some(pause),
            None => return Ok(Said::NoReason),
        },
    };
    let (mpp, today, now) = (point.mpp.id.clone(), state.today(point.mpp), state.now());
    let (name, account) = (point.name.clone(), signed.account.name.clone());
    state
        .storage(move |db| db.set_point((&mpp, &name, today), pause, &account, now))
        .await?;
    tracing::info!(account = %signed.account.name, point = %point.name, reason = pause.map_or("open", Pause::code), "counter point paused or opened");
    Ok(match pause {
        Some(pause) => Said::PausedNow(pause),
        None => Said::Opened,
    })
}

async fn call_number(
    state: &AppState,
    signed: &Signed,
    point: &Point<'_>,
    act: &Act,
) -> Result<Said, crate::http::extract::ApiFailure> {
    let number = act.number.trim().to_uppercase();
    let Some(reason) = OutOfTurn::from_code(&act.reason) else {
        return Ok(Said::NoReason);
    };
    if number.is_empty() || number.chars().count() > 32 {
        return Ok(Said::NumberUnknown(number));
    }
    let (press, asked) = (Press::of(state, signed, point), number.clone());
    let outcome = state
        .storage(move |db| {
            db.call_number(&ByNumber {
                next: press.next(),
                number: &asked,
                reason,
            })
        })
        .await?;
    Ok(match outcome {
        NumberOutcome::Called(called) => {
            let called = *called;
            state.calls_changed();
            tracing::info!(account = %signed.account.name, number = %called.ticket.number, reason = reason.code(), "a ticket called out of turn");
            Said::Called(called.ticket.number)
        }
        NumberOutcome::Unknown => Said::NumberUnknown(number),
        NumberOutcome::OtherQueue(queue) => Said::NumberOtherQueue(number, queue),
        NumberOutcome::NotWaiting(standing) => {
            Said::NumberNotWaiting(number, standing.as_str().to_owned())
        }
    })
}

async fn report(
    state: &AppState,
    signed: &Signed,
    point: &Point<'_>,
    current: &Current,
    status: CounterStatus,
) -> Result<Said, crate::http::extract::ApiFailure> {
    let (mpp, today, now) = (point.mpp.id.clone(), state.today(point.mpp), state.now());
    let (queues, zone, account) = (
        point.queues.clone(),
        point.zone.clone(),
        signed.account.name.clone(),
    );
    let (kiosk, id) = (current.kiosk.clone(), current.id.clone());
    let report = CounterReport {
        status,
        counter: point.name.clone(),
    };
    let outcome = state
        .storage(move |db| {
            let reporter = Reporter {
                credential: &account,
                queues: &queues,
                today,
                zone: &zone,
            };
            db.record_counter_report(&mpp, &kiosk, &id, &report, reporter, now)
        })
        .await?;
    let number = current.number.clone();
    Ok(match (outcome, status) {
        (CounterOutcome::Recorded, CounterStatus::Called) => {
            state.calls_changed();
            Said::Recalled(number)
        }
        (CounterOutcome::Recorded, CounterStatus::Served) => Said::Served(number),
        (CounterOutcome::Recorded, CounterStatus::NoShow) => Said::NoShow(number),
        (other, _) => Said::Refused(format!("{other:?}")),
    })
}
