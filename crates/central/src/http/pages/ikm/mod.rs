//! `GET /reports/ikm?mpp=&from=&to=&agency=&service=&counter=` (and `/reports/ikm.csv`, see
//! [`crate::http::pages::ikm::csv`]): the staff's satisfaction report, behind the staff sign-in as `/fleet`
//! is. The period is over the tickets' business days, from the first of this month to today
//! in the MPP's time zone unless given; agency, service and counter narrow it to the tickets
//! of that agency or service code, or served at that counter point. Every figure comes from
//! the core's [`Tally`]: the server never computes an index itself.

use axum::Router;
use axum::routing::get;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports/ikm", get(show))
        .route("/reports/ikm.csv", get(csv::download))
}

pub mod csv;
pub mod decimal;
pub mod report;
mod view;

pub use report::{Filter, Report};

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::html;

use crate::http::html::{page, respond};
use crate::http::pages::login::{not_yours, staff_only};
use crate::http::state::AppState;
use mpp_core::lang::Language;

/// The report for the request, or the page that answers instead (sign in first, a bad
/// filter, the database away).
pub async fn prepare(
    state: &AppState,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: &HeaderMap,
) -> Result<Report, Response> {
    let params = query
        .as_ref()
        .map(|Query(params)| params.clone())
        .unwrap_or_default();
    let signed = staff_only(state, query, headers).await?;
    let mut params = params;
    if !params.contains_key("mpp") {
        // The first MPP the account reads, rather than the server's first.
        let first = (state.config.mpps().iter()).find(|mpp| signed.account.reads(&mpp.id));
        if let Some(first) = first {
            params.insert("mpp".into(), first.id.clone());
        }
    }
    let mut filter = Filter::read(state, &params).map_err(|problem| {
        failure(
            StatusCode::BAD_REQUEST,
            &format!("Laporan IKM / IKM report: {problem}"),
        )
    })?;
    if !signed.account.reads(&filter.mpp) {
        return Err(not_yours());
    }
    filter.mpps.retain(|(id, _)| signed.account.reads(id));
    let (mpp, from, to) = (filter.mpp.clone(), filter.from, filter.to);
    let rows = state
        .read(move |storage| storage.survey_rows(&mpp, from, to))
        .await
        .map_err(|failure_| failure(failure_.status, &failure_.message))?;
    let catalog = state.catalog(&filter.mpp).await;
    Ok(Report::new(filter, rows, &catalog))
}

/// `GET /reports/ikm`.
pub async fn show(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    match prepare(&state, query, &headers).await {
        Ok(report) => respond(
            StatusCode::OK,
            crate::http::pages::ikm::view::render(&report),
        ),
        Err(page) => page,
    }
}

/// A staff page that only says what went wrong.
fn failure(status: StatusCode, message: &str) -> Response {
    respond(
        status,
        page(
            "IKM",
            Language::Indonesian,
            None,
            html! { main { div class="card" { p class="status bad" { (message) } } } },
        ),
    )
}
