//! `mpp-kiosk printer …`: find the port, ask the printer how it is, print a test page.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Subcommand;
use serde::Serialize;

use mpp_core::lang::Language;
use mpp_core::printer_state::PrinterState;
use mpp_core::strings::{printer_fix_text, printer_state_text};
use mpp_station::config::Config;
use mpp_station::printer::job::SHIPPED_LOGO;
use mpp_station::printer::{Layout, PrintOutcome, PrinterHandle, transport_for};

use super::output::say;
use super::{Invocation, print_json};

/// Long enough for a printer that answers; a silent one shows as not responding by then.
const FIRST_STATUS_WAIT: Duration = Duration::from_secs(3);

#[derive(Subcommand)]
pub enum PrinterCommand {
    /// List the serial ports on this machine.
    Ports,
    /// Ask the configured printer how it is.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Print a test page: every style, the code page and a QR code.
    Test,
}

pub fn run(command: PrinterCommand, invocation: &Invocation) -> Result<ExitCode> {
    match command {
        PrinterCommand::Ports => ports(),
        PrinterCommand::Status { json } => status(invocation, json),
        PrinterCommand::Test => test_page(invocation),
    }
}

/// Starts the driver as the app does, for one command.
pub fn start_printer(config: &Config) -> PrinterHandle {
    PrinterHandle::start(transport_for(&config.printer))
}

/// The printer's state as `printer status` finds it, for a heartbeat sent from the command
/// line: a printer that has not answered within the wait is not responding, never `starting`.
pub fn current_state(config: &Config) -> PrinterState {
    match start_printer(config).wait_first_status(FIRST_STATUS_WAIT) {
        PrinterState::Starting => PrinterState::NotResponding,
        state => state,
    }
}

pub fn layout(config: &Config) -> Layout {
    mpp_station::setup::receipt_layout(config, Some(SHIPPED_LOGO))
}

fn ports() -> Result<ExitCode> {
    let ports = serialport::available_ports().context("cannot list serial ports")?;
    if ports.is_empty() {
        say!(
            "no serial ports found (a USB printer adapter shows up as /dev/ttyUSB0 or /dev/ttyACM0)"
        )?;
    }
    for port in ports {
        let kind = match port.port_type {
            serialport::SerialPortType::UsbPort(usb) => format!(
                "USB {:04x}:{:04x} {}",
                usb.vid,
                usb.pid,
                usb.product.unwrap_or_default()
            ),
            serialport::SerialPortType::PciPort => "PCI".into(),
            serialport::SerialPortType::BluetoothPort => "Bluetooth".into(),
            serialport::SerialPortType::Unknown => "serial".into(),
        };
        say!("{}  {kind}", port.port_name)?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct StatusReport<'a> {
    printer: &'a str,
    state: PrinterState,
    can_print: bool,
    message: &'static str,
    what_to_do: &'static str,
}

fn status(invocation: &Invocation, json: bool) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let printer = start_printer(&loaded.config);
    let state = printer.wait_first_status(FIRST_STATUS_WAIT);
    let report = StatusReport {
        printer: printer.describe(),
        state,
        can_print: state.can_print(),
        message: printer_state_text(state).get(Language::English),
        what_to_do: printer_fix_text(state).get(Language::English),
    };
    if json {
        print_json(&report)?;
    } else {
        say!(
            "{}: {} ({})",
            report.printer,
            report.message,
            state.as_str()
        )?;
        if state.needs_attention() {
            say!("{}", report.what_to_do)?;
        }
    }
    Ok(if state.can_print() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn test_page(invocation: &Invocation) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let printer = start_printer(&loaded.config);
    let job = layout(&loaded.config).test_page(&loaded.config.kiosk.id, invocation.now());
    report_outcome(&printer.print_and_wait(job, true))
}

/// Says what became of a print, and turns it into an exit code.
pub fn report_outcome(outcome: &PrintOutcome) -> Result<ExitCode> {
    match outcome {
        PrintOutcome::Printed {
            saved: Some(path), ..
        } => say!("printed: saved as {}", path.display())?,
        PrintOutcome::Printed { .. } => say!("printed")?,
        PrintOutcome::AlreadyPrinted => say!("already printed; use reprint to print it again")?,
        PrintOutcome::NotPrinted { state } => {
            eprintln!(
                "not printed: {} — {}",
                printer_state_text(*state).get(Language::English),
                printer_fix_text(*state).get(Language::English)
            );
            return Ok(ExitCode::FAILURE);
        }
        PrintOutcome::Failed { state, reason } => {
            eprintln!(
                "print failed ({reason}): {} — {}",
                printer_state_text(*state).get(Language::English),
                printer_fix_text(*state).get(Language::English)
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}
