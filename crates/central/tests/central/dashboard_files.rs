//! Reading the dashboard's CSV and XLSX back, for `dashboard::`: a table's rows by their first
//! cell, as the page's tables are read.

use std::collections::BTreeMap;
use std::io::Read;

/// The rows of the CSV table titled `title`, by their first cell (cells split at commas: the
/// fixture's names hold none).
pub fn csv_rows(text: &str, title: &str) -> BTreeMap<String, Vec<String>> {
    let mut lines = text.split("\r\n").skip_while(|line| *line != title);
    assert!(lines.next().is_some(), "no table {title:?} in\n{text}");
    lines
        .skip(1)
        .take_while(|line| !line.is_empty())
        .map(|line| {
            let cells: Vec<String> = line.split(',').map(str::to_owned).collect();
            (cells[0].clone(), cells)
        })
        .collect()
}

/// A cell of a sheet: its text, and whether it is a number.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetCell {
    pub text: String,
    pub number: bool,
}

/// The rows of sheet `name` of the workbook, by their first cell; every cell by column.
pub fn sheet_rows(xlsx: &[u8], name: &str) -> BTreeMap<String, BTreeMap<String, SheetCell>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("an XLSX is a zip");
    let mut read = |path: &str| {
        let mut text = String::new();
        let mut file = archive
            .by_name(path)
            .unwrap_or_else(|_| panic!("{path} in the XLSX"));
        file.read_to_string(&mut text).expect("XML text");
        text
    };
    let workbook = read("xl/workbook.xml");
    let index = workbook
        .split("<sheet ")
        .skip(1)
        .position(|sheet| sheet.contains(&format!("name=\"{name}\"")))
        .unwrap_or_else(|| panic!("no sheet {name}: {workbook}"));
    let strings = read("xl/sharedStrings.xml");
    let strings: Vec<String> = strings
        .split("<t")
        .skip(1)
        .filter_map(|part| part.split_once('>').map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once("</t>").map(|(text, _)| text.to_owned()))
        .collect();
    let sheet = read(&format!("xl/worksheets/sheet{}.xml", index + 1));
    let mut rows = BTreeMap::new();
    for row in sheet.split("<row ").skip(1) {
        let mut cells = BTreeMap::new();
        for cell in row.split("<c ").skip(1) {
            let (tag, rest) = cell.split_once('>').expect("a cell tag");
            let column: String = attribute(tag, "r")
                .chars()
                .filter(char::is_ascii_alphabetic)
                .collect();
            let Some((value, _)) = rest.split_once("</v>") else {
                continue;
            };
            let value = value.trim_start_matches("<v>").to_owned();
            let shared = attribute(tag, "t") == "s";
            let text = if shared {
                strings[value.parse::<usize>().expect("index")].clone()
            } else {
                value
            };
            cells.insert(
                column,
                SheetCell {
                    text,
                    number: !shared && !tag.contains("t=\""),
                },
            );
        }
        if let Some(first) = cells.get("A") {
            rows.insert(first.text.clone(), cells);
        }
    }
    rows
}

fn attribute(tag: &str, name: &str) -> String {
    tag.split(&format!("{name}=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// The column letter of the `index`th column (0 = A; the sheets are narrower than 26).
pub fn column(index: usize) -> String {
    char::from(b'A' + u8::try_from(index).expect("a narrow sheet")).to_string()
}
