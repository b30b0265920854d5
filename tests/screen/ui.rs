//! The real screen, driven headlessly: iced's simulator taps the real views, every message goes
//! through the real `update`, and the resulting tasks run on a real runtime against a real
//! SQLite file and the pty printer simulator.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use iced::Task;
use iced::time::Instant;
use iced_test::Simulator;
use iced_test::selector::{Candidate, Selector};

use crate::common::{instant, issue_as_k1, small_catalog};
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::strings::Text;
use mpp_core::ticket::TicketStatus;
use mpp_core::wait::Pace;
use mpp_kiosk::ui::app::{self, Kiosk, Message, Settings};
use mpp_station::store::Store;
use mpp_testkit::printer_sim::{Condition, PrinterSim};

const MONDAY_MORNING: &str = "2026-11-23T09:30:00+07:00";
const MONDAY_EVENING: &str = "2026-11-23T20:00:00+07:00";
const SCREEN: (f32, f32) = (1280.0, 800.0);

struct Rig {
    kiosk: Kiosk,
    sim: PrinterSim,
    runtime: tokio::runtime::Runtime,
    database: std::path::PathBuf,
    _folder: tempfile::TempDir,
}

impl Rig {
    fn new(at: &str) -> Self {
        Self::prepared(at, |_| {})
    }

    /// A kiosk whose database was given some tickets by `prepare` before the screen started.
    fn prepared(at: &str, prepare: impl FnOnce(&mut Store)) -> Self {
        Self::prepared_with(at, support::kiosk_settings(), prepare)
    }

    /// Like [`Rig::prepared`], with `settings`.
    fn prepared_with(at: &str, settings: Settings, prepare: impl FnOnce(&mut Store)) -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let database = folder.path().join("kiosk.db");
        let mut store = Store::open(&database).expect("store");
        prepare(&mut store);
        let (sim, printer) = support::printer_on_sim(folder.path());
        let catalog = small_catalog();
        let (kiosk, boot) = support::kiosk_with(store, printer, instant(at), catalog, settings);
        let runtime = support::runtime();
        let mut rig = Self {
            kiosk,
            sim,
            runtime,
            database,
            _folder: folder,
        };
        rig.run(boot);
        rig
    }

    /// Runs a task to completion, feeding every message it produces back into `update`.
    fn run(&mut self, task: Task<Message>) {
        support::run(&mut self.kiosk, &self.runtime, task);
    }

    /// Lets the app hear what its subscriptions say (the printer's state, a new catalog).
    fn follow_subscriptions(&mut self) {
        support::follow(&mut self.kiosk, &self.runtime, Duration::from_millis(50));
    }

    fn send(&mut self, message: Message) {
        support::send(&mut self.kiosk, &self.runtime, message);
    }

    fn simulator(&self) -> Simulator<'_, Message> {
        Simulator::with_size(
            support::simulator_settings(),
            SCREEN,
            app::view(&self.kiosk),
        )
    }

    /// Clicks the text on screen and returns the messages the click produced.
    fn messages_of_click(&self, label: &str) -> Vec<Message> {
        let mut ui = self.simulator();
        ui.click(label)
            .unwrap_or_else(|error| panic!("cannot click {label:?}: {error:?}"));
        ui.into_messages().collect()
    }

    fn click(&mut self, label: &str) {
        for message in self.messages_of_click(label) {
            self.send(message);
        }
    }

    /// Taps with a finger only: no mouse events at all.
    fn touch(&mut self, label: &str) {
        for message in support::finger_tap(self.simulator(), label) {
            self.send(message);
        }
    }

    /// Every text on screen.
    fn texts(&self) -> Vec<String> {
        let found = Arc::new(Mutex::new(Vec::new()));
        let mut ui = self.simulator();
        let _ = ui.find(AllTexts(found.clone()));
        found.lock().expect("texts").clone()
    }

    fn shows(&self, label: &str) -> bool {
        self.texts().iter().any(|text| text.contains(label))
    }

    fn screen(&self) -> &'static str {
        self.kiosk.screen().name()
    }

    fn tickets(&self) -> Vec<mpp_core::ticket::Ticket> {
        Store::open(&self.database)
            .expect("store")
            .tickets_on("2026-11-23".parse().expect("day"))
            .expect("tickets")
    }

    fn walk_to_detail(&mut self, agency: &str, service: &str) {
        self.click("Sentuh layar untuk mengambil nomor antrean");
        assert_eq!(self.screen(), "agencies");
        self.click(agency);
        assert_eq!(self.screen(), "services");
        self.click(service);
        assert_eq!(self.screen(), "detail");
    }
}

