//! Reading request bodies and answering errors: every refusal is an [`ApiError`] in JSON that
//! says what is wrong, down to the field (`events[2].ticket.lane`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use std::error::Error as _;

use crate::http::body_deadline::{BodyTimedOut, PACE_GRACE, SLOWEST_PACE, timed_out};
use mpp_core::protocol::ApiError;

/// Largest request body accepted: a full outbox batch fits many times over.
pub const BODY_LIMIT: usize = 1 << 20;

/// An error answer: a status and a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiFailure {
    pub status: StatusCode,
    pub message: String,
}

impl ApiFailure {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// Something on the server's side; details go to the log, not to the caller.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        tracing::error!(%error, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server could not complete the request; it is logged, try again later",
        )
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let mut response = (
            self.status,
            Json(ApiError {
                error: self.message,
            }),
        )
            .into_response();
        if unauthorized {
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// `axum::Json` with the field path of any error in today's words: syntax errors are 400,
/// wrong types, missing or unknown fields 422, too large 413, not JSON 415. A body without a
/// `Content-Type` is still read as JSON, as before.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiFailure;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .map(|value| value.to_str().unwrap_or("").to_owned());
        if let Some(content_type) = content_type
            && !is_json(&content_type)
        {
            return Err(ApiFailure::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "the body must be JSON (Content-Type: application/json), not {content_type:?}"
                ),
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(body_failure)?;
        parse(&bytes).map(ApiJson)
    }
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn body_failure(rejection: BytesRejection) -> ApiFailure {
    if let Some(cut) = timed_out(&rejection) {
        return body_too_slow(cut);
    }
    let status = rejection.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiFailure::new(
            status,
            format!(
                "the body is larger than {} KiB: send fewer events per request",
                BODY_LIMIT / 1024
            ),
        )
    } else {
        ApiFailure::new(
            status,
            format!("cannot read the body: {}", rejection.body_text()),
        )
    }
}

/// The answer to a body that did not arrive in time, or arrived too slowly.
pub fn body_too_slow(cut: BodyTimedOut) -> ApiFailure {
    let message = match cut {
        BodyTimedOut::Deadline(limit) => format!(
            "the body did not arrive within {} s (http.body_timeout_seconds): send it whole",
            limit.as_secs()
        ),
        BodyTimedOut::TooSlow { .. } => format!(
            "{cut}: after the first {} s a body must keep up {SLOWEST_PACE} bytes a second",
            PACE_GRACE.as_secs()
        ),
    };
    ApiFailure::new(StatusCode::REQUEST_TIMEOUT, message)
}

/// Parses `bytes` as `T` with `axum::Json`, naming the field that is wrong.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiFailure> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiFailure::bad_request(
            "the body is empty: send a JSON object",
        ));
    }
    Json::from_bytes(bytes)
        .map(|Json(value)| value)
        .map_err(json_failure)
}

/// Today's answer for each of `axum::Json`'s refusals.
fn json_failure(rejection: JsonRejection) -> ApiFailure {
    match rejection {
        JsonRejection::BytesRejection(rejection) => body_failure(rejection),
        // The serde error sits under axum's own error: the path, when there is one, above it.
        JsonRejection::JsonDataError(_) | JsonRejection::JsonSyntaxError(_) => {
            let cause = rejection.source().and_then(|axum| axum.source());
            if let Some(located) = cause.and_then(|cause| cause.downcast_ref::<Located>()) {
                refusal(&located.path().to_string(), located.inner())
            } else if let Some(error) = cause.and_then(|cause| cause.downcast_ref()) {
                refusal(".", error)
            } else {
                ApiFailure::new(rejection.status(), rejection.body_text())
            }
        }
        other => ApiFailure::new(other.status(), other.body_text()),
    }
}

/// A serde error with the path of the field it is about, as `axum::Json` reports it.
type Located = serde_path_to_error::Error<serde_json::Error>;

fn refusal(path: &str, error: &serde_json::Error) -> ApiFailure {
    let status = match error.classify() {
        Category::Data => StatusCode::UNPROCESSABLE_ENTITY,
        Category::Syntax | Category::Eof | Category::Io => StatusCode::BAD_REQUEST,
    };
    let message = if status == StatusCode::BAD_REQUEST {
        format!("the body is not valid JSON: {error}")
    } else if path == "." {
        format!("the body does not match the API: {error}")
    } else {
        format!("field `{path}`: {error}")
    };
    ApiFailure::new(status, message)
}

/// `?day=YYYY-MM-DD`, which [`required_day`] reads.
#[derive(Deserialize)]
pub struct DayQuery {
    day: Option<String>,
}

/// The business day a request asks about: its [`required_day`], refused without one.
pub struct RequiredDay(pub NaiveDate);

impl<S: Send + Sync> FromRequestParts<S> for RequiredDay {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        required_day(Query::from_request_parts(parts, state).await).map(Self)
    }
}

/// The `day` query parameter, which these endpoints cannot do without: a new database must not
/// take the server's "today" for its own, nor a kiosk another day's closures.
fn required_day(query: Result<Query<DayQuery>, QueryRejection>) -> Result<NaiveDate, ApiFailure> {
    let Query(query) = query.map_err(|rejection| {
        ApiFailure::bad_request(format!("bad query: {}", rejection.body_text()))
    })?;
    let day = query.day.as_deref();
    let text = day.filter(|text| !text.is_empty()).ok_or_else(|| {
        ApiFailure::bad_request(
            "query parameter `day` is required: ?day=YYYY-MM-DD, the business day asked about",
        )
    })?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        ApiFailure::bad_request(format!(
            "query parameter `day` is {text:?}, not a date written YYYY-MM-DD"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpp_core::protocol::CounterReport;

    #[test]
    fn errors_name_the_field_and_pick_the_status() {
        let ok: CounterReport =
            parse(br#"{"status":"served","counter":"Loket 3"}"#).expect("valid");
        assert_eq!(ok.counter, "Loket 3");
        let wrong =
            parse::<CounterReport>(br#"{"status":"gone","counter":"L"}"#).expect_err("bad variant");
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.message.contains("status"), "{}", wrong.message);
        let unknown = parse::<CounterReport>(br#"{"status":"served","counter":"L","x":1}"#)
            .expect_err("unknown field");
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown.message.contains("unknown field `x`"),
            "{}",
            unknown.message
        );
        let syntax = parse::<CounterReport>(br#"{"status":"#).expect_err("cut short");
        assert_eq!(syntax.status, StatusCode::BAD_REQUEST);
        let trailing = parse::<CounterReport>(br#"{"status":"served","counter":"L"} x"#)
            .expect_err("trailing");
        assert_eq!(trailing.status, StatusCode::BAD_REQUEST);
        let empty = parse::<CounterReport>(b" ").expect_err("empty");
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn json_content_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
    }
}
