//! The command line: parsing, shared setup (configuration, store, catalog) and exit codes.
//! Exit codes: 0 done (or stdout closed early by its reader), 1 refused or failed (the message
//! says why), 2 wrong usage.

mod catalog;
mod day;
mod doctor;
mod maintenance;
mod output;
mod printer;
mod service;
mod speech;
mod sync;
mod ticket;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use mpp_station::catalog_source::{self, Active};
use mpp_station::config::Loaded;
use mpp_station::store::{ClockKind, Store};
use output::say;

#[derive(Parser)]
#[command(
    name = "mpp-kiosk",
    version,
    about = "Ticket kiosk for a Mal Pelayanan Publik"
)]
struct Cli {
    /// Configuration file (default: ./kiosk.toml, then /etc/mpp-kiosk/kiosk.toml, then the
    /// built-in demo configuration).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Act as if the clock showed this instant (RFC 3339), for tests and rehearsals.
    #[arg(long, global = true, hide = true, value_name = "INSTANT")]
    now: Option<DateTime<Utc>>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Issue, list, show and void tickets.
    #[command(subcommand)]
    Ticket(ticket::TicketCommand),
    /// Find, check and test the printer.
    #[command(subcommand)]
    Printer(printer::PrinterCommand),
    /// Sync with the central server: status, or a round now.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// Check or show a catalog.
    #[command(subcommand)]
    Catalog(catalog::CatalogCommand),
    /// The business day and where numbers start: status, settle a day in doubt, a first number.
    #[command(subcommand)]
    Day(day::DayCommand),
    /// The technician's menu on the touch screen: set its PIN.
    #[command(subcommand)]
    Maintenance(maintenance::MaintenanceCommand),
    /// Close a service for the rest of today (visitors read the notice), reopen it, list them.
    #[command(subcommand)]
    Service(service::ServiceCommand),
    /// Speech mode's voice and headphone output: a test sample.
    #[command(subcommand)]
    Speech(speech::SpeechCommand),
    /// Check configuration, database, catalog and printer, and say how to fix what is wrong.
    Doctor,
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return mpp_common::exit::usage_error(&error),
    };
    mpp_common::logging::init("MPP_KIOSK_LOG", "warn");
    match execute(cli) {
        Ok(code) => code,
        // The reader (`head`, a pager) has seen enough: not a failure of this command.
        Err(error) if output::is_closed(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn execute(cli: Cli) -> Result<ExitCode> {
    let context = Invocation::new(cli.config, cli.now);
    match cli.command {
        Some(Command::Ticket(command)) => ticket::run(command, &context),
        Some(Command::Catalog(command)) => catalog::run(command, &context),
        Some(Command::Printer(command)) => printer::run(command, &context),
        Some(Command::Sync(command)) => sync::run(command, &context),
        Some(Command::Day(command)) => day::run(command, &context),
        Some(Command::Maintenance(command)) => maintenance::run(command, &context),
        Some(Command::Service(command)) => service::run(command, &context),
        Some(Command::Speech(command)) => speech::run(command, &context),
        Some(Command::Doctor) => doctor::run(&context),
        None => run_screen(&context),
    }
}

/// The kiosk itself: the full-screen app, with the printer driver started alongside it.
fn run_screen(invocation: &Invocation) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    tracing::info!(config = %loaded.origin, "starting the kiosk screen");
    mpp_kiosk::ui::run(loaded, invocation.clock(), invocation.clock_kind())?;
    Ok(ExitCode::SUCCESS)
}

/// What every command needs: where the configuration is and what time it is.
pub struct Invocation {
    pub config_path: Option<PathBuf>,
    now: Option<DateTime<Utc>>,
}

impl Invocation {
    fn new(config_path: Option<PathBuf>, now: Option<DateTime<Utc>>) -> Self {
        Self { config_path, now }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now.unwrap_or_else(Utc::now)
    }

    /// The screen's clock: the system clock, or `--now` ticking on from the moment of start
    /// (for rehearsals and screenshots in daytime).
    pub fn clock(&self) -> mpp_kiosk::ui::backend::Clock {
        mpp_common::instant::clock_from(self.now)
    }

    /// Loads the configuration, printing unknown keys as warnings.
    pub fn config(&self) -> Result<Loaded> {
        let loaded = Loaded::find(self.config_path.as_deref())?;
        for key in &loaded.unknown_keys {
            eprintln!("warning: {}: unknown key `{key}` is ignored", loaded.origin);
        }
        for key in &loaded.retired_keys {
            eprintln!(
                "warning: {}: `{key}` is ignored: {}",
                loaded.origin,
                mpp_station::config::RETIRED_PIN_ADVICE
            );
        }
        Ok(loaded)
    }

    /// Which clock this run writes with: a pretend one (`--now`) never touches real tickets.
    pub fn clock_kind(&self) -> ClockKind {
        match self.now {
            None => ClockKind::Real,
            Some(_) => ClockKind::Rehearsal,
        }
    }

    /// The store, checked against this run's clock, with its numbering prepared.
    pub fn store(&self, loaded: &Loaded) -> Result<Store> {
        let config = &loaded.config;
        let mut store = Store::open(&config.storage.database)?;
        store.claim_clock(self.clock_kind())?;
        store.prepare_numbering(&mpp_station::setup::numbering_plan(config), self.now())?;
        Ok(store)
    }

    pub fn catalog(&self, loaded: &Loaded, store: &mut Store) -> Result<Active> {
        catalog_source::active(&loaded.config.catalog.source, store).context("no usable catalog")
    }
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json(value: &impl serde::Serialize) -> Result<()> {
    say!("{}", serde_json::to_string_pretty(value)?)?;
    Ok(())
}