/// Collects every text in the widget tree (and never stops early).
struct AllTexts(Arc<Mutex<Vec<String>>>);

impl Selector for AllTexts {
    type Output = ();

    fn select(&mut self, candidate: Candidate<'_>) -> Option<()> {
        if let Candidate::Text { content, .. } = candidate {
            self.0.lock().expect("texts").push(content.to_owned());
        }
        None
    }

    fn description(&self) -> String {
        "all texts".into()
    }
}

const KK: &str = "Kartu Keluarga baru atau perubahan";

#[test]
fn a_tap_through_the_screens_prints_the_number_shown() {
    let mut rig = Rig::new(MONDAY_MORNING);
    rig.walk_to_detail("Dukcapil", KK);
    assert!(
        rig.shows("KTP-el asli"),
        "requirements are shown before a number is taken"
    );
    assert!(rig.shows("Gratis"), "the fee is said plainly");
    rig.click("Ambil nomor");
    assert_eq!(rig.screen(), "done");
    assert!(rig.shows("DKC-001"));
    assert!(rig.shows("Loket 1–4"));
    assert!(
        rig.shows("Kembali ke awal dalam 20 detik."),
        "the done screen says when it leaves: {:?}",
        rig.texts()
    );
    let jobs = rig.sim.wait_for_jobs(1, Duration::from_secs(3));
    assert_eq!(jobs.len(), 1);
    assert!(jobs[0].complete && jobs[0].text().contains("DKC-001"));
    let tickets = rig.tickets();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].status, TicketStatus::Printed);
    assert_eq!(jobs[0].qr_codes, [tickets[0].qr_payload.clone()]);
    rig.click("Selesai");
    assert_eq!(rig.screen(), "welcome");
}

#[test]
fn an_english_visitor_gets_an_english_ticket() {
    let mut rig = Rig::new(MONDAY_MORNING);
    rig.click("English");
    rig.click("Touch the screen to take a queue number");
    rig.click("Dukcapil");
    rig.click("New or amended Family Card");
    rig.click("Take a number");
    assert_eq!(rig.screen(), "done");
    let jobs = rig.sim.wait_for_jobs(1, Duration::from_secs(3));
    let paper = jobs[0].text();
    assert!(
        paper.contains("YOUR QUEUE NUMBER") && paper.contains("DKC-001"),
        "{paper}"
    );
    assert!(paper.contains("Fee: Free"), "{paper}");
    assert!(!paper.contains("NOMOR ANTREAN ANDA"), "{paper}");
    // The next visitor starts in Indonesian, and so does their paper.
    rig.click("Done");
    rig.walk_to_detail("Dukcapil", KK);
    rig.click("Ambil nomor");
    // The same service a moment ago at this kiosk: asked first, in the new visitor's language.
    rig.click("Ya, ambil nomor");
    let jobs = rig.sim.wait_for_jobs(2, Duration::from_secs(3));
    let paper = jobs[1].text();
    assert!(
        paper.contains("NOMOR ANTREAN ANDA") && paper.contains("Biaya: Gratis"),
        "{paper}"
    );
}

#[test]
fn touch_events_alone_take_a_number() {
    let mut rig = Rig::new(MONDAY_MORNING);
    rig.touch("Sentuh layar untuk mengambil nomor antrean");
    rig.touch("Samsat");
    rig.touch("Pembayaran pajak kendaraan tahunan");
    rig.touch("Nomor prioritas");
    assert_eq!(rig.screen(), "done");
    assert!(rig.shows("SAM-P001"));
    assert_eq!(rig.sim.wait_for_jobs(1, Duration::from_secs(3)).len(), 1);
}

