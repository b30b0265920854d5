//! `GET` and `POST /t/{kiosk}/{id}/survey?s=<signature>&lang=`: the survey on the visitor's
//! phone, under the ticket's own signed link, offered by the ticket page once a counter marked
//! the ticket served. The signature is checked first, as on the ticket page (a forged or
//! foreign link gets the same "not valid" page); then the same rules as for the kiosk's
//! responses ([`crate::rules::survey`]); the answers go through the same store call, as channel
//! `phone`, so a kiosk and a phone answering one ticket give one response.
//!
//! Why no CSRF token: the form is keyed by the signed ticket link, which only the holder of
//! the paper ticket (or whoever they showed its QR code) knows. A page elsewhere cannot post
//! for a ticket whose link it does not know, there is no cookie or session that a forged post
//! would ride on, and each ticket takes one response whichever way it arrives: the most a
//! forged post could do is what the ticket's holder could do once themselves.

mod form;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/t/{kiosk}/{id}/survey",
        get(show)
            .post(submit)
            .layer(DefaultBodyLimit::max(FORM_LIMIT)),
    )
}

pub mod text;

use std::collections::HashMap;

use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};

use crate::http::html::{Text, both, languages, message_page};
use crate::http::pages::phone_survey::form::{Filled, said, worded};
pub use crate::http::pages::phone_survey::text::Text as SurveyText;
use crate::http::pages::ticket::{not_valid, signed, survey_link};
use crate::http::state::AppState;
use crate::model::ticket::TicketRecord;
use crate::rules::survey::{Decision, Refusal, SurveyRules, judge};
use mpp_core::lang::Language;
use mpp_core::protocol::{Channel, SurveyResponse};
use mpp_core::survey::Answers;
use mpp_core::survey::suggestion::{MAX_CHARS, Suggestion, SuggestionError};
use mpp_core::survey::text::Text as SurveyWords;

/// Largest survey form accepted: nine answers, four facts and a suggestion of 280 characters
/// (each up to 4 bytes, percent-encoded to 12) fit many times.
pub const FORM_LIMIT: usize = 16 * 1024;

/// A verified survey link.
struct Link {
    kiosk: String,
    id: String,
    signature: String,
    langs: [Language; 2],
}

impl Link {
    /// The link, or the page's languages when it is not a ticket's.
    fn read(
        state: &AppState,
        path: Result<Path<(String, String)>, PathRejection>,
        query: Result<Query<HashMap<String, String>>, QueryRejection>,
    ) -> Result<Self, [Language; 2]> {
        let mut params = query.map(|Query(params)| params).unwrap_or_default();
        let langs = languages(params.get("lang").is_some_and(|lang| lang == "en"));
        let signature = params.remove("s").unwrap_or_default();
        let Ok(Path((kiosk, id))) = path else {
            return Err(langs);
        };
        if !signed(state, &kiosk, &id, &signature) {
            return Err(langs);
        }
        Ok(Self {
            kiosk,
            id,
            signature,
            langs,
        })
    }

    fn ticket_path(&self) -> String {
        format!("/t/{}/{}", self.kiosk, self.id)
    }

    fn form_in(&self, language: Language) -> String {
        survey_link(&self.ticket_path(), &self.signature, language)
    }

    fn back(&self) -> String {
        let (path, language) = (self.ticket_path(), self.langs[0].code());
        format!("{path}?s={}&lang={language}", self.signature)
    }

    /// The MPP's id and the rules now (a verified link's kiosk is configured).
    fn rules(&self, state: &AppState) -> Option<(String, SurveyRules)> {
        let (mpp, _) = state.config.kiosk_entry(&self.kiosk)?;
        let rules = SurveyRules {
            today: state.today(mpp),
            window_days: state.config.survey.window_days,
            zone: mpp.time_zone,
        };
        Some((mpp.id.clone(), rules))
    }
}

