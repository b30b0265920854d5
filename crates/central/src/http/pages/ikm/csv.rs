//! `GET /reports/ikm.csv?…` (the report's filters, [`crate::http::pages::ikm`]): the report as the
//! reporting template of PermenPANRB 14/2017 (its lampiran's "pengolahan data" sheet) lays it
//! out, in UTF-8 with a byte-order mark (so spreadsheets read the dashes and accents), a
//! semicolon between cells, CRLF between lines and quotes as RFC 4180 has them, and decimals
//! with a comma (`3,50`): what a spreadsheet set to Indonesian (decimal comma, list separator
//! `;`) opens into columns and numbers when the file is double-clicked. Commas between cells
//! and `3.50` would land in one column there, or be read as 350. The exact shape:
//!
//! ```text
//! Survei Kepuasan Masyarakat (PermenPANRB 14/2017);<MPP name>
//! Periode;<from>;<to>
//! Filter;<agency or empty>;<service or empty>;<counter or empty>
//!                                              (an empty line)
//! No;Tanggal;Kanal;Instansi;Layanan;Loket;U1;…;U9;Usia;Jenis kelamin;Pendidikan;Pekerjaan;Saran
//! 1;<business day>;<kiosk|phone>;<agency>;<service>;<counter>;<1–4>;…;<1–4>;<facts…>;<suggestion>
//! …one row per respondent, oldest first…
//!                                              (an empty line)
//! Jumlah nilai per unsur;;;;;;<sum U1>;…;<sum U9>
//! NRR per unsur;;;;;;<NRR U1>;…                (2 decimals: 3,50)
//! NRR tertimbang (bobot 0,11);;;;;;<NRR × 0,11 U1>;…   (3 decimals: 0,385)
//! NRR tertimbang (bobot 1/9);;;;;;<NRR × 1/9 U1>;…
//! IKM (bobot 0,11);<index>            (88,00; or "terlalu sedikit responden (n < 30)")
//! IKM (bobot 1/9);<index>
//! Mutu pelayanan (bobot 0,11);<A–D>;<sangat baik…>
//! Mutu pelayanan (bobot 1/9);<A–D>;<…>
//! Jumlah responden;<n>
//! ```
//!
//! U1–U9 are the regulation's labels ([`Element::regulation_label`]), whatever order a
//! questionnaire asked them in. Facts are written in Indonesian words, empty when not given.
//! Every cell is quoted when it holds a semicolon, a quote or a line break, and one that starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, so a
//! suggestion is never run as a spreadsheet formula.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::http::pages::ikm::decimal::{hundredths, thousandths};
use crate::http::pages::ikm::prepare;
use crate::http::pages::ikm::report::Report;
use crate::http::state::AppState;
use crate::model::survey::SurveyRow;
use mpp_core::lang::Language;
use mpp_core::survey::Element;
use mpp_core::survey::index::{Tally, Verdict, Weight};
use mpp_core::survey::respondent::{AgeBand, Education, Occupation, Sex};

/// Cells before the nine answers in a respondent's row, so summary rows put their figures
/// under U1–U9.
const LEADING: usize = 6;
/// Between cells: a spreadsheet set to Indonesian takes `;` (its decimals have the comma).
const SEPARATOR: char = ';';

/// `GET /reports/ikm.csv`.
pub async fn download(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let report = match prepare(&state, query, &headers).await {
        Ok(report) => report,
        Err(page) => return page,
    };
    let filter = &report.filter;
    let name = format!("ikm-{}-{}-{}.csv", filter.mpp, filter.from, filter.to);
    let mut response = (StatusCode::OK, csv(&report)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}

/// The whole file (see the module documentation).
pub fn csv(report: &Report) -> String {
    let filter = &report.filter;
    let optional = |value: &Option<String>| value.clone().unwrap_or_default();
    let mut lines: Vec<Vec<String>> = vec![
        vec![
            "Survei Kepuasan Masyarakat (PermenPANRB 14/2017)".into(),
            filter.mpp_name.clone(),
        ],
        vec![
            "Periode".into(),
            filter.from.to_string(),
            filter.to.to_string(),
        ],
        vec![
            "Filter".into(),
            optional(&filter.agency),
            optional(&filter.service),
            optional(&filter.counter),
        ],
        vec![],
        header(),
    ];
    lines.extend(
        report
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| respondent(index + 1, row)),
    );
    lines.push(vec![]);
    lines.extend(summary(&report.tally));
    let mut text = String::from("\u{feff}");
    for line in lines {
        let cells: Vec<String> = line.iter().map(|value| cell(value)).collect();
        text.push_str(&cells.join(&SEPARATOR.to_string()));
        text.push_str("\r\n");
    }
    text
}

