//! The technician's audit log reaches the central server: a kiosk with a PIN, a real
//! mpp-central process on 127.0.0.1 and the kiosk's own sync loop; the PIN entries and the
//! menu's "sync now" go through the real screen, the entries appear on `/fleet`, and nothing
//! the process logged (captured at debug level) holds the PIN or the kiosk's token.

use crate::common;
use crate::support;

use std::sync::Arc;
use std::time::Duration;

use crate::common::instant;
use mpp_core::receipt::PaperWidth;
use mpp_kiosk::ui::app::{Kiosk, Message};
use mpp_kiosk::ui::backend::Backend;
use mpp_kiosk::ui::screen::{Screen, maintenance as menu, pin_pad, welcome};
use mpp_station::maintenance::{Pin, set_pin};
use mpp_station::printer::PrinterHandle;
use mpp_station::store::Store;
use mpp_station::sync::{Client, SyncLink, Syncer};
use mpp_testkit::central::{KioskAccount, SIGNING_KEY, Server};
use support::{TestPrinter, send};

/// Eight digits, looked for as a whole word: five could turn up inside a timestamp or an id.
const PIN: &str = "80514627";
const TOKEN: &str = "kiosk-k1-token-never-logged-77";

fn enter(kiosk: &mut Kiosk, runtime: &tokio::runtime::Runtime, pin: &str) {
    for digit in pin.bytes() {
        send(
            kiosk,
            runtime,
            Message::PinPad(pin_pad::Message::Digit(digit - b'0')),
        );
    }
    send(kiosk, runtime, Message::PinPad(pin_pad::Message::Submit));
}

#[test]
fn pin_entries_and_menu_actions_reach_the_fleet_page_and_no_log_holds_a_secret() {
    // The tests beside this one log into the same capture: their lines must hold no secret
    // either.
    let captured = support::logs::capture();
    let central = Server::builder()
        .kiosks([KioskAccount::new("K1", TOKEN, SIGNING_KEY)])
        .start();
    let folder = tempfile::tempdir().expect("temp dir");
    let now = instant(&common::real_now());
    let mut store = Store::open(&folder.path().join("kiosk.db")).expect("store");
    set_pin(&mut store, &Pin::new(PIN), "test", now).expect("PIN");
    let (backend, link) = syncing_kiosk(&central, store, now);
    let runtime = support::runtime();
    let (mut kiosk, boot) = Kiosk::new(backend, support::kiosk_settings());
    support::run(&mut kiosk, &runtime, boot);
    for _ in 0..welcome::corner::TAPS {
        let _wait = kiosk.update(Message::Welcome(welcome::Message::CornerTapped));
    }
    enter(&mut kiosk, &runtime, "1357");
    enter(&mut kiosk, &runtime, PIN);
    assert_eq!(kiosk.screen().name(), "maintenance");
    send(
        &mut kiosk,
        &runtime,
        Message::Maintenance(menu::Message::Show(menu::Page::Sync)),
    );
    send(
        &mut kiosk,
        &runtime,
        Message::Maintenance(menu::Message::Ask(menu::Request::SyncNow)),
    );
    let Screen::Maintenance(state) = kiosk.screen() else {
        panic!("left the menu");
    };
    assert_eq!(
        state.progress(),
        &menu::Progress::Done(menu::Request::SyncNow)
    );
    let status = state.sync_status().expect("sync figures read again");
    assert!(menu::sync::reachable(status), "{status:?}");
    // The fleet page, as staff see it: the actions and their outcomes in words.
    let page = runtime.block_on(mpp_testkit::central::fleet(&central));
    common::assert_contains_all(
        &page,
        &[
            "Masuk menu teknisi (PIN)",
            "PIN salah",
            "PIN benar",
            "PIN teknisi diganti",
        ],
    );
    assert!(!page.contains(PIN));
    // A second round sends what the first one left (the "sync now" entry itself), once.
    assert!(runtime.block_on(link.round_now(Duration::from_secs(30))));
    let server_log = std::fs::read_to_string(central.path("server.log")).expect("server log");
    let logs = captured.text();
    assert!(
        logs.contains("maintenance PIN checked"),
        "the capture works: {logs}"
    );
    for secret in [PIN, TOKEN] {
        assert!(!holds(&logs, secret), "the kiosk logged {secret}");
        assert!(!holds(&server_log, secret), "the server logged {secret}");
    }
}

