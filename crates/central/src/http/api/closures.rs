//! Services closed by staff, shared by an MPP's kiosks (`mpp_core::closure_sync`): `POST
//! /api/v1/closures` takes a kiosk's closes and reopens, idempotent by kiosk and change id, and
//! `GET /api/v1/closures?day=` gives its MPP's services closed that day back. Every change is
//! kept (`closure_changes`); the state (`service_closures`, one row per MPP, day and service)
//! takes a change only when [`newer`] says it beats the last one, decided in the write
//! transaction by [`apply_changes`] on both backends, so the latest change by the kiosks' clocks
//! wins whatever order they arrive in. `/fleet` lists today's closures of the MPP shown.

use crate::rules::text::{Kind, control_problem};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use maud::{Markup, html};

use crate::http::auth::{FromKiosk, Kiosk, SentByKiosk};
use crate::http::extract::{ApiFailure, RequiredDay};
use crate::http::state::AppState;
use crate::rules::batch::implausible_instant;
use mpp_core::closure_sync::{
    ClosureBatch, ClosureChange, ClosureOutcome, DayClosures, SharedClosure,
};
use mpp_core::day::TimeZone;
use mpp_core::ids::KioskId;
use mpp_core::lang::Language;
use mpp_core::strings::staff_notice_text;

use axum::Router;
use axum::routing::post;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(
        mpp_core::closure_sync::CLOSURES_PATH,
        post(receive).get(day),
    )
}

/// Changes in one batch: a kiosk makes a few a day.
const MOST_CHANGES: usize = 1000;
/// The longest service code taken (catalog codes are a few letters).
const LONGEST_SERVICE: usize = 64;
/// How far a change's business day may be from the server's today.
const MOST_DAYS_AWAY: i64 = 366;

/// `POST /api/v1/closures`.
pub async fn receive(
    State(state): State<AppState>,
    FromKiosk { kiosk, body: batch }: FromKiosk<ClosureBatch>,
) -> Result<Json<ClosureOutcome>, ApiFailure> {
    let now = state.now();
    let mpp = state.mpp_of(&kiosk)?;
    let today = state.today(mpp);
    if let Some(problem) = batch_problem(&batch.changes, today, now) {
        return Err(ApiFailure::unprocessable(problem));
    }
    let mpp = mpp.id.clone();
    let kiosk = kiosk.as_str().to_owned();
    let changes: Vec<ClosureChange> = batch.changes.into_iter().map(to_stored).collect();
    let outcome = state
        .storage(move |storage| storage.record_closures(&mpp, &kiosk, &changes, now))
        .await?;
    Ok(Json(outcome))
}

/// The change as the server keeps it: instants to the microsecond (as they are stored), so a
/// change compares the same with a stored one as with one still in flight.
fn to_stored(mut change: ClosureChange) -> ClosureChange {
    change.at = change.at.trunc_subsecs(6);
    change
}

