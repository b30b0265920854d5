//! `mpp-kiosk ticket …`: the same issuing and records as the screen, for technicians.

use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use serde::Serialize;

use mpp_core::numbering::Lane;
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_station::store::{HistoryEntry, NumberingOrigin, StoreError};

use mpp_station::printing::print_ticket;

use super::output::say;
use super::{Invocation, print_json, printer};

#[derive(Subcommand)]
pub enum TicketCommand {
    /// Issue a number for a service, exactly as the screen does (without printing).
    Issue {
        /// Service code from the catalog, e.g. DKC-KTP.
        #[arg(long)]
        service: String,
        /// A priority number (disability, elderly, pregnant, children, disaster victims).
        #[arg(long)]
        priority: bool,
        /// Issue this many, one after another (load tests, drills).
        #[arg(long, default_value_t = 1, hide = true)]
        count: u32,
        /// One JSON object per ticket, each printed as soon as it is committed.
        #[arg(long)]
        json: bool,
        /// Print each ticket on the configured printer, as the screen does.
        #[arg(long)]
        print: bool,
    },
    /// Print a ticket again (after a failed print, or at a visitor's request).
    Reprint { id: String },
    /// List the tickets of a business day (default: the latest).
    List {
        /// Business day, YYYY-MM-DD.
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Show one ticket and its history, by id or by number (latest day).
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Withdraw a ticket: its number is never given out again.
    Void {
        id: String,
        /// Why, kept in the ticket's history.
        #[arg(long)]
        reason: String,
    },
}

pub fn run(command: TicketCommand, invocation: &Invocation) -> Result<ExitCode> {
    match command {
        TicketCommand::Issue {
            service,
            priority,
            count,
            json,
            print,
        } => issue(invocation, &service, priority, count, json, print),
        TicketCommand::Reprint { id } => reprint(invocation, &id),
        TicketCommand::List { date, json } => list(invocation, date, json),
        TicketCommand::Show { id, json } => show(invocation, &id, json),
        TicketCommand::Void { id, reason } => void(invocation, &id, &reason),
    }
}

fn issue(
    invocation: &Invocation,
    service: &str,
    priority: bool,
    count: u32,
    json: bool,
    print: bool,
) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let mut store = invocation.store(&loaded)?;
    if loaded.config.sync.enabled && store.numbering_origin()? == Some(NumberingOrigin::Awaiting) {
        store = super::sync::learn_numbers_now(invocation, &loaded, store)?;
    }
    let catalog = invocation.catalog(&loaded, &mut store)?.catalog;
    let settings = mpp_station::setup::issue_settings(&loaded.config);
    let lane = if priority {
        Lane::Priority
    } else {
        Lane::Regular
    };
    let printing = print.then(|| {
        (
            printer::start_printer(&loaded.config),
            printer::layout(&loaded.config),
        )
    });
    let mut all_printed = true;
    for _ in 0..count {
        let ticket = match store.issue(
            &catalog,
            &settings,
            &mpp_core::ids::ServiceCode::from(service),
            lane,
            invocation.now(),
        ) {
            Ok(ticket) => ticket,
            Err(StoreError::UnknownService(code)) => {
                bail!("no service has the code {code:?}; `mpp-kiosk catalog show` lists them")
            }
            Err(error) => return Err(error.into()),
        };
        // Each line is flushed as soon as the ticket is committed.
        if json {
            say!("{}", serde_json::to_string(&ticket)?)?;
        } else {
            say!(
                "{}  {}  {}  {}",
                ticket.number,
                ticket.service,
                ticket.business_day,
                ticket.id
            )?;
        }
        if let Some((printer, layout)) = &printing {
            let (_, outcome) = print_ticket(
                &mut store,
                printer,
                layout,
                &catalog,
                &ticket,
                false,
                || invocation.now(),
            )?;
            all_printed &= printer::report_outcome(&outcome)? == ExitCode::SUCCESS;
        }
    }
    Ok(if all_printed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn reprint(invocation: &Invocation, id: &str) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let mut store = invocation.store(&loaded)?;
    let catalog = invocation.catalog(&loaded, &mut store)?.catalog;
    let ticket = store.find_ticket(id)?;
    let printer = printer::start_printer(&loaded.config);
    let layout = printer::layout(&loaded.config);
    let (ticket, outcome) = print_ticket(
        &mut store,
        &printer,
        &layout,
        &catalog,
        &ticket,
        true,
        || invocation.now(),
    )?;
    say!("{} is now {}", ticket.number, ticket.status.as_str())?;
    printer::report_outcome(&outcome)
}

fn list(invocation: &Invocation, date: Option<NaiveDate>, json: bool) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let store = invocation.store(&loaded)?;
    let day = match date {
        Some(day) => day,
        None => store.current_day(loaded.config.mpp.time_zone, invocation.now())?,
    };
    let tickets = store.tickets_on(day)?;
    if json {
        print_json(&tickets)?;
        return Ok(ExitCode::SUCCESS);
    }
    say!("{} ticket(s) on {day}", tickets.len())?;
    for ticket in &tickets {
        say!("{}", summary_line(ticket, &loaded.config.mpp.time_zone))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn summary_line(ticket: &Ticket, zone: &mpp_core::day::TimeZone) -> String {
    format!(
        "{:<10} {:<14} {:<12} {}  {}",
        ticket.number,
        ticket.service,
        ticket.status.as_str(),
        zone.local(ticket.issued_at).format("%H:%M:%S"),
        ticket.id
    )
}

#[derive(Serialize)]
struct TicketWithHistory {
    ticket: Ticket,
    history: Vec<HistoryEntry>,
}

fn show(invocation: &Invocation, id: &str, json: bool) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let store = invocation.store(&loaded)?;
    let ticket = store.find_ticket(id)?;
    let history = store.ticket_history(&ticket.id)?;
    if json {
        print_json(&TicketWithHistory { ticket, history })?;
        return Ok(ExitCode::SUCCESS);
    }
    let zone = loaded.config.mpp.time_zone;
    say!("{}", summary_line(&ticket, &zone))?;
    say!(
        "  agency {}, business day {}, kiosk {}",
        ticket.agency,
        ticket.business_day,
        ticket.kiosk
    )?;
    match ticket.people_ahead {
        Some(ahead) => say!("  people ahead when issued: {ahead}")?,
        None => say!("  people ahead when issued: unknown (no recent word from the server)")?,
    }
    say!(
        "  printed {} time(s); QR: {}",
        ticket.print_count,
        ticket.qr_payload
    )?;
    for entry in history {
        let reason = entry.reason.map(|r| format!(" ({r})")).unwrap_or_default();
        say!(
            "  {}  {}{reason}",
            zone.local(entry.at).format("%Y-%m-%d %H:%M:%S"),
            entry.status.as_str()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn void(invocation: &Invocation, id: &str, reason: &str) -> Result<ExitCode> {
    // The reason is synced and kept, like the menu's note: short, and no NIK or phone number.
    let reason = match mpp_core::maintenance::VoidNote::new(reason) {
        Ok(Some(reason)) => reason,
        Ok(None) => bail!("say why the ticket is voided with --reason"),
        Err(problem) => bail!("--reason is refused: {problem}"),
    };
    let reason = reason.as_str();
    let loaded = invocation.config()?;
    let mut store = invocation.store(&loaded)?;
    let ticket = store.find_ticket(id)?;
    let ticket = store.set_status(
        &ticket.id,
        TicketStatus::Voided,
        Some(reason),
        invocation.now(),
    )?;
    say!(
        "{} voided; the number will not be given out again",
        ticket.number
    )?;
    Ok(ExitCode::SUCCESS)
}
