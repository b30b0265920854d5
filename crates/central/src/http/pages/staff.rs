//! `GET /account` (every signed-in person: who they are, their own password, sign out) and
//! `GET /staff` (an MPP head: their counter staff, added, given a new password, disabled or
//! enabled again; the administrator: every account). Every form carries a value tied to the
//! session (beside the cookie's `SameSite=Strict`), and every change is checked against
//! [`Account::manages`] on the server, whatever the page showed.

use std::collections::HashMap;

use axum::Router;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use crate::http::html::{both, page, respond};
use crate::http::pages::login::{StaffText, not_yours, signed_or_page, staff_only};
use crate::http::sessions::Signed;
use crate::http::state::AppState;
use crate::rules::passwords;
use crate::rules::staff::{Account, Role, password_problem};
use mpp_core::lang::Language;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(account_page))
        .route("/account/password", post(own_password))
        .route("/staff", get(staff_page))
        .route("/staff/add", post(add))
        .route("/staff/change", post(change))
}

const LANGUAGES: [Language; 2] = [Language::Indonesian, Language::English];

fn say(indonesian: &str, english: &str) -> Markup {
    both(indonesian, english, LANGUAGES)
}

/// What a change came to, shown on top of the page.
enum Outcome {
    Done(Markup),
    Refused(Markup),
}

fn outcome_line(outcome: Option<&Outcome>) -> Markup {
    html! {
        @match outcome {
            Some(Outcome::Done(text)) => p class="status done" role="status" { (text) },
            Some(Outcome::Refused(text)) => p class="status bad" role="alert" { (text) },
            None => {},
        }
    }
}

/// `GET /account`.
async fn account_page(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    match staff_only(&state, query, &headers).await {
        Ok(signed) => render_account(&state, &signed, StatusCode::OK, None),
        Err(page) => page,
    }
}

fn render_account(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    outcome: Option<Outcome>,
) -> Response {
    let account = &signed.account;
    let (role_id, role_en) = account.role.label();
    let mpp_name = (account.mpp.as_deref())
        .and_then(|id| state.config.mpp(id))
        .map(|mpp| mpp.name.clone());
    let body = html! {
        main { div class="card" {
            h1 { (say("Akun saya", "My account")) }
            (outcome_line(outcome.as_ref()))
            dl {
                dt { (say("Nama akun", "Account name")) } dd data-field="name" { (account.name) }
                dt { (say("Peran", "Role")) } dd data-field="role" { (say(role_id, role_en)) }
                @if let Some(name) = &mpp_name {
                    dt { "MPP" } dd data-field="mpp" { (name) }
                }
                @if !account.points.is_empty() {
                    dt { (say("Loket", "Counter points")) }
                    dd data-field="points" { (account.points.join(", ")) }
                }
            }
            (links(account))
            @if signed.session.is_some() {
                form method="post" action="/account/password" {
                    h2 { (say("Ganti kata sandi", "Change password")) }
                    input type="hidden" name="form" value=(signed.form_token());
                    (password_field("current", say("Kata sandi sekarang", "Current password"), "current-password"))
                    (password_field("new", say("Kata sandi baru (min. 10 karakter)", "New password (10 characters or more)"), "new-password"))
                    (password_field("again", say("Kata sandi baru sekali lagi", "The new password again"), "new-password"))
                    p { button type="submit" { (say("Ganti kata sandi", "Change password")) } }
                }
            }
            form method="post" action="/logout" {
                p { button type="submit" { (StaffText::SignOut.both()) } }
            }
        } }
    };
    respond(
        status,
        page("Akun / Account", Language::Indonesian, None, body),
    )
}

fn password_field(name: &str, label: Markup, autocomplete: &str) -> Markup {
    html! {
        p {
            label for=(name) { (label) }
            input id=(name) name=(name) type="password" autocomplete=(autocomplete) required;
        }
    }
}