/// `GET /t/{kiosk}/{id}/survey?s=`: the form, or why the ticket cannot be rated.
pub async fn show(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let link = match Link::read(&state, path, query) {
        Ok(link) => link,
        Err(langs) => return not_valid(langs),
    };
    match open_ticket(&state, &link).await {
        Ok(record) => form_page(&state, &link, &record, &Filled::default(), None).await,
        Err(page) => page,
    }
}

/// `POST /t/{kiosk}/{id}/survey?s=`: the answers; thanks, the form again with what is wrong,
/// or why they cannot be taken.
pub async fn submit(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let link = match Link::read(&state, path, query) {
        Ok(link) => link,
        Err(langs) => return not_valid(langs),
    };
    let record = match open_ticket(&state, &link).await {
        Ok(record) => record,
        Err(page) => return page,
    };
    let langs = link.langs;
    let Ok(Form(fields)) = form else {
        let problem = said(SurveyText::BadForm, langs);
        return form_page(&state, &link, &record, &Filled::default(), Some(problem)).await;
    };
    let filled = Filled::read(&fields);
    let now = state.now();
    let response = match response_of(&link, &filled, now) {
        Ok(response) => response,
        Err(problem) => return form_page(&state, &link, &record, &filled, Some(problem)).await,
    };
    let Some((mpp, rules)) = link.rules(&state) else {
        return unavailable(langs);
    };
    let decided = state
        .storage(move |storage| storage.record_surveys(&mpp, &[response], rules, now))
        .await;
    match decided.map(|decisions| decisions.into_iter().next()) {
        Ok(Some(Decision::Accepted | Decision::Duplicate)) => {
            tracing::info!(kiosk = %link.kiosk, "survey answered on a phone");
            form::thanks(&link.back(), langs)
        }
        Ok(Some(Decision::Refused(refusal))) => refused(&state, &link, &refusal),
        Ok(Some(Decision::NotYetKnown | Decision::NotYetServed) | None) => not_yet_known(langs),
        Err(_) => unavailable(langs),
    }
}

/// The filled form as a response, or the problem to show above the form.
fn response_of(
    link: &Link,
    filled: &Filled,
    now: DateTime<Utc>,
) -> Result<SurveyResponse, maud::Markup> {
    let langs = link.langs;
    if let Some(missing) = filled.missing() {
        let line = |language| SurveyText::AnswerAll.fill(language, &[("missing", &missing)]);
        return Err(both(&line(langs[0]), &line(langs[1]), langs));
    }
    let suggestion = Suggestion::new(&filled.suggestion).map_err(|error| {
        let text = match error {
            SuggestionError::LooksLikeNik => SurveyWords::SuggestionNik,
            SuggestionError::LooksLikePhone => SurveyWords::SuggestionPhone,
            SuggestionError::TooLong { .. } | SuggestionError::Empty => SurveyWords::SuggestionLong,
        };
        let max = MAX_CHARS.to_string();
        let line = |language| text.fill(language, &[("max", &max)]);
        both(&line(langs[0]), &line(langs[1]), langs)
    })?;
    let answers = Answers::complete(&filled.answers)
        .map_err(|error| both(&error.to_string(), &error.to_string(), langs))?;
    let response_id = new_response_id().ok_or_else(|| worded(SurveyWords::SaveFailed, langs))?;
    Ok(SurveyResponse {
        response_id,
        kiosk: link.kiosk.as_str().into(),
        ticket_id: link.id.as_str().into(),
        channel: Channel::Phone,
        answers,
        respondent: filled.respondent,
        suggestion,
        language: langs[0],
        at: now,
    })
}

/// `phone-` and 128 random bits as hex: no two phones ever make the same id.
fn new_response_id() -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    Some(format!("phone-{hex}"))
}

