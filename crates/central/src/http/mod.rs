//! The HTTP border: every route of the server, the errors and extractors they share, who the
//! caller is (kiosk, counter, staff), and the JSON API and pages, one module each.

pub mod account_guard;
pub mod api;
pub mod auth;
pub mod body_deadline;
pub mod extract;
pub mod html;
pub mod pages;
pub mod sessions;
pub mod state;
pub mod throttle;
pub mod waits;

use std::any::Any;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

use crate::http::extract::{ApiFailure, BODY_LIMIT};
use crate::http::state::AppState;

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .merge(api::router())
        .merge(pages::router())
        .fallback(api::health::not_found)
        .method_not_allowed_fallback(api::health::method_not_allowed);
    let body_timeout = state.config.http.body_timeout();
    let routes = routes.layer(axum::middleware::map_request(move |request| {
        body_deadline::with_deadline(body_timeout, request)
    }));
    // Outside the deadline: an address over its limit is answered before anything is read.
    let guard = Arc::new(auth::BearerGuard::new(
        state.config.http.trust_forwarded_for,
    ));
    let routes = routes.layer(axum::middleware::from_fn_with_state(
        guard,
        auth::guard_bearer,
    ));
    with_layers(routes).with_state(state)
}

/// What every route shares: the body limit, and an answer even from a handler that panics.
fn with_layers<S: Clone + Send + Sync + 'static>(routes: Router<S>) -> Router<S> {
    routes
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CatchPanicLayer::custom(panic_answer))
}

/// A panicking handler answers the usual 500 `ApiError` (logged, retried by the kiosk) rather
/// than dropping the connection.
fn panic_answer(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    ApiFailure::internal(&format!("a request handler panicked: {detail}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use chrono::{DateTime, Utc};
    use mpp_core::protocol::ApiError;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_with_an_api_error() {
        let routes = Router::new().route(
            "/boom",
            get(|| async {
                let edge = DateTime::<Utc>::MAX_UTC;
                edge.with_timezone(&mpp_core::day::TimeZone::JAKARTA.offset())
                    .naive_local()
                    .to_string()
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, with_layers(routes)).await });
        let response = mpp_testkit::central::client()
            .get(format!("http://{addr}/boom"))
            .send()
            .await
            .expect("an answer, not a dropped connection");
        assert_eq!(response.status(), 500);
        let body: ApiError = response.json().await.expect("an ApiError body");
        assert!(body.error.contains("try again later"), "{}", body.error);
    }
}
