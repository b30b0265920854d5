//! The survey's pages on the real server (SQLite, and PostgreSQL with
//! `MPP_CENTRAL_TEST_BACKEND=postgres`), read as HTML: the ticket page offers the survey once
//! the ticket is served; the phone form has the nine questions with four answers each in both
//! languages and no script, keeps the answers when it comes back with a problem, thanks once
//! and then says the ticket was rated. The IKM report of a fixed set of answers shows, and
//! the CSV holds, the figures computed by hand below under both weights; too few respondents
//! give no index; anonymous visitors get the sign-in page, never the figures.

use mpp_core::survey::{Answers, Element, Rating};
use mpp_testkit::central::*;
use mpp_testkit::html;
use reqwest::StatusCode;

#[tokio::test]
async fn the_phone_survey_is_offered_once_served_and_taken_once() {
    let server = Server::start();
    pushed(&server, KIOSK, KIOSK_TOKEN, "p-1", 1).await;
    let (_, waiting) = genuine_page(&server, "p-1").await;
    assert!(!waiting.contains("/survey?"), "not before it is served");
    let served = served_at(&server, "p-2", 2, "Loket 2").await;
    let (_, ticket_page) = genuine_page(&server, "p-2").await;
    let links: Vec<String> = html::tags(&ticket_page, "a")
        .iter()
        .filter_map(|a| a.attribute("href").map(str::to_owned))
        .filter(|href| href.contains("/survey?"))
        .collect();
    assert_eq!(links, [survey_path(KIOSK, "p-2", "id")]);
    assert!(
        ticket_page.contains("Isi survei kepuasan") && ticket_page.contains("Rate this service")
    );

    let (status, form) = page_at(&server, &links[0]).await;
    assert_eq!(status, StatusCode::OK);
    html::keep("phone-survey-form", &form);
    html::keep("ticket-page-served", &ticket_page);
    assert!(html::tags(&form, "script").is_empty(), "no script");
    assert_eq!(
        html::tags(&form, "fieldset").len(),
        9 + 2,
        "nine questions, facts, suggestion"
    );
    let radios = html::tags(&form, "input");
    for element in Element::ALL {
        let values: Vec<&str> = radios
            .iter()
            .filter(|input| input.attribute("name") == Some(element.code()))
            .filter_map(|input| input.attribute("value"))
            .collect();
        assert_eq!(values, ["1", "2", "3", "4"], "{}", element.code());
        let (id, en) = (
            element.wording(mpp_core::lang::Language::Indonesian),
            element.wording(mpp_core::lang::Language::English),
        );
        let legend = form.find(id.question).expect("the Indonesian question");
        assert!(legend < form.find(en.question).expect("the English one beneath"));
    }
    assert!(form.contains(&served.number));
    let (_, english) = page_at(&server, &survey_path(KIOSK, "p-2", "en")).await;
    let requirements = Element::Requirements;
    let question = |language| requirements.wording(language).question;
    assert!(
        english.find(question(mpp_core::lang::Language::English))
            < english.find(question(mpp_core::lang::Language::Indonesian))
    );

    // Two answers missing: the form again, saying which, with the seven given still chosen.
    let path = survey_path(KIOSK, "p-2", "en");
    let mut partial = form_fields(&all(3), &[("suggestion", "Ruang tunggu sejuk")]);
    partial.retain(|(name, _)| name != "cost" && name != "facilities");
    let (status, again) = post_form(&server, &path, &partial).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.contains("U4, U9 not answered yet"), "{again}");
    let checked = |page: &str| {
        html::tags(page, "input")
            .iter()
            .filter(|input| input.attribute("checked").is_some())
            .count()
    };
    assert_eq!(checked(&again), 7);
    assert!(
        again.contains("Ruang tunggu sejuk"),
        "the suggestion is kept"
    );

    // A phone number in the suggestion: the reason, everything kept.
    let fields = form_fields(
        &all(3),
        &[
            ("suggestion", "hubungi saya 0812-3456-7890"),
            ("sex", "female"),
        ],
    );
    let (status, again) = post_form(&server, &path, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.contains("seems to hold a phone number"), "{again}");
    assert_eq!(checked(&again), 9);
    let chosen: Vec<String> = html::tags(&again, "option")
        .iter()
        .filter(|option| option.attribute("selected").is_some())
        .filter_map(|option| option.attribute("value").map(str::to_owned))
        .collect();
    assert!(chosen.contains(&"female".to_owned()), "{chosen:?}");

    let fields = form_fields(
        &all(3),
        &[
            ("suggestion", "Antrian cepat, terima kasih"),
            ("sex", "female"),
            ("age", "30_39"),
        ],
    );
    let (status, thanks) = post_form(&server, &path, &fields).await;
    assert_eq!(status, StatusCode::OK, "{thanks}");
    assert!(thanks.contains("Thank you!") && thanks.contains("Terima kasih!"));
    let (status, twice) = post_form(&server, &path, &fields).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        twice.contains("This ticket has already been rated"),
        "{twice}"
    );
    // The ticket's page no longer offers a survey that would only say so: it thanks.
    let (_, rated_page) = genuine_page(&server, "p-2").await;
    html::keep("ticket-page-rated", &rated_page);
    assert!(!rated_page.contains("/survey?"), "{rated_page}");
    assert!(
        rated_page.contains("penilaian Anda sudah kami terima"),
        "{rated_page}"
    );
    let (_, later) = page_at(&server, &path).await;
    assert!(later.contains("already been rated") && html::tags(&later, "form").is_empty());
    let kiosk = send_surveys(&server, vec![response("k-late", "p-2", all(4))]).await;
    assert!(
        kiosk.refused[0].reason.contains("already answered"),
        "{kiosk:?}"
    );

    let (_, csv) = staff_get(&server, "/reports/ikm.csv").await;
    assert!(csv.contains(";phone;DUKCAPIL;DKC-KK;Loket 2;3;3;3;3;3;3;3;3;3;30–39 tahun;Perempuan;;;Antrian cepat, terima kasih\r\n"), "{csv}");
}

