//! What both programs need and neither owns: durable SQLite files with their migrations, the
//! stored form of an instant, TOML configuration files that name the key and line of every
//! mistake and where to find them, logging set-up (stderr or the journal), files readable by
//! their owner only, exit codes.

pub mod exit;
pub mod instant;
pub mod logging;
pub mod mutex;
pub mod permissions;
pub mod sqlite;
pub mod toml_config;
