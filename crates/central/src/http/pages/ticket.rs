//! `GET /t/{kiosk}/{id}?s=<signature>`: the page a ticket's QR code opens on the visitor's
//! phone. It shows the number, the service, the status and how many people are still ahead,
//! only for a link signed with that kiosk's key; the signature is checked before anything is
//! read, and an unknown kiosk, a bad signature and an unknown ticket all get the same answer.
//! `GET /t/{id}?s=` is the link kiosks printed before the kiosk was signed too: it opens the
//! ticket with that id of a kiosk whose key verifies it. There is no personal data to show, ever.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use maud::{Markup, html};

use crate::config::CentralConfig;
use crate::http::extract::ApiFailure;
use crate::http::html::{Text, both, in_both, languages, message_page, page, respond, text};
use crate::http::pages::phone_survey::text::Text as SurveyText;
use crate::http::state::AppState;
use crate::http::waits::queue_paces;
use crate::model::ticket::TicketRecord;
use crate::storage::Database;
use crate::storage::error::DbError;
use mpp_core::catalog::Catalog;
use mpp_core::day::TimeZone;
use mpp_core::day::local_time;
use mpp_core::ids::{plausible_kiosk_id, plausible_ticket_id};
use mpp_core::lang::{Language, Localized};
use mpp_core::protocol::CounterStatus;
use mpp_core::strings::long_date;
use mpp_core::ticket::{TicketStatus, verify, verify_legacy};
use mpp_core::wait::{Pace, WaitRange, WaitSaying, expected_wait};

use axum::Router;
use axum::routing::get;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{kiosk}/{id}", get(show))
        .route("/t/{id}", get(show_legacy))
}

/// Seconds between reloads while the visitor waits: a call reaches the phone within this.
const REFRESH_SECONDS: u32 = 15;

/// Checked in place of a key for a kiosk the server does not know, so that such a link costs
/// the same work as a bad signature and cannot be told apart by its timing either.
const NO_KIOSK_KEY: &[u8] = b"no such kiosk: nothing verifies";

/// Whether `/t/{kiosk}/{id}?s={signature}` is a link `kiosk` signed: plausible ids, a
/// configured kiosk, its key. An unknown kiosk costs the same work as a bad signature.
pub fn signed(state: &AppState, kiosk: &str, id: &str, signature: &str) -> bool {
    if !plausible_kiosk_id(kiosk) || !plausible_ticket_id(id) {
        return false;
    }
    let key = state.signing_key(kiosk);
    let verified = verify(kiosk, id, signature, key.unwrap_or(NO_KIOSK_KEY));
    verified && key.is_some()
}

/// Where the survey of the ticket at `link` (`/t/{kiosk}/{id}`) is answered, with the same
/// signature and language.
pub fn survey_link(link: &str, signature: &str, language: Language) -> String {
    format!("{link}/survey?s={signature}&lang={}", language.code())
}

/// What the query of a ticket link carries: the signature and the language asked for.
struct LinkQuery {
    signature: String,
    langs: [Language; 2],
}

impl LinkQuery {
    fn read(query: Result<Query<HashMap<String, String>>, QueryRejection>) -> Self {
        let mut params = query.map(|Query(params)| params).unwrap_or_default();
        Self {
            langs: languages(params.get("lang").is_some_and(|lang| lang == "en")),
            signature: params.remove("s").unwrap_or_default(),
        }
    }
}

/// The one answer to every link that is not a ticket's: whatever was wrong stays unsaid.
pub fn not_valid(langs: [Language; 2]) -> Response {
    message_page(
        StatusCode::NOT_FOUND,
        Text::PageNotValid,
        Text::PageNotValidHelp,
        langs,
    )
}

