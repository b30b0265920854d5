//! `GET /fleet`: the staff page, one row per configured kiosk: when it was last heard from,
//! its printer, how much it has not sent yet, its catalog, today's tickets and its conflicts;
//! beneath, kiosks unsure of their business day, numbers printed twice or out of range, and
//! refused events, today's services closed by staff; on top, any configured secret that is a published demo value. Needs a staff session (`/login`) or the admin token as a bearer header; a
//! token in the address is refused. It reloads itself (a plain refresh: nothing secret in it).

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use maud::{Markup, html};

use crate::config::demo_secrets;
use crate::config::demo_secrets::DemoSecret;
use crate::http::html::{Text, age, in_both, page, respond, text};
use crate::http::pages::login::{StaffText, not_yours, staff_only};
use crate::http::state::AppState;
use crate::model::fleet::KioskState;
use crate::model::numbers::{FlaggedNumber, NumberProblem};
use crate::published::Snapshot;
use mpp_core::day::TimeZone;
use mpp_core::lang::Language;
use mpp_core::protocol::DayDoubt;
use mpp_core::strings::printer_state_text;

use axum::Router;
use axum::routing::get;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/fleet", get(show))
}

/// A kiosk silent for longer than this is highlighted.
const STALE: TimeDelta = TimeDelta::minutes(5);
/// Unsent events older than this are highlighted.
const BACKLOG: TimeDelta = TimeDelta::minutes(10);
const REFRESH_SECONDS: u32 = 30;

pub async fn show(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let chosen = query
        .as_ref()
        .ok()
        .and_then(|Query(params)| params.get("mpp").cloned());
    let signed = match staff_only(&state, query, &headers).await {
        Ok(signed) => signed,
        Err(page) => return page,
    };
    let account = &signed.account;
    let mpps: Vec<&crate::config::MppEntry> = (state.config.mpps().iter())
        .filter(|mpp| account.reads(&mpp.id))
        .collect();
    let mpp = match chosen {
        None => match mpps.first() {
            Some(mpp) => *mpp,
            None => return not_yours(),
        },
        Some(id) => match state.config.mpp(&id) {
            Some(mpp) if account.reads(&mpp.id) => mpp,
            Some(_) => return not_yours(),
            None => return failure_page(StatusCode::NOT_FOUND, &format!("no MPP {id:?} here")),
        },
    };
    let links: Vec<MppLink> = mpps
        .iter()
        .map(|other| MppLink {
            id: other.id.clone(),
            name: other.name.clone(),
            current: other.id == mpp.id,
        })
        .collect();
    let ids: Vec<String> = mpp.kiosks.iter().map(|k| k.id.clone()).collect();
    let today = state.today(mpp);
    let id = mpp.id.clone();
    let read = state
        .read(move |storage| {
            let audit = storage.latest_audit(&ids)?;
            let closed = storage.day_closures(&id, today)?;
            Ok((
                storage.fleet(&ids, today)?,
                storage.flagged_numbers(&id)?,
                audit,
                closed,
            ))
        })
        .await;
    let (kiosks, flagged, audit, closed) = match read {
        Ok(read) => read,
        Err(failure) => return failure_page(failure.status, &failure.message),
    };
    let fleet = Fleet {
        kiosks: &kiosks,
        flagged: &flagged,
        catalog: &state.catalog(&mpp.id).await,
        now: state.now(),
        today,
        demo_secrets: &demo_secrets::find(&state.config),
        zone: mpp.time_zone,
        mpps: &links,
    };
    let more = html! {
        (crate::http::api::closures::section(&closed, mpp.time_zone))
        (log::section(&audit, mpp.time_zone))
    };
    respond(StatusCode::OK, fleet.render_with(more))
}

