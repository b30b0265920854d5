//! Pure decisions, written once above both backends: each takes what storage read and says
//! what to write (or what to answer), so SQLite and PostgreSQL decide alike.

pub mod batch;
pub mod counter;
pub mod dashboard;
pub mod numbers;
pub mod passwords;
pub mod staff;
pub mod survey;
pub mod text;
pub mod waits;
