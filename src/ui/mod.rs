//! The touch screen, in iced: one module per screen under `screen/`, the app that switches
//! between them, the theme, and the backend that reaches the store and the printer.

pub mod app;
pub mod backend;
pub mod screen;
pub mod theme;
pub mod widgets;

use std::time::Duration;

use iced::{Size, window};

use crate::catalog_source;
use crate::config::Loaded;
use crate::printer::job::SHIPPED_LOGO;
use crate::printer::{Layout, PrinterHandle, transport_for};
use crate::store::{IssueSettings, Store};
use app::{Kiosk, Settings};
use backend::Backend;

/// Errors that stop the screen from starting at all.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Catalog(#[from] catalog_source::CatalogError),
    #[error("the screen could not start: {0}")]
    Screen(String),
}

/// Opens the store, starts the printer driver, and runs the screen until the window closes.
pub fn run(loaded: Loaded, clock: backend::Clock) -> Result<(), StartError> {
    let config = loaded.config;
    let store = Store::open(&config.storage.database)?;
    let active = catalog_source::active(&config.catalog.source, &store)?;
    tracing::info!(origin = %active.origin, services = active.catalog.services.len(), "catalog loaded");
    let printer = PrinterHandle::start(transport_for(&config.printer));
    let layout = Layout::from_config(&config, Some(SHIPPED_LOGO));
    let backend = Backend::new(
        store,
        printer,
        layout,
        IssueSettings::from(&config),
        active.catalog,
        clock,
    );
    let settings = Settings {
        mpp_name: config.mpp.name.clone(),
        default_language: config.ui.language,
        idle_timeout: Duration::from_secs(config.ui.idle_timeout_seconds),
        high_contrast: config.ui.high_contrast,
    };
    let window = window::Settings {
        size: Size::new(
            config.ui.window_width as f32,
            config.ui.window_height as f32,
        ),
        fullscreen: config.ui.fullscreen,
        decorations: !config.ui.fullscreen,
        ..window::Settings::default()
    };
    let mut application = iced::application(
        move || Kiosk::new(backend.clone(), settings.clone()),
        Kiosk::update,
        app::view,
    )
    .title(Kiosk::title)
    .theme(Kiosk::theme)
    .subscription(Kiosk::subscription)
    .window(window)
    .default_font(theme::FONT);
    for font in theme::FONT_FILES {
        application = application.font(font);
    }
    application
        .run()
        .map_err(|error| StartError::Screen(error.to_string()))
}
