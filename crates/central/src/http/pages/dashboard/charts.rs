//! The dashboard's pictures, drawn on the server as SVG inside the page (no script, nothing
//! loaded): tickets per hour, waiting time per agency, served and no-show per queue. Each is
//! readable printed in black and white — this period solid, the one compared with or the
//! no-shows outlined or hatched, every bar labelled with its figure — and scales to a phone's
//! width. Each names the table below that holds the same figures, for screen readers. Every
//! SVG element is written with its end tag (`{}`): inside HTML, `<rect>` alone would hold all
//! that follows it.

use maud::{Markup, html};

use crate::http::pages::dashboard::board::Board;
use crate::http::pages::dashboard::tables::{WEEKDAYS, busy_hours};
use crate::rules::dashboard::figures::Summary;

/// The drawing's width in its own units (it scales to the page).
const WIDTH: i64 = 480;
const INK: &str = "#1b2a3a";
const FONT: i64 = 15;

/// Every picture of the board, in the page's order.
pub fn charts(board: &Board) -> Markup {
    html! {
        (hours(board))
        (heat_map(board))
        (waits(board))
        (outcomes(board))
        (trend(board))
    }
}

fn figure(id: &str, caption: &str, table: &str, svg: Markup) -> Markup {
    html! {
        figure id=(id) {
            figcaption id={ (id) "-title" } { (caption) }
            (svg)
            p class="chart-note" {
                "Angka yang sama ada di tabel " a href={ "#" (table) } { "di bawah" }
                " / The same figures are in the table below."
            }
        }
    }
}

/// The SVG element: `height` units tall, titled by the figure's caption.
fn svg(id: &str, height: i64, body: Markup) -> Markup {
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (height) }
            role="img" aria-labelledby={ (id) "-title" } font-family="sans-serif"
            font-size=(FONT) {
            defs {
                pattern id={ (id) "-hatch" } width="6" height="6" patternUnits="userSpaceOnUse"
                    patternTransform="rotate(45)" {
                    line x1="0" y1="0" x2="0" y2="6" stroke=(INK) stroke-width="2" {}
                }
            }
            (body)
        }
    }
}

/// Bars of tickets per hour: this period solid, the one compared with outlined and dashed.
fn hours(board: &Board) -> Markup {
    let shown: Vec<usize> = (0..24)
        .filter(|hour| board.now.hours[*hour] > 0 || board.before.hours[*hour] > 0)
        .collect();
    if shown.is_empty() {
        return html! {};
    }
    let highest = (shown.iter())
        .map(|hour| board.now.hours[*hour].max(board.before.hours[*hour]))
        .max()
        .unwrap_or(1)
        .max(1);
    let (top, bottom, plot) = (40, 30, 200);
    let slot = ((WIDTH - 20) / shown.len() as i64).min(60);
    let height_of = |count: u64| (count as i64 * plot) / highest as i64;
    let base = top + plot;
    let body = html! {
        (legend("Periode ini / This period", "Pembanding / Compared"))
        line x1="10" y1=(base) x2=(WIDTH - 10) y2=(base) stroke=(INK) {}
        @for (index, hour) in shown.iter().enumerate() {
            @let x = 10 + index as i64 * slot;
            @let (now, before) = (board.now.hours[*hour], board.before.hours[*hour]);
            @let bar = (slot / 2 - 2).max(3);
            rect x=(x + 2) y=(base - height_of(now)) width=(bar) height=(height_of(now))
                fill=(INK) {}
            rect x=(x + 2 + bar) y=(base - height_of(before)) width=(bar)
                height=(height_of(before)) fill="none" stroke=(INK) stroke-dasharray="3 2" {}
            text x=(x + slot / 2) y=(base - height_of(now).max(height_of(before)) - 4)
                text-anchor="middle" font-size=(FONT - 3) { (now) }
            text x=(x + slot / 2) y=(base + 18) text-anchor="middle" { (format!("{hour:02}")) }
        }
    };
    figure(
        "chart-hours",
        "Tiket per jam / Tickets per hour",
        "jam",
        svg("chart-hours", top + plot + bottom, body),
    )
}