pub struct Fleet<'a> {
    pub kiosks: &'a [KioskState],
    /// The latest flagged numbers of any kiosk, newest first.
    pub flagged: &'a [FlaggedNumber],
    pub catalog: &'a Snapshot,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub zone: TimeZone,
    /// Configured secrets that are published demo values (allowed on loopback, or with
    /// `--allow-demo-secrets`): named at the top until they are replaced.
    pub demo_secrets: &'a [DemoSecret],
    /// Every MPP of the server, to move between their pages (shown when there are several).
    pub mpps: &'a [MppLink],
}

/// Another MPP's fleet page, or this one.
pub struct MppLink {
    pub id: String,
    pub name: String,
    pub current: bool,
}

/// The staff page's languages: Indonesian, with English beneath.
const LANGUAGES: [Language; 2] = [Language::Indonesian, Language::English];

const HEADERS: [Text; 11] = [
    Text::FleetKiosk,
    Text::FleetLastContact,
    Text::FleetPrinter,
    Text::FleetUnsent,
    Text::FleetOldestUnsent,
    Text::FleetCatalog,
    Text::FleetTicketsToday,
    Text::FleetConflicts,
    Text::FleetRefused,
    Text::FleetNumbers,
    Text::FleetVersion,
];

/// `Indonesian / English` on one line, as the staff page writes its headings.
fn on_one_line(key: Text) -> String {
    format!("{} / {}", key.get(LANGUAGES[0]), key.get(LANGUAGES[1]))
}

/// The answer when the fleet cannot be read: the failure's own sentence.
fn failure_page(status: StatusCode, message: &str) -> Response {
    respond(
        status,
        page("error", Language::English, None, html! { (message) }),
    )
}

