//! The server's HTML pages, one module each: the ticket's page and its phone survey (for
//! visitors), the sign-in, the fleet and the satisfaction report (for staff).

pub mod assets;
pub mod console;
pub mod dashboard;
pub mod display;
pub mod fleet;
pub mod ikm;
pub mod login;
pub mod phone_survey;
pub mod staff;
pub mod ticket;

use axum::Router;

use crate::http::state::AppState;

/// Every page's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(ticket::router())
        .merge(phone_survey::router())
        .merge(ikm::router())
        .merge(fleet::router())
        .merge(dashboard::router())
        .merge(login::router())
        .merge(staff::router())
        .merge(console::router())
        .merge(display::router())
        .merge(assets::router())
}