/// `GET /t/{kiosk}/{id}?s=`.
pub async fn show(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let link = LinkQuery::read(query);
    let Ok(Path((kiosk, id))) = path else {
        return not_valid(link.langs);
    };
    if !signed(&state, &kiosk, &id, &link.signature) {
        return not_valid(link.langs);
    }
    let path = format!("/t/{kiosk}/{id}");
    let (config, now) = (Arc::clone(&state.config), state.now());
    let found = state
        .read(move |storage| {
            let record = storage.ticket(&kiosk, &id)?;
            with_ahead(storage, &config, record, now)
        })
        .await;
    answer(&state, found, &path, &link).await
}

/// `GET /t/{id}?s=`: a link printed before the kiosk was signed too.
pub async fn show_legacy(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let link = LinkQuery::read(query);
    let Ok(Path(id)) = id else {
        return not_valid(link.langs);
    };
    if !plausible_ticket_id(&id) {
        return not_valid(link.langs);
    }
    let signers: Vec<String> = state
        .config
        .all_kiosks()
        .filter(|kiosk| verify_legacy(&id, &link.signature, kiosk.signing_key.as_bytes()))
        .map(|kiosk| kiosk.id.clone())
        .collect();
    if signers.is_empty() {
        return not_valid(link.langs);
    }
    let path = format!("/t/{id}");
    let (config, now) = (Arc::clone(&state.config), state.now());
    let found = state
        .read(move |storage| {
            let signers: Vec<&str> = signers.iter().map(String::as_str).collect();
            let record = storage.ticket_of_any(&signers, &id)?;
            with_ahead(storage, &config, record, now)
        })
        .await;
    answer(&state, found, &path, &link).await
}

/// The ticket found, with the people ahead of it now in its MPP, its queue's pace and that
/// MPP's id.
fn with_ahead(
    storage: &mut dyn Database,
    config: &CentralConfig,
    record: Option<TicketRecord>,
    now: DateTime<Utc>,
) -> Result<Option<Found>, DbError> {
    let Some(record) = record else {
        return Ok(None);
    };
    // Only a configured kiosk's signature opens a page, so its MPP is known.
    let Some((mpp, _)) = config.kiosk_entry(record.ticket.kiosk.as_str()) else {
        return Ok(None);
    };
    let ahead = storage.ahead_of(&mpp.id, &record.ticket)?;
    let rated = storage.survey_answered(record.ticket.kiosk.as_str(), record.ticket.id.as_str())?;
    let today = mpp.time_zone.local(now).date();
    let waiting = record.counter.is_none() && record.ticket.business_day == today;
    let pace = match waiting {
        true => queue_paces(storage, mpp, today, now)?
            .get(record.ticket.queue.as_str())
            .copied(),
        false => None,
    };
    Ok(Some(Found {
        record,
        ahead,
        pace,
        mpp: mpp.id.clone(),
        rated,
    }))
}

/// A ticket as its page shows it.
struct Found {
    record: TicketRecord,
    /// People ahead of it now.
    ahead: u32,
    /// Its queue's pace now, when known.
    pace: Option<Pace>,
    mpp: String,
    /// Whether it has been rated.
    rated: bool,
}

/// The page for a link whose signature verified: the ticket, or why it cannot be shown.
async fn answer(
    state: &AppState,
    found: Result<Option<Found>, ApiFailure>,
    path: &str,
    link: &LinkQuery,
) -> Response {
    let langs = link.langs;
    let Found {
        record,
        ahead,
        pace,
        mpp,
        rated,
    } = match found {
        Ok(Some(found)) => found,
        // Signed by one of our kiosks but not synced yet: say so rather than "not valid".
        Ok(None) => {
            return message_page(
                StatusCode::NOT_FOUND,
                Text::PageNotYetKnown,
                Text::PageNotYetKnownHelp,
                langs,
            );
        }
        Err(_) => {
            return message_page(
                StatusCode::SERVICE_UNAVAILABLE,
                Text::PageUnavailable,
                Text::PageUnavailableHelp,
                langs,
            );
        }
    };
    let catalog = state.catalog_for_page(&mpp).await.served;
    let Some(mpp) = state.config.mpp(&mpp) else {
        return message_page(
            StatusCode::SERVICE_UNAVAILABLE,
            Text::PageUnavailable,
            Text::PageUnavailableHelp,
            langs,
        );
    };
    let view = View {
        mpp: &mpp.name,
        record: &record,
        ahead,
        wait: expected_wait(ahead, pace),
        catalog: catalog.as_ref().map(|served| &*served.catalog),
        today: state.today(mpp),
        zone: mpp.time_zone,
        link: path,
        signature: &link.signature,
        offers_survey: path.matches('/').count() == 3,
        rated,
    };
    respond(StatusCode::OK, view.render(langs))
}

