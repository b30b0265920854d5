//! `GET /display?mpp=&zone=`: the lobby display, for a TV's browser (the `mpp-display` kiosk or
//! any browser in the building): the latest call large, readable from across the hall (the
//! number at least 120 px high at 1920×1080), the last few calls, the clock and the MPP's name.
//! Its script (`/assets/display.js`) follows `/api/v1/calls` and announces each call once.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use maud::html;
use serde::Deserialize;

use crate::http::html::{both, page, respond};
use crate::http::state::AppState;
use mpp_core::lang::Language;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/display", get(show))
}

#[derive(Deserialize)]
struct Which {
    mpp: Option<String>,
    #[serde(default)]
    zone: String,
}

const LANGUAGES: [Language; 2] = [Language::Indonesian, Language::English];

async fn show(State(state): State<AppState>, Query(which): Query<Which>) -> Response {
    let mpps = state.config.mpps();
    let mpp = match which.mpp.as_deref() {
        Some(id) => state.config.mpp(id),
        None if mpps.len() == 1 => mpps.first(),
        None => None,
    };
    let Some(mpp) = mpp else {
        let body = html! { main { div class="card" { p class="status bad" {
            (both("MPP tidak dikenal: tulis /display?mpp=ID", "Unknown MPP: open /display?mpp=ID", LANGUAGES))
        } } } };
        return respond(
            StatusCode::NOT_FOUND,
            page("Display", Language::Indonesian, None, body),
        );
    };
    let offset = mpp.time_zone.offset().local_minus_utc() / 60;
    let body = html! {
        main class="display" data-mpp=(mpp.id) data-zone=(which.zone) data-offset-minutes=(offset) {
            header {
                span class="mpp-name" { (mpp.name) @if !which.zone.is_empty() { " · " (which.zone) } }
                span class="clock" { span id="clock" { "--:--" } " " (mpp.time_zone.abbreviation()) }
            }
            section class="now" aria-live="assertive" {
                p class="caption" { (both("Nomor antrean", "Number", LANGUAGES)) }
                p id="number" class="call-number" { "—" }
                p class="caption" { (both("silakan ke", "please go to", LANGUAGES)) }
                p id="point" class="call-point" { "" }
            }
            section class="recent" {
                h2 { (both("Panggilan terakhir", "Latest calls", LANGUAGES)) }
                ol id="recent" {}
            }
            p id="status" class="offline-note" hidden {
                (both("Koneksi ke server terputus — menyambung lagi…", "Connection to the server lost — reconnecting…", LANGUAGES))
            }
            button id="sound" type="button" hidden {
                (both("Sentuh untuk mengaktifkan suara", "Touch to turn the sound on", LANGUAGES))
            }
        }
        script src="/assets/display.js" defer {}
    };
    respond(
        StatusCode::OK,
        page(
            &format!("{} — display", mpp.name),
            Language::Indonesian,
            None,
            body,
        ),
    )
}
