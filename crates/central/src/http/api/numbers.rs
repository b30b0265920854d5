//! `GET /api/v1/numbers?day=`: the highest numbers a kiosk printed on a day, for a new database.

use axum::Json;
use axum::extract::State;

use crate::http::auth::Kiosk;
use crate::http::extract::{ApiFailure, RequiredDay};
use crate::http::state::AppState;
use axum::Router;
use axum::routing::get;
use mpp_core::protocol::API;
use mpp_core::protocol::NumbersUsed;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{API}/numbers"), get(numbers))
}

/// `GET /api/v1/numbers?day=YYYY-MM-DD`: the highest numbers the asking kiosk printed that day,
/// per queue and lane, so a kiosk whose database is new carries on after them.
pub async fn numbers(
    State(state): State<AppState>,
    Kiosk(kiosk): Kiosk,
    RequiredDay(day): RequiredDay,
) -> Result<Json<NumbersUsed>, ApiFailure> {
    let (highest, latest_business_day) = state
        .read(move |storage| {
            let highest = storage.highest_numbers(&kiosk, day)?;
            Ok((highest, storage.latest_business_day(&kiosk)?))
        })
        .await?;
    Ok(Json(NumbersUsed {
        business_day: day,
        at: state.now(),
        latest_business_day,
        highest,
    }))
}
