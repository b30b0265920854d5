//! Who is calling: a kiosk, a counter or the admin, by bearer token. Only SHA-256 hashes of
//! tokens are configured, and every comparison runs in constant time over all entries. Bad
//! tokens are counted per client address ([`BearerGuard`]): past a limit a minute the address
//! is answered 429 without its token being looked at, and failures are logged without a flood.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, RETRY_AFTER};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mpp_core::ids::KioskId;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::{CounterEntry, TokenHash};
use crate::http::extract::{ApiFailure, ApiJson};
use crate::http::state::AppState as State;
use crate::http::throttle::{Failure, Limiter, client_address};

/// The SHA-256 of a token, as 64 lowercase hex digits (what the configuration holds).
pub fn hash_hex(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

fn hash(token: &str) -> TokenHash {
    TokenHash(Sha256::digest(token.as_bytes()).into())
}

fn same(a: &TokenHash, b: &TokenHash) -> bool {
    a.0.ct_eq(&b.0).into()
}

/// The index of the entry whose hash matches `token`; every entry is compared, matched or not.
fn find<'a>(token: &str, hashes: impl Iterator<Item = &'a TokenHash>) -> Option<usize> {
    let presented = hash(token);
    let mut found = None;
    for (index, candidate) in hashes.enumerate() {
        if same(&presented, candidate) && found.is_none() {
            found = Some(index);
        }
    }
    found
}

/// The token of an `Authorization: Bearer …` header, if there is one.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn unauthorized(message: &str) -> ApiFailure {
    ApiFailure::new(StatusCode::UNAUTHORIZED, message)
}

fn presented(parts: &Parts, what: &str) -> Result<String, ApiFailure> {
    bearer(&parts.headers).map(str::to_owned).ok_or_else(|| {
        unauthorized(&format!(
            "missing `Authorization: Bearer <token>` header: send this {what}'s token"
        ))
    })
}

/// A request from a configured kiosk; holds its id.
#[derive(Clone, Debug)]
pub struct Kiosk(pub KioskId);

impl FromRequestParts<State> for Kiosk {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        let token = presented(parts, "kiosk")?;
        let kiosks: Vec<_> = state.config.all_kiosks().collect();
        find(&token, kiosks.iter().map(|kiosk| &kiosk.token_sha256))
            .map(|index| Kiosk(kiosks[index].id.as_str().into()))
            .ok_or_else(|| {
                unauthorized(
                    "unknown kiosk token: check [sync] token in kiosk.toml against the server's [[kiosk]] token_sha256",
                )
            })
    }
}

/// A body that names the kiosk that sent it (a batch, a heartbeat).
pub trait SentByKiosk {
    /// What the body is, for the refusal: a batch unless said otherwise ("the heartbeat").
    const WHAT: &'static str = "the batch";

    fn sender(&self) -> &KioskId;
}

/// A JSON body from a configured kiosk that names that same kiosk: the token is checked
/// first (before the body is read), then the body, then that the two agree, once here for
/// every kiosk endpoint.
pub struct FromKiosk<T> {
    pub kiosk: KioskId,
    pub body: T,
}

impl<T> FromRequest<State> for FromKiosk<T>
where
    T: DeserializeOwned + SentByKiosk,
{
    type Rejection = ApiFailure;

    async fn from_request(request: Request, state: &State) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let Kiosk(kiosk) = Kiosk::from_request_parts(&mut parts, state).await?;
        let request = Request::from_parts(parts, body);
        let ApiJson(body) = ApiJson::<T>::from_request(request, state).await?;
        if body.sender() != &kiosk {
            return Err(ApiFailure::forbidden(format!(
                "this token belongs to kiosk {kiosk}, but {} says {:?}",
                T::WHAT,
                body.sender()
            )));
        }
        Ok(Self { kiosk, body })
    }
}

/// A request from a configured set of counters; holds its entry (its name, kept with every
/// report, the points it calls visitors to and the queues it serves) and its MPP's id.
#[derive(Clone, Debug)]
pub struct Counter(pub CounterEntry, pub String);

impl FromRequestParts<State> for Counter {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        let token = presented(parts, "counter")?;
        let counters: Vec<_> = state
            .config
            .mpps()
            .iter()
            .flat_map(|mpp| mpp.counters.iter().map(move |counter| (counter, &mpp.id)))
            .collect();
        find(
            &token,
            counters.iter().map(|(counter, _)| &counter.token_sha256),
        )
        .map(|index| Counter(counters[index].0.clone(), counters[index].1.clone()))
        .ok_or_else(|| unauthorized("unknown counter token"))
    }
}

/// Whether `token` (a bearer header or the sign-in form) is the admin token.
pub fn is_admin(configured: Option<&TokenHash>, token: Option<&str>) -> bool {
    match (configured, token) {
        (Some(configured), Some(token)) => find(token, std::iter::once(configured)).is_some(),
        _ => false,
    }
}

/// Bad bearer tokens allowed per client address a minute: a misconfigured kiosk retrying with
/// backoff stays far below it, and a guesser gets 30 tries a minute instead of 66,000 a second.
pub const BAD_TOKENS_A_MINUTE: u32 = 30;

