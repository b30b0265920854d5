//! `mpp-central.toml`: where the server listens, where it keeps its data, and who may talk to
//! it. Only token hashes are kept. Wrong values are refused with the key and line; unknown keys
//! are reported as warnings so a typo never passes silently.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use mpp_common::toml_config;
use mpp_core::day::TimeZone;
use mpp_core::numbering::NumberRange;

mod accounts;
mod calling;
mod counter;
pub mod demo_secrets;
mod limits;
mod location;
mod mpp;
mod survey;

pub use accounts::AccountEntry;
pub use calling::CallingConfig;
pub use counter::{CounterEntry, MAX_POINT_LEN};
pub use limits::{HttpConfig, StaffConfig};
pub use location::Location;
pub use mpp::{IMPLICIT_ID, MppEntry};
pub use survey::SurveyConfig;

/// Where an installed server keeps its configuration.
pub const SYSTEM_PATH: &str = "/etc/mpp-central/mpp-central.toml";
/// The file looked for in the working folder when no path is given.
pub const LOCAL_PATH: &str = "mpp-central.toml";
/// Shortest signing key accepted, as on the kiosk: shorter keys make forged QR links practical.
const MIN_SIGNING_KEY_LEN: usize = 16;

#[derive(Clone, Debug, Deserialize)]
pub struct CentralConfig {
    #[serde(default = "default_listen", deserialize_with = "socket_address")]
    pub listen: SocketAddr,
    #[serde(default = "default_database")]
    pub database: PathBuf,
    #[serde(default = "default_catalog")]
    pub catalog: PathBuf,
    #[serde(default, deserialize_with = "time_zone")]
    pub time_zone: TimeZone,
    /// The MPP's name, at the top of ticket pages.
    #[serde(default = "default_name")]
    pub name: String,
    #[serde(default)]
    pub admin_token_sha256: Option<TokenHash>,
    #[serde(default, rename = "kiosk")]
    pub kiosks: Vec<KioskEntry>,
    #[serde(default, rename = "counter")]
    pub counters: Vec<CounterEntry>,
    #[serde(default)]
    pub http: HttpConfig,
    #[serde(default)]
    pub staff: StaffConfig,
    #[serde(default)]
    pub survey: SurveyConfig,
    #[serde(default)]
    pub calling: CallingConfig,
    /// Staff accounts created at start when missing (see [`AccountEntry`]).
    #[serde(default, rename = "account")]
    pub accounts: Vec<AccountEntry>,
    /// A province's MPPs; none for a regency's server (the top-level keys are its one MPP).
    #[serde(default)]
    pub mpp: Vec<MppEntry>,
    /// What [`CentralConfig::mpps`] answers, filled when the file is read.
    #[serde(skip)]
    resolved_mpps: Vec<MppEntry>,
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8787))
}

fn default_database() -> PathBuf {
    "var/central.db".into()
}

fn default_catalog() -> PathBuf {
    "assets/catalog.json".into()
}

fn default_name() -> String {
    "Mal Pelayanan Publik".into()
}

fn socket_address<'de, D: Deserializer<'de>>(deserializer: D) -> Result<SocketAddr, D::Error> {
    let text = String::deserialize(deserializer)?;
    text.parse().map_err(|_| {
        serde::de::Error::custom(format!(
            "{text:?} is not an address: write IP:PORT, e.g. \"127.0.0.1:8787\""
        ))
    })
}

fn time_zone<'de, D: Deserializer<'de>>(deserializer: D) -> Result<TimeZone, D::Error> {
    String::deserialize(deserializer)?
        .parse()
        .map_err(serde::de::Error::custom)
}

/// A kiosk allowed to sync.
#[derive(Clone, Debug, Deserialize)]
pub struct KioskEntry {
    pub id: String,
    pub token_sha256: TokenHash,
    /// The kiosk's `ticket.signing_key`, to check the QR links it prints.
    pub signing_key: Secret,
    /// The kiosk's `kiosk.number_range`: a number it prints outside it is flagged, and no two
    /// kiosks' ranges may overlap. Optional, so an older config still loads (with a warning).
    #[serde(default)]
    pub number_range: Option<NumberRange>,
}

/// The SHA-256 of a token, written as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TokenHash(pub [u8; 32]);

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHash(..)")
    }
}

