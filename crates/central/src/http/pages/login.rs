//! `GET /login`, `POST /login`, `POST /logout`: staff sign in with their account's name and
//! password and get a session cookie (`HttpOnly; Secure; SameSite=Strict`, a random 256-bit id
//! whose hash the database keeps, see [`crate::http::sessions`]); scripts send
//! `Authorization: Bearer <admin token>` instead. No secret is taken from an address.
//! Guessing is held back per client address and per account, without letting a stranger lock
//! a person out: a browser that signed in as the account before (its device cookie) passes
//! both. Passwords are checked (Argon2id) off the executor, a few at a time; an unknown name
//! takes as long as a wrong password. Browsers send a `Secure` cookie only over HTTPS: staff
//! reach the server through the proxy.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::Extension;
use axum::extract::rejection::{ExtensionRejection, FormRejection, QueryRejection};
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use crate::http::body_deadline::timed_out;
use crate::http::html::{both, page, respond};
use crate::http::sessions::{
    DEVICE_COOKIE, SESSION_COOKIE, Signed, cookie, limits, new_id, sha256_hex, signed_in,
};
use crate::http::state::AppState;
use crate::http::throttle::client_address;
use crate::rules::passwords;
use crate::rules::staff::Role;
use mpp_core::lang::Language;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// Largest sign-in form accepted.
const LOGIN_BODY_LIMIT: usize = 4096;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/login",
            get(show)
                .post(sign_in)
                .layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
        .route("/logout", post(sign_out))
}

/// How long a browser is remembered as one an account signed in from.
const DEVICE_DAYS: u64 = 365;
/// Query keys that carry a secret, refused on every staff page.
const SECRET_KEYS: [&str; 3] = ["token", "password", "session"];
/// The staff pages' languages: Indonesian, with English beneath.
const LANGUAGES: [Language; 2] = [Language::Indonesian, Language::English];

/// Every sentence of the staff sign-in, in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffText {
    Title,
    NameLabel,
    PasswordLabel,
    SignIn,
    Wrong,
    TooMany,
    AccountHeld,
    Disabled,
    Busy,
    SignInFirst,
    NotYours,
    TokenInAddress,
    TokenInAddressHelp,
    SignOut,
    BodyTooSlow,
    BadForm,
}

impl StaffText {
    #[cfg(test)]
    pub const ALL: [StaffText; 16] = [
        StaffText::Title,
        StaffText::NameLabel,
        StaffText::PasswordLabel,
        StaffText::SignIn,
        StaffText::Wrong,
        StaffText::TooMany,
        StaffText::AccountHeld,
        StaffText::Disabled,
        StaffText::Busy,
        StaffText::SignInFirst,
        StaffText::NotYours,
        StaffText::TokenInAddress,
        StaffText::TokenInAddressHelp,
        StaffText::SignOut,
        StaffText::BodyTooSlow,
        StaffText::BadForm,
    ];

    pub fn get(self, language: Language) -> &'static str {
        let (indonesian, english) = match self {
            StaffText::Title => ("Masuk petugas", "Staff sign-in"),
            StaffText::NameLabel => ("Nama akun", "Account name"),
            StaffText::PasswordLabel => ("Kata sandi", "Password"),
            StaffText::SignIn => ("Masuk", "Sign in"),
            StaffText::Wrong => (
                "Nama akun atau kata sandi salah",
                "Wrong account name or password",
            ),
            StaffText::TooMany => (
                "Terlalu banyak percobaan dari alamat ini. Coba lagi dalam {seconds} detik.",
                "Too many attempts from this address. Try again in {seconds} seconds.",
            ),
            StaffText::AccountHeld => (
                "Terlalu banyak kata sandi salah untuk akun ini. Coba lagi dalam {seconds} detik, \
                 atau dari perangkat yang biasa Anda pakai untuk masuk.",
                "Too many wrong passwords for this account. Try again in {seconds} seconds, or \
                 from the device you usually sign in from.",
            ),
            StaffText::Disabled => (
                "Akun ini dinonaktifkan. Hubungi kepala MPP.",
                "This account is disabled. Ask the MPP head.",
            ),
            StaffText::Busy => (
                "Server sedang sibuk. Coba lagi sebentar.",
                "The server is busy. Try again in a moment.",
            ),
            StaffText::SignInFirst => (
                "Silakan masuk dulu di /login.",
                "Please sign in first at /login.",
            ),
            StaffText::NotYours => (
                "Akun Anda tidak mencakup halaman ini.",
                "Your account does not cover this page.",
            ),
            StaffText::TokenInAddress => (
                "Token di alamat tidak diterima lagi",
                "A token in the address is no longer accepted",
            ),
            StaffText::TokenInAddressHelp => (
                "Alamat tersimpan di log proxy dan riwayat peramban. Masuk di /login (skrip: \
                 header Authorization: Bearer), lalu ganti token bila pernah dipakai di alamat.",
                "Addresses end up in proxy logs and browser history. Sign in at /login (scripts: \
                 an Authorization: Bearer header), and change the token if it was ever used in \
                 an address.",
            ),
            StaffText::SignOut => ("Keluar", "Sign out"),
            StaffText::BodyTooSlow => (
                "Formulir terlalu lama terkirim. Coba lagi.",
                "The form took too long to arrive. Try again.",
            ),
            StaffText::BadForm => (
                "Formulir tidak lengkap: isi nama akun dan kata sandi.",
                "The form is incomplete: enter the account name and password.",
            ),
        };
        match language {
            Language::Indonesian => indonesian,
            Language::English => english,
        }
    }

    pub fn both(self) -> Markup {
        both(self.get(LANGUAGES[0]), self.get(LANGUAGES[1]), LANGUAGES)
    }
}