/// Which kind of token a bearer request presents, by the route it asks for (for the log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Kiosk,
    Counter,
    /// The admin token, on the staff pages and reports.
    Admin,
}

impl TokenKind {
    pub fn of(path: &str) -> Self {
        if path.starts_with("/api/v1/counter/") || path == "/api/v1/counter" {
            Self::Counter
        } else if path.starts_with("/api/") {
            Self::Kiosk
        } else {
            Self::Admin
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Kiosk => "kiosk",
            Self::Counter => "counter",
            Self::Admin => "admin",
        }
    }
}

/// Counts refused bearer tokens per client address, in front of every route: whatever checks
/// the token (a kiosk or counter extractor, the staff pages), a 401 to a request that carried
/// one is a failure. Past [`BAD_TOKENS_A_MINUTE`] the address is answered 429 with
/// `Retry-After` before any handler runs, so its tokens are not even hashed.
pub struct BearerGuard {
    limiter: Limiter,
    trust_forwarded: bool,
}

impl BearerGuard {
    pub fn new(trust_forwarded: bool) -> Self {
        Self {
            limiter: Limiter::new(BAD_TOKENS_A_MINUTE, Duration::from_secs(60)),
            trust_forwarded,
        }
    }

    /// A refused token of `kind` from `client`, logged once a window per address: the first
    /// failure (with the window before's counts) and the one that reaches the limit.
    fn failed(&self, client: IpAddr, kind: TokenKind, now: Instant) {
        let Failure { count, earlier } = self.limiter.failed(client, now);
        let allowed = self.limiter.allowed();
        let kind = kind.name();
        if count == 1 {
            let (earlier_failures, earlier_refused) =
                earlier.map_or((0, 0), |tally| (tally.failures, tally.refused));
            tracing::warn!(
                %client,
                kind,
                earlier_failures,
                earlier_refused,
                "a bearer token was refused (further ones from this address are counted, one line a minute)"
            );
        } else if count == allowed {
            tracing::warn!(
                %client,
                kind,
                failures = count,
                "{allowed} bearer tokens refused from this address within a minute: its requests \
                 carrying one are answered 429 unchecked until the minute is over"
            );
        }
    }
}

/// The middleware of [`BearerGuard`] (see there).
pub async fn guard_bearer(
    axum::extract::State(guard): axum::extract::State<Arc<BearerGuard>>,
    request: Request,
    next: Next,
) -> Response {
    if bearer(request.headers()).is_none() {
        return next.run(request).await;
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| *peer);
    let client = client_address(peer, request.headers(), guard.trust_forwarded);
    let kind = TokenKind::of(request.uri().path());
    if let Err(wait) = guard.limiter.check(client, Instant::now()) {
        return too_many(wait);
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        guard.failed(client, kind, Instant::now());
    }
    response
}

/// 429 with `Retry-After`: the address sent too many bad tokens lately.
fn too_many(wait: Duration) -> Response {
    let seconds = wait.as_secs().max(1);
    let mut response = ApiFailure::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!(
            "too many refused tokens from this address: try again in {seconds} s (check the \
             token: only its SHA-256 is configured on the server)"
        ),
    )
    .into_response();
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(seconds));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_named_by_the_route_they_ask_for() {
        assert_eq!(TokenKind::of("/api/v1/events"), TokenKind::Kiosk);
        assert_eq!(TokenKind::of("/api/v1/counter/next"), TokenKind::Counter);
        assert_eq!(
            TokenKind::of("/api/v1/counter/tickets/K1/t1"),
            TokenKind::Counter
        );
        assert_eq!(TokenKind::of("/fleet"), TokenKind::Admin);
        assert_eq!(TokenKind::of("/reports/ikm.csv"), TokenKind::Admin);
    }

    #[test]
    fn hashes_are_sha256_hex_and_match_only_the_same_token() {
        assert_eq!(
            hash_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let stored = TokenHash::from_hex(&hash_hex("kiosk-01-token")).expect("hex");
        let other = TokenHash::from_hex(&hash_hex("kiosk-02-token")).expect("hex");
        assert_eq!(
            find("kiosk-01-token", [&other, &stored].into_iter()),
            Some(1)
        );
        assert_eq!(find("kiosk-01-tokeN", [&other, &stored].into_iter()), None);
        assert!(is_admin(Some(&stored), Some("kiosk-01-token")));
        assert!(!is_admin(None, Some("kiosk-01-token")));
        assert!(!is_admin(Some(&stored), None));
    }

    #[test]
    fn only_bearer_headers_carry_a_token() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(AUTHORIZATION, "Bearer  abc ".parse().expect("header"));
        assert_eq!(bearer(&headers), Some("abc"));
        headers.insert(AUTHORIZATION, "Basic abc".parse().expect("header"));
        assert_eq!(bearer(&headers), None);
        headers.insert(AUTHORIZATION, "Bearer ".parse().expect("header"));
        assert_eq!(bearer(&headers), None);
    }
}