#[test]
fn a_double_tap_gives_one_ticket() {
    let mut rig = Rig::new(MONDAY_MORNING);
    rig.walk_to_detail("Dukcapil", KK);
    let first = rig.messages_of_click("Ambil nomor");
    let second = rig.messages_of_click("Ambil nomor");
    // Both taps arrive before the store has answered the first.
    let tasks: Vec<_> = first
        .into_iter()
        .chain(second)
        .map(|message| rig.kiosk.update(message))
        .collect();
    for task in tasks {
        rig.run(task);
    }
    // More impatient taps on the done screen change nothing either.
    rig.send(Message::Detail(
        mpp_kiosk::ui::screen::detail::Message::Take(Lane::Regular),
    ));
    assert_eq!(rig.tickets().len(), 1);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(rig.sim.jobs().len(), 1);
    assert_eq!(rig.screen(), "done");
}

#[test]
fn a_closed_service_offers_no_number() {
    let mut rig = Rig::new(MONDAY_EVENING);
    rig.walk_to_detail("Dukcapil", KK);
    assert!(rig.shows("Pengambilan nomor hari ini sudah ditutup"));
    assert!(
        rig.messages_of_click("Ambil nomor").is_empty(),
        "the button is disabled"
    );
    // Even if a tap slipped through, the store refuses and the visitor is told when to return.
    rig.send(Message::Detail(
        mpp_kiosk::ui::screen::detail::Message::Take(Lane::Regular),
    ));
    assert_eq!(rig.screen(), "problem");
    assert!(rig.shows("Selasa, 24 November 2026 pukul 08:00"));
    assert!(rig.tickets().is_empty());
}

#[test]
fn a_full_quota_offers_no_number() {
    let mut rig = Rig::prepared(MONDAY_MORNING, |store| {
        for _ in 0..2 {
            issue_as_k1(store, "POL-SKCK", Lane::Regular, instant(MONDAY_MORNING)).expect("issued");
        }
    });
    rig.walk_to_detail("Polres", "Surat Keterangan Catatan Kepolisian (SKCK) baru");
    assert!(rig.shows("Kuota hari ini sudah habis"), "{:?}", rig.texts());
    assert!(rig.messages_of_click("Ambil nomor").is_empty());
    assert_eq!(rig.tickets().len(), 2);
}

#[test]
fn paper_out_shows_the_number_on_screen_and_prints_nothing() {
    let mut rig = Rig::new(MONDAY_MORNING);
    rig.sim.set(Condition::PaperOut);
    let began = std::time::Instant::now();
    while rig.kiosk.context().printer != PrinterState::PaperOut {
        rig.follow_subscriptions();
        assert!(
            began.elapsed() < Duration::from_secs(4),
            "the screen never heard of the paper"
        );
    }
    assert!(
        rig.shows("Printer sedang bermasalah"),
        "the welcome screen warns"
    );
    rig.walk_to_detail("Dukcapil", KK);
    rig.click("Ambil nomor");
    assert_eq!(rig.screen(), "problem");
    assert!(rig.shows("DKC-001"), "the number is on screen");
    assert!(rig.shows("Kertas printer habis"));
    assert!(rig.shows("Tunjukkan nomor ini kepada petugas"));
    assert!(
        rig.sim
            .wait_for_jobs(1, Duration::from_millis(300))
            .is_empty()
    );
    assert_eq!(rig.tickets()[0].status, TicketStatus::PrintFailed);
}

#[test]
fn an_idle_screen_counts_down_and_returns_to_the_start() {
    let mut rig = Rig::new(MONDAY_MORNING);
    rig.click("English");
    rig.click("Touch the screen to take a queue number");
    assert_eq!(rig.screen(), "agencies");
    let shown = Instant::now();
    rig.send(Message::Tick(shown + Duration::from_secs(30)));
    assert_eq!(rig.screen(), "agencies");
    assert!(!rig.shows("Returning to the start"));
    rig.send(Message::Tick(shown + Duration::from_secs(55)));
    assert!(
        rig.shows("Returning to the start in 5 seconds"),
        "{:?}",
        rig.texts()
    );
    rig.send(Message::Tick(shown + Duration::from_secs(61)));
    assert_eq!(rig.screen(), "welcome");
    assert_eq!(
        rig.kiosk.language(),
        Language::Indonesian,
        "the next visitor starts in Indonesian"
    );
}

