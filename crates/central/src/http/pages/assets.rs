//! The few scripts the staff and lobby pages run, served by mpp-central itself (nothing from
//! outside: the pages' Content-Security-Policy allows scripts from this server only).

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::http::state::AppState;

const CONSOLE: &str = include_str!("../../../assets/console.js");
const DISPLAY: &str = include_str!("../../../assets/display.js");

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assets/console.js", get(|| async { script(CONSOLE) }))
        .route("/assets/display.js", get(|| async { script(DISPLAY) }))
}

fn script(text: &'static str) -> Response {
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    // Short: a new version reaches the displays within the hour.
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=600"),
    );
    response
}
