//! Speech mode through the real app: keypad keys (by name, as the keyboard subscription gives
//! them) drive the real screens' messages from the start screen to a printed ticket, and every
//! screen that appears is announced. What is said is checked as text (the voice renders it on
//! its own thread; without espeak-ng or a sound card it stays silent, never fails).

use crate::support;

use std::time::Duration;

use iced::Task;
use iced::time::Instant;

use crate::common::{instant, small_catalog};
use mpp_core::ticket::TicketStatus;
use mpp_kiosk::ui::app::{Kiosk, Message, Settings};
use mpp_station::config::SpeechSection;
use mpp_station::store::Store;
use mpp_testkit::printer_sim::PrinterSim;

const MONDAY_MORNING: &str = "2026-11-23T09:30:00+07:00";
const MONDAY_EVENING: &str = "2026-11-23T20:00:00+07:00";

struct Rig {
    kiosk: Kiosk,
    sim: PrinterSim,
    runtime: tokio::runtime::Runtime,
    database: std::path::PathBuf,
    _folder: tempfile::TempDir,
}

impl Rig {
    /// The kiosk with speech mode on, its sound going to ALSA's null device.
    fn new(at: &str) -> Rig {
        let folder = tempfile::tempdir().expect("temp dir");
        let database = folder.path().join("kiosk.db");
        let store = Store::open(&database).expect("store");
        let (sim, printer) = support::printer_on_sim(folder.path());
        let settings = Settings {
            speech: Some(SpeechSection {
                device: "null".into(),
                ..SpeechSection::default()
            }),
            ..support::kiosk_settings()
        };
        let (kiosk, boot) =
            support::kiosk_with(store, printer, instant(at), small_catalog(), settings);
        let mut rig = Rig {
            kiosk,
            sim,
            runtime: support::runtime(),
            database,
            _folder: folder,
        };
        rig.run(boot);
        rig
    }

    fn run(&mut self, task: Task<Message>) {
        support::run(&mut self.kiosk, &self.runtime, task);
    }

    /// Presses `key` and returns what was said because of it.
    fn press(&mut self, key: &str) -> String {
        let before = self.kiosk.speech_said().len();
        support::send(
            &mut self.kiosk,
            &self.runtime,
            Message::SpeechKey(key.into()),
        );
        self.kiosk.speech_said()[before..].join(" | ")
    }

    fn screen(&self) -> &'static str {
        self.kiosk.screen().name()
    }

    fn last_said(&self) -> String {
        self.kiosk.speech_said().last().cloned().unwrap_or_default()
    }

    fn tickets(&self) -> Vec<mpp_core::ticket::Ticket> {
        Store::open(&self.database)
            .expect("store")
            .tickets_on("2026-11-23".parse().expect("day"))
            .expect("tickets")
    }
}

