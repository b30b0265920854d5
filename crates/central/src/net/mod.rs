//! The network edge: the accept loop with its timer and deadlines, the connection cap, and what
//! each connection's request body is doing.

pub mod body;
pub mod connections;
pub mod serve;