impl Fleet<'_> {
    /// The MPPs of a province's server, the one shown in bold; nothing for one MPP.
    fn mpp_links(&self) -> Markup {
        html! {
            @if self.mpps.len() > 1 {
                nav class="mpps" {
                    @for link in self.mpps {
                        @if link.current {
                            strong { (link.name) } " "
                        } @else {
                            a href={ "/fleet?mpp=" (link.id) } { (link.name) } " "
                        }
                    }
                }
            }
        }
    }

    /// The satisfaction report of the MPP shown.
    fn report_link(&self) -> String {
        match self.mpps.iter().find(|link| link.current) {
            Some(link) => format!("/reports/ikm?mpp={}", link.id),
            None => "/reports/ikm".into(),
        }
    }

    #[cfg(test)]
    pub fn render(&self) -> String {
        self.render_with(html! {})
    }

    /// The page with `more` at its end (closed services and the technicians' log).
    pub fn render_with(&self, more: Markup) -> String {
        let body = html! {
            main class="wide" {
                form method="post" action="/logout" {
                    a href="/account" { "Akun saya / My account" } " "
                    button type="submit" {
                        (StaffText::SignOut.get(LANGUAGES[0])) " / " (StaffText::SignOut.get(LANGUAGES[1]))
                    }
                }
                h1 { (on_one_line(Text::FleetTitle)) }
                (self.demo_warning())
                (self.mpp_links())
                p { a href=(self.report_link()) { "Laporan IKM (survei kepuasan) / IKM report (satisfaction survey)" } }
                p { a href=(self.report_link().replacen("/reports/ikm", "/dashboard", 1)) { "Dasbor layanan / Service dashboard" } }
                p {
                    (self.today) " "
                    (self.zone.local(self.now).format("%H:%M:%S")) " · "
                    (self.zone.abbreviation())
                }
                (self.catalog_line())
                table class="fleet" {
                    thead { tr {
                        @for header in HEADERS { th { (text(header, LANGUAGES)) } }
                    } }
                    tbody {
                        @for kiosk in self.kiosks { (self.row(kiosk)) }
                    }
                }
                @if self.kiosks.is_empty() {
                    p { (on_one_line(Text::FleetNoKiosk)) "." }
                }
                (self.day_doubts())
                (self.flagged_numbers())
                (self.refusals())
                (more)
            }
        };
        let title = Text::FleetTitle.get(Language::English);
        page(title, Language::Indonesian, Some(REFRESH_SECONDS), body)
    }

    fn catalog_line(&self) -> Markup {
        html! {
            p {
                @match &self.catalog.served {
                    Some(served) => {
                        (on_one_line(Text::FleetPublishedCatalog)) ": "
                        strong { "v" (served.catalog.version) }
                    }
                    None => strong { (on_one_line(Text::FleetNoValidCatalog)) },
                }
            }
            @if let Some(problem) = &self.catalog.problem {
                p class="status bad" { (problem) }
            }
        }
    }

    fn row(&self, kiosk: &KioskState) -> Markup {
        let mut warn = kiosk.conflicts > 0 || kiosk.refused > 0 || kiosk.flagged_numbers > 0;
        let contact = match kiosk.last_contact {
            Some(at) => {
                warn |= self.now - at > STALE;
                with_note(
                    &self.zone.local(at).format("%Y-%m-%d %H:%M:%S").to_string(),
                    &age(self.now - at),
                )
            }
            None => {
                warn = true;
                html! { (on_one_line(Text::FleetNever)) }
            }
        };
        let mut cells = vec![("kiosk", html! { (kiosk.id) }), ("contact", contact)];
        let dash = || html! { "–" };
        match &kiosk.heartbeat {
            Some((heartbeat, received)) => {
                let printer = heartbeat.printer;
                warn |= printer.needs_attention() || heartbeat.day_doubt.is_some();
                let meaning = printer_state_text(printer);
                cells.push(("printer", text(meaning, LANGUAGES)));
                cells.push(("unsent", html! { (heartbeat.outbox_unsent) }));
                let oldest = match heartbeat.oldest_unsent {
                    // The kiosk's own clock gives the age at the heartbeat; ours adds the rest.
                    Some(oldest) => {
                        let backlog = (heartbeat.at - oldest) + (self.now - *received);
                        warn |= backlog > BACKLOG;
                        html! { (age(backlog)) }
                    }
                    None => dash(),
                };
                cells.push(("oldest", oldest));
                let served = self.catalog.served.as_ref().map(|s| s.catalog.version);
                warn |= served.is_some_and(|served| heartbeat.catalog_version < served);
                cells.push(("catalog", html! { "v" (heartbeat.catalog_version) }));
            }
            None => {
                cells.extend([
                    ("printer", dash()),
                    ("unsent", dash()),
                    ("oldest", dash()),
                    ("catalog", dash()),
                ]);
            }
        }
        cells.push(("tickets", html! { (kiosk.tickets_today) }));
        cells.push(("conflicts", html! { (kiosk.conflicts) }));
        cells.push(("refused", html! { (kiosk.refused) }));
        cells.push(("numbers", html! { (kiosk.flagged_numbers) }));
        let version = kiosk
            .heartbeat
            .as_ref()
            .map_or_else(dash, |(heartbeat, _)| html! { (heartbeat.version) });
        cells.push(("version", version));
        html! {
            tr data-kiosk=(kiosk.id) class=[warn.then_some("warn")] {
                @for ((column, cell), header) in cells.into_iter().zip(HEADERS) {
                    // The label shows on a phone, where each kiosk is a card.
                    td data-label=(on_one_line(header)) data-col=(column) { (cell) }
                }
            }
        }
    }
}

