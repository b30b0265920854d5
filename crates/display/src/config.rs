//! `/etc/mpp-display/display.toml`: the address of mpp-central's lobby page and how to show
//! it. Every mistake stops the display with the file, the line and the key (systemd's journal
//! shows it), and an unknown key is refused by name: a misspelt `zoom` must not leave a TV
//! silently wrong.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use mpp_common::toml_config;

/// Where the package installs the configuration.
pub const SYSTEM_PATH: &str = "/etc/mpp-display/display.toml";
/// Debian's Chromium (a launcher script that reads /etc/chromium.d, then the browser).
pub const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
/// The page mpp-central serves to lobby TVs.
pub const DISPLAY_PATH: &str = "/display";
/// The keys the file may hold, for the message about one it may not.
const KEYS: [&str; 3] = ["url", "chromium", "zoom"];
/// Chromium's own limits for its device scale factor are wider; past these a TV is unreadable.
const ZOOM_RANGE: std::ops::RangeInclusive<f64> = 0.25..=5.0;

/// A checked configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct DisplayConfig {
    /// mpp-central's `/display` page, `http://` or `https://`.
    pub url: String,
    /// The browser to run.
    pub chromium: PathBuf,
    /// Chromium's device scale factor, when the page should be drawn larger or smaller than
    /// the screen's own (a 4K TV, a small 720p one).
    pub zoom: Option<f64>,
}

/// The file as written.
#[derive(Deserialize)]
struct Written {
    url: Option<String>,
    chromium: Option<PathBuf>,
    zoom: Option<f64>,
}

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, line {line}, {key}: {message}")]
    Invalid {
        path: PathBuf,
        /// 1-based; 0 when the key is not written at all.
        line: usize,
        /// `key \`url\`` or `TOML syntax`.
        key: String,
        message: String,
    },
}

impl DisplayConfig {
    /// Reads and checks the file at `path`.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Checks `text`, read from `path` (named in every error).
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            path: path.to_owned(),
            line: toml_config::line_of_path(text, key),
            key: format!("key `{key}`"),
            message,
        };
        let (written, unknown_keys): (Written, Vec<String>) =
            toml_config::parse(text).map_err(|mistake| ConfigError::Invalid {
                path: path.to_owned(),
                line: mistake.line,
                key: mistake.key,
                message: mistake.message,
            })?;
        if let Some(unknown) = unknown_keys.first() {
            let message = format!("unknown key (the keys are {})", KEYS.join(", "));
            return Err(invalid(unknown, message));
        }
        let url = written.url.ok_or_else(|| {
            let example = "http://192.168.1.10:8080/display?mpp=ID";
            invalid(
                "url",
                format!("not set: write mpp-central's display page, e.g. url = \"{example}\""),
            )
        })?;
        check_url(&url).map_err(|message| invalid("url", message))?;
        let chromium = written.chromium.unwrap_or_else(|| DEFAULT_CHROMIUM.into());
        if !chromium.is_absolute() {
            let message = format!("{} is not an absolute path", chromium.display());
            return Err(invalid("chromium", message));
        }
        if let Some(zoom) = written.zoom
            && !ZOOM_RANGE.contains(&zoom)
        {
            let (low, high) = (ZOOM_RANGE.start(), ZOOM_RANGE.end());
            let message = format!(
                "{zoom} is outside {low}–{high} (1 draws the page at the screen's own size)"
            );
            return Err(invalid("zoom", message));
        }
        Ok(Self {
            url,
            chromium,
            zoom: written.zoom,
        })
    }
}

/// The parts of a URL the display needs to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address<'a> {
    pub scheme: &'a str,
    /// `host` or `host:port`.
    pub authority: &'a str,
    pub path: &'a str,
}

/// Splits an `http(s)://authority/path?query` URL, or says what is wrong with it.
pub fn address(url: &str) -> Result<Address<'_>, String> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{url:?} holds a space or a control character"));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!(
            "{url:?} is not a web address (http://… or https://…)"
        ));
    };
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "{url:?} is a {scheme}:// address: only http:// and https:// are shown"
        ));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(end);
    if authority.is_empty() {
        return Err(format!("{url:?} names no server"));
    }
    let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
    Ok(Address {
        scheme,
        authority,
        path: &rest[..path_end],
    })
}

