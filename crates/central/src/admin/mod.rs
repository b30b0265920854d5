//! One-off commands an operator runs beside the server (`mpp-central copy-to-postgres`,
//! `mpp-central token hash`).

pub mod copy;
pub mod staff;
pub mod tallies;
pub mod token;