/// A legend: a solid box for `solid`, an outlined one for `outlined`.
fn legend(solid: &str, outlined: &str) -> Markup {
    html! {
        rect x="10" y="8" width="14" height="14" fill=(INK) {}
        text x="30" y="20" { (solid) }
        rect x="250" y="8" width="14" height="14" fill="none" stroke=(INK) stroke-dasharray="3 2" {}
        text x="270" y="20" { (outlined) }
    }
}

/// Horizontal bars per agency: the median wait solid, on to the 90th percentile outlined.
fn waits(board: &Board) -> Markup {
    let agencies = board.now.grouped(|queue| Some(board.agency_of(queue)));
    let rows: Vec<(String, i64, i64)> = (agencies.iter())
        .filter_map(|(code, summary)| {
            Some((code.clone(), summary.wait_median()?, summary.wait_p90()?))
        })
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    let longest = rows.iter().map(|row| row.2).max().unwrap_or(1).max(1);
    let (label, row_height, top) = (110, 30, 32);
    let span = WIDTH - label - 100;
    let width_of = |minutes: i64| minutes * span / longest;
    let body = html! {
        (legend("Median", "Sampai p90 / To p90"))
        @for (index, (code, median, p90)) in rows.iter().enumerate() {
            @let y = top + index as i64 * row_height;
            text x="10" y=(y + 17) { (code) }
            rect x=(label) y=(y + 4) width=(width_of(*p90)) height="18" fill="none"
                stroke=(INK) stroke-dasharray="3 2" {}
            rect x=(label) y=(y + 4) width=(width_of(*median)) height="18" fill=(INK) {}
            text x=(label + width_of(*p90) + 6) y=(y + 18) font-size=(FONT - 2) {
                (median) " / " (p90) " mnt"
            }
        }
    };
    figure(
        "chart-waits",
        "Waktu tunggu per instansi (menit) / Waiting time per agency (minutes)",
        "instansi",
        svg(
            "chart-waits",
            top + rows.len() as i64 * row_height + 10,
            body,
        ),
    )
}

/// Stacked bars per queue: served solid, no-show hatched, the rest (waiting, voided, called)
/// left blank inside the outline of all issued.
fn outcomes(board: &Board) -> Markup {
    let rows: Vec<(&String, &Summary)> = (board.now.by_queue.iter())
        .filter(|(_, summary)| summary.issued > 0)
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    let most = rows
        .iter()
        .map(|(_, summary)| summary.issued)
        .max()
        .unwrap_or(1)
        .max(1);
    let (label, row_height, top) = (70, 30, 32);
    let span = WIDTH - label - 150;
    let width_of = |count: u64| count as i64 * span / most as i64;
    let body = html! {
        rect x="10" y="8" width="14" height="14" fill=(INK) {}
        text x="30" y="20" { "Dilayani / Served" }
        rect x="200" y="8" width="14" height="14" fill="url(#chart-outcomes-hatch)" stroke=(INK) {}
        text x="220" y="20" { "Tidak hadir / No-show" }
        @for (index, (queue, summary)) in rows.iter().enumerate() {
            @let y = top + index as i64 * row_height;
            text x="10" y=(y + 17) { (queue) }
            rect x=(label) y=(y + 4) width=(width_of(summary.issued)) height="18" fill="none"
                stroke=(INK) {}
            rect x=(label) y=(y + 4) width=(width_of(summary.served)) height="18" fill=(INK) {}
            rect x=(label + width_of(summary.served)) y=(y + 4) width=(width_of(summary.no_show))
                height="18" fill="url(#chart-outcomes-hatch)" stroke=(INK) {}
            text x=(label + width_of(summary.issued) + 6) y=(y + 18) font-size=(FONT - 2) {
                (summary.served) " / " (summary.no_show) " / " (summary.issued)
            }
        }
    };
    figure(
        "chart-outcomes",
        "Dilayani dan tidak hadir per antrean (dilayani / tidak hadir / diambil) / \
         Served and no-show per queue (served / no-show / issued)",
        "antrean",
        svg(
            "chart-outcomes",
            top + rows.len() as i64 * row_height + 10,
            body,
        ),
    )
}

