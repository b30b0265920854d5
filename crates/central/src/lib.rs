//! `mpp-central`, the reference central server: kiosks push their ticket events and
//! heartbeats and fetch the catalog and waiting counts; counters report called and served
//! tickets; visitors open their ticket's page from its QR code and rate the visit; an MPP's
//! kiosks share the services staff closed for the day; staff watch the fleet and read the
//! satisfaction report.
//!
//! One server serves one MPP or a province's many (`config::MppEntry`): every row, count and
//! page is an MPP's. Everything lives in one SQLite file (one writer, WAL, `synchronous=FULL`,
//! and a few read-only connections beside it for the pages and queries) or, for a province, in
//! PostgreSQL; both behind the storage interface `storage::Database`, pooled, their work on the
//! blocking pool, never on the async executor. Connections have header, body and idle timeouts
//! and a cap under the descriptor limit (`net`). Run it behind a reverse proxy for HTTPS: the
//! staff session cookie is `Secure`, which browsers send only over HTTPS.
//!
//! The modules are layers, and imports point down only: `config` → `model` → `rules` →
//! `storage` → `published` → `http` → `net` → `admin` → `app` (`tools/import_cycles.py`).

pub mod admin;
mod app;
pub mod config;
mod http;
pub mod model;
mod net;
mod published;
pub mod rules;
mod storage;

pub use app::{CentralError, serve, shutdown_signal};
pub use config::demo_secrets;
pub use config::{CentralConfig, ConfigError, Loaded, Location, MppEntry};
pub use http::auth::hash_hex;
pub use http::state::{AppState, Clock};
pub use storage::Database;
pub use storage::error::DbError;
pub use storage::sqlite::Sqlite;