/// Whether `url` is an http(s) address of mpp-central's display page.
fn check_url(url: &str) -> Result<(), String> {
    let address = address(url)?;
    if address.path != DISPLAY_PATH {
        let shown = if address.path.is_empty() {
            "/"
        } else {
            address.path
        };
        return Err(format!(
            "{url:?} opens {shown}, not mpp-central's lobby page {DISPLAY_PATH} (e.g. {}://{}{DISPLAY_PATH}?mpp=ID)",
            address.scheme, address.authority
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://192.168.1.10:8080/display?mpp=blora&zone=lantai-1";

    fn parse(text: &str) -> Result<DisplayConfig, ConfigError> {
        DisplayConfig::parse(text, Path::new("/etc/mpp-display/display.toml"))
    }

    /// The error's key, line and message, for an invalid file.
    fn refusal(text: &str) -> (String, usize, String) {
        match parse(text) {
            Err(ConfigError::Invalid {
                key, line, message, ..
            }) => (key, line, message),
            other => panic!("expected a refusal of {text:?}, got {other:?}"),
        }
    }

    #[test]
    fn the_url_alone_is_enough() {
        let config = parse(&format!("url = {URL:?}\n")).expect("valid");
        assert_eq!(config.url, URL);
        assert_eq!(config.chromium, Path::new(DEFAULT_CHROMIUM));
        assert_eq!(config.zoom, None);
    }

    #[test]
    fn every_key_is_read() {
        let text = format!("url = {URL:?}\nchromium = \"/opt/chromium/chrome\"\nzoom = 1.5\n");
        let config = parse(&text).expect("valid");
        assert_eq!(config.chromium, Path::new("/opt/chromium/chrome"));
        assert_eq!(config.zoom, Some(1.5));
        let https = parse("url = \"https://mpp.example.go.id/display\"").expect("https");
        assert_eq!(https.url, "https://mpp.example.go.id/display");
    }

    #[test]
    fn a_missing_url_is_named_with_an_example() {
        let (key, line, message) = refusal("# nothing set yet\n");
        assert_eq!((key.as_str(), line), ("key `url`", 0));
        assert!(
            message.contains("not set") && message.contains("/display?mpp="),
            "{message}"
        );
    }

    #[test]
    fn a_url_that_is_not_the_display_page_is_refused_with_the_reason() {
        for (url, says) in [
            ("192.168.1.10:8080/display", "not a web address"),
            ("file:///etc/passwd", "only http:// and https://"),
            ("ftp://server/display", "only http:// and https://"),
            ("http:///display", "names no server"),
            ("http://server:8080", "opens /, not"),
            ("http://server:8080/counter", "opens /counter, not"),
            ("http://server:8080/display/extra", "opens /display/extra"),
            ("http://server/display?mpp=a b", "space"),
        ] {
            let (key, line, message) = refusal(&format!("# the TV\n\nurl = {url:?}\n"));
            assert_eq!((key.as_str(), line), ("key `url`", 3), "{url}");
            assert!(message.contains(says), "{url}: {message}");
        }
    }

    #[test]
    fn unknown_keys_are_refused_by_name() {
        let (key, line, message) = refusal(&format!("url = {URL:?}\nzom = 2\n"));
        assert_eq!((key.as_str(), line), ("key `zom`", 2));
        assert!(
            message.contains("unknown key") && message.contains("zoom"),
            "{message}"
        );
        let (key, _, _) = refusal(&format!("url = {URL:?}\n[screen]\nrotate = 1\n"));
        assert_eq!(key, "key `screen`");
    }

    #[test]
    fn wrong_values_name_their_key_and_line() {
        let (key, line, message) = refusal(&format!("url = {URL:?}\nchromium = \"chromium\"\n"));
        assert_eq!((key.as_str(), line), ("key `chromium`", 2));
        assert!(message.contains("absolute"), "{message}");
        let (key, line, message) = refusal(&format!("url = {URL:?}\nzoom = 9.0\n"));
        assert_eq!((key.as_str(), line), ("key `zoom`", 2));
        assert!(message.contains("outside"), "{message}");
        let (key, line, _) = refusal(&format!("url = {URL:?}\nzoom = \"big\"\n"));
        assert_eq!((key.as_str(), line), ("key `zoom`", 2));
        let (key, line, _) = refusal("url = 8080\n");
        assert_eq!((key.as_str(), line), ("key `url`", 1));
    }

    #[test]
    fn broken_toml_names_its_line() {
        let (key, line, _) = refusal(&format!("url = {URL:?}\nzoom = \n"));
        assert_eq!((key.as_str(), line), ("TOML syntax", 2));
    }

    #[test]
    fn errors_name_the_file() {
        let error = parse("zoom = 2\n").expect_err("no url");
        let shown = error.to_string();
        assert!(
            shown.starts_with("/etc/mpp-display/display.toml, line 0, key `url`: not set"),
            "{shown}"
        );
        let missing = DisplayConfig::load(Path::new("/nonexistent/display.toml"))
            .expect_err("no file")
            .to_string();
        assert!(missing.contains("/nonexistent/display.toml"), "{missing}");
    }

    #[test]
    fn addresses_are_split_into_their_parts() {
        let address = address(URL).expect("valid");
        assert_eq!(
            address,
            Address {
                scheme: "http",
                authority: "192.168.1.10:8080",
                path: "/display"
            }
        );
        assert_eq!(address_path("https://host/display#x"), "/display");
        assert_eq!(address_path("https://host?mpp=a"), "");
    }

    fn address_path(url: &str) -> &str {
        address(url).expect("valid").path
    }
}
