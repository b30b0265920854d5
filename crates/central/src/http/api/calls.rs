//! The lobby displays' side of calling, open to anyone in the building (a call is what the
//! lobby hears anyway):
//! - `GET /api/v1/calls?mpp=&zone=&after=`: a server-sent event stream, one `call` event per
//!   call or recall with the MPP's increasing number as its id, resumed after the last one seen
//!   (`Last-Event-ID`, or `after`); a fresh display first gets the latest few as `history`
//!   (shown, not announced). It learns of a call of this process at once and of other
//!   processes' (several behind one proxy, one PostgreSQL) within [`LOOK_EVERY`].
//! - `GET /api/v1/calls/{id}/audio?mpp=`: the call spoken (WAV), by the offline voice, each
//!   phrase rendered once and kept.
//! - `GET /assets/chime.wav`: the chime before each call.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use serde::{Deserialize, Serialize};

use crate::config::MppEntry;
use crate::http::extract::ApiFailure;
use crate::http::state::AppState;
use crate::model::calls::CallEvent;
use crate::storage::call_log::CallLog;
use mpp_common::mutex::lock;
use mpp_core::lang::Language;
use mpp_core::speech::Utterance;

/// How often a stream looks at the log for calls made by another server process.
pub const LOOK_EVERY: Duration = Duration::from_millis(500);
/// Calls a fresh display is shown at once (not announced).
pub const HISTORY: u32 = 6;
/// Phrases kept rendered.
const KEPT_PHRASES: usize = 512;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/calls", get(stream))
        .route("/api/v1/calls/{id}/audio", get(audio))
        .route("/assets/chime.wav", get(chime))
}

#[derive(Deserialize)]
pub struct Which {
    mpp: Option<String>,
    #[serde(default)]
    zone: String,
    after: Option<i64>,
}

/// The MPP asked for; on a one-MPP server it may be left out.
fn mpp_of<'a>(state: &'a AppState, mpp: Option<&str>) -> Result<&'a MppEntry, ApiFailure> {
    let mpps = state.config.mpps();
    match mpp {
        Some(id) => state
            .config
            .mpp(id)
            .ok_or_else(|| ApiFailure::not_found(format!("no MPP {id:?} here"))),
        None if mpps.len() == 1 => Ok(&mpps[0]),
        None => Err(ApiFailure::bad_request(
            "this server has several MPPs: name one with ?mpp=",
        )),
    }
}

/// What a display receives for each call.
#[derive(Serialize)]
struct Payload<'a> {
    #[serde(flatten)]
    call: &'a CallEvent,
    /// Where the spoken call is.
    audio: String,
    /// What it says, as text (captions, and to check the voice).
    phrase: String,
}

fn event(mpp: &str, call: &CallEvent, kind: &'static str) -> Event {
    let payload = Payload {
        call,
        audio: format!(
            "/api/v1/calls/{}/audio?mpp={}",
            call.id,
            mpp_core::url::encoded(mpp)
        ),
        phrase: Utterance::call(Language::Indonesian, &call.number, &call.point).plain_text(),
    };
    let data = serde_json::to_string(&payload).unwrap_or_else(|_| "{}".into());
    Event::default()
        .id(call.id.to_string())
        .event(kind)
        .data(data)
}

/// Where the stream is.
struct Cursor {
    state: AppState,
    mpp: String,
    zone: String,
    last: i64,
    ready: VecDeque<Event>,
    rung: tokio::sync::watch::Receiver<u64>,
}

