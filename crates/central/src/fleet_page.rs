//! `GET /fleet`: the staff page, one row per configured kiosk: when it was last heard from,
//! its printer, how much it has not sent yet, its catalog, today's tickets and its conflicts.
//! Needs the admin token (`?token=` or a bearer header).

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::AppState;
use super::auth::{bearer, is_admin};
use super::html::{age, escape, page, respond};
use super::published::Snapshot;
use super::records::KioskState;
use mpp_core::day::TimeZone;
use mpp_core::lang::Language;
use mpp_core::strings::printer_state_text;

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
    let params = query.map(|Query(params)| params).unwrap_or_default();
    let token = params
        .get("token")
        .map(String::as_str)
        .or_else(|| bearer(&headers));
    if !is_admin(state.config.admin_token_sha256.as_ref(), token) {
        let body = "<main><div class=\"card\"><p class=\"status bad\">Perlu token admin\
                    <span class=\"alt\">Admin token required</span></p>\
                    <p>/fleet?token=&hellip;</p></div></main>";
        return respond(
            StatusCode::UNAUTHORIZED,
            page("401", Language::Indonesian, None, body),
        );
    }
    let ids: Vec<String> = state.config.kiosks.iter().map(|k| k.id.clone()).collect();
    let today = state.today();
    let kiosks = match state
        .storage(move |storage| storage.fleet(&ids, today))
        .await
    {
        Ok(kiosks) => kiosks,
        Err(failure) => {
            return respond(
                failure.status,
                page("error", Language::English, None, &escape(&failure.message)),
            );
        }
    };
    let fleet = Fleet {
        kiosks: &kiosks,
        catalog: &state.catalog().await,
        now: state.now(),
        today,
        zone: state.config.time_zone,
    };
    respond(StatusCode::OK, fleet.render())
}

pub struct Fleet<'a> {
    pub kiosks: &'a [KioskState],
    pub catalog: &'a Snapshot,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub zone: TimeZone,
}

const HEADERS: [(&str, &str); 9] = [
    ("Kios", "Kiosk"),
    ("Kontak terakhir", "Last contact"),
    ("Printer", "Printer"),
    ("Belum terkirim", "Outbox unsent"),
    ("Tertua", "Oldest unsent"),
    ("Katalog", "Catalog"),
    ("Tiket hari ini", "Tickets today"),
    ("Konflik", "Conflicts"),
    ("Versi", "Version"),
];

