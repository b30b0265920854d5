//! Requests the tests send a real `mpp-central` again and again, and the tickets and events
//! they carry: printed tickets of the test kiosks in queue DKC (signed with their kiosk's key),
//! batches, counter reports, pages.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use mpp_core::day::TimeZone;
use mpp_core::numbering::Lane;
use mpp_core::protocol::{ApiError, BatchOutcome, EventBatch, QueueReport, TicketEvent};
use mpp_core::ticket::{Ticket, TicketStatus, qr_payload, sign, sign_legacy};
use mpp_core::url::encoded;
use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::{
    ADMIN_TOKEN, KIOSK, KIOSK_TOKEN, OTHER_KIOSK_TOKEN, OTHER_SIGNING_KEY, SIGNING_KEY, Server,
};

/// The base address of the test tickets' QR links.
pub const QR_BASE: &str = "https://mpp.example.go.id";

/// An HTTP client with a timeout, so a hung server fails the test instead of stalling it.
pub fn client() -> reqwest::Client {
    crate::install_tls_provider();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("HTTP client")
}

/// Today's business day where the MPP is.
pub fn today() -> NaiveDate {
    TimeZone::JAKARTA.local(Utc::now()).date()
}

/// A printed ticket of `kiosk` in queue DKC (service DKC-KK), issued `minute` minutes into today.
pub fn ticket(kiosk: &str, id: &str, sequence: u32, lane: Lane, minute: i64) -> Ticket {
    let day = today();
    let start: DateTime<Utc> = day.and_hms_opt(1, 0, 0).expect("time").and_utc();
    let marker = if lane.is_priority() { "P" } else { "" };
    Ticket {
        id: id.into(),
        number: format!("DKC-{marker}{sequence:03}"),
        queue: "DKC".into(),
        lane,
        sequence,
        agency: "DUKCAPIL".into(),
        service: "DKC-KK".into(),
        kiosk: kiosk.into(),
        business_day: day,
        issued_at: start + TimeDelta::minutes(minute),
        people_ahead: Some(0),
        expected_wait: None,
        status: TicketStatus::Printed,
        print_count: 1,
        qr_payload: qr_payload(QR_BASE, kiosk, id, key_of(kiosk).as_bytes()),
    }
}

/// The event that moved `ticket` to `status`.
pub fn event(event_id: i64, ticket: &Ticket, status: TicketStatus) -> TicketEvent {
    let mut ticket = ticket.clone();
    ticket.status = status;
    TicketEvent {
        event_id,
        status,
        reason: None,
        at: ticket.issued_at,
        ticket,
    }
}

pub fn batch(kiosk: &str, events: Vec<TicketEvent>) -> EventBatch {
    EventBatch {
        kiosk: kiosk.into(),
        events,
    }
}

/// `tickets` (all of one test kiosk) printed, in one batch of events numbered from 1, sent with
/// their kiosk's token: the batch and every event in it must be taken.
pub async fn push_printed(server: &Server, tickets: &[Ticket]) -> BatchOutcome {
    let kiosk = &tickets.first().expect("a ticket to push").kiosk;
    let events = (1..)
        .zip(tickets)
        .map(|(event_id, ticket)| event(event_id, ticket, TicketStatus::Printed))
        .collect();
    let response = post_events(server, token_of(kiosk), &batch(kiosk, events)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let outcome: BatchOutcome = response.json().await.expect("an outcome");
    assert_eq!(outcome.accepted.len(), tickets.len(), "{outcome:?}");
    outcome
}

/// The signing key of a test kiosk: [`KIOSK`]'s own, and [`OTHER_SIGNING_KEY`] for any other.
pub fn key_of(kiosk: &str) -> &'static str {
    if kiosk == KIOSK {
        SIGNING_KEY
    } else {
        OTHER_SIGNING_KEY
    }
}

/// The token of a test kiosk: [`KIOSK`]'s own, and [`OTHER_KIOSK_TOKEN`] for any other.
pub fn token_of(kiosk: &str) -> &'static str {
    if kiosk == KIOSK {
        KIOSK_TOKEN
    } else {
        OTHER_KIOSK_TOKEN
    }
}

/// The signature [`KIOSK`] prints in the QR link of its ticket `id`.
pub fn signature(id: &str) -> String {
    sign(KIOSK, id, SIGNING_KEY.as_bytes())
}