/// The kiosk's backend on `store` with its clock stopped at `now`, and its sync loop to
/// `central` on its own thread as in the app, with an hour between rounds: rounds after the
/// first come only when asked for (the menu's "sync now", a new ticket).
fn syncing_kiosk(
    central: &Server,
    store: Store,
    now: chrono::DateTime<chrono::Utc>,
) -> (Backend, SyncLink) {
    let printer = PrinterHandle::start(Box::new(TestPrinter::ready()));
    printer.wait_first_status(Duration::from_secs(1));
    let link = SyncLink::default();
    let backend = Backend::new(
        store,
        printer,
        common::layout(PaperWidth::Mm80),
        common::settings("K1", 1, 999),
        common::around_the_clock_catalog(),
        Arc::new(move || now),
    )
    .with_sync(link.clone());
    let syncer = Syncer::new(
        Client::new(&central.url(""), TOKEN).expect("client"),
        backend.store(),
        "K1".into(),
        backend.time_zone(),
        backend.catalog_publisher(),
        Arc::new(|| mpp_core::printer_state::PrinterState::Ready),
        backend.clock(),
    );
    let loop_link = link.clone();
    std::thread::spawn(move || {
        support::runtime().block_on(syncer.run_linked(Duration::from_secs(3600), loop_link))
    });
    (backend, link)
}

/// Whether `secret` stands in `log` as a whole word (not inside a longer run of digits).
fn holds(log: &str, secret: &str) -> bool {
    log.match_indices(secret).any(|(at, _)| {
        let before = log[..at].chars().next_back();
        let after = log[at + secret.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Tickets `central` knows for the kiosk's day.
fn known(central: &Server, runtime: &tokio::runtime::Runtime, day: &str) -> u32 {
    runtime.block_on(common::http::tickets_known(central, day, TOKEN))
}

#[test]
fn a_ticket_issued_and_printed_reaches_the_server_without_waiting_for_the_interval() {
    let central = Server::builder()
        .kiosks([KioskAccount::new("K1", TOKEN, SIGNING_KEY)])
        .start();
    let folder = tempfile::tempdir().expect("temp dir");
    let now = instant(&common::real_now());
    let store = Store::open(&folder.path().join("kiosk.db")).expect("store");
    // An hour between rounds: only a nudge sends anything after the first.
    let (backend, link) = syncing_kiosk(&central, store, now);
    let runtime = support::runtime();
    assert!(runtime.block_on(link.round_now(Duration::from_secs(30))));
    std::thread::sleep(Duration::from_secs(1));
    let day = backend.time_zone().local(now).date().to_string();
    // The control: a ticket written to the store behind the backend's back waits for a round.
    let service = "DKC-KK".into();
    {
        let catalog = common::around_the_clock_catalog();
        let store = backend.store();
        let mut store = store.lock().expect("store");
        let settings = common::settings("K1", 1, 999);
        (store.issue(
            &catalog,
            &settings,
            &service,
            mpp_core::numbering::Lane::Regular,
            now,
        ))
        .expect("issued");
    }
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        known(&central, &runtime, &day),
        0,
        "the loop is in its hour's pause"
    );
    // Through the backend, as the screen issues and prints: sent at once, the control with it.
    let issuing = backend
        .clone()
        .issue(service, mpp_core::numbering::Lane::Regular);
    let ticket = runtime.block_on(issuing).expect("issued");
    runtime
        .block_on(
            backend
                .clone()
                .print(ticket, mpp_core::lang::Language::Indonesian),
        )
        .expect("printed");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while known(&central, &runtime, &day) < 2 {
        assert!(std::time::Instant::now() < deadline, "not sent");
        std::thread::sleep(Duration::from_millis(50));
    }
}