#[test]
fn a_keypad_alone_takes_a_visitor_from_the_start_to_a_printed_ticket_spoken_back() {
    let mut rig = Rig::new(MONDAY_MORNING);
    assert!(rig.kiosk.speech_said().is_empty(), "silent until a key");
    let said = rig.press("5");
    assert!(rig.kiosk.speech_active());
    assert!(
        said.starts_with("Mode suara aktif. Selamat datang di Mal Pelayanan Publik"),
        "{said}"
    );
    assert!(
        said.ends_with("satu dari tiga, Ambil nomor antrean"),
        "{said}"
    );
    assert_eq!(
        rig.screen(),
        "welcome",
        "the starting key does nothing else"
    );

    let said = rig.press("Enter");
    assert_eq!(rig.screen(), "agencies");
    assert!(
        said.starts_with("Pilih instansi. Ada tiga instansi"),
        "{said}"
    );
    assert!(said.ends_with("satu dari tiga, Dukcapil, Dinas Kependudukan dan Pencatatan Sipil"));
    assert_eq!(
        rig.press("1"),
        "Huruf P, dua dari tiga, Polres, Kepolisian Resor"
    );
    assert_eq!(rig.press("1"), "Huruf S, tiga dari tiga, Samsat");
    assert_eq!(rig.press("2"), "Akhir daftar.");
    assert_eq!(
        rig.press("3"),
        "tiga dari tiga, Samsat",
        "a page jump stops at the last"
    );
    assert_eq!(
        rig.press("7"),
        "Huruf P, dua dari tiga, Polres, Kepolisian Resor"
    );
    assert!(rig.press("8").starts_with("satu dari tiga, Dukcapil"));

    let said = rig.press("Enter");
    assert_eq!(rig.screen(), "services");
    assert!(
        said.starts_with("Dukcapil. Pilih layanan. Ada dua layanan."),
        "{said}"
    );
    assert!(said.ends_with("satu dari dua, Kartu Keluarga baru atau perubahan"));

    let said = rig.press("Enter");
    assert_eq!(rig.screen(), "detail");
    assert!(
        said.starts_with("Kartu Keluarga baru atau perubahan. Buka."),
        "{said}"
    );
    assert!(said.contains("Biaya: Gratis."), "{said}");
    assert!(
        said.ends_with("satu dari empat, Ambil nomor antrean biasa"),
        "{said}"
    );
    assert!(
        rig.press("2")
            .starts_with("dua dari empat, Ambil nomor prioritas")
    );
    let said = rig.press("2");
    assert_eq!(said, "tiga dari empat, Dengarkan persyaratan");
    let said = rig.press("Enter");
    assert!(said.starts_with("Persyaratan, "), "{said}");
    assert!(said.contains("K T P el asli"), "{said}");
    assert_eq!(rig.screen(), "detail", "hearing the requirements stays");
    rig.press("8");
    rig.press("8");

    let said = rig.press("Enter");
    assert!(said.contains("Nomor Anda sedang dicetak."), "{said}");
    assert_eq!(rig.screen(), "done");
    let ticket = rig.last_said();
    assert!(
        ticket.starts_with(
            "Nomor antrean Anda: D K C satu, Untuk Kartu Keluarga baru atau perubahan. \
             Silakan menuju Loket satu sampai empat"
        ),
        "the ticket spoken back: {ticket}"
    );
    assert!(ticket.contains("Tiket keluar dari celah di bawah layar."));
    let jobs = rig.sim.wait_for_jobs(1, Duration::from_secs(3));
    assert!(jobs[0].complete && jobs[0].text().contains("DKC-001"));
    let tickets = rig.tickets();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].status, TicketStatus::Printed);
    assert_eq!(rig.press("5"), ticket, "repeat says the ticket again");

    let said = rig.press("Enter");
    assert_eq!(rig.screen(), "welcome");
    assert_eq!(said, "Terima kasih. Mode suara selesai.");
    assert!(!rig.kiosk.speech_active(), "the visit is over");
}

#[test]
fn help_volume_language_and_back_keep_the_visit_going() {
    let mut rig = Rig::new(MONDAY_MORNING);
    rig.press("5");
    assert_eq!(rig.press("+"), "Volume tujuh dari sepuluh,");
    assert_eq!(rig.press("-"), "Volume enam dari sepuluh,");
    assert_eq!(
        rig.press("2"),
        "dua dari tiga, Dengarkan dalam bahasa Inggris"
    );
    let said = rig.press("Enter");
    assert!(said.starts_with("Speech mode is on. Welcome to"), "{said}");
    assert!(rig.kiosk.speech_active());
    rig.press("Enter");
    assert_eq!(rig.screen(), "agencies");
    let help = rig.press("0");
    assert!(help.starts_with("Choose an agency."), "{help}");
    assert!(help.contains("Press two or eight to move"), "{help}");
    let said = rig.press("4");
    assert_eq!(rig.screen(), "welcome");
    assert!(
        rig.kiosk.speech_active(),
        "back to the start by the visitor's key"
    );
    assert!(
        said.starts_with("Mode suara aktif."),
        "the language is reset: {said}"
    );
}

#[test]
fn a_closed_service_offers_no_number_in_speech() {
    let mut rig = Rig::new(MONDAY_EVENING);
    rig.press("5");
    rig.press("Enter");
    rig.press("Enter");
    let said = rig.press("Enter");
    assert_eq!(rig.screen(), "detail");
    assert!(
        said.contains("Nomor tidak dapat diambil sekarang."),
        "{said}"
    );
    assert!(
        said.ends_with("satu dari dua, Dengarkan persyaratan"),
        "{said}"
    );
    rig.press("2");
    rig.press("Enter");
    assert_eq!(rig.screen(), "services", "the second choice goes back");
    assert!(rig.tickets().is_empty());
}