/// Whether the query names a secret (`?token=`, ...), which no staff page accepts.
pub fn secret_in_query(query: Result<Query<HashMap<String, String>>, QueryRejection>) -> bool {
    query.is_ok_and(|Query(params)| SECRET_KEYS.iter().any(|key| params.contains_key(*key)))
}

/// The answer to a secret in the address: refused, pointing at /login.
pub fn token_in_address() -> Response {
    let body = html! {
        main { div class="card" {
            p class="status bad" { (StaffText::TokenInAddress.both()) }
            p { (StaffText::TokenInAddressHelp.both()) }
            p { a href="/login" { (StaffText::SignIn.both()) } }
        } }
    };
    respond(
        StatusCode::BAD_REQUEST,
        page("400", Language::Indonesian, None, body),
    )
}

/// The answer to a staff page asked for without a session or the bearer token.
pub fn sign_in_first() -> Response {
    notice_page(StatusCode::UNAUTHORIZED, StaffText::SignInFirst)
}

/// The answer to a page of an MPP (or a role) the account does not cover.
pub fn not_yours() -> Response {
    notice_page(StatusCode::FORBIDDEN, StaffText::NotYours)
}

fn notice_page(status: StatusCode, text: StaffText) -> Response {
    let body = html! {
        main { div class="card" {
            p class="status bad" { (text.both()) }
            p { a href="/login" { (StaffText::SignIn.both()) } }
        } }
    };
    respond(
        status,
        page(status.as_str(), Language::Indonesian, None, body),
    )
}

/// The signed-in account of a staff page's request, or the page that answers instead: a secret
/// in the address (400), nobody signed in (401), the database away (503).
pub async fn staff_only(
    state: &AppState,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: &HeaderMap,
) -> Result<Signed, Response> {
    if secret_in_query(query) {
        return Err(token_in_address());
    }
    signed_or_page(state, headers).await
}

/// The signed-in account of a request, or the page that answers instead (401, 503).
pub async fn signed_or_page(state: &AppState, headers: &HeaderMap) -> Result<Signed, Response> {
    match signed_in(state, headers).await {
        Ok(Some(signed)) => Ok(signed),
        Ok(None) => Err(sign_in_first()),
        Err(failure) => Err(form_page(failure.status, Some(StaffText::Busy.both()))),
    }
}

/// The sign-in form, with what went wrong last time.
fn form_page(status: StatusCode, problem: Option<Markup>) -> Response {
    let body = html! {
        main { div class="card" {
            h1 { (StaffText::Title.both()) }
            @if let Some(problem) = problem {
                p class="status bad" { (problem) }
            }
            form method="post" action="/login" {
                p {
                    label for="name" { (StaffText::NameLabel.both()) }
                    input id="name" name="name" type="text" autocomplete="username"
                        autocapitalize="none" spellcheck="false" required;
                }
                p {
                    label for="password" { (StaffText::PasswordLabel.both()) }
                    input id="password" name="password" type="password"
                        autocomplete="current-password" required;
                }
                p { button type="submit" class="primary" { (StaffText::SignIn.both()) } }
            }
        } }
    };
    let title = format!(
        "{} / {}",
        StaffText::Title.get(LANGUAGES[0]),
        StaffText::Title.get(LANGUAGES[1])
    );
    respond(status, page(&title, Language::Indonesian, None, body))
}

