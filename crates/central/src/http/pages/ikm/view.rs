//! The IKM report page: the filter, the respondents, the index under both weights with its
//! grade (or "too few"), the NRR of each element with a bar (plain HTML and CSS), the
//! breakdown per agency, service and counter, and the suggestions. Staff pages write
//! Indonesian with English after a slash. Every text a kiosk or visitor sent is escaped.

use maud::{Markup, html};

use crate::http::html::page;
use crate::http::pages::ikm::decimal::hundredths;
use crate::http::pages::ikm::report::{Group, Report};
use mpp_core::lang::Language;
use mpp_core::survey::Element;
use mpp_core::survey::index::{ElementScore, Index, MIN_RESPONDENTS, Tally, Verdict};

/// The page.
pub fn render(report: &Report) -> String {
    let filter = &report.filter;
    let body = html! {
        main class="wide" {
            p { a href={ "/fleet?mpp=" (filter.mpp) } { "← Armada kiosk / Kiosk fleet" } }
            h1 { "Laporan IKM / IKM report · " (filter.mpp_name) }
            @if filter.mpps.len() > 1 {
                nav class="mpps" {
                    @for (id, name) in &filter.mpps {
                        @if *id == filter.mpp {
                            strong { (name) } " "
                        } @else {
                            a href={ "/reports/ikm?mpp=" (id) } { (name) } " "
                        }
                    }
                }
            }
            p class="period" {
                "Periode / Period: " (filter.from) " – " (filter.to)
                @if let Some(agency) = &filter.agency { " · Instansi / Agency: " (agency) }
                @if let Some(service) = &filter.service { " · Layanan / Service: " (service) }
                @if let Some(counter) = &filter.counter { " · Loket / Counter: " (counter) }
            }
            (filter_form(report))
            p { a class="csv" href={ "/reports/ikm.csv?" (filter.query()) } { "Unduh CSV / Download CSV" } }
            (summary(&report.tally))
            h2 { "NRR per unsur / NRR per element" }
            (elements(&report.tally))
            h2 { "Rincian / Breakdown" }
            (breakdown("Instansi / Agency", &report.agencies))
            (breakdown("Layanan / Service", &report.services))
            (breakdown("Loket / Counter", &report.counters))
            h2 { "Saran / Suggestions" }
            (suggestions(report))
        }
    };
    page("IKM", Language::Indonesian, None, body)
}

fn filter_form(report: &Report) -> Markup {
    let filter = &report.filter;
    let value = |given: &Option<String>| given.clone().unwrap_or_default();
    html! {
        form method="get" action="/reports/ikm" class="filter" {
            input type="hidden" name="mpp" value=(filter.mpp);
            label { "Dari / From " input type="date" name="from" value=(filter.from); } " "
            label { "Sampai / To " input type="date" name="to" value=(filter.to); } " "
            label { "Instansi / Agency " input name="agency" value=(value(&filter.agency)); } " "
            label { "Layanan / Service " input name="service" value=(value(&filter.service)); } " "
            label { "Loket / Counter " input name="counter" value=(value(&filter.counter)); } " "
            button type="submit" { "Tampilkan / Show" }
        }
    }
}

/// Respondents, and the index under both weights or "too few".
fn summary(tally: &Tally) -> Markup {
    html! {
        p { "Responden / Respondents: " strong class="respondents" { (tally.respondents()) } }
        @match tally.verdict() {
            Verdict::TooFew { respondents, needed } => {
                p class="status bad too-few" {
                    "Terlalu sedikit responden (n < " (needed) ") / too few respondents (n < "
                    (needed) "): n = " (respondents) ". Tidak ada indeks / no index."
                }
            }
            Verdict::Index { regulation, exact } => {
                div class="scroll" { table class="ikm" {
                    thead { tr {
                        th { "Indeks / Index" } th { "Nilai / Value" } th { "Mutu / Grade" }
                        th { "Kinerja / Performance" }
                    } }
                    tbody { (index_row(&regulation)) (index_row(&exact)) }
                } }
            }
        }
    }
}

fn index_row(index: &Index) -> Markup {
    html! {
        tr {
            th { (index.weight.label()) }
            td class="num ikm-value" { (hundredths(index.value)) }
            td class="grade" { (format!("{:?}", index.grade)) }
            td { (index.grade.performance()) }
        }
    }
}

fn elements(tally: &Tally) -> Markup {
    html! {
        div class="scroll" { table class="elements" {
            thead { tr {
                th { "Unsur / Element" } th { "Nama / Name" } th { "NRR" } th { "" }
            } }
            tbody {
                @for score in tally.elements() { (element_row(&score)) }
            }
        } }
    }
}

fn element_row(score: &ElementScore) -> Markup {
    let element: Element = score.element;
    let (id, en) = (
        element.wording(Language::Indonesian).name,
        element.wording(Language::English).name,
    );
    let nrr = score.nrr();
    // The bar's length is the NRR on the scale's 4: hundredths ÷ 4 is the percentage.
    let width = nrr.map_or(0.0, |nrr| f64::from(nrr.0) / 4.0);
    html! {
        tr {
            th { (element.regulation_label()) }
            td { (id) " / " (en) }
            td class="num nrr" data-element=(element.code()) {
                @match nrr { Some(nrr) => (hundredths(nrr)), None => "–" }
            }
            td class="track" {
                div class="bar" style=(format!("width:{width:.2}%")) {}
            }
        }
    }
}

fn breakdown(title: &str, groups: &[Group]) -> Markup {
    html! {
        @if !groups.is_empty() {
            h3 { (title) }
            div class="scroll" { table class="breakdown" {
                thead { tr {
                    th { (title) } th { "Responden / Respondents" }
                    th { "IKM (bobot 0,11)" } th { "IKM (bobot 1/9)" }
                } }
                tbody {
                    @for group in groups {
                        tr {
                            td class="group" { (group.name) }
                            td class="num" { (group.tally.respondents()) }
                            @match group.tally.verdict() {
                                Verdict::Index { regulation, exact } => {
                                    td class="num" { span class="figure" { (hundredths(regulation.value)) } " (" (format!("{:?}", regulation.grade)) ")" }
                                    td class="num" { span class="figure" { (hundredths(exact.value)) } " (" (format!("{:?}", exact.grade)) ")" }
                                }
                                Verdict::TooFew { .. } => {
                                    td colspan="2" class="too-few" {
                                        "Terlalu sedikit (n < " (MIN_RESPONDENTS) ") / too few"
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
    }
}

fn suggestions(report: &Report) -> Markup {
    let given: Vec<_> = report
        .rows
        .iter()
        .rev()
        .filter_map(|row| row.suggestion.as_ref().map(|text| (text, row)))
        .collect();
    html! {
        @if given.is_empty() {
            p { "Belum ada saran / No suggestions yet." }
        } @else {
            ul class="suggestions" {
                @for (text, row) in given {
                    li {
                        span class="suggestion" { (text) }
                        " — " (report.service_name(&row.service)) " · " (row.business_day)
                    }
                }
            }
        }
    }
}