#[test]
fn an_idle_visit_is_warned_aloud_and_ends_speech_mode() {
    let mut rig = Rig::new(MONDAY_MORNING);
    rig.press("5");
    rig.press("Enter");
    assert_eq!(rig.screen(), "agencies");
    let start = Instant::now();
    // Idle 60 s on a touch; three times that in speech mode.
    support::send(
        &mut rig.kiosk,
        &rig.runtime,
        Message::Tick(start + Duration::from_secs(100)),
    );
    assert_eq!(rig.screen(), "agencies", "speech mode waits longer");
    support::send(
        &mut rig.kiosk,
        &rig.runtime,
        Message::Tick(start + Duration::from_secs(165)),
    );
    assert!(
        rig.last_said()
            .starts_with("Tidak ada tombol yang ditekan. Kios kembali ke awal dalam"),
        "{}",
        rig.last_said()
    );
    support::send(
        &mut rig.kiosk,
        &rig.runtime,
        Message::Tick(start + Duration::from_secs(190)),
    );
    assert_eq!(rig.screen(), "welcome");
    assert_eq!(rig.last_said(), "Terima kasih. Mode suara selesai.");
    assert!(!rig.kiosk.speech_active());
}

#[test]
fn the_menus_test_sound_fails_plainly_where_speech_mode_is_off() {
    use crate::support::menu_rig::Rig as MenuRig;
    let mut rig = MenuRig::new();
    rig.open_menu_at("Kios ini");
    rig.touch("Uji suara");
    assert!(
        rig.says("Tidak berhasil. Lihat log kios untuk rinciannya."),
        "no speech settings, no sound: {:?}",
        rig.texts()
    );
}

/// The keyboard's own path: a key pressed on the numeric keypad, as iced's runtime hands it to
/// the app's subscriptions, comes out as speech mode's key by name.
#[test]
fn a_numeric_keypad_key_reaches_speech_mode_through_the_subscription() {
    use iced::advanced::subscription::{Event as RuntimeEvent, into_recipes};
    use iced::keyboard::{self, Key, Location, Modifiers, key};
    use iced_test::futures::futures::{StreamExt, stream};

    let rig = Rig::new(MONDAY_MORNING);
    let press = |key: Key, location: Location| RuntimeEvent::Interaction {
        window: iced::window::Id::unique(),
        event: iced::Event::Keyboard(keyboard::Event::KeyPressed {
            key: key.clone(),
            modified_key: key,
            physical_key: key::Physical::Code(key::Code::Numpad5),
            location,
            modifiers: Modifiers::empty(),
            text: None,
            repeat: false,
        }),
        status: iced::event::Status::Ignored,
    };
    let events = vec![
        press(Key::Character("5".into()), Location::Numpad),
        press(Key::Named(key::Named::Enter), Location::Numpad),
    ];
    let _inside = rig.runtime.enter();
    let streams = into_recipes(rig.kiosk.subscription())
        .into_iter()
        .map(|recipe| recipe.stream(stream::iter(events.clone()).boxed()));
    let mut told = stream::select_all(streams);
    let keys = rig.runtime.block_on(async {
        let mut keys = Vec::new();
        while let Ok(Some(message)) =
            tokio::time::timeout(Duration::from_millis(300), told.next()).await
        {
            if let Message::SpeechKey(key) = message {
                keys.push(key);
            }
        }
        keys
    });
    assert_eq!(keys, ["5", "Enter"]);
}

#[test]
fn back_on_the_ticket_ends_the_visit_like_finish() {
    let mut rig = Rig::new(MONDAY_MORNING);
    for key in ["5", "Enter", "Enter", "Enter", "Enter"] {
        rig.press(key);
    }
    assert_eq!(rig.screen(), "done");
    assert_eq!(rig.press("4"), "Terima kasih. Mode suara selesai.");
    assert_eq!(rig.screen(), "welcome");
    assert!(!rig.kiosk.speech_active());
}