impl Fleet<'_> {
    pub fn render(&self) -> String {
        let mut body = String::from("<main class=\"wide\"><h1>Armada kios / Kiosk fleet</h1>");
        body += &format!(
            "<p>{} {} · {}</p>",
            self.today,
            self.zone.local(self.now).format("%H:%M:%S"),
            self.zone.abbreviation()
        );
        body += &self.catalog_line();
        body += "<table><thead><tr>";
        for (id, en) in HEADERS {
            body += &format!("<th>{id}<span class=\"alt\">{en}</span></th>");
        }
        body += "</tr></thead><tbody>";
        for kiosk in self.kiosks {
            body += &self.row(kiosk);
        }
        body += "</tbody></table>";
        if self.kiosks.is_empty() {
            body += "<p>Belum ada kios di konfigurasi / No kiosk is configured ([[kiosk]]).</p>";
        }
        body += "</main>";
        page(
            "Kiosk fleet",
            Language::Indonesian,
            Some(REFRESH_SECONDS),
            &body,
        )
    }

    fn catalog_line(&self) -> String {
        let served = match &self.catalog.served {
            Some(served) => format!(
                "Katalog terbit / Published catalog: <strong>v{}</strong>",
                served.catalog.version
            ),
            None => "<strong>Tidak ada katalog yang sah / No valid catalog is published</strong>"
                .to_owned(),
        };
        let problem = self
            .catalog
            .problem
            .as_ref()
            .map(|problem| format!("<p class=\"status bad\">{}</p>", escape(problem)))
            .unwrap_or_default();
        format!("<p>{served}</p>{problem}")
    }

    fn row(&self, kiosk: &KioskState) -> String {
        let mut warn = kiosk.conflicts > 0;
        let contact = match kiosk.last_contact {
            Some(at) => {
                warn |= self.now - at > STALE;
                format!(
                    "{}<span class=\"alt\">{}</span>",
                    self.zone.local(at).format("%Y-%m-%d %H:%M:%S"),
                    age(self.now - at)
                )
            }
            None => {
                warn = true;
                "belum pernah / never".to_owned()
            }
        };
        let mut cells = vec![("kiosk", escape(&kiosk.id)), ("contact", contact)];
        let dash = || "–".to_owned();
        match &kiosk.heartbeat {
            Some((heartbeat, received)) => {
                let printer = heartbeat.printer;
                warn |= printer.needs_attention();
                cells.push((
                    "printer",
                    format!(
                        "{}<span class=\"alt\">{}</span>",
                        printer.as_str(),
                        escape(printer_state_text(printer).get(Language::Indonesian))
                    ),
                ));
                cells.push(("unsent", heartbeat.outbox_unsent.to_string()));
                let oldest = match heartbeat.oldest_unsent {
                    // The kiosk's own clock gives the age at the heartbeat; ours adds the rest.
                    Some(oldest) => {
                        let backlog = (heartbeat.at - oldest) + (self.now - *received);
                        warn |= backlog > BACKLOG;
                        age(backlog)
                    }
                    None => dash(),
                };
                cells.push(("oldest", oldest));
                let served = self.catalog.served.as_ref().map(|s| s.catalog.version);
                warn |= served.is_some_and(|served| heartbeat.catalog_version < served);
                cells.push(("catalog", format!("v{}", heartbeat.catalog_version)));
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
        cells.push(("tickets", kiosk.tickets_today.to_string()));
        cells.push(("conflicts", kiosk.conflicts.to_string()));
        let version = kiosk
            .heartbeat
            .as_ref()
            .map_or_else(dash, |(heartbeat, _)| escape(&heartbeat.version));
        cells.push(("version", version));
        let class = if warn { " class=\"warn\"" } else { "" };
        let cells: String = cells
            .iter()
            .map(|(column, cell)| format!("<td data-col=\"{column}\">{cell}</td>"))
            .collect();
        let id = escape(&kiosk.id);
        format!("<tr data-kiosk=\"{id}\"{class}>{cells}</tr>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpp_core::printer_state::PrinterState;
    use mpp_core::protocol::Heartbeat;

    #[test]
    fn rows_show_heartbeats_and_flag_trouble() {
        let now: DateTime<Utc> = "2026-11-23T03:00:00Z".parse().expect("instant");
        let heartbeat = Heartbeat {
            kiosk: "K<1>".into(),
            version: "0.1.0".into(),
            printer: PrinterState::PaperOut,
            outbox_unsent: 7,
            oldest_unsent: Some(now - TimeDelta::minutes(3)),
            catalog_version: 3,
            at: now,
        };
        let kiosks = [
            KioskState {
                id: "K<1>".into(),
                last_contact: Some(now - TimeDelta::seconds(20)),
                heartbeat: Some((heartbeat, now - TimeDelta::seconds(20))),
                tickets_today: 12,
                conflicts: 0,
            },
            KioskState {
                id: "K2".into(),
                last_contact: None,
                heartbeat: None,
                tickets_today: 0,
                conflicts: 2,
            },
        ];
        let fleet = Fleet {
            kiosks: &kiosks,
            catalog: &Snapshot::default(),
            now,
            today: "2026-11-23".parse().expect("day"),
            zone: TimeZone::JAKARTA,
        };
        let html = fleet.render();
        assert!(html.contains("<td data-col=\"kiosk\">K&lt;1&gt;</td>"));
        assert!(html.contains("paper_out"));
        assert!(html.contains("<td data-col=\"unsent\">7</td>"));
        assert!(html.contains("<td data-col=\"oldest\">3 min</td>"));
        assert!(html.contains("09:59:40") && html.contains("20 s"));
        assert!(html.contains("<td data-col=\"conflicts\">2</td>"));
        assert_eq!(html.matches(" class=\"warn\">").count(), 2);
        assert!(html.contains("No valid catalog"));
    }
}