/// Forty respondents; every answer is a 3 or a 4. Per element (U1…U9), this many answered 4,
/// the rest 3:
const FOURS: [usize; 9] = [20, 10, 30, 40, 5, 25, 35, 15, 20];
const RESPONDENTS: usize = 40;
/// The first five respondents were served at Loket 3, the other 35 at Loket 2.
const AT_LOKET_3: usize = 5;

fn answers_of(respondent: usize) -> Answers {
    let mut answers = all(3);
    for (element, fours) in Element::ALL.into_iter().zip(FOURS) {
        if respondent < fours {
            answers.set(element, Rating::new(4).expect("4"));
        }
    }
    answers
}

// By hand. Sum per element = 40 × 3 + (number of 4s):
//   U1 140, U2 130, U3 150, U4 160, U5 125, U6 145, U7 155, U8 135, U9 140; all: 1280.
// NRR = sum ÷ 40, to two decimals (half up):
//   U1 3.50, U2 3.25, U3 3.75, U4 4.00, U5 3.125 → 3.13, U6 3.625 → 3.63,
//   U7 3.875 → 3.88, U8 3.375 → 3.38, U9 3.50.
// Σ NRR = 1280 ÷ 40 = 32 exactly.
// IKM with the weight 0.11: 32 × 0.11 × 25 = 88.00 → grade B (76.61–88.30, baik).
// IKM with the weight 1/9:  32 × 25 ÷ 9 = 88.888… → 88.89 → grade A (88.31–100, sangat baik).
// NRR × weight for U1: 3.50 × 0.11 = 0.385; 3.50 ÷ 9 = 0.3888… → 0.389.
// NRR × weight for U5: 3.125 × 0.11 = 0.34375 → 0.344; 3.125 ÷ 9 = 0.3472… → 0.347.
/// As written on the report and in the CSV: a comma before the decimals.
const NRR: [&str; 9] = [
    "3,50", "3,25", "3,75", "4,00", "3,13", "3,63", "3,88", "3,38", "3,50",
];
const SUMS: [&str; 9] = [
    "140", "130", "150", "160", "125", "145", "155", "135", "140",
];

