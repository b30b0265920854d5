//! The network edge: the accept loop with its timer and deadlines, and the connection cap.

pub mod connections;
pub mod serve;
