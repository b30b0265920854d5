//! The dashboard's tables, built once from a [`Board`] and written three ways: as HTML tables
//! (`view`), as CSV and as XLSX sheets (`export`). Cells keep numbers as numbers; the page
//! writes them with an Indonesian decimal comma.

use crate::http::pages::dashboard::board::Board;
use crate::rules::dashboard::figures::Summary;
use mpp_core::survey::index::Hundredths;

/// One cell: text, a whole number, a number with one decimal, or nothing (no figure).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Whole(i64),
    Decimal(f64),
    /// A number with two decimals (an index).
    Index(f64),
    Empty,
}

impl Cell {
    /// The cell as the page and the CSV show it ("–" for nothing); `comma` for decimals.
    pub fn shown(&self, comma: bool) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Whole(value) => value.to_string(),
            Cell::Decimal(value) if comma => format!("{value:.1}").replace('.', ","),
            Cell::Decimal(value) => format!("{value:.1}"),
            Cell::Index(value) if comma => format!("{value:.2}").replace('.', ","),
            Cell::Index(value) => format!("{value:.2}"),
            Cell::Empty => "–".into(),
        }
    }

    fn whole(value: u64) -> Cell {
        Cell::Whole(i64::try_from(value).unwrap_or(i64::MAX))
    }

    fn minutes(value: Option<i64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Whole)
    }
}

/// A table: its title (Indonesian / English), a short id (the sheet and the HTML id), its
/// columns and rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub id: &'static str,
    pub title: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The columns every breakdown shares, after its names.
const FIGURES: [&str; 10] = [
    "Diambil / Issued",
    "Dipanggil / Called",
    "Dilayani / Served",
    "Tidak hadir / No-show",
    "Dibatalkan / Voided",
    "Dialihkan / Transferred",
    "Tunggu median (menit) / Wait median (min)",
    "Tunggu p90 (menit) / Wait p90 (min)",
    "Layanan median (menit) / Service median (min)",
    "Layanan p90 (menit) / Service p90 (min)",
];

fn figure_cells(summary: &Summary) -> Vec<Cell> {
    vec![
        Cell::whole(summary.issued),
        Cell::whole(summary.called),
        Cell::whole(summary.served),
        Cell::whole(summary.no_show),
        Cell::whole(summary.voided),
        Cell::whole(summary.transferred),
        Cell::minutes(summary.wait_median()),
        Cell::minutes(summary.wait_p90()),
        Cell::minutes(summary.service_median()),
        Cell::minutes(summary.service_p90()),
    ]
}

fn share(summary: &Summary) -> Cell {
    summary.served_permille().map_or(Cell::Empty, |permille| {
        Cell::Decimal(permille as f64 / 10.0)
    })
}

/// Every table of the board, in the page's order.
pub fn tables(board: &Board) -> Vec<Table> {
    vec![
        summary(board),
        agencies(board),
        queues(board),
        points(board),
        hours(board),
        weeks(board),
        heat(board),
    ]
}

/// The period beside the one compared with.
pub fn summary(board: &Board) -> Table {
    let (now, before) = (&board.now.total, &board.before.total);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let (mine, theirs) = (figure_cells(now), figure_cells(before));
    for ((label, this), that) in FIGURES.iter().zip(mine).zip(theirs) {
        rows.push(vec![Cell::Text((*label).into()), this, that]);
    }
    rows.push(vec![
        Cell::Text("Dilayani dari tiket sah (%) / Served of valid tickets (%)".into()),
        share(now),
        share(before),
    ]);
    let [(ikm_now, answered_now), (ikm_before, answered_before)] = board.ikm;
    let index = |ikm: Option<Hundredths>| ikm.map_or(Cell::Empty, |ikm| Cell::Index(ikm.as_f64()));
    rows.push(vec![
        Cell::Text("IKM (bobot 0,11) / Satisfaction index".into()),
        index(ikm_now),
        index(ikm_before),
    ]);
    rows.push(vec![
        Cell::Text("Responden survei / Survey respondents".into()),
        Cell::whole(u64::from(answered_now)),
        Cell::whole(u64::from(answered_before)),
    ]);
    Table {
        id: "ringkasan",
        title: "Ringkasan / Summary",
        columns: vec![
            "Angka / Figure",
            "Periode ini / This period",
            "Periode pembanding / Compared with",
        ],
        rows,
    }
}

fn breakdown(names: Vec<String>, now: &Summary, before: Option<&Summary>) -> Vec<Cell> {
    let mut cells: Vec<Cell> = names.into_iter().map(Cell::Text).collect();
    cells.extend(figure_cells(now));
    cells.push(share(now));
    cells.push(before.map_or(Cell::Whole(0), |before| Cell::whole(before.issued)));
    cells
}