/// `GET /api/v1/calls`.
async fn stream(
    State(state): State<AppState>,
    Query(which): Query<Which>,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let mpp = mpp_of(&state, which.mpp.as_deref())?.id.clone();
    let resumed = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<i64>().ok())
        .or(which.after);
    let zone = which.zone.clone();
    let (last, ready) = match resumed {
        Some(last) => (last, VecDeque::new()),
        None => {
            let (id, zone_) = (mpp.clone(), zone.clone());
            let history = state
                .read(move |db| db.latest_calls(&id, &zone_, HISTORY))
                .await?;
            let last = match history.last() {
                Some(call) => call.id,
                None => latest_id(&state, &mpp).await?,
            };
            let ready = history
                .iter()
                .map(|call| event(&mpp, call, "history"))
                .collect();
            (last, ready)
        }
    };
    let cursor = Cursor {
        rung: state.calls.subscribe(),
        state: state.clone(),
        mpp,
        zone,
        last,
        ready,
    };
    let keep_alive = (state.config.http.idle_timeout() / 2)
        .clamp(Duration::from_secs(1), Duration::from_secs(15));
    let sse = Sse::new(calls(cursor)).keep_alive(KeepAlive::new().interval(keep_alive));
    let mut response = sse.into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The number of the MPP's latest call in any zone (a zone's display starts after it).
async fn latest_id(state: &AppState, mpp: &str) -> Result<i64, ApiFailure> {
    let id = mpp.to_owned();
    let latest = state.read(move |db| db.latest_calls(&id, "", 1)).await?;
    Ok(latest.first().map_or(0, |call| call.id))
}

fn calls(cursor: Cursor) -> impl Stream<Item = Result<Event, Infallible>> {
    futures_util::stream::unfold(cursor, |mut cursor| async move {
        loop {
            if let Some(event) = cursor.ready.pop_front() {
                return Some((Ok(event), cursor));
            }
            // Every zone's calls are read, so a zone's display moves past the others' too.
            let (mpp, last) = (cursor.mpp.clone(), cursor.last);
            match cursor
                .state
                .read(move |db| db.calls_after(&mpp, "", last))
                .await
            {
                Ok(calls) if !calls.is_empty() => {
                    let zone = cursor.zone.as_str();
                    for call in calls
                        .iter()
                        .filter(|call| zone.is_empty() || call.zone == zone)
                    {
                        cursor.ready.push_back(event(&cursor.mpp, call, "call"));
                    }
                    cursor.last = calls.last().map_or(last, |call| call.id);
                    continue;
                }
                Ok(_) => {}
                // The database away: the display keeps its calls and the stream tries again.
                Err(failure) => {
                    tracing::warn!(error = %failure.message, "calls stream: cannot read")
                }
            }
            let _ = tokio::time::timeout(LOOK_EVERY, cursor.rung.changed()).await;
        }
    })
}

/// `GET /api/v1/calls/{id}/audio`.
async fn audio(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(which): Query<Which>,
) -> Result<Response, ApiFailure> {
    let mpp = mpp_of(&state, which.mpp.as_deref())?.id.clone();
    let call = state
        .read(move |db| db.call(&mpp, id))
        .await?
        .ok_or_else(|| ApiFailure::not_found(format!("no call {id}")))?;
    let utterance = Utterance::call(Language::Indonesian, &call.number, &call.point);
    let phrase = utterance.plain_text();
    let kept = lock(&state.phrases.0).get(&phrase).cloned();
    let wav = match kept {
        Some(wav) => wav,
        None => {
            let rendered =
                tokio::task::spawn_blocking(move || mpp_voice::Voice::default().wav(&utterance))
                    .await
                    .map_err(|error| ApiFailure::internal(&error))?;
            let wav = Arc::new(
                rendered
                    .map_err(|error| {
                        tracing::error!(%error, "the voice cannot speak a call");
                        ApiFailure::new(
                            StatusCode::SERVICE_UNAVAILABLE,
                            format!("no voice: {error}"),
                        )
                    })?
                    .into_bytes(),
            );
            let mut phrases = lock(&state.phrases.0);
            if phrases.len() >= KEPT_PHRASES {
                phrases.clear();
            }
            phrases.insert(phrase, Arc::clone(&wav));
            wav
        }
    };
    Ok(wav_answer(wav.as_ref().clone(), "no-store"))
}

fn wav_answer(bytes: Vec<u8>, cache: &'static str) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("audio/wav"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// `GET /assets/chime.wav`.
async fn chime() -> Response {
    wav_answer(mpp_voice::chime().into_bytes(), "public, max-age=86400")
}
