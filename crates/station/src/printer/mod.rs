//! The printer: ESC/POS encoding, status, transports (serial, file, virtual) and the driver
//! thread that starts with the app and watches the printer.

pub mod driver;
pub mod encode;
pub mod job;
pub mod render;
pub mod settings;
pub mod status;
pub mod transport;

use std::path::PathBuf;

pub use driver::{PrintOutcome, PrinterHandle};
pub use job::{Job, Layout};

use settings::{PrinterSettings, TransportKind};
use transport::{FileTransport, SerialSettings, SerialTransport, Transport, VirtualTransport};

#[derive(Clone, Debug, thiserror::Error)]
pub enum PrinterError {
    #[error("cannot open the printer port: {0}")]
    Port(String),
    #[error("printer IO failed: {0}")]
    Io(String),
    #[error("the printer stopped taking data after {sent} bytes (paper, cover or flow control?)")]
    Stalled { sent: usize },
    #[error("cannot save {0}: {1}")]
    Save(PathBuf, String),
    #[error("cannot draw the ticket: {0}")]
    Render(String),
}

impl PrinterError {
    fn port(error: serialport::Error) -> Self {
        PrinterError::Port(error.to_string())
    }

    fn io(error: std::io::Error) -> Self {
        PrinterError::Io(error.to_string())
    }
}

/// The transport `[printer]` asks for.
pub fn transport_for(section: &PrinterSettings) -> Box<dyn Transport> {
    match section.transport {
        TransportKind::Virtual => Box::new(VirtualTransport::new(section.output_dir.clone())),
        TransportKind::File => Box::new(FileTransport::new(section.output_dir.clone())),
        TransportKind::Serial => Box::new(SerialTransport::new(SerialSettings {
            path: section.port.clone().into(),
            baud: section.baud,
            data_bits: section.data_bits,
            parity: section.parity,
            stop_bits: section.stop_bits,
            flow_control: section.flow_control,
        })),
    }
}