/// What is wrong with a batch, naming the change: too many, an empty or long service code, a
/// business day far from `today`, an instant far from the server's clock.
fn batch_problem(
    changes: &[ClosureChange],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Option<String> {
    if changes.len() > MOST_CHANGES {
        return Some(format!(
            "{} closure changes in one batch; at most {MOST_CHANGES}",
            changes.len()
        ));
    }
    changes.iter().enumerate().find_map(|(index, change)| {
        let named = |field: &str, problem: String| {
            format!("changes[{index}] (id {}): `{field}` {problem}", change.id)
        };
        let service = change.service.as_str();
        if let Some(problem) = control_problem(service, Kind::Code) {
            return Some(named("service", problem));
        }
        if service.is_empty() || service.chars().count() > LONGEST_SERVICE {
            return Some(named(
                "service",
                format!("is {service:?}; a service code has 1 to {LONGEST_SERVICE} characters"),
            ));
        }
        let away = (change.business_day - today).num_days();
        if away.abs() > MOST_DAYS_AWAY {
            return Some(named(
                "business_day",
                format!(
                    "is {}, more than {MOST_DAYS_AWAY} days from the server's today ({today})",
                    change.business_day
                ),
            ));
        }
        implausible_instant("at", change.at, now).map(|problem| named("at", problem))
    })
}

/// `GET /api/v1/closures?day=YYYY-MM-DD`: the asking kiosk's MPP's services closed that day.
pub async fn day(
    State(state): State<AppState>,
    Kiosk(kiosk): Kiosk,
    RequiredDay(day): RequiredDay,
) -> Result<Json<DayClosures>, ApiFailure> {
    let mpp = state.mpp_of(&kiosk)?.id.clone();
    let closed = state
        .read(move |storage| storage.day_closures(&mpp, day))
        .await?;
    Ok(Json(DayClosures { day, closed }))
}

/// The fleet page's section: the services of the MPP shown that staff closed today.
pub fn section(closed: &[SharedClosure], zone: TimeZone) -> Markup {
    html! {
        h2 { "Layanan ditutup petugas hari ini / Services closed by staff today" }
        @if closed.is_empty() {
            p class="closures" { "tidak ada / none" }
        } @else {
            ul class="closures" {
                @for closure in closed {
                    li {
                        strong { (closure.service) } " · "
                        (staff_notice_text(closure.notice).get(Language::Indonesian)) " / "
                        (staff_notice_text(closure.notice).get(Language::English)) " · "
                        (closure.kiosk) " "
                        (zone.local(closure.at).format("%H:%M"))
                    }
                }
            }
        }
    }
}

impl SentByKiosk for ClosureBatch {
    fn sender(&self) -> &KioskId {
        &self.kiosk
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::closures::tests::{at, change, day};
    use mpp_core::staff_closure::StaffNotice;

    #[test]
    fn a_bad_change_is_refused_naming_its_id_and_field() {
        let now = at("2026-11-23T05:00:00Z");
        let good = change(1, "DKC-KK", None, "2026-11-23T01:00:00Z");
        assert_eq!(batch_problem(std::slice::from_ref(&good), day(), now), None);
        let empty = change(7, "", None, "2026-11-23T01:00:00Z");
        let problem = batch_problem(&[good.clone(), empty], day(), now).expect("refused");
        assert!(
            problem.contains("changes[1] (id 7): `service`"),
            "{problem}"
        );
        let mut far = change(8, "DKC-KK", None, "2026-11-23T01:00:00Z");
        far.business_day = "2028-01-01".parse().expect("day");
        let problem = batch_problem(&[far], day(), now).expect("refused");
        assert!(problem.contains("(id 8): `business_day`"), "{problem}");
        let ahead = change(9, "DKC-KK", None, "2026-12-23T01:00:00Z");
        let problem = batch_problem(&[ahead], day(), now).expect("refused");
        assert!(problem.contains("(id 9): `at`"), "{problem}");
        let long = change(
            3,
            &"S".repeat(LONGEST_SERVICE + 1),
            None,
            "2026-11-23T01:00:00Z",
        );
        assert!(batch_problem(&[long], day(), now).is_some());
        let many = vec![good; MOST_CHANGES + 1];
        let problem = batch_problem(&many, day(), now).expect("refused");
        assert!(problem.contains("1001 closure changes"), "{problem}");
    }

    #[test]
    fn the_fleet_section_names_the_notice_kiosk_and_time_or_says_none() {
        let none = section(&[], TimeZone::JAKARTA).into_string();
        assert!(none.contains("none"), "{none}");
        let closed = [SharedClosure {
            service: "<DKC>".into(),
            notice: StaffNotice::FullToday,
            kiosk: "K1".into(),
            at: at("2026-11-23T01:30:00Z"),
        }];
        let html = section(&closed, TimeZone::JAKARTA).into_string();
        assert!(
            html.contains("&lt;DKC&gt;") && html.contains("K1 08:30"),
            "{html}"
        );
        assert!(!html.contains("none"), "{html}");
    }
}
