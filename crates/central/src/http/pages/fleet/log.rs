//! The fleet page's technicians' log: each kiosk's latest audit entries, the kiosk's action
//! and outcome codes (`numbers_from_server`, `done`) said in words, Indonesian with English
//! after a slash. An action or outcome this server does not know (a newer kiosk's, or a
//! sentence the kiosk wrote itself) is shown as the kiosk sent it, escaped.

use maud::{Markup, html};

use crate::model::audit::KioskAudit;
use mpp_core::day::TimeZone;

/// The section (nothing when no kiosk has sent an entry).
pub fn section(fleet: &[KioskAudit], zone: TimeZone) -> Markup {
    html! {
        @if !fleet.is_empty() {
            h2 { "Log teknisi / Technicians' log" }
            @for kiosk in fleet {
                h3 { (kiosk.kiosk) }
                ul class="audit" {
                    @for entry in &kiosk.entries {
                        li {
                            (zone.local(entry.at).format("%Y-%m-%d %H:%M:%S")) " · "
                            strong { (said(action_words(&entry.action), &entry.action)) }
                            @if !entry.detail.is_empty() { " (" (entry.detail) ")" }
                            ": " (said(outcome_words(&entry.outcome), &entry.outcome))
                        }
                    }
                }
            }
        }
    }
}

/// `Indonesian / English` when known, else the kiosk's own text.
fn said(words: Option<(&str, &str)>, code: &str) -> String {
    match words {
        Some((indonesian, english)) => format!("{indonesian} / {english}"),
        None => code.to_owned(),
    }
}

/// What the technician or the kiosk did, for each action code kiosks write.
pub fn action_words(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "maintenance_pin" => ("Masuk menu teknisi (PIN)", "Technician's menu PIN"),
        "maintenance_pin_set" => ("PIN teknisi diganti", "Technician's PIN changed"),
        "maintenance_menu_closed" => ("Menu teknisi ditutup", "Technician's menu closed"),
        "printer_test_page" => ("Halaman uji printer", "Printer test page"),
        "printer_paper_loaded" => ("Kertas printer diisi", "Printer paper loaded"),
        "sync_now" => ("Sinkron sekarang", "Sync now"),
        "day_settle" | "day_settled" => ("Hari layanan ditetapkan", "Business day settled"),
        "day_returned" => (
            "Hari layanan kembali ke jam",
            "Business day back to the clock",
        ),
        "day_start_at" | "numbers_started" => (
            "Nomor dimulai oleh teknisi",
            "Numbers started by a technician",
        ),
        "numbers_from_server" => ("Nomor diambil dari server", "Numbers taken from the server"),
        "numbers_from_record" => (
            "Nomor diambil dari catatan",
            "Numbers taken from the record",
        ),
        "screen_cleaning" => ("Layar dibersihkan", "Screen cleaning"),
        "ticket_reprint" => ("Tiket dicetak ulang", "Ticket reprinted"),
        "ticket_void" => ("Tiket dibatalkan", "Ticket voided"),
        "service_close" => ("Layanan ditutup", "Service closed"),
        "service_reopen" => ("Layanan dibuka lagi", "Service reopened"),
        "catalog_reload" => ("Katalog dimuat ulang", "Catalog reloaded"),
        "kiosk_restart" => ("Aplikasi kios dimulai ulang", "Kiosk app restarted"),
        "kiosk_leave_full_screen" => ("Keluar dari layar penuh", "Left full screen"),
        "kiosk_quit" => ("Aplikasi kios ditutup", "Kiosk app quit"),
        _ => return None,
    })
}

/// How it ended, for the fixed outcomes kiosks write.
pub fn outcome_words(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "done" => ("selesai", "done"),
        "accepted" => ("PIN benar", "PIN accepted"),
        "wrong" => ("PIN salah", "wrong PIN"),
        "wrong, locked" => ("PIN salah, dikunci", "wrong PIN, locked"),
        "refused, locked" => ("ditolak, masih dikunci", "refused, still locked"),
        "refused, no PIN set" => ("ditolak, PIN belum diatur", "refused, no PIN set"),
        "was not closed" => ("memang tidak ditutup", "was not closed"),
        "closed by the technician" => ("ditutup teknisi", "closed by the technician"),
        "closed itself: no touch for the timeout" => (
            "tertutup sendiri: tidak disentuh",
            "closed itself: no touch for the timeout",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use mpp_core::protocol::AuditRecord;

    fn entry(action: &str, detail: &str, outcome: &str) -> AuditRecord {
        AuditRecord {
            id: 1,
            at: DateTime::from_timestamp(1_790_000_000, 0).expect("instant"),
            action: action.into(),
            detail: detail.into(),
            outcome: outcome.into(),
        }
    }

    #[test]
    fn known_codes_are_said_in_words_and_unknown_text_is_kept_escaped() {
        let fleet = [KioskAudit {
            kiosk: "K1".into(),
            entries: vec![
                entry("numbers_from_server", "2026-11-23: 2 queue(s)", "done"),
                entry("maintenance_pin", "", "wrong, locked"),
                entry("<b>new_action</b>", "", "round done; 3 unsent"),
            ],
        }];
        let html = section(&fleet, TimeZone::JAKARTA).into_string();
        assert!(
            html.contains("Nomor diambil dari server / Numbers taken from the server"),
            "{html}"
        );
        assert!(
            html.contains("(2026-11-23: 2 queue(s)): selesai / done"),
            "{html}"
        );
        assert!(
            html.contains("PIN salah, dikunci / wrong PIN, locked"),
            "{html}"
        );
        assert!(!html.contains("numbers_from_server") && !html.contains("maintenance_pin"));
        assert!(html.contains("&lt;b&gt;new_action&lt;/b&gt;"), "{html}");
        assert!(html.contains("round done; 3 unsent"), "{html}");
        assert!(section(&[], TimeZone::JAKARTA).into_string().is_empty());
    }

    #[test]
    fn every_action_the_kiosk_writes_has_words() {
        // The kiosk's action codes (src/ui/screen/maintenance/request.rs and the store's).
        let written = [
            "maintenance_pin",
            "maintenance_pin_set",
            "maintenance_menu_closed",
            "printer_test_page",
            "printer_paper_loaded",
            "sync_now",
            "day_settle",
            "day_settled",
            "day_returned",
            "day_start_at",
            "numbers_started",
            "numbers_from_server",
            "numbers_from_record",
            "screen_cleaning",
            "ticket_reprint",
            "ticket_void",
            "service_close",
            "service_reopen",
            "catalog_reload",
            "kiosk_restart",
            "kiosk_leave_full_screen",
            "kiosk_quit",
        ];
        for code in written {
            let (indonesian, english) = action_words(code).expect(code);
            assert!(
                !indonesian.contains('_') && !english.contains('_'),
                "{code}"
            );
        }
        assert_eq!(action_words("something_new"), None);
    }
}
