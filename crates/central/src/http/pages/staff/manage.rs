//! `/staff`: the accounts a head (their MPP's counter staff) or the administrator (everyone)
//! manages, and the forms that add one, give one a new password, or disable or enable one.

use std::collections::HashMap;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::{Outcome, outcome_line, say, signed_form};
use crate::config::AccountEntry;
use crate::http::html::{page, respond};
use crate::http::pages::login::{not_yours, staff_only};
use crate::http::sessions::Signed;
use crate::http::state::AppState;
use crate::rules::passwords;
use crate::rules::staff::{Account, Role, account_of, password_problem};
use crate::storage::staff::NewAccount;
use mpp_core::lang::Language;

/// `GET /staff`.
pub async fn staff_page(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    match staff_only(&state, query, &headers).await {
        Ok(signed) => render(&state, &signed, StatusCode::OK, None).await,
        Err(page) => page,
    }
}

/// The MPPs whose counter staff this account adds.
fn own_mpps<'a>(state: &'a AppState, account: &Account) -> Vec<&'a crate::config::MppEntry> {
    (state.config.mpps().iter())
        .filter(|mpp| account.runs(&mpp.id))
        .collect()
}

async fn render(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    outcome: Option<Outcome>,
) -> Response {
    let me = &signed.account;
    if !matches!(me.role, Role::Admin | Role::Head) {
        return not_yours();
    }
    let accounts = match state.read(|db| db.accounts()).await {
        Ok(accounts) => accounts,
        Err(failure) => return respond(failure.status, failure.message),
    };
    let shown: Vec<Account> = accounts.into_iter().filter(|a| me.manages(a)).collect();
    let mpps = own_mpps(state, me);
    let token = signed.form_token();
    let body = html! {
        main { div class="card" {
            h1 { (say("Petugas", "Staff")) }
            (outcome_line(outcome.as_ref()))
            @if shown.is_empty() {
                p { (say("Belum ada petugas loket.", "No counter staff yet.")) }
            }
            @for account in &shown {
                section class="person" data-account=(account.name) {
                    h3 { (account.name) }
                    p {
                        (account.role.label().0)
                        @if let Some(mpp) = &account.mpp { " · " (mpp) }
                        @if !account.points.is_empty() { " · " (account.points.join(", ")) }
                        " · "
                        @if account.disabled_at.is_some() { strong { (say("nonaktif", "disabled")) } }
                        @else { (say("aktif", "active")) }
                    }
                    form method="post" action="/staff/change" {
                        input type="hidden" name="form" value=(token);
                        input type="hidden" name="name" value=(account.name);
                        input type="hidden" name="action" value="password";
                        label { (say("Kata sandi baru", "New password"))
                            input type="password" name="password" autocomplete="new-password" required; }
                        button type="submit" { (say("Simpan", "Save")) }
                    }
                    form method="post" action="/staff/change" {
                        input type="hidden" name="form" value=(token);
                        input type="hidden" name="name" value=(account.name);
                        @if account.disabled_at.is_some() {
                            input type="hidden" name="action" value="enable";
                            button type="submit" { (say("Aktifkan", "Enable")) }
                        } @else {
                            input type="hidden" name="action" value="disable";
                            button type="submit" { (say("Nonaktifkan", "Disable")) }
                        }
                    }
                }
            }
            @if !mpps.is_empty() {
                form method="post" action="/staff/add" {
                    h2 { (say("Tambah petugas loket", "Add counter staff")) }
                    input type="hidden" name="form" value=(token);
                    p { label for="name" { (say("Nama akun (huruf kecil, angka, . - _)", "Account name (lowercase, digits, . - _)")) }
                        input id="name" name="name" type="text" autocomplete="off" autocapitalize="none" required; }
                    p { label for="password" { (say("Kata sandi (min. 10 karakter)", "Password (10 characters or more)")) }
                        input id="password" name="password" type="password" autocomplete="new-password" required; }
                    @for mpp in &mpps {
                        fieldset {
                            legend { (mpp.name) }
                            @for point in mpp.counters.iter().flat_map(|c| c.points.iter()) {
                                label class="choice" {
                                    input type="checkbox" name="point" value=(format!("{}|{point}", mpp.id));
                                    " " (point)
                                }
                            }
                        }
                    }
                    p { button type="submit" { (say("Tambah", "Add")) } }
                }
            }
            p { a href="/account" { (say("Akun saya", "My account")) } }
        } }
    };
    respond(
        status,
        page("Petugas / Staff", Language::Indonesian, None, body),
    )
}

/// The add form: checkboxes repeat `point`, so the body is read as pairs.
type Pairs = Vec<(String, String)>;

