//! `kiosk.toml`: how this kiosk is set up. Wrong values are refused with the key and line;
//! unknown keys are reported as warnings so a typo never passes silently.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use mpp_common::toml_config;
use mpp_core::day::TimeZone;
use mpp_core::lang::Language;
use mpp_core::numbering::NumberRange;
use mpp_core::receipt::PaperWidth;

/// The shipped demo configuration, used when no file is found so the kiosk always starts.
pub const EMBEDDED_DEFAULT: &str = include_str!("../kiosk.toml");
/// Where a installed kiosk keeps its configuration.
pub const SYSTEM_PATH: &str = "/etc/mpp-kiosk/kiosk.toml";
/// Shortest signing key accepted: shorter keys make forged QR links practical.
const MIN_SIGNING_KEY_LEN: usize = 16;

#[derive(Clone, Debug, Deserialize)]
pub struct Config {
    #[serde(default)]
    pub kiosk: KioskSection,
    #[serde(default)]
    pub mpp: MppSection,
    #[serde(default)]
    pub storage: StorageSection,
    #[serde(default)]
    pub catalog: CatalogSection,
    #[serde(default)]
    pub ticket: TicketSection,
    #[serde(default)]
    pub printer: PrinterSection,
    #[serde(default)]
    pub sync: SyncSection,
    #[serde(default)]
    pub ui: UiSection,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct KioskSection {
    pub id: String,
    pub name: String,
    pub number_range: NumberRange,
}

impl Default for KioskSection {
    fn default() -> Self {
        Self {
            id: "KIOSK-01".into(),
            name: "Kios Lobi".into(),
            number_range: NumberRange {
                first: 1,
                last: 999,
            },
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct MppSection {
    pub name: String,
    pub address: String,
    pub complaints: String,
    #[serde(deserialize_with = "time_zone")]
    pub time_zone: TimeZone,
}

impl Default for MppSection {
    fn default() -> Self {
        Self {
            name: "Mal Pelayanan Publik".into(),
            address: String::new(),
            complaints: "SP4N-LAPOR! lapor.go.id".into(),
            time_zone: TimeZone::JAKARTA,
        }
    }
}

fn time_zone<'de, D: Deserializer<'de>>(deserializer: D) -> Result<TimeZone, D::Error> {
    String::deserialize(deserializer)?
        .parse()
        .map_err(serde::de::Error::custom)
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct StorageSection {
    pub database: PathBuf,
}

impl Default for StorageSection {
    fn default() -> Self {
        Self {
            database: "var/kiosk.db".into(),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CatalogSection {
    pub source: CatalogSource,
}

/// Where the catalog comes from when no newer one has been synced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CatalogSource {
    /// The catalog built into the program (`assets/catalog.json`).
    #[default]
    Builtin,
    File(PathBuf),
}

impl<'de> Deserialize<'de> for CatalogSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.as_str() {
            "builtin" => Ok(CatalogSource::Builtin),
            "" => Err(serde::de::Error::custom(
                "empty: write \"builtin\" or the path of a catalog file",
            )),
            path => Ok(CatalogSource::File(path.into())),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct TicketSection {
    pub qr_base_url: String,
    pub signing_key: String,
    pub language: Language,
}

impl Default for TicketSection {
    fn default() -> Self {
        Self {
            qr_base_url: "http://127.0.0.1:8787".into(),
            signing_key: String::new(),
            language: Language::Indonesian,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transport {
    /// Renders tickets as pictures: the demo, and a kiosk waiting for its printer.
    Virtual,
    Serial,
    /// Writes each job's bytes to a folder, for support.
    File,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Parity {
    None,
    Odd,
    Even,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlowControl {
    None,
    XonXoff,
    RtsCts,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum QrErrorCorrection {
    L,
    M,
    Q,
    H,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct PrinterSection {
    pub transport: Transport,
    pub port: String,
    #[serde(deserialize_with = "baud")]
    pub baud: u32,
    #[serde(deserialize_with = "data_bits")]
    pub data_bits: u8,
    pub parity: Parity,
    #[serde(deserialize_with = "stop_bits")]
    pub stop_bits: u8,
    pub flow_control: FlowControl,
    #[serde(deserialize_with = "paper_width")]
    pub paper_width_mm: PaperWidth,
    pub output_dir: PathBuf,
    #[serde(deserialize_with = "qr_module_size")]
    pub qr_module_size: u8,
    pub qr_error_correction: QrErrorCorrection,
    pub logo: bool,
}

impl Default for PrinterSection {
    fn default() -> Self {
        Self {
            transport: Transport::Virtual,
            port: "/dev/kiosk-printer".into(),
            baud: 9600,
            data_bits: 8,
            parity: Parity::None,
            stop_bits: 1,
            flow_control: FlowControl::None,
            paper_width_mm: PaperWidth::Mm80,
            output_dir: "var/prints".into(),
            qr_module_size: 6,
            qr_error_correction: QrErrorCorrection::M,
            logo: true,
        }
    }
}

/// Deserialises a number and checks it with `accept`, naming the allowed values otherwise.
fn checked<'de, D, T>(
    deserializer: D,
    accept: fn(u32) -> Option<T>,
    allowed: &str,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = u32::deserialize(deserializer)?;
    accept(value)
        .ok_or_else(|| serde::de::Error::custom(format!("{value} is not allowed; use {allowed}")))
}

fn baud<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    const RATES: [u32; 7] = [2400, 4800, 9600, 19200, 38400, 57600, 115200];
    checked(
        deserializer,
        |v| RATES.contains(&v).then_some(v),
        "2400, 4800, 9600, 19200, 38400, 57600 or 115200",
    )
}

fn data_bits<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    checked(
        deserializer,
        |v| (7..=8).contains(&v).then_some(v as u8),
        "7 or 8",
    )
}

fn stop_bits<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    checked(
        deserializer,
        |v| (1..=2).contains(&v).then_some(v as u8),
        "1 or 2",
    )
}

fn paper_width<'de, D: Deserializer<'de>>(deserializer: D) -> Result<PaperWidth, D::Error> {
    checked(deserializer, PaperWidth::from_millimetres, "58 or 80")
}

fn qr_module_size<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    checked(
        deserializer,
        |v| (1..=16).contains(&v).then_some(v as u8),
        "1 to 16 dots",
    )
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct SyncSection {
    pub enabled: bool,
    pub server_url: String,
    pub token: String,
    pub interval_seconds: u64,
}

impl Default for SyncSection {
    fn default() -> Self {
        Self {
            enabled: false,
            server_url: "http://127.0.0.1:8787".into(),
            token: String::new(),
            interval_seconds: 30,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct UiSection {
    pub language: Language,
    pub fullscreen: bool,
    pub window_width: u32,
    pub window_height: u32,
    pub idle_timeout_seconds: u64,
    pub high_contrast: bool,
    pub maintenance_pin: String,
}

impl Default for UiSection {
    fn default() -> Self {
        Self {
            language: Language::Indonesian,
            fullscreen: true,
            window_width: 1280,
            window_height: 800,
            idle_timeout_seconds: 60,
            high_contrast: false,
            maintenance_pin: String::new(),
        }
    }
}

/// Which file the configuration came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    /// No file was found: the shipped demo configuration built into the program.
    Embedded,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Embedded => f.write_str("the built-in demo configuration"),
        }
    }
}

/// A configuration ready to use, with what was odd about it.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub config: Config,
    pub origin: Origin,
    /// Unknown keys, by dotted path.
    pub unknown_keys: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}, line {line}, {key}: {message}")]
    Invalid {
        origin: Origin,
        line: usize,
        key: String,
        message: String,
    },
}

impl Loaded {
    /// Finds and reads the configuration: `explicit`, else `./kiosk.toml`, else the system file,
    /// else the embedded demo.
    pub fn find(explicit: Option<&Path>) -> Result<Self, ConfigError> {
        if let Some(path) = explicit {
            return Self::from_file(path);
        }
        for candidate in [Path::new("kiosk.toml"), Path::new(SYSTEM_PATH)] {
            if candidate.is_file() {
                return Self::from_file(candidate);
            }
        }
        Self::parse(EMBEDDED_DEFAULT, Origin::Embedded, Path::new("."))
    }

    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let base = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        Self::parse(&text, Origin::File(path.to_owned()), base)
    }

    /// Parses `text`; relative paths in it are taken from `base` (the file's folder).
    pub fn parse(text: &str, origin: Origin, base: &Path) -> Result<Self, ConfigError> {
        let (mut config, unknown_keys): (Config, _) =
            toml_config::parse(text).map_err(|mistake| ConfigError::Invalid {
                origin: origin.clone(),
                line: mistake.line,
                key: mistake.key,
                message: mistake.message,
            })?;
        check_consistency(&config, text, &origin)?;
        config.resolve_paths(base);
        Ok(Self {
            config,
            origin,
            unknown_keys,
        })
    }
}

impl Config {
    fn resolve_paths(&mut self, base: &Path) {
        let resolve = |path: &mut PathBuf| {
            if path.is_relative() {
                *path = base.join(&*path);
            }
        };
        resolve(&mut self.storage.database);
        resolve(&mut self.printer.output_dir);
        if let CatalogSource::File(path) = &mut self.catalog.source {
            resolve(path);
        }
    }

    pub fn signing_key(&self) -> &[u8] {
        self.ticket.signing_key.as_bytes()
    }
}

/// Checks values that depend on each other or on more than their type.
fn check_consistency(config: &Config, text: &str, origin: &Origin) -> Result<(), ConfigError> {
    let refuse = |section: &str, key: &str, message: &str| ConfigError::Invalid {
        origin: origin.clone(),
        line: toml_config::line_of_path(text, &format!("{section}.{key}")),
        key: format!("key `{section}.{key}`"),
        message: message.to_owned(),
    };
    let id = &config.kiosk.id;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(refuse(
            "kiosk",
            "id",
            "must be letters, digits and '-' (it goes on every ticket)",
        ));
    }
    if config.ticket.signing_key.len() < MIN_SIGNING_KEY_LEN {
        return Err(refuse(
            "ticket",
            "signing_key",
            "must be at least 16 characters: it protects QR links from forgery",
        ));
    }
    let url = &config.ticket.qr_base_url;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(refuse(
            "ticket",
            "qr_base_url",
            "must start with https:// (or http://)",
        ));
    }
    if config.printer.transport == Transport::Serial && config.printer.port.trim().is_empty() {
        return Err(refuse(
            "printer",
            "port",
            "the serial transport needs a port such as /dev/ttyUSB0",
        ));
    }
    if config.sync.enabled && config.sync.token.trim().is_empty() {
        return Err(refuse(
            "sync",
            "token",
            "sync is enabled but no token is set",
        ));
    }
    if config.ui.idle_timeout_seconds < 10 {
        return Err(refuse(
            "ui",
            "idle_timeout_seconds",
            "must be 10 seconds or more",
        ));
    }
    let pin = &config.ui.maintenance_pin;
    if !pin.is_empty() && (pin.len() < 4 || !pin.bytes().all(|b| b.is_ascii_digit())) {
        return Err(refuse("ui", "maintenance_pin", "must be 4 or more digits"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Loaded, ConfigError> {
        Loaded::parse(text, Origin::File("k.toml".into()), Path::new("/base"))
    }

    const MINIMAL: &str = "[ticket]\nsigning_key = \"0123456789abcdef\"\n";

    #[test]
    fn the_shipped_file_is_valid_and_complete() {
        let loaded =
            Loaded::parse(EMBEDDED_DEFAULT, Origin::Embedded, Path::new(".")).expect("valid");
        assert!(loaded.unknown_keys.is_empty(), "{:?}", loaded.unknown_keys);
        assert_eq!(loaded.config.printer.transport, Transport::Virtual);
        assert!(!loaded.config.ui.fullscreen, "the demo is windowed");
    }

    #[test]
    fn a_wrong_value_names_key_and_line() {
        let text = format!("{MINIMAL}[printer]\ntransport = \"serial\"\nbaud = 9601\n");
        let error = parse(&text).expect_err("refused").to_string();
        assert!(error.contains("line 5"), "{error}");
        assert!(error.contains("printer.baud"), "{error}");
        assert!(error.contains("9600"), "{error}");
    }

    #[test]
    fn a_syntax_error_names_the_line() {
        let text = format!("{MINIMAL}[ui]\nlanguage = \"id\n");
        let error = parse(&text).expect_err("refused").to_string();
        assert!(error.contains("line 4"), "{error}");
    }

    #[test]
    fn a_bad_range_and_time_zone_are_explained() {
        let text = format!("{MINIMAL}[kiosk]\nnumber_range = [500, 100]\n");
        let error = parse(&text).expect_err("refused").to_string();
        assert!(
            error.contains("kiosk.number_range") && error.contains("ends before"),
            "{error}"
        );
        let text = format!("{MINIMAL}[mpp]\ntime_zone = \"Asia/Tokyo\"\n");
        let error = parse(&text).expect_err("refused").to_string();
        assert!(
            error.contains("mpp.time_zone") && error.contains("Asia/Jakarta"),
            "{error}"
        );
    }

    #[test]
    fn unknown_keys_are_reported_not_fatal() {
        let text = format!("{MINIMAL}[printer]\nbaudrate = 9600\n[extra]\nx = 1\n");
        let loaded = parse(&text).expect("still loads");
        assert_eq!(loaded.unknown_keys, ["extra", "printer.baudrate"]);
    }

    #[test]
    fn consistency_problems_point_at_the_key() {
        let text = "[kiosk]\nid = \"K1\"\n[ticket]\nsigning_key = \"short\"\n";
        let error = parse(text).expect_err("refused").to_string();
        assert!(
            error.contains("line 4") && error.contains("ticket.signing_key"),
            "{error}"
        );
    }

    #[test]
    fn relative_paths_follow_the_file() {
        let loaded = parse(MINIMAL).expect("valid");
        assert_eq!(
            loaded.config.storage.database,
            Path::new("/base/var/kiosk.db")
        );
    }
}
