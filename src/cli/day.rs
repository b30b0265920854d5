//! `mpp-kiosk day …`: which business day numbers go on, the one action that settles a day in
//! doubt, and the first number of a new database when nothing else can say it.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use serde::Serialize;

use mpp_core::day_check::{DayVerdict, describe_offset};
use mpp_station::store::{AuditEntry, Floor, NumberingOrigin, Settled, StoreError};

use super::output::say;
use super::{Invocation, print_json};

/// Audit entries `day status` shows.
const LATEST_AUDIT: u32 = 5;

#[derive(Subcommand)]
pub enum DayCommand {
    /// The business day, the clocks, where this database's numbers start, the latest changes.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// The clock is right: numbering goes on on the clock's day (numbers already given on the
    /// day held so far stay taken). Audited.
    Settle,
    /// A new database with nothing to say where today's numbers stand: they start at FIRST
    /// (the number after the last one printed today, from the tickets in the tray). Audited.
    StartAt {
        #[arg(value_name = "FIRST")]
        first: u32,
    },
}

pub fn run(command: DayCommand, invocation: &Invocation) -> Result<ExitCode> {
    match command {
        DayCommand::Status { json } => status(invocation, json),
        DayCommand::Settle => settle(invocation),
        DayCommand::StartAt { first } => start_at(invocation, first),
    }
}

#[derive(Serialize)]
struct DayStatus {
    clock_day: chrono::NaiveDate,
    /// The day the next ticket goes on; absent while in doubt.
    business_day: Option<chrono::NaiveDate>,
    doubt: Option<String>,
    server_clock: Option<String>,
    numbering: Option<NumberingOrigin>,
    numbers_record: Option<std::path::PathBuf>,
    floors: Vec<Floor>,
    latest_changes: Vec<AuditEntry>,
}

fn status(invocation: &Invocation, json: bool) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let store = invocation.store(&loaded)?;
    let zone = loaded.config.mpp.time_zone;
    let now = invocation.now();
    let verdict = store.day_verdict(zone, now)?;
    let status = DayStatus {
        clock_day: zone.local(now).date(),
        business_day: verdict.day(),
        doubt: match verdict {
            DayVerdict::Doubt(doubt) => Some(StoreError::DayInDoubt(doubt).to_string()),
            _ => None,
        },
        server_clock: store
            .server_sample()?
            .and_then(|sample| sample.server_now(now))
            .map(|server_now| format!("the clock {}", describe_offset(server_now - now))),
        numbering: store.numbering_origin()?,
        numbers_record: store.numbers_record_path().map(ToOwned::to_owned),
        floors: store.floors()?,
        latest_changes: store.audit_entries(LATEST_AUDIT)?,
    };
    if json {
        print_json(&status)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_status(&status)?;
    Ok(if status.doubt.is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_status(status: &DayStatus) -> Result<()> {
    say!(
        "clock's day: {} ({})",
        status.clock_day,
        status.clock_day.format("%A")
    )?;
    match (&status.business_day, &status.doubt) {
        (_, Some(doubt)) => say!("IN DOUBT: {doubt}")?,
        (Some(day), None) => say!("next ticket goes on: {day}")?,
        (None, None) => {}
    }
    say!(
        "server: {}",
        status
            .server_clock
            .as_deref()
            .unwrap_or("not heard from in the last 15 minutes")
    )?;
    let origin = status.numbering.map_or("not yet prepared", <&str>::from);
    say!("numbers of this database: {origin}")?;
    if let Some(path) = &status.numbers_record {
        say!("numbers record: {}", path.display())?;
    }
    for floor in &status.floors {
        say!(
            "  {} {} {}: after {} ({})",
            floor.business_day,
            floor.queue,
            floor.lane,
            floor.sequence,
            floor.source
        )?;
    }
    for entry in &status.latest_changes {
        say!(
            "{}  {}: {} ({})",
            entry.at,
            entry.action,
            entry.detail,
            entry.outcome
        )?;
    }
    Ok(())
}

fn settle(invocation: &Invocation) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let mut store = invocation.store(&loaded)?;
    match store.settle_day(loaded.config.mpp.time_zone, invocation.now())? {
        Settled::Nothing(day) => say!("nothing to settle: numbering goes on on {day}")?,
        Settled::Returned { from, to } => say!(
            "numbering now goes on on {to}, the clock's day; numbers given on {from} stay taken for that day"
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

fn start_at(invocation: &Invocation, first: u32) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let mut store = invocation.store(&loaded)?;
    let now = invocation.now();
    let day = store.current_day(loaded.config.mpp.time_zone, now)?;
    store.start_numbers_at(day, first, loaded.config.kiosk.number_range, now)?;
    say!("numbers of {day} start at {first} or after, in every queue")?;
    Ok(ExitCode::SUCCESS)
}