#[test]
fn a_touch_restarts_the_idle_timer() {
    let mut rig = Rig::new(MONDAY_MORNING);
    rig.click("Sentuh layar untuk mengambil nomor antrean");
    let shown = Instant::now();
    rig.send(Message::Tick(shown + Duration::from_secs(50)));
    rig.send(Message::Touched);
    rig.send(Message::Tick(shown + Duration::from_secs(100)));
    assert_eq!(rig.screen(), "agencies");
    rig.send(Message::Tick(shown + Duration::from_secs(111)));
    assert_eq!(rig.screen(), "welcome");
}

#[test]
fn switching_language_changes_every_visible_sentence() {
    let screens = |rig: &mut Rig, start: &str, agency: &str, service: &str| {
        let mut seen = vec![rig.texts()];
        rig.click(start);
        seen.push(rig.texts());
        rig.click(agency);
        seen.push(rig.texts());
        rig.click(service);
        seen.push(rig.texts());
        seen
    };
    let mut indonesian = Rig::new(MONDAY_MORNING);
    let id = screens(
        &mut indonesian,
        "Sentuh layar untuk mengambil nomor antrean",
        "Dukcapil",
        KK,
    );
    let mut english = Rig::new(MONDAY_MORNING);
    english.click("English");
    let en = screens(
        &mut english,
        "Touch the screen to take a queue number",
        "Dukcapil",
        "New or amended Family Card",
    );
    let catalog_texts = catalog_strings();
    let without_catalog = |texts: &Vec<String>| {
        let mut joined = texts.join("\n");
        for text in &catalog_texts {
            joined = joined.replace(text.as_str(), "¤");
        }
        joined
    };
    for (screen, (id, en)) in id.iter().zip(&en).enumerate() {
        let id = without_catalog(id);
        let en = without_catalog(en);
        let found: Vec<Text> = Text::ALL
            .iter()
            .copied()
            .filter(|text| shows_sentence(&id, text.get(Language::Indonesian)))
            .collect();
        for text in &found {
            let indonesian = text.get(Language::Indonesian);
            // A word that is only part of a longer sentence on screen is checked with that sentence.
            let inside_longer = found.iter().any(|other| {
                other != text && contains_words(other.get(Language::Indonesian), indonesian)
            });
            if inside_longer {
                continue;
            }
            assert!(
                shows_sentence(&en, text.get(Language::English)),
                "screen {screen}: {text:?} not in English:\n{en}"
            );
            assert!(
                !shows_sentence(&en, indonesian),
                "screen {screen}: {text:?} still in Indonesian:\n{en}"
            );
        }
        assert!(
            found.len() >= 2,
            "screen {screen} shows too few known sentences to judge"
        );
    }
    assert!(
        en[3].iter().any(|text| text.contains("Original e-ID card")),
        "catalog text follows too"
    );
}

/// Whether a sentence (with its `{name}`s filled in with anything) is on screen: each of its
/// fixed parts appears there as whole words.
fn shows_sentence(screen: &str, sentence: &str) -> bool {
    let mut fixed = Vec::new();
    let mut rest = sentence;
    while let Some((before, after)) = rest.split_once('{') {
        fixed.push(before);
        rest = after.split_once('}').map_or("", |(_, after)| after);
    }
    fixed.push(rest);
    fixed
        .into_iter()
        .map(str::trim)
        .filter(|part| part.chars().any(char::is_alphabetic))
        .all(|part| contains_words(screen, part))
}