fn breakdown_columns(names: &[&'static str]) -> Vec<&'static str> {
    let mut columns = names.to_vec();
    columns.extend(FIGURES);
    columns.push("Dilayani (%) / Served (%)");
    columns.push("Diambil, pembanding / Issued, compared");
    columns
}

pub fn agencies(board: &Board) -> Table {
    let agency = |queue: &str| Some(board.agency_of(queue));
    let (now, before) = (board.now.grouped(agency), board.before.grouped(agency));
    let rows = now
        .iter()
        .map(|(code, summary)| {
            let names = vec![code.clone(), board.agency_name(code)];
            breakdown(names, summary, before.get(code))
        })
        .collect();
    Table {
        id: "instansi",
        title: "Per instansi / Per agency",
        columns: breakdown_columns(&["Kode / Code", "Instansi / Agency"]),
        rows,
    }
}

pub fn queues(board: &Board) -> Table {
    let rows = (board.now.by_queue.iter())
        .map(|(queue, summary)| {
            let names = vec![
                queue.clone(),
                board.queue_name(queue),
                board.agency_of(queue),
            ];
            breakdown(names, summary, board.before.by_queue.get(queue))
        })
        .collect();
    Table {
        id: "antrean",
        title: "Per antrean layanan / Per service queue",
        columns: breakdown_columns(&["Kode / Code", "Antrean / Queue", "Instansi / Agency"]),
        rows,
    }
}

pub fn points(board: &Board) -> Table {
    let row = |point: &String, summary: &Summary| {
        vec![
            Cell::Text(point.clone()),
            Cell::whole(summary.called),
            Cell::whole(summary.served),
            Cell::whole(summary.no_show),
            Cell::minutes(summary.service_median()),
            Cell::minutes(summary.service_p90()),
        ]
    };
    Table {
        id: "loket",
        title: "Per loket / Per counter point",
        columns: vec![
            "Loket / Point",
            "Dipanggil / Called",
            "Dilayani / Served",
            "Tidak hadir / No-show",
            "Layanan median (menit) / Service median (min)",
            "Layanan p90 (menit) / Service p90 (min)",
        ],
        rows: (board.now.by_point.iter())
            .map(|(point, summary)| row(point, summary))
            .collect(),
    }
}

/// Tickets per hour of the day, in the MPP's time; hours without tickets in either period
/// left out.
pub fn hours(board: &Board) -> Table {
    let rows = (0..24)
        .filter(|hour| board.now.hours[*hour] > 0 || board.before.hours[*hour] > 0)
        .map(|hour| {
            vec![
                Cell::Text(format!("{hour:02}.00–{hour:02}.59")),
                Cell::whole(board.now.hours[hour]),
                Cell::whole(board.before.hours[hour]),
            ]
        })
        .collect();
    Table {
        id: "jam",
        title: "Tiket per jam / Tickets per hour",
        columns: vec![
            "Jam / Hour",
            "Periode ini / This period",
            "Periode pembanding / Compared with",
        ],
        rows,
    }
}

/// Visitors per week (by its Monday), with the week's IKM.
pub fn weeks(board: &Board) -> Table {
    let rows = (board.weeks.iter())
        .map(|(monday, (week, ikm))| {
            vec![
                Cell::Text(monday.to_string()),
                Cell::whole(week.issued),
                Cell::whole(week.served),
                Cell::whole(week.no_show),
                ikm.map_or(Cell::Empty, |ikm| Cell::Index(ikm.as_f64())),
            ]
        })
        .collect();
    Table {
        id: "minggu",
        title: "Per minggu / Per week",
        columns: vec![
            "Minggu mulai (Senin) / Week from (Monday)",
            "Diambil / Issued",
            "Dilayani / Served",
            "Tidak hadir / No-show",
            "IKM",
        ],
        rows,
    }
}

/// The weekday names, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "Senin / Mon",
    "Selasa / Tue",
    "Rabu / Wed",
    "Kamis / Thu",
    "Jumat / Fri",
    "Sabtu / Sat",
    "Minggu / Sun",
];

/// The hours of the day with any ticket on any weekday.
pub fn busy_hours(heat: &[[u64; 24]; 7]) -> Vec<usize> {
    (0..24)
        .filter(|hour| heat.iter().any(|day| day[*hour] > 0))
        .collect()
}

/// Tickets issued per weekday and hour (the heat map's figures).
pub fn heat(board: &Board) -> Table {
    let hours = busy_hours(&board.heat);
    let rows = (WEEKDAYS.iter().zip(&board.heat))
        .filter(|(_, day)| day.iter().any(|count| *count > 0))
        .map(|(name, day)| {
            let mut cells = vec![Cell::Text((*name).into())];
            cells.extend(hours.iter().map(|hour| Cell::whole(day[*hour])));
            cells
        })
        .collect();
    let mut columns = vec!["Hari / Day"];
    columns.extend(hours.iter().map(|hour| HOUR_NAMES[*hour]));
    Table {
        id: "hari-jam",
        title: "Tiket per hari dan jam / Tickets per weekday and hour",
        columns,
        rows,
    }
}

/// Column headings of the hours.
const HOUR_NAMES: [&str; 24] = [
    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15",
    "16", "17", "18", "19", "20", "21", "22", "23",
];
