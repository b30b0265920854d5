//! One-off commands an operator runs beside the server (`mpp-central copy-to-postgres`).

pub mod copy;
pub mod staff;
