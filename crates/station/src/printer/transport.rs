//! Where print jobs go: a serial ESC/POS printer, a folder of `.bin` files, or pictures.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serialport::{ClearBuffer, SerialPort, TTYPort};

use super::PrinterError;
use super::job::Job;
use super::render::render;
use super::settings::{FlowControl, Parity};
use super::status::{KINDS, interpret, is_status_byte, request};
use mpp_core::printer_state::PrinterState;

/// How long a printer may take to answer a status request before it counts as not responding.
pub const STATUS_TIMEOUT: Duration = Duration::from_millis(500);
/// `ESC @`: initialise the printer.
const INITIALISE: [u8; 2] = [0x1B, 0x40];
/// Pictures of tickets the virtual printer keeps.
const VIRTUAL_KEEP: usize = 50;

/// What became of a job that left the kiosk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivered {
    /// Sent to a printer.
    Sent,
    /// Saved as a file (virtual and file transports).
    Saved(PathBuf),
}

pub trait Transport: Send {
    /// For technicians: what and where.
    fn describe(&self) -> String;
    /// Asks the printer how it is. Never blocks longer than about a second.
    fn status(&mut self) -> PrinterState;
    /// Sends one whole job.
    fn send(&mut self, job: &Job) -> Result<Delivered, PrinterError>;
}

/// Serial line settings from `[printer]` in kiosk.toml.
#[derive(Clone, Debug)]
pub struct SerialSettings {
    pub path: PathBuf,
    pub baud: u32,
    pub data_bits: u8,
    pub parity: Parity,
    pub stop_bits: u8,
    pub flow_control: FlowControl,
}

/// An ESC/POS printer on a serial port, opened on demand and dropped on any IO error so that
/// an unplugged printer is picked up again when it returns.
pub struct SerialTransport {
    settings: SerialSettings,
    port: Option<TTYPort>,
    /// Wire time of the last job: the next status answer may queue behind it, because many
    /// USB-serial adapters (and ptys) return from a drain before the bytes have left.
    queued_behind: Duration,
}

impl SerialTransport {
    pub fn new(settings: SerialSettings) -> Self {
        Self {
            settings,
            port: None,
            queued_behind: Duration::ZERO,
        }
    }

    fn port(&mut self) -> Result<&mut TTYPort, PrinterError> {
        if self.port.is_none() {
            let mut port = open_port(&self.settings)?;
            // Stale bytes from before we opened it mean nothing; a fresh ESC @ puts the
            // printer in a known state (fonts, sizes, code page) whatever was printed before.
            port.clear(ClearBuffer::All).map_err(PrinterError::port)?;
            port.write_all(&INITIALISE).map_err(PrinterError::io)?;
            self.port = Some(port);
            tracing::info!(port = %self.settings.path.display(), "printer port opened and initialised");
        }
        Ok(self.port.as_mut().expect("just opened"))
    }

    fn drop_port(&mut self, why: &dyn std::fmt::Display) {
        if self.port.take().is_some() {
            tracing::warn!(port = %self.settings.path.display(), %why, "printer port closed");
        }
    }

    /// Sends `DLE EOT 1..4` and collects the four answers, skipping noise.
    fn query(&mut self) -> Result<Option<[u8; 4]>, PrinterError> {
        let mut timeout = STATUS_TIMEOUT + std::mem::take(&mut self.queued_behind);
        let port = self.port()?;
        port.clear(ClearBuffer::Input).map_err(PrinterError::port)?;
        let mut answers = [0u8; 4];
        for (answer, kind) in answers.iter_mut().zip(KINDS) {
            port.write_all(&request(kind)).map_err(PrinterError::io)?;
            let reply = read_status_byte(port, timeout)?;
            timeout = STATUS_TIMEOUT;
            match reply {
                Some(byte) => *answer = byte,
                None => return Ok(None),
            }
        }
        Ok(Some(answers))
    }

    fn write_job(&mut self, bytes: &[u8]) -> Result<(), PrinterError> {
        // Ten bits a byte on the wire, three times over for slow printers and flow control.
        let wire =
            Duration::from_secs_f64(bytes.len() as f64 * 10.0 / f64::from(self.settings.baud));
        let deadline = Instant::now() + wire * 3 + Duration::from_secs(3);
        self.queued_behind = wire * 2;
        let port = self.port()?;
        let mut sent = 0;
        while sent < bytes.len() {
            match port.write(&bytes[sent..]) {
                Ok(0) => return Err(PrinterError::Stalled { sent }),
                Ok(written) => sent += written,
                Err(error) if error.kind() == std::io::ErrorKind::TimedOut => {
                    if Instant::now() > deadline {
                        return Err(PrinterError::Stalled { sent });
                    }
                }
                Err(error) => return Err(PrinterError::io(error)),
            }
        }
        port.flush().map_err(PrinterError::io)
    }
}

impl Transport for SerialTransport {
    fn describe(&self) -> String {
        format!(
            "serial printer on {} at {} baud",
            self.settings.path.display(),
            self.settings.baud
        )
    }

