//! `mpp-kiosk catalog …`: check a catalog file before publishing it, or see the one in use.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use mpp_core::lang::Language;
use mpp_core::strings::fee_text;
use mpp_station::catalog_source;

use super::output::say;
use super::{Invocation, print_json};

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Validate a catalog file and list every problem in it.
    Check { file: PathBuf },
    /// Show the catalog in use: a summary, or the whole catalog as JSON.
    Show {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: CatalogCommand, invocation: &Invocation) -> Result<ExitCode> {
    match command {
        CatalogCommand::Check { file } => check(&file),
        CatalogCommand::Show { json } => show(invocation, json),
    }
}

fn check(file: &std::path::Path) -> Result<ExitCode> {
    match catalog_source::from_file(file) {
        Ok(catalog) => {
            say!(
                "{}: valid, version {}, {} agencies, {} services",
                file.display(),
                catalog.version,
                catalog.agencies.len(),
                catalog.services.len()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("{error}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn show(invocation: &Invocation, json: bool) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let mut store = invocation.store(&loaded)?;
    let active = invocation.catalog(&loaded, &mut store)?;
    let catalog = &active.catalog;
    if json {
        print_json(catalog)?;
        return Ok(ExitCode::SUCCESS);
    }
    say!(
        "catalog version {} from {}: {} agencies, {} services",
        catalog.version,
        active.origin,
        catalog.agencies.len(),
        catalog.services.len()
    )?;
    for agency in &catalog.agencies {
        let popular = if agency.popular { " *" } else { "" };
        say!("\n{} — {}{popular}", agency.code, agency.name.id)?;
        for service in catalog.services_of(&agency.code) {
            let quota = service
                .daily_quota
                .map(|q| format!(", quota {q}/day"))
                .unwrap_or_default();
            say!(
                "  {:<16} [{}] {} — {}{quota}",
                service.code,
                service.queue,
                service.name.id,
                fee_text(&service.fee, Language::Indonesian)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