/// `GET /login`.
pub async fn show(query: Result<Query<HashMap<String, String>>, QueryRejection>) -> Response {
    if secret_in_query(query) {
        return token_in_address();
    }
    form_page(StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct SignIn {
    name: String,
    password: String,
}

/// A refusal that says how long to wait, with `Retry-After`.
fn wait_page(text: StaffText, wait: std::time::Duration) -> Response {
    let seconds = wait.as_secs().max(1).to_string();
    let line = |language| text.get(language).replace("{seconds}", &seconds);
    let problem = both(&line(LANGUAGES[0]), &line(LANGUAGES[1]), LANGUAGES);
    let mut response = form_page(StatusCode::TOO_MANY_REQUESTS, Some(problem));
    if let Ok(value) = HeaderValue::from_str(&seconds) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

/// `POST /login`: the account's name and password as a form; a session cookie and off to the
/// account's first page.
pub async fn sign_in(
    State(state): State<AppState>,
    peer: Result<Extension<ConnectInfo<SocketAddr>>, ExtensionRejection>,
    headers: HeaderMap,
    form: Result<Form<SignIn>, FormRejection>,
) -> Response {
    let peer = peer.ok().map(|Extension(ConnectInfo(peer))| peer);
    let client = client_address(peer, &headers, state.config.http.trust_forwarded_for);
    let Form(form) = match form {
        Ok(form) => form,
        Err(rejection) if timed_out(&rejection).is_some() => {
            return form_page(
                StatusCode::REQUEST_TIMEOUT,
                Some(StaffText::BodyTooSlow.both()),
            );
        }
        Err(_) => return form_page(StatusCode::BAD_REQUEST, Some(StaffText::BadForm.both())),
    };
    let name = form.name.trim().to_owned();
    match check(&state, client, &headers, &name, form.password).await {
        Ok(response) => response,
        Err(response) => response,
    }
}

/// The sign-in itself, once the form is read: `Err` is the refusal to answer.
async fn check(
    state: &AppState,
    client: IpAddr,
    headers: &HeaderMap,
    name: &str,
    password: String,
) -> Result<Response, Response> {
    let device = cookie(headers, DEVICE_COOKIE).map(sha256_hex);
    let known = match device.clone() {
        Some(device) => {
            let account = name.to_owned();
            (state
                .read(move |db| db.knows_device(&account, &device))
                .await)
                .map_err(busy)?
        }
        None => false,
    };
    let now = Instant::now();
    // A held-back account is refused before the address is counted: waiting costs nothing.
    if !known {
        if let Err(wait) = state.account_guard.check(name, now) {
            tracing::warn!(%client, account = name, "staff sign-in held back: too many wrong passwords for this account");
            return Err(wait_page(StaffText::AccountHeld, wait));
        }
        if let Err(wait) = state.limiter.attempt(client, now) {
            tracing::warn!(%client, account = name, "staff sign-in attempts from this address over the limit: refused for a while");
            return Err(wait_page(StaffText::TooMany, wait));
        }
    }
    let account = name.to_owned();
    let stored = (state.read(move |db| db.account(&account)).await).map_err(busy)?;
    let phc = stored
        .as_ref()
        .map_or(passwords::DECOY.to_owned(), |(_, phc)| phc.clone());
    let right = verify(state, password, phc).await.map_err(busy)?;
    let Some((account, _)) = stored.filter(|_| right) else {
        if !name.is_empty() {
            state.account_guard.failed(name, now);
        }
        tracing::warn!(%client, account = name, "a staff sign-in with a wrong name or password was refused");
        return Err(form_page(
            StatusCode::UNAUTHORIZED,
            Some(StaffText::Wrong.both()),
        ));
    };
    if account.disabled_at.is_some() {
        tracing::warn!(%client, account = name, "a disabled account tried to sign in");
        return Err(form_page(
            StatusCode::FORBIDDEN,
            Some(StaffText::Disabled.both()),
        ));
    }
    state.limiter.succeeded(client);
    state.account_guard.succeeded(name);
    open(
        state,
        &account.name,
        account.role,
        cookie(headers, DEVICE_COOKIE),
    )
    .await
    .map_err(busy)
}

/// Checks the password on the blocking pool, at most a few at once (each takes 19 MiB).
async fn verify(state: &AppState, password: String, phc: String) -> Result<bool, Unavailable> {
    let waited = tokio::time::timeout(PERMIT_WAIT, state.password_checks.acquire()).await;
    let Ok(Ok(_permit)) = waited else {
        return Err(Unavailable);
    };
    tokio::task::spawn_blocking(move || passwords::matches(&password, &phc))
        .await
        .map_err(|_| Unavailable)
}

/// The answer when a password cannot be checked now.
fn busy<E>(_: E) -> Response {
    form_page(
        StatusCode::SERVICE_UNAVAILABLE,
        Some(StaffText::Busy.both()),
    )
}

/// How long a sign-in waits for a turn to check its password before it is told to try again.
const PERMIT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The sign-in cannot be done now (too many passwords being checked, the database away).
pub struct Unavailable;

impl From<crate::http::extract::ApiFailure> for Unavailable {
    fn from(_: crate::http::extract::ApiFailure) -> Self {
        Unavailable
    }
}

/// Opens a session for `name`, remembers the browser, and sends the person on.
async fn open(
    state: &AppState,
    name: &str,
    role: Role,
    device: Option<&str>,
) -> Result<Response, Unavailable> {
    let session = new_id().map_err(|_| Unavailable)?;
    let device = match device {
        Some(device) => device.to_owned(),
        None => new_id().map_err(|_| Unavailable)?,
    };
    let (session_hash, device_hash) = (sha256_hex(&session), sha256_hex(&device));
    let limits = limits(state);
    let now = state.now();
    let account = name.to_owned();
    state
        .storage(move |db| {
            let ended = (now - limits.idle, now - limits.absolute);
            db.open_session(&session_hash, &account, now, ended)?;
            db.remember_device(&account, &device_hash, now)
        })
        .await?;
    tracing::info!(account = name, "staff signed in");
    let lifetime = state.config.staff.session_lifetime().as_secs();
    let cookies = [
        format!("{SESSION_COOKIE}={session}; {}", attributes(lifetime)),
        format!(
            "{DEVICE_COOKIE}={device}; {}",
            attributes(DEVICE_DAYS * 86_400)
        ),
    ];
    Ok(see_other(landing(role), &cookies))
}

/// The first page of a role.
pub fn landing(role: Role) -> &'static str {
    match role {
        Role::Counter => "/counter",
        Role::Admin | Role::Province | Role::Head => "/fleet",
    }
}

/// `POST /logout`: the session ends on the server and the cookie is cleared (the device
/// cookie stays: the browser is still the person's).
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(id) = cookie(&headers, SESSION_COOKIE) {
        let hash = sha256_hex(id);
        if let Err(failure) = state.storage(move |db| db.close_session(&hash)).await {
            return form_page(failure.status, Some(StaffText::Busy.both()));
        }
    }
    see_other("/login", &[format!("{SESSION_COOKIE}=; {}", attributes(0))])
}

/// What every session cookie carries.
fn attributes(max_age: u64) -> String {
    format!("Path=/; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict")
}

fn see_other(location: &'static str, cookies: &[String]) -> Response {
    let mut response = respond(StatusCode::SEE_OTHER, String::new());
    let headers = response.headers_mut();
    headers.insert(LOCATION, HeaderValue::from_static(location));
    for cookie in cookies {
        if let Ok(cookie) = HeaderValue::from_str(cookie) {
            headers.append(SET_COOKIE, cookie);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_staff_sentence_is_said_in_both_languages() {
        for text in StaffText::ALL {
            let [indonesian, english] = Language::ALL.map(|language| text.get(language));
            assert!(!indonesian.is_empty() && !english.is_empty(), "{text:?}");
            assert_ne!(indonesian, english, "{text:?} is translated");
            let placeholders = |line: &str| line.matches('{').count();
            assert_eq!(placeholders(indonesian), placeholders(english), "{text:?}");
        }
    }

    #[test]
    fn the_form_escapes_nothing_it_was_given_and_names_the_field() {
        let response = form_page(StatusCode::OK, None);
        assert_eq!(response.status(), StatusCode::OK);
        let refused = token_in_address();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            attributes(60),
            "Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Strict"
        );
    }
}
