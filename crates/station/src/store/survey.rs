//! Survey responses: the raw answers, one response per ticket (the database refuses a second),
//! and their own outbox, sent to the central server exactly once like ticket events.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::columns::{corrupt, new_id, parse_instant};
use super::outbox_marks::Outbox;
use super::{Store, StoreError};
use mpp_common::instant;
use mpp_core::lang::Language;
use mpp_core::survey::eligibility::{Candidate, normalise_number};
use mpp_core::survey::respondent::{AgeBand, Education, Occupation, Respondent, Sex};
use mpp_core::survey::suggestion::Suggestion;
use mpp_core::survey::wire::{Channel, SurveyResponse};
use mpp_core::survey::{Answers, Element, Rating};

/// The element columns, in the regulation's order (the names are the stable codes).
const ELEMENT_COLUMNS: &str = "requirements, procedure, completion_time, cost, product, \
     staff_competence, staff_behaviour, complaints, facilities";

/// What a finished survey holds before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewResponse {
    pub ticket_id: mpp_core::ids::TicketId,
    pub answers: Answers,
    pub respondent: Respondent,
    pub suggestion: Option<Suggestion>,
    pub language: Language,
}

/// How storing a response went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// Stored, with its new response id, and queued for the server.
    Saved(String),
    /// The ticket already has a response (answered twice, or two taps on Finish): nothing
    /// was stored.
    AlreadyAnswered,
}

/// One response waiting for the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsentSurvey {
    pub seq: i64,
    pub response: SurveyResponse,
}

impl Store {
    /// This kiosk's tickets (any day) whose number reads as `typed` (case, spaces and dashes
    /// aside), each with whether it has a response.
    pub fn survey_candidates(&self, typed: &str) -> Result<Vec<Candidate>, StoreError> {
        let number = normalise_number(typed);
        if number.is_empty() {
            return Ok(Vec::new());
        }
        let tickets = self.query_tickets(
            "WHERE replace(upper(number), '-', '') = ?1 ORDER BY issued_at DESC LIMIT 50",
            params![number],
        )?;
        tickets
            .into_iter()
            .map(|ticket| {
                let answered = self.has_survey(&ticket.id)?;
                Ok(Candidate { ticket, answered })
            })
            .collect()
    }

    /// This kiosk's ticket with this id (a scanned ticket's), with whether it has a response.
    pub fn survey_candidate(&self, ticket_id: &str) -> Result<Option<Candidate>, StoreError> {
        let ticket = self
            .query_tickets("WHERE id = ?1", params![ticket_id])?
            .into_iter()
            .next();
        ticket
            .map(|ticket| {
                let answered = self.has_survey(&ticket.id)?;
                Ok(Candidate { ticket, answered })
            })
            .transpose()
    }

