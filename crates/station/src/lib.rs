//! mpp-station: the kiosk without its screen. Its configuration, the durable ticket store, the
//! printer and scanner drivers, printing a ticket, the sync with mpp-central, the technician's
//! PIN, systemd's notifications. The screen (`mpp-kiosk`'s `ui`) and the command line build on
//! it; the store, driver and sync tests link this crate alone, without iced.

pub mod catalog_source;
pub mod config;
pub mod keypad;
pub mod maintenance;
pub mod printer;
pub mod printing;
pub mod scanner;
pub mod setup;
pub mod speaker;
pub mod store;
pub mod sync;
pub mod systemd;
