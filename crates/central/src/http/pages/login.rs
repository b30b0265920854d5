//! `GET /login`, `POST /login`, `POST /logout`: staff sign in with the admin token and get a
//! session cookie (`HttpOnly; Secure; SameSite=Strict`, a random 256-bit id the server keeps
//! with its end); scripts send `Authorization: Bearer <admin token>` instead. No secret is taken
//! from an address. Attempts are limited per client address and compared in constant time.
//! Browsers send a `Secure` cookie only over HTTPS: staff reach the server through the proxy.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

use axum::Extension;
use axum::extract::rejection::{ExtensionRejection, FormRejection, QueryRejection};
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::header::{COOKIE, LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use crate::http::auth::is_admin;
use crate::http::body_deadline::timed_out;
use crate::http::html::{both, page, respond};
use crate::http::state::AppState;
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

/// The session cookie: `__Host-` makes browsers insist on `Secure`, `Path=/` and no domain.
pub const SESSION_COOKIE: &str = "__Host-mpp_session";
/// Query keys that carry a secret, refused on every staff page.
const SECRET_KEYS: [&str; 3] = ["token", "password", "session"];
/// The staff pages' languages: Indonesian, with English beneath.
const LANGUAGES: [Language; 2] = [Language::Indonesian, Language::English];

/// Every sentence of the staff sign-in, in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffText {
    Title,
    TokenLabel,
    SignIn,
    Wrong,
    TooMany,
    Off,
    SignInFirst,
    TokenInAddress,
    TokenInAddressHelp,
    SignOut,
    BodyTooSlow,
    BadForm,
}

impl StaffText {
    #[cfg(test)]
    pub const ALL: [StaffText; 12] = [
        StaffText::Title,
        StaffText::TokenLabel,
        StaffText::SignIn,
        StaffText::Wrong,
        StaffText::TooMany,
        StaffText::Off,
        StaffText::SignInFirst,
        StaffText::TokenInAddress,
        StaffText::TokenInAddressHelp,
        StaffText::SignOut,
        StaffText::BodyTooSlow,
        StaffText::BadForm,
    ];

    pub fn get(self, language: Language) -> &'static str {
        let (indonesian, english) = match self {
            StaffText::Title => ("Masuk petugas", "Staff sign-in"),
            StaffText::TokenLabel => ("Token admin", "Admin token"),
            StaffText::SignIn => ("Masuk", "Sign in"),
            StaffText::Wrong => ("Token admin salah", "Wrong admin token"),
            StaffText::TooMany => (
                "Terlalu banyak percobaan dari alamat ini. Coba lagi dalam {seconds} detik.",
                "Too many attempts from this address. Try again in {seconds} seconds.",
            ),
            StaffText::Off => (
                "Masuk petugas tidak aktif: admin_token_sha256 belum diatur di mpp-central.toml.",
                "Staff sign-in is off: admin_token_sha256 is not set in mpp-central.toml.",
            ),
            StaffText::SignInFirst => (
                "Silakan masuk dulu di /login.",
                "Please sign in first at /login.",
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
                "Formulir tidak lengkap: isi token admin.",
                "The form is incomplete: enter the admin token.",
            ),
        };
        match language {
            Language::Indonesian => indonesian,
            Language::English => english,
        }
    }

    fn both(self) -> Markup {
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
    let body = html! {
        main { div class="card" {
            p class="status bad" { (StaffText::SignInFirst.both()) }
            p { a href="/login" { (StaffText::SignIn.both()) } }
        } }
    };
    respond(
        StatusCode::UNAUTHORIZED,
        page("401", Language::Indonesian, None, body),
    )
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
                    label for="password" { (StaffText::TokenLabel.both()) }
                    input id="password" name="password" type="password"
                        autocomplete="current-password" required;
                }
                p { button type="submit" { (StaffText::SignIn.both()) } }
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
    password: String,
}

