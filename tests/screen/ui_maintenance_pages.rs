//! The menu's services, today, kiosk, printer and sync pages on the real app (real SQLite file,
//! pty printer simulator, iced's simulator): a service closed for today shows its notice and
//! gives no number until it is reopened with one tap; a ticket found by its number is reprinted
//! and voided with a checked note; the PIN is changed; the ticket preview, the catalog's
//! reload, the recent log lines and the restart.

use crate::common;

use std::time::Duration;

use chrono::TimeDelta;

use crate::support::menu_rig::{MONDAY_MORNING, PIN, Rig};
use mpp_core::numbering::Lane;
use mpp_core::ticket::TicketStatus;
use mpp_kiosk::ui::app::Message;
use mpp_kiosk::ui::screen::maintenance::{self as menu, services::Choice};
use mpp_kiosk::ui::screen::{agencies, detail, services};
use mpp_station::store::Store;

/// What a visitor reads on Dukcapil's family card service when its officer is away.
const OFFICER_AWAY: &str = "Petugas layanan ini tidak hadir hari ini";

fn tickets_today(rig: &Rig) -> Vec<mpp_core::ticket::Ticket> {
    let store = Store::open(&rig.database).expect("store");
    store
        .tickets_on("2026-11-23".parse().expect("day"))
        .expect("tickets")
}

#[test]
fn a_service_closed_for_today_shows_its_notice_gives_no_number_and_reopens_with_one_tap() {
    let mut rig = Rig::new();
    rig.open_menu_at("Layanan");
    assert!(rig.says("Tidak ada layanan yang ditutup petugas hari ini."));
    rig.touch("Dukcapil");
    rig.send(Message::Maintenance(menu::Message::Services(
        Choice::Close("DKC-KK".into()),
    )));
    rig.touch("Petugas tidak hadir");
    assert_eq!(rig.audited("service_close"), ["done"]);
    assert!(rig.says("ditutup hari ini: Petugas layanan ini tidak hadir hari ini"));
    rig.touch("‹ Kembali");
    assert!(rig.says("Dukcapil (1 ditutup)"), "{:?}", rig.texts());
    rig.touch("Tutup menu");

    // The visitor reads the notice on the service's page, and asking anyway gives nothing.
    rig.send(Message::Welcome(
        mpp_kiosk::ui::screen::welcome::Message::Start,
    ));
    rig.send(Message::Agencies(agencies::Message::Open(
        "DUKCAPIL".into(),
    )));
    assert!(
        rig.says(OFFICER_AWAY),
        "on the services list: {:?}",
        rig.texts()
    );
    rig.send(Message::Services(services::Message::Open("DKC-KK".into())));
    assert!(rig.says(OFFICER_AWAY), "{:?}", rig.texts());
    rig.send(Message::Detail(detail::Message::Take(
        mpp_core::numbering::Lane::Regular,
    )));
    assert_ne!(rig.screen(), "done");
    assert!(tickets_today(&rig).is_empty(), "no number was given");
    assert!(
        rig.sim
            .wait_for_jobs(1, Duration::from_millis(300))
            .is_empty(),
        "nothing printed"
    );

    // Closed it stays across a restart, for the rest of the day.
    let folder = rig.folder;
    let mut rig = Rig::reopen(folder, MONDAY_MORNING, TimeDelta::hours(2));
    rig.open_menu_at("Layanan");
    rig.touch("Layanan yang ditutup hari ini (1)");
    assert!(rig.says("Ditutup petugas hari ini:"));
    rig.touch("Buka lagi");
    assert_eq!(rig.audited("service_reopen"), ["done"]);
    rig.touch("‹ Kembali");
    assert!(rig.says("Tidak ada layanan yang ditutup petugas hari ini."));
    rig.touch("Tutup menu");
    rig.take_number("DUKCAPIL", "DKC-KK");
    assert_eq!(tickets_today(&rig).len(), 1, "open again");
}

