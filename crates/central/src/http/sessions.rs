//! Who is signed in: a staff session kept in the database (the cookie holds a random 256-bit
//! id, the database only its SHA-256), so a restart keeps people signed in and every server
//! process behind the proxy shares them; or, for scripts, the admin token as a bearer header.
//! Sessions end when idle, when too old, on sign-out, and when the account's password changes
//! or it is disabled.

use axum::http::HeaderMap;
use chrono::TimeDelta;
use sha2::{Digest, Sha256};

use crate::http::auth::{bearer, is_admin};
use crate::http::extract::ApiFailure;
use crate::http::state::AppState;
use crate::rules::staff::{Account, Role, SessionLimits, SessionState, session_state};

/// The session cookie: `__Host-` makes browsers insist on `Secure`, `Path=/` and no domain.
pub const SESSION_COOKIE: &str = "__Host-mpp_session";
/// The device cookie: a browser that signed in before as an account is let through while
/// strangers' wrong guesses hold that account back.
pub const DEVICE_COOKIE: &str = "__Host-mpp_device";
/// The name scripts using the admin token appear under.
pub const ADMIN_TOKEN_ACCOUNT: &str = "admin-token";

#[derive(Debug, thiserror::Error)]
#[error("the system gave no random bytes for a session id: {0}")]
pub struct NoRandomness(String);

/// A signed-in person (or a script with the admin token).
#[derive(Clone, Debug)]
pub struct Signed {
    pub account: Account,
    /// The SHA-256 (hex) of the session's id; `None` for the admin token.
    pub session: Option<String>,
}

impl Signed {
    /// A value tied to the session that forms send back, so another site cannot post them
    /// (beside the cookie's `SameSite=Strict`).
    pub fn form_token(&self) -> String {
        let session = self.session.as_deref().unwrap_or("admin-token");
        sha256_hex(&format!("form:{session}"))
    }
}

/// A new random id (64 hex digits) for a session or a device cookie.
pub fn new_id() -> Result<String, NoRandomness> {
    let mut id = [0u8; 32];
    getrandom::fill(&mut id).map_err(|error| NoRandomness(error.to_string()))?;
    Ok(id.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// The SHA-256 of a cookie's value, as stored.
pub fn sha256_hex(value: &str) -> String {
    Sha256::digest(value.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// How long sessions last, from the configuration.
pub fn limits(state: &AppState) -> SessionLimits {
    let staff = &state.config.staff;
    let delta = |duration: std::time::Duration| {
        TimeDelta::from_std(duration).unwrap_or(TimeDelta::hours(1))
    };
    SessionLimits {
        idle: delta(staff.idle_lifetime()),
        absolute: delta(staff.session_lifetime()),
    }
}

/// The value of cookie `name` in the request, if any.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// Who the request comes from: a live session of an enabled account, or the admin token as a
/// bearer header; `None` when neither. The database being away is an error (503), not "nobody".
pub async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Signed>, ApiFailure> {
    if let Some(id) = cookie(headers, SESSION_COOKIE)
        && let Some(signed) = session(state, &sha256_hex(id)).await?
    {
        return Ok(Some(signed));
    }
    let admin = is_admin(state.config.admin_token_sha256.as_ref(), bearer(headers));
    Ok(admin.then(|| Signed {
        account: Account {
            name: ADMIN_TOKEN_ACCOUNT.into(),
            role: Role::Admin,
            mpp: None,
            points: Vec::new(),
            disabled_at: None,
        },
        session: None,
    }))
}

/// The session with this id hash, if it is open; an ended one is forgotten, a used one's last
/// use written back about once a minute.
async fn session(state: &AppState, hash: &str) -> Result<Option<Signed>, ApiFailure> {
    let key = hash.to_owned();
    let Some(stored) = state.read(move |db| db.session(&key)).await? else {
        return Ok(None);
    };
    let now = state.now();
    let verdict = session_state(limits(state), stored.started, stored.seen, now);
    let key = hash.to_owned();
    match (verdict, stored.account.disabled_at) {
        (SessionState::Ended, _) | (_, Some(_)) => {
            state.storage(move |db| db.close_session(&key)).await?;
            Ok(None)
        }
        (state_, None) => {
            if state_ == SessionState::Touch {
                state.storage(move |db| db.touch_session(&key, now)).await?;
            }
            Ok(Some(Signed {
                account: stored.account,
                session: Some(hash.to_owned()),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others_by_their_whole_name() {
        let mut headers = HeaderMap::new();
        assert_eq!(cookie(&headers, SESSION_COOKIE), None);
        headers.append(
            axum::http::header::COOKIE,
            "a=1; __Host-mpp_session=abc ; b=2".parse().expect("value"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        let mut other = HeaderMap::new();
        other.append(
            axum::http::header::COOKIE,
            "mpp_session=abc; __Host-mpp_device="
                .parse()
                .expect("value"),
        );
        assert_eq!(
            cookie(&other, SESSION_COOKIE),
            None,
            "only the __Host- cookie"
        );
        assert_eq!(
            cookie(&other, DEVICE_COOKIE),
            None,
            "an empty value is none"
        );
    }

    #[test]
    fn ids_are_random_and_stored_only_as_their_hash() {
        let (first, second) = (new_id().expect("id"), new_id().expect("id"));
        assert_eq!(first.len(), 64);
        assert_ne!(first, second);
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
