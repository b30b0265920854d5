//! mpp-kiosk: the ticket kiosk in the lobby of an Indonesian Mal Pelayanan Publik.

pub mod catalog_source;
pub mod config;
pub mod maintenance;
pub mod printer;
pub mod printing;
pub mod restart;
pub mod scanner;
pub mod setup;
pub mod store;
pub mod sync;
pub mod systemd;
pub mod ui;
pub mod watchdog;