/// Everything the page shows about one ticket.
pub struct View<'a> {
    pub mpp: &'a str,
    pub record: &'a TicketRecord,
    pub ahead: u32,
    /// The expected wait with `ahead` people before it, when the queue's pace is known.
    pub wait: Option<WaitRange>,
    pub catalog: Option<&'a Catalog>,
    pub today: NaiveDate,
    pub zone: TimeZone,
    /// The path the page was opened at (`/t/<kiosk>/<id>`, or a legacy `/t/<id>`).
    pub link: &'a str,
    pub signature: &'a str,
    /// Whether a served ticket's page offers the survey (links that name their kiosk do).
    pub offers_survey: bool,
    /// Whether the ticket has been rated already (at the kiosk or on a phone): thanks instead
    /// of a link to a survey that would only say so.
    pub rated: bool,
}

/// Where the ticket stands, from the kiosk's and the counters' words.
enum Standing<'a> {
    Waiting,
    Called(&'a str),
    Served,
    NoShow,
    Voided,
}

impl View<'_> {
    fn standing(&self) -> Standing<'_> {
        if self.record.ticket.status == TicketStatus::Voided {
            return Standing::Voided;
        }
        match &self.record.counter {
            None => Standing::Waiting,
            Some(mark) => match mark.status {
                CounterStatus::Called => Standing::Called(&mark.counter),
                CounterStatus::Served => Standing::Served,
                CounterStatus::NoShow => Standing::NoShow,
            },
        }
    }

    pub fn render(&self, langs: [Language; 2]) -> String {
        let ticket = &self.record.ticket;
        // A ticket from a later day (a kiosk clock ahead of ours) is not called expired.
        let expired = ticket.business_day < self.today;
        let standing = self.standing();
        let refresh = (!expired && matches!(standing, Standing::Waiting | Standing::Called(_)))
            .then_some(REFRESH_SECONDS);
        let other = langs[1];
        let switch = format!("{}?s={}&lang={}", self.link, self.signature, other.code());
        let body = html! {
            main { div class="card" {
                p class="mpp" { (self.mpp) }
                p class="label" { (text(Text::PageYourNumber, langs)) }
                p class="number" { (ticket.number) }
                @if ticket.lane.is_priority() {
                    p class="badge" { (text(Text::PagePriority, langs)) }
                }
                (self.service_lines(langs))
                (self.status_block(&standing, expired, langs))
                @if self.offers_survey && matches!(standing, Standing::Served) {
                    p class="survey" {
                        @if self.rated {
                            (both(SurveyText::RatedThanks.get(langs[0]), SurveyText::RatedThanks.get(langs[1]), langs))
                        } @else {
                            a href=(survey_link(self.link, self.signature, langs[0])) {
                                (both(SurveyText::Link.get(langs[0]), SurveyText::Link.get(langs[1]), langs))
                            }
                        }
                    }
                }
                dl {
                    @if let Some(counter) = self.counter_location(langs) {
                        dt { (text(Text::PageCounter, langs)) }
                        dd { (counter) }
                    }
                    dt { (text(Text::PageIssued, langs)) }
                    dd { (in_both(langs, |language| self.issued(language))) }
                }
                p class="valid" { (self.validity(expired, langs)) }
                @if let Some(seconds) = refresh {
                    p class="small" {
                        (in_both(langs, |language| {
                            Text::PageRefreshes.fill(language, &[("seconds", &seconds.to_string())])
                        }))
                    }
                }
                p class="small" { a href=(switch) { (other.native_name()) } }
            } }
        };
        let title = match standing {
            Standing::Called(counter) => format!(
                "{} · {}",
                ticket.number,
                Text::PageCalledTitle.fill(langs[0], &[("counter", counter)])
            ),
            _ => ticket.number.clone(),
        };
        page(&title, langs[0], refresh, body)
    }

    fn validity(&self, expired: bool, langs: [Language; 2]) -> Markup {
        if !expired {
            return text(Text::PageValidToday, langs);
        }
        let day = self.record.ticket.business_day;
        in_both(langs, |language| {
            Text::PageExpired.fill(language, &[("date", &long_date(day, language))])
        })
    }

    fn service_lines(&self, langs: [Language; 2]) -> Markup {
        let ticket = &self.record.ticket;
        let catalog = self.catalog;
        let agency = catalog.and_then(|catalog| catalog.agency(&ticket.agency));
        let service = catalog.and_then(|catalog| catalog.service(&ticket.service));
        let localized = |name: &Localized| both(name.get(langs[0]), name.get(langs[1]), langs);
        html! {
            p { strong {
                @match agency {
                    Some(agency) => (localized(&agency.name)),
                    None => (ticket.agency),
                }
            } }
            p {
                @match service {
                    Some(service) => (localized(&service.name)),
                    None => (ticket.service),
                }
            }
        }
    }

    fn status_block(&self, standing: &Standing<'_>, expired: bool, langs: [Language; 2]) -> Markup {
        let (class, line) = match standing {
            Standing::Waiting => ("waiting", text(Text::PageWaiting, langs)),
            Standing::Called(counter) => (
                "called",
                in_both(langs, |language| {
                    Text::PageCalled.fill(language, &[("counter", counter)])
                }),
            ),
            Standing::Served => ("done", text(Text::PageServed, langs)),
            Standing::NoShow => ("gone", text(Text::PageNoShow, langs)),
            Standing::Voided => ("gone", text(Text::PageVoided, langs)),
        };
        html! {
            div class={ "status " (class) } { (line) }
            @if matches!(standing, Standing::Waiting) && !expired {
                p class="ahead" { (self.ahead) }
                p class="label" { (text(Text::PagePeopleAhead, langs)) }
                p class="wait" {
                    (in_both(langs, |language| WaitSaying::of(Some(self.ahead), self.wait).text(language)))
                }
            }
        }
    }

    fn counter_location(&self, langs: [Language; 2]) -> Option<Markup> {
        let service = self.catalog?.service(&self.record.ticket.service)?;
        Some(both(
            service.counter.get(langs[0]),
            service.counter.get(langs[1]),
            langs,
        ))
    }

    fn issued(&self, language: Language) -> String {
        let issued: DateTime<Utc> = self.record.ticket.issued_at;
        // At the edge of chrono's range the local time does not exist: UTC still does.
        let (local, zone) = match local_time(self.zone, issued) {
            Some(local) => (local, self.zone.abbreviation()),
            None => (issued.naive_utc(), "UTC"),
        };
        Text::PageIssuedOn.fill(
            language,
            &[
                ("date", &long_date(local.date(), language)),
                ("time", &local.format("%H:%M").to_string()),
                ("zone", zone),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ticket::CounterMark;
    use mpp_core::numbering::Lane;
    use mpp_core::testing::sample_ticket;
    use mpp_core::ticket::Ticket;

    fn record(counter: Option<CounterMark>) -> TicketRecord {
        TicketRecord {
            ticket: Ticket {
                id: "0192-abc".into(),
                number: "DKC-P014".into(),
                lane: Lane::Priority,
                sequence: 14,
                service: "DKC-<KTP>".into(),
                issued_at: "2026-11-23T02:05:00Z".parse().expect("instant"),
                ..sample_ticket()
            },
            counter,
        }
    }

    fn view<'a>(record: &'a TicketRecord, today: &str) -> View<'a> {
        View {
            mpp: "MPP Blora",
            record,
            ahead: 3,
            wait: None,
            catalog: None,
            today: today.parse().expect("day"),
            zone: TimeZone::JAKARTA,
            link: "/t/K1/0192-abc",
            signature: "\"><script>",
            offers_survey: true,
            rated: false,
        }
    }

    #[test]
    fn a_waiting_ticket_shows_number_place_and_today_only() {
        let record = record(None);
        let html = view(&record, "2026-11-23").render(languages(false));
        assert!(html.contains("DKC-P014"));
        assert!(html.contains("<p class=\"ahead\">3</p>"));
        assert!(html.contains("Berlaku hanya hari ini"));
        assert!(html.contains("Valid today only"));
        assert!(html.contains("09:05 WIB"));
        assert!(html.contains("DKC-&lt;KTP&gt;"), "codes are escaped");
        assert!(!html.contains("<script>"), "the signature is escaped");
        assert!(html.contains("href=\"/t/K1/0192-abc?s="), "{html}");
        let english = view(&record, "2026-11-23").render(languages(true));
        assert!(english.find("Waiting").expect("en") < english.find("Menunggu").expect("id"));
    }

    #[test]
    fn called_served_and_expired_tickets_say_so() {
        let mark = |status| CounterMark {
            status,
            counter: "Loket <3>".into(),
            at: "2026-11-23T03:00:00Z".parse().expect("instant"),
        };
        let called = record(Some(mark(CounterStatus::Called)));
        let html = view(&called, "2026-11-23").render(languages(false));
        assert!(html.contains("Nomor Anda dipanggil — Loket &lt;3&gt;"));
        assert!(!html.contains("class=\"ahead\""));
        let served = record(Some(mark(CounterStatus::Served)));
        let html = view(&served, "2026-11-23").render(languages(false));
        assert!(html.contains("Sudah dilayani") && !html.contains("http-equiv"));
        assert!(html.contains("Isi survei kepuasan") && html.contains("Rate this service"));
        assert!(html.contains("href=\"/t/K1/0192-abc/survey?s="), "{html}");
        let called_html = view(&called, "2026-11-23").render(languages(false));
        assert!(!called_html.contains("/survey?"), "only once served");
        let rated = View {
            rated: true,
            ..view(&served, "2026-11-23")
        };
        let html = rated.render(languages(false));
        assert!(
            !html.contains("/survey?"),
            "rated once: no second survey offered"
        );
        assert!(html.contains("penilaian Anda sudah kami terima"), "{html}");
        let old = record(None);
        let html = view(&old, "2026-11-24").render(languages(false));
        assert!(html.contains("sudah tidak berlaku") && html.contains("Senin, 23 November 2026"));
    }

    #[test]
    fn catalog_and_pushed_text_is_escaped() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../testkit/fixtures/small-catalog.json"
        ));
        let mut catalog = Catalog::from_json(text).expect("the sample catalog parses");
        let script = "<script>alert(1)</script>";
        catalog.agencies[0].name = Localized::new(script, script);
        catalog.services[0].name = Localized::new(script, "x");
        catalog.services[0].counter = Localized::new("y", script);
        let mut record = record(Some(CounterMark {
            status: CounterStatus::Called,
            counter: script.into(),
            at: "2026-11-23T03:00:00Z".parse().expect("instant"),
        }));
        record.ticket.number = script.into();
        record.ticket.agency = catalog.agencies[0].code.clone();
        record.ticket.service = catalog.services[0].code.clone();
        let view = View {
            mpp: script,
            catalog: Some(&catalog),
            ..view(&record, "2026-11-23")
        };
        for english in [false, true] {
            let html = view.render(languages(english));
            assert!(!html.contains("<script>"), "{html}");
            assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        }
    }

    #[test]
    fn a_ticket_at_the_edge_of_chrono_renders_in_utc() {
        let mut record = record(None);
        record.ticket.issued_at = DateTime::<Utc>::MAX_UTC;
        record.ticket.business_day = NaiveDate::MAX;
        let html = view(&record, "2026-11-23").render(languages(false));
        assert!(html.contains("23:59 UTC"), "{html}");
    }
}