async fn fill(server: &Server) {
    let mut responses = Vec::new();
    for respondent in 0..RESPONDENTS {
        let id = format!("h-{respondent}");
        let point = if respondent < AT_LOKET_3 {
            "Loket 3"
        } else {
            "Loket 2"
        };
        served_at(server, &id, respondent as u32 + 1, point).await;
        let mut response = response(&format!("resp-{respondent}"), &id, answers_of(respondent));
        response.suggestion = match respondent {
            0 => mpp_core::survey::suggestion::Suggestion::new("=1+1, \"kursi\"\nkurang")
                .expect("fine"),
            1 => mpp_core::survey::suggestion::Suggestion::new("<script>alert(1)</script>")
                .expect("fine"),
            _ => None,
        };
        responses.push(response);
    }
    let outcome = send_surveys(server, responses).await;
    assert_eq!(outcome.accepted.len(), RESPONDENTS, "{outcome:?}");
}

/// A CSV file's lines (`;` between cells), each split into cells (quotes and doubled quotes undone).
fn csv_lines(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let (mut lines, mut line, mut cell) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (';', false) => line.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                line.push(std::mem::take(&mut cell));
                lines.push(std::mem::take(&mut line));
            }
            _ => cell.push(c),
        }
    }
    lines
}

/// The line of `lines` whose first cell is `label`.
fn line<'a>(lines: &'a [Vec<String>], label: &str) -> &'a [String] {
    lines
        .iter()
        .find(|line| line.first().is_some_and(|first| first == label))
        .unwrap_or_else(|| panic!("no line {label:?}"))
}

