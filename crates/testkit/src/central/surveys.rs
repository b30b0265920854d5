//! Survey requests the tests send a real `mpp-central`: a ticket of [`KIOSK`] served at a
//! counter, a kiosk's survey batch, the phone form posted as a browser posts it, and the
//! report read with the admin token.

use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::protocol::{Channel, SurveyBatch, SurveyOutcome, SurveyResponse};
use mpp_core::survey::respondent::Respondent;
use mpp_core::survey::{Answers, Rating};
use mpp_core::ticket::{Ticket, TicketStatus, sign};
use mpp_core::url::encoded;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

use super::{
    ADMIN_TOKEN, COUNTER_TOKEN, KIOSK, KIOSK_TOKEN, Server, batch, client, counter_path,
    counter_steps, event, get_as, key_of, post_events, post_ok, ticket,
};

/// A printed ticket of `kiosk` pushed with the kiosk's `token` (number `sequence`, issued
/// `sequence` minutes into today).
pub async fn pushed(server: &Server, kiosk: &str, token: &str, id: &str, sequence: u32) -> Ticket {
    let ticket = ticket(kiosk, id, sequence, Lane::Regular, i64::from(sequence));
    let events = batch(kiosk, vec![event(1, &ticket, TicketStatus::Printed)]);
    let answer = post_events(server, token, &events).await;
    assert_eq!(answer.status(), StatusCode::OK, "push {id}");
    ticket
}

/// [`KIOSK`]'s ticket `id` pushed, called and served at `point` (one of the counter's).
pub async fn served_at(server: &Server, id: &str, sequence: u32, point: &str) -> Ticket {
    let ticket = pushed(server, KIOSK, KIOSK_TOKEN, id, sequence).await;
    let steps = ["called", "served"];
    counter_steps(
        server,
        (COUNTER_TOKEN, point),
        &counter_path(KIOSK, id),
        &steps,
    )
    .await;
    ticket
}

/// A kiosk response of [`KIOSK`] to ticket `id`.
pub fn response(response_id: &str, id: &str, answers: Answers) -> SurveyResponse {
    SurveyResponse {
        response_id: response_id.into(),
        kiosk: KIOSK.into(),
        ticket_id: id.into(),
        channel: Channel::Kiosk,
        answers,
        respondent: Respondent::default(),
        suggestion: None,
        language: Language::Indonesian,
        at: chrono::Utc::now(),
    }
}

/// Every answer `value`.
pub fn all(value: u8) -> Answers {
    Answers::uniform(Rating::new(value).expect("1 to 4"))
}

/// Where kiosks send their survey batches.
pub const SURVEYS: &str = "/api/v1/surveys";

/// [`KIOSK`]'s `responses` sent; the outcome (the answer must be 200).
pub async fn send_surveys(server: &Server, responses: Vec<SurveyResponse>) -> SurveyOutcome {
    let body = SurveyBatch {
        kiosk: KIOSK.into(),
        responses,
    };
    post_ok(server, SURVEYS, KIOSK_TOKEN, &body).await
}

/// The survey form's address for `kiosk`'s ticket `id`, signed with the kiosk's key.
pub fn survey_path(kiosk: &str, id: &str, lang: &str) -> String {
    let signature = sign(kiosk, id, key_of(kiosk).as_bytes());
    format!("/t/{kiosk}/{id}/survey?s={signature}&lang={lang}")
}

/// The fields a browser posts for `answers` (and the extra `fields`).
pub fn form_fields(answers: &Answers, fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = answers
        .iter()
        .map(|(element, rating)| (element.code().to_owned(), rating.value().to_string()))
        .collect();
    all.extend(
        fields
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
    );
    all
}

/// The phone form posted to `path` as a browser posts it; status and HTML.
pub async fn post_form(
    server: &Server,
    path: &str,
    fields: &[(String, String)],
) -> (StatusCode, String) {
    let body: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("{}={}", encoded(name), encoded(value)))
        .collect();
    let answer = client()
        .post(server.url(path))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body.join("&"))
        .send()
        .await
        .expect("post the survey form");
    let status = answer.status();
    (status, answer.text().await.expect("html"))
}

/// A staff page (the report, its CSV) read with the admin token; status and body.
pub async fn staff_get(server: &Server, path: &str) -> (StatusCode, String) {
    let answer = get_as(server, path, ADMIN_TOKEN).await;
    let status = answer.status();
    (status, answer.text().await.expect("body"))
}