impl TokenHash {
    pub fn from_hex(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (index, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[index * 2..index * 2 + 2], 16).ok()?;
        }
        Some(Self(bytes))
    }
}

impl<'de> Deserialize<'de> for TokenHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        TokenHash::from_hex(&text).ok_or_else(|| {
            serde::de::Error::custom(
                "must be 64 hexadecimal digits: the output of `mpp-central token hash TOKEN`",
            )
        })
    }
}

/// Text that never appears in logs or debug output.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// A configuration ready to use, with what was odd about it.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub config: CentralConfig,
    pub path: PathBuf,
    /// Unknown keys, by dotted path.
    pub unknown_keys: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "no configuration found: pass --config PATH, or create ./{LOCAL_PATH} or {SYSTEM_PATH}"
    )]
    NotFound,
    #[error("cannot read the configuration {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, line {line}, {key}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        key: String,
        message: String,
    },
}

impl Loaded {
    /// Reads `explicit`, else `./mpp-central.toml`, else the system file.
    pub fn find(explicit: Option<&Path>) -> Result<Self, ConfigError> {
        let candidates = [Path::new(LOCAL_PATH), Path::new(SYSTEM_PATH)];
        match toml_config::find(explicit, &candidates) {
            Some(path) => Self::from_file(&path),
            None => Err(ConfigError::NotFound),
        }
    }

    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let base = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        Self::parse(&text, path, base)
    }

    /// Parses `text` (read from `path`); relative paths in it are taken from `base`.
    pub fn parse(text: &str, path: &Path, base: &Path) -> Result<Self, ConfigError> {
        let (mut config, unknown_keys): (CentralConfig, _) =
            toml_config::parse(text).map_err(|mistake| ConfigError::Invalid {
                path: path.to_owned(),
                line: mistake.line,
                key: mistake.key,
                message: mistake.message,
            })?;
        let invalid = |(dotted, message): (String, String)| ConfigError::Invalid {
            path: path.to_owned(),
            line: toml_config::line_of_path(text, &dotted),
            key: format!("key `{dotted}`"),
            message,
        };
        config
            .resolve_mpps(&toml_config::top_level_keys(text))
            .map_err(invalid)?;
        check_consistency(&config).map_err(invalid)?;
        let on_postgres = config.postgres_url().is_some();
        let catalogs = config.resolved_mpps.iter_mut().map(|mpp| &mut mpp.catalog);
        let database = (!on_postgres).then_some(&mut config.database);
        for path in database
            .into_iter()
            .chain([&mut config.catalog])
            .chain(catalogs)
            .chain(config.calling.clips_dir.as_mut())
        {
            if path.is_relative() {
                *path = base.join(&*path);
            }
        }
        Ok(Self {
            config,
            path: path.to_owned(),
            unknown_keys,
        })
    }
}

/// Checks values that depend on each other or on more than their type; the error is the
/// dotted key and what is wrong. Kiosk ids and every token are unique across the MPPs.
fn check_consistency(config: &CentralConfig) -> Result<(), (String, String)> {
    let mut seen_ids: Vec<&str> = Vec::new();
    let mut hashes: Vec<(TokenHash, String)> = Vec::new();
    for mpp in config.mpps() {
        for (index, kiosk) in mpp.kiosks.iter().enumerate() {
            let place = format!("{}kiosk[{index}]", mpp.place);
            check_kiosk(kiosk, &place, &seen_ids)?;
            seen_ids.push(&kiosk.id);
            hashes.push((kiosk.token_sha256, format!("{place}.token_sha256")));
        }
        check_ranges(&mpp.kiosks, &mpp.place)?;
        let mut seen_names = Vec::new();
        for (index, counter) in mpp.counters.iter().enumerate() {
            let place = format!("{}counter[{index}]", mpp.place);
            let name = counter.name.trim();
            if name.is_empty() {
                return Err((format!("{place}.name"), "must not be empty".into()));
            }
            if seen_names.contains(&name) {
                return Err((format!("{place}.name"), format!("{name:?} is listed twice")));
            }
            seen_names.push(name);
            counter.check_lists(&place)?;
            hashes.push((counter.token_sha256, format!("{place}.token_sha256")));
        }
    }
    config.http.check()?;
    config.staff.check()?;
    config.survey.check()?;
    config.calling.check()?;
    if let Some(admin) = config.admin_token_sha256 {
        hashes.push((admin, "admin_token_sha256".into()));
    }
    for (index, (hash, place)) in hashes.iter().enumerate() {
        if let Some((_, first)) = hashes[..index].iter().find(|(other, _)| other == hash) {
            return Err((
                place.clone(),
                format!(
                    "is the same token as {first}: give every kiosk, counter and the admin its own"
                ),
            ));
        }
    }
    Ok(())
}

