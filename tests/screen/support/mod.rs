//! What the screen tests share: the kiosk's settings and ticket layout, running the tasks an
//! `update` returns (feeding their messages back), and following the app's subscriptions.

pub mod audit;
pub mod lobby;
pub mod logs;
pub mod menu_rig;
pub mod screen_test;
pub mod survey;
pub mod tools;

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use iced::advanced::subscription::into_recipes;
use iced::{Event, Point, Task, touch};
use iced_test::futures::futures::{StreamExt, stream};
use iced_test::runtime;

use chrono::{DateTime, Utc};
use mpp_core::lang::Language;
use mpp_core::printer_state::PrinterState;
use mpp_core::receipt::PaperWidth;
use mpp_core::validate::ValidCatalog;
use mpp_kiosk::ui::app::{Kiosk, Message, Settings};
use mpp_kiosk::ui::backend::Backend;
use mpp_kiosk::ui::theme;
use mpp_station::printer::transport::{Delivered, SerialTransport, Transport};
use mpp_station::printer::{Job, PrinterError, PrinterHandle};
use mpp_station::store::Store;
use mpp_testkit::printer_sim::PrinterSim;

/// Indonesian first, a minute before the screen returns to the start.
pub fn kiosk_settings() -> Settings {
    Settings {
        mpp_name: "Mal Pelayanan Publik Kabupaten Blora".into(),
        default_language: Language::Indonesian,
        idle_timeout: Duration::from_secs(60),
        high_contrast: false,
        fullscreen: false,
        survey_days: Some(1),
        syncs: false,
        maintenance: mpp_kiosk::ui::app::MenuSettings::default(),
        speech: None,
    }
}

/// The kiosk on `store` and `printer`, with the small catalog and the clock stopped at `now`;
/// the task is what it asks to run at start.
pub fn kiosk(store: Store, printer: PrinterHandle, now: DateTime<Utc>) -> (Kiosk, Task<Message>) {
    kiosk_with(
        store,
        printer,
        now,
        crate::common::small_catalog(),
        kiosk_settings(),
    )
}

/// Like [`kiosk`], with `catalog` and `settings`.
pub fn kiosk_with(
    store: Store,
    printer: PrinterHandle,
    now: DateTime<Utc>,
    catalog: ValidCatalog,
    settings: Settings,
) -> (Kiosk, Task<Message>) {
    Kiosk::new(backend(store, printer, now, catalog), settings)
}

/// The backend [`kiosk_with`] runs on: kiosk `K1`, numbers 1 to 999, 80 mm paper.
pub fn backend(
    store: Store,
    printer: PrinterHandle,
    now: DateTime<Utc>,
    catalog: ValidCatalog,
) -> Backend {
    Backend::new(
        store,
        printer,
        crate::common::layout(PaperWidth::Mm80),
        crate::common::settings("K1", 1, 999),
        catalog,
        Arc::new(move || now),
    )
}

/// The catalog the kiosk ships with: 31 agencies, Dukcapil's many services, long names.
pub fn shipped_catalog() -> ValidCatalog {
    let path = mpp_testkit::fixtures::SHIPPED_CATALOG;
    let text = std::fs::read_to_string(path).expect("read the shipped catalog");
    mpp_core::catalog_json::parse(&text, path).expect("the shipped catalog is valid")
}

/// The pty printer simulator in `folder`, and the kiosk's driver on it at 115200 baud, once
/// the driver has found it ready.
pub fn printer_on_sim(folder: &Path) -> (PrinterSim, PrinterHandle) {
    let sim = PrinterSim::start(&folder.join("kiosk-printer"));
    let printer = PrinterHandle::start(Box::new(SerialTransport::new(
        crate::common::serial_settings(sim.device_path(), 115_200),
    )));
    assert_eq!(
        printer.wait_first_status(Duration::from_secs(3)),
        PrinterState::Ready
    );
    (sim, printer)
}

/// A printer in memory: its state is whatever the test sets, and it keeps the jobs' names.
#[derive(Clone)]
pub struct TestPrinter {
    state: Arc<Mutex<PrinterState>>,
    jobs: Arc<Mutex<Vec<String>>>,
}