    fn status(&mut self) -> PrinterState {
        match self.query() {
            Ok(Some(answers)) => interpret(answers),
            Ok(None) => PrinterState::NotResponding,
            Err(error) => {
                self.drop_port(&error);
                PrinterState::Disconnected
            }
        }
    }

    fn send(&mut self, job: &Job) -> Result<Delivered, PrinterError> {
        match self.write_job(&job.bytes) {
            Ok(()) => Ok(Delivered::Sent),
            Err(error) => {
                self.drop_port(&error);
                Err(error)
            }
        }
    }
}

fn open_port(settings: &SerialSettings) -> Result<TTYPort, PrinterError> {
    let path = settings.path.to_string_lossy().into_owned();
    serialport::new(path, settings.baud)
        .data_bits(match settings.data_bits {
            7 => serialport::DataBits::Seven,
            _ => serialport::DataBits::Eight,
        })
        .parity(match settings.parity {
            Parity::None => serialport::Parity::None,
            Parity::Odd => serialport::Parity::Odd,
            Parity::Even => serialport::Parity::Even,
        })
        .stop_bits(match settings.stop_bits {
            2 => serialport::StopBits::Two,
            _ => serialport::StopBits::One,
        })
        .flow_control(match settings.flow_control {
            FlowControl::None => serialport::FlowControl::None,
            FlowControl::XonXoff => serialport::FlowControl::Software,
            FlowControl::RtsCts => serialport::FlowControl::Hardware,
        })
        .timeout(Duration::from_millis(50))
        .open_native()
        .map_err(PrinterError::port)
}

/// Reads until a byte shaped like a status answer arrives, or `timeout` passes.
fn read_status_byte(port: &mut TTYPort, timeout: Duration) -> Result<Option<u8>, PrinterError> {
    let deadline = Instant::now() + timeout;
    let mut byte = [0u8; 1];
    while Instant::now() < deadline {
        match port.read(&mut byte) {
            Ok(1) if is_status_byte(byte[0]) => return Ok(Some(byte[0])),
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::TimedOut => {}
            Err(error) => return Err(PrinterError::io(error)),
        }
    }
    Ok(None)
}

/// Writes each job's bytes to a folder, for support and for checking a printer's output.
pub struct FileTransport {
    folder: PathBuf,
}

impl FileTransport {
    pub fn new(folder: PathBuf) -> Self {
        Self { folder }
    }
}

impl Transport for FileTransport {
    fn describe(&self) -> String {
        format!("ESC/POS files in {}", self.folder.display())
    }

    fn status(&mut self) -> PrinterState {
        folder_state(&self.folder)
    }

    fn send(&mut self, job: &Job) -> Result<Delivered, PrinterError> {
        let path = self.folder.join(format!("{}.bin", job.file_stem()));
        write_atomically(&path, &job.bytes)?;
        Ok(Delivered::Saved(path))
    }
}

/// Renders each ticket as a picture of the printed paper: the demo's printer.
pub struct VirtualTransport {
    folder: PathBuf,
}

impl VirtualTransport {
    pub fn new(folder: PathBuf) -> Self {
        Self { folder }
    }

    /// Keeps the newest pictures only, so the folder never fills the disk.
    fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.folder) else {
            return;
        };
        let mut pictures: Vec<_> = entries
            .filter_map(Result::ok)
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "png"))
            .filter_map(|entry| Some((entry.metadata().ok()?.modified().ok()?, entry.path())))
            .collect();
        if pictures.len() <= VIRTUAL_KEEP {
            return;
        }
        pictures.sort();
        for (_, path) in &pictures[..pictures.len() - VIRTUAL_KEEP] {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Transport for VirtualTransport {
    fn describe(&self) -> String {
        format!("virtual printer: pictures in {}", self.folder.display())
    }

    fn status(&mut self) -> PrinterState {
        folder_state(&self.folder)
    }

    fn send(&mut self, job: &Job) -> Result<Delivered, PrinterError> {
        let image = render(&job.receipt, &job.options);
        let mut png = Vec::new();
        image
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|error| PrinterError::Render(error.to_string()))?;
        let path = self.folder.join(format!("{}.png", job.file_stem()));
        write_atomically(&path, &png)?;
        self.prune();
        Ok(Delivered::Saved(path))
    }
}

fn folder_state(folder: &Path) -> PrinterState {
    match std::fs::create_dir_all(folder) {
        Ok(()) if !is_read_only(folder) => PrinterState::Ready,
        _ => PrinterState::Disconnected,
    }
}

fn is_read_only(folder: &Path) -> bool {
    std::fs::metadata(folder).is_ok_and(|metadata| metadata.permissions().readonly())
}

/// Writes next to the target and renames, so a reader never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), PrinterError> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)
        .map_err(|error| PrinterError::Save(path.to_owned(), error.to_string()))?;
    let partial = path.with_extension("part");
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|error| PrinterError::Save(path.to_owned(), error.to_string()))
}