/// A kiosk's id (unique on the whole server: its QR links name it) and signing key.
fn check_kiosk(kiosk: &KioskEntry, place: &str, seen_ids: &[&str]) -> Result<(), (String, String)> {
    let id = kiosk.id.as_str();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err((
            format!("{place}.id"),
            "must be letters, digits and '-', as the kiosk's own kiosk.id".into(),
        ));
    }
    if seen_ids.contains(&id) {
        return Err((
            format!("{place}.id"),
            format!("{id} is listed twice (kiosk ids are unique across every MPP)"),
        ));
    }
    if kiosk.signing_key.0.len() < MIN_SIGNING_KEY_LEN {
        return Err((
            format!("{place}.signing_key"),
            "must be at least 16 characters: copy the kiosk's ticket.signing_key".into(),
        ));
    }
    Ok(())
}

/// Two kiosks of one MPP whose ranges overlap would print the same numbers on the same day
/// (two MPPs' numbers never meet: each has its own queues).
fn check_ranges(kiosks: &[KioskEntry], mpp_place: &str) -> Result<(), (String, String)> {
    for (index, kiosk) in kiosks.iter().enumerate() {
        let Some(range) = kiosk.number_range else {
            continue;
        };
        let mut earlier = kiosks[..index].iter().enumerate();
        let clash = earlier.find_map(|(other_index, other)| {
            let other_range = other.number_range?;
            range
                .overlaps(other_range)
                .then_some((other_index, other, other_range))
        });
        if let Some((other_index, other, other_range)) = clash {
            return Err((
                format!("{mpp_place}kiosk[{index}].number_range"),
                format!(
                    "kiosk {}'s range {} overlaps kiosk {}'s range {} ({mpp_place}kiosk[{other_index}]): \
                     both would print the same numbers; give each kiosk its own range, as in \
                     its kiosk.toml",
                    kiosk.id,
                    written(range),
                    other.id,
                    written(other_range)
                ),
            ));
        }
    }
    Ok(())
}

/// A range as it is written in the file.
fn written(range: NumberRange) -> String {
    format!("[{}, {}]", range.first, range.last)
}

impl CentralConfig {
    /// `database` when it names a PostgreSQL server (`postgres://` or `postgresql://`).
    pub fn postgres_url(&self) -> Option<&str> {
        let text = self.database.to_str()?;
        (text.starts_with("postgres://") || text.starts_with("postgresql://")).then_some(text)
    }

    /// Where the data lives: a PostgreSQL server, or (the default) a SQLite file.
    pub fn location(&self) -> Location {
        match self.postgres_url() {
            Some(url) => Location::Postgres(url.to_owned()),
            None => Location::Sqlite(self.database.clone()),
        }
    }

    /// What is legal but unwise in this configuration, one sentence each, for the log at start.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for kiosk in self.all_kiosks().filter(|k| k.number_range.is_none()) {
            warnings.push(format!(
                "kiosk {} has no number_range: numbers outside its range and overlaps with \
                 other kiosks cannot be checked; copy kiosk.number_range from its kiosk.toml",
                kiosk.id
            ));
        }
        let kiosks: Vec<&KioskEntry> = self.all_kiosks().collect();
        for (index, kiosk) in kiosks.iter().enumerate() {
            let shared = kiosks[..index]
                .iter()
                .find(|other| other.signing_key.0 == kiosk.signing_key.0);
            if let Some(other) = shared {
                warnings.push(format!(
                    "kiosks {} and {} share a signing_key: each can make QR links the other's \
                     key verifies; give every kiosk its own ticket.signing_key",
                    other.id, kiosk.id
                ));
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests;
