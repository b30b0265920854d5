//! The touch screen, in iced: one module per screen under `screen/`, the app that switches
//! between them, the theme, and the backend that reaches the store, the printer and the
//! ticket scanner.

pub mod app;
pub mod backend;
pub mod fit;
pub mod full_screen;
pub mod measure;
mod menu_facts;
pub mod out_of_order;
pub mod screen;
pub mod speech;
pub mod theme;
pub mod watched;
pub mod widgets;
pub mod x11_output;

use std::time::Duration;

use iced::{Size, window};

use app::{Kiosk, Settings};
use backend::Backend;
use mpp_station::catalog_source;
use mpp_station::config::Loaded;
use mpp_station::printer::job::SHIPPED_LOGO;
use mpp_station::printer::{PrinterHandle, transport_for};
use mpp_station::scanner::Scanner;
use mpp_station::store::{ClockKind, Store};

/// Errors that stop the screen from starting at all.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] mpp_station::store::StoreError),
    #[error(transparent)]
    Catalog(#[from] catalog_source::CatalogError),
    #[error("the screen could not start: {0}")]
    Screen(String),
}

pub fn window_settings(config: &mpp_station::config::Config) -> window::Settings {
    window::Settings {
        size: Size::new(
            config.ui.window_width as f32,
            config.ui.window_height as f32,
        ),
        fullscreen: config.ui.fullscreen,
        decorations: !config.ui.fullscreen,
        // Alt+F4 and the window manager's close button ask to close: the kiosk ignores them.
        // Only the technician's menu closes it (or leaves full screen).
        exit_on_close_request: false,
        ..window::Settings::default()
    }
}

fn show_out_of_order(
    config: &mpp_station::config::Config,
    reason: String,
) -> Result<(), StartError> {
    let fullscreen = config.ui.fullscreen;
    let application = iced::application(
        move || out_of_order::OutOfOrder::boot(reason.clone(), fullscreen),
        out_of_order::OutOfOrder::update,
        out_of_order::view,
    )
    .title("mpp-kiosk")
    .theme(|_: &out_of_order::OutOfOrder| theme::theme(false))
    .subscription(out_of_order::OutOfOrder::subscription)
    .window(window_settings(config));
    run_with_fonts(application)
}

/// Starts the sync loop on its own thread and runtime, so the screen never waits for it.
fn start_sync(
    config: &mpp_station::config::Config,
    backend: &Backend,
    link: mpp_station::sync::SyncLink,
) -> Result<(), StartError> {
    let client = mpp_station::sync::Client::new(&config.sync.server_url, &config.sync.token)
        .map_err(|error| StartError::Screen(error.to_string()))?;
    let printer = backend.printer();
    let clock = backend.clock();
    let syncer = mpp_station::sync::Syncer::new(
        client,
        backend.store(),
        config.kiosk.id.clone(),
        config.mpp.time_zone,
        backend.catalog_publisher(),
        std::sync::Arc::new(move || printer.state()),
        std::sync::Arc::new(move || clock()),
    );
    let interval = Duration::from_secs(config.sync.interval_seconds.max(5));
    std::thread::Builder::new()
        .name("sync".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            match runtime {
                Ok(runtime) => runtime.block_on(syncer.run_linked(interval, link)),
                Err(error) => tracing::error!(%error, "sync cannot start"),
            }
        })
        .map_err(|error| StartError::Screen(format!("cannot start the sync thread: {error}")))?;
    Ok(())
}

/// Opens the store, starts the printer driver, and runs the screen until the window closes.
pub fn run(loaded: Loaded, clock: backend::Clock, kind: ClockKind) -> Result<(), StartError> {
    let config = loaded.config;
    let opened = Store::open(&config.storage.database)
        .and_then(|mut store| {
            store.claim_clock(kind)?;
            store.prepare_numbering(&mpp_station::setup::numbering_plan(&config), clock())?;
            Ok(store)
        })
        .map_err(StartError::from)
        .and_then(|store| {
            Ok((
                catalog_source::active(&config.catalog.source, &store)?,
                store,
            ))
        });
    let (active, store) = match opened {
        Ok(opened) => opened,
        Err(error) => {
            // Never a blank screen in the lobby: say so, then exit so systemd tries again.
            tracing::error!(%error, "the kiosk cannot serve; showing the out-of-order notice");
            show_out_of_order(&config, error.to_string())?;
            return Err(error);
        }
    };
    tracing::info!(origin = %active.origin, services = active.catalog.services.len(), "catalog loaded");
    let printer = PrinterHandle::start(transport_for(&config.printer));
    let layout = mpp_station::setup::receipt_layout(&config, Some(SHIPPED_LOGO));
    let backend = Backend::new(
        store,
        printer,
        layout,
        mpp_station::setup::issue_settings(&config),
        active.catalog,
        clock,
    );
    let backend = backend.with_catalog_source(config.catalog.source.clone());
    // Kept until the screen has closed: dropping it stops the scanner's thread.
    let scanner = config.scanner.as_ref().map(Scanner::start);
    let backend = match &scanner {
        Some(scanner) => backend.with_scanner(scanner.watch()),
        None => backend,
    };
    let backend = if config.sync.enabled {
        let link = mpp_station::sync::SyncLink::default();
        start_sync(&config, &backend, link.clone())?;
        backend.with_sync(link)
    } else {
        backend
    };
    let settings = Settings {
        mpp_name: config.mpp.name.clone(),
        default_language: config.ui.language,
        idle_timeout: Duration::from_secs(config.ui.idle_timeout_seconds),
        high_contrast: config.ui.high_contrast,
        fullscreen: config.ui.fullscreen,
        survey_days: config.survey.enabled.then_some(config.survey.window_days),
        syncs: config.sync.enabled,
        maintenance: menu_facts::menu_settings(&config),
        speech: config.speech.enabled.then(|| config.speech.clone()),
    };
    let window = window_settings(&config);
    let restart = backend.clone();
    let application = iced::application(
        move || Kiosk::new(backend.clone(), settings.clone()),
        Kiosk::update,
        app::view,
    )
    .title(Kiosk::title)
    .theme(Kiosk::theme)
    .subscription(Kiosk::subscription)
    .window(window);
    run_with_fonts(application)?;
    drop(scanner);
    if restart.restart_requested() {
        return Err(StartError::Screen(
            crate::restart::start_again().to_string(),
        ));
    }
    Ok(())
}

/// Runs an iced application with the bundled fonts, whichever screen it shows.
fn run_with_fonts<P: iced::Program + 'static>(
    mut application: iced::Application<P>,
) -> Result<(), StartError> {
    application = application.default_font(theme::FONT);
    for font in theme::FONT_FILES {
        application = application.font(font);
    }
    application
        .run()
        .map_err(|error| StartError::Screen(error.to_string()))
}