/// Whether `needle` occurs in `haystack` as whole words (so "layanan" is not found in "Pelayanan").
fn contains_words(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Every string in the catalog, longest first: catalog wording is the catalog's business, the
/// language check is about the kiosk's own sentences.
fn catalog_strings() -> Vec<String> {
    fn walk(value: &serde_json::Value, into: &mut Vec<String>) {
        match value {
            serde_json::Value::String(text) if text.len() > 3 => into.push(text.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|item| walk(item, into)),
            serde_json::Value::Object(fields) => fields.values().for_each(|item| walk(item, into)),
            _ => {}
        }
    }
    let mut strings = Vec::new();
    walk(
        &serde_json::to_value(small_catalog()).expect("json"),
        &mut strings,
    );
    strings.sort_by_key(|text| std::cmp::Reverse(text.len()));
    strings
}

#[test]
fn a_synced_catalog_reaches_the_screen_without_a_restart() {
    let mut rig = Rig::new(MONDAY_MORNING);
    let mut newer = small_catalog().into_inner();
    newer.version = 4;
    newer.agencies[2].short_name = "Samsat Keliling".into();
    let newer = mpp_core::validate::ValidCatalog::new(newer).expect("valid");
    rig.kiosk
        .backend()
        .catalog_publisher()
        .send_replace(Arc::new(newer));
    rig.follow_subscriptions();
    rig.click("Sentuh layar untuk mengambil nomor antrean");
    assert!(rig.shows("Samsat Keliling"), "{:?}", rig.texts());
}

#[test]
fn people_ahead_and_the_wait_are_shown_only_when_the_server_said_so_recently() {
    // The server said 7 regular and 1 priority were waiting for DKC at `heard`, each visitor
    // taking 165 s at the counters now; this kiosk syncs.
    let told_at = |heard: &str| {
        let heard = instant(heard);
        let syncing = Settings {
            syncs: true,
            ..support::kiosk_settings()
        };
        Rig::prepared_with(MONDAY_MORNING, syncing, move |store| {
            let day = "2026-11-23".parse().expect("day");
            let pace = Some(Pace {
                seconds_per_visitor: 165,
            });
            store
                .record_queue_status(day, "DKC", 7, 1, pace, heard)
                .expect("recorded");
        })
    };
    let mut fresh = told_at("2026-11-23T09:25:00+07:00");
    fresh.walk_to_detail("Dukcapil", KK);
    // 8 ahead × 165 s = 22 min: 75 % is 16.5 → 15, 125 % is 27.5 → 30.
    let before = "Antrean di depan Anda: 8 orang · Perkiraan waktu tunggu: 15–30 menit";
    assert!(fresh.shows(before), "{:?}", fresh.texts());
    fresh.click("Ambil nomor");
    assert_eq!(fresh.screen(), "done");
    assert!(
        fresh.shows("Antrean di depan Anda: 8 orang"),
        "{:?}",
        fresh.texts()
    );
    assert!(fresh.shows("Perkiraan waktu tunggu: 15–30 menit"));
    let mut stale = told_at("2026-11-23T08:00:00+07:00");
    stale.walk_to_detail("Dukcapil", KK);
    assert!(
        !stale.shows("Antrean di depan Anda"),
        "an old figure would mislead"
    );
    assert!(
        stale.shows("kios tidak terhubung ke server"),
        "{:?}",
        stale.texts()
    );
    stale.click("Ambil nomor");
    assert!(
        stale.shows("kios tidak terhubung ke server"),
        "{:?}",
        stale.texts()
    );
}

#[test]
fn a_kiosk_that_cannot_serve_says_so_in_both_languages() {
    use mpp_kiosk::ui::out_of_order::{OutOfOrder, view};
    let screen = OutOfOrder::new("kiosk.db is not a database".into());
    let mut ui = Simulator::with_size(support::simulator_settings(), SCREEN, view(&screen));
    for sentence in [Text::OutOfOrder, Text::OutOfOrderHelp] {
        for language in Language::ALL {
            assert!(
                ui.find(sentence.get(language)).is_ok(),
                "{sentence:?} in {language:?}"
            );
        }
    }
    assert!(
        ui.find("kiosk.db is not a database").is_ok(),
        "the technician sees why"
    );
}

#[test]
fn a_touch_anywhere_on_the_welcome_screen_starts() {
    for place in [
        Text::PriorityTitle.get(Language::Indonesian),
        Text::PriorityExplain.get(Language::Indonesian),
        "Mal Pelayanan Publik Kabupaten Blora",
        Text::Welcome.get(Language::Indonesian),
    ] {
        let mut rig = Rig::new(MONDAY_MORNING);
        rig.touch(place);
        assert_eq!(rig.screen(), "agencies", "a touch on {place:?}");
    }
}

#[test]
fn a_touch_on_a_language_button_only_switches_the_language() {
    let mut rig = Rig::new(MONDAY_MORNING);
    rig.touch("English");
    assert_eq!(rig.screen(), "welcome");
    assert_eq!(rig.kiosk.language(), Language::English);
    rig.click("Bahasa Indonesia");
    assert_eq!(rig.screen(), "welcome");
    assert_eq!(rig.kiosk.language(), Language::Indonesian);
}
