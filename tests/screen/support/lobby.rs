//! The real app, driven by `update` directly, on a real SQLite file and a printer in memory:
//! no pty, no simulator. What the fast tests of the app's decisions and the layout audit share.

use std::path::PathBuf;
use std::time::Duration;

use iced::Task;

use crate::common::{instant, small_catalog};
use crate::support::{self, TestPrinter};
use mpp_core::printer_state::PrinterState;
use mpp_core::validate::ValidCatalog;
use mpp_kiosk::ui::app::{Kiosk, Message, Settings};
use mpp_kiosk::ui::screen::{Screen, agencies, services, welcome};
use mpp_station::printer::PrinterHandle;
use mpp_station::store::Store;

pub const MONDAY_MORNING: &str = "2026-11-23T09:30:00+07:00";
pub const MONDAY_EVENING: &str = "2026-11-23T20:00:00+07:00";

pub struct Lobby {
    pub kiosk: Kiosk,
    pub printer: TestPrinter,
    pub runtime: tokio::runtime::Runtime,
    pub database: PathBuf,
    _folder: tempfile::TempDir,
}

impl Lobby {
    /// The kiosk with the small catalog and its usual settings, the clock stopped at `at`, on
    /// its welcome screen.
    pub fn at(at: &str) -> Self {
        Self::with(at, small_catalog(), support::kiosk_settings())
    }

    /// Like [`Lobby::at`], with `catalog` and `settings`.
    pub fn with(at: &str, catalog: ValidCatalog, settings: Settings) -> Self {
        Self::prepared(at, catalog, settings, |_| {})
    }

    /// Like [`Lobby::with`], with `prepare` given the store before the kiosk starts on it.
    pub fn prepared(
        at: &str,
        catalog: ValidCatalog,
        settings: Settings,
        prepare: impl FnOnce(&mut Store),
    ) -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let database = folder.path().join("kiosk.db");
        let mut store = Store::open(&database).expect("store");
        prepare(&mut store);
        let printer = TestPrinter::ready();
        let handle = PrinterHandle::start(Box::new(printer.clone()));
        // Returns as soon as the driver has asked the printer: the wait is room for a busy machine.
        assert_eq!(
            handle.wait_first_status(Duration::from_secs(5)),
            PrinterState::Ready
        );
        let runtime = support::runtime();
        let (mut kiosk, boot) = support::kiosk_with(store, handle, instant(at), catalog, settings);
        support::run(&mut kiosk, &runtime, boot);
        Self {
            kiosk,
            printer,
            runtime,
            database,
            _folder: folder,
        }
    }

    /// Runs a task to completion, feeding every message it produces back into `update`.
    pub fn run(&mut self, task: Task<Message>) {
        support::run(&mut self.kiosk, &self.runtime, task);
    }

    pub fn send(&mut self, message: Message) {
        support::send(&mut self.kiosk, &self.runtime, message);
    }

    pub fn screen(&self) -> &Screen {
        self.kiosk.screen()
    }

    /// From the welcome screen to `agency`'s services.
    pub fn open_agency(&mut self, agency: &str) {
        self.send(Message::Welcome(welcome::Message::Start));
        self.send(Message::Agencies(agencies::Message::Open(agency.into())));
    }

    /// From the welcome screen to the detail of `service` of `agency`.
    pub fn walk_to_detail(&mut self, agency: &str, service: &str) {
        self.open_agency(agency);
        self.send(Message::Services(services::Message::Open(service.into())));
        assert_eq!(self.screen().name(), "detail");
    }
}
