//! The records the server keeps and reads back, whichever backend holds them.

pub mod audit;
pub mod calls;
pub mod counter;
pub mod fleet;
pub mod numbers;
pub mod refusal;
pub mod survey;
pub mod ticket;