/// Where an account may go from here.
fn links(account: &Account) -> Markup {
    html! {
        p class="links" {
            @if matches!(account.role, Role::Admin | Role::Province | Role::Head) {
                a href="/fleet" { "Fleet" } " · " a href="/reports/ikm" { "IKM" }
            }
            @if matches!(account.role, Role::Admin | Role::Head) {
                " · " a href="/staff" { (say("Petugas", "Staff")) }
            }
        }
    }
}

#[derive(Deserialize)]
struct OwnPassword {
    form: String,
    current: String,
    new: String,
    again: String,
}

/// `POST /account/password`: the person's own password; their other sessions end.
async fn own_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<OwnPassword>, FormRejection>,
) -> Response {
    let signed = match signed_form(&state, &headers, form.as_ref().map(|f| f.form.as_str())).await {
        Ok(signed) => signed,
        Err(page) => return page,
    };
    let Ok(Form(form)) = form else {
        return bad_form(&state, &signed, render_account);
    };
    let refuse = |text| {
        render_account(
            &state,
            &signed,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(Outcome::Refused(text)),
        )
    };
    if form.new != form.again {
        return refuse(say(
            "Kedua kata sandi baru berbeda.",
            "The two new passwords differ.",
        ));
    }
    if let Some(problem) = password_problem(&signed.account.name, &form.new) {
        return refuse(say("Kata sandi baru terlalu lemah.", &problem.to_string()));
    }
    let name = signed.account.name.clone();
    let stored = state.read(move |db| db.account(&name)).await;
    let phc = match stored {
        Ok(Some((_, phc))) => phc,
        _ => {
            return refuse(say(
                "Server sibuk; coba lagi.",
                "The server is busy; try again.",
            ));
        }
    };
    let (current, new) = (form.current, form.new);
    let checked = tokio::task::spawn_blocking(move || {
        passwords::matches(&current, &phc).then(|| passwords::hash(&new))
    })
    .await;
    let phc = match checked {
        Ok(Some(Ok(phc))) => phc,
        Ok(None) => {
            return refuse(say(
                "Kata sandi sekarang salah.",
                "The current password is wrong.",
            ));
        }
        _ => {
            return refuse(say(
                "Server sibuk; coba lagi.",
                "The server is busy; try again.",
            ));
        }
    };
    let (name, keep, now) = (
        signed.account.name.clone(),
        signed.session.clone(),
        state.now(),
    );
    let saved = state
        .storage(move |db| db.set_password(&name, &phc, keep.as_deref(), now))
        .await;
    match saved {
        Ok(_) => {
            tracing::info!(account = %signed.account.name, "staff changed their own password");
            let done = say(
                "Kata sandi diganti. Sesi lain akun ini sudah keluar.",
                "Password changed. The account's other sessions are signed out.",
            );
            render_account(&state, &signed, StatusCode::OK, Some(Outcome::Done(done)))
        }
        Err(_) => refuse(say(
            "Server sibuk; coba lagi.",
            "The server is busy; try again.",
        )),
    }
}

/// The signed-in person of a form's request, if the form's value matches their session.
async fn signed_form(
    state: &AppState,
    headers: &HeaderMap,
    token: Result<&str, &FormRejection>,
) -> Result<Signed, Response> {
    let signed = signed_or_page(state, headers).await?;
    match (token, &signed.session) {
        (Ok(token), Some(_)) if token == signed.form_token() => Ok(signed),
        _ => Err(not_yours()),
    }
}

fn bad_form(
    state: &AppState,
    signed: &Signed,
    render: fn(&AppState, &Signed, StatusCode, Option<Outcome>) -> Response,
) -> Response {
    let text = say("Formulir tidak lengkap.", "The form is incomplete.");
    render(
        state,
        signed,
        StatusCode::BAD_REQUEST,
        Some(Outcome::Refused(text)),
    )
}

mod manage;
use manage::{add, change, staff_page};