    fn has_survey(&self, ticket_id: &str) -> Result<bool, StoreError> {
        self.connection
            .query_row(
                "SELECT 1 FROM survey_responses WHERE ticket_id = ?1",
                params![ticket_id],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
            .map_err(|error| self.error(error))
    }

    /// Stores a response and queues it for the server, in one transaction; a second response
    /// for the same ticket stores nothing.
    #[tracing::instrument(skip_all, err)]
    pub fn record_survey(
        &mut self,
        response: &NewResponse,
        now: DateTime<Utc>,
    ) -> Result<Recorded, StoreError> {
        let recorded = self.write(TransactionBehavior::Deferred, |transaction| {
            let taken: Option<i64> = transaction
                .query_row(
                    "SELECT 1 FROM survey_responses WHERE ticket_id = ?1",
                    params![response.ticket_id.as_str()],
                    |row| row.get(0),
                )
                .optional()?;
            if taken.is_some() {
                return Ok(Recorded::AlreadyAnswered);
            }
            let id = new_id(now);
            let ratings: Vec<u8> = response.answers.iter().map(|(_, r)| r.value()).collect();
            let facts = &response.respondent;
            transaction.execute(
                &format!(
                    "INSERT INTO survey_responses (id, ticket_id, {ELEMENT_COLUMNS}, age, sex, \
                     education, occupation, suggestion, language, at) VALUES (?1, ?2, ?3, ?4, \
                     ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
                ),
                params![
                    id,
                    response.ticket_id.as_str(),
                    ratings[0],
                    ratings[1],
                    ratings[2],
                    ratings[3],
                    ratings[4],
                    ratings[5],
                    ratings[6],
                    ratings[7],
                    ratings[8],
                    facts.age.map(AgeBand::code),
                    facts.sex.map(Sex::code),
                    facts.education.map(Education::code),
                    facts.occupation.map(Occupation::code),
                    response.suggestion.as_ref().map(Suggestion::as_str),
                    response.language.code(),
                    instant::to_text(now),
                ],
            )?;
            transaction.execute(
                "INSERT INTO survey_outbox (response_id, created_at) VALUES (?1, ?2)",
                params![id, instant::to_text(now)],
            )?;
            Ok(Recorded::Saved(id))
        })?;
        if let Recorded::Saved(_) = recorded {
            tracing::info!("survey response stored");
        }
        Ok(recorded)
    }

    /// The oldest responses not yet confirmed by the server, at most `limit`.
    pub fn unsent_surveys(&self, limit: u32) -> Result<Vec<UnsentSurvey>, StoreError> {
        let sql = format!(
            "SELECT o.seq, r.id, t.kiosk, r.ticket_id, {columns}, r.age, r.sex, r.education, \
             r.occupation, r.suggestion, r.language, r.at FROM survey_outbox o \
             JOIN survey_responses r ON r.id = o.response_id JOIN tickets t ON t.id = r.ticket_id \
             WHERE o.sent_at IS NULL AND o.refused_reason IS NULL ORDER BY o.seq LIMIT ?1",
            columns = ELEMENT_COLUMNS
                .split(", ")
                .map(|column| format!("r.{column}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows = self.all_rows(&sql, params![limit], RawSurvey::from_row)?;
        rows.into_iter().map(|raw| raw.into_unsent(self)).collect()
    }

    /// Marks responses the server confirmed (accepted or already had).
    pub fn mark_surveys_sent(
        &mut self,
        seqs: &[i64],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.mark_outbox_sent(Outbox::Surveys, seqs, now)
    }

    /// Sets responses the server refused for good aside with its reason: kept, never resent.
    pub fn mark_surveys_refused(
        &mut self,
        refused: &[(i64, String)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.mark_outbox_refused(Outbox::Surveys, refused, now)
    }

    /// Responses still to reach the server, and how many it refused for good.
    pub fn survey_depth(&self) -> Result<(u32, u32), StoreError> {
        self.connection
            .query_row(
                "SELECT count(*) FILTER (WHERE sent_at IS NULL AND refused_reason IS NULL), \
                 count(*) FILTER (WHERE refused_reason IS NOT NULL) FROM survey_outbox",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|error| self.error(error))
    }
}

/// A response as its row reads, before its words are checked.
struct RawSurvey {
    seq: i64,
    id: String,
    kiosk: String,
    ticket_id: String,
    ratings: [u8; 9],
    facts: [Option<String>; 4],
    suggestion: Option<String>,
    language: String,
    at: String,
}

impl RawSurvey {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        let mut ratings = [0u8; 9];
        for (index, rating) in ratings.iter_mut().enumerate() {
            *rating = row.get(4 + index)?;
        }
        Ok(Self {
            seq: row.get(0)?,
            id: row.get(1)?,
            kiosk: row.get(2)?,
            ticket_id: row.get(3)?,
            ratings,
            facts: [row.get(13)?, row.get(14)?, row.get(15)?, row.get(16)?],
            suggestion: row.get(17)?,
            language: row.get(18)?,
            at: row.get(19)?,
        })
    }

    fn into_unsent(self, store: &Store) -> Result<UnsentSurvey, StoreError> {
        let damaged = |detail: String| corrupt(&store.path, detail);
        let mut answers = Answers::uniform(Rating::ALL[0]);
        for (element, value) in Element::ALL.into_iter().zip(self.ratings) {
            let rating = Rating::new(value)
                .ok_or_else(|| damaged(format!("survey answer {value} for {}", element.code())))?;
            answers.set(element, rating);
        }
        let [age, sex, education, occupation] = self.facts;
        let respondent = Respondent {
            age: category(age, AgeBand::parse, "age", store)?,
            sex: category(sex, Sex::parse, "sex", store)?,
            education: category(education, Education::parse, "education", store)?,
            occupation: category(occupation, Occupation::parse, "occupation", store)?,
        };
        let suggestion = self
            .suggestion
            .map(Suggestion::try_from)
            .transpose()
            .map_err(|error| damaged(format!("survey suggestion: {error}")))?;
        let language = match self.language.as_str() {
            "id" => Language::Indonesian,
            "en" => Language::English,
            other => return Err(damaged(format!("survey language {other:?}"))),
        };
        Ok(UnsentSurvey {
            seq: self.seq,
            response: SurveyResponse {
                response_id: self.id,
                kiosk: self.kiosk.into(),
                ticket_id: self.ticket_id.into(),
                channel: Channel::Kiosk,
                answers,
                respondent,
                suggestion,
                language,
                at: parse_instant(&self.at, &store.path)?,
            },
        })
    }
}

/// A respondent's fact from its stored code; a code this program does not know is damage.
fn category<T>(
    code: Option<String>,
    parse: fn(&str) -> Option<T>,
    what: &str,
    store: &Store,
) -> Result<Option<T>, StoreError> {
    code.map(|code| {
        parse(&code).ok_or_else(|| corrupt(&store.path, format!("survey {what} {code:?}")))
    })
    .transpose()
}
