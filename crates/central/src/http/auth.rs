//! Who is calling: a kiosk, a counter or the admin, by bearer token. Only SHA-256 hashes of
//! tokens are configured, and every comparison runs in constant time over all entries.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use mpp_core::ids::KioskId;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::{CounterEntry, TokenHash};
use crate::http::extract::{ApiFailure, ApiJson};
use crate::http::state::AppState as State;

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

#[cfg(test)]
mod tests {
    use super::*;

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
