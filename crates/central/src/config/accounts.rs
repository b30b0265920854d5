//! `[[account]]` in `mpp-central.toml`: staff accounts the server creates at start when the
//! database has none of that name (the demo's, or a first administrator). The database is
//! where accounts live: a password changed with `mpp-central staff passwd` stays changed,
//! whatever the file says. Checked against the rules of `rules::staff` at start.

use serde::Deserialize;

/// One account to create at start.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct AccountEntry {
    pub name: String,
    /// `admin`, `province`, `head` or `counter`.
    pub role: String,
    /// The MPP of a head or counter staff (on a one-MPP server it may be left out).
    #[serde(default)]
    pub mpp: Option<String>,
    /// The counter points counter staff call visitors to.
    #[serde(default)]
    pub points: Vec<String>,
    /// The password's Argon2id PHC string, from `mpp-central staff hash`.
    pub password_argon2: String,
}
