//! `[scanner]`: the ticket scanner, where one is fitted. A 2D scan engine in USB-CDC ("COM
//! port") mode reads the ticket's QR code and sends its text, 8N1, ended by the suffix set on
//! the module. Without the section no scanner is fitted and the survey starts from the typed
//! number and code only.

use std::path::PathBuf;

use serde::Deserialize;

/// `[scanner]`: present means fitted.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct ScannerSettings {
    /// The scanner's serial device; a udev rule in packaging/ names it /dev/kiosk-scanner.
    pub port: PathBuf,
    /// Line speed, as set on the module by its setup codes (most ship at 9600).
    #[serde(deserialize_with = "crate::printer::settings::baud")]
    pub baud: u32,
}

impl Default for ScannerSettings {
    /// No port: a `[scanner]` without `port` is refused by [`ScannerSettings::check`].
    fn default() -> Self {
        Self {
            port: PathBuf::new(),
            baud: 9600,
        }
    }
}

impl ScannerSettings {
    /// What the types alone cannot check: `(key, what is wrong)`.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if self.port.as_os_str().is_empty() {
            return Err((
                "port",
                "must name the scanner's serial device, such as /dev/kiosk-scanner \
                 (or remove [scanner] when no scanner is fitted)",
            ));
        }
        if self.port.is_relative() {
            return Err((
                "port",
                "must be a device's full path, such as /dev/kiosk-scanner or /dev/ttyACM0",
            ));
        }
        Ok(())
    }

    /// For technicians: `/dev/kiosk-scanner at 9600 baud`.
    pub fn describe(&self) -> String {
        format!("{} at {} baud", self.port.display(), self.baud)
    }

    /// [`ScannerSettings::describe`] in Indonesian, for the technician's menu.
    pub fn describe_id(&self) -> String {
        format!("{} ({} baud)", self.port.display(), self.baud)
    }
}
