//! The printed ticket as lines of text, rules and a QR code, laid out for 58 mm or 80 mm paper.
//! Turning these lines into printer bytes is the printer's job; wrapping and sizing happen here
//! so that they are the same on paper, on screen and in tests.

use chrono::{Datelike, Timelike};
use serde::{Deserialize, Serialize};

use super::catalog::Catalog;
use super::day::TimeZone;
use super::lang::Language;
use super::strings::{Text, fee_text};
use super::survey::text::Text as SurveyText;
use super::ticket::Ticket;
use super::wait::WaitSaying;

/// Paper roll width; decides characters per line in the printer's standard font.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaperWidth {
    #[serde(rename = "58")]
    Mm58,
    #[default]
    #[serde(rename = "80")]
    Mm80,
}

impl PaperWidth {
    /// Characters per line in font A (12x24 dots) at 203 dpi.
    pub fn columns(self) -> usize {
        match self {
            PaperWidth::Mm58 => 32,
            PaperWidth::Mm80 => 48,
        }
    }

    /// Printable dots per line at 203 dpi.
    pub fn dots(self) -> u32 {
        match self {
            PaperWidth::Mm58 => 384,
            PaperWidth::Mm80 => 576,
        }
    }

    pub fn from_millimetres(mm: u32) -> Option<Self> {
        match mm {
            58 => Some(PaperWidth::Mm58),
            80 => Some(PaperWidth::Mm80),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Align {
    Left,
    Center,
}

/// Character magnification, 1–8 in each direction as ESC/POS `GS !` allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Magnify {
    pub width: u8,
    pub height: u8,
}

impl Magnify {
    pub const NORMAL: Magnify = Magnify {
        width: 1,
        height: 1,
    };

    /// How many columns one character takes (at least one).
    pub fn columns(self) -> u8 {
        self.width.max(1)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Line {
    /// One printed line, already wrapped to fit.
    Text {
        text: String,
        align: Align,
        bold: bool,
        magnify: Magnify,
    },
    /// A dashed rule across the paper.
    Rule,
    /// A QR code (model 2) holding `payload`, centred.
    Qr { payload: String },
    /// Blank lines.
    Feed(u8),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub width: PaperWidth,
    pub lines: Vec<Line>,
}

/// What a receipt needs besides the ticket and catalog: where it was printed and how.
#[derive(Clone, Debug)]
pub struct ReceiptSettings<'a> {
    pub mpp_name: &'a str,
    pub mpp_address: &'a str,
    pub complaints: &'a str,
    pub time_zone: TimeZone,
    pub language: Language,
    pub width: PaperWidth,
    /// The ticket's survey code ([`crate::survey::code`]), printed at the foot so its holder
    /// can rate the visit; `None` where the survey is off.
    pub survey_code: Option<&'a str>,
}

/// Largest magnification used for the number: 6× is about 18 mm tall, readable at arm's length.
const NUMBER_MAGNIFY_CAP: u8 = 6;

/// Lays out the ticket. Unknown agency or service codes (a ticket from an older catalog) still
/// print, with the code in place of the name, because the visitor's number matters most.
/// Kept short on purpose: every byte costs wire time at 9600 baud while the visitor waits.
pub fn ticket_receipt(ticket: &Ticket, catalog: &Catalog, settings: &ReceiptSettings) -> Receipt {
    let language = settings.language;
    let mut receipt = Builder::new(settings.width);
    receipt.wrapped(settings.mpp_name, Align::Center, true);
    receipt.rule();
    receipt.wrapped(Text::YourNumber.get(language), Align::Center, false);
    receipt.number(&ticket.number);
    if ticket.lane.is_priority() {
        receipt.wrapped(Text::PriorityTicket.get(language), Align::Center, true);
    }
    let agency = catalog.agency(&ticket.agency);
    let service = catalog.service(&ticket.service);
    let agency_name = agency.map_or(ticket.agency.as_str(), |a| a.short_name.as_str());
    let service_name = service.map_or(ticket.service.as_str(), |s| s.name.get(language));
    receipt.wrapped(agency_name, Align::Center, true);
    receipt.wrapped(service_name, Align::Center, false);
    receipt.rule();
    if let Some(service) = service {
        receipt.wrapped(service.counter.get(language), Align::Center, true);
        // Where the counter is: the lobby's floor and zone, as on the screen.
        if let Some(agency) = agency {
            receipt.wrapped(agency.location.get(language), Align::Center, false);
        }
        receipt.labelled(Text::Fee.get(language), &fee_text(&service.fee, language));
    }
    if let Some(ahead) = ticket.people_ahead {
        let people = format!("{ahead} {}", Text::People.get(language));
        receipt.labelled(Text::PeopleAhead.get(language), &people);
        // Only a figure goes on paper: "not known yet" is the phone page's to say, live.
        let saying = WaitSaying::of(Some(ahead), ticket.expected_wait);
        if matches!(saying, WaitSaying::Minutes(_) | WaitSaying::Long) {
            receipt.wrapped(&saying.text(language), Align::Center, false);
        }
    }
    let local = settings.time_zone.local(ticket.issued_at);
    let issued = format!(
        "{:02}/{:02}/{} {:02}:{:02} {}",
        local.day(),
        local.month(),
        local.year(),
        local.hour(),
        local.minute(),
        settings.time_zone.abbreviation()
    );
    receipt.labelled(Text::IssuedAt.get(language), &issued);
    receipt.lines.push(Line::Qr {
        payload: ticket.qr_payload.clone(),
    });
    receipt.wrapped(Text::ScanToFollow.get(language), Align::Center, false);
    receipt.wrapped(Text::ValidToday.get(language), Align::Center, true);
    if !settings.complaints.trim().is_empty() {
        let complaints = format!(
            "{}: {}",
            Text::Complaints.get(language),
            settings.complaints
        );
        receipt.wrapped(&complaints, Align::Center, false);
    }
    // One line: the welcome screen's survey button says the rest, and bytes are wire time.
    if let Some(code) = settings.survey_code {
        let line = SurveyText::OnTicket.fill(language, &[("code", code)]);
        receipt.wrapped(&line, Align::Center, true);
    }
    receipt.wrapped(
        &format!("{} {}", ticket.kiosk, short_id(&ticket.id)),
        Align::Center,
        false,
    );
    Receipt {
        width: settings.width,
        lines: receipt.lines,
    }
}

/// The ticket id's last eight characters, printed to tell two tickets apart when staff look
/// one up. A UUID v7 starts with its time, so tickets issued close together share a prefix;
/// its tail is random.
pub fn short_id(id: &str) -> String {
    let characters: Vec<char> = id.chars().filter(|c| *c != '-').collect();
    characters[characters.len().saturating_sub(8)..]
        .iter()
        .collect()
}

struct Builder {
    columns: usize,
    lines: Vec<Line>,
}

impl Builder {
    fn new(width: PaperWidth) -> Self {
        Self {
            columns: width.columns(),
            lines: Vec::new(),
        }
    }

    fn push(&mut self, text: String, align: Align, bold: bool, magnify: Magnify) {
        self.lines.push(Line::Text {
            text,
            align,
            bold,
            magnify,
        });
    }

    fn wrapped(&mut self, text: &str, align: Align, bold: bool) {
        for line in wrap(text, self.columns) {
            self.push(line, align, bold, Magnify::NORMAL);
        }
    }

    /// `Label: value`, with the value wrapped under itself when long.
    fn labelled(&mut self, label: &str, value: &str) {
        let head = format!("{label}: ");
        let indent = head.chars().count();
        let room = self.columns.saturating_sub(indent).max(self.columns / 2);
        let indent = self.columns - room;
        for (index, line) in wrap(value, room).into_iter().enumerate() {
            let lead = if index == 0 {
                format!("{head:<indent$}")
            } else {
                " ".repeat(indent)
            };
            self.push(format!("{lead}{line}"), Align::Left, false, Magnify::NORMAL);
        }
    }

    /// The queue number, as large as fits on one line.
    fn number(&mut self, number: &str) {
        let length = number.chars().count().max(1);
        let fits = (self.columns / length).clamp(1, usize::from(NUMBER_MAGNIFY_CAP)) as u8;
        let magnify = Magnify {
            width: fits,
            height: fits,
        };
        self.push(number.to_owned(), Align::Center, true, magnify);
    }

    fn rule(&mut self) {
        self.lines.push(Line::Rule);
    }
}

/// Word-wraps `text` to `columns` characters, breaking words longer than a line.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > columns {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            let rest = word.split_off(columns);
            lines.push(word.into_iter().collect());
            word = rest;
        }
        let needed = current.chars().count() + usize::from(!current.is_empty()) + word.len();
        if needed > columns && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.extend(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbering::Lane;
    use crate::testing::{sample_catalog, sample_ticket};
    use crate::ticket::TicketStatus;

    /// A ticket just issued (not yet printed) at 09:14 in Jakarta.
    fn ticket(number: &str, lane: Lane, ahead: Option<u32>) -> Ticket {
        Ticket {
            id: "0192f0c2-7d4e-7000-8000-000000000001".into(),
            number: number.into(),
            lane,
            sequence: 14,
            kiosk: "KIOSK-01".into(),
            issued_at: "2026-11-23T02:14:00Z".parse().expect("instant"),
            people_ahead: ahead,
            status: TicketStatus::Issued,
            print_count: 0,
            qr_payload: "https://mpp.example.go.id/t/x?s=0123456789abcdef".into(),
            ..sample_ticket()
        }
    }

    fn settings(language: Language, width: PaperWidth) -> ReceiptSettings<'static> {
        ReceiptSettings {
            mpp_name: "Mal Pelayanan Publik Kabupaten Blora",
            mpp_address: "Jl. Raya Blora–Cepu KM 5, Jepon, Blora",
            complaints: "SP4N-LAPOR! lapor.go.id",
            time_zone: TimeZone::JAKARTA,
            language,
            width,
            survey_code: Some("K7QX4"),
        }
    }

    fn texts(receipt: &Receipt) -> Vec<String> {
        receipt
            .lines
            .iter()
            .filter_map(|line| match line {
                Line::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_line_fits_the_paper() {
        let catalog = sample_catalog();
        for width in [PaperWidth::Mm58, PaperWidth::Mm80] {
            for language in Language::ALL {
                let receipt = ticket_receipt(
                    &ticket("DKC-P014", Lane::Priority, Some(3)),
                    &catalog,
                    &settings(language, width),
                );
                for line in &receipt.lines {
                    if let Line::Text { text, magnify, .. } = line {
                        let used = text.chars().count() * usize::from(magnify.width);
                        assert!(used <= width.columns(), "{text:?} overflows {width:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_ticket_says_what_a_visitor_needs() {
        let catalog = sample_catalog();
        let receipt = ticket_receipt(
            &ticket("DKC-014", Lane::Regular, Some(3)),
            &catalog,
            &settings(Language::Indonesian, PaperWidth::Mm80),
        );
        let lines = texts(&receipt).join("\n");
        assert!(lines.contains("DKC-014"));
        assert!(lines.contains("Biaya: Gratis"), "{lines}");
        assert!(lines.contains("Loket 1–4\n"), "{lines}");
        let location = catalog
            .agency("DUKCAPIL")
            .expect("agency")
            .location
            .get(Language::Indonesian);
        assert!(
            !location.is_empty() && lines.contains(location),
            "the floor and zone: {lines}"
        );
        assert!(
            lines.contains("KIOSK-01 00000001"),
            "the id's random tail: {lines}"
        );
        assert!(
            lines.contains("Dukcapil\nKartu Keluarga baru atau perubahan"),
            "{lines}"
        );
        assert!(lines.contains("3 orang"));
        assert!(lines.contains("Diambil: 23/11/2026 09:14 WIB"), "{lines}");
        assert!(lines.contains("Berlaku hanya hari ini"), "{lines}");
        assert!(lines.contains("SP4N-LAPOR!"), "{lines}");
        assert!(lines.contains("Survei kepuasan: kode K7QX4"), "{lines}");
        assert!(!lines.contains("PRIORITAS"));
        let qr = receipt.lines.iter().find_map(|line| match line {
            Line::Qr { payload } => Some(payload.as_str()),
            _ => None,
        });
        assert_eq!(qr, Some("https://mpp.example.go.id/t/x?s=0123456789abcdef"));
    }

    #[test]
    fn an_english_visitor_gets_an_english_ticket() {
        let receipt = ticket_receipt(
            &ticket("DKC-014", Lane::Regular, Some(3)),
            &sample_catalog(),
            &settings(Language::English, PaperWidth::Mm80),
        );
        let lines = texts(&receipt).join("\n");
        assert!(lines.contains("YOUR QUEUE NUMBER"), "{lines}");
        assert!(lines.contains("Fee: Free"), "{lines}");
        assert!(
            !lines.contains("Biaya") && !lines.contains("NOMOR"),
            "{lines}"
        );
    }

    #[test]
    fn tickets_issued_together_print_different_short_ids() {
        // Two UUID v7 ids of the same millisecond: same time prefix, different random tail.
        let first = "019af0c2-7d4e-7a3b-8c1d-2e3f40516273";
        let second = "019af0c2-7d4e-7f00-9a8b-7c6d5e4f3a21";
        assert_eq!(first[..8], second[..8]);
        assert_eq!(short_id(first), "40516273");
        assert_ne!(short_id(first), short_id(second));
        assert_eq!(short_id("abc"), "abc");
    }

    #[test]
    fn the_number_is_as_large_as_fits() {
        let catalog = sample_catalog();
        let magnify_of = |number: &str, width| {
            let receipt = ticket_receipt(
                &ticket(number, Lane::Regular, None),
                &catalog,
                &settings(Language::English, width),
            );
            receipt.lines.iter().find_map(|line| match line {
                Line::Text { text, magnify, .. } if text == number => Some(magnify.width),
                _ => None,
            })
        };
        assert_eq!(magnify_of("DKC-014", PaperWidth::Mm58), Some(4));
        assert_eq!(magnify_of("ABCD-P1234", PaperWidth::Mm58), Some(3));
        assert_eq!(magnify_of("ABCD-P1234", PaperWidth::Mm80), Some(4));
        assert_eq!(magnify_of("DKC-014", PaperWidth::Mm80), Some(6));
    }

    #[test]
    fn without_the_survey_no_code_is_printed() {
        let catalog = sample_catalog();
        let off = ReceiptSettings {
            survey_code: None,
            ..settings(Language::English, PaperWidth::Mm58)
        };
        let receipt = ticket_receipt(&ticket("DKC-014", Lane::Regular, None), &catalog, &off);
        let lines = texts(&receipt).join("\n");
        assert!(!lines.contains("Satisfaction survey"), "{lines}");
        let with = ticket_receipt(
            &ticket("DKC-014", Lane::Regular, None),
            &catalog,
            &settings(Language::English, PaperWidth::Mm58),
        );
        let lines = texts(&with).join("\n");
        assert!(lines.contains("Satisfaction survey: code K7QX4"), "{lines}");
    }

    #[test]
    fn unknown_people_ahead_is_left_out_rather_than_guessed() {
        let catalog = sample_catalog();
        let receipt = ticket_receipt(
            &ticket("DKC-014", Lane::Regular, None),
            &catalog,
            &settings(Language::English, PaperWidth::Mm80),
        );
        assert!(!texts(&receipt).join("\n").contains("People ahead"));
    }

    #[test]
    fn the_expected_wait_is_printed_only_as_a_figure() {
        let catalog = sample_catalog();
        let printed = |ahead, wait| {
            let mut ticket = ticket("DKC-014", Lane::Regular, ahead);
            ticket.expected_wait = wait;
            let settings = settings(Language::Indonesian, PaperWidth::Mm80);
            texts(&ticket_receipt(&ticket, &catalog, &settings)).join("\n")
        };
        let range = crate::wait::WaitRange {
            low_minutes: 10,
            high_minutes: 25,
        };
        let lines = printed(Some(6), Some(range));
        assert!(
            lines.contains("Perkiraan waktu tunggu: 10–25 menit"),
            "{lines}"
        );
        // Not known yet, nobody ahead, or not known at all: no wait line.
        for (ahead, wait) in [(Some(6), None), (Some(0), Some(range)), (None, Some(range))] {
            let lines = printed(ahead, wait);
            assert!(!lines.contains("Perkiraan"), "{ahead:?} {wait:?}: {lines}");
        }
    }

    #[test]
    fn wrapping_keeps_words_and_breaks_only_giants() {
        assert_eq!(
            wrap("Surat Keterangan Catatan Kepolisian", 16),
            ["Surat Keterangan", "Catatan", "Kepolisian"]
        );
        assert_eq!(wrap("ABCDEFGHIJ", 4), ["ABCD", "EFGH", "IJ"]);
        assert_eq!(wrap("", 10), [""]);
    }
}