impl TestPrinter {
    pub fn ready() -> Self {
        Self {
            state: Arc::new(Mutex::new(PrinterState::Ready)),
            jobs: Arc::default(),
        }
    }

    pub fn set(&self, state: PrinterState) {
        *self.state.lock().expect("state") = state;
    }

    pub fn jobs(&self) -> Vec<String> {
        self.jobs.lock().expect("jobs").clone()
    }
}

impl Transport for TestPrinter {
    fn describe(&self) -> String {
        "test printer".into()
    }

    fn status(&mut self) -> PrinterState {
        *self.state.lock().expect("state")
    }

    fn send(&mut self, job: &Job) -> Result<Delivered, PrinterError> {
        self.jobs.lock().expect("jobs").push(job.name.clone());
        Ok(Delivered::Sent)
    }
}

/// Taps `label` with a finger only (no mouse events at all) and returns the messages it made.
pub fn finger_tap(mut ui: iced_test::Simulator<'_, Message>, label: &str) -> Vec<Message> {
    let target = ui
        .find(label)
        .unwrap_or_else(|error| panic!("no {label:?}: {error:?}"));
    let centre = iced_test::selector::Bounded::visible_bounds(&target)
        .expect("visible")
        .center();
    let messages = finger_tap_at(ui, centre);
    assert!(!messages.is_empty(), "touching {label:?} did nothing");
    messages
}

/// The messages a finger's tap at `point` makes (no mouse events at all).
pub fn finger_tap_at(mut ui: iced_test::Simulator<'_, Message>, point: Point) -> Vec<Message> {
    // The simulator does not move the cursor for touches; winit does, for the first finger.
    ui.point_at(point);
    let finger = touch::Finger(0);
    ui.simulate([
        Event::Touch(touch::Event::FingerPressed {
            id: finger,
            position: point,
        }),
        Event::Touch(touch::Event::FingerLifted {
            id: finger,
            position: point,
        }),
    ]);
    ui.into_messages().collect()
}

/// The app's fonts, as the real window has them.
pub fn simulator_settings() -> iced::Settings {
    iced::Settings {
        fonts: theme::FONT_FILES
            .iter()
            .map(|font| (*font).into())
            .collect(),
        default_font: theme::FONT,
        ..iced::Settings::default()
    }
}

/// A runtime like the app's, with one worker.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

/// Runs a task to completion, feeding every message it produces back into `update`.
pub fn run(kiosk: &mut Kiosk, on: &tokio::runtime::Runtime, task: Task<Message>) {
    let mut pending = VecDeque::from([task]);
    while let Some(task) = pending.pop_front() {
        let Some(stream) = runtime::task::into_stream(task) else {
            continue;
        };
        let actions: Vec<_> = on.block_on(stream.collect());
        for action in actions {
            if let runtime::Action::Output(message) = action {
                pending.push_back(kiosk.update(message));
            }
        }
    }
}

/// Gives `update` the message, then runs the task it returned (see [`run`]).
pub fn send(kiosk: &mut Kiosk, on: &tokio::runtime::Runtime, message: Message) {
    let task = kiosk.update(message);
    run(kiosk, on, task);
}

/// Runs the app's subscriptions until they have been quiet for `quiet`, and feeds what they
/// told (the printer's state, a published catalog) into `update`. The clock is left out:
/// tests give ticks themselves.
pub fn follow(kiosk: &mut Kiosk, on: &tokio::runtime::Runtime, quiet: Duration) {
    // The clock's stream makes its timer when it is built: inside the runtime.
    let _inside = on.enter();
    let streams = into_recipes(kiosk.subscription())
        .into_iter()
        .map(|recipe| recipe.stream(stream::empty().boxed()));
    let mut told = stream::select_all(streams);
    let messages = on.block_on(async {
        let mut messages = Vec::new();
        while let Ok(Some(message)) = tokio::time::timeout(quiet, told.next()).await {
            if !matches!(message, Message::Tick(_)) {
                messages.push(message);
            }
        }
        messages
    });
    for message in messages {
        send(kiosk, on, message);
    }
}
