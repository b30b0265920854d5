//! The pure core of the kiosk: catalog, schedules, numbering, tickets, receipt layout and the
//! words on screen and paper. No UI, storage, serial or network code lives here; the current
//! time is always a parameter.

pub mod catalog;
pub mod catalog_json;
pub mod day;
pub mod lang;
pub mod numbering;
pub mod printer_state;
pub mod protocol;
pub mod receipt;
pub mod schedule;
pub mod strings;
pub mod ticket;
pub mod validate;

#[cfg(test)]
pub(crate) mod testing;