#[test]
fn a_service_closed_over_ssh_reaches_a_browsing_visitor_within_seconds() {
    let mut rig = Rig::new();
    rig.send(Message::Welcome(
        mpp_kiosk::ui::screen::welcome::Message::Start,
    ));
    rig.send(Message::Agencies(agencies::Message::Open(
        "DUKCAPIL".into(),
    )));
    assert!(!rig.says(OFFICER_AWAY));
    // `mpp-kiosk service close` does this, on the same database, while the screen runs.
    let mut store = Store::open(&rig.database).expect("store");
    let monday = "2026-11-23".parse().expect("day");
    let now = common::instant(MONDAY_MORNING);
    let notice = mpp_core::staff_closure::StaffNotice::OfficerAway;
    store
        .close_service(monday, &"DKC-KK".into(), notice, now)
        .expect("closed");
    let start = iced::time::Instant::now();
    rig.send(Message::Tick(start + Duration::from_secs(5)));
    assert!(!rig.says(OFFICER_AWAY), "not read again yet");
    rig.send(Message::Tick(start + Duration::from_secs(11)));
    assert_eq!(rig.screen(), "services");
    assert!(rig.says(OFFICER_AWAY), "{:?}", rig.texts());
    // Its page says so too, and gives no number.
    rig.send(Message::Services(services::Message::Open("DKC-KK".into())));
    assert!(rig.says(OFFICER_AWAY), "{:?}", rig.texts());
    rig.send(Message::Detail(detail::Message::Take(Lane::Regular)));
    assert_ne!(rig.screen(), "done");
}

#[test]
fn a_closure_lasts_only_for_its_business_day() {
    let mut rig = Rig::new();
    rig.open_menu_at("Layanan");
    rig.send(Message::Maintenance(menu::Message::Services(
        Choice::Agency("DUKCAPIL".into()),
    )));
    rig.send(Message::Maintenance(menu::Message::Services(
        Choice::Close("DKC-KK".into()),
    )));
    rig.touch("Sistem instansi gangguan");
    let folder = rig.folder;
    // Tuesday morning: open as its schedule says.
    let mut rig = Rig::reopen(folder, MONDAY_MORNING, TimeDelta::days(1));
    rig.take_number("DUKCAPIL", "DKC-KK");
    let store = Store::open(&rig.database).expect("store");
    let tuesday = store
        .tickets_on("2026-11-24".parse().expect("day"))
        .expect("tickets");
    assert_eq!(tuesday.len(), 1);
}

#[test]
fn a_ticket_found_by_its_number_is_reprinted_and_voided_with_a_checked_note() {
    let mut rig = Rig::new();
    for _ in 0..3 {
        rig.take_number("DUKCAPIL", "DKC-KK");
    }
    assert_eq!(rig.sim.wait_for_jobs(3, Duration::from_secs(5)).len(), 3);
    rig.open_menu_at("Hari ini");
    assert!(rig.says("Nomor terakhir: DKC-003"), "{:?}", rig.texts());
    // The day's figures by the names visitors read, not the catalog's codes.
    let figures = "Kartu Keluarga baru atau perubahan: 3 diambil, 3 tercetak";
    assert!(
        rig.says(figures) && rig.says("Dukcapil"),
        "{:?}",
        rig.texts()
    );
    assert!(!rig.says("DKC-KK"), "{:?}", rig.texts());

    // Not there: said so, with the number as typed.
    rig.touch("Cari nomor lain");
    for key in ["D", "K", "C", "9"] {
        rig.touch(key);
    }
    rig.touch("Cari");
    assert!(
        rig.says("Tidak ada nomor DKC9 hari ini."),
        "{:?}",
        rig.texts()
    );
    rig.touch("⌫");
    rig.touch("2");
    rig.touch("Cari");
    assert!(
        rig.says("Nomor DKC-002, pukul 09:30 (tercetak)"),
        "{:?}",
        rig.texts()
    );

    rig.touch("Cetak ulang nomor ini");
    let jobs = rig.sim.wait_for_jobs(4, Duration::from_secs(5));
    assert!(jobs[3].text().contains("DKC-002"), "{}", jobs[3].text());

    // A note holding a phone number is refused and nothing is voided.
    rig.touch("Batalkan nomor ini…");
    rig.touch("Salah layanan");
    rig.touch("Tambah catatan…");
    for key in "0812 3456 7890".chars() {
        let label = if key == ' ' {
            "spasi".to_owned()
        } else {
            key.to_string()
        };
        rig.touch(&label);
    }
    rig.touch("Batalkan");
    assert!(rig.says("tampak berisi nomor telepon"), "{:?}", rig.texts());
    let status = |rig: &Rig, number: &str| {
        tickets_today(rig)
            .into_iter()
            .find(|ticket| ticket.number == number)
            .map(|ticket| ticket.status)
    };
    assert_eq!(status(&rig, "DKC-002"), Some(TicketStatus::Reprinted));

    // The note rewritten: voided, with the reason and the note.
    for _ in 0.."0812 3456 7890".len() {
        rig.touch("⌫ Hapus");
    }
    for key in "loket".chars() {
        rig.touch(&key.to_string());
    }
    rig.touch("Batalkan");
    assert_eq!(status(&rig, "DKC-002"), Some(TicketStatus::Voided));
    assert_eq!(
        status(&rig, "DKC-003"),
        Some(TicketStatus::Printed),
        "the last one untouched"
    );
    let why = "technician: taken for the wrong service; note: loket";
    assert_eq!(rig.audited("ticket_void"), [why]);
    let store = Store::open(&rig.database).expect("store");
    let ticket = store.find_ticket("DKC-002").expect("ticket");
    let history = store.ticket_history(ticket.id.as_str()).expect("history");
    assert_eq!(history.last().and_then(|e| e.reason.as_deref()), Some(why));
    assert!(
        rig.says("Nomor DKC-002, pukul 09:30 (dibatalkan)"),
        "{:?}",
        rig.texts()
    );
    rig.touch("Kembali ke nomor terakhir");
    assert!(rig.says("Nomor terakhir: DKC-003"));
}

