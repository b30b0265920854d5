//! `kiosk.toml`: how this kiosk is set up. Wrong values are refused with the key and line;
//! unknown keys are reported as warnings so a typo never passes silently.

mod kiosk;
mod scanner;
mod speech;
mod storage;
mod survey;
mod sync;
mod ticket;
mod ui;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use crate::catalog_source::CatalogSource;
use crate::catalog_source::CatalogSource as Source;
pub use crate::printer::settings::PrinterSettings;
pub use kiosk::{KioskSection, MppSection};
use mpp_common::toml_config;
pub use scanner::ScannerSettings;
pub use speech::{KeyBinding, SpeechSection};
pub use storage::{CatalogSection, StorageSection};
pub use survey::SurveySection;
pub use sync::SyncSection;
pub use ticket::TicketSection;
pub use ui::{RETIRED_PIN_ADVICE, UiSection};

/// The shipped demo configuration, used when no file is found so the kiosk always starts.
pub const EMBEDDED_DEFAULT: &str = include_str!("../../../../kiosk.toml");
/// Where a installed kiosk keeps its configuration.
pub const SYSTEM_PATH: &str = "/etc/mpp-kiosk/kiosk.toml";

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
    pub printer: PrinterSettings,
    #[serde(default)]
    pub sync: SyncSection,
    #[serde(default)]
    pub ui: UiSection,
    #[serde(default)]
    pub survey: SurveySection,
    #[serde(default)]
    pub speech: SpeechSection,
    /// None: no ticket scanner fitted.
    #[serde(default)]
    pub scanner: Option<ScannerSettings>,
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
    /// Keys that once meant something and are now ignored (their values are never kept).
    pub retired_keys: Vec<&'static str>,
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
        let candidates = [Path::new("kiosk.toml"), Path::new(SYSTEM_PATH)];
        match toml_config::find(explicit, &candidates) {
            Some(path) => Self::from_file(&path),
            None => Self::parse(EMBEDDED_DEFAULT, Origin::Embedded, Path::new(".")),
        }
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
        let retired_keys = config.ui.retired_keys();
        for key in &retired_keys {
            // The key only: its value was dropped as it was read.
            tracing::warn!(%origin, key, "retired configuration key is ignored: {RETIRED_PIN_ADVICE}");
        }
        Ok(Self {
            config,
            origin,
            unknown_keys,
            retired_keys,
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
        if let Some(record) = &mut self.storage.numbers_record {
            resolve(record);
        }
        resolve(&mut self.printer.output_dir);
        if let Source::File(path) = &mut self.catalog.source {
            resolve(path);
        }
    }

    pub fn signing_key(&self) -> &[u8] {
        self.ticket.signing_key.as_bytes()
    }
}

/// Whether `text` is an http(s) address with a host: `http://` alone would pass a prefix check
/// and then make every QR link or sync request point nowhere.
fn is_web_address(text: &str) -> bool {
    reqwest::Url::parse(text).is_ok_and(|url| {
        matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(|host| !host.is_empty())
    })
}