impl Fleet<'_> {
    /// Each kiosk whose latest heartbeat says it cannot tell the business day, and what to do.
    /// Which keys still hold a demo secret (never the secret's value: the key and its name).
    fn demo_warning(&self) -> Markup {
        html! {
            @if !self.demo_secrets.is_empty() {
                div class="card demo-secrets" {
                    p class="status bad" { (on_one_line(Text::FleetDemoSecrets)) }
                    ul {
                        @for secret in self.demo_secrets { li { code { (secret.key) } } }
                    }
                }
            }
        }
    }

    fn day_doubts(&self) -> Markup {
        let doubts: Vec<(&str, &DayDoubt)> = self
            .kiosks
            .iter()
            .filter_map(|kiosk| {
                let (heartbeat, _) = kiosk.heartbeat.as_ref()?;
                Some((kiosk.id.as_str(), heartbeat.day_doubt.as_ref()?))
            })
            .collect();
        html! {
            @if !doubts.is_empty() {
                h2 { (on_one_line(Text::FleetDayDoubts)) }
                ul class="day-doubts" {
                    @for (kiosk, doubt) in doubts {
                        li data-kiosk=(kiosk) { (in_both(LANGUAGES, |language| doubt_line(kiosk, doubt, language))) }
                    }
                }
            }
        }
    }

    /// The latest numbers printed twice or outside their kiosk's range, naming the tickets.
    fn flagged_numbers(&self) -> Markup {
        html! {
            @if !self.flagged.is_empty() {
                h2 { (on_one_line(Text::FleetFlaggedNumbers)) }
                ul class="numbers" {
                    @for flagged in self.flagged {
                        li { (in_both(LANGUAGES, |language| flagged_line(flagged, language))) }
                    }
                }
            }
        }
    }

    /// The latest refused events of each kiosk, with the reason the kiosk was told.
    fn refusals(&self) -> Markup {
        let refused = self.kiosks.iter().filter(|kiosk| kiosk.refused > 0);
        let lines: Vec<(String, String)> = refused
            .flat_map(|kiosk| kiosk.latest_refusals.iter().map(move |r| (kiosk, r)))
            .map(|(kiosk, refusal)| {
                let at = self.zone.local(refusal.received_at);
                let fill = |language| {
                    Text::FleetRefusalLine.fill(
                        language,
                        &[
                            ("kiosk", &kiosk.id),
                            ("ticket", &refusal.ticket_id),
                            ("event", &refusal.event_id.to_string()),
                            ("at", &at.format("%Y-%m-%d %H:%M:%S").to_string()),
                            ("reason", &refusal.reason),
                        ],
                    )
                };
                (fill(LANGUAGES[0]), fill(LANGUAGES[1]))
            })
            .collect();
        html! {
            @if !lines.is_empty() {
                h2 { (on_one_line(Text::FleetLatestRefusals)) }
                ul class="refusals" {
                    @for (first, second) in lines { li { (crate::http::html::both(&first, &second, LANGUAGES)) } }
                }
            }
        }
    }
}

fn doubt_line(kiosk: &str, doubt: &DayDoubt, language: Language) -> String {
    let server = doubt.server_day.map_or_else(
        || Text::FleetServerDayUnknown.get(language).to_owned(),
        |day| day.to_string(),
    );
    Text::FleetDayDoubtLine.fill(
        language,
        &[
            ("kiosk", kiosk),
            ("held", &doubt.held_day.to_string()),
            ("clock", &doubt.clock_day.to_string()),
            ("server", &server),
        ],
    )
}

fn flagged_line(flagged: &FlaggedNumber, language: Language) -> String {
    let day = flagged.business_day.to_string();
    let mut values = vec![
        ("day", day.as_str()),
        ("number", flagged.number.as_str()),
        ("ticket", flagged.ticket_id.as_str()),
        ("kiosk", flagged.kiosk.as_str()),
    ];
    match &flagged.problem {
        NumberProblem::Duplicate {
            first_kiosk,
            first_ticket,
        } => {
            values.extend([
                ("first_ticket", first_ticket.as_str()),
                ("first_kiosk", first_kiosk.as_str()),
            ]);
            Text::FleetDuplicateLine.fill(language, &values)
        }
        NumberProblem::OutOfRange(range) => {
            let range = format!("[{}, {}]", range.first, range.last);
            values.push(("range", &range));
            Text::FleetOutOfRangeLine.fill(language, &values)
        }
    }
}

/// A value with a smaller note beneath it.
fn with_note(value: &str, note: &str) -> Markup {
    html! { (value) span class="alt" { (note) } }
}

mod log;
#[cfg(test)]
mod tests;
