//! `GET /dashboard.csv` and `/dashboard.xlsx` (the page's query): the board's tables for a
//! spreadsheet — the yearly KemenPANRB evaluation, the monthly report to the regent. Both start
//! with what the figures are of (MPP, period, period compared with). The CSV is UTF-8 with a
//! byte-order mark, commas between cells, CRLF between lines (RFC 4180), each table after its
//! title with a blank line between; decimals with a point, cells guarded against formulas as
//! the IKM CSV does. The XLSX has one sheet per table, its figures as numbers (not text).

use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::http::pages::dashboard::board::Board;
use crate::http::pages::dashboard::tables::{Cell, Table, tables};
use crate::http::pages::ikm::csv::cell as guarded;

/// The lines above every table: what the figures are of.
fn heading(board: &Board) -> Vec<Vec<String>> {
    vec![
        vec![
            "Dasbor layanan / Service dashboard".into(),
            board.mpp_name.clone(),
        ],
        vec![
            "Periode / Period".into(),
            board.span.from.to_string(),
            board.span.to.to_string(),
        ],
        vec![
            "Pembanding / Compared with".into(),
            board.earlier.from.to_string(),
            board.earlier.to.to_string(),
        ],
    ]
}

/// The whole CSV file.
pub fn csv(board: &Board) -> String {
    let mut lines: Vec<Vec<String>> = heading(board);
    for table in tables(board) {
        lines.push(Vec::new());
        lines.push(vec![table.title.to_owned()]);
        lines.push(
            table
                .columns
                .iter()
                .map(|column| (*column).to_owned())
                .collect(),
        );
        for row in &table.rows {
            lines.push(row.iter().map(csv_cell).collect());
        }
    }
    let mut text = String::from("\u{feff}");
    for line in lines {
        let cells: Vec<String> = line.iter().map(|value| guarded(value)).collect();
        text.push_str(&cells.join(","));
        text.push_str("\r\n");
    }
    text
}

fn csv_cell(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        cell => cell.shown(false),
    }
}

/// The whole XLSX file: one sheet per table, the heading above it.
pub fn xlsx(board: &Board) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let decimal = Format::new().set_num_format("0.0");
    let index = Format::new().set_num_format("0.00");
    for table in tables(board) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.id)?;
        let mut row: u32 = 0;
        for line in heading(board) {
            for (column, value) in (0u16..).zip(&line) {
                sheet.write_string(row, column, value)?;
            }
            row += 1;
        }
        row += 1;
        sheet.write_string_with_format(row, 0, table.title, &bold)?;
        row += 1;
        for (column, title) in (0u16..).zip(&table.columns) {
            sheet.write_string_with_format(row, column, *title, &bold)?;
        }
        row += 1;
        write_rows(sheet, &table, row, [&decimal, &index])?;
        sheet.set_column_width(0, 28)?;
    }
    workbook.save_to_buffer()
}

fn write_rows(
    sheet: &mut rust_xlsxwriter::Worksheet,
    table: &Table,
    first: u32,
    [decimal, index]: [&Format; 2],
) -> Result<(), XlsxError> {
    for (row, cells) in (first..).zip(&table.rows) {
        for (column, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(row, column, text)?;
                }
                Cell::Whole(value) => {
                    sheet.write_number(row, column, *value as f64)?;
                }
                Cell::Decimal(value) => {
                    sheet.write_number_with_format(row, column, *value, decimal)?;
                }
                Cell::Index(value) => {
                    sheet.write_number_with_format(row, column, *value, index)?;
                }
                Cell::Empty => {}
            }
        }
    }
    Ok(())
}

/// A download named `dashboard-<mpp>-<from>-<to>.<extension>`.
pub fn download(board: &Board, body: Vec<u8>, extension: &str, kind: &'static str) -> Response {
    let name = format!(
        "dashboard-{}-{}-{}.{extension}",
        board.mpp, board.span.from, board.span.to
    );
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}