#[tokio::test]
async fn the_report_and_its_csv_show_the_index_computed_by_hand() {
    let server = Server::start();
    fill(&server).await;

    // Anonymous: the sign-in page, not a figure.
    for path in ["/reports/ikm", "/reports/ikm.csv"] {
        let answer = get(&server, path).await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
        let body = answer.text().await.expect("body");
        assert!(body.contains("/login") && !body.contains("88,"), "{body}");
    }
    let signed_in = sign_in(&server, HEAD.name, HEAD.password).await;
    let cookie = cookie_of(&set_cookie(&signed_in).expect("a session cookie"));
    let with_session = get_with_cookie(&server, "/reports/ikm", &cookie).await;
    assert_eq!(with_session.status(), StatusCode::OK);
    let page = with_session.text().await.expect("html");
    assert_eq!(html::texts(&page, "ikm-value"), ["88,00", "88,89"]);
    let (status, _) = staff_get(&server, "/reports/ikm?token=x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no token in the address");

    let (status, report) = staff_get(&server, "/reports/ikm").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    html::keep("ikm-report", &report);
    assert!(html::tags(&report, "script").is_empty());
    assert!(
        report.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped"
    );
    assert_eq!(html::texts(&report, "respondents"), ["40"]);
    assert_eq!(html::texts(&report, "ikm-value"), ["88,00", "88,89"]);
    assert_eq!(html::texts(&report, "grade"), ["B", "A"]);
    assert!(report.contains("IKM (bobot 0,11)") && report.contains("IKM (bobot 1/9)"));
    assert!(report.contains("sangat baik") && report.contains(">baik<"));
    assert_eq!(html::texts(&report, "nrr"), NRR);
    let bars = html::tags(&report, "div");
    let widths: Vec<&str> = bars
        .iter()
        .filter(|div| div.has_class("bar"))
        .filter_map(|div| div.attribute("style"))
        .collect();
    assert_eq!(widths[0], "width:87.50%", "3.50 of 4");
    assert_eq!(widths[3], "width:100.00%", "4.00 of 4");
    // The breakdown: Loket 3 has five respondents, too few for an index.
    let groups = html::texts(&report, "group");
    assert!(groups.contains(&"Loket 3".to_owned()) && groups.contains(&"Loket 2".to_owned()));
    assert!(
        html::texts(&report, "too-few")
            .iter()
            .any(|text| text.contains("n < 30"))
    );
    assert!(html::texts(&report, "suggestion").len() == 2);

    let (_, loket_3) = staff_get(&server, "/reports/ikm?counter=Loket+3").await;
    assert_eq!(html::texts(&loket_3, "respondents"), ["5"]);
    assert!(
        html::texts(&loket_3, "ikm-value").is_empty(),
        "no index for five"
    );
    assert!(
        loket_3.contains("too few respondents (n &lt; 30): n = 5"),
        "{loket_3}"
    );
    let (status, bad) = staff_get(&server, "/reports/ikm?from=2026-13-01").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        bad.contains("from: &quot;2026-13-01&quot; is not a date"),
        "{bad}"
    );
    let (_, earlier) = staff_get(&server, "/reports/ikm?from=2020-01-01&to=2020-01-31").await;
    assert_eq!(html::texts(&earlier, "respondents"), ["0"]);

    let (status, csv) = staff_get(&server, &format!("/reports/ikm.csv?from={}", today())).await;
    assert_eq!(status, StatusCode::OK);
    let lines = csv_lines(&csv);
    let header = line(&lines, "No");
    assert_eq!(
        &header[6..15],
        ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]
    );
    let rows: Vec<&Vec<String>> = lines
        .iter()
        .filter(|line| line.len() == header.len() && line[0].parse::<u32>().is_ok())
        .collect();
    assert_eq!(rows.len(), RESPONDENTS);
    assert_eq!(rows[0][5], "Loket 3");
    assert_eq!(rows[0][14], "4", "U9 of the first respondent");
    assert_eq!(
        rows[0][19], "'=1+1, \"kursi\" kurang",
        "guarded, quoted, tidied"
    );
    assert_eq!(&line(&lines, "Jumlah nilai per unsur")[6..15], SUMS);
    assert_eq!(&line(&lines, "NRR per unsur")[6..15], NRR);
    let weighted = line(&lines, "NRR tertimbang (bobot 0,11)");
    assert_eq!(
        (weighted[6].as_str(), weighted[10].as_str()),
        ("0,385", "0,344")
    );
    let weighted = line(&lines, "NRR tertimbang (bobot 1/9)");
    assert_eq!(
        (weighted[6].as_str(), weighted[10].as_str()),
        ("0,389", "0,347")
    );
    assert_eq!(line(&lines, "IKM (bobot 0,11)")[1], "88,00");
    assert_eq!(line(&lines, "IKM (bobot 1/9)")[1], "88,89");
    assert_eq!(
        &line(&lines, "Mutu pelayanan (bobot 0,11)")[1..],
        ["B", "baik"]
    );
    assert_eq!(
        &line(&lines, "Mutu pelayanan (bobot 1/9)")[1..],
        ["A", "sangat baik"]
    );
    assert_eq!(line(&lines, "Jumlah responden")[1], "40");

    let (_, few) = staff_get(&server, "/reports/ikm.csv?counter=Loket%203").await;
    let lines = csv_lines(&few);
    assert_eq!(
        line(&lines, "IKM (bobot 1/9)")[1],
        "terlalu sedikit responden (n < 30)"
    );
    assert_eq!(line(&lines, "Jumlah responden")[1], "5");

    let fleet = fleet(&server).await;
    assert!(
        fleet.contains("href=\"/reports/ikm?mpp=default\""),
        "{fleet}"
    );
}
