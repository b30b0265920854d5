//! The dashboard page: where it is (MPP, span, the span compared with), ways to other spans
//! and MPPs, the headline figures, then every table of `tables` (each a real table, readable
//! by a screen reader, scrolling sideways on a phone). Staff pages write Indonesian with
//! English after a slash.

use maud::{Markup, html};

use crate::http::html::page;
use crate::http::pages::dashboard::REFRESH_SECONDS;
use crate::http::pages::dashboard::board::Board;
use crate::http::pages::dashboard::charts::charts;
use crate::http::pages::dashboard::tables::{Cell, Table, tables};
use crate::rules::dashboard::period::{Kind, Span};
use mpp_core::lang::Language;

/// The page.
pub fn render(board: &Board) -> String {
    let body = html! {
        link rel="stylesheet" href="/assets/dashboard.css";
        main class="dash" {
            nav class="links" {
                a href={ "/fleet?mpp=" (board.mpp) } { "Armada kiosk / Kiosk fleet" }
                " · "
                a href={ "/reports/ikm?mpp=" (board.mpp) } { "Laporan IKM / IKM report" }
                @if board.mpps.len() > 1 {
                    " · "
                    a href="/dashboard/province" { "Semua MPP / Every MPP" }
                }
            }
            h1 { "Dasbor layanan / Service dashboard" span class="mpp-name" { (board.mpp_name) } }
            (mpps(board))
            (where_(board))
            (spans(board))
            (downloads(board))
            (headline(board))
            (charts(board))
            @for table in tables(board) {
                (table_of(&table))
            }
            (notes())
        }
    };
    let refresh = board.live().then_some(REFRESH_SECONDS);
    page("Dasbor / Dashboard", Language::Indonesian, refresh, body)
}

/// The address of `mpp`'s dashboard for `span`.
pub fn address(mpp: &str, span: &Span) -> String {
    match span.kind {
        Kind::Range => format!(
            "/dashboard?mpp={mpp}&period=range&from={}&to={}",
            span.from, span.to
        ),
        kind => format!(
            "/dashboard?mpp={mpp}&period={}&date={}",
            kind.code(),
            span.from
        ),
    }
}

fn mpps(board: &Board) -> Markup {
    html! {
        @if board.mpps.len() > 1 {
            nav class="mpps" aria-label="MPP" {
                @for (id, name) in &board.mpps {
                    @if *id == board.mpp {
                        strong aria-current="page" { (name) }
                    } @else {
                        a href=(address(id, &board.span)) { (name) }
                    }
                    " "
                }
            }
        }
    }
}

fn shown(span: &Span) -> String {
    if span.from == span.to {
        span.from.to_string()
    } else {
        format!("{} – {}", span.from, span.to)
    }
}

fn where_(board: &Board) -> Markup {
    html! {
        p class="period" {
            "Periode / Period: " strong class="span" { (shown(&board.span)) }
            " (" (board.span.kind.label()) ")"
            br;
            "Pembanding / Compared with: " span class="earlier" { (shown(&board.earlier)) }
        }
        @if board.live() {
            p class="live" {
                "Termasuk hari ini: halaman ini diperbarui tiap menit / "
                "Includes today: this page refreshes every minute"
            }
        }
    }
}

fn spans(board: &Board) -> Markup {
    let today = |kind| Span::around(kind, board.today);
    html! {
        nav class="spans" aria-label="Periode / Period" {
            a href=(address(&board.mpp, &board.span.previous())) { "← Sebelumnya / Previous" }
            a href=(address(&board.mpp, &today(Kind::Day))) { "Hari ini / Today" }
            a href=(address(&board.mpp, &today(Kind::Week))) { "Minggu ini / This week" }
            a href=(address(&board.mpp, &today(Kind::Month))) { "Bulan ini / This month" }
            a href=(address(&board.mpp, &board.span.later())) { "Berikutnya / Next →" }
        }
        form method="get" action="/dashboard" class="range" {
            input type="hidden" name="mpp" value=(board.mpp);
            input type="hidden" name="period" value="range";
            label { "Dari / From " input type="date" name="from" value=(board.span.from); }
            label { "Sampai / To " input type="date" name="to" value=(board.span.to); }
            button type="submit" { "Tampilkan / Show" }
        }
    }
}

/// The query of this board's address, for its downloads and print page.
fn query(board: &Board) -> String {
    address(&board.mpp, &board.span)
        .split_once('?')
        .map(|(_, query)| query.to_owned())
        .unwrap_or_default()
}

fn downloads(board: &Board) -> Markup {
    let query = query(board);
    html! {
        nav class="downloads" aria-label="Unduh / Download" {
            a href={ "/dashboard.xlsx?" (query) } { "Unduh XLSX / Download XLSX" }
            a href={ "/dashboard.csv?" (query) } { "Unduh CSV / Download CSV" }
        }
    }
}

/// Four figures at a glance, each with the one compared with.
fn headline(board: &Board) -> Markup {
    let (now, before) = (&board.now.total, &board.before.total);
    let minutes = |value: Option<i64>| value.map_or("–".to_owned(), |m| format!("{m} mnt"));
    let tiles = [
        (
            "Diambil / Issued",
            now.issued.to_string(),
            before.issued.to_string(),
        ),
        (
            "Dilayani / Served",
            now.served.to_string(),
            before.served.to_string(),
        ),
        (
            "Tidak hadir / No-show",
            now.no_show.to_string(),
            before.no_show.to_string(),
        ),
        (
            "Tunggu median / Median wait",
            minutes(now.wait_median()),
            minutes(before.wait_median()),
        ),
    ];
    html! {
        ul class="tiles" {
            @for (label, this, that) in tiles {
                li {
                    span class="tile-label" { (label) }
                    span class="tile-value" { (this) }
                    span class="tile-before" { "pembanding / compared: " (that) }
                }
            }
        }
    }
}

fn table_of(table: &Table) -> Markup {
    html! {
        section class="figures" id=(table.id) {
            h2 { (table.title) }
            @if table.rows.is_empty() {
                p class="empty" { "Belum ada data / No data yet" }
            } @else {
                div class="scroll" {
                    table {
                        thead { tr { @for column in &table.columns { th scope="col" { (column) } } } }
                        tbody {
                            @for row in &table.rows {
                                tr {
                                    @for (index, cell) in row.iter().enumerate() {
                                        @if index == 0 {
                                            th scope="row" { (cell.shown(true)) }
                                        } @else if matches!(cell, Cell::Text(_)) {
                                            td { (cell.shown(true)) }
                                        } @else {
                                            td class="num" { (cell.shown(true)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn notes() -> Markup {
    html! {
        section class="notes" {
            h2 { "Cara menghitung / How figures are computed" }
            ul {
                li { "Tunggu: dari tiket diambil sampai panggilan pertama. / "
                     "Wait: from issue to the first call." }
                li { "Layanan: dari panggilan terakhir sampai dilayani. / "
                     "Service: from the last call to served." }
                li { "Median dan p90 dalam menit penuh (di atas 30 menit per 5, di atas 2 jam per 15). / "
                     "Median and p90 in whole minutes (above 30 min in 5s, above 2 h in 15s)." }
                li { "Tiket yang dialihkan dihitung pada antrean awalnya. / "
                     "A transferred ticket counts under the queue it was issued for." }
                li { "Ditolak karena kuota atau layanan tutup tidak dicatat oleh server. / "
                     "Visitors turned away by a quota or a closure are not recorded by the server." }
            }
        }
    }
}
