//! How this kiosk's printer is attached and what its paper looks like: the `[printer]` section
//! of kiosk.toml deserialises straight into these types, checked on the way in.

use std::path::PathBuf;

use mpp_core::receipt::PaperWidth;
use serde::{Deserialize, Deserializer};

/// Where print jobs go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransportKind {
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

/// The QR code's error-correction level (model 2): L 7 %, M 15 %, Q 25 %, H 30 %.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum QrErrorCorrection {
    L,
    M,
    Q,
    H,
}

/// `[printer]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct PrinterSettings {
    pub transport: TransportKind,
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

impl Default for PrinterSettings {
    fn default() -> Self {
        Self {
            transport: TransportKind::Virtual,
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

impl PrinterSettings {
    /// What the types alone cannot check: `(key, what is wrong)`.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if self.transport == TransportKind::Serial && self.port.trim().is_empty() {
            return Err((
                "port",
                "the serial transport needs a port such as /dev/ttyUSB0",
            ));
        }
        Ok(())
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

/// The serial speeds the kiosk's devices may run at (the printer's and the scanner's).
pub(crate) fn baud<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
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