/// Checks what the types alone cannot: each section knows its own rules.
fn check_consistency(config: &Config, text: &str, origin: &Origin) -> Result<(), ConfigError> {
    let checks = [
        ("kiosk", config.kiosk.check()),
        ("ticket", config.ticket.check()),
        ("printer", config.printer.check()),
        ("sync", config.sync.check()),
        ("ui", config.ui.check()),
        ("survey", config.survey.check()),
        ("speech", config.speech.check()),
        (
            "scanner",
            config
                .scanner
                .as_ref()
                .map_or(Ok(()), ScannerSettings::check),
        ),
    ];
    for (section, check) in checks {
        if let Err((key, message)) = check {
            return Err(ConfigError::Invalid {
                origin: origin.clone(),
                line: toml_config::line_of_path(text, &format!("{section}.{key}")),
                key: format!("key `{section}.{key}`"),
                message: message.to_owned(),
            });
        }
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
        assert_eq!(
            loaded.config.printer.transport,
            crate::printer::settings::TransportKind::Virtual
        );
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
    fn the_survey_is_on_for_today_unless_told_otherwise() {
        let loaded = parse(MINIMAL).expect("valid");
        assert!(loaded.config.survey.enabled);
        assert_eq!(loaded.config.survey.window_days, 1);
        let text = format!("{MINIMAL}[survey]\nwindow_days = 0\n");
        let error = parse(&text).expect_err("refused").to_string();
        assert!(
            error.contains("survey.window_days") && error.contains("line 4"),
            "{error}"
        );
    }

    #[test]
    fn a_scanner_is_fitted_only_by_its_section() {
        assert!(parse(MINIMAL).expect("valid").config.scanner.is_none());
        let text = format!("{MINIMAL}[scanner]\nport = \"/dev/kiosk-scanner\"\n");
        let scanner = parse(&text).expect("valid").config.scanner.expect("fitted");
        assert_eq!(scanner.port, Path::new("/dev/kiosk-scanner"));
        assert_eq!(scanner.baud, 9600, "the modules' own default");
        assert_eq!(scanner.describe(), "/dev/kiosk-scanner at 9600 baud");
        let text = format!("{MINIMAL}[scanner]\nport = \"/dev/ttyACM0\"\nbaud = 115200\n");
        let scanner = parse(&text).expect("valid").config.scanner.expect("fitted");
        assert_eq!(scanner.baud, 115200);
    }

    #[test]
    fn speech_keys_are_read_and_a_wrong_volume_names_key_and_line() {
        let text = format!(
            "{MINIMAL}[speech]\ndevice = \"plughw:1,0\"\n[speech.keys]\n\"+\" = \"next\"\n\"5\" = \"none\"\n"
        );
        let speech = parse(&text).expect("valid").config.speech;
        assert_eq!(speech.device, "plughw:1,0");
        assert_eq!(
            speech.command("+"),
            Some(mpp_core::speech::keypad::Command::Next)
        );
        assert_eq!(speech.command("5"), None);
        let text = format!("{MINIMAL}[speech]\nvolume_steps = 5\nvolume = 6\n");
        let error = parse(&text).expect_err("refused").to_string();
        assert!(
            error.contains("speech.volume") && error.contains("line 5"),
            "{error}"
        );
        let text = format!("{MINIMAL}[speech.keys]\n\"5\" = \"shout\"\n");
        assert!(parse(&text).is_err(), "an unknown command is refused");
    }

    #[test]
    fn a_scanner_without_a_usable_port_or_speed_is_refused_with_key_and_line() {
        let cases = [
            (
                "[scanner]\nport = \"\"\n",
                "scanner.port",
                4,
                "such as /dev/kiosk-scanner",
            ),
            (
                "[scanner]\nbaud = 9600\n",
                "scanner.port",
                3,
                "remove [scanner]",
            ),
            (
                "[scanner]\nport = \"ttyACM0\"\n",
                "scanner.port",
                4,
                "full path",
            ),
            (
                "[scanner]\nport = \"/dev/kiosk-scanner\"\nbaud = 9601\n",
                "scanner.baud",
                5,
                "9601 is not allowed; use 2400, 4800, 9600",
            ),
            ("[scanner]\nport = 7\n", "scanner.port", 4, "string"),
        ];
        for (section, key, line, why) in cases {
            let text = format!("{MINIMAL}{section}");
            let error = parse(&text).expect_err(&text).to_string();
            assert!(
                error.contains(key)
                    && error.contains(&format!("line {line},"))
                    && error.contains(why),
                "{text}\n→ {error}"
            );
        }
        let text = format!("{MINIMAL}[scanner]\nport = \"/dev/kiosk-scanner\"\nspeed = 9600\n");
        assert_eq!(parse(&text).expect("loads").unknown_keys, ["scanner.speed"]);
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
    fn values_out_of_their_range_are_refused_with_key_and_line() {
        let signed = |extra: &str| format!("[ticket]\nsigning_key = \"0123456789abcdef\"\n{extra}");
        let cases = [
            (
                format!("{MINIMAL}[kiosk]\nnumber_range = [1, 2, 3]\n"),
                "kiosk.number_range",
                4,
            ),
            (
                format!("{MINIMAL}[kiosk]\nnumber_range = [7]\n"),
                "kiosk.number_range",
                4,
            ),
            (
                format!("{MINIMAL}[ui]\nwindow_width = 0\n"),
                "ui.window_width",
                4,
            ),
            (
                format!("{MINIMAL}[ui]\nfullscreen = false\nwindow_height = 0\n"),
                "ui.window_height",
                5,
            ),
            (
                format!("{MINIMAL}[ui]\nwindow_width = 16385\n"),
                "ui.window_width",
                4,
            ),
            (
                format!("{MINIMAL}[ui]\nidle_timeout_seconds = 18446744073709551615\n"),
                "ui.idle_timeout_seconds",
                4,
            ),
            (
                format!("{MINIMAL}[ui]\nidle_timeout_seconds = 3601\n"),
                "ui.idle_timeout_seconds",
                4,
            ),
            (
                format!("{MINIMAL}[ui]\nmaintenance_timeout_seconds = 29\n"),
                "ui.maintenance_timeout_seconds",
                4,
            ),
            (
                signed("qr_base_url = \"http://\"\n"),
                "ticket.qr_base_url",
                3,
            ),
            (
                signed("qr_base_url = \"mpp.example.go.id\"\n"),
                "ticket.qr_base_url",
                3,
            ),
            (
                format!("{MINIMAL}[sync]\ninterval_seconds = 0\n"),
                "sync.interval_seconds",
                4,
            ),
            (
                format!("{MINIMAL}[sync]\ninterval_seconds = 31536000\n"),
                "sync.interval_seconds",
                4,
            ),
            (
                format!("{MINIMAL}[sync]\nserver_url = \"central\"\n"),
                "sync.server_url",
                4,
            ),
            (
                format!("{MINIMAL}[sync]\nserver_url = \"http://\"\n"),
                "sync.server_url",
                4,
            ),
        ];
        for (text, key, line) in cases {
            let error = parse(&text).expect_err(&text).to_string();
            assert!(
                error.contains(&format!("`{key}`")) && error.contains(&format!("line {line},")),
                "{text}\n→ {error}"
            );
        }
        let sensible = format!(
            "{MINIMAL}[ui]\nwindow_width = 320\nwindow_height = 16384\nidle_timeout_seconds = 3600\n\
             [sync]\nserver_url = \"https://central.mpp.example.go.id/\"\ninterval_seconds = 3600\n"
        );
        parse(&sensible).expect("the limits themselves are accepted");
    }

    #[test]
    fn the_retired_pin_key_loads_named_and_its_value_is_kept_nowhere() {
        let text = format!("{MINIMAL}[ui]\nmaintenance_pin = \"97531\"\n");
        let loaded = parse(&text).expect("an old file still loads");
        assert_eq!(loaded.retired_keys, ["ui.maintenance_pin"]);
        assert!(loaded.unknown_keys.is_empty(), "{:?}", loaded.unknown_keys);
        assert!(!format!("{:?}", loaded.config).contains("97531"));
        // Whatever it held (even what was never valid) loads the same.
        let odd = format!("{MINIMAL}[ui]\nmaintenance_pin = 12\n");
        assert_eq!(
            parse(&odd).expect("loads").retired_keys,
            ["ui.maintenance_pin"]
        );
        assert!(parse(MINIMAL).expect("loads").retired_keys.is_empty());
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
    fn lines_are_right_after_a_commented_header_and_for_dotted_keys() {
        let text = format!("{MINIMAL}[ui]  # the screen\n\nidle_timeout_seconds = 5\n");
        let error = parse(&text).expect_err("refused").to_string();
        assert!(
            error.contains("line 5") && error.contains("ui.idle_timeout_seconds"),
            "{error}"
        );
        let text = format!("# a kiosk\nui.idle_timeout_seconds = 5\n{MINIMAL}");
        let error = parse(&text).expect_err("refused").to_string();
        assert!(error.contains("line 2"), "{error}");
        let text =
            format!("{MINIMAL}[printer]  # the serial one\ntransport = \"serial\"\nbaud = 9601\n");
        let error = parse(&text).expect_err("refused").to_string();
        assert!(
            error.contains("line 5") && error.contains("printer.baud"),
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
