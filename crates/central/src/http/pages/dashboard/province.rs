//! `GET /dashboard/province?period=&date=&from=&to=&sort=`: every MPP the account reads side
//! by side for the span — tickets issued, served and their share, no-shows, the median and
//! 90th-percentile wait, the satisfaction index — sortable by any column (links, no script),
//! each MPP's name leading to its own dashboard. A head sees their one MPP.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{Markup, html};

use crate::http::html::{page, respond};
use crate::http::pages::dashboard::board::{ikm_of, span_of};
use crate::http::pages::dashboard::view::address;
use crate::http::pages::dashboard::{failure, styled};
use crate::http::pages::login::{not_yours, staff_only};
use crate::http::state::AppState;
use crate::rules::dashboard::figures::{Summary, figures};
use crate::rules::dashboard::period::Span;
use crate::storage::rollups::RollupReads;
use mpp_core::lang::Language;
use mpp_core::survey::index::Hundredths;

/// One MPP's line.
struct Line {
    id: String,
    name: String,
    total: Summary,
    ikm: Option<Hundredths>,
}

/// The columns one may sort by: the address's word and the heading.
const COLUMNS: [(&str, &str); 7] = [
    ("name", "MPP"),
    ("issued", "Diambil / Issued"),
    ("served", "Dilayani / Served"),
    ("share", "Dilayani (%) / Served (%)"),
    ("no_show", "Tidak hadir / No-show"),
    ("wait", "Tunggu median (menit) / Median wait (min)"),
    ("ikm", "IKM"),
];

/// `GET /dashboard/province`.
pub async fn show(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let params = (query.as_ref())
        .map(|Query(params)| params.clone())
        .unwrap_or_default();
    let signed = match staff_only(&state, query, &headers).await {
        Ok(signed) => signed,
        Err(page) => return page,
    };
    let mpps: Vec<_> = (state.config.mpps().iter())
        .filter(|mpp| signed.account.reads(&mpp.id))
        .collect();
    let Some(first) = mpps.first() else {
        return not_yours();
    };
    let span = match span_of(&params, state.today(first)) {
        Ok(span) => span,
        Err(problem) => return failure(StatusCode::BAD_REQUEST, &problem),
    };
    let ids: Vec<(String, String, i32)> = (mpps.iter())
        .map(|mpp| {
            let east = mpp.time_zone.offset().local_minus_utc() / 3600;
            (mpp.id.clone(), mpp.name.clone(), east)
        })
        .collect();
    let read = state
        .read(move |storage| {
            let mut lines = Vec::with_capacity(ids.len());
            for (id, name, east) in ids {
                let rows = storage.period_rows(&id, span.from, span.to)?;
                let (ikm, _) = ikm_of(&storage.survey_rows(&id, span.from, span.to)?);
                let total = figures(&rows, east).total;
                lines.push(Line {
                    id,
                    name,
                    total,
                    ikm,
                });
            }
            Ok(lines)
        })
        .await;
    let mut lines = match read {
        Ok(lines) => lines,
        Err(failure_) => return failure(failure_.status, &failure_.message),
    };
    let sort = params.get("sort").map_or("name", String::as_str);
    let sort = COLUMNS
        .iter()
        .find(|(key, _)| *key == sort)
        .map_or("name", |(key, _)| key);
    sort_lines(&mut lines, sort);
    styled(respond(StatusCode::OK, render(&lines, &span, sort)))
}

/// Names A to Z; figures largest first (the median wait: shortest first).
fn sort_lines(lines: &mut [Line], sort: &str) {
    let key = |line: &Line| -> i64 {
        let total = &line.total;
        match sort {
            "issued" => -(total.issued as i64),
            "served" => -(total.served as i64),
            "share" => -(total.served_permille().map_or(-1, |share| share as i64)),
            "no_show" => -(total.no_show as i64),
            "wait" => total.wait_median().unwrap_or(i64::MAX),
            "ikm" => -(line.ikm.map_or(-1, |ikm| i64::from(ikm.0))),
            _ => 0,
        }
    };
    lines.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name)));
}

fn render(lines: &[Line], span: &Span, sort: &str) -> String {
    let base = address("", span).replacen("/dashboard?mpp=&", "/dashboard/province?", 1);
    let body = html! {
        link rel="stylesheet" href="/assets/dashboard.css";
        main class="dash" {
            h1 { "Dasbor provinsi / Province dashboard" }
            p class="period" { "Periode / Period: " strong { (span.from) " – " (span.to) } }
            section class="figures" id="provinsi" {
                h2 { "Semua MPP / Every MPP" }
                div class="scroll" { table {
                    thead { tr {
                        @for (key, title) in COLUMNS {
                            @if key == sort {
                                @let ascending = key == "name" || key == "wait";
                                th scope="col" aria-sort=(if ascending { "ascending" } else { "descending" }) {
                                    (title) (if ascending { " ▲" } else { " ▼" })
                                }
                            } @else {
                                th scope="col" { a href={ (base) "&sort=" (key) } { (title) } }
                            }
                        }
                    } }
                    tbody { @for line in lines { (row(line, span)) } }
                } }
            }
        }
    };
    page(
        "Dasbor provinsi / Province dashboard",
        Language::Indonesian,
        None,
        body,
    )
}

fn row(line: &Line, span: &Span) -> Markup {
    let total = &line.total;
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "–".into());
    let share = total
        .served_permille()
        .map(|permille| format!("{},{}", permille / 10, permille % 10));
    let ikm = line.ikm.map(|ikm| ikm.to_string().replace('.', ","));
    html! {
        tr {
            th scope="row" { a href=(address(&line.id, span)) { (line.name) } }
            td class="num" { (total.issued) }
            td class="num" { (total.served) }
            td class="num" { (or_dash(share)) }
            td class="num" { (total.no_show) }
            td class="num" { (or_dash(total.wait_median().map(|m| m.to_string()))) }
            td class="num" { (or_dash(ikm)) }
        }
    }
}