fn header() -> Vec<String> {
    let mut cells: Vec<String> = ["No", "Tanggal", "Kanal", "Instansi", "Layanan", "Loket"]
        .map(String::from)
        .into();
    cells.extend(Element::ALL.map(|element| element.regulation_label().to_owned()));
    cells.extend(["Usia", "Jenis kelamin", "Pendidikan", "Pekerjaan", "Saran"].map(String::from));
    cells
}

fn respondent(number: usize, row: &SurveyRow) -> Vec<String> {
    let id = Language::Indonesian;
    let facts = &row.respondent;
    let mut cells = vec![
        number.to_string(),
        row.business_day.to_string(),
        crate::storage::survey_rows::channel_code(row.channel).to_owned(),
        row.agency.clone(),
        row.service.clone(),
        row.counter.clone().unwrap_or_default(),
    ];
    cells.extend(
        row.answers
            .iter()
            .map(|(_, rating)| rating.value().to_string()),
    );
    cells.extend([
        facts
            .age
            .map_or("", |age| AgeBand::label(age, id))
            .to_owned(),
        facts.sex.map_or("", |sex| Sex::label(sex, id)).to_owned(),
        facts
            .education
            .map_or("", |education| Education::label(education, id))
            .to_owned(),
        facts
            .occupation
            .map_or("", |occupation| Occupation::label(occupation, id))
            .to_owned(),
        row.suggestion.clone().unwrap_or_default(),
    ]);
    cells
}

/// The rows under the respondents: sums, NRR, weighted NRR, index, grade, count.
fn summary(tally: &Tally) -> Vec<Vec<String>> {
    let scores = tally.elements();
    let per_element =
        |label: &str, value: &dyn Fn(&mpp_core::survey::index::ElementScore) -> String| {
            let mut cells = vec![label.to_owned()];
            cells.extend(std::iter::repeat_n(String::new(), LEADING - 1));
            cells.extend(scores.iter().map(value));
            cells
        };
    let dash = || "–".to_owned();
    let mut lines = vec![
        per_element("Jumlah nilai per unsur", &|score| score.sum.to_string()),
        per_element("NRR per unsur", &|score| {
            score.nrr().map_or_else(dash, hundredths)
        }),
    ];
    for weight in Weight::ALL {
        let label = format!("NRR tertimbang ({})", weight_words(weight));
        lines.push(per_element(&label, &|score| {
            score.weighted_nrr(weight).map_or_else(dash, thousandths)
        }));
    }
    let verdict = tally.verdict();
    for weight in Weight::ALL {
        let index = match &verdict {
            Verdict::Index { regulation, exact } => Some(match weight {
                Weight::Regulation => *regulation,
                Weight::Exact => *exact,
            }),
            Verdict::TooFew { .. } => None,
        };
        lines.push(match index {
            Some(index) => vec![weight.label().to_owned(), hundredths(index.value)],
            None => vec![weight.label().to_owned(), too_few(&verdict)],
        });
    }
    for weight in Weight::ALL {
        let label = format!("Mutu pelayanan ({})", weight_words(weight));
        let grade = match &verdict {
            Verdict::Index { regulation, exact } => {
                let index = if weight == Weight::Regulation {
                    regulation
                } else {
                    exact
                };
                vec![
                    label,
                    format!("{:?}", index.grade),
                    index.grade.performance().to_owned(),
                ]
            }
            Verdict::TooFew { .. } => vec![label, too_few(&verdict)],
        };
        lines.push(grade);
    }
    lines.push(vec![
        "Jumlah responden".into(),
        tally.respondents().to_string(),
    ]);
    lines
}

fn weight_words(weight: Weight) -> &'static str {
    match weight {
        Weight::Regulation => "bobot 0,11",
        Weight::Exact => "bobot 1/9",
    }
}

fn too_few(verdict: &Verdict) -> String {
    match verdict {
        Verdict::TooFew { needed, .. } => format!("terlalu sedikit responden (n < {needed})"),
        Verdict::Index { .. } => String::new(),
    }
}

/// One cell: guarded against formulas, quoted when it must be.
pub fn cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([SEPARATOR, '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_when_they_must_be_and_never_run_as_formulas() {
        assert_eq!(cell("Loket 2"), "Loket 2");
        assert_eq!(cell("cepat, ramah"), "cepat, ramah");
        assert_eq!(cell("kata \"bagus\""), "\"kata \"\"bagus\"\"\"");
        assert_eq!(cell("baris\nbaru"), "\"baris\nbaru\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+62"), "'+62");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("a; b"), "\"a; b\"");
        assert_eq!(cell("3,50"), "3,50");
        assert_eq!(cell(""), "");
    }
}
