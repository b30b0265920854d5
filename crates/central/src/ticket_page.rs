//! `GET /t/{id}?s=<signature>`: the page a ticket's QR code opens on the visitor's phone. It
//! shows the number, the service, the status and how many people are still ahead, only for a
//! link signed with the issuing kiosk's key. There is no personal data to show, ever.

use std::collections::HashMap;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};

use super::AppState;
use super::html::{Text, both, escape, languages, message_page, page, respond, text};
use super::records::TicketRecord;
use mpp_core::catalog::Catalog;
use mpp_core::day::TimeZone;
use mpp_core::lang::Language;
use mpp_core::protocol::CounterStatus;
use mpp_core::strings::long_date;
use mpp_core::ticket::{TicketStatus, verify};

/// Seconds between reloads while the visitor waits.
const REFRESH_SECONDS: u32 = 30;

/// Whether `id` could be a ticket id: short, and only letters, digits, `-` and `_`.
pub fn plausible_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub async fn show(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let params = query.map(|Query(params)| params).unwrap_or_default();
    let langs = languages(params.get("lang").is_some_and(|lang| lang == "en"));
    let signature = params.get("s").map(String::as_str).unwrap_or("");
    let invalid = |status| message_page(status, Text::NotValid, Text::NotValidHelp, langs);
    let Ok(Path(id)) = id else {
        return invalid(StatusCode::NOT_FOUND);
    };
    if !plausible_id(&id) {
        return invalid(StatusCode::NOT_FOUND);
    }
    let lookup_id = id.clone();
    let found = state
        .storage(move |storage| {
            let Some(record) = storage.ticket(&lookup_id)? else {
                return Ok(None);
            };
            let ahead = storage.ahead_of(&record.ticket)?;
            Ok(Some((record, ahead)))
        })
        .await;
    let (record, ahead) = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            // Signed by one of our kiosks but not synced yet: say so rather than "not valid".
            let signed = state
                .config
                .kiosks
                .iter()
                .any(|kiosk| verify(&id, signature, kiosk.signing_key.as_bytes()));
            return if signed {
                message_page(
                    StatusCode::NOT_FOUND,
                    Text::NotYetKnown,
                    Text::NotYetKnownHelp,
                    langs,
                )
            } else {
                invalid(StatusCode::NOT_FOUND)
            };
        }
        Err(_) => {
            return message_page(
                StatusCode::SERVICE_UNAVAILABLE,
                Text::Unavailable,
                Text::UnavailableHelp,
                langs,
            );
        }
    };
    let key = state.signing_key(&record.ticket.kiosk);
    if !key.is_some_and(|key| verify(&id, signature, key)) {
        return invalid(StatusCode::FORBIDDEN);
    }
    let catalog = state.catalog().await.served;
    let view = View {
        mpp: &state.config.name,
        record: &record,
        ahead,
        catalog: catalog.as_ref().map(|served| &*served.catalog),
        today: state.today(),
        zone: state.config.time_zone,
        signature,
    };
    respond(StatusCode::OK, view.render(langs))
}

