//! `GET /dashboard?mpp=&period=day|week|month|range&date=&from=&to=`: the MPP head's and the
//! province's dashboard, behind the staff sign-in as `/fleet` is. For the span (today by
//! default) and the one it is compared with: tickets issued, called, served, no-shows,
//! voided, transferred; waits and service times (median, 90th percentile) per agency, queue and
//! counter point; tickets per hour. Every figure comes from the per-day tallies
//! (`storage::rollups`) and is defined in `rules::dashboard`. A head reads their MPP, a
//! province account (and the administrator) every MPP; counter staff none. Today's page
//! reloads itself every minute.

mod board;
mod charts;
mod export;
mod province;
mod tables;
mod view;

use std::collections::HashMap;

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::html;

use crate::http::html::{page, respond};
use crate::http::pages::login::{not_yours, staff_only};
use crate::http::state::AppState;
use board::Board;
use mpp_core::lang::Language;

/// The dashboard's own stylesheet, served by the server (`/assets/dashboard.css`).
const STYLE: &str = include_str!("dashboard/dashboard.css");

/// How often today's page reloads itself, in seconds.
pub const REFRESH_SECONDS: u32 = 60;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(show))
        .route("/dashboard/province", get(province::show))
        .route("/dashboard.csv", get(csv))
        .route("/dashboard.xlsx", get(xlsx))
        .route("/assets/dashboard.css", get(stylesheet))
}

/// The board for the request, or the page that answers instead (sign in first, not this
/// account's MPP, a bad period, the database away).
async fn prepare(
    state: &AppState,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: &HeaderMap,
) -> Result<Board, Response> {
    let params = query
        .as_ref()
        .map(|Query(params)| params.clone())
        .unwrap_or_default();
    let signed = staff_only(state, query, headers).await?;
    let account = &signed.account;
    let mpps: Vec<(String, String)> = (state.config.mpps().iter())
        .filter(|mpp| account.reads(&mpp.id))
        .map(|mpp| (mpp.id.clone(), mpp.name.clone()))
        .collect();
    let wanted = params.get("mpp").cloned().filter(|id| !id.is_empty());
    let Some(id) = wanted.or_else(|| mpps.first().map(|(id, _)| id.clone())) else {
        return Err(not_yours());
    };
    let Some(mpp) = state.config.mpp(&id) else {
        return Err(failure(
            StatusCode::NOT_FOUND,
            &format!("mpp: no MPP {id:?} is served here"),
        ));
    };
    if !account.reads(&mpp.id) {
        return Err(not_yours());
    }
    let span = board::span_of(&params, state.today(mpp))
        .map_err(|problem| failure(StatusCode::BAD_REQUEST, &problem))?;
    board::read(state, (mpp, span), mpps)
        .await
        .map_err(|failure_| failure(failure_.status, &failure_.message))
}

/// `GET /dashboard`.
async fn show(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    match prepare(&state, query, &headers).await {
        Ok(board) => styled(respond(StatusCode::OK, view::render(&board))),
        Err(page) => page,
    }
}

/// `GET /dashboard.csv`.
async fn csv(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    match prepare(&state, query, &headers).await {
        Ok(board) => {
            let body = export::csv(&board).into_bytes();
            export::download(&board, body, "csv", "text/csv; charset=utf-8")
        }
        Err(page) => page,
    }
}

/// `GET /dashboard.xlsx`.
async fn xlsx(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let board = match prepare(&state, query, &headers).await {
        Ok(board) => board,
        Err(page) => return page,
    };
    match export::xlsx(&board) {
        Ok(body) => export::download(&board, body, "xlsx", XLSX),
        Err(error) => {
            tracing::error!(%error, "the dashboard's XLSX was not written");
            failure(StatusCode::INTERNAL_SERVER_ERROR, "XLSX")
        }
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A page that links the dashboard's stylesheet: the policy lets it load from this server.
fn styled(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let widened = headers
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|policy| policy.to_str().ok())
        .map(|policy| policy.replacen("style-src ", "style-src 'self' ", 1))
        .and_then(|policy| HeaderValue::from_str(&policy).ok());
    if let Some(policy) = widened {
        headers.insert(CONTENT_SECURITY_POLICY, policy);
    }
    response
}

async fn stylesheet() -> Response {
    let mut response = STYLE.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=600"),
    );
    response
}

/// A staff page that only says what went wrong.
fn failure(status: StatusCode, message: &str) -> Response {
    respond(
        status,
        page(
            "Dasbor / Dashboard",
            Language::Indonesian,
            None,
            html! { main { div class="card" { p class="status bad" {
                "Dasbor / Dashboard: " (message)
            } } } },
        ),
    )
}