#[test]
fn the_pin_is_changed_from_the_menu_and_only_the_new_one_opens_it() {
    let mut rig = Rig::new();
    rig.open_menu_at("Kios ini");
    rig.touch("Ganti PIN");
    for digit in "1234".chars() {
        rig.touch(&digit.to_string());
    }
    rig.touch("Lanjut");
    assert!(rig.says("consecutive digits"), "refused: {:?}", rig.texts());
    for round in 0..2 {
        for digit in "271828".chars() {
            rig.touch(&digit.to_string());
        }
        rig.touch("Lanjut");
        if round == 0 {
            assert!(rig.says("Ketik PIN baru sekali lagi:"));
        }
    }
    assert_eq!(
        rig.audited("maintenance_pin_set"),
        ["done", "done"],
        "set-up and menu"
    );
    assert!(!rig.says("Ketik PIN baru"), "the pad closed");
    rig.touch("Tutup menu");
    rig.gesture();
    rig.enter(PIN);
    assert_eq!(rig.screen(), "pin pad", "the old PIN no longer opens it");
    rig.touch("Batal");
    rig.gesture();
    rig.enter("271828");
    assert_eq!(rig.screen(), "maintenance");
}

#[test]
fn the_printer_page_previews_the_ticket_and_the_sync_page_reloads_the_catalog() {
    let mut rig = Rig::new();
    rig.open_menu_at("Printer tiket");
    rig.touch("Pratinjau tiket");
    assert!(
        rig.says("Seperti ini tiket akan tercetak"),
        "{:?}",
        rig.texts()
    );
    assert!(
        rig.sim
            .wait_for_jobs(1, Duration::from_millis(300))
            .is_empty(),
        "a preview prints nothing"
    );
    rig.touch("Sinkronisasi");
    rig.touch("Muat ulang katalog layanan");
    let reloaded = rig.audited("catalog_reload");
    assert_eq!(reloaded.len(), 1);
    assert!(reloaded[0].starts_with("version "), "{reloaded:?}");
    assert!(rig.says("Selesai."));
}

#[test]
fn the_kiosk_page_shows_recent_log_lines_and_restart_asks_the_program_to_start_again() {
    crate::support::logs::install();
    let mut rig = Rig::new();
    rig.open_menu_at("Kios ini");
    assert!(rig.says("Catatan log terakhir:"));
    let line =
        "WARN screen::ui_maintenance_pages: the paper roll is nearly used up state=paper_near_end";
    // The other tests of this file log into the same ring at the same time: a few tries, each
    // with the line just logged and the page read again, keep them from pushing it out.
    let shown = (0..5).any(|_| {
        tracing::warn!(state = "paper_near_end", "the paper roll is nearly used up");
        rig.touch("Kios ini");
        rig.says(line)
    });
    assert!(shown, "{:?}", rig.texts());
    assert!(!rig.says(PIN), "no PIN among the lines");
    assert!(!rig.kiosk.restart_requested());
    rig.touch("Mulai ulang aplikasi");
    assert!(rig.kiosk.restart_requested());
    assert_eq!(rig.audited("kiosk_restart"), ["done"]);
}