/// Weekday × hour: each cell's grey as dark as its tickets, with the count written in it.
fn heat_map(board: &Board) -> Markup {
    let hours = busy_hours(&board.heat);
    let days: Vec<usize> = (0..7)
        .filter(|day| board.heat[*day].iter().any(|count| *count > 0))
        .collect();
    if hours.is_empty() {
        return html! {};
    }
    let most = board
        .heat
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    let (label, top, cell_height) = (60, 24, 26);
    let cell = ((WIDTH - label - 10) / hours.len() as i64).min(60);
    let body = html! {
        @for (column, hour) in hours.iter().enumerate() {
            text x=(label + column as i64 * cell + cell / 2) y="16" text-anchor="middle"
                font-size=(FONT - 3) { (format!("{hour:02}")) }
        }
        @for (row, day) in days.iter().enumerate() {
            @let y = top + row as i64 * cell_height;
            text x="6" y=(y + 18) font-size=(FONT - 2) {
                (WEEKDAYS[*day].split(' ').next().unwrap_or_default())
            }
            @for (column, hour) in hours.iter().enumerate() {
                @let count = board.heat[*day][*hour];
                @let shade = 255 - (count * 215 / most) as i64;
                @let x = label + column as i64 * cell;
                rect x=(x) y=(y) width=(cell - 1) height=(cell_height - 1)
                    fill=(format!("rgb({shade},{shade},{shade})")) stroke="#999" {}
                text x=(x + cell / 2) y=(y + 17) text-anchor="middle" font-size=(FONT - 4)
                    fill=(if shade < 140 { "#fff" } else { "#000" }) { (count) }
            }
        }
    };
    figure(
        "chart-heat",
        "Tiket per hari dan jam / Tickets per weekday and hour",
        "hari-jam",
        svg(
            "chart-heat",
            top + days.len() as i64 * cell_height + 6,
            body,
        ),
    )
}

/// Visitors per week: issued outlined, served solid inside it, the week's IKM beneath.
fn trend(board: &Board) -> Markup {
    if board.weeks.len() < 2 {
        return html! {};
    }
    let most = (board.weeks.values())
        .map(|(week, _)| week.issued)
        .max()
        .unwrap_or(1)
        .max(1);
    let (top, plot) = (32, 160);
    let slot = ((WIDTH - 20) / board.weeks.len() as i64).min(60);
    let height_of = |count: u64| count as i64 * plot / most as i64;
    let base = top + plot;
    // At most eight dates under the bars; each week's IKM only while there is room (the table
    // below has them all).
    let every = board.weeks.len().div_ceil(8);
    let with_ikm = board.weeks.len() <= 13;
    let body = html! {
        (legend("Dilayani / Served", "Diambil / Issued"))
        line x1="10" y1=(base) x2=(WIDTH - 10) y2=(base) stroke=(INK) {}
        @for (index, (monday, (week, ikm))) in board.weeks.iter().enumerate() {
            @let x = 10 + index as i64 * slot;
            rect x=(x + 2) y=(base - height_of(week.issued)) width=(slot - 4)
                height=(height_of(week.issued)) fill="none" stroke=(INK) stroke-dasharray="3 2" {}
            rect x=(x + 2) y=(base - height_of(week.served)) width=(slot - 4)
                height=(height_of(week.served)) fill=(INK) {}
            @if index % every == 0 {
                text x=(x + slot / 2) y=(base + 16) text-anchor="middle" font-size=(FONT - 4) {
                    (monday.format("%d/%m"))
                }
            }
            @if with_ikm {
                text x=(x + slot / 2) y=(base + 32) text-anchor="middle" font-size=(FONT - 4) {
                    (ikm.map_or("–".to_owned(), |ikm| ikm.to_string().replace('.', ",")))
                }
            }
        }
        @if with_ikm {
            text x=(WIDTH - 10) y=(base + 48) text-anchor="end" font-size=(FONT - 4) {
                "baris bawah: IKM / bottom row: IKM"
            }
        }
    };
    figure(
        "chart-weeks",
        "Pengunjung per minggu dan IKM / Visitors per week and IKM",
        "minggu",
        svg("chart-weeks", base + 56, body),
    )
}
