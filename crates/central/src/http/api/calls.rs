//! The lobby displays' side of calling, open to anyone in the building (a call is what the
//! lobby hears anyway):
//! - `GET /api/v1/calls?mpp=&zone=&after=`: a server-sent event stream, one `call` event per
//!   call or recall with the MPP's increasing number as its id, resumed after the last one seen
//!   (`Last-Event-ID`, or `after`); a fresh display first gets the latest few as `history`
//!   (shown, not announced). It learns of a call of this process at once and of other
//!   processes' (several behind one proxy, one PostgreSQL) within [`LOOK_EVERY`].
//! - `GET /api/v1/calls/{id}/audio?mpp=`: the call spoken (MP3, which every browser plays), by
//!   the offline voice in the MPP's languages with its recorded clips, each announcement
//!   rendered once and kept; `&format=wav` gives the WAV (rendered again; for tools and tests).
//! - `GET /assets/chime.mp3` (and `.wav`, for pages loaded before the MP3): the chime before
//!   each call.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, OnceLock};
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
use mpp_core::speech::Announcement;

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
        .route("/assets/chime.mp3", get(chime_mp3))
        .route("/assets/chime.wav", get(chime_wav))
}

#[derive(Deserialize)]
pub struct Which {
    mpp: Option<String>,
    #[serde(default)]
    zone: String,
    after: Option<i64>,
    /// `wav` for the WAV instead of the MP3.
    format: Option<String>,
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

/// What the lobby hears for `call`: the MPP's languages, its clips.
fn announcement(state: &AppState, call: &CallEvent) -> Announcement {
    let languages = &state.config.calling.languages;
    Announcement::call(languages, &call.number, &call.point, &state.voice.names)
}

fn event(state: &AppState, mpp: &str, call: &CallEvent, kind: &'static str) -> Event {
    let payload = Payload {
        call,
        audio: format!(
            "/api/v1/calls/{}/audio?mpp={}",
            call.id,
            mpp_core::url::encoded(mpp)
        ),
        phrase: announcement(state, call).plain_text(),
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
                .map(|call| event(&state, &mpp, call, "history"))
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
                        let sent = event(&cursor.state, &cursor.mpp, call, "call");
                        cursor.ready.push_back(sent);
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
    let announcement = announcement(&state, &call);
    if which.format.as_deref() == Some("wav") {
        let wav = render(&state, announcement, false).await?;
        return Ok(answer(wav, "audio/wav", "no-store"));
    }
    let key = announcement.cache_key();
    let kept = lock(&state.phrases.0).get(&key).cloned();
    let mp3 = match kept {
        Some(mp3) => mp3,
        None => {
            let mp3 = Arc::new(render(&state, announcement, true).await?);
            let mut phrases = lock(&state.phrases.0);
            if phrases.len() >= KEPT_PHRASES {
                phrases.clear();
            }
            phrases.insert(key, Arc::clone(&mp3));
            mp3
        }
    };
    Ok(answer(mp3.as_ref().clone(), "audio/mpeg", "no-store"))
}

/// The announcement spoken, as MP3 or WAV, on the blocking pool.
async fn render(
    state: &AppState,
    announcement: Announcement,
    mp3: bool,
) -> Result<Vec<u8>, ApiFailure> {
    let voice = Arc::clone(&state.voice);
    let rendered = tokio::task::spawn_blocking(move || {
        let wav = mpp_voice::Voice::default()
            .announcement(&announcement, &voice.clips)
            .map_err(|error| error.to_string())?;
        if mp3 {
            mpp_voice::mp3::encode(&wav).map_err(|error| error.to_string())
        } else {
            Ok(wav.into_bytes())
        }
    })
    .await
    .map_err(|error| ApiFailure::internal(&error))?;
    rendered.map_err(|error| {
        tracing::error!(%error, "the voice cannot speak a call");
        ApiFailure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("no voice: {error}"),
        )
    })
}

fn answer(bytes: Vec<u8>, kind: &'static str, cache: &'static str) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The chime is the same for every display and day.
const CHIME_CACHE: &str = "public, max-age=86400";

/// `GET /assets/chime.mp3`: encoded once.
async fn chime_mp3() -> Result<Response, ApiFailure> {
    static CHIME: OnceLock<Vec<u8>> = OnceLock::new();
    let mp3 = match CHIME.get() {
        Some(mp3) => mp3.clone(),
        None => {
            let encoded =
                tokio::task::spawn_blocking(|| mpp_voice::mp3::encode(&mpp_voice::chime()))
                    .await
                    .map_err(|error| ApiFailure::internal(&error))?
                    .map_err(|error| ApiFailure::internal(&error))?;
            CHIME.get_or_init(|| encoded).clone()
        }
    };
    Ok(answer(mp3, "audio/mpeg", CHIME_CACHE))
}

/// `GET /assets/chime.wav`.
async fn chime_wav() -> Response {
    answer(mpp_voice::chime().into_bytes(), "audio/wav", CHIME_CACHE)
}