/// The signature a kiosk printed in the QR link of `id` before the kiosk was signed too.
pub fn legacy_signature(kiosk: &str, id: &str) -> String {
    sign_legacy(id, key_of(kiosk).as_bytes())
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

pub async fn error_of(response: reqwest::Response) -> String {
    response
        .json::<ApiError>()
        .await
        .expect("an ApiError body")
        .error
}

pub async fn push(server: &Server, body: &impl serde::Serialize) -> (StatusCode, BatchOutcome) {
    let response = post_events(server, KIOSK_TOKEN, body).await;
    let status = response.status();
    (status, response.json().await.expect("an outcome"))
}

pub async fn queues(server: &Server) -> QueueReport {
    let path = format!("/api/v1/queues?day={}", today());
    get_as(server, &path, KIOSK_TOKEN)
        .await
        .json()
        .await
        .expect("a queue report")
}

pub fn waiting(report: &QueueReport, queue: &str) -> (u32, u32) {
    let entry = report
        .queues
        .iter()
        .find(|entry| entry.queue == queue)
        .expect("queue listed");
    (entry.waiting_regular, entry.waiting_priority)
}

/// The fleet page, as a script reads it: the admin token as a bearer header.
pub async fn fleet(server: &Server) -> String {
    let response = get_as(server, "/fleet", ADMIN_TOKEN).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.expect("html")
}

/// The name of the staff session cookie.
pub const SESSION_COOKIE: &str = "__Host-mpp_session";
/// The cookie a browser keeps once it signed in (the server lets it through while strangers' guesses hold the account back).
pub const DEVICE_COOKIE: &str = "__Host-mpp_device";

/// A client that shows redirects instead of following them (the sign-in answers 303).
pub fn client_without_redirects() -> reqwest::Client {
    crate::install_tls_provider();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// `POST /login` with `name` and `password` as a browser's form sends them; the whole answer.
pub async fn sign_in(server: &Server, name: &str, password: &str) -> reqwest::Response {
    sign_in_from(server, name, password, None).await
}

/// [`sign_in`] from a browser holding `cookie` (`name=value`, e.g. its device cookie).
pub async fn sign_in_from(
    server: &Server,
    name: &str,
    password: &str,
    cookie: Option<&str>,
) -> reqwest::Response {
    sign_in_with(client_without_redirects(), server, name, password, cookie).await
}

/// [`sign_in`] from the loopback address `from` (e.g. 127.0.0.2): another client to the
/// server's per-address limit.
pub async fn sign_in_at(
    server: &Server,
    from: std::net::Ipv4Addr,
    name: &str,
    password: &str,
) -> reqwest::Response {
    crate::install_tls_provider();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::V4(from))
        .build()
        .expect("HTTP client");
    sign_in_with(client, server, name, password, None).await
}

/// The sign-in form as a browser posts it, through `client`.
async fn sign_in_with(
    client: reqwest::Client,
    server: &Server,
    name: &str,
    password: &str,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut request = client
        .post(server.url("/login"))
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(format!(
            "name={}&password={}",
            encoded(name),
            encoded(password)
        ));
    if let Some(cookie) = cookie {
        request = request.header(reqwest::header::COOKIE, cookie);
    }
    request.send().await.expect("sign in")
}

/// Signs in as `name` and returns the session cookie (`name=value`) to send back.
pub async fn session_of(server: &Server, name: &str, password: &str) -> String {
    let answer = sign_in(server, name, password).await;
    assert_eq!(answer.status(), 303, "{name} signs in");
    cookie_named(&answer, SESSION_COOKIE).expect("a session cookie")
}

/// The `name=value` of the cookie `name` an answer sets.
pub fn cookie_named(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|line| line.starts_with(&format!("{name}=")))
        .map(cookie_of)
}

/// The `Set-Cookie` line of an answer for the session cookie.
pub fn set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|line| line.starts_with(&format!("{SESSION_COOKIE}=")))
        .map(str::to_owned)
}

/// The `Cookie` header a browser sends back for a `Set-Cookie` line: its `name=value`.
pub fn cookie_of(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .expect("name=value")
        .trim()
        .to_owned()
}

/// A GET sending `cookie` as the `Cookie` header.
pub async fn get_with_cookie(server: &Server, path: &str, cookie: &str) -> reqwest::Response {
    client_without_redirects()
        .get(server.url(path))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .expect("GET with a cookie")
}

/// The page of [`KIOSK`]'s ticket `id`, as its QR link opens it with `signature`.
pub async fn page(server: &Server, id: &str, signature: &str) -> (StatusCode, String) {
    page_at(server, &format!("/t/{KIOSK}/{id}?s={signature}")).await
}

/// The page of [`KIOSK`]'s ticket `id`, as its genuine QR link opens it.
pub async fn genuine_page(server: &Server, id: &str) -> (StatusCode, String) {
    page(server, id, &signature(id)).await
}

