//! `mpp-kiosk maintenance …`: the PIN of the technician's menu on the touch screen. The PIN
//! is read from the terminal (echo off) or from stdin, twice, never from the command line
//! where `ps` and the shell's history would keep it.

use std::io::{BufRead, IsTerminal, Write};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use mpp_core::maintenance::PinProblem;
use mpp_station::maintenance::{Pin, PinError, set_pin};
use mpp_station::store::Store;

use super::Invocation;
use super::output::say;

#[derive(Subcommand)]
pub enum MaintenanceCommand {
    /// Set the PIN of the technician's menu (4–8 digits, asked twice; not 0000, 1234 and the
    /// like). Clears the pad's lock. Audited.
    SetPin,
}

pub fn run(command: MaintenanceCommand, invocation: &Invocation) -> Result<ExitCode> {
    match command {
        MaintenanceCommand::SetPin => set(invocation),
    }
}

fn set(invocation: &Invocation) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let mut entry = PinEntry::new();
    let first = entry.ask("New PIN (4–8 digits): ")?;
    // Refused before the second entry: no point typing a PIN twice to hear it is too short.
    mpp_core::maintenance::check_new_pin(first.as_str()).map_err(PinError::from)?;
    let second = entry.ask("The same PIN again: ")?;
    if first.as_str() != second.as_str() {
        return Err(PinError::from(PinProblem::Mismatch).into());
    }
    let mut store = Store::open(&loaded.config.storage.database)?;
    set_pin(
        &mut store,
        &Pin::new(first.as_str()),
        "command line",
        invocation.now(),
    )?;
    say!("the maintenance PIN is set (kept as an Argon2id hash; the pad's lock is cleared)")?;
    Ok(ExitCode::SUCCESS)
}

/// One line as typed, the newline taken off; cleared when dropped.
struct Typed(String);

impl Typed {
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for Typed {
    fn drop(&mut self) {
        // Best effort: the digits do not linger in this buffer after use.
        self.0.replace_range(.., &"0".repeat(self.0.len()));
    }
}

/// Where PINs are read from: the terminal with its echo off, or stdin as it comes (scripts).
struct PinEntry {
    terminal: bool,
    lines: std::io::StdinLock<'static>,
}

impl PinEntry {
    fn new() -> Self {
        Self {
            terminal: std::io::stdin().is_terminal(),
            lines: std::io::stdin().lock(),
        }
    }

    fn ask(&mut self, prompt: &str) -> Result<Typed> {
        if self.terminal {
            eprint!("{prompt}");
            std::io::stderr().flush().ok();
            set_echo(false);
        }
        let mut line = String::new();
        let read = self.lines.read_line(&mut line);
        if self.terminal {
            set_echo(true);
            eprintln!();
        }
        let typed = Typed(line);
        if read.context("cannot read the PIN from stdin")? == 0 {
            bail!("no PIN given: type it (twice), or send it on stdin, one line each");
        }
        let trimmed = typed.as_str().trim_end_matches(['\r', '\n']).to_owned();
        Ok(Typed(trimmed))
    }
}

/// Turns the terminal's echo off or on with `stty`, so no unsafe termios code is needed.
fn set_echo(on: bool) {
    let result = Command::new("stty")
        .arg(if on { "echo" } else { "-echo" })
        .stdin(Stdio::inherit())
        .status();
    if !result.is_ok_and(|status| status.success()) {
        tracing::warn!("cannot switch the terminal's echo; the PIN may show as typed");
    }
}
