//! mpp-kiosk: the ticket kiosk in the lobby of an Indonesian Mal Pelayanan Publik. The screen
//! and the watchdog; everything without a screen is in `mpp-station`.

pub mod restart;
pub mod ui;
pub mod watchdog;