/// The page at `path` (e.g. `/t/<kiosk>/<id>?s=…` or a legacy `/t/<id>?s=…`), status and HTML.
pub async fn page_at(server: &Server, path: &str) -> (StatusCode, String) {
    let response = client()
        .get(server.url(path))
        .send()
        .await
        .expect("ticket page");
    let status = response.status();
    (status, response.text().await.expect("html"))
}

/// The number shown under "people ahead" on a ticket page.
pub fn ahead(html: &str) -> u32 {
    let start = html.find("<p class=\"ahead\">").expect("an ahead count") + 17;
    html[start..]
        .split('<')
        .next()
        .expect("number")
        .parse()
        .expect("a count")
}

/// A counter report on the path that names the ticket by id alone, as older counters send it.
pub async fn counter(server: &Server, token: &str, id: &str, status: &str) -> StatusCode {
    counter_at(
        server,
        token,
        &format!("/api/v1/counter/tickets/{id}"),
        status,
    )
    .await
    .status()
}

/// A counter report `status` (to "Loket 2", one of [`COUNTER_TOKEN`](super::COUNTER_TOKEN)'s
/// points) sent to `path`, the whole answer.
pub async fn counter_at(
    server: &Server,
    token: &str,
    path: &str,
    status: &str,
) -> reqwest::Response {
    counter_to(server, token, path, status, "Loket 2").await
}

/// Where counters report on `kiosk`'s ticket `id`.
pub fn counter_path(kiosk: &str, id: &str) -> String {
    format!("/api/v1/counter/tickets/{kiosk}/{id}")
}

/// Counter reports `steps` ("called", "served", ...) sent to `path` in turn by the counter with
/// `token`, calling the visitor to `point`; each must be taken (204).
pub async fn counter_steps(
    server: &Server,
    (token, point): (&str, &str),
    path: &str,
    steps: &[&str],
) {
    for step in steps {
        let answer = counter_to(server, token, path, step, point).await;
        assert_eq!(answer.status(), StatusCode::NO_CONTENT, "{path}: {step}");
    }
}

/// A counter report `status` calling the visitor to `point`, sent to `path`.
pub async fn counter_to(
    server: &Server,
    token: &str,
    path: &str,
    status: &str,
    point: &str,
) -> reqwest::Response {
    post_as(
        server,
        path,
        token,
        &json!({ "status": status, "counter": point }),
    )
    .await
}

/// A POST of `body` as JSON to `path` with `token` as the bearer; the whole answer.
pub async fn post_as(
    server: &Server,
    path: &str,
    token: &str,
    body: &impl serde::Serialize,
) -> reqwest::Response {
    client()
        .post(server.url(path))
        .header(AUTHORIZATION, bearer(token))
        .json(body)
        .send()
        .await
        .unwrap_or_else(|error| panic!("POST {path}: {error}"))
}

/// [`post_as`] answered 200: the answer's JSON.
pub async fn post_ok<T: DeserializeOwned>(
    server: &Server,
    path: &str,
    token: &str,
    body: &impl serde::Serialize,
) -> T {
    let answer = post_as(server, path, token, body).await;
    assert_eq!(answer.status(), StatusCode::OK, "POST {path}");
    answer
        .json()
        .await
        .unwrap_or_else(|error| panic!("the answer to POST {path}: {error}"))
}

pub async fn post_events(
    server: &Server,
    token: &str,
    body: &impl serde::Serialize,
) -> reqwest::Response {
    post_as(server, "/api/v1/events", token, body).await
}

pub async fn get_catalog(server: &Server, etag: Option<&str>) -> reqwest::Response {
    let mut request = client()
        .get(server.url("/api/v1/catalog"))
        .header(AUTHORIZATION, bearer(KIOSK_TOKEN));
    if let Some(etag) = etag {
        request = request.header(reqwest::header::IF_NONE_MATCH, etag);
    }
    request.send().await.expect("catalog")
}

/// A GET with `token` as the bearer.
pub async fn get_as(server: &Server, path: &str, token: &str) -> reqwest::Response {
    client()
        .get(server.url(path))
        .header(AUTHORIZATION, bearer(token))
        .send()
        .await
        .expect("GET with a token")
}

/// A plain GET without a token.
pub async fn get(server: &Server, path: &str) -> reqwest::Response {
    client().get(server.url(path)).send().await.expect("GET")
}

/// One printed ticket of `kiosk` in a batch of its own.
pub fn one(kiosk: &str, event_id: i64, id: &str) -> EventBatch {
    let ticket = ticket(kiosk, id, 1, Lane::Regular, 0);
    batch(kiosk, vec![event(event_id, &ticket, TicketStatus::Printed)])
}