fn field<'a>(pairs: &'a Pairs, key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// `POST /staff/add`: a counter staff account of the head's MPP.
pub async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<Pairs>, FormRejection>,
) -> Response {
    let pairs = form.map(|Form(pairs)| pairs).unwrap_or_default();
    let signed = match signed_form(&state, &headers, Ok(field(&pairs, "form").unwrap_or(""))).await
    {
        Ok(signed) => signed,
        Err(page) => return page,
    };
    let (name, password) = (field(&pairs, "name"), field(&pairs, "password"));
    let (Some(name), Some(password)) = (name, password) else {
        return refuse(
            &state,
            &signed,
            StatusCode::BAD_REQUEST,
            say("Formulir tidak lengkap.", "The form is incomplete."),
        )
        .await;
    };
    let chosen: Vec<(&str, &str)> = (pairs.iter())
        .filter(|(key, _)| key == "point")
        .filter_map(|(_, value)| value.split_once('|'))
        .collect();
    let mpp = chosen.first().map(|(mpp, _)| *mpp).unwrap_or_default();
    if mpp.is_empty() || chosen.iter().any(|(other, _)| *other != mpp) || !signed.account.runs(mpp)
    {
        let text = say(
            "Pilih loket dari satu MPP Anda.",
            "Choose the points of one MPP of yours.",
        );
        return refuse(&state, &signed, StatusCode::UNPROCESSABLE_ENTITY, text).await;
    }
    let entry = AccountEntry {
        name: name.trim().to_owned(),
        role: Role::Counter.code().into(),
        mpp: Some(mpp.to_owned()),
        points: chosen
            .iter()
            .map(|(_, point)| (*point).to_owned())
            .collect(),
        password_argon2: String::new(),
    };
    let account = match account_of(&state.config, &entry) {
        Ok(account) => account,
        Err((_, problem)) => {
            return refuse(
                &state,
                &signed,
                StatusCode::UNPROCESSABLE_ENTITY,
                say("Data akun tidak diterima.", &problem),
            )
            .await;
        }
    };
    if let Some(problem) = password_problem(&account.name, password) {
        return refuse(
            &state,
            &signed,
            StatusCode::UNPROCESSABLE_ENTITY,
            say("Kata sandi terlalu lemah.", &problem.to_string()),
        )
        .await;
    }
    let Some(phc) = hashed(password).await else {
        return busy(&state, &signed).await;
    };
    let now = state.now();
    let stored = account.clone();
    let added = state
        .storage(move |db| {
            db.add_account(
                &NewAccount {
                    account: &stored,
                    password: &phc,
                },
                now,
            )
        })
        .await;
    match added {
        Ok(true) => {
            tracing::info!(by = %signed.account.name, account = %account.name, "counter staff account added");
            let text = say(
                &format!("Akun {} ditambahkan.", account.name),
                &format!("Account {} added.", account.name),
            );
            render(&state, &signed, StatusCode::OK, Some(Outcome::Done(text))).await
        }
        Ok(false) => {
            refuse(
                &state,
                &signed,
                StatusCode::CONFLICT,
                say("Nama akun sudah dipakai.", "That account name is taken."),
            )
            .await
        }
        Err(failure) => respond(failure.status, failure.message),
    }
}

#[derive(Deserialize)]
pub struct Change {
    form: String,
    name: String,
    action: String,
    #[serde(default)]
    password: String,
}

/// `POST /staff/change`: a new password, disable or enable, for an account this one manages.
pub async fn change(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<Change>, FormRejection>,
) -> Response {
    let signed = match signed_form(&state, &headers, form.as_ref().map(|f| f.form.as_str())).await {
        Ok(signed) => signed,
        Err(page) => return page,
    };
    let Ok(Form(change)) = form else {
        let text = say("Formulir tidak lengkap.", "The form is incomplete.");
        return refuse(&state, &signed, StatusCode::BAD_REQUEST, text).await;
    };
    let target = change.name.clone();
    let target = match state.read(move |db| db.account(&target)).await {
        Ok(Some((account, _))) if signed.account.manages(&account) => account,
        Ok(_) => return not_yours(),
        Err(failure) => return respond(failure.status, failure.message),
    };
    let now = state.now();
    let name = target.name.clone();
    let result = match change.action.as_str() {
        "password" => {
            if let Some(problem) = password_problem(&name, &change.password) {
                return refuse(
                    &state,
                    &signed,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    say("Kata sandi terlalu lemah.", &problem.to_string()),
                )
                .await;
            }
            let Some(phc) = hashed(&change.password).await else {
                return busy(&state, &signed).await;
            };
            state
                .storage(move |db| db.set_password(&name, &phc, None, now))
                .await
        }
        "disable" => {
            state
                .storage(move |db| db.set_disabled(&name, true, now))
                .await
        }
        "enable" => {
            state
                .storage(move |db| db.set_disabled(&name, false, now))
                .await
        }
        _ => {
            return refuse(
                &state,
                &signed,
                StatusCode::BAD_REQUEST,
                say("Perintah tidak dikenal.", "Unknown action."),
            )
            .await;
        }
    };
    if let Err(failure) = result {
        return respond(failure.status, failure.message);
    }
    tracing::info!(by = %signed.account.name, account = %target.name, action = %change.action, "staff account changed");
    let text = say(
        &format!("Akun {} diubah.", target.name),
        &format!("Account {} changed.", target.name),
    );
    render(&state, &signed, StatusCode::OK, Some(Outcome::Done(text))).await
}

/// The PHC string of a new password, hashed off the executor; `None` if that failed.
async fn hashed(password: &str) -> Option<String> {
    let password = password.to_owned();
    let hashed = tokio::task::spawn_blocking(move || passwords::hash(&password)).await;
    hashed.ok().and_then(Result::ok)
}

async fn busy(state: &AppState, signed: &Signed) -> Response {
    let text = say("Server sibuk; coba lagi.", "The server is busy; try again.");
    refuse(state, signed, StatusCode::SERVICE_UNAVAILABLE, text).await
}

async fn refuse(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    text: maud::Markup,
) -> Response {
    render(state, signed, status, Some(Outcome::Refused(text))).await
}