/// Everything the page shows about one ticket.
pub struct View<'a> {
    pub mpp: &'a str,
    pub record: &'a TicketRecord,
    pub ahead: u32,
    pub catalog: Option<&'a Catalog>,
    pub today: NaiveDate,
    pub zone: TimeZone,
    pub signature: &'a str,
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
        let mut body = String::from("<main><div class=\"card\">");
        body += &format!("<p class=\"mpp\">{}</p>", escape(self.mpp));
        body += &format!(
            "<p class=\"label\">{}</p><p class=\"number\">{}</p>",
            text(Text::YourNumber, langs),
            escape(&ticket.number)
        );
        if ticket.lane.is_priority() {
            body += &format!("<p class=\"badge\">{}</p>", text(Text::Priority, langs));
        }
        body += &self.service_lines(langs);
        body += &self.status_block(&standing, expired, langs);
        body += "<dl>";
        if let Some(counter) = self.counter_location(langs) {
            body += &format!("<dt>{}</dt><dd>{counter}</dd>", text(Text::Counter, langs));
        }
        body += &format!(
            "<dt>{}</dt><dd>{}</dd></dl>",
            text(Text::Issued, langs),
            both(&self.issued(langs[0]), &self.issued(langs[1]), langs)
        );
        if expired {
            body += &format!(
                "<p class=\"valid\">{}</p>",
                both(
                    &format!(
                        "{} {}.",
                        Text::Expired.get(langs[0]),
                        long_date(ticket.business_day, langs[0])
                    ),
                    &format!(
                        "{} {}.",
                        Text::Expired.get(langs[1]),
                        long_date(ticket.business_day, langs[1])
                    ),
                    langs
                )
            );
        } else {
            body += &format!("<p class=\"valid\">{}</p>", text(Text::ValidToday, langs));
        }
        let refresh = (!expired && matches!(standing, Standing::Waiting | Standing::Called(_)))
            .then_some(REFRESH_SECONDS);
        if refresh.is_some() {
            body += &format!("<p class=\"small\">{}</p>", text(Text::Refreshes, langs));
        }
        let other = langs[1];
        body += &format!(
            "<p class=\"small\"><a href=\"/t/{}?s={}&amp;lang={}\">{}</a></p></div></main>",
            escape(&ticket.id),
            escape(self.signature),
            other.code(),
            escape(other.native_name())
        );
        page(&ticket.number, langs[0], refresh, &body)
    }

    fn service_lines(&self, langs: [Language; 2]) -> String {
        let ticket = &self.record.ticket;
        let catalog = self.catalog;
        let agency = catalog.and_then(|catalog| catalog.agency(&ticket.agency));
        let service = catalog.and_then(|catalog| catalog.service(&ticket.service));
        let agency = match agency {
            Some(agency) => both(agency.name.get(langs[0]), agency.name.get(langs[1]), langs),
            None => escape(&ticket.agency),
        };
        let service = match service {
            Some(service) => both(
                service.name.get(langs[0]),
                service.name.get(langs[1]),
                langs,
            ),
            None => escape(&ticket.service),
        };
        format!("<p><strong>{agency}</strong></p><p>{service}</p>")
    }

    fn status_block(&self, standing: &Standing<'_>, expired: bool, langs: [Language; 2]) -> String {
        let (class, line) = match standing {
            Standing::Waiting => ("waiting", text(Text::Waiting, langs)),
            Standing::Called(counter) => (
                "called",
                both(
                    &format!(
                        "{} {counter}. {}",
                        Text::CalledTo.get(langs[0]),
                        Text::GoNow.get(langs[0])
                    ),
                    &format!(
                        "{} {counter}. {}",
                        Text::CalledTo.get(langs[1]),
                        Text::GoNow.get(langs[1])
                    ),
                    langs,
                ),
            ),
            Standing::Served => ("done", text(Text::Served, langs)),
            Standing::NoShow => ("gone", text(Text::NoShow, langs)),
            Standing::Voided => ("gone", text(Text::Voided, langs)),
        };
        let mut block = format!("<div class=\"status {class}\">{line}</div>");
        if matches!(standing, Standing::Waiting) && !expired {
            block += &format!(
                "<p class=\"ahead\">{}</p><p class=\"label\">{}</p>",
                self.ahead,
                text(Text::PeopleAhead, langs)
            );
        }
        block
    }

    fn counter_location(&self, langs: [Language; 2]) -> Option<String> {
        let service = self.catalog?.service(&self.record.ticket.service)?;
        Some(both(
            service.counter.get(langs[0]),
            service.counter.get(langs[1]),
            langs,
        ))
    }

    fn issued(&self, language: Language) -> String {
        let issued: DateTime<Utc> = self.record.ticket.issued_at;
        let local = self.zone.local(issued);
        format!(
            "{} {} {} {}",
            long_date(local.date(), language),
            Text::At.get(language),
            local.format("%H:%M"),
            self.zone.abbreviation()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::CounterMark;
    use mpp_core::numbering::Lane;
    use mpp_core::ticket::Ticket;

    fn record(counter: Option<CounterMark>) -> TicketRecord {
        TicketRecord {
            ticket: Ticket {
                id: "0192-abc".into(),
                number: "DKC-P014".into(),
                queue: "DKC".into(),
                lane: Lane::Priority,
                sequence: 14,
                agency: "DUKCAPIL".into(),
                service: "DKC-<KTP>".into(),
                kiosk: "K1".into(),
                business_day: "2026-11-23".parse().expect("day"),
                issued_at: "2026-11-23T02:05:00Z".parse().expect("instant"),
                people_ahead: None,
                status: TicketStatus::Printed,
                print_count: 1,
                qr_payload: String::new(),
            },
            counter,
        }
    }

    fn view<'a>(record: &'a TicketRecord, today: &str) -> View<'a> {
        View {
            mpp: "MPP Blora",
            record,
            ahead: 3,
            catalog: None,
            today: today.parse().expect("day"),
            zone: TimeZone::JAKARTA,
            signature: "\"><script>",
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
        assert!(html.contains("Dipanggil ke Loket &lt;3&gt;"));
        assert!(!html.contains("class=\"ahead\""));
        let served = record(Some(mark(CounterStatus::Served)));
        let html = view(&served, "2026-11-23").render(languages(false));
        assert!(html.contains("Sudah dilayani") && !html.contains("http-equiv"));
        let old = record(None);
        let html = view(&old, "2026-11-24").render(languages(false));
        assert!(html.contains("sudah tidak berlaku") && html.contains("Senin, 23 November 2026"));
    }

    #[test]
    fn ids_are_checked_before_any_lookup() {
        assert!(plausible_id("0192f0c2-7b1e-7cc3-9a5e-1f2d3c4b5a69"));
        assert!(!plausible_id(""));
        assert!(!plausible_id("../etc/passwd"));
        assert!(!plausible_id(&"a".repeat(65)));
    }
}
