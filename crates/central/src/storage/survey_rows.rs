//! The table `survey_responses` as both backends write and read it: one row per response,
//! the ticket's service, agency and counter copied from the server's ticket record, the raw
//! answer (1–4) in one column per element, named by the element's stable code, and the
//! respondent's facts as their stable codes. The column lists are made here once, so SQLite
//! and PostgreSQL read and write the very same columns in the same order.

use crate::model::survey::SurveyRow;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::model::ticket::TicketRecord;
use mpp_common::instant;
use mpp_core::lang::Language;
use mpp_core::protocol::{Channel, SurveyResponse};
use mpp_core::survey::respondent::{AgeBand, Education, Occupation, Respondent, Sex};
use mpp_core::survey::{Answers, Element, Rating};

/// The SQLite table (PostgreSQL's twin is in `postgres/schema.rs`), added to its migrations.
pub const MIGRATION: &str = r#"
-- Survey responses (SKM): one per ticket (kiosk, ticket_id) and per response id. The ticket's
-- business day, agency, service and counter are the server's record of it, not the response's.
CREATE TABLE survey_responses (
    mpp               TEXT NOT NULL,
    response_id       TEXT NOT NULL PRIMARY KEY,
    kiosk             TEXT NOT NULL,
    ticket_id         TEXT NOT NULL,
    channel           TEXT NOT NULL CHECK (channel IN ('kiosk', 'phone')),
    business_day      TEXT NOT NULL,
    agency            TEXT NOT NULL,
    service           TEXT NOT NULL,
    counter           TEXT,
    requirements      INTEGER NOT NULL CHECK (requirements BETWEEN 1 AND 4),
    procedure         INTEGER NOT NULL CHECK (procedure BETWEEN 1 AND 4),
    completion_time   INTEGER NOT NULL CHECK (completion_time BETWEEN 1 AND 4),
    cost              INTEGER NOT NULL CHECK (cost BETWEEN 1 AND 4),
    product           INTEGER NOT NULL CHECK (product BETWEEN 1 AND 4),
    staff_competence  INTEGER NOT NULL CHECK (staff_competence BETWEEN 1 AND 4),
    staff_behaviour   INTEGER NOT NULL CHECK (staff_behaviour BETWEEN 1 AND 4),
    complaints        INTEGER NOT NULL CHECK (complaints BETWEEN 1 AND 4),
    facilities        INTEGER NOT NULL CHECK (facilities BETWEEN 1 AND 4),
    age               TEXT,
    sex               TEXT,
    education         TEXT,
    occupation        TEXT,
    suggestion        TEXT,
    language          TEXT NOT NULL,
    answered_at       TEXT NOT NULL,
    received_at       TEXT NOT NULL,
    UNIQUE (kiosk, ticket_id)
) STRICT;
CREATE INDEX survey_responses_by_day ON survey_responses (mpp, business_day);
"#;

/// The columns before the nine answers, and after them.
const HEAD: [&str; 8] = [
    "response_id",
    "kiosk",
    "ticket_id",
    "channel",
    "business_day",
    "agency",
    "service",
    "counter",
];
const TAIL: [&str; 7] = [
    "age",
    "sex",
    "education",
    "occupation",
    "suggestion",
    "language",
    "answered_at",
];

/// Every column a report reads, in order: the head, the nine answers, the tail.
pub fn read_columns() -> Vec<&'static str> {
    HEAD.into_iter()
        .chain(Element::ALL.map(Element::code))
        .chain(TAIL)
        .collect()
}

/// `INSERT` of a [`NewRow`] with SQLite's `?N` (`shared::for_postgres` makes them `$N`): `mpp`, the
/// columns a report reads, then `received_at`; nothing when the ticket or the id is taken.
pub fn insert_sql() -> String {
    let columns: Vec<&str> = std::iter::once("mpp")
        .chain(read_columns())
        .chain(["received_at"])
        .collect();
    let values: Vec<String> = (1..=columns.len()).map(|n| format!("?{n}")).collect();
    format!(
        "INSERT INTO survey_responses ({}) VALUES ({}) ON CONFLICT DO NOTHING",
        columns.join(", "),
        values.join(", ")
    )
}