/// The ticket when it may be rated now, or the page that says why not.
async fn open_ticket(state: &AppState, link: &Link) -> Result<TicketRecord, Response> {
    let langs = link.langs;
    let (kiosk, id) = (link.kiosk.clone(), link.id.clone());
    let found = state
        .read(move |storage| {
            let record = storage.ticket(&kiosk, &id)?;
            let answered = record.is_some() && storage.survey_answered(&kiosk, &id)?;
            Ok((record, answered))
        })
        .await;
    let (record, answered) = match found {
        Ok((Some(record), answered)) => (record, answered),
        Ok((None, _)) => return Err(not_yet_known(langs)),
        Err(_) => return Err(unavailable(langs)),
    };
    let Some((_, rules)) = link.rules(state) else {
        return Err(unavailable(langs));
    };
    match judge(&record, answered, rules) {
        Ok(()) => Ok(record),
        Err(refusal) => Err(refused(state, link, &refusal)),
    }
}

async fn form_page(
    state: &AppState,
    link: &Link,
    record: &TicketRecord,
    filled: &Filled,
    problem: Option<maud::Markup>,
) -> Response {
    let langs = link.langs;
    let ticket = &record.ticket;
    let mpp = state.config.kiosk_entry(&link.kiosk).map(|(mpp, _)| mpp);
    let Some(mpp) = mpp else {
        return unavailable(langs);
    };
    let catalog = state.catalog_for_page(&mpp.id).await.served;
    let service = catalog
        .as_ref()
        .and_then(|served| served.catalog.service(&ticket.service))
        .map(|service| service.name.clone());
    let service = match &service {
        Some(name) => both(name.get(langs[0]), name.get(langs[1]), langs),
        None => both(ticket.service.as_str(), ticket.service.as_str(), langs),
    };
    let form = form::Form {
        mpp: &mpp.name,
        number: &ticket.number,
        service,
        action: link.form_in(langs[0]),
        switch: link.form_in(langs[1]),
        langs,
        filled,
        problem,
    };
    let status = if form.problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    crate::http::html::respond(status, form.render())
}

/// Why a ticket cannot be rated, in the visitor's words.
fn refused(state: &AppState, link: &Link, refusal: &Refusal) -> Response {
    let langs = link.langs;
    let days = state.config.survey.window_days.to_string();
    let too_old = |language| SurveyWords::TooOld.fill(language, &[("days", &days)]);
    let (status, title, help) = match refusal {
        Refusal::Answered => (
            StatusCode::CONFLICT,
            SurveyText::AlreadyRated,
            said(SurveyText::AlreadyRatedHelp, langs),
        ),
        Refusal::NotServed => (
            StatusCode::CONFLICT,
            SurveyText::NotServedTitle,
            said(SurveyText::NotServedHelp, langs),
        ),
        Refusal::Voided => (
            StatusCode::GONE,
            SurveyText::VoidedTitle,
            worded(SurveyWords::Voided, langs),
        ),
        Refusal::TooOld => (
            StatusCode::GONE,
            SurveyText::TooOldTitle,
            both(&too_old(langs[0]), &too_old(langs[1]), langs),
        ),
        other => {
            let reason = other.reason(state.config.survey.window_days);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                SurveyText::NotTakenTitle,
                both(&reason, &reason, langs),
            )
        }
    };
    let heading = format!("{} / {}", title.get(langs[0]), title.get(langs[1]));
    form::notice(
        status,
        said(title, langs),
        help,
        &heading,
        &link.back(),
        langs,
    )
}

fn not_yet_known(langs: [Language; 2]) -> Response {
    message_page(
        StatusCode::NOT_FOUND,
        Text::PageNotYetKnown,
        Text::PageNotYetKnownHelp,
        langs,
    )
}

fn unavailable(langs: [Language; 2]) -> Response {
    message_page(
        StatusCode::SERVICE_UNAVAILABLE,
        Text::PageUnavailable,
        Text::PageUnavailableHelp,
        langs,
    )
}
