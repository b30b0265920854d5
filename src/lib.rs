//! mpp-kiosk: the ticket kiosk in the lobby of an Indonesian Mal Pelayanan Publik.

pub mod core;
pub mod config;
pub mod store;
pub mod catalog_source;