/// `SELECT` of one MPP's responses for tickets of a period: `mpp`, first and last day.
pub fn select_sql() -> String {
    format!(
        "SELECT {} FROM survey_responses WHERE mpp = ?1 AND business_day >= ?2 \
         AND business_day <= ?3 ORDER BY answered_at, response_id",
        read_columns().join(", "),
    )
}

/// Whether kiosk `?1`'s ticket `?2` has a response.
pub const ANSWERED: &str =
    "SELECT EXISTS (SELECT 1 FROM survey_responses WHERE kiosk = ?1 AND ticket_id = ?2)";

/// The kiosk and ticket of the response `?1`.
pub const OWNER: &str = "SELECT kiosk, ticket_id FROM survey_responses WHERE response_id = ?1";

/// One value as both backends hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Integer(i64),
    Null,
}

impl Cell {
    fn text(value: &str) -> Self {
        Cell::Text(value.to_owned())
    }

    fn optional(value: Option<&str>) -> Self {
        value.map_or(Cell::Null, Cell::text)
    }
}

/// A response about to be stored, with what the server's record says about its ticket.
pub struct NewRow<'a> {
    mpp: &'a str,
    response: &'a SurveyResponse,
    record: &'a TicketRecord,
    received_at: DateTime<Utc>,
}

impl<'a> NewRow<'a> {
    pub fn new(
        mpp: &'a str,
        response: &'a SurveyResponse,
        record: &'a TicketRecord,
        received_at: DateTime<Utc>,
    ) -> Self {
        Self {
            mpp,
            response,
            record,
            received_at,
        }
    }

    /// The values in the order of [`insert_sql`].
    pub fn cells(&self) -> Vec<Cell> {
        let (response, ticket) = (self.response, &self.record.ticket);
        let facts = &response.respondent;
        let mut cells = vec![
            Cell::text(self.mpp),
            Cell::text(&response.response_id),
            Cell::text(ticket.kiosk.as_str()),
            Cell::text(ticket.id.as_str()),
            Cell::text(channel_code(response.channel)),
            Cell::Text(ticket.business_day.to_string()),
            Cell::text(ticket.agency.as_str()),
            Cell::text(ticket.service.as_str()),
            Cell::optional(
                self.record
                    .counter
                    .as_ref()
                    .map(|mark| mark.counter.as_str()),
            ),
        ];
        cells.extend(
            response
                .answers
                .iter()
                .map(|(_, rating)| Cell::Integer(i64::from(rating.value()))),
        );
        cells.extend([
            Cell::optional(facts.age.map(AgeBand::code)),
            Cell::optional(facts.sex.map(Sex::code)),
            Cell::optional(facts.education.map(Education::code)),
            Cell::optional(facts.occupation.map(Occupation::code)),
            Cell::optional(response.suggestion.as_ref().map(|s| s.as_str())),
            Cell::text(response.language.code()),
            Cell::Text(instant::to_text(response.at)),
            Cell::Text(instant::to_text(self.received_at)),
        ]);
        cells
    }
}

pub fn channel_code(channel: Channel) -> &'static str {
    match channel {
        Channel::Kiosk => "kiosk",
        Channel::Phone => "phone",
    }
}

/// The row held in `cells` (in [`read_columns`] order), or what cannot be read.
pub fn row_from(cells: Vec<Cell>) -> Result<SurveyRow, String> {
    let columns = read_columns();
    if cells.len() != columns.len() {
        return Err(format!("a survey row has {} columns", cells.len()));
    }
    let mut row = Cells(columns.into_iter().zip(cells).collect());
    let mut given = BTreeMap::new();
    for element in Element::ALL {
        given.insert(element, row.rating(element)?);
    }
    let answers = Answers::complete(&given).map_err(|error| error.to_string())?;
    let channel = match row.text("channel")?.as_str() {
        "kiosk" => Channel::Kiosk,
        "phone" => Channel::Phone,
        other => return Err(format!("survey channel {other:?}")),
    };
    let day = row.text("business_day")?;
    let at = row.text("answered_at")?;
    let language = row.text("language")?;
    Ok(SurveyRow {
        response_id: row.text("response_id")?,
        kiosk: row.text("kiosk")?,
        ticket_id: row.text("ticket_id")?,
        channel,
        business_day: day.parse().map_err(|_| format!("survey day {day:?}"))?,
        agency: row.text("agency")?,
        service: row.text("service")?,
        counter: row.optional("counter")?,
        answers,
        respondent: Respondent {
            age: row.fact("age", AgeBand::parse)?,
            sex: row.fact("sex", Sex::parse)?,
            education: row.fact("education", Education::parse)?,
            occupation: row.fact("occupation", Occupation::parse)?,
        },
        suggestion: row.optional("suggestion")?,
        language: Language::ALL
            .into_iter()
            .find(|known| known.code() == language)
            .ok_or_else(|| format!("survey language {language:?}"))?,
        answered_at: instant::parse(&at).ok_or_else(|| format!("survey instant {at:?}"))?,
    })
}

