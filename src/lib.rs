//! mpp-kiosk: the ticket kiosk in the lobby of an Indonesian Mal Pelayanan Publik.

pub mod catalog_source;
pub mod central;
pub mod config;
pub mod core;
pub mod logging;
pub mod printer;
pub mod printing;
pub mod sqlite;
pub mod store;
pub mod sync;
pub mod toml_config;
pub mod ui;