/// `POST /login`: the admin token as a form field; a session cookie and off to /fleet.
pub async fn sign_in(
    State(state): State<AppState>,
    peer: Result<Extension<ConnectInfo<SocketAddr>>, ExtensionRejection>,
    headers: HeaderMap,
    form: Result<Form<SignIn>, FormRejection>,
) -> Response {
    let peer = peer.ok().map(|Extension(ConnectInfo(peer))| peer);
    let client = client_address(peer, &headers, state.config.http.trust_forwarded_for);
    if let Err(wait) = state.limiter.attempt(client, Instant::now()) {
        tracing::warn!(%client, "staff sign-in attempts over the limit: refused for a while");
        let seconds = wait.as_secs().max(1).to_string();
        let line = |language| {
            StaffText::TooMany
                .get(language)
                .replace("{seconds}", &seconds)
        };
        let problem = both(&line(LANGUAGES[0]), &line(LANGUAGES[1]), LANGUAGES);
        let mut response = form_page(StatusCode::TOO_MANY_REQUESTS, Some(problem));
        if let Ok(value) = HeaderValue::from_str(&seconds) {
            response.headers_mut().insert(RETRY_AFTER, value);
        }
        return response;
    }
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
    let Some(admin) = state.config.admin_token_sha256.as_ref() else {
        return form_page(StatusCode::FORBIDDEN, Some(StaffText::Off.both()));
    };
    if !is_admin(Some(admin), Some(&form.password)) {
        tracing::warn!(%client, "a staff sign-in with a wrong token was refused");
        return form_page(StatusCode::UNAUTHORIZED, Some(StaffText::Wrong.both()));
    }
    state.limiter.succeeded(client);
    let id = match state.sessions.open(Instant::now()) {
        Ok(id) => id,
        Err(error) => {
            tracing::error!(%error, "cannot open a staff session");
            return form_page(StatusCode::SERVICE_UNAVAILABLE, None);
        }
    };
    tracing::info!("staff signed in");
    let seconds = state.sessions.lifetime().as_secs();
    see_other(
        "/fleet",
        &format!("{SESSION_COOKIE}={id}; {}", attributes(seconds)),
    )
}

/// `POST /logout`: the session ends on the server and the cookie is cleared.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(id) = session_cookie(&headers) {
        state.sessions.close(id);
    }
    see_other("/login", &format!("{SESSION_COOKIE}=; {}", attributes(0)))
}

/// What every session cookie carries.
fn attributes(max_age: u64) -> String {
    format!("Path=/; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict")
}

fn see_other(location: &'static str, cookie: &str) -> Response {
    let mut response = respond(StatusCode::SEE_OTHER, String::new());
    let headers = response.headers_mut();
    headers.insert(LOCATION, HeaderValue::from_static(location));
    if let Ok(cookie) = HeaderValue::from_str(cookie) {
        headers.insert(SET_COOKIE, cookie);
    }
    response
}

/// The session id in the request's cookies, if any.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
}

/// Whether the request comes from signed-in staff: a live session, or the admin token as a
/// bearer header.
pub fn is_staff(state: &AppState, headers: &HeaderMap) -> bool {
    let session =
        session_cookie(headers).is_some_and(|id| state.sessions.is_open(id, Instant::now()));
    session
        || is_admin(
            state.config.admin_token_sha256.as_ref(),
            crate::http::auth::bearer(headers),
        )
}

/// Where the request comes from, for the limiter: the peer, or behind a trusted proxy on
/// loopback the last address of `X-Forwarded-For`.
fn client_address(peer: Option<SocketAddr>, headers: &HeaderMap, trust_forwarded: bool) -> IpAddr {
    let peer = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| peer.ip());
    if !(trust_forwarded && peer.is_loopback()) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer)
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
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        assert_eq!(session_cookie(&headers), None);
        headers.append(
            COOKIE,
            "a=1; __Host-mpp_session=abc ; b=2".parse().expect("value"),
        );
        assert_eq!(session_cookie(&headers), Some("abc"));
        let mut other = HeaderMap::new();
        other.append(COOKIE, "mpp_session=abc".parse().expect("value"));
        assert_eq!(session_cookie(&other), None, "only the __Host- cookie");
    }

    #[test]
    fn forwarded_addresses_count_only_from_a_trusted_local_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().expect("value"),
        );
        let proxy: SocketAddr = "127.0.0.1:5000".parse().expect("addr");
        let remote: SocketAddr = "192.0.2.1:5000".parse().expect("addr");
        let last: IpAddr = "198.51.100.7".parse().expect("ip");
        assert_eq!(client_address(Some(proxy), &headers, true), last);
        assert_eq!(client_address(Some(proxy), &headers, false), proxy.ip());
        assert_eq!(client_address(Some(remote), &headers, true), remote.ip());
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