/// A row's cells by column name, each taken once.
struct Cells(BTreeMap<&'static str, Cell>);

impl Cells {
    fn take(&mut self, name: &str) -> Cell {
        self.0.remove(name).unwrap_or(Cell::Null)
    }

    fn text(&mut self, name: &str) -> Result<String, String> {
        match self.take(name) {
            Cell::Text(text) => Ok(text),
            other => Err(format!("survey column {name} holds {other:?}")),
        }
    }

    fn optional(&mut self, name: &str) -> Result<Option<String>, String> {
        match self.take(name) {
            Cell::Null => Ok(None),
            Cell::Text(text) => Ok(Some(text)),
            other => Err(format!("survey column {name} holds {other:?}")),
        }
    }

    /// A respondent's fact from its stored code.
    fn fact<T>(&mut self, name: &str, parse: fn(&str) -> Option<T>) -> Result<Option<T>, String> {
        self.optional(name)?
            .map(|code| parse(&code).ok_or_else(|| format!("survey {name} {code:?}")))
            .transpose()
    }

    fn rating(&mut self, element: Element) -> Result<Rating, String> {
        let rating = match self.take(element.code()) {
            Cell::Integer(value) => u8::try_from(value).ok().and_then(Rating::new),
            _ => None,
        };
        rating.ok_or_else(|| format!("survey answer {} unreadable", element.code()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::ticket::CounterMark;
    use crate::storage::fixtures::{DAY, ticket};
    use mpp_core::numbering::Lane;
    use mpp_core::protocol::CounterStatus;
    use mpp_core::survey::respondent::Sex;
    use mpp_core::survey::suggestion::Suggestion;

    #[test]
    fn a_stored_row_reads_back_as_written_with_the_tickets_facts() {
        let mut answers = Answers::uniform(Rating::new(3).expect("3"));
        answers.set(Element::Complaints, Rating::new(1).expect("1"));
        let response = SurveyResponse {
            response_id: "r-1".into(),
            kiosk: "K1".into(),
            ticket_id: "t-1".into(),
            channel: Channel::Phone,
            answers: answers.clone(),
            respondent: Respondent {
                sex: Some(Sex::Female),
                ..Respondent::default()
            },
            suggestion: Suggestion::new("Ruang tunggu, sejuk").expect("fine"),
            language: Language::English,
            at: "2026-11-23T03:00:00Z".parse().expect("instant"),
        };
        let record = TicketRecord {
            ticket: ticket("K1", "t-1", 1, Lane::Regular, DAY),
            counter: Some(CounterMark {
                status: CounterStatus::Served,
                counter: "Loket 2".into(),
                at: "2026-11-23T02:30:00Z".parse().expect("instant"),
            }),
        };
        let now = "2026-11-23T03:00:05Z".parse().expect("instant");
        let mut cells = NewRow::new("blora", &response, &record, now).cells();
        assert_eq!(
            cells.len(),
            read_columns().len() + 2,
            "mpp and received_at too"
        );
        assert_eq!(cells.remove(0), Cell::text("blora"));
        cells.pop();
        let row = row_from(cells.clone()).expect("reads");
        assert_eq!(row.answers, answers);
        assert_eq!(
            (row.agency.as_str(), row.counter.as_deref()),
            ("DUKCAPIL", Some("Loket 2"))
        );
        assert_eq!(row.respondent.sex, Some(Sex::Female));
        assert_eq!(row.suggestion.as_deref(), Some("Ruang tunggu, sejuk"));
        assert_eq!(
            (row.channel, row.language),
            (Channel::Phone, Language::English)
        );
        cells[8] = Cell::Integer(5);
        let error = row_from(cells).expect_err("out of scale");
        assert!(error.contains("requirements"), "{error}");
    }
}
