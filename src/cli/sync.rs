//! `mpp-kiosk sync …`: how far behind the central server is, and a sync round on demand.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use mpp_station::config::Loaded;
use mpp_station::store::Store;
use mpp_station::sync::{self, Client, SyncError, Syncer};

use super::output::say;
use super::{Invocation, print_json};

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Unsent events, conflicts, refused events, and the last sync result.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Run one sync round now and say what it did.
    Now,
}

pub fn run(command: SyncCommand, invocation: &Invocation) -> Result<ExitCode> {
    match command {
        SyncCommand::Status { json } => status(invocation, json),
        SyncCommand::Now => now(invocation),
    }
}

fn status(invocation: &Invocation, json: bool) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let store = invocation.store(&loaded)?;
    let status = sync::status(&store)?;
    if json {
        print_json(&status)?;
        return Ok(ExitCode::SUCCESS);
    }
    let config = &loaded.config.sync;
    say!(
        "sync {} with {}",
        if config.enabled {
            "enabled"
        } else {
            "disabled"
        },
        config.server_url
    )?;
    say!("unsent events: {}", status.unsent)?;
    if let Some(oldest) = status.oldest_unsent {
        say!("oldest unsent: {oldest}")?;
    }
    say!("conflicts kept aside: {}", status.conflicts)?;
    say!("refused by the server, set aside: {}", status.refused)?;
    for refusal in &status.latest_refusals {
        say!(
            "  event {} of ticket {} ({}): {}",
            refusal.event_id,
            refusal.ticket_id,
            refusal.at,
            refusal.reason
        )?;
    }
    say!(
        "unsent survey responses: {} (refused by the server: {})",
        status.surveys_unsent,
        status.surveys_refused
    )?;
    say!(
        "unsent service closures: {} (refused by the server: {})",
        status.closures_unsent,
        status.closures_refused
    )?;
    say!(
        "last success: {}",
        status.last_ok.as_deref().unwrap_or("never")
    )?;
    if let Some(error) = &status.last_error {
        say!("last error: {error}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn now(invocation: &Invocation) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let config = loaded.config.clone();
    if config.sync.token.trim().is_empty() {
        bail!(
            "[sync] token is empty in {}: set it to this kiosk's token on the central server",
            loaded.origin
        );
    }
    let store = invocation.store(&loaded)?;
    let syncer = syncer(invocation, &loaded, store)?;
    let runtime = runtime()?;
    match runtime.block_on(syncer.recorded_round()) {
        Ok(report) => {
            say!(
                "sent {}, already there {}, conflicts {}, refused {}, still unsent {}{}",
                report.sent,
                report.duplicates,
                report.conflicts,
                report.refused,
                report.unsent_left,
                report
                    .catalog
                    .map(|v| format!("; catalog version {v} taken"))
                    .unwrap_or_default()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error @ SyncError::Unauthorized(_)) => bail!("{error}"),
        Err(error) => bail!("sync failed: {error}"),
    }
}

/// A syncer for one command: this run's clock, the printer's state asked once before the round
/// (the port is free again while the network is slow).
fn syncer(invocation: &Invocation, loaded: &Loaded, mut store: Store) -> Result<Syncer> {
    let config = &loaded.config;
    let catalog = invocation.catalog(loaded, &mut store)?.catalog;
    let (publisher, _screen) = tokio::sync::watch::channel(Arc::new(catalog));
    let client = Client::new(&config.sync.server_url, &config.sync.token)?;
    let printer = super::printer::current_state(config);
    Ok(Syncer::new(
        client,
        Arc::new(Mutex::new(store)),
        config.kiosk.id.clone(),
        config.mpp.time_zone,
        publisher,
        Arc::new(move || printer),
        invocation.clock(),
    ))
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// For a new database waiting to learn where today's numbers stand: asks the server once.
/// The store comes back either way; whether it may issue now is its own to say.
pub fn learn_numbers_now(invocation: &Invocation, loaded: &Loaded, store: Store) -> Result<Store> {
    let syncer = syncer(invocation, loaded, store)?;
    let learnt = runtime()?.block_on(syncer.learn_numbers());
    if let Err(error) = learnt {
        eprintln!("warning: the server was not asked where today's numbers stand: {error}");
    }
    syncer
        .into_store()
        .context("the store is still in use by the sync task")
}
